// SPDX-License-Identifier: GPL-2.0
/*
 * nexus_net: an Ethernet device, nx<id>, for each net valve of the ION window.
 *
 * Queue 0 receives: the guest posts empty buffers (ION_OP_NET_RX, len = the
 * buffer's capacity) and the host completes each with one frame (len = the
 * frame's length). Queue 1 transmits: the frame is copied into a TX buffer
 * and sent with ION_OP_NET_TX. The valve's data area holds the RX buffers,
 * then the TX buffers, buf_size bytes each. An SQE id is seq << 32 | buffer,
 * and a completion is taken only when both match a buffer the host holds.
 *
 * One NAPI context serves both completion rings, as in virtio_net: the
 * interrupt disables completion events and schedules NAPI; NAPI re-enables
 * them, completes, and polls once more so that nothing slips in between.
 */
#define pr_fmt(fmt) "nexus_net: " fmt

#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/slab.h>
#include "nexus_ion.h"

#define NXNET_MAX_DEVS		ION_MAX_VALVES
#define NXNET_MAX_BUF		SZ_64K

struct nxnet {
	struct net_device *ndev;
	struct napi_struct napi;
	struct nexus_ion_valve *valve;
	struct nexus_ion_queue *rxq;
	struct nexus_ion_queue *txq;
	void *data;			/* the data area, in the window */
	u64 data_off;			/* its window offset */
	u32 buf_size;
	unsigned int rx_n;		/* buffers 0 .. rx_n - 1 */
	unsigned int tx_n;		/* buffers rx_n .. rx_n + tx_n - 1 */
	bool link_up;

	/* RX: NAPI only (and ndo_open, before napi_enable). */
	unsigned long *rx_posted;	/* the host holds the buffer */
	u32 *rx_seq;
	unsigned int rx_unposted;

	/* TX: xmit submits, NAPI reclaims. */
	spinlock_t tx_lock;
	unsigned long *tx_busy;
	u32 *tx_seq;
	unsigned int tx_inflight;
};

static struct nxnet *nxnet_devs[NXNET_MAX_DEVS];
static unsigned int nxnet_nr_devs;

static u64 nxnet_buf_off(const struct nxnet *nn, unsigned int buf)
{
	return (u64)buf * nn->buf_size;
}

static bool nxnet_id_ok(const struct nxnet *nn, const struct ion_cqe *cqe,
			const unsigned long *held, const u32 *seq,
			unsigned int n, const char *ring)
{
	u32 buf = lower_32_bits(cqe->id);

	if (buf < n && test_bit(buf, held) && seq[buf] == upper_32_bits(cqe->id))
		return true;
	pr_err_ratelimited("%s: %s completion id 0x%llx matches no buffer the host holds: ignored\n",
			   nn->ndev->name, ring, cqe->id);
	return false;
}

/* Posts every RX buffer the host does not hold. */
static void nxnet_rx_fill(struct nxnet *nn)
{
	struct ion_sqe *sqe;
	unsigned int buf;

	if (!nn->rx_unposted)
		return;
	for_each_clear_bit(buf, nn->rx_posted, nn->rx_n) {
		if (nexus_ion_sq_reserve(nn->rxq, &sqe))
			break;
		sqe->opcode = ION_OP_NET_RX;
		sqe->len = nn->buf_size;
		sqe->data_off = nn->data_off + nxnet_buf_off(nn, buf);
		nn->rx_seq[buf]++;
		sqe->id = (u64)nn->rx_seq[buf] << 32 | buf;
		nexus_ion_sq_submit(nn->rxq);
		__set_bit(buf, nn->rx_posted);
		nn->rx_unposted--;
	}
	nexus_ion_sq_kick(nn->rxq);
}

