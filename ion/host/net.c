// SPDX-License-Identifier: GPL-2.0
/*
 * Net valve: Ethernet frames between the window and a tap device
 * (IFF_TAP | IFF_NO_PI), read and written through io_uring straight from
 * and into the guest's buffers. Queue 0 holds the guest's empty RX buffers,
 * each one a tap read in flight; queue 1 carries TX frames.
 */
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host.h"

/*
 * A tap we created gets the guest's MTU and is brought up. A named tap is
 * brought up if we may; its MTU (a bridge port's, say) is the admin's.
 */
static int tap_setup(struct ion_hvalve *v, bool created, char *err,
		     size_t errlen)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = 0;

	if (s < 0)
		return nc_errf(-errno, err, errlen, "net tap %s: socket: %s",
				v->tap, strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, v->tap, sizeof(v->tap));
	ifr.ifr_mtu = v->desc.config.net.mtu;
	if (created && ioctl(s, SIOCSIFMTU, &ifr) < 0) {
		rc = nc_errf(-errno, err, errlen, "net tap %s: mtu %u: %s",
			     v->tap, v->desc.config.net.mtu, strerror(errno));
		goto out;
	}
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		rc = nc_errf(-errno, err, errlen, "net tap %s: flags: %s",
			     v->tap, strerror(errno));
		goto out;
	}
	if (ifr.ifr_flags & IFF_UP)
		goto out;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0 && (created || errno != EPERM))
		rc = nc_errf(-errno, err, errlen, "net tap %s: up: %s", v->tap,
			     strerror(errno));
out:
	close(s);
	return rc;
}

