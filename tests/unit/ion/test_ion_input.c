// SPDX-License-Identifier: GPL-2.0
/* Input valve: injected events reach the guest's ring, in order. */
#include "../nc_check.h"
#include <errno.h>
#include <linux/input.h>
#include <poll.h>
#include <pthread.h>

#include "sim_guest.h"
#include "testutil.h"

static struct ion_host *h;
static struct sim_guest g;
static struct sim_q iq;

static void setup(void)
{
	struct ion_host_spec s = default_spec(NULL);

	h = create_ok(&s);
	ck_assert_int_eq(sim_guest_bind(&g, ion_host_window(h), s.size, true), 0);
	ck_assert_int_eq(sim_queue(&g, 1, 0, -1, ion_host_irq_fd(h, 1), &iq), 0);
}

static void teardown(void)
{
	ion_host_destroy(h);
}

static int take(struct ion_input_event *ev)
{
	return sim_reap(&iq, (struct ion_cqe *)ev);
}

START_TEST(capabilities)
{
	const struct ion_input_config *c = &ion_host_valve(h, 1)->config.input;

	ck_assert_uint_eq(ion_host_valve(h, 1)->type, ION_VALVE_INPUT);
	ck_assert(c->evbit & 1ULL << EV_KEY);
	ck_assert(c->evbit & 1ULL << EV_REL);
	ck_assert(c->relbit & 1ULL << REL_X);
	ck_assert(c->keybit[KEY_A / 64] >> (KEY_A % 64) & 1);
	ck_assert(c->keybit[BTN_LEFT / 64] >> (BTN_LEFT % 64) & 1);
	ck_assert(!(c->keybit[BTN_JOYSTICK / 64] >> (BTN_JOYSTICK % 64) & 1));
}
END_TEST

START_TEST(events_in_order)
{
	struct ion_input_event ev;
	struct ion_valve_stats st;
	struct pollfd p = { .fd = ion_host_irq_fd(h, 1), .events = POLLIN };
	uint64_t t0;

	ck_assert_int_eq(ion_host_input_inject(h, EV_KEY, KEY_A, 1), 0);
	ck_assert_int_eq(poll(&p, 1, 0), 1);	/* the guest asked (event 0) */
	ck_assert_int_eq(ion_host_input_inject(h, EV_SYN, SYN_REPORT, 0), 0);
	ck_assert_int_eq(ion_host_input_inject(h, EV_REL, REL_X, -5), 0);
	ck_assert_int_eq(take(&ev), 1);
	ck_assert_uint_eq(ev.type, EV_KEY);
	ck_assert_uint_eq(ev.code, KEY_A);
	ck_assert_int_eq(ev.value, 1);
	ck_assert_uint_gt(ev.time_ns, 0);
	t0 = ev.time_ns;
	ck_assert_int_eq(take(&ev), 1);
	ck_assert_uint_eq(ev.type, EV_SYN);
	ck_assert_uint_ge(ev.time_ns, t0);
	ck_assert_int_eq(take(&ev), 1);
	ck_assert_uint_eq(ev.code, REL_X);
	ck_assert_int_eq(ev.value, -5);
	ck_assert_int_eq(take(&ev), 0);
	ion_host_stats(h, 1, &st);
	ck_assert_uint_eq(st.requests, 3);
	ck_assert_uint_eq(st.interrupts, 1);	/* guest left event at 0 */
}
END_TEST

START_TEST(bad_events_and_full_ring)
{
	struct ion_input_event ev;

	ck_assert_int_eq(ion_host_input_inject(h, EV_ABS, 0, 1), -EINVAL);
	ck_assert_int_eq(ion_host_input_inject(h, EV_KEY, BTN_JOYSTICK, 1), -EINVAL);
	ck_assert_int_eq(ion_host_input_inject(h, EV_KEY, 0xffff, 1), -EINVAL);
	ck_assert_int_eq(ion_host_input_inject(h, 0xffff, 0, 1), -EINVAL);
	ck_assert_int_eq(ion_host_input_inject(h, EV_REL, 200, 1), -EINVAL);
	for (uint32_t i = 0; i < iq.entries; i++)
		ck_assert_int_eq(ion_host_input_inject(h, EV_KEY, KEY_B, i), 0);
	ck_assert_int_eq(ion_host_input_inject(h, EV_KEY, KEY_B, 0), -ENOSPC);
	ck_assert_int_eq(take(&ev), 1);
	ck_assert_int_eq(ev.value, 0);
	ck_assert_int_eq(ion_host_input_inject(h, EV_KEY, KEY_B, 999), 0);
	for (uint32_t i = 1; i < iq.entries; i++) {
		ck_assert_int_eq(take(&ev), 1);
		ck_assert_int_eq(ev.value, (int32_t)i);
	}
	ck_assert_int_eq(take(&ev), 1);
	ck_assert_int_eq(ev.value, 999);
	/* a guest cons past the host's prod breaks the valve */
	iq.cq->cons += 3;
	ck_assert_int_eq(ion_host_input_inject(h, EV_KEY, KEY_B, 0), -EIO);
	ck_assert_uint_eq(g.hdr->valves[1].status, ION_VALVE_S_BROKEN);
	ck_assert_uint_eq(g.hdr->valves[1].error, ION_ERR_CQ_INDEX);
	ck_assert_int_eq(ion_host_input_inject(h, EV_KEY, KEY_B, 0), -EIO);
}
END_TEST

START_TEST(no_input_valve)
{
	struct ion_host_spec s = default_spec(NULL);
	struct ion_host *h2;

	s.input = false;
	h2 = create_ok(&s);
	ck_assert_int_eq(ion_host_input_inject(h2, EV_KEY, KEY_A, 1), -ENODEV);
	ion_host_destroy(h2);
}
END_TEST

/* Four injecting threads, the service thread running, a guest draining. */
#define PER_THREAD	5000

static void *injector(void *arg)
{
	uintptr_t id = (uintptr_t)arg;

	for (int32_t i = 0; i < PER_THREAD; i++) {
		int rc;

		while ((rc = ion_host_input_inject(h, EV_KEY, KEY_1 + id, i)) == -ENOSPC)
			usleep(50);
		if (rc)
			return (void *)1;
	}
	return NULL;
}

START_TEST(concurrent_injection)
{
	int32_t next[4] = { 0 };
	pthread_t t[4];
	struct ion_input_event ev;
	unsigned got = 0;

	ck_assert_int_eq(ion_host_start(h), 0);
	for (uintptr_t i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, injector, (void *)i), 0);
	while (got < 4 * PER_THREAD) {
		unsigned k;

		ck_assert_int_eq(sim_wait(&iq, (struct ion_cqe *)&ev, 5000), 1);
		k = ev.code - KEY_1;
		ck_assert_uint_lt(k, 4);
		ck_assert_int_eq(ev.value, next[k]);	/* per-thread order kept */
		next[k]++;
		got++;
	}
	for (int i = 0; i < 4; i++) {
		void *r;

		pthread_join(t[i], &r);
		ck_assert_ptr_null(r);
	}
	ck_assert_int_eq(ion_host_stop(h), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ion_input");
	TCase *tc = tcase_create("input");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, capabilities);
	tcase_add_test(tc, events_in_order);
	tcase_add_test(tc, bad_events_and_full_ring);
	tcase_add_test(tc, no_input_valve);
	tcase_add_test(tc, concurrent_injection);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