static void nxnet_rx_one(struct nxnet *nn, const struct ion_cqe *cqe)
{
	struct net_device *ndev = nn->ndev;
	u32 buf = lower_32_bits(cqe->id);
	struct sk_buff *skb;

	if (!nxnet_id_ok(nn, cqe, nn->rx_posted, nn->rx_seq, nn->rx_n, "RX")) {
		ndev->stats.rx_errors++;
		return;
	}
	__clear_bit(buf, nn->rx_posted);
	nn->rx_unposted++;
	if (cqe->status || cqe->len < ETH_HLEN || cqe->len > nn->buf_size) {
		ndev->stats.rx_errors++;
		if (cqe->status == -EMSGSIZE || !cqe->status)
			ndev->stats.rx_length_errors++;
		return;
	}
	skb = napi_alloc_skb(&nn->napi, cqe->len);
	if (!skb) {
		ndev->stats.rx_dropped++;
		return;
	}
	skb_put_data(skb, nn->data + nxnet_buf_off(nn, buf), cqe->len);
	skb->protocol = eth_type_trans(skb, ndev);
	ndev->stats.rx_packets++;
	ndev->stats.rx_bytes += cqe->len;
	napi_gro_receive(&nn->napi, skb);
}

static void nxnet_tx_reclaim(struct nxnet *nn)
{
	struct net_device *ndev = nn->ndev;
	struct ion_cqe cqe;
	bool freed = false;

	spin_lock(&nn->tx_lock);
	while (nexus_ion_cq_pop(nn->txq, &cqe)) {
		if (!nxnet_id_ok(nn, &cqe, nn->tx_busy, nn->tx_seq, nn->tx_n, "TX"))
			continue;
		__clear_bit(lower_32_bits(cqe.id), nn->tx_busy);
		nn->tx_inflight--;
		freed = true;
		if (cqe.status)
			ndev->stats.tx_errors++;
	}
	if (freed && netif_queue_stopped(ndev))
		netif_wake_queue(ndev);
	spin_unlock(&nn->tx_lock);
}

static void nxnet_schedule(struct nxnet *nn)
{
	if (napi_schedule_prep(&nn->napi)) {
		nexus_ion_cq_disable(nn->rxq);
		nexus_ion_cq_disable(nn->txq);
		__napi_schedule(&nn->napi);
	}
}

/* The valve's notify callback, in hard-IRQ context. */
static void nxnet_notify(void *data)
{
	nxnet_schedule(data);
}

static int nxnet_poll(struct napi_struct *napi, int budget)
{
	struct nxnet *nn = container_of(napi, struct nxnet, napi);
	struct ion_cqe cqe;
	int done = 0;

	nxnet_tx_reclaim(nn);
	while (done < budget && nexus_ion_cq_pop(nn->rxq, &cqe)) {
		nxnet_rx_one(nn, &cqe);
		done++;
	}
	nxnet_rx_fill(nn);
	if (done >= budget)
		return done;

	nexus_ion_cq_enable(nn->rxq);
	nexus_ion_cq_enable(nn->txq);
	if (napi_complete_done(napi, done)) {
		/* A completion whose interrupt found NAPI still scheduled. */
		if (nexus_ion_cq_pending(nn->rxq) ||
		    nexus_ion_cq_pending(nn->txq))
			nxnet_schedule(nn);
	} else {
		nexus_ion_cq_disable(nn->rxq);
		nexus_ion_cq_disable(nn->txq);
	}
	return done;
}

static netdev_tx_t nxnet_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct nxnet *nn = netdev_priv(ndev);
	unsigned int len = skb->len, buf;
	struct ion_sqe *sqe;
	bool kick;
	int err;

	if (unlikely(len > nn->buf_size)) {
		ndev->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}

	spin_lock(&nn->tx_lock);
	buf = find_first_zero_bit(nn->tx_busy, nn->tx_n);
	err = buf < nn->tx_n ? nexus_ion_sq_reserve(nn->txq, &sqe) : -ENOSPC;
	if (err == -ENOSPC) {
		netif_stop_queue(ndev);
		spin_unlock(&nn->tx_lock);
		return NETDEV_TX_BUSY;
	}
	if (err) {
		spin_unlock(&nn->tx_lock);
		ndev->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	skb_copy_bits(skb, 0, nn->data + nxnet_buf_off(nn, nn->rx_n + buf), len);
	sqe->opcode = ION_OP_NET_TX;
	sqe->len = len;
	sqe->data_off = nn->data_off + nxnet_buf_off(nn, nn->rx_n + buf);
	nn->tx_seq[buf]++;
	sqe->id = (u64)nn->tx_seq[buf] << 32 | buf;
	nexus_ion_sq_submit(nn->txq);
	__set_bit(buf, nn->tx_busy);
	if (++nn->tx_inflight == nn->tx_n)
		netif_stop_queue(ndev);
	kick = (!netdev_xmit_more() || netif_queue_stopped(ndev)) &&
	       nexus_ion_sq_kick_prepare(nn->txq);
	spin_unlock(&nn->tx_lock);

	if (kick)
		nexus_ion_sq_notify(nn->txq);
	ndev->stats.tx_packets++;
	ndev->stats.tx_bytes += len;
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;
}

