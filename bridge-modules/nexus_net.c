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
 * There is no way to take a posted buffer back: a module loaded again finds
 * the RX buffers the last one posted still held by the host. It adopts them
 * (struct nxnet_bufs) instead of posting the same buffers twice.
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

/* The RX or the TX buffers and who holds them. */
struct nxnet_bufs {
	unsigned int n;
	unsigned int first;		/* index of buffer 0 in the data area */
	unsigned int nr_held;
	unsigned long *held;		/* the host holds the buffer */
	u32 *seq;			/* of the buffer's last SQE */
	/*
	 * Held since a previous load, with a seq we do not know: the next
	 * completion of the buffer is taken whatever its seq, until
	 * adopt_left (the requests that load left outstanding) completed.
	 */
	unsigned long *adopted;
	unsigned int adopt_left;
	const char *name;		/* "RX", "TX" */
};

struct nxnet {
	struct net_device *ndev;
	struct napi_struct napi;
	struct nexus_ion_valve *valve;
	struct nexus_ion_queue *rxq;
	struct nexus_ion_queue *txq;
	void *data;			/* the data area, in the window */
	u64 data_off;			/* its window offset */
	u32 buf_size;
	bool link_up;
	struct nxnet_bufs rx;		/* NAPI only (and ndo_open before it) */
	struct nxnet_bufs tx;		/* under tx_lock: xmit and NAPI */
	spinlock_t tx_lock;
};

static struct nxnet *nxnet_devs[NXNET_MAX_DEVS];
static unsigned int nxnet_nr_devs;

static u64 nxnet_buf_off(const struct nxnet *nn, const struct nxnet_bufs *b,
			 unsigned int buf)
{
	return (u64)(b->first + buf) * nn->buf_size;
}

/* Marks buf held and returns the id for its SQE. */
static u64 nxnet_bufs_post(struct nxnet_bufs *b, unsigned int buf)
{
	__set_bit(buf, b->held);
	b->nr_held++;
	b->seq[buf]++;
	return (u64)b->seq[buf] << 32 | buf;
}

/*
 * The buffer a completion returns, or -1 when its id matches no buffer the
 * host holds (then it is ignored with a ratelimited error).
 */
static int nxnet_bufs_take(struct nxnet *nn, struct nxnet_bufs *b,
			   const struct ion_cqe *cqe)
{
	u32 buf = lower_32_bits(cqe->id);
	unsigned int i;

	if (buf >= b->n || !test_bit(buf, b->held))
		goto bad;
	if (test_bit(buf, b->adopted)) {
		__clear_bit(buf, b->adopted);
		b->adopt_left--;
	} else if (b->seq[buf] != upper_32_bits(cqe->id)) {
		goto bad;
	}
	__clear_bit(buf, b->held);
	b->nr_held--;
	/* The previous load's requests are all back: the rest were free. */
	if (!b->adopt_left) {
		for_each_set_bit(i, b->adopted, b->n) {
			__clear_bit(i, b->held);
			b->nr_held--;
		}
		bitmap_zero(b->adopted, b->n);
	}
	return buf;
bad:
	pr_err_ratelimited("%s: %s completion id 0x%llx matches no buffer the host holds: ignored\n",
			   nn->ndev->name, b->name, cqe->id);
	return -1;
}

/* Posts every RX buffer the host does not hold. */
static void nxnet_rx_fill(struct nxnet *nn)
{
	struct nxnet_bufs *b = &nn->rx;
	struct ion_sqe *sqe;
	unsigned int buf;

	if (b->nr_held == b->n)
		return;
	for_each_clear_bit(buf, b->held, b->n) {
		if (nexus_ion_sq_reserve(nn->rxq, &sqe))
			break;
		sqe->opcode = ION_OP_NET_RX;
		sqe->len = nn->buf_size;
		sqe->data_off = nn->data_off + nxnet_buf_off(nn, b, buf);
		sqe->id = nxnet_bufs_post(b, buf);
		nexus_ion_sq_submit(nn->rxq);
	}
	nexus_ion_sq_kick(nn->rxq);
}

