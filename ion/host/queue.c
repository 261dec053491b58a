// SPDX-License-Identifier: GPL-2.0
/*
 * The ring side of every valve: taking entries from a guest SQ, posting to
 * its CQ, deciding when to interrupt, and refusing a corrupt ring.
 *
 * Ordering follows the contract in ion.h: the host load-acquires the guest's
 * prod (SQ) and cons (CQ), copies an entry once before checking it, and
 * store-releases its own cons (SQ) and prod (CQ). Its own indices are kept
 * here and never read back from the window.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"

static struct ion_header *hdr(const struct ion_hvalve *v)
{
	return v->h->win;
}

void *ion_win_ptr(const struct ion_hvalve *v, uint64_t off)
{
	return (char *)v->h->win + off;
}

/* [off, off + len) lies inside the valve's data area. */
bool ion_data_ok(const struct ion_hvalve *v, uint64_t off, uint64_t len)
{
	uint64_t s = v->desc.data_off, n = v->desc.data_size;

	return off >= s && off - s <= n && len <= n - (off - s);
}

/* One read of each field: the guest may rewrite the entry meanwhile. */
static void sqe_copy(struct ion_sqe *d, const struct ion_sqe *src)
{
	const volatile struct ion_sqe *s = src;

	d->opcode = s->opcode;
	d->flags = s->flags;
	d->len = s->len;
	d->off = s->off;
	d->data_off = s->data_off;
	d->id = s->id;
}

void ion_valve_break(struct ion_hvalve *v, uint32_t error)
{
	struct ion_valve *g = &hdr(v)->valves[v->idx];
	uint64_t one = 1;

	if (v->broken)
		return;
	__atomic_store_n(&v->error, error, __ATOMIC_RELAXED);
	__atomic_store_n(&v->broken, true, __ATOMIC_RELEASE);
	ion_stat_add(&v->st.errors, 1);
	__atomic_store_n(&g->error, error, __ATOMIC_RELAXED);
	__atomic_store_n(&g->status, ION_VALVE_S_BROKEN, __ATOMIC_RELEASE);
	/* Always interrupt: the guest learns its valve is gone. */
	if (write(v->irq_fd, &one, sizeof(one)) == sizeof(one))
		ion_stat_add(&v->st.interrupts, 1);
}

/* The guest-visible descriptor still matches the seeded one. */
bool ion_valve_layout_ok(struct ion_hvalve *v)
{
	const volatile struct ion_valve *g = &hdr(v)->valves[v->idx];
	const struct ion_valve *d = &v->desc;
	bool ok = g->type == d->type && g->nr_queues == d->nr_queues &&
		  g->data_off == d->data_off && g->data_size == d->data_size;

	for (unsigned q = 0; ok && q < d->nr_queues; q++)
		ok = g->queues[q].sq_off == d->queues[q].sq_off &&
		     g->queues[q].cq_off == d->queues[q].cq_off &&
		     g->queues[q].entries == d->queues[q].entries;
	if (!ok)
		ion_valve_break(v, ION_ERR_LAYOUT);
	return ok;
}

/* Reads the guest's CQ cons; false (valve broken) when it is impossible. */
bool ion_queue_cq_refresh(struct ion_hq *q)
{
	uint32_t c = __atomic_load_n(&q->cq->cons, __ATOMIC_ACQUIRE);

	if ((uint32_t)(c - q->cq_cons) > (uint32_t)(q->cq_prod - q->cq_cons)) {
		ion_valve_break(q->v, ION_ERR_CQ_INDEX);
		return false;
	}
	q->cq_cons = c;
	return true;
}

static void tag_put(struct ion_hq *q, uint32_t tag)
{
	q->reqs[tag].busy = false;
	q->free_tags[q->nr_free++] = tag;
	q->inflight--;
}

/*
 * Completes request tag. The CQ has room: a request is only taken when
 * inflight + used CQ entries < entries (see ion_queue_service()).
 */
void ion_queue_post(struct ion_hq *q, uint32_t tag, int32_t status,
		    uint32_t len)
{
	struct ion_hvalve *v = q->v;
	struct ion_cqe *e;
	uint64_t id = q->reqs[tag].sqe.id;

	tag_put(q, tag);
	if (status < 0)
		ion_stat_add(&v->st.errors, 1);
	else
		ion_stat_add(&v->st.bytes, len);
	if (v->broken)
		return;
	e = &q->cqes[q->cq_prod & (q->entries - 1)];
	e->id = id;
	e->status = status;
	e->len = len;
	q->cq_prod++;
	__atomic_store_n(&q->cq->prod, q->cq_prod, __ATOMIC_RELEASE);
	v->posted = true;
}

