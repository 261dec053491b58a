// SPDX-License-Identifier: GPL-2.0
/*
 * Valve budgets through the running service thread, on real image files and
 * a real io_uring timeout: a greedy guest gets what its budget allows (the
 * full bucket, then the refill rate) and not more; its throttled requests
 * wait in the ring and complete without an error; an unthrottled valve
 * beside it keeps being served; a throttled host sleeps (its CPU time stays
 * small); a budget changed at run time (ion_host_set_budget()) takes effect
 * at once; the statistics count the waits. Bounds are loose (a shared
 * machine), but a host without budgets fails every one of them.
 */
#include "../nc_check.h"
#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <time.h>

#include "sim_guest.h"
#include "testutil.h"

#define BS	4096

static char img0[256], img1[256];
static struct ion_host *h;
static struct sim_guest g;

enum { V_BLK0, V_BLK1, V_NET, V_INPUT };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double process_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* Creates the host with blk0's and net's budgets as given. */
static void start(const struct ion_budget *blk0, const struct ion_budget *net)
{
	struct ion_host_spec s;

	s = default_spec(img0);
	s.nr_blk = 2;
	s.blk[1].path = img1;
	if (blk0)
		s.blk[0].budget = *blk0;
	if (net)
		s.net_cfg.budget = *net;
	h = create_ok(&s);
	ck_assert_int_eq(sim_guest_bind(&g, ion_host_window(h), s.size, true), 0);
	ck_assert_int_eq(ion_host_start(h), 0);
}

static void setup(void)
{
	make_image(img0, sizeof(img0), 8 << 20);
	make_image(img1, sizeof(img1), 8 << 20);
	h = NULL;
}

static void teardown(void)
{
	ion_host_destroy(h);
	unlink(img0);
	unlink(img1);
}

/* A guest that keeps its queue full of one kind of request for a while. */
struct greedy {
	unsigned v, q;
	uint16_t op;
	uint32_t len;
	double seconds;
	uint32_t depth;		/* 0: the ring's entries */
	/* results */
	uint64_t done, bytes, failed;
	uint32_t left;		/* submitted, not completed at the end */
	struct sim_q sq;
};

static struct ion_sqe greedy_sqe(struct greedy *gr, uint64_t id)
{
	const struct ion_valve *d = gr->sq.valve;
	struct ion_sqe e = { .opcode = gr->op, .len = gr->len, .id = id };

	if (d->type == ION_VALVE_BLK) {
		e.data_off = d->data_off + (id % gr->sq.entries) * d->config.blk.slot_size;
		e.off = (id * 8) % (d->config.blk.capacity - gr->len / 512);
	} else {
		/* TX buffers follow the RX ones */
		e.data_off = d->data_off + (gr->sq.entries + id % gr->sq.entries) *
				d->config.net.buf_size;
	}
	return e;
}

static void *greedy_run(void *arg)
{
	struct greedy *gr = arg;
	uint32_t depth = gr->depth ? gr->depth : gr->sq.entries;
	uint64_t id = 0;
	double end = now_s() + gr->seconds;
	struct ion_cqe c;

	for (uint32_t i = 0; i < depth; i++) {
		struct ion_sqe e = greedy_sqe(gr, id++);

		sim_push(&gr->sq, &e);
	}
	sim_kick(&gr->sq);
	while (now_s() < end) {
		if (sim_wait(&gr->sq, &c, 20) != 1)
			continue;
		do {
			struct ion_sqe e = greedy_sqe(gr, id++);

			if (c.status) {
				gr->failed++;
			} else {
				gr->done++;
				gr->bytes += c.len;
			}
			sim_push(&gr->sq, &e);
		} while (sim_reap(&gr->sq, &c));
		sim_kick(&gr->sq);
	}
	gr->left = gr->sq.sq_prod - gr->sq.cq_cons;
	return NULL;
}

