// SPDX-License-Identifier: GPL-2.0
/*
 * Service-loop fairness: a guest thread that keeps one queue busy for ever
 * (an SQ refilled with bad requests as fast as they fail, or the input
 * valve's SQ prod advancing without end) must not starve the other valves,
 * input injection or stop. The running service thread serves at most a
 * ring's worth of entries per queue per pass and then serves every valve
 * again. Every wait here is bounded (and the test case has a timeout), so
 * a host that stays inside one queue fails instead of hanging.
 *
 * The *_capped_per_pass tests check the cap pass by pass in poll mode (the
 * test thread is the host): without it one pass takes thousands of entries.
 * The *_do_not_starve tests show the effect through the running service
 * thread; whether a host without the cap gets stuck there depends on both
 * threads really running at once, which a loaded machine does not promise.
 */
#include "../nc_check.h"
#include <errno.h>
#include <linux/input.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "sim_guest.h"
#include "testutil.h"

static char img0[256], img1[256];
static struct ion_host *h;
static struct sim_guest g;

enum { V_BLK0, V_BLK1, V_NET, V_INPUT };

static void setup(void)
{
	struct ion_host_spec s;
	uint8_t buf[4096];
	int fd;

	make_image(img0, sizeof(img0), 1 << 20);
	make_image(img1, sizeof(img1), 1 << 20);
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 31 + 7);
	fd = open(img1, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, buf, sizeof(buf), 8192), (ssize_t)sizeof(buf));
	close(fd);
	s = default_spec(img0);
	s.nr_blk = 2;
	s.blk[1].path = img1;
	h = create_ok(&s);
	ck_assert_int_eq(sim_guest_bind(&g, ion_host_window(h), s.size, true), 0);
}

