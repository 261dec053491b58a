// SPDX-License-Identifier: GPL-2.0
/*
 * The service thread: one io_uring carries the doorbell and control eventfd
 * reads, every backend operation and the timeout a throttled queue waits
 * for (budget.c). The thread sleeps in io_uring_submit_and_wait() when
 * nothing is in flight and no doorbell rang.
 *
 * The ring starts disabled; the files and the window (as one fixed buffer)
 * are registered, the opcodes restricted to those the valves use, then the
 * ring is enabled.
 */
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

#define ION_URING_SQ		256
/*
 * COOP_TASKRUN: completions' task work runs when the service thread enters
 * the kernel (it does so every pass) instead of interrupting it with an
 * IPI. SINGLE_ISSUER/DEFER_TASKRUN would go further, but they tie the ring
 * to one task, and this ring outlives its thread (ion_host_stop(),
 * ion_host_reset() and ion_host_poll() serve it from the caller's).
 */
#define ION_URING_COOP		IORING_SETUP_COOP_TASKRUN
/*
 * A stop is bounded: backend I/O still in flight this long after the stop
 * began is cancelled (IORING_OP_ASYNC_CANCEL), and the host waits no longer
 * than ION_STOP_LIMIT_MS for it before it syncs the disks and returns.
 */
#define ION_STOP_GRACE_MS	250
#define ION_STOP_LIMIT_MS	2000
#define ION_STOP_TICK_MS	50	/* how often a stopping thread looks */

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static unsigned pow2_up(unsigned x)
{
	unsigned p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

static int register_files(struct ion_host *h)
{
	int n = 0;

	h->files[n++] = h->ctl_fd;
	for (unsigned i = 0; i < h->nr_valves; i++) {
		struct ion_hvalve *v = h->valves[i];

		for (unsigned q = 0; q < v->desc.nr_queues; q++) {
			v->q[q].doorbell_fixed = n;
			h->files[n++] = v->q[q].doorbell_fd;
		}
		if (v->fd >= 0) {
			v->fd_fixed = n;
			h->files[n++] = v->fd;
		}
	}
	h->nr_files = n;
	return io_uring_register_files(&h->ring, h->files, n);
}

/*
 * liburing 2.3 (Debian 12) has io_uring_register_restrictions() and
 * io_uring_enable_rings() in its headers and static library, but its shared
 * library does not export them (missing from liburing.map), so these two
 * register calls are made directly.
 */
static int uring_register(struct ion_host *h, unsigned op, void *arg,
			  unsigned n)
{
	long rc = syscall(__NR_io_uring_register, h->ring.ring_fd, op, arg, n);

	return rc < 0 ? -errno : 0;
}

static int restrict_ring(struct ion_host *h)
{
	static const uint8_t ops[] = {
		IORING_OP_READ, IORING_OP_WRITE, IORING_OP_READ_FIXED,
		IORING_OP_WRITE_FIXED, IORING_OP_FSYNC, IORING_OP_FALLOCATE,
		IORING_OP_ASYNC_CANCEL,
		IORING_OP_TIMEOUT,	/* budgets: a throttled queue may go */
		IORING_OP_URING_CMD,	/* export valves: ublk FETCH/COMMIT */
	};
	struct io_uring_restriction res[ARRAY_SIZE(ops) + 1];
	unsigned n = 0;

	memset(res, 0, sizeof(res));
	for (; n < ARRAY_SIZE(ops); n++) {
		res[n].opcode = IORING_RESTRICTION_SQE_OP;
		res[n].sqe_op = ops[n];
	}
	res[n].opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED;
	res[n].sqe_flags = IOSQE_FIXED_FILE;
	return uring_register(h, IORING_REGISTER_RESTRICTIONS, res, n + 1);
}

int ion_ring_setup(struct ion_host *h, char *err, size_t errlen)
{
	struct io_uring_params p;
	struct iovec iov = { h->win, h->size };
	unsigned need = 4;
	int rc;

	for (unsigned i = 0; i < h->nr_valves; i++)
		need += h->valves[i]->desc.nr_queues *
			(h->valves[i]->desc.queues[0].entries + 2);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_R_DISABLED | IORING_SETUP_CQSIZE | ION_URING_COOP;
	/* CQSIZE must not be below the SQ size (EINVAL on Linux 6.1). */
	p.cq_entries = pow2_up(2 * need < ION_URING_SQ ? ION_URING_SQ : 2 * need);
	rc = io_uring_queue_init_params(ION_URING_SQ, &h->ring, &p);
	if (rc == -EINVAL && (p.flags & ION_URING_COOP)) {
		/* Before Linux 5.19: without it. */
		p.flags &= ~ION_URING_COOP;
		rc = io_uring_queue_init_params(ION_URING_SQ, &h->ring, &p);
	}
	if (rc < 0)
		return nc_errf(rc, err, errlen, "io_uring setup: %s", strerror(-rc));
	h->ring_ok = true;
	if (!(p.features & IORING_FEAT_NODROP))
		return nc_errf(-EOPNOTSUPP, err, errlen,
				"io_uring: kernel lacks IORING_FEAT_NODROP (Linux 5.5)");
	/* Without it liburing's timed waits queue IORING_OP_TIMEOUT SQEs of
	 * their own, which would complete into this ring's CQ. */
	if (!(p.features & IORING_FEAT_EXT_ARG))
		return nc_errf(-EOPNOTSUPP, err, errlen,
				"io_uring: kernel lacks IORING_FEAT_EXT_ARG (Linux 5.11)");
	rc = register_files(h);
	if (rc < 0)
		return nc_errf(rc, err, errlen, "io_uring: registering %d files: %s",
				h->nr_files, strerror(-rc));
	rc = io_uring_register_buffers(&h->ring, &iov, 1);
	if (rc < 0)
		return nc_errf(rc, err, errlen,
				"io_uring: registering the 0x%llx-byte window as a fixed buffer: %s%s",
				(unsigned long long)h->size, strerror(-rc),
				rc == -ENOMEM ? " (RLIMIT_MEMLOCK too low?)" : "");
	rc = restrict_ring(h);
	if (!rc)
		rc = uring_register(h, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
	if (rc < 0)
		return nc_errf(rc, err, errlen, "io_uring: restricting the ring: %s",
				strerror(-rc));
	return 0;
}

/* An SQE; submits what is queued when the SQ is full. */
struct io_uring_sqe *ion_get_sqe(struct ion_host *h)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&h->ring);

	while (!sqe) {
		io_uring_submit(&h->ring);
		sqe = io_uring_get_sqe(&h->ring);
	}
	return sqe;
}