static void greedy_init(struct greedy *gr, unsigned v, unsigned q, uint16_t op,
			uint32_t len, double seconds)
{
	memset(gr, 0, sizeof(*gr));
	gr->v = v;
	gr->q = q;
	gr->op = op;
	gr->len = len;
	gr->seconds = seconds;
	ck_assert_int_eq(sim_queue(&g, v, q, ion_host_doorbell_fd(h, v, q),
				   ion_host_irq_fd(h, v), &gr->sq), 0);
}

/* What the guest of gr may get in t seconds: the full bucket and the refill. */
static double allowed(const struct ion_bucket_cfg *b, double t)
{
	return b->size + b->one_time_burst + b->size * t * 1000.0 / b->refill_ms;
}

/*
 * blk0 may do 200 requests per second (a bucket of 20 refilled every
 * 100 ms); blk1 beside it has no budget. Over a second blk0 gets about
 * 20 + 200 requests, all successful, while blk1 does many times more.
 */
START_TEST(ops_budget_holds_a_greedy_guest)
{
	struct ion_budget b = { .ops = { 20, 0, 100 } };
	struct greedy g0, g1;
	struct ion_valve_stats st;
	pthread_t t0, t1;
	double want;

	start(&b, NULL);
	greedy_init(&g0, V_BLK0, 0, ION_OP_BLK_READ, BS, 1.0);
	greedy_init(&g1, V_BLK1, 0, ION_OP_BLK_READ, BS, 1.0);
	ck_assert_int_eq(pthread_create(&t0, NULL, greedy_run, &g0), 0);
	ck_assert_int_eq(pthread_create(&t1, NULL, greedy_run, &g1), 0);
	pthread_join(t0, NULL);
	pthread_join(t1, NULL);
	want = allowed(&b.ops, 1.0);
	ck_assert_uint_eq(g0.failed, 0);
	ck_assert_msg(g0.done >= 0.8 * want && g0.done <= 1.1 * want,
		      "blk0 completed %llu requests in 1 s, its budget allows %.0f",
		      (unsigned long long)g0.done, want);
	/* the rest waited in the ring: delayed, not failed */
	ck_assert_uint_gt(g0.left, 0);
	ck_assert_uint_eq(g1.failed, 0);
	ck_assert_msg(g1.done > 4 * want, "blk1 (no budget) did only %llu requests",
		      (unsigned long long)g1.done);
	ck_assert_int_eq(ion_host_stats(h, V_BLK0, &st), 0);
	ck_assert_uint_ge(st.throttled, 1);
	ck_assert_msg(st.throttled_ns > 500000000ULL && st.throttled_ns < 1500000000ULL,
		      "blk0 waited %llu ns", (unsigned long long)st.throttled_ns);
	ck_assert_int_eq(ion_host_stats(h, V_BLK1, &st), 0);
	ck_assert_uint_eq(st.throttled, 0);
	ck_assert_uint_eq(st.throttled_ns, 0);
	ck_assert_int_eq(ion_host_stop(h), 0);
}
END_TEST

/*
 * Bandwidth: 128 KiB reads against a 256 KiB bucket refilled every 50 ms
 * (5 MiB/s), then 128 KiB reads against a 64 KiB bucket (larger than the
 * bucket: each goes when it is full and leaves debt): the bytes stay
 * within the budget both ways.
 */
START_TEST(bandwidth_budget_counts_bytes)
{
	struct ion_budget b = { .bw = { 256 << 10, 0, 50 } };
	struct ion_bucket_cfg small = { 64 << 10, 0, 50 };
	struct greedy g0;
	double want;

	start(&b, NULL);
	greedy_init(&g0, V_BLK0, 0, ION_OP_BLK_READ, 128 << 10, 1.0);
	greedy_run(&g0);
	want = allowed(&b.bw, 1.0);
	ck_assert_uint_eq(g0.failed, 0);
	ck_assert_msg(g0.bytes >= 0.8 * want && g0.bytes <= 1.1 * want,
		      "blk0 read %llu bytes in 1 s, its budget allows %.0f",
		      (unsigned long long)g0.bytes, want);
	ck_assert_int_eq(ion_host_stop(h), 0);
	ion_host_destroy(h);

	b.bw = small;
	start(&b, NULL);
	greedy_init(&g0, V_BLK0, 0, ION_OP_BLK_READ, 128 << 10, 1.0);
	greedy_run(&g0);
	/* the first goes at once, then one per 128 KiB of refill */
	want = 128 * 1024 + small.size * 1.0 * 1000 / small.refill_ms;
	ck_assert_uint_eq(g0.failed, 0);
	ck_assert_msg(g0.bytes >= 0.8 * want && g0.bytes <= 1.1 * want,
		      "blk0 read %llu bytes in 1 s with a 64 KiB bucket, its budget allows %.0f",
		      (unsigned long long)g0.bytes, want);
	ck_assert_int_eq(ion_host_stop(h), 0);
}
END_TEST

