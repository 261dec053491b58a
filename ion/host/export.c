// SPDX-License-Identifier: GPL-2.0
/*
 * Export valve (ABI 1.1): the guest serves one of its block devices to the
 * host. The direction of queue 0 is reversed: the host produces the SQ
 * (struct ion_sqe, ION_OP_BLK_*) and consumes the CQ; the guest does the
 * I/O with its own driver and completes.
 *
 * The requests come from a ublk queue (Linux's drivers/block/ublk_drv.c)
 * that the VMM attaches (ion_host_export_attach()): ublk tag t owns data
 * slot t of the window, [data_off + t * slot_size, + slot_size), and that
 * slot is the buffer address given to ublk, so ublk copies a write's data
 * into the window before handing the request over and a read's data out
 * of it when the request is committed: no copy by the host. FETCH_REQ and
 * COMMIT_AND_FETCH_REQ are URING_CMDs on the service thread's one
 * io_uring; ublk binds a queue to the task that fetched it, so that thread
 * must live as long as the device (a guest restart resets the window from
 * inside the thread: ion_host_reset()).
 *
 * liburing 2.3 (Debian 12) has no helper for URING_CMD SQEs: they are
 * filled by hand. The I/O commands fit the 16 bytes a 64-byte SQE has for
 * a command (struct ublksrv_io_cmd); only ublk's control commands need
 * IORING_SETUP_SQE128 (vmm/ublk.c, a ring of its own).
 *
 * The guest is not trusted: the SQ cons and CQ prod it writes are checked
 * against the host's own indices, each completion's id, status and length
 * against the request in flight; any impossibility breaks the valve
 * (ION_ERR_SQ_INDEX, ION_ERR_CQ_INDEX, ION_ERR_CQ_ENTRY) and every host
 * request then completes with -EIO. At a guest restart (ion_host_reset())
 * the requests the guest held are kept and given to the next guest; at a
 * stop, or once broken, they fail with -EIO.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "export.h"

#define ION_SECTOR		512U
#define ION_EXPORT_MAX_RANGE	0xfffff000U	/* what fits ion_sqe.len */

static struct ion_ring *sq_ring(struct ion_hvalve *v) { return v->q[0].sq; }
static struct ion_ring *cq_ring(struct ion_hvalve *v) { return v->q[0].cq; }

static bool failing(struct ion_hvalve *v)
{
	return v->broken || __atomic_load_n(&v->exp->dead, __ATOMIC_ACQUIRE);
}

static uint64_t slot_off(struct ion_hvalve *v, uint32_t tag)
{
	return v->desc.data_off + (uint64_t)tag * v->desc.config.export.slot_size;
}

static void wake_vmm(struct ion_export *x)
{
	uint64_t one = 1;

	if (x->event_fd >= 0 && write(x->event_fd, &one, sizeof(one)) != sizeof(one))
		return;	/* a full counter is readable already */
}

/* Queues a FETCH_REQ or COMMIT_AND_FETCH_REQ for tag with result res. */
static void ublk_cmd(struct ion_hvalve *v, uint32_t tag, uint32_t op, int32_t res)
{
	struct ion_export *x = v->exp;
	struct io_uring_sqe *sqe = ion_get_sqe(v->h);
	struct ublksrv_io_cmd *cmd = (struct ublksrv_io_cmd *)sqe->cmd;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = x->cdev_fd;
	sqe->cmd_op = op;
	sqe->user_data = ion_ud(ION_UD_UBLK, v->idx, 0, tag);
	_Static_assert(sizeof(*cmd) <= 16, "ublksrv_io_cmd fits a 64-byte SQE");
	cmd->q_id = 0;
	cmd->tag = tag;
	cmd->result = res;
	cmd->addr = (uint64_t)(uintptr_t)ion_win_ptr(v, slot_off(v, tag));
	x->req[tag].st = XT_FETCH;
	x->cmds++;
}

static void commit(struct ion_hvalve *v, uint32_t tag, int32_t res)
{
	if (res < 0)
		ion_stat_add(&v->st.errors, 1);
	else
		ion_stat_add(&v->st.bytes, (uint32_t)res);
	ublk_cmd(v, tag, UBLK_IO_COMMIT_AND_FETCH_REQ, res);
}