static void arm_read(struct ion_host *h, unsigned fixed, uint64_t *buf,
		     uint64_t ud, bool *armed)
{
	struct io_uring_sqe *sqe = ion_get_sqe(h);

	io_uring_prep_read(sqe, fixed, buf, sizeof(*buf), 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->user_data = ud;
	*armed = true;
}

/*
 * At every thread start: the eventfd reads that are not queued. A read the
 * kernel still holds stays (no second one on the same buffer); one that
 * went with the thread that queued it (io_uring cancels a task's pending
 * reads when it exits) is queued again, here or when its -ECANCELED
 * arrives (dispatch()).
 */
static void arm_all(struct ion_host *h)
{
	if (!h->ctl_armed)
		arm_read(h, 0, &h->ctl_buf, ion_ud(ION_UD_CTL, 0, 0, 0),
			 &h->ctl_armed);
	for (unsigned i = 0; i < h->nr_valves; i++)
		for (unsigned q = 0; q < h->valves[i]->desc.nr_queues; q++) {
			struct ion_hq *hq = &h->valves[i]->q[q];

			if (!hq->doorbell_armed)
				arm_read(h, hq->doorbell_fixed, &hq->doorbell_buf,
					 ion_ud(ION_UD_DOORBELL, i, q, 0),
					 &hq->doorbell_armed);
		}
}

/* An eventfd read finished with res: queue it again unless the fd is gone. */
static bool rearm(int res)
{
	return res == sizeof(uint64_t) || res == -ECANCELED;
}

static void dispatch(struct ion_host *h, uint64_t ud, int res)
{
	unsigned vi = ION_UD_VALVE(ud), qi = ION_UD_QUEUE(ud);
	struct ion_hvalve *v;

	switch (ION_UD_KIND(ud)) {
	case ION_UD_CTL:
		h->ctl_armed = false;
		if (rearm(res))
			arm_read(h, 0, &h->ctl_buf, ud, &h->ctl_armed);
		break;
	case ION_UD_DOORBELL:
		v = h->valves[vi];
		v->q[qi].doorbell_armed = false;
		if (!rearm(res))
			break;	/* the ring is going away */
		if (res == sizeof(uint64_t))
			ion_stat_add(&v->st.doorbells, 1);
		arm_read(h, v->q[qi].doorbell_fixed, &v->q[qi].doorbell_buf, ud,
			 &v->q[qi].doorbell_armed);
		break;
	case ION_UD_IO:
		h->inflight_io--;
		v = h->valves[vi];
		v->ops->complete(&v->q[qi], ION_UD_TAG(ud), res);
		break;
	case ION_UD_TIMER:
		/* -ETIME: it expired; anything else would leave a queue stuck. */
		if (res != -ETIME && res != -ECANCELED && res != 0 && !h->timer_err)
			h->timer_err = res < 0 ? res : -EIO;
		if (ION_UD_TAG(ud) == h->timer_seq)
			h->timer_ns = 0;
		break;
	case ION_UD_UBLK:
		/* not backend I/O: ublk holds these until a request comes */
		v = h->valves[vi];
		v->ops->complete(&v->q[qi], ION_UD_TAG(ud), res);
		break;
	default:
		break;
	}
}

static void begin_stop(struct ion_host *h)
{
	struct ion_header *hdr = h->win;

	h->stopping = true;
	h->stop_ms = mono_ms();
	h->cancelled = false;
	__atomic_store_n(&hdr->host_state, ION_HOST_STOPPING, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < h->nr_valves; i++) {
		struct ion_hvalve *v = h->valves[i];

		for (unsigned q = 0; q < v->desc.nr_queues; q++)
			if (v->ops->cancel)
				v->ops->cancel(&v->q[q]);
	}
}

/* Asks the kernel to cancel the backend operation of every busy request. */
static void cancel_inflight(struct ion_host *h)
{
	for (unsigned i = 0; i < h->nr_valves; i++) {
		struct ion_hvalve *v = h->valves[i];

		if (v->fd < 0)
			continue;
		for (unsigned q = 0; q < v->desc.nr_queues; q++)
			for (uint32_t t = 0; t < v->q[q].entries; t++) {
				struct io_uring_sqe *sqe;

				if (!v->q[q].reqs[t].busy)
					continue;
				sqe = ion_get_sqe(h);
				io_uring_prep_cancel64(sqe, ion_ud(ION_UD_IO, i, q, t), 0);
				sqe->user_data = ion_ud(ION_UD_CANCEL, i, q, t);
			}
	}
}

/*
 * While stopping: after the grace period, cancel what is still in flight.
 * Returns -ETIMEDOUT once the stop took ION_STOP_LIMIT_MS, else 0.
 */
static int stop_tick(struct ion_host *h)
{
	int64_t spent = mono_ms() - h->stop_ms;

	if (!h->inflight_io)
		return 0;
	if (!h->cancelled && spent >= ION_STOP_GRACE_MS) {
		h->cancelled = true;
		cancel_inflight(h);
	}
	return spent >= ION_STOP_LIMIT_MS ? -ETIMEDOUT : 0;
}

/*
 * A throttled queue waits until h->wake_ns: an absolute io_uring timeout
 * makes sure the thread wakes up then (and does not wait on its own, so the
 * thread never spins). A timeout already armed for no later is enough;
 * a later one that is still pending only brings a spare pass.
 */
static void arm_timer(struct ion_host *h)
{
	struct io_uring_sqe *sqe;
	int64_t at = h->wake_ns;

	if (!at || (h->timer_ns && h->timer_ns <= at))
		return;
	h->timer_ts.tv_sec = at / 1000000000LL;
	h->timer_ts.tv_nsec = at % 1000000000LL;
	sqe = ion_get_sqe(h);
	io_uring_prep_timeout(sqe, &h->timer_ts, 0, IORING_TIMEOUT_ABS);
	sqe->user_data = ion_ud(ION_UD_TIMER, 0, 0, ++h->timer_seq);
	h->timer_ns = at;
}

/* Serves each queue of v once; true when one stopped at its per-pass cap. */
static bool service_valve(struct ion_hvalve *v)
{
	bool more = false;

	if (v->broken || !ion_valve_layout_ok(v))
		return false;
	if (v->ops->cost)
		ion_budget_pick_up(v);
	for (unsigned q = 0; q < v->desc.nr_queues && !v->broken; q++)
		more |= v->ops->service ? v->ops->service(&v->q[q]) :
					  ion_queue_service(&v->q[q]);
	return more;
}

/*
 * Reaps finished I/O, takes new requests (unless stopping), notifies; what
 * it queued is left for the caller to submit. Returns a negative errno, or
 * the number of valves with SQ entries left over by the per-queue cap: the
 * caller must not sleep before the next pass then.
 */
static int service_pass(struct ion_host *h, bool wait, int timeout_ms)
{
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;
	int rc, more = 0;

	if (wait && h->inflight_io) {
		struct __kernel_timespec ts = {
			.tv_sec = timeout_ms / 1000,
			.tv_nsec = (timeout_ms % 1000) * 1000000L,
		};

		io_uring_submit(&h->ring);
		rc = io_uring_wait_cqe_timeout(&h->ring, &cqe, &ts);
		if (rc < 0 && rc != -ETIME && rc != -EINTR)
			return rc;
	}
	h->now_ns = 0;		/* read again when a budget needs it */
	h->wake_ns = 0;
	io_uring_for_each_cqe(&h->ring, head, cqe) {
		dispatch(h, cqe->user_data, cqe->res);
		n++;
	}
	io_uring_cq_advance(&h->ring, n);
	if (h->timer_err)
		return h->timer_err;
	for (unsigned i = 0; i < h->nr_valves; i++) {
		struct ion_hvalve *v = h->valves[i];

		if (v == h->input) {
			/* Held for one capped pass at most: injection waits little. */
			pthread_mutex_lock(&v->lock);
			if (!h->stopping)
				more += service_valve(v);
			ion_valve_notify(v);
			pthread_mutex_unlock(&v->lock);
			continue;
		}
		if (!h->stopping)
			more += service_valve(v);
		ion_valve_notify(v);
	}
	if (!h->stopping)
		arm_timer(h);
	return more;
}

/* One service pass, and submit what it queued. */
int ion_service_pass(struct ion_host *h, bool wait, int timeout_ms)
{
	int rc = service_pass(h, wait, timeout_ms);

	if (rc >= 0)
		rc = io_uring_submit(&h->ring);
	return rc < 0 ? rc : 0;
}

static void sync_disks(struct ion_host *h)
{
	for (unsigned i = 0; i < h->nr_valves; i++)
		if (h->valves[i]->ops->sync)
			h->valves[i]->ops->sync(h->valves[i]);
}

/*
 * The thread ended with rc on its own: nothing serves the valves any more.
 * Every valve is marked broken (with an interrupt) and host_state becomes
 * STOPPING, so the guest sees it; the VMM learns it from fail_fd.
 */
static void thread_failed(struct ion_host *h, int rc)
{
	struct ion_header *hdr = h->win;
	uint64_t one = 1;

	h->stopping = true;
	__atomic_store_n(&hdr->host_state, ION_HOST_STOPPING, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < h->nr_valves; i++) {
		struct ion_hvalve *v = h->valves[i];

		pthread_mutex_lock(&v->lock);
		ion_valve_break(v, ION_ERR_HOST);
		pthread_mutex_unlock(&v->lock);
	}
	__atomic_store_n(&h->thread_err, rc, __ATOMIC_RELEASE);
	if (write(h->fail_fd, &one, sizeof(one)) != sizeof(one))
		return;	/* a full counter is readable already */
}

static int reset_now(struct ion_host *h);

/* ion_host_reset() while the thread runs: the thread resets, then goes on. */
static void thread_reset(struct ion_host *h)
{
	uint64_t one = 1;

	h->reset_rc = reset_now(h);
	io_uring_submit(&h->ring);
	__atomic_store_n(&h->reset_req, 0, __ATOMIC_RELEASE);
	if (write(h->reset_fd, &one, sizeof(one)) != sizeof(one))
		return;	/* readable already */
}

static void *service_thread(void *arg)
{
	struct ion_host *h = arg;
	int rc = h->spec.thread_enter ? h->spec.thread_enter(h->spec.thread_arg) : 0;

	if (rc < 0) {
		thread_failed(h, rc);
		return NULL;
	}
	arm_all(h);
	for (;;) {
		bool more;

		if (!h->stopping && __atomic_load_n(&h->stop_req, __ATOMIC_ACQUIRE))
			begin_stop(h);
		if (!h->stopping && __atomic_load_n(&h->reset_req, __ATOMIC_ACQUIRE))
			thread_reset(h);
		if (h->spec.fail_thread) {
			rc = h->spec.fail_thread;	/* test only */
			break;
		}
		rc = service_pass(h, false, 0);
		if (rc < 0)
			break;
		more = rc > 0;
		if (h->stopping && !h->inflight_io) {
			rc = io_uring_submit(&h->ring);
			break;
		}
		if (h->stopping) {
			struct __kernel_timespec ts = {
				.tv_nsec = ION_STOP_TICK_MS * 1000000L,
			};
			struct io_uring_cqe *cqe;

			rc = stop_tick(h);
			if (rc < 0)
				break;	/* given up on it: sync and return */
			rc = io_uring_submit_and_wait_timeout(&h->ring, &cqe, 1,
							      &ts, NULL);
			if (rc < 0 && rc != -ETIME && rc != -EINTR &&
			    rc != -EAGAIN && rc != -EBUSY)
				break;
			continue;
		}
		/*
		 * One syscall submits this pass's work and waits for the next;
		 * a queue left over by its cap means no waiting: every valve is
		 * served again at once.
		 */
		if (more)
			rc = io_uring_submit(&h->ring);
		else
			rc = io_uring_submit_and_wait(&h->ring, 1);
		/* -EBUSY: completions overflowed; the next pass reaps them. */
		if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY)
			break;
	}
	/* A timeout of this thread's goes with it (or fires to no effect). */
	h->timer_ns = 0;
	if (rc < 0 && !__atomic_load_n(&h->stop_req, __ATOMIC_ACQUIRE))
		thread_failed(h, rc);
	else
		__atomic_store_n(&h->thread_err, rc < 0 ? rc : 0, __ATOMIC_RELEASE);
	sync_disks(h);
	return NULL;
}

