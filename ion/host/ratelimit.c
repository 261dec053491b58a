// SPDX-License-Identifier: GPL-2.0
/*
 * Token bucket arithmetic (ratelimit.h). Exact in integers: tokens flow in
 * at size per refill_ns; what a refill adds is (elapsed * size + rem) /
 * refill_ns, and the remainder is kept, so many short refills add up to the
 * same tokens as one long one. Products are taken in 128 bits (an elapsed
 * time of 2^63 ns times a size of 2^40 does not fit 64).
 */
#include "ratelimit.h"

typedef unsigned __int128 u128;

void ion_bucket_init(struct ion_bucket *b, const struct ion_bucket_cfg *cfg,
		     int64_t now_ns)
{
	b->size = cfg->size;
	b->refill_ns = cfg->refill_ms * 1000000ULL;
	if (!b->refill_ns)
		b->size = 0;	/* ion_host_check() refuses it; never divide by 0 */
	b->burst = b->size ? cfg->one_time_burst : 0;
	b->budget = (int64_t)b->size;
	b->rem = 0;
	b->last_ns = now_ns;
}

void ion_bucket_refill(struct ion_bucket *b, int64_t now_ns)
{
	u128 num, add;
	uint64_t room;

	if (!b->size || now_ns <= b->last_ns)
		return;
	num = (u128)(uint64_t)(now_ns - b->last_ns) * b->size + b->rem;
	b->last_ns = now_ns;
	if (b->budget >= (int64_t)b->size) {
		b->rem = 0;	/* a full bucket gathers nothing */
		return;
	}
	add = num / b->refill_ns;
	room = (uint64_t)((int64_t)b->size - b->budget);
	if (add >= room) {
		b->budget = (int64_t)b->size;
		b->rem = 0;
	} else {
		b->budget += (int64_t)add;
		b->rem = (uint64_t)(num % b->refill_ns);
	}
}

uint64_t ion_bucket_wait(struct ion_bucket *b, uint64_t n, int64_t now_ns)
{
	uint64_t target, need;
	u128 num;

	if (!b->size)
		return 0;
	ion_bucket_refill(b, now_ns);
	/* budget may be negative: compare in signed 128 bits */
	if ((__int128)n <= (__int128)b->burst + b->budget ||
	    b->budget >= (int64_t)b->size)
		return 0;
	/* Here n > burst + budget: the bucket must hold the rest, or be full. */
	target = n - b->burst < b->size ? n - b->burst : b->size;
	need = (uint64_t)((__int128)target - b->budget);
	/* the least t with t * size + rem >= need * refill_ns */
	num = (u128)need * b->refill_ns - b->rem;
	return (uint64_t)((num + b->size - 1) / b->size);
}

void ion_bucket_take(struct ion_bucket *b, uint64_t n)
{
	uint64_t from_burst;

	if (!b->size)
		return;
	from_burst = n < b->burst ? n : b->burst;
	b->burst -= from_burst;
	n -= from_burst;
	/* Debt is bounded by one request or charge (at most 2^32 tokens). */
	b->budget -= (int64_t)n;
}
