// SPDX-License-Identifier: GPL-2.0
/*
 * The token bucket of valve budgets (ion/host/ratelimit.c), to the token and
 * the nanosecond: it starts full, refills size per refill time and never
 * above size, keeps the remainder of partial refills, spends the one-time
 * burst first, lets a request larger than the bucket go when it is full
 * (into debt), and size 0 is no limit. The clock is the test's.
 */
#include "../nc_check.h"
#include <errno.h>
#include <string.h>

#include "../../../ion/host/host.h"

#define MS	1000000LL	/* ns */

static struct ion_bucket mk(uint64_t size, uint64_t burst, uint64_t refill_ms)
{
	struct ion_bucket_cfg c = { size, burst, refill_ms };
	struct ion_bucket b;

	ion_bucket_init(&b, &c, 0);
	return b;
}

START_TEST(starts_full_then_waits)
{
	/* 1000 tokens per second: one per millisecond */
	struct ion_bucket b = mk(1000, 0, 1000);

	ck_assert(ion_bucket_limited(&b));
	ck_assert_uint_eq(ion_bucket_wait(&b, 1000, 0), 0);
	ion_bucket_take(&b, 1000);
	ck_assert_int_eq(b.budget, 0);
	ck_assert_uint_eq(ion_bucket_wait(&b, 1, 0), 1 * MS);
	ck_assert_uint_eq(ion_bucket_wait(&b, 10, 0), 10 * MS);
	/* a request of the whole bucket waits for the whole refill time */
	ck_assert_uint_eq(ion_bucket_wait(&b, 1000, 0), 1000 * MS);
}
END_TEST

START_TEST(partial_refill_keeps_the_remainder)
{
	struct ion_bucket b = mk(1000, 0, 1000);

	ion_bucket_take(&b, 1000);
	ion_bucket_refill(&b, 250 * MS);
	ck_assert_int_eq(b.budget, 250);
	ck_assert_uint_eq(b.rem, 0);
	ck_assert_uint_eq(ion_bucket_wait(&b, 500, 250 * MS), 250 * MS);
	/* half a token's time more: no token yet, but half of one is kept */
	ion_bucket_refill(&b, 250 * MS + MS / 2);
	ck_assert_int_eq(b.budget, 250);
	ck_assert_uint_eq(ion_bucket_wait(&b, 251, 250 * MS + MS / 2), MS / 2);
	/* 1000 refills 0.1 ms apart bring what one of 100 ms brings */
	for (int i = 1; i <= 1000; i++)
		ion_bucket_refill(&b, 250 * MS + MS / 2 + i * MS / 10);
	ck_assert_int_eq(b.budget, 350);
	ck_assert_uint_eq(ion_bucket_wait(&b, 351, 350 * MS + MS / 2), MS / 2);
}
END_TEST

START_TEST(never_above_size)
{
	struct ion_bucket b = mk(100, 0, 10);

	ion_bucket_take(&b, 60);
	ion_bucket_refill(&b, 10 * 1000 * MS);
	ck_assert_int_eq(b.budget, 100);
	ck_assert_uint_eq(b.rem, 0);
	/* a full bucket gathers nothing for later */
	ion_bucket_refill(&b, 20 * 1000 * MS);
	ion_bucket_take(&b, 100);
	ck_assert_uint_eq(ion_bucket_wait(&b, 1, 20 * 1000 * MS), MS / 10);
}
END_TEST

START_TEST(one_time_burst_first_and_once)
{
	struct ion_bucket b = mk(100, 500, 100);

	/* burst + bucket together: 600 at once */
	ck_assert_uint_eq(ion_bucket_wait(&b, 600, 0), 0);
	ion_bucket_take(&b, 30);
	ck_assert_uint_eq(b.burst, 470);	/* the burst is spent first */
	ck_assert_int_eq(b.budget, 100);
	ion_bucket_take(&b, 570);
	ck_assert_uint_eq(b.burst, 0);
	ck_assert_int_eq(b.budget, 0);
	/* it never refills: a second later only the bucket is full again */
	ion_bucket_refill(&b, 1000 * MS);
	ck_assert_uint_eq(b.burst, 0);
	ck_assert_int_eq(b.budget, 100);
	ck_assert_uint_eq(ion_bucket_wait(&b, 100, 1000 * MS), 0);
	ion_bucket_take(&b, 100);
	ck_assert_uint_eq(ion_bucket_wait(&b, 50, 1000 * MS), 50 * MS);
}
END_TEST

START_TEST(burst_covers_part_of_a_request)
{
	struct ion_bucket b = mk(100, 40, 100);

	ion_bucket_take(&b, 100);	/* burst 0 left of 40, budget 40 */
	ck_assert_uint_eq(b.burst, 0);
	ck_assert_int_eq(b.budget, 40);
	b = mk(100, 40, 100);
	ion_bucket_take(&b, 30);	/* burst 10 */
	ion_bucket_take(&b, 100);	/* burst 0, budget 10 */
	ck_assert_int_eq(b.budget, 10);
	/* 60 needs 50 more tokens: 50 ms */
	ck_assert_uint_eq(ion_bucket_wait(&b, 60, 0), 50 * MS);
}
END_TEST