/* The one-time burst comes first, once; then the refill rate. */
START_TEST(one_time_burst_then_rate)
{
	struct ion_budget b = { .ops = { 10, 300, 100 } };
	struct greedy g0;
	double want;

	start(&b, NULL);
	greedy_init(&g0, V_BLK0, 0, ION_OP_BLK_READ, BS, 0.5);
	greedy_run(&g0);
	want = allowed(&b.ops, 0.5);	/* 10 + 300 + 50 */
	ck_assert_uint_eq(g0.failed, 0);
	ck_assert_msg(g0.done >= 0.85 * want && g0.done <= 1.05 * want,
		      "%llu requests in 0.5 s, the budget allows %.0f",
		      (unsigned long long)g0.done, want);
	ck_assert_int_eq(ion_host_stop(h), 0);
}
END_TEST

/*
 * Net TX frames of 1000 bytes against 200 KB/s: the same holds for the net
 * valve (null link), and the block valves beside it are not held back.
 */
START_TEST(net_tx_budget)
{
	struct ion_budget b = { .bw = { 20000, 0, 100 } };
	struct greedy gn, g1;
	pthread_t tn, t1;
	double want;

	start(NULL, &b);
	greedy_init(&gn, V_NET, ION_NET_QUEUE_TX, ION_OP_NET_TX, 1000, 1.0);
	greedy_init(&g1, V_BLK1, 0, ION_OP_BLK_READ, BS, 1.0);
	ck_assert_int_eq(pthread_create(&tn, NULL, greedy_run, &gn), 0);
	ck_assert_int_eq(pthread_create(&t1, NULL, greedy_run, &g1), 0);
	pthread_join(tn, NULL);
	pthread_join(t1, NULL);
	want = allowed(&b.bw, 1.0);
	ck_assert_uint_eq(gn.failed, 0);
	ck_assert_msg(gn.bytes >= 0.8 * want && gn.bytes <= 1.1 * want,
		      "net sent %llu bytes in 1 s, its budget allows %.0f",
		      (unsigned long long)gn.bytes, want);
	ck_assert_msg(g1.done > 1000, "blk1 did only %llu requests",
		      (unsigned long long)g1.done);
	ck_assert_int_eq(ion_host_stop(h), 0);
}
END_TEST

/*
 * A throttled host sleeps: 10 requests per second leave the service thread
 * nearly idle for a second (no busy wait on the timeout). Then the budget
 * is turned off at run time and the requests left in the ring complete at
 * once.
 */
