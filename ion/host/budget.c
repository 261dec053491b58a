// SPDX-License-Identifier: GPL-2.0
/*
 * Valve budgets: a bandwidth and an operations bucket (ratelimit.c) per
 * block and net valve. A request is charged when the host takes it from the
 * SQ (what it costs is the valve type's cost()); one the buckets cannot pay
 * for yet stays in the guest's ring, not taken, and its queue is left alone
 * until the buckets will have refilled: the service thread sleeps until
 * then on an io_uring timeout (service.c), so a throttled queue costs
 * neither a busy loop nor the other valves' service. A received net frame
 * is charged when it arrives (its length is known only then); the debt it
 * may leave holds the valve's next requests back.
 *
 * Changes from other threads (ion_host_set_budget()) are handed over under
 * the budget's lock with a pending mask that the service thread reads at
 * every pass; the buckets themselves are the service thread's alone.
 */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

/*
 * A throttled queue waits at least this long: tokens gather for a batch of
 * requests rather than waking the thread for every one. Refill times are
 * whole milliseconds, so a bucket never fills up (and loses tokens) in it.
 */
#define ION_BUDGET_MIN_WAIT_NS	1000000LL

static int64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The service pass's clock, read once per pass (service_pass() clears it). */
int64_t ion_now_ns(struct ion_host *h)
{
	if (!h->now_ns)
		h->now_ns = clock_ns();
	return h->now_ns;
}

int ion_bucket_cfg_check(const struct ion_bucket_cfg *b, const char *what,
			 char *err, size_t errlen)
{
	if (!b->size) {
		if (b->one_time_burst || b->refill_ms)
			return nc_errf(-EINVAL, err, errlen,
				       "%s: a one-time burst or refill time needs a size (size 0 is no limit)",
				       what);
		return 0;
	}
	if (b->size > ION_BUCKET_MAX_SIZE || b->one_time_burst > ION_BUCKET_MAX_SIZE)
		return nc_errf(-EINVAL, err, errlen,
			       "%s: size %llu and one-time burst %llu must not exceed %llu",
			       what, (unsigned long long)b->size,
			       (unsigned long long)b->one_time_burst,
			       ION_BUCKET_MAX_SIZE);
	if (!b->refill_ms || b->refill_ms > ION_BUCKET_MAX_REFILL_MS)
		return nc_errf(-EINVAL, err, errlen,
			       "%s: refill time %llu ms outside 1..%llu",
			       what, (unsigned long long)b->refill_ms,
			       ION_BUCKET_MAX_REFILL_MS);
	return 0;
}

static void apply(struct ion_vbudget *b, unsigned mask, int64_t now)
{
	if (mask & 1U << ION_BUDGET_BW)
		ion_bucket_init(&b->bw, &b->cfg.bw, now);
	if (mask & 1U << ION_BUDGET_OPS)
		ion_bucket_init(&b->ops, &b->cfg.ops, now);
	b->on = ion_bucket_limited(&b->bw) || ion_bucket_limited(&b->ops);
}

void ion_budget_init(struct ion_hvalve *v, const struct ion_budget *cfg)
{
	struct ion_vbudget *b = &v->budget;

	if (cfg)
		b->cfg = *cfg;
	apply(b, 1U << ION_BUDGET_BW | 1U << ION_BUDGET_OPS, clock_ns());
}

/* The queue's waiting request is no longer waiting: count the time. */
static void unthrottle(struct ion_hq *q, int64_t now)
{
	q->throttle_until = 0;
	if (!q->throttle_since)
		return;
	ion_stat_add(&q->v->st.throttled_ns, (uint64_t)(now - q->throttle_since));
	q->throttle_since = 0;
}

/* Service thread, every pass: what ion_host_set_budget() handed over. */
void ion_budget_pick_up(struct ion_hvalve *v)
{
	struct ion_vbudget *b = &v->budget;
	unsigned mask;
	int64_t now;

	if (!__atomic_load_n(&b->pending, __ATOMIC_ACQUIRE))
		return;
	now = ion_now_ns(v->h);
	pthread_mutex_lock(&b->lock);
	mask = b->pending;
	__atomic_store_n(&b->pending, 0, __ATOMIC_RELAXED);
	apply(b, mask, now);
	pthread_mutex_unlock(&b->lock);
	/* A throttled queue is looked at again with the new buckets. */
	for (unsigned i = 0; i < v->desc.nr_queues; i++) {
		if (b->on)
			v->q[i].throttle_until = 0;
		else
			unthrottle(&v->q[i], now);
	}
}

