// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded stop: on tmpfs (no FALLOC_FL_ZERO_RANGE) a WRITE_ZEROES falls
 * back to writing zeroes, 64 KiB at a time, up to 4 GiB per request. A
 * guest that queues a ring of the largest ones must not hold ion_host_stop()
 * for minutes: the fills are not continued once stopping (-ECANCELED), what
 * is left in flight is cancelled, and what was acknowledged before the stop
 * is still on the file (the final fdatasync runs).
 */
#include "../nc_check.h"
#include <errno.h>
#include <time.h>

#include "sim_guest.h"
#include "testutil.h"

#define ZERO_LEN	0xfffff000U		/* the largest WRITE_ZEROES */
#define IMG_SIZE	(4ULL << 30) + (1 << 20)	/* room past the zeroes */
#define MARK_OFF	(4ULL << 30)		/* not inside [0, ZERO_LEN) */

static char img[256];

static void setup(void)
{
	int fd;

	snprintf(img, sizeof(img), "/dev/shm/ion-stop-XXXXXX");
	fd = mkstemp(img);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, IMG_SIZE), 0);
	close(fd);
}

static void teardown(void)
{
	unlink(img);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

START_TEST(stop_with_huge_zero_fills)
{
	struct ion_host_spec s = default_spec(img);
	struct ion_valve_stats st;
	struct ion_host *h = create_ok(&s);
	struct sim_guest g;
	struct sim_q q;
	struct ion_cqe c;
	uint8_t *slot, got[4096];
	unsigned cancelled = 0;
	int64_t t0;
	int fd;

	ck_assert_int_eq(sim_guest_bind(&g, ion_host_window(h), s.size, true), 0);
	ck_assert_int_eq(sim_queue(&g, 0, 0, ion_host_doorbell_fd(h, 0, 0),
				   ion_host_irq_fd(h, 0), &q), 0);
	ck_assert_uint_ge(q.valve->config.blk.max_write_zeroes_sectors,
			  ZERO_LEN / 512);
	ck_assert_int_eq(ion_host_start(h), 0);
	/* a write, acknowledged before the stop */
	slot = sim_ptr(&g, q.valve->data_off);
	for (unsigned i = 0; i < 4096; i++)
		slot[i] = (uint8_t)(i ^ 0x5a);
	ck_assert_int_eq(sim_submit(&q, &(struct ion_sqe){ .opcode = ION_OP_BLK_WRITE,
		.off = MARK_OFF / 512, .len = 4096, .data_off = q.valve->data_off,
		.id = 1000 }), 0);
	ck_assert_int_eq(sim_wait(&q, &c, 2000), 1);
	ck_assert_uint_eq(c.id, 1000);
	ck_assert_int_eq(c.status, 0);
	/* a ring of the largest write-zeroes, all taken by the host */
	for (uint32_t t = 0; t < q.entries; t++)
		ck_assert_int_eq(sim_submit(&q, &(struct ion_sqe){
			.opcode = ION_OP_BLK_WRITE_ZEROES, .off = 0,
			.len = ZERO_LEN, .id = t }), 0);
	for (int i = 0; i < 2000 && q.sq->cons != q.sq_prod; i++)
		usleep(500);
	ck_assert_uint_eq(q.sq->cons, q.sq_prod);
	usleep(100 * 1000);		/* well into the fills */

	t0 = now_ms();
	ck_assert_int_eq(ion_host_stop(h), 0);
	ck_assert_int_lt(now_ms() - t0, 3000);

	/* every fill completed; the unfinished ones as cancelled */
	for (uint32_t t = 0; t < q.entries; t++) {
		ck_assert_int_eq(sim_reap(&q, &c), 1);
		ck_assert_uint_lt(c.id, q.entries);
		ck_assert_msg(c.status == 0 || c.status == -ECANCELED,
			      "write-zeroes %llu: status %d",
			      (unsigned long long)c.id, c.status);
		cancelled += c.status == -ECANCELED;
	}
	ck_assert_int_eq(sim_reap(&q, &c), 0);
	ck_assert_uint_gt(cancelled, 0);
	ion_host_stats(h, 0, &st);
	ck_assert_uint_eq(st.requests, 1 + q.entries);
	ion_host_destroy(h);
	/* the acknowledged write is on the file */
	fd = open(img, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, got, sizeof(got), MARK_OFF), (ssize_t)sizeof(got));
	close(fd);
	for (unsigned i = 0; i < 4096; i++)
		ck_assert_uint_eq(got[i], (uint8_t)(i ^ 0x5a));
}
END_TEST

/*
 * Stop, reset and start again, five times: each service thread must hear
 * its doorbells and its stop. io_uring cancels the eventfd reads a thread
 * queued when that thread exits; a host that took them for still queued
 * slept through the next run's doorbells and stop for ever.
 */
START_TEST(restart_after_stop)
{
	struct ion_host_spec s = default_spec(img);
	struct ion_host *h = create_ok(&s);
	struct sim_guest g;
	struct sim_q q;
	struct ion_cqe c;
	int64_t t0;

	for (int run = 0; run < 5; run++) {
		ck_assert_int_eq(sim_guest_bind(&g, ion_host_window(h), s.size, true), 0);
		ck_assert_int_eq(sim_queue(&g, 0, 0, ion_host_doorbell_fd(h, 0, 0),
					   ion_host_irq_fd(h, 0), &q), 0);
		ck_assert_int_eq(ion_host_start(h), 0);
		usleep(20 * 1000);	/* the thread is asleep by now */
		ck_assert_int_eq(sim_submit(&q, &(struct ion_sqe){ .opcode = ION_OP_BLK_READ,
			.len = 4096, .data_off = q.valve->data_off, .id = run }), 0);
		ck_assert_msg(sim_wait(&q, &c, 1000) == 1, "run %d: no completion", run);
		ck_assert_uint_eq(c.id, run);
		ck_assert_int_eq(c.status, 0);
		usleep(20 * 1000);
		t0 = now_ms();
		ck_assert_int_eq(ion_host_stop(h), 0);
		ck_assert_msg(now_ms() - t0 < 1000, "run %d: stop took %lld ms", run,
			      (long long)(now_ms() - t0));
		ck_assert_int_eq(ion_host_reset(h), 0);
	}
	ion_host_destroy(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ion_stop");
	TCase *tc = tcase_create("stop");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, stop_with_huge_zero_fills);
	tcase_add_test(tc, restart_after_stop);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