/*
 * Takes the SQ entries the CQ has room for, but at most a ring's worth
 * (entries) per call, i.e. per service pass: a guest that refills its SQ as
 * fast as the host empties it (bad requests complete at once; input status
 * entries get no completion at all) would otherwise keep the service thread
 * in this queue for ever. Returns true when it stopped at that cap with
 * entries possibly left: the caller serves every other queue and comes back
 * without sleeping. Otherwise (drained, or stalled on a full CQ) it re-arms
 * the SQ event so that the next submission rings the doorbell. A queue
 * whose head request must wait for the valve's budget is left as it is
 * (budget.c): false, and the service thread's timeout comes back for it.
 */
bool ion_queue_service(struct ion_hq *q)
{
	struct ion_hvalve *v = q->v;
	bool credit = !v->ops->no_completions;
	uint32_t budget = q->entries;
	uint32_t prod;

	/* Waiting for its valve's budget: the timeout brings the thread back. */
	if (ion_budget_held(q))
		return false;
	for (;;) {
		prod = __atomic_load_n(&q->sq->prod, __ATOMIC_ACQUIRE);
		if ((uint32_t)(prod - q->sq_cons) > q->entries) {
			ion_valve_break(v, ION_ERR_SQ_INDEX);
			return false;
		}
		while (q->sq_cons != prod) {
			struct ion_sqe e;
			struct ion_req *r;
			uint32_t tag;

			if (!budget) {
				/* The rest waits for the next pass. */
				__atomic_store_n(&q->sq->cons, q->sq_cons,
						 __ATOMIC_RELEASE);
				return true;
			}
			if (credit) {
				if (!ion_queue_cq_refresh(q))
					return false;
				if (q->inflight + (q->cq_prod - q->cq_cons) >=
				    q->entries)
					break;
			}
			sqe_copy(&e, &q->sqes[q->sq_cons & (q->entries - 1)]);
			if (!ion_budget_admit(q, &e)) {
				/*
				 * Throttled: the entry stays in the ring (it
				 * is read again when the budget allows), and
				 * no doorbell is asked for meanwhile.
				 */
				__atomic_store_n(&q->sq->cons, q->sq_cons,
						 __ATOMIC_RELEASE);
				__atomic_store_n(&q->sq->event,
						 q->sq_cons + 0x80000000U,
						 __ATOMIC_RELAXED);
				return false;
			}
			tag = q->free_tags[--q->nr_free];
			r = &q->reqs[tag];
			memset(r, 0, sizeof(*r));
			r->sqe = e;
			r->busy = true;
			q->sq_cons++;
			q->inflight++;
			budget--;
			ion_stat_add(&v->st.requests, 1);
			v->ops->submit(q, tag);
			if (v->broken)
				return false;
		}
		__atomic_store_n(&q->sq->cons, q->sq_cons, __ATOMIC_RELEASE);
		/*
		 * Idle, or stalled on a full CQ: the next submission rings
		 * the doorbell. Then re-check, so none is lost.
		 */
		__atomic_store_n(&q->sq->event, prod, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (q->sq_cons != prod ||
		    __atomic_load_n(&q->sq->prod, __ATOMIC_ACQUIRE) == prod)
			return false;
	}
}

/* Frees tag without a completion (requests that carry none). */
void ion_queue_release(struct ion_hq *q, uint32_t tag)
{
	tag_put(q, tag);
}

/* Raises the valve's interrupt when a CQ moved past the guest's event. */
void ion_valve_notify(struct ion_hvalve *v)
{
	volatile __u64 *gf = &hdr(v)->guest_features;
	bool event_idx = *gf & ION_F_EVENT_IDX;
	bool need = false;
	uint64_t one = 1;

	if (!v->posted)
		return;
	v->posted = false;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < v->desc.nr_queues; i++) {
		struct ion_hq *q = &v->q[i];
		uint32_t ev = __atomic_load_n(&q->cq->event, __ATOMIC_RELAXED);

		if (q->cq_prod == q->cq_notified)
			continue;
		if (!event_idx || ion_need_event(ev, q->cq_prod, q->cq_notified))
			need = true;
		q->cq_notified = q->cq_prod;
	}
	if (need && write(v->irq_fd, &one, sizeof(one)) == sizeof(one))
		ion_stat_add(&v->st.interrupts, 1);
}

int ion_queue_alloc(struct ion_hq *q)
{
	q->reqs = calloc(q->entries, sizeof(*q->reqs));
	q->free_tags = calloc(q->entries, sizeof(*q->free_tags));
	if (!q->reqs || !q->free_tags)
		return -ENOMEM;
	ion_queue_reset(q);
	return 0;
}

void ion_queue_free(struct ion_hq *q)
{
	free(q->reqs);
	free(q->free_tags);
}

/* Private indices back to an empty ring (the window is re-seeded apart). */
void ion_queue_reset(struct ion_hq *q)
{
	uint32_t start = q->v->h->spec.ring_start;

	q->sq_cons = q->cq_prod = q->cq_cons = q->cq_notified = start;
	q->inflight = 0;
	q->throttle_until = q->throttle_since = 0;
	q->nr_free = q->entries;
	for (uint32_t i = 0; i < q->entries; i++)
		q->free_tags[i] = q->entries - 1 - i;
}