static void note_wake(struct ion_host *h, int64_t at)
{
	if (!h->wake_ns || at < h->wake_ns)
		h->wake_ns = at;
}

bool ion_budget_held(struct ion_hq *q)
{
	struct ion_host *h = q->v->h;

	if (!q->throttle_until)
		return false;
	if (ion_now_ns(h) >= q->throttle_until)
		return false;
	note_wake(h, q->throttle_until);
	return true;
}

/*
 * May the queue take request s (a private copy) now? Charges it if so;
 * otherwise the queue is throttled until the buckets will hold its cost.
 */
bool ion_budget_admit(struct ion_hq *q, const struct ion_sqe *s)
{
	struct ion_hvalve *v = q->v;
	struct ion_vbudget *b = &v->budget;
	uint64_t bytes = 0, ops = 0, w, w_ops;
	int64_t now;

	if (!b->on)
		return true;
	now = ion_now_ns(v->h);
	v->ops->cost(q, s, &bytes, &ops);
	w = ion_bucket_wait(&b->bw, bytes, now);
	w_ops = ion_bucket_wait(&b->ops, ops, now);
	if (w_ops > w)
		w = w_ops;
	if (!w) {
		ion_bucket_take(&b->bw, bytes);
		ion_bucket_take(&b->ops, ops);
		unthrottle(q, now);
		return true;
	}
	if (w < ION_BUDGET_MIN_WAIT_NS)
		w = ION_BUDGET_MIN_WAIT_NS;
	q->throttle_until = now + (int64_t)w;
	if (!q->throttle_since) {
		q->throttle_since = now;
		ion_stat_add(&v->st.throttled, 1);
	}
	note_wake(v->h, q->throttle_until);
	return false;
}

/* What already happened (a received frame) is paid for, into debt if need be. */
void ion_budget_charge(struct ion_hvalve *v, uint64_t bytes, uint64_t ops)
{
	struct ion_vbudget *b = &v->budget;
	int64_t now;

	if (!b->on)
		return;
	now = ion_now_ns(v->h);
	ion_bucket_refill(&b->bw, now);
	ion_bucket_refill(&b->ops, now);
	ion_bucket_take(&b->bw, bytes);
	ion_bucket_take(&b->ops, ops);
}

static struct ion_hvalve *budget_valve(struct ion_host *h, unsigned v, int *rc)
{
	if (v >= h->nr_valves) {
		*rc = -EINVAL;
		return NULL;
	}
	if (!h->valves[v]->ops->cost) {
		*rc = -EOPNOTSUPP;
		return NULL;
	}
	return h->valves[v];
}

int ion_host_set_budget(struct ion_host *h, unsigned v, enum ion_budget_kind k,
			const struct ion_bucket_cfg *cfg)
{
	struct ion_hvalve *hv;
	struct ion_vbudget *b;
	uint64_t one = 1;
	int rc = 0;

	hv = budget_valve(h, v, &rc);
	if (!hv)
		return rc;
	if ((k != ION_BUDGET_BW && k != ION_BUDGET_OPS) ||
	    ion_bucket_cfg_check(cfg, "budget", NULL, 0))
		return -EINVAL;
	b = &hv->budget;
	pthread_mutex_lock(&b->lock);
	if (k == ION_BUDGET_BW)
		b->cfg.bw = *cfg;
	else
		b->cfg.ops = *cfg;
	__atomic_store_n(&b->pending, b->pending | 1U << k, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&b->lock);
	/* Wake the service thread: a throttled queue may go now. */
	if (write(h->ctl_fd, &one, sizeof(one)) != sizeof(one))
		return -errno;
	return 0;
}

int ion_host_get_budget(struct ion_host *h, unsigned v, struct ion_budget *out)
{
	struct ion_hvalve *hv;
	int rc = 0;

	hv = budget_valve(h, v, &rc);
	if (!hv)
		return rc;
	pthread_mutex_lock(&hv->budget.lock);
	*out = hv->budget.cfg;
	pthread_mutex_unlock(&hv->budget.lock);
	return 0;
}
