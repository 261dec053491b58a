// SPDX-License-Identifier: GPL-2.0
/* The simulated guest: see sim_guest.h. */
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "sim_guest.h"

void *sim_ptr(struct sim_guest *g, uint64_t off)
{
	return (char *)g->win + off;
}

int sim_guest_bind(struct sim_guest *g, void *win, uint64_t size,
		   bool event_idx)
{
	struct ion_header *h = win;

	g->win = win;
	g->size = size;
	g->hdr = h;
	if (__atomic_load_n(&h->host_state, __ATOMIC_ACQUIRE) != ION_HOST_READY ||
	    h->magic != ION_MAGIC || h->abi_major != ION_ABI_MAJOR ||
	    h->window_size != size || h->header_size != ION_HEADER_SIZE ||
	    h->nr_valves > ION_MAX_VALVES) {
		h->guest_state = ION_GUEST_REFUSED;
		return -EPROTO;
	}
	h->guest_features = event_idx ? (h->features & ION_F_EVENT_IDX) : 0;
	__atomic_store_n(&h->guest_state, ION_GUEST_BOUND, __ATOMIC_RELEASE);
	return 0;
}

static bool ring_ok(struct sim_guest *g, uint64_t off, uint32_t entries,
		    uint32_t esize)
{
	return off % ION_ALIGN == 0 && off < g->size &&
	       ion_ring_bytes(entries, esize) <= g->size - off;
}

int sim_queue(struct sim_guest *g, unsigned v, unsigned q, int doorbell_fd,
	      int irq_fd, struct sim_q *sq)
{
	const struct ion_valve *d = &g->hdr->valves[v];
	const struct ion_queue *qd = &d->queues[q];
	uint32_t n = qd->entries;

	if (v >= g->hdr->nr_valves || q >= d->nr_queues || !n || (n & (n - 1)) ||
	    qd->sqe_size != sizeof(struct ion_sqe) ||
	    qd->cqe_size != sizeof(struct ion_cqe) ||
	    !ring_ok(g, qd->sq_off, n, qd->sqe_size) ||
	    !ring_ok(g, qd->cq_off, n, qd->cqe_size))
		return -EPROTO;
	sq->g = g;
	sq->valve = d;
	sq->sq = sim_ptr(g, qd->sq_off);
	sq->cq = sim_ptr(g, qd->cq_off);
	sq->sqes = (struct ion_sqe *)(sq->sq + 1);
	sq->cqes = (struct ion_cqe *)(sq->cq + 1);
	sq->entries = n;
	/* The host seeds the starting indices. */
	sq->sq_prod = __atomic_load_n(&sq->sq->prod, __ATOMIC_ACQUIRE);
	sq->cq_cons = __atomic_load_n(&sq->cq->cons, __ATOMIC_ACQUIRE);
	sq->doorbell_fd = doorbell_fd;
	sq->irq_fd = irq_fd;
	sq->doorbells = 0;
	return 0;
}

int sim_push(struct sim_q *q, const struct ion_sqe *e)
{
	uint32_t cons = __atomic_load_n(&q->sq->cons, __ATOMIC_ACQUIRE);

	if (q->sq_prod - cons >= q->entries)
		return -EBUSY;
	q->sqes[q->sq_prod & (q->entries - 1)] = *e;
	q->sq_prod++;
	return 0;
}

int sim_kick(struct sim_q *q)
{
	uint32_t old = __atomic_load_n(&q->sq->prod, __ATOMIC_RELAXED);
	bool ei = q->g->hdr->guest_features & ION_F_EVENT_IDX;
	uint64_t one = 1;

	if (old == q->sq_prod)
		return 0;
	__atomic_store_n(&q->sq->prod, q->sq_prod, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!ei || ion_need_event(__atomic_load_n(&q->sq->event, __ATOMIC_RELAXED),
				  q->sq_prod, old)) {
		q->doorbells++;
		if (q->doorbell_fd >= 0 && write(q->doorbell_fd, &one, 8) != 8)
			return -errno;
	}
	return 0;
}

int sim_submit(struct sim_q *q, const struct ion_sqe *e)
{
	int rc = sim_push(q, e);

	return rc ? rc : sim_kick(q);
}

int sim_reap(struct sim_q *q, struct ion_cqe *out)
{
	uint32_t prod = __atomic_load_n(&q->cq->prod, __ATOMIC_ACQUIRE);

	if (prod == q->cq_cons)
		return 0;
	*out = q->cqes[q->cq_cons & (q->entries - 1)];
	q->cq_cons++;
	__atomic_store_n(&q->cq->cons, q->cq_cons, __ATOMIC_RELEASE);
	return 1;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int sim_wait(struct sim_q *q, struct ion_cqe *out, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;

	for (;;) {
		uint64_t cnt;
		struct pollfd p = { .fd = q->irq_fd, .events = POLLIN };
		int left;

		if (sim_reap(q, out))
			return 1;
		/* Idle: ask for an interrupt at the next completion, re-check. */
		__atomic_store_n(&q->cq->event, q->cq_cons, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (sim_reap(q, out))
			return 1;
		left = (int)(end - now_ms());
		if (left <= 0)
			return 0;
		if (q->irq_fd < 0) {
			usleep(100);
			continue;
		}
		/* Short slices: queues sharing the valve's irq eat each other's. */
		if (poll(&p, 1, left < 10 ? left : 10) > 0 &&
		    read(q->irq_fd, &cnt, 8) != 8 && errno != EAGAIN)
			return -errno;
	}
}