static void nxnet_rx_one(struct nxnet *nn, const struct ion_cqe *cqe)
{
	struct net_device *ndev = nn->ndev;
	struct sk_buff *skb;
	int buf;

	buf = nxnet_bufs_take(nn, &nn->rx, cqe);
	if (buf < 0 || cqe->status || cqe->len < ETH_HLEN ||
	    cqe->len > nn->buf_size) {
		ndev->stats.rx_errors++;
		if (buf >= 0 && (cqe->status == -EMSGSIZE || !cqe->status))
			ndev->stats.rx_length_errors++;
		return;
	}
	skb = napi_alloc_skb(&nn->napi, cqe->len);
	if (!skb) {
		ndev->stats.rx_dropped++;
		return;
	}
	skb_put_data(skb, nn->data + nxnet_buf_off(nn, &nn->rx, buf), cqe->len);
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
		if (nxnet_bufs_take(nn, &nn->tx, &cqe) < 0)
			continue;
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
	struct nxnet_bufs *b = &nn->tx;
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
	buf = find_first_zero_bit(b->held, b->n);
	err = buf < b->n ? nexus_ion_sq_reserve(nn->txq, &sqe) : -ENOSPC;
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
	skb_copy_bits(skb, 0, nn->data + nxnet_buf_off(nn, b, buf), len);
	sqe->opcode = ION_OP_NET_TX;
	sqe->len = len;
	sqe->data_off = nn->data_off + nxnet_buf_off(nn, b, buf);
	sqe->id = nxnet_bufs_post(b, buf);
	nexus_ion_sq_submit(nn->txq);
	if (b->nr_held == b->n)
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
	nn->rx.n = min_t(u64, d->queues[ION_NET_QUEUE_RX].entries, total / 2);
	nn->tx.n = min_t(u64, d->queues[ION_NET_QUEUE_TX].entries, total - nn->rx.n);
	nn->tx.first = nn->rx.n;
	if (!nn->rx.n || !nn->tx.n) {
		pr_err("net%u: data area of 0x%llx bytes holds no RX and TX buffer of %u bytes\n",
		       d->id, d->data_size, c->buf_size);
		return -EINVAL;
	}
	nn->data = nexus_ion_valve_data(nn->valve, 0,
					(u64)(nn->rx.n + nn->tx.n) * nn->buf_size);
	nn->data_off = d->data_off;
	nn->link_up = c->flags & ION_NET_F_LINK_UP;
	return 0;
}

static void nxnet_bufs_free(struct nxnet_bufs *b)
{
	bitmap_free(b->held);
	bitmap_free(b->adopted);
	kfree(b->seq);
}

static void nxnet_free(struct nxnet *nn)
{
	nexus_ion_put_valve(nn->valve);
	nxnet_bufs_free(&nn->rx);
	nxnet_bufs_free(&nn->tx);
	free_netdev(nn->ndev);
}

/*
 * Requests a previous load left outstanding on q hold buffers of b, which
 * ones is not known: all are adopted until that many came back.
 */
static int nxnet_bufs_init(struct nxnet_bufs *b, struct nexus_ion_queue *q,
			   const char *name, u16 id)
{
	u32 left = nexus_ion_queue_outstanding(q);

	b->name = name;
	b->held = bitmap_zalloc(b->n, GFP_KERNEL);
	b->adopted = bitmap_zalloc(b->n, GFP_KERNEL);
	b->seq = kcalloc(b->n, sizeof(*b->seq), GFP_KERNEL);
	if (!b->held || !b->adopted || !b->seq)
		return -ENOMEM;
	/* Ids of buffers a previous load posted cannot match these. */
	get_random_bytes(b->seq, b->n * sizeof(*b->seq));
	if (left) {
		pr_info("net%u: %u %s requests of a previous load are outstanding: adopting the %s buffers\n",
			id, left, name, name);
		b->adopt_left = min(left, b->n);
		bitmap_fill(b->held, b->n);
		bitmap_fill(b->adopted, b->n);
		b->nr_held = b->n;
	}
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
		ret = nxnet_bufs_init(&nn->rx, nn->rxq, "RX", id);
	if (!ret)
		ret = nxnet_bufs_init(&nn->tx, nn->txq, "TX", id);
	if (ret)
		goto err_free;

	snprintf(ndev->name, IFNAMSIZ, "nx%u", id);
	SET_NETDEV_DEV(ndev, nexus_ion_valve_dev(nn->valve));
	ndev->netdev_ops = &nxnet_ops;
	ndev->min_mtu = ETH_MIN_MTU;
	/*
	 * The host refuses frames longer than its configured MTU allows, so
	 * that MTU (within what a buffer holds) is also the most we offer.
	 */
	ndev->max_mtu = min_t(u32, nn->buf_size - ETH_HLEN,
			      c->mtu ? c->mtu : ETH_DATA_LEN);
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