START_TEST(throttled_host_sleeps_and_budget_changes_at_run_time)
{
	struct ion_budget b = { .ops = { 1, 0, 100 } }, now;
	struct ion_bucket_cfg off = { 0, 0, 0 };
	struct greedy g0;
	struct ion_cqe c;
	double cpu0, gcpu0, host_cpu, t0;
	uint32_t left;

	start(&b, NULL);
	greedy_init(&g0, V_BLK0, 0, ION_OP_BLK_READ, BS, 1.0);
	cpu0 = process_cpu_s();
	gcpu0 = cpu_s(CLOCK_THREAD_CPUTIME_ID);
	greedy_run(&g0);
	host_cpu = (process_cpu_s() - cpu0) - (cpu_s(CLOCK_THREAD_CPUTIME_ID) - gcpu0);
	ck_assert_uint_eq(g0.failed, 0);
	ck_assert_msg(g0.done >= 6 && g0.done <= 13, "%llu requests at 10 per second",
		      (unsigned long long)g0.done);
	ck_assert_msg(host_cpu < 0.1, "the throttled host used %.3f s of CPU in 1 s",
		      host_cpu);

	ck_assert_int_eq(ion_host_get_budget(h, V_BLK0, &now), 0);
	ck_assert_uint_eq(now.ops.size, 1);
	ck_assert_uint_eq(now.ops.refill_ms, 100);
	left = g0.left;
	ck_assert_uint_gt(left, 20);
	t0 = now_s();
	ck_assert_int_eq(ion_host_set_budget(h, V_BLK0, ION_BUDGET_OPS, &off), 0);
	while (left && sim_wait(&g0.sq, &c, 1000) == 1) {
		ck_assert_int_eq(c.status, 0);
		left--;
	}
	ck_assert_uint_eq(left, 0);
	ck_assert_msg(now_s() - t0 < 0.5, "turning the budget off took %.3f s",
		      now_s() - t0);
	ck_assert_int_eq(ion_host_get_budget(h, V_BLK0, &now), 0);
	ck_assert_uint_eq(now.ops.size, 0);

	/* and on again: a new bucket, full */
	b.ops = (struct ion_bucket_cfg){ 50, 0, 1000 };
	ck_assert_int_eq(ion_host_set_budget(h, V_BLK0, ION_BUDGET_OPS, &b.ops), 0);
	greedy_init(&g0, V_BLK0, 0, ION_OP_BLK_READ, BS, 0.5);
	greedy_run(&g0);
	ck_assert_uint_eq(g0.failed, 0);
	ck_assert_msg(g0.done >= 0.8 * 75 && g0.done <= 1.1 * 75,
		      "%llu requests in 0.5 s at 50 + 50 per second",
		      (unsigned long long)g0.done);
	ck_assert_int_eq(ion_host_stop(h), 0);
}
END_TEST

START_TEST(bad_budgets_are_refused)
{
	struct ion_host_spec s = default_spec(img0);
	struct ion_bucket_cfg bad = { 100, 0, 0 }, ok = { 100, 0, 10 };
	char err[256];

	s.blk[0].budget.ops = bad;
	ck_assert_int_eq(ion_host_check(&s, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "blk[0] ops: refill time 0 ms outside 1..3600000");
	s.blk[0].budget.ops = ok;
	s.net_cfg.budget.bw = (struct ion_bucket_cfg){ 0, 5, 0 };
	ck_assert_int_eq(ion_host_check(&s, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "net bandwidth: a one-time burst or refill time needs a size (size 0 is no limit)");
	s.net_cfg.budget.bw = ok;
	ck_assert_int_eq(ion_host_check(&s, err, sizeof(err)), 0);

	start(NULL, NULL);
	ck_assert_int_eq(ion_host_set_budget(h, V_INPUT, ION_BUDGET_BW, &ok), -EOPNOTSUPP);
	ck_assert_int_eq(ion_host_set_budget(h, 9, ION_BUDGET_BW, &ok), -EINVAL);
	ck_assert_int_eq(ion_host_set_budget(h, V_BLK0, ION_BUDGET_BW, &bad), -EINVAL);
	ck_assert_int_eq(ion_host_set_budget(h, V_BLK0, 7, &ok), -EINVAL);
	ck_assert_int_eq(ion_host_set_budget(h, V_NET, ION_BUDGET_BW, &ok), 0);
	ck_assert_int_eq(ion_host_stop(h), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("budget");
	TCase *tc = tcase_create("budget");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, ops_budget_holds_a_greedy_guest);
	tcase_add_test(tc, bandwidth_budget_counts_bytes);
	tcase_add_test(tc, one_time_burst_then_rate);
	tcase_add_test(tc, net_tx_budget);
	tcase_add_test(tc, throttled_host_sleeps_and_budget_changes_at_run_time);
	tcase_add_test(tc, bad_budgets_are_refused);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