static int nxnet_open(struct net_device *ndev)
{
	struct nxnet *nn = netdev_priv(ndev);

	nxnet_rx_fill(nn);
	napi_enable(&nn->napi);
	/* One poll arms the completion events and takes what is pending. */
	local_bh_disable();
	nxnet_schedule(nn);
	local_bh_enable();
	if (nn->link_up)
		netif_carrier_on(ndev);
	netif_start_queue(ndev);
	return 0;
}

static int nxnet_stop(struct net_device *ndev)
{
	struct nxnet *nn = netdev_priv(ndev);

	netif_stop_queue(ndev);
	napi_disable(&nn->napi);
	netif_carrier_off(ndev);
	return 0;
}

static const struct net_device_ops nxnet_ops = {
	.ndo_open		= nxnet_open,
	.ndo_stop		= nxnet_stop,
	.ndo_start_xmit		= nxnet_xmit,
	.ndo_validate_addr	= eth_validate_addr,
};

/* Splits the data area into RX then TX buffers. */
static int nxnet_check(struct nxnet *nn, const struct ion_valve *d)
{
	const struct ion_net_config *c = &d->config.net;
	u64 total;

	if (c->buf_size < ETH_HLEN + ETH_MIN_MTU || c->buf_size > NXNET_MAX_BUF) {
		pr_err("net%u: buffer size %u (want %u to %u)\n", d->id,
		       c->buf_size, ETH_HLEN + ETH_MIN_MTU, NXNET_MAX_BUF);
		return -EINVAL;
	}
	nn->buf_size = c->buf_size;
	total = div_u64(d->data_size, c->buf_size);
	nn->rx_n = min_t(u64, d->queues[ION_NET_QUEUE_RX].entries, total / 2);
	nn->tx_n = min_t(u64, d->queues[ION_NET_QUEUE_TX].entries, total - nn->rx_n);
	if (!nn->rx_n || !nn->tx_n) {
		pr_err("net%u: data area of 0x%llx bytes holds no RX and TX buffer of %u bytes\n",
		       d->id, d->data_size, c->buf_size);
		return -EINVAL;
	}
	nn->data = nexus_ion_valve_data(nn->valve, 0,
					(u64)(nn->rx_n + nn->tx_n) * nn->buf_size);
	nn->data_off = d->data_off;
	nn->link_up = c->flags & ION_NET_F_LINK_UP;
	return 0;
}

static void nxnet_free(struct nxnet *nn)
{
	nexus_ion_put_valve(nn->valve);
	bitmap_free(nn->rx_posted);
	bitmap_free(nn->tx_busy);
	kfree(nn->rx_seq);
	kfree(nn->tx_seq);
	free_netdev(nn->ndev);
}

static int nxnet_alloc_bufs(struct nxnet *nn)
{
	nn->rx_posted = bitmap_zalloc(nn->rx_n, GFP_KERNEL);
	nn->tx_busy = bitmap_zalloc(nn->tx_n, GFP_KERNEL);
	nn->rx_seq = kcalloc(nn->rx_n, sizeof(u32), GFP_KERNEL);
	nn->tx_seq = kcalloc(nn->tx_n, sizeof(u32), GFP_KERNEL);
	if (!nn->rx_posted || !nn->tx_busy || !nn->rx_seq || !nn->tx_seq)
		return -ENOMEM;
	/* Ids of buffers a previous load posted cannot match these. */
	get_random_bytes(nn->rx_seq, nn->rx_n * sizeof(u32));
	get_random_bytes(nn->tx_seq, nn->tx_n * sizeof(u32));
	nn->rx_unposted = nn->rx_n;
	return 0;
}