int ion_host_start(struct ion_host *h)
{
	sigset_t all, old;
	int rc;

	if (h->running)
		return -EBUSY;
	h->stop_req = 0;
	h->stopping = false;
	h->thread_err = 0;
	/* Signals go to the VMM's other threads. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = -pthread_create(&h->thread, NULL, service_thread, h);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!rc)
		h->running = true;
	return rc;
}

int ion_host_stop(struct ion_host *h)
{
	uint64_t one = 1;

	if (!h->running) {
		if (!h->stopping)
			begin_stop(h);
		while (h->inflight_io && !stop_tick(h) &&
		       ion_service_pass(h, true, ION_STOP_TICK_MS) == 0)
			;
		sync_disks(h);
		return h->inflight_io ? -ETIMEDOUT : 0;
	}
	__atomic_store_n(&h->stop_req, 1, __ATOMIC_RELEASE);
	if (write(h->ctl_fd, &one, sizeof(one)) != sizeof(one))
		return -errno;
	pthread_join(h->thread, NULL);
	h->running = false;
	return h->thread_err;
}

int ion_host_poll(struct ion_host *h, int timeout_ms)
{
	int rc;

	if (h->running)
		return -EBUSY;
	rc = ion_service_pass(h, false, 0);
	if (!rc && h->inflight_io && timeout_ms > 0)
		rc = ion_service_pass(h, true, timeout_ms);
	return rc < 0 ? rc : (int)h->inflight_io;
}

/*
 * Drains backend I/O, empties every ring, clears broken valves and re-seeds
 * the header. Export valves keep their host requests (h->resetting) for
 * the next guest. On the service thread when it runs, else the caller's.
 */
static int reset_now(struct ion_host *h)
{
	int tries = 100;

	h->resetting = true;
	if (!h->stopping)
		begin_stop(h);
	while (h->inflight_io && tries-- && !stop_tick(h))
		if (ion_service_pass(h, true, 100) < 0)
			break;
	if (h->inflight_io) {
		h->resetting = false;
		return -ETIMEDOUT;
	}
	for (unsigned i = 0; i < h->nr_valves; i++) {
		struct ion_hvalve *v = h->valves[i];

		pthread_mutex_lock(&v->lock);
		__atomic_store_n(&v->broken, false, __ATOMIC_RELEASE);
		v->error = ION_ERR_NONE;
		v->posted = false;
		for (unsigned q = 0; q < v->desc.nr_queues; q++)
			ion_queue_reset(&v->q[q]);
		pthread_mutex_unlock(&v->lock);
	}
	ion_seed(h);
	for (unsigned i = 0; i < h->nr_valves; i++)
		if (h->valves[i]->ops->reset)
			h->valves[i]->ops->reset(h->valves[i]);
	h->stopping = false;
	h->resetting = false;
	return 0;
}

int ion_host_reset(struct ion_host *h)
{
	struct pollfd p = { .fd = h->reset_fd, .events = POLLIN };
	uint64_t one = 1, cnt;

	if (!h->running)
		return reset_now(h);
	/* The thread must do it: ublk ties an export queue to that thread. */
	__atomic_store_n(&h->reset_req, 1, __ATOMIC_RELEASE);
	if (write(h->ctl_fd, &one, sizeof(one)) != sizeof(one))
		return -errno;
	/* It drains for at most ION_STOP_LIMIT_MS; allow twice that. */
	if (poll(&p, 1, 2 * ION_STOP_LIMIT_MS + 1000) <= 0)
		return -ETIMEDOUT;
	if (read(h->reset_fd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return -errno;
	return h->reset_rc;
}