static void teardown(void)
{
	ion_host_destroy(h);
	unlink(img0);
	unlink(img1);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

struct hammer {
	struct sim_q q;
	bool input;		/* the input valve's SQ, else bad blk requests */
	int stop;		/* atomic */
	uint64_t pushed;
};

/*
 * Spins without a syscall: publishes prod without the doorbell protocol and
 * rings only when the host has taken nothing for a millisecond (to wake a
 * host that sleeps). Every SQ slot holds the same entry, written once.
 *
 * Bad block requests complete at once, so the CQ's prod tells the guest how
 * far the host has taken the SQ, entry by entry: the guest reaps them and,
 * every quarter ring, moves SQ prod to a ring ahead of that. The host's
 * snapshot of prod is then always most of a ring ahead of it, and prod has
 * moved again by the time the host has taken that much: a host that loops
 * until prod stands still never leaves the queue. The input valve completes
 * nothing; its guest refills the SQ whenever the host publishes its cons.
 */
static void on_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *hammer_thread(void *arg)
{
	struct hammer *hm = arg;
	struct sim_q *q = &hm->q;
	struct ion_sqe e = { .opcode = hm->input ? ION_OP_INPUT_STATUS : 0x9999,
			     .len = 512, .off = 1, .id = 1 };
	uint32_t last = 0, prod = q->sq_prod, step = hm->input ? 1 : q->entries / 4;
	int64_t since = now_ms();
	uint64_t one = 1, n = 0;

	/* not on the service thread's CPU: the two run at the same time */
	on_cpu(1);
	for (uint32_t i = 0; i < q->entries; i++)
		q->sqes[i] = e;
	while (!__atomic_load_n(&hm->stop, __ATOMIC_ACQUIRE)) {
		uint32_t cons = __atomic_load_n(&q->sq->cons, __ATOMIC_ACQUIRE);
		uint32_t done = cons;

		if (!hm->input) {
			done = __atomic_load_n(&q->cq->prod, __ATOMIC_ACQUIRE);
			__atomic_store_n(&q->cq->cons, done, __ATOMIC_RELEASE);
		}
		if (done + q->entries - prod >= step) {
			hm->pushed += done + q->entries - prod;
			prod = done + q->entries;
			__atomic_store_n(&q->sq->prod, prod, __ATOMIC_RELEASE);
		}
		if (++n % 1024)
			continue;
		if (done != last) {
			last = done;
			since = now_ms();
		} else if (now_ms() - since >= 1) {
			if (write(q->doorbell_fd, &one, sizeof(one)) != sizeof(one))
				break;
			since = now_ms();
		}
	}
	return NULL;
}

/* While hm hammers its queue: a read on blk1, an input event, stop. */
static void others_still_served(struct hammer *hm)
{
	struct sim_q q1;
	struct ion_cqe c;
	pthread_t t;
	uint8_t *slot;
	int64_t t0;
	int rc;

	ck_assert_int_eq(sim_queue(&g, V_BLK1, 0, ion_host_doorbell_fd(h, V_BLK1, 0),
				   ion_host_irq_fd(h, V_BLK1), &q1), 0);
	slot = sim_ptr(&g, q1.valve->data_off);
	memset(slot, 0, 4096);
	on_cpu(0);	/* the service thread inherits it */
	ck_assert_int_eq(ion_host_start(h), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, hammer_thread, hm), 0);
	usleep(100 * 1000);	/* let it get going */

	ck_assert_int_eq(sim_submit(&q1, &(struct ion_sqe){ .opcode = ION_OP_BLK_READ,
		.off = 16, .len = 4096, .data_off = q1.valve->data_off, .id = 42 }), 0);
	ck_assert_msg(sim_wait(&q1, &c, 1000) == 1,
		      "blk1 read not completed within 1 s while valve %u is hammered",
		      hm->q.valve->irq);
	ck_assert_uint_eq(c.id, 42);
	ck_assert_int_eq(c.status, 0);
	for (unsigned i = 0; i < 4096; i++)
		ck_assert_uint_eq(slot[i], (uint8_t)(i * 31 + 7));

	t0 = now_ms();
	rc = ion_host_input_inject(h, EV_KEY, KEY_A, 1);
	ck_assert_msg(rc == 0 || rc == -ENOSPC, "inject: %d", rc);
	ck_assert_int_lt(now_ms() - t0, 1000);

	t0 = now_ms();
	ck_assert_int_eq(ion_host_stop(h), 0);
	ck_assert_int_lt(now_ms() - t0, 1000);

	__atomic_store_n(&hm->stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	/* it did hammer: many times a ring's worth */
	ck_assert_uint_gt(hm->pushed, 4 * hm->q.entries);
}

/*
 * The cap itself, pass by pass (ion_host_poll() is one pass): while the
 * guest hammers a queue, no pass takes more than a ring's worth from it.
 */
static void passes_are_capped(struct hammer *hm, unsigned v)
{
	struct ion_valve_stats a, b;
	uint32_t start = hm->q.sq_prod;
	uint64_t most = 0;
	int64_t end;
	pthread_t t;

	on_cpu(0);
	ck_assert_int_eq(pthread_create(&t, NULL, hammer_thread, hm), 0);
	/* once it has begun: 300 ms of passes */
	for (int i = 0; i < 1000 && __atomic_load_n(&hm->q.sq->prod, __ATOMIC_ACQUIRE) == start; i++)
		usleep(1000);
	end = now_ms() + 300;
	while (now_ms() < end) {
		ion_host_stats(h, v, &a);
		ck_assert_int_ge(ion_host_poll(h, 0), 0);
		ion_host_stats(h, v, &b);
		if (b.requests - a.requests > most)
			most = b.requests - a.requests;
	}
	__atomic_store_n(&hm->stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	ck_assert_uint_eq(b.broken, 0);
	ck_assert_uint_gt(b.requests, 4 * hm->q.entries);
	ck_assert_msg(most <= hm->q.entries, "one pass took %llu entries from a ring of %u",
		      (unsigned long long)most, hm->q.entries);
}

START_TEST(bad_requests_capped_per_pass)
{
	static struct hammer hm;

	ck_assert_int_eq(sim_queue(&g, V_BLK0, 0, ion_host_doorbell_fd(h, V_BLK0, 0),
				   -1, &hm.q), 0);
	passes_are_capped(&hm, V_BLK0);
}
END_TEST

START_TEST(input_sq_capped_per_pass)
{
	static struct hammer hm = { .input = true };

	ck_assert_int_eq(sim_queue(&g, V_INPUT, 0, ion_host_doorbell_fd(h, V_INPUT, 0),
				   -1, &hm.q), 0);
	passes_are_capped(&hm, V_INPUT);
}
END_TEST

START_TEST(bad_requests_do_not_starve)
{
	static struct hammer hm;

	ck_assert_int_eq(sim_queue(&g, V_BLK0, 0, ion_host_doorbell_fd(h, V_BLK0, 0),
				   -1, &hm.q), 0);
	others_still_served(&hm);
	ck_assert_uint_eq(((struct ion_header *)g.hdr)->valves[V_BLK0].status, 0);
}
END_TEST

START_TEST(input_sq_does_not_starve)
{
	static struct hammer hm = { .input = true };

	ck_assert_int_eq(sim_queue(&g, V_INPUT, 0, ion_host_doorbell_fd(h, V_INPUT, 0),
				   -1, &hm.q), 0);
	others_still_served(&hm);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ion_fair");
	TCase *tc = tcase_create("fair");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 15);
	tcase_add_test(tc, bad_requests_do_not_starve);
	tcase_add_test(tc, input_sq_does_not_starve);
	tcase_add_test(tc, bad_requests_capped_per_pass);
	tcase_add_test(tc, input_sq_capped_per_pass);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