START_TEST(larger_than_bucket_goes_when_full_into_debt)
{
	struct ion_bucket b = mk(100, 0, 100);	/* 1 token per ms */

	ck_assert_uint_eq(ion_bucket_wait(&b, 250, 0), 0);
	ion_bucket_take(&b, 250);
	ck_assert_int_eq(b.budget, -150);
	/* the debt is paid first: one more token takes 151 ms */
	ck_assert_uint_eq(ion_bucket_wait(&b, 1, 0), 151 * MS);
	/* the next large one waits for a full bucket: 250 ms */
	ck_assert_uint_eq(ion_bucket_wait(&b, 250, 0), 250 * MS);
	ck_assert_uint_eq(ion_bucket_wait(&b, 250, 250 * MS), 0);
	/* a charge may leave debt too; then even 0 tokens wait */
	b = mk(100, 0, 100);
	ion_bucket_take(&b, 130);
	ck_assert_uint_eq(ion_bucket_wait(&b, 0, 0), 30 * MS);
}
END_TEST

START_TEST(zero_is_unlimited)
{
	struct ion_bucket b = mk(0, 0, 0);

	ck_assert(!ion_bucket_limited(&b));
	ck_assert_uint_eq(ion_bucket_wait(&b, UINT32_MAX, 0), 0);
	ion_bucket_take(&b, UINT32_MAX);
	ck_assert_uint_eq(ion_bucket_wait(&b, UINT32_MAX, 1), 0);
	/* a burst without a size is no limit either */
	b = mk(0, 100, 0);
	ck_assert(!ion_bucket_limited(&b));
	ck_assert_uint_eq(b.burst, 0);
}
END_TEST

START_TEST(no_drift_over_a_long_run)
{
	/* 10000 tokens per second in a 1000-token bucket; 7-token requests */
	struct ion_bucket b = mk(1000, 0, 100);
	uint64_t taken = 0;
	int64_t t = 0, end = 10 * 1000 * MS;

	while (t <= end) {
		uint64_t w = ion_bucket_wait(&b, 7, t);

		if (w) {
			t += w;
			continue;
		}
		ion_bucket_take(&b, 7);
		taken += 7;
	}
	/* the full bucket at the start plus 10 s of refill, to one request */
	ck_assert_uint_le(taken, 1000 + 100000);
	ck_assert_uint_gt(taken, 1000 + 100000 - 7);
}
END_TEST

START_TEST(big_numbers_do_not_overflow)
{
	struct ion_bucket b = mk(ION_BUCKET_MAX_SIZE, ION_BUCKET_MAX_SIZE,
				 ION_BUCKET_MAX_REFILL_MS);

	ion_bucket_take(&b, 2 * ION_BUCKET_MAX_SIZE);
	ck_assert_int_eq(b.budget, 0);
	ck_assert_uint_eq(ion_bucket_wait(&b, ION_BUCKET_MAX_SIZE, 0),
			  ION_BUCKET_MAX_REFILL_MS * MS);
	ion_bucket_refill(&b, INT64_MAX / 2);
	ck_assert_int_eq(b.budget, (int64_t)ION_BUCKET_MAX_SIZE);
	/* 1 token per hour: waits are exact at the other end too */
	b = mk(1, 0, ION_BUCKET_MAX_REFILL_MS);
	ion_bucket_take(&b, 1);
	ck_assert_uint_eq(ion_bucket_wait(&b, 1, 0), ION_BUCKET_MAX_REFILL_MS * MS);
}
END_TEST

START_TEST(config_rules)
{
	char err[128];
	struct ion_bucket_cfg c;

	c = (struct ion_bucket_cfg){ 0, 0, 0 };
	ck_assert_int_eq(ion_bucket_cfg_check(&c, "blk[0] bandwidth", err, sizeof(err)), 0);
	c = (struct ion_bucket_cfg){ 1 << 20, 0, 100 };
	ck_assert_int_eq(ion_bucket_cfg_check(&c, "blk[0] bandwidth", err, sizeof(err)), 0);
	c = (struct ion_bucket_cfg){ 0, 100, 0 };
	ck_assert_int_eq(ion_bucket_cfg_check(&c, "blk[0] bandwidth", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "blk[0] bandwidth: a one-time burst or refill time needs a size (size 0 is no limit)");
	c = (struct ion_bucket_cfg){ 100, 0, 0 };
	ck_assert_int_eq(ion_bucket_cfg_check(&c, "net ops", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "net ops: refill time 0 ms outside 1..3600000");
	c = (struct ion_bucket_cfg){ 100, 0, ION_BUCKET_MAX_REFILL_MS + 1 };
	ck_assert_int_eq(ion_bucket_cfg_check(&c, "net ops", err, sizeof(err)), -EINVAL);
	c = (struct ion_bucket_cfg){ ION_BUCKET_MAX_SIZE + 1, 0, 100 };
	ck_assert_int_eq(ion_bucket_cfg_check(&c, "net ops", err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "must not exceed 1099511627776"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ratelimit");
	TCase *tc = tcase_create("bucket");

	tcase_add_test(tc, starts_full_then_waits);
	tcase_add_test(tc, partial_refill_keeps_the_remainder);
	tcase_add_test(tc, never_above_size);
	tcase_add_test(tc, one_time_burst_first_and_once);
	tcase_add_test(tc, burst_covers_part_of_a_request);
	tcase_add_test(tc, larger_than_bucket_goes_when_full_into_debt);
	tcase_add_test(tc, zero_is_unlimited);
	tcase_add_test(tc, no_drift_over_a_long_run);
	tcase_add_test(tc, big_numbers_do_not_overflow);
	tcase_add_test(tc, config_rules);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