static int nxnet_add(u16 id)
{
	const struct ion_valve *d;
	const struct ion_net_config *c;
	struct net_device *ndev;
	struct nxnet *nn;
	int ret;

	ndev = alloc_etherdev(sizeof(*nn));
	if (!ndev)
		return -ENOMEM;
	nn = netdev_priv(ndev);
	nn->ndev = ndev;
	spin_lock_init(&nn->tx_lock);
	nn->valve = nexus_ion_get_valve(ION_VALVE_NET, id);
	if (IS_ERR(nn->valve)) {
		ret = PTR_ERR(nn->valve);
		free_netdev(ndev);
		return ret;
	}
	d = nexus_ion_valve_desc(nn->valve);
	c = &d->config.net;
	nn->rxq = nexus_ion_valve_queue(nn->valve, ION_NET_QUEUE_RX);
	nn->txq = nexus_ion_valve_queue(nn->valve, ION_NET_QUEUE_TX);
	ret = nxnet_check(nn, d);
	if (!ret)
		ret = nxnet_alloc_bufs(nn);
	if (ret)
		goto err_free;

	snprintf(ndev->name, IFNAMSIZ, "nx%u", id);
	SET_NETDEV_DEV(ndev, nexus_ion_valve_dev(nn->valve));
	ndev->netdev_ops = &nxnet_ops;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = nn->buf_size - ETH_HLEN;
	ndev->mtu = c->mtu ? clamp_t(u32, c->mtu, ndev->min_mtu, ndev->max_mtu)
			   : min_t(u32, ETH_DATA_LEN, ndev->max_mtu);
	if (c->mtu && ndev->mtu != c->mtu)
		pr_warn("net%u: MTU %u does not fit %u-byte buffers: using %u\n",
			id, c->mtu, nn->buf_size, ndev->mtu);
	if (is_valid_ether_addr(c->mac)) {
		eth_hw_addr_set(ndev, c->mac);
	} else {
		eth_hw_addr_random(ndev);
		pr_warn("net%u: invalid MAC %pM: using %pM\n", id, c->mac,
			ndev->dev_addr);
	}
	netif_napi_add(ndev, &nn->napi, nxnet_poll);
	netif_carrier_off(ndev);
	nexus_ion_valve_set_notify(nn->valve, nxnet_notify, nn);

	ret = register_netdev(ndev);
	if (ret) {
		nexus_ion_valve_clear_notify(nn->valve);
		goto err_free;
	}
	pr_info("network bridge ready on %s (mac %pM mtu %u)\n", ndev->name,
		ndev->dev_addr, ndev->mtu);
	nxnet_devs[nxnet_nr_devs++] = nn;
	return 0;

err_free:
	nxnet_free(nn);
	return ret;
}

static void nxnet_remove(struct nxnet *nn)
{
	unregister_netdev(nn->ndev);
	nexus_ion_valve_clear_notify(nn->valve);
	nxnet_free(nn);
}

static int __init nxnet_init(void)
{
	u16 ids[NXNET_MAX_DEVS];
	int i, n, ret;

	n = nexus_ion_find_valves(ION_VALVE_NET, ids, ARRAY_SIZE(ids));
	if (n < 0) {
		pr_err("nexus_ion is not bound to an ION window: no network bridge\n");
		return -ENODEV;
	}
	if (!n) {
		pr_err("the ION window has no net valve\n");
		return -ENODEV;
	}
	for (i = 0; i < n; i++) {
		ret = nxnet_add(ids[i]);
		if (ret)
			pr_err("net%u: no device: %d\n", ids[i], ret);
	}
	return nxnet_nr_devs ? 0 : -ENODEV;
}

static void __exit nxnet_exit(void)
{
	while (nxnet_nr_devs)
		nxnet_remove(nxnet_devs[--nxnet_nr_devs]);
}

module_init(nxnet_init);
module_exit(nxnet_exit);

MODULE_DESCRIPTION("NipCell network bridge: nx devices on ION net valves");
MODULE_LICENSE("GPL");