/* The first fetch of every tag, once attached (service thread). */
static void fetch_all(struct ion_hvalve *v)
{
	struct ion_export *x = v->exp;

	if (x->fetched || x->cdev_fd < 0)
		return;
	x->fetched = true;
	for (uint32_t t = 0; t < v->q[0].entries; t++)
		ublk_cmd(v, t, UBLK_IO_FETCH_REQ, 0);
}

/* ublk's descriptor for tag, read once, as an ION request; -errno: refuse. */
static int32_t to_sqe(struct ion_hvalve *v, uint32_t tag, struct ion_sqe *s)
{
	const volatile struct ublksrv_io_desc *d = &v->exp->iod[tag];
	uint32_t opf = d->op_flags, n = d->nr_sectors;
	uint64_t start = d->start_sector;
	uint32_t slot = v->desc.config.export.slot_size;

	memset(s, 0, sizeof(*s));
	s->off = start;
	if ((uint64_t)n * ION_SECTOR > ION_EXPORT_MAX_RANGE)
		return -EINVAL;
	s->len = n * ION_SECTOR;
	switch (opf & 0xff) {
	case UBLK_IO_OP_READ:
		s->opcode = ION_OP_BLK_READ;
		break;
	case UBLK_IO_OP_WRITE:
		s->opcode = ION_OP_BLK_WRITE;
		if ((opf >> 8) & UBLK_IO_F_FUA)
			s->flags = ION_SQE_F_FUA;
		break;
	case UBLK_IO_OP_FLUSH:
		s->opcode = ION_OP_BLK_FLUSH;
		s->off = 0;
		s->len = 0;
		return 0;
	case UBLK_IO_OP_DISCARD:
		s->opcode = ION_OP_BLK_DISCARD;
		return 0;
	case UBLK_IO_OP_WRITE_ZEROES:
		s->opcode = ION_OP_BLK_WRITE_ZEROES;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
	if (!s->len || s->len > slot)
		return -EINVAL;
	s->data_off = slot_off(v, tag);
	return 0;
}

static void pend_push(struct ion_export *x, uint32_t entries, uint32_t tag)
{
	x->pend[(x->pend_head + x->pend_n++) & (entries - 1)] = tag;
	x->req[tag].st = XT_PENDING;
}

/* ublk handed over (or aborted) tag: the service thread's dispatch. */
static void export_complete(struct ion_hq *q, uint32_t tag, int res)
{
	struct ion_hvalve *v = q->v;
	struct ion_export *x = v->exp;

	if (tag >= q->entries)
		return;
	x->cmds--;
	if (res == UBLK_IO_RES_ABORT || res < 0) {
		/* stopping (-ENODEV), or a command ublk refused */
		x->req[tag].st = XT_GONE;
		return;
	}
	ion_stat_add(&v->st.requests, 1);
	if (failing(v))
		commit(v, tag, -EIO);	/* broken or shut down: fail at once */
	else
		pend_push(x, q->entries, tag);
}

/* Completes every request the guest held, and every pending one, with -EIO. */
static void fail_all(struct ion_hvalve *v)
{
	struct ion_export *x = v->exp;

	for (uint32_t t = 0; t < v->q[0].entries; t++)
		if (x->req[t].st == XT_GUEST || x->req[t].st == XT_PENDING)
			commit(v, t, -EIO);
	x->pend_n = 0;
	x->with_guest = 0;
}

static void export_break(struct ion_hvalve *v, uint32_t error)
{
	ion_valve_break(v, error);
	fail_all(v);
	wake_vmm(v->exp);
}

/* The guest's SQ cons: between the last one seen and the host's prod. */
static bool sq_refresh(struct ion_hvalve *v)
{
	struct ion_export *x = v->exp;
	uint32_t c = __atomic_load_n(&sq_ring(v)->cons, __ATOMIC_ACQUIRE);

	if ((uint32_t)(c - x->sq_cons) > (uint32_t)(x->sq_prod - x->sq_cons)) {
		export_break(v, ION_ERR_SQ_INDEX);
		return false;
	}
	x->sq_cons = c;
	return true;
}

/* Publishes pending requests while the SQ has room. */
static void submit_pending(struct ion_hvalve *v)
{
	struct ion_export *x = v->exp;
	struct ion_hq *q = &v->q[0];
	uint32_t old = x->sq_prod;

	while (x->pend_n && !v->broken) {
		uint32_t tag = x->pend[x->pend_head & (q->entries - 1)];
		struct xreq *r = &x->req[tag];
		int32_t st;

		if (x->sq_prod - x->sq_cons >= q->entries && !sq_refresh(v))
			return;
		if (x->sq_prod - x->sq_cons >= q->entries)
			break;
		x->pend_head++;
		x->pend_n--;
		st = to_sqe(v, tag, &r->sqe);
		if (st) {
			commit(v, tag, st);
			continue;
		}
		r->seq = ++x->seq;
		r->sqe.id = (uint64_t)r->seq << 32 | tag;
		q->sqes[x->sq_prod & (q->entries - 1)] = r->sqe;
		r->st = XT_GUEST;
		x->with_guest++;
		x->sq_prod++;
	}
	if (x->sq_prod != old)
		__atomic_store_n(&sq_ring(v)->prod, x->sq_prod, __ATOMIC_RELEASE);
}

/* Interrupts the guest when the SQ moved past the event it asked for. */
static void notify_guest(struct ion_hvalve *v)
{
	volatile __u64 *gf = &((struct ion_header *)v->h->win)->guest_features;
	struct ion_export *x = v->exp;
	uint64_t one = 1;
	uint32_t ev;

	if (x->sq_prod == x->sq_notified)
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ev = __atomic_load_n(&sq_ring(v)->event, __ATOMIC_RELAXED);
	if ((!(*gf & ION_F_EVENT_IDX) || ion_need_event(ev, x->sq_prod, x->sq_notified)) &&
	    write(v->irq_fd, &one, sizeof(one)) == sizeof(one))
		ion_stat_add(&v->st.interrupts, 1);
	x->sq_notified = x->sq_prod;
}

/* One completion from the guest, copied once: true when it was valid. */
static bool take_cqe(struct ion_hvalve *v, const struct ion_cqe *src)
{
	const volatile struct ion_cqe *e = src;
	struct ion_export *x = v->exp;
	uint64_t id = e->id;
	int32_t status = e->status;
	uint32_t len = e->len, tag = (uint32_t)id;
	struct xreq *r;
	int32_t res;

	if (tag >= v->q[0].entries)
		return false;
	r = &x->req[tag];
	if (r->st != XT_GUEST || r->seq != (uint32_t)(id >> 32))
		return false;
	if (status > 0 || status < -4095 || len > r->sqe.len)
		return false;
	r->st = XT_NONE;
	x->with_guest--;
	if (status)
		res = status;
	else if (r->sqe.opcode == ION_OP_BLK_READ || r->sqe.opcode == ION_OP_BLK_WRITE)
		res = len == r->sqe.len ? (int32_t)len : -EIO;	/* short: failed */
	else
		res = 0;
	commit(v, tag, res);
	return true;
}

/* Reaps the guest's completions; false when the valve broke. */
static bool reap(struct ion_hvalve *v)
{
	struct ion_export *x = v->exp;
	struct ion_hq *q = &v->q[0];
	uint32_t p = __atomic_load_n(&cq_ring(v)->prod, __ATOMIC_ACQUIRE);

	if ((uint32_t)(p - x->cq_cons) > x->with_guest) {
		export_break(v, ION_ERR_CQ_INDEX);
		return false;
	}
	while (x->cq_cons != p) {
		if (!take_cqe(v, &q->cqes[x->cq_cons & (q->entries - 1)])) {
			export_break(v, ION_ERR_CQ_ENTRY);
			return false;
		}
		x->cq_cons++;
	}
	__atomic_store_n(&cq_ring(v)->cons, x->cq_cons, __ATOMIC_RELEASE);
	return true;
}

/* The guest's device report: checked once, when it first appears. */
static void read_report(struct ion_hvalve *v)
{
	struct ion_export *x = v->exp;
	volatile struct ion_export_config *c =
		&((struct ion_header *)v->h->win)->valves[v->idx].config.export;
	uint32_t state = __atomic_load_n(&c->state, __ATOMIC_ACQUIRE);
	struct ion_export_geometry g, first;
	bool started;
	int rep;

	if (x->report || state == ION_EXPORT_S_NONE)
		return;
	pthread_mutex_lock(&v->lock);	/* the start thread sets started */
	started = x->started;
	first = x->geo;
	pthread_mutex_unlock(&v->lock);
	if (state != ION_EXPORT_S_READY) {
		int32_t e = c->error;

		rep = state == ION_EXPORT_S_FAILED && e < 0 && e >= -4095 ? e : -EIO;
		goto out;
	}
	memset(&g, 0, sizeof(g));
	g.capacity = c->capacity;
	g.logical_block_size = c->logical_block_size;
	g.physical_block_size = c->physical_block_size;
	g.max_sectors = c->max_sectors;
	g.flags = c->flags & (ION_BLK_F_RO | ION_BLK_F_FLUSH | ION_BLK_F_DISCARD |
			      ION_BLK_F_WRITE_ZEROES);
	g.max_discard_sectors = c->max_discard_sectors;
	g.max_write_zeroes_sectors = c->max_write_zeroes_sectors;
	g.discard_granularity = c->discard_granularity;
	if (!g.capacity || g.capacity > (1ULL << 50) ||
	    g.logical_block_size < ION_SECTOR || g.logical_block_size > 4096 ||
	    (g.logical_block_size & (g.logical_block_size - 1)) ||
	    g.physical_block_size < g.logical_block_size ||
	    g.physical_block_size > 65536 ||
	    (g.physical_block_size & (g.physical_block_size - 1)) ||
	    (started && (g.capacity != first.capacity ||
			 g.logical_block_size != first.logical_block_size))) {
		export_break(v, ION_ERR_EXPORT_CONFIG);
		rep = -EIO;
		goto out;
	}
	/* The host's own caps: a slot, and what ion_sqe.len carries. */
	if (!g.max_sectors || g.max_sectors > v->desc.config.export.slot_size / ION_SECTOR)
		g.max_sectors = v->desc.config.export.slot_size / ION_SECTOR;
	if (g.max_discard_sectors > ION_EXPORT_MAX_RANGE / ION_SECTOR)
		g.max_discard_sectors = ION_EXPORT_MAX_RANGE / ION_SECTOR;
	if (g.max_write_zeroes_sectors > ION_EXPORT_MAX_RANGE / ION_SECTOR)
		g.max_write_zeroes_sectors = ION_EXPORT_MAX_RANGE / ION_SECTOR;
	if (!(g.flags & ION_BLK_F_DISCARD))
		g.max_discard_sectors = 0;
	if (!(g.flags & ION_BLK_F_WRITE_ZEROES))
		g.max_write_zeroes_sectors = 0;
	if (!g.discard_granularity || g.discard_granularity % g.logical_block_size)
		g.discard_granularity = g.logical_block_size;
	rep = 1;
out:
	pthread_mutex_lock(&v->lock);
	if (rep == 1 && !x->started)
		x->geo = g;
	x->report = rep;
	pthread_mutex_unlock(&v->lock);
	wake_vmm(x);
}

/* The service pass for the export queue (ion_valve_ops.service). */
static bool export_service(struct ion_hq *q)
{
	struct ion_hvalve *v = q->v;
	struct ion_export *x = v->exp;

	fetch_all(v);
	read_report(v);
	if (failing(v)) {
		if (!v->broken)
			fail_all(v);
		return false;
	}
	for (int round = 0; round < 2; round++) {
		if (!reap(v) || !sq_refresh(v))
			return false;
		submit_pending(v);
		if (v->broken)
			return false;
		notify_guest(v);
		/* Idle: ask for a doorbell at the next completion, then re-check. */
		__atomic_store_n(&cq_ring(v)->event, x->cq_cons, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (__atomic_load_n(&cq_ring(v)->prod, __ATOMIC_ACQUIRE) == x->cq_cons)
			break;
	}
	return false;
}

static void export_submit(struct ion_hq *q, uint32_t tag)
{
	(void)q;
	(void)tag;	/* never called: the host produces this SQ */
}

/*
 * Stop or reset (begin_stop()). A reset (guest restart) keeps every
 * request: those the guest held go back to the front of the pending queue,
 * in their order, for the next guest. A stop fails them with -EIO.
 */
static void export_cancel(struct ion_hq *q)
{
	struct ion_hvalve *v = q->v;
	struct ion_export *x = v->exp;
	uint32_t order[ION_EXPORT_ENTRIES], n = 0;

	if (!v->h->resetting) {
		fail_all(v);
		return;
	}
	/* What the guest held, oldest (lowest seq) first: a tag is in one state. */
	for (;;) {
		uint32_t best = UINT32_MAX;

		for (uint32_t t = 0; t < q->entries; t++)
			if (x->req[t].st == XT_GUEST &&
			    (best == UINT32_MAX ||
			     (int32_t)(x->req[t].seq - x->req[best].seq) < 0))
				best = t;
		if (best == UINT32_MAX || n == ION_EXPORT_ENTRIES)
			break;
		x->req[best].st = XT_NONE;
		order[n++] = best;
	}
	for (uint32_t k = 0; k < x->pend_n && n < ION_EXPORT_ENTRIES; k++)
		order[n++] = x->pend[(x->pend_head + k) & (q->entries - 1)];
	x->pend_head = 0;
	x->pend_n = 0;
	x->with_guest = 0;
	for (uint32_t k = 0; k < n; k++)
		pend_push(x, q->entries, order[k]);
}

/* After ion_seed() re-seeded the rings: a new guest, the same requests. */
static void export_reset(struct ion_hvalve *v)
{
	struct ion_export *x = v->exp;
	uint32_t start = v->h->spec.ring_start;

	x->sq_prod = x->sq_cons = x->sq_notified = x->cq_cons = start;
	pthread_mutex_lock(&v->lock);
	x->report = 0;
	pthread_mutex_unlock(&v->lock);
}

static void export_release(struct ion_hvalve *v)
{
	struct ion_export *x = v->exp;

	if (!x)
		return;
	if (x->event_fd >= 0)
		close(x->event_fd);
	free(x->req);
	free(x->pend);
	free(x);
	v->exp = NULL;
}

static const struct ion_valve_ops export_ops = {
	.submit = export_submit,
	.complete = export_complete,
	.cancel = export_cancel,
	.release = export_release,
	.service = export_service,
	.reset = export_reset,
};

static unsigned export_count(const struct ion_host_spec *s)
{
	return s->nr_export;
}

static uint64_t export_data_size(const struct ion_host_spec *s, unsigned id)
{
	(void)s;
	(void)id;
	return (uint64_t)ION_EXPORT_ENTRIES * ION_EXPORT_SLOT;
}

static int export_open(struct ion_hvalve *v, char *err, size_t errlen)
{
	const char *dev = v->h->spec.export[v->desc.id].guest_device;
	struct ion_export_config *c = &v->desc.config.export;
	struct ion_export *x;

	if (!dev || !*dev || strlen(dev) >= sizeof(c->guest_device))
		return nc_errf(-EINVAL, err, errlen,
			       "export[%u]: guest_device must be 1 to %zu bytes",
			       v->desc.id, sizeof(c->guest_device) - 1);
	memcpy(c->guest_device, dev, strlen(dev) + 1);
	c->slot_size = ION_EXPORT_SLOT;
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	v->exp = x;
	x->cdev_fd = -1;
	x->dev_id = -1;
	x->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	x->req = calloc(ION_EXPORT_ENTRIES, sizeof(*x->req));
	x->pend = calloc(ION_EXPORT_ENTRIES, sizeof(*x->pend));
	if (x->event_fd < 0 || !x->req || !x->pend)
		return nc_errf(-ENOMEM, err, errlen, "export[%u]: out of memory",
			       v->desc.id);
	return 0;
}

const struct ion_valve_type ion_export_type = {
	.type = ION_VALVE_EXPORT,
	.name = ION_VALVE_EXPORT_NAME,
	.nr_queues = ION_EXPORT_QUEUES,
	.entries = ION_EXPORT_ENTRIES,
	.count = export_count,
	.data_size = export_data_size,
	.open = export_open,
	.ops = &export_ops,
	.noun = "export valve",
};
