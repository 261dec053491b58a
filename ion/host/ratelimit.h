/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A token bucket: the arithmetic of a valve budget, on its own (no io_uring,
 * no clock: the caller passes the time), so that tests can check it to the
 * token. Its three numbers are Firecracker's: size, one_time_burst and
 * refill_time (struct ion_bucket_cfg in <nipcell/ion_host.h>).
 *
 * The bucket starts full: size tokens. It refills continuously, size tokens
 * per refill_ms, never above size. The one-time burst is a second pool that
 * is spent first and never refills. A request of n tokens may go when the
 * two pools hold n together; one larger than the bucket can ever hold goes
 * when the bucket is full, and leaves it in debt (a negative budget) that
 * the refill pays back first, so that the long-run rate stays size per
 * refill_ms whatever the request sizes. size 0: no limit.
 */
#ifndef NC_ION_RATELIMIT_H
#define NC_ION_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include <nipcell/ion_host.h>

struct ion_bucket {
	uint64_t size;		/* 0: unlimited */
	uint64_t refill_ns;	/* time to refill size tokens, > 0 */
	uint64_t burst;		/* one-time tokens left */
	int64_t budget;		/* tokens; below 0: debt */
	uint64_t rem;		/* refill remainder: rem / refill_ns tokens */
	int64_t last_ns;	/* when the refill was last computed */
};

/* A full bucket as cfg asks for, at time now_ns (any monotonic clock). */
void ion_bucket_init(struct ion_bucket *b, const struct ion_bucket_cfg *cfg,
		     int64_t now_ns);

static inline bool ion_bucket_limited(const struct ion_bucket *b)
{
	return b->size != 0;
}

/* Adds what flowed in since the last call (never above size). */
void ion_bucket_refill(struct ion_bucket *b, int64_t now_ns);

/*
 * After a refill at now_ns: 0 when n tokens may be taken now, else the
 * nanoseconds until they may (the refill alone brings them by then).
 */
uint64_t ion_bucket_wait(struct ion_bucket *b, uint64_t n, int64_t now_ns);

/*
 * Takes n tokens, the one-time burst first: after ion_bucket_wait() said 0,
 * or as a charge for what already happened (a received frame), which may
 * leave the bucket in debt.
 */
void ion_bucket_take(struct ion_bucket *b, uint64_t n);

#endif /* NC_ION_RATELIMIT_H */