static int net_open(struct ion_hvalve *v, char *err, size_t errlen)
{
	const struct ion_host_spec *s = &v->h->spec;
	struct ion_net_config *c = &v->desc.config.net;
	struct ifreq ifr;

	memcpy(c->mac, s->net_cfg.mac, sizeof(c->mac));
	c->mtu = s->net_cfg.mtu ? s->net_cfg.mtu : ION_HOST_NET_DEFAULT_MTU;
	c->buf_size = ION_HOST_NET_BUF_SIZE;
	c->flags = ION_NET_F_LINK_UP;
	v->null = s->net_cfg.null;
	if (v->null)
		return 0;
	/* Blocking: io_uring waits for readiness itself. */
	v->fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (v->fd < 0)
		return nc_errf(-errno, err, errlen, "net: /dev/net/tun: %s",
				strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (s->net_cfg.tap)
		strncpy(ifr.ifr_name, s->net_cfg.tap, sizeof(ifr.ifr_name) - 1);
	if (ioctl(v->fd, TUNSETIFF, &ifr) < 0)
		return nc_errf(-errno, err, errlen, "net tap %s: %s",
				s->net_cfg.tap ? s->net_cfg.tap : "(new)",
				strerror(errno));
	memcpy(v->tap, ifr.ifr_name, sizeof(v->tap) - 1);
	return tap_setup(v, !s->net_cfg.tap, err, errlen);
}

static int32_t net_check(const struct ion_hvalve *v, unsigned q,
			 const struct ion_sqe *s)
{
	const struct ion_net_config *c = &v->desc.config.net;

	if (s->opcode != ION_OP_NET_RX && s->opcode != ION_OP_NET_TX)
		return -EOPNOTSUPP;
	if (s->opcode != (q == ION_NET_QUEUE_RX ? ION_OP_NET_RX : ION_OP_NET_TX))
		return -EINVAL;
	if (s->flags || !ion_data_ok(v, s->data_off, s->len))
		return -EINVAL;
	if (s->opcode == ION_OP_NET_RX)
		return s->len < c->mtu + ION_HOST_ETH_VLAN_HLEN ? -EINVAL : 0;
	if (s->len < ION_ETH_HLEN)
		return -EINVAL;
	return s->len > c->mtu + ION_HOST_ETH_VLAN_HLEN ? -EMSGSIZE : 0;
}

static void net_submit(struct ion_hq *q, uint32_t tag)
{
	struct ion_hvalve *v = q->v;
	const struct ion_sqe *s = &q->reqs[tag].sqe;
	int32_t st = net_check(v, q->q, s);
	struct io_uring_sqe *sqe;
	void *buf;

	if (st) {
		ion_queue_post(q, tag, st, 0);
		return;
	}
	if (v->null) {
		/* TX is dropped; RX waits until stop or reset cancels it. */
		if (s->opcode == ION_OP_NET_TX)
			ion_queue_post(q, tag, 0, s->len);
		return;
	}
	sqe = ion_get_sqe(v->h);
	buf = ion_win_ptr(v, s->data_off);
	if (s->opcode == ION_OP_NET_RX)
		io_uring_prep_read_fixed(sqe, v->fd_fixed, buf, s->len, 0, 0);
	else
		io_uring_prep_write_fixed(sqe, v->fd_fixed, buf, s->len, 0, 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->user_data = ion_ud(ION_UD_IO, v->idx, q->q, tag);
	v->h->inflight_io++;
}

static void net_complete(struct ion_hq *q, uint32_t tag, int res)
{
	const struct ion_sqe *s = &q->reqs[tag].sqe;

	if (res < 0) {
		ion_queue_post(q, tag, res, 0);
	} else if (s->opcode == ION_OP_NET_TX && (uint32_t)res != s->len) {
		ion_queue_post(q, tag, -EIO, res);
	} else if (s->opcode == ION_OP_NET_RX && (res == 0 || (uint32_t)res > s->len)) {
		ion_queue_post(q, tag, -EIO, 0);
	} else {
		/* A frame arrived: its budget is paid now (see net_cost()). */
		if (s->opcode == ION_OP_NET_RX)
			ion_budget_charge(q->v, res, 1);
		ion_queue_post(q, tag, 0, res);
	}
}

/*
 * A TX frame costs its length and one operation when it is taken. An RX
 * buffer costs nothing when it is posted: the frame that fills it is
 * charged when it arrives (net_complete()), and while that leaves the
 * budget in debt no more requests of either queue are taken.
 */
static void net_cost(const struct ion_hq *q, const struct ion_sqe *s,
		     uint64_t *bytes, uint64_t *ops)
{
	bool tx = q->q == ION_NET_QUEUE_TX;

	*bytes = tx ? s->len : 0;
	*ops = tx ? 1 : 0;
}

/* Stop or reset: RX buffers would wait for a frame forever. */
static void net_cancel(struct ion_hq *q)
{
	struct ion_hvalve *v = q->v;

	if (q->q != ION_NET_QUEUE_RX)
		return;
	for (uint32_t t = 0; t < q->entries; t++) {
		struct ion_req *r = &q->reqs[t];
		struct io_uring_sqe *sqe;

		if (!r->busy || r->cancelled)
			continue;
		r->cancelled = true;
		if (v->null) {
			ion_queue_post(q, t, -ECANCELED, 0);
			continue;
		}
		sqe = ion_get_sqe(v->h);
		io_uring_prep_cancel64(sqe, ion_ud(ION_UD_IO, v->idx, q->q, t), 0);
		sqe->user_data = ion_ud(ION_UD_CANCEL, v->idx, q->q, t);
	}
}

static const struct ion_valve_ops net_ops = {
	.submit = net_submit,
	.complete = net_complete,
	.cancel = net_cancel,
	.cost = net_cost,
};

static unsigned net_count(const struct ion_host_spec *s)
{
	return s->net ? 1 : 0;
}

/* RX buffers, then TX buffers: one of each per ring entry. */
static uint64_t net_data_size(const struct ion_host_spec *s, unsigned id)
{
	(void)s;
	(void)id;
	return 2ULL * ION_NET_ENTRIES * ION_HOST_NET_BUF_SIZE;
}

static const struct ion_budget *net_budget(const struct ion_host_spec *s,
					   unsigned id)
{
	(void)id;
	return &s->net_cfg.budget;
}

const struct ion_valve_type ion_net_type = {
	.type = ION_VALVE_NET,
	.name = ION_VALVE_NET_NAME,
	.nr_queues = ION_NET_QUEUES,
	.entries = ION_NET_ENTRIES,
	.count = net_count,
	.data_size = net_data_size,
	.open = net_open,
	.ops = &net_ops,
	.budget = net_budget,
};
