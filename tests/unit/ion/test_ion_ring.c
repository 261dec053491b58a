// SPDX-License-Identifier: GPL-2.0
/*
 * Ring behaviour through the host: empty and full rings, indices that wrap
 * past 2^32, notification suppression both ways.
 */
#include "../nc_check.h"
#include <errno.h>
#include <stdint.h>

#include "sim_guest.h"
#include "testutil.h"

static struct ion_host *h;
static struct sim_guest g;
static struct sim_q q;

/* A null block valve (no file) whose rings start at index start. */
static void open_null(uint32_t start, bool event_idx)
{
	struct ion_host_spec s = default_spec(NULL);

	s.nr_blk = 1;
	s.blk[0].null = true;
	s.blk[0].null_size = 1 << 20;
	s.ring_start = start;
	h = create_ok(&s);
	ck_assert_int_eq(sim_guest_bind(&g, ion_host_window(h), s.size,
					event_idx), 0);
	ck_assert_int_eq(sim_queue(&g, 0, 0, ion_host_doorbell_fd(h, 0, 0),
				   ion_host_irq_fd(h, 0), &q), 0);
	ck_assert_uint_eq(q.sq_prod, start);
}

static struct ion_sqe rd(uint64_t id, uint32_t tag)
{
	const struct ion_valve *d = q.valve;

	return (struct ion_sqe){
		.opcode = ION_OP_BLK_READ, .len = 4096, .off = tag * 8,
		.data_off = d->data_off + tag * d->config.blk.slot_size,
		.id = id,
	};
}

static int submit_rd(uint64_t id, uint32_t tag)
{
	struct ion_sqe e = rd(id, tag);

	return sim_submit(&q, &e);
}

START_TEST(need_event)
{
	/* event inside [old, new) notifies; behind or ahead does not */
	ck_assert(ion_need_event(5, 6, 5));
	ck_assert(ion_need_event(5, 9, 3));
	ck_assert(!ion_need_event(9, 9, 3));
	ck_assert(!ion_need_event(2, 9, 3));
	ck_assert(ion_need_event(UINT32_MAX, 1, UINT32_MAX - 1));
	ck_assert(ion_need_event(0, 2, UINT32_MAX));
	ck_assert(!ion_need_event(3, 2, UINT32_MAX));
	ck_assert_uint_eq(ion_ring_entry_off(4096, 32, 32, 33), 4096 + 128 + 32);
	ck_assert_uint_eq(ion_ring_entry_off(4096, 32, 16, UINT32_MAX),
			  4096 + 128 + 31 * 16);
}
END_TEST

/* Fill, drain and refill the rings across the 2^32 wrap. */
static void wrap_run(uint32_t start)
{
	struct ion_cqe c;
	uint64_t id = 1;

	open_null(start, true);
	ck_assert_int_eq(sim_reap(&q, &c), 0);	/* empty */
	for (int round = 0; round < 4; round++) {
		for (uint32_t t = 0; t < q.entries; t++)
			ck_assert_int_eq(sim_submit(&q, &(struct ion_sqe){
						     .opcode = ION_OP_BLK_FLUSH,
						     .id = id + t }), 0);
		/* full: the guest may not overwrite an unconsumed entry */
		ck_assert_int_eq(submit_rd(99, 0), -EBUSY);
		ck_assert_int_eq(ion_host_poll(h, 0), 0);
		for (uint32_t t = 0; t < q.entries; t++) {
			ck_assert_int_eq(sim_reap(&q, &c), 1);
			ck_assert_uint_eq(c.id, id + t);
			ck_assert_int_eq(c.status, 0);
		}
		ck_assert_int_eq(sim_reap(&q, &c), 0);
		id += q.entries;
	}
	ck_assert_uint_eq(q.sq_prod, start + 4 * q.entries);
	ck_assert_uint_eq(q.sq->cons, q.sq_prod);
	ck_assert_uint_eq(q.cq->prod, q.sq_prod);
	ion_host_destroy(h);
}

START_TEST(wraparound)
{
	wrap_run(UINT32_MAX - 40);	/* wraps inside the second round */
	wrap_run(UINT32_MAX);
	wrap_run(0);
}
END_TEST

/* The host takes no more than the CQ can hold, then resumes. */
START_TEST(full_cq_stalls_host)
{
	struct ion_valve_stats st;
	struct ion_cqe c;
	uint32_t n;

	open_null(UINT32_MAX - 3, true);
	n = q.entries;
	for (uint32_t t = 0; t < n; t++)
		ck_assert_int_eq(submit_rd(t, t), 0);
	ck_assert_int_eq(ion_host_poll(h, 0), 0);
	/* CQ full, SQ empty again: the guest (misbehaving) queues n more */
	for (uint32_t t = 0; t < n; t++)
		ck_assert_int_eq(submit_rd(n + t, t), 0);
	ck_assert_int_eq(ion_host_poll(h, 0), 0);
	ion_host_stats(h, 0, &st);
	ck_assert_uint_eq(st.requests, n);	/* nothing taken */
	ck_assert_uint_eq(q.sq->cons, q.sq_prod - n);
	/* the stalled host asked for a doorbell at the next submission */
	ck_assert_uint_eq(q.sq->event, q.sq_prod);
	for (uint32_t t = 0; t < n; t++) {
		ck_assert_int_eq(sim_reap(&q, &c), 1);
		ck_assert_uint_eq(c.id, t);
	}
	ck_assert_int_eq(ion_host_poll(h, 0), 0);
	for (uint32_t t = 0; t < n; t++) {
		ck_assert_int_eq(sim_reap(&q, &c), 1);
		ck_assert_uint_eq(c.id, n + t);
		ck_assert_int_eq(c.status, 0);
		ck_assert_uint_eq(c.len, 4096);
	}
	ion_host_destroy(h);
}
END_TEST

/* With EVENT_IDX a batch costs one doorbell and one interrupt. */
START_TEST(suppression)
{
	struct ion_valve_stats st;
	struct ion_cqe c;

	open_null(0, true);
	for (uint32_t t = 0; t < 8; t++)
		ck_assert_int_eq(submit_rd(t, t), 0);
	ck_assert_uint_eq(q.doorbells, 1);
	ck_assert_int_eq(ion_host_poll(h, 0), 0);
	ion_host_stats(h, 0, &st);
	ck_assert_uint_eq(st.interrupts, 1);
	/* guest busy (event left behind): completions raise no interrupt */
	__atomic_store_n(&q.cq->event, q.cq_cons - 1, __ATOMIC_RELEASE);
	for (uint32_t t = 0; t < 8; t++)
		ck_assert_int_eq(sim_reap(&q, &c), 1);
	for (uint32_t t = 0; t < 8; t++)
		ck_assert_int_eq(submit_rd(t, t), 0);
	ck_assert_uint_eq(q.doorbells, 2);	/* the host had gone idle */
	ck_assert_int_eq(ion_host_poll(h, 0), 0);
	ion_host_stats(h, 0, &st);
	ck_assert_uint_eq(st.interrupts, 1);
	ck_assert_int_eq(sim_wait(&q, &c, 1000), 1);	/* re-arms, finds work */
	ion_host_destroy(h);

	/* without EVENT_IDX every submission rings, every pass interrupts */
	open_null(0, false);
	for (uint32_t t = 0; t < 8; t++)
		ck_assert_int_eq(submit_rd(t, t), 0);
	ck_assert_uint_eq(q.doorbells, 8);
	ck_assert_int_eq(ion_host_poll(h, 0), 0);
	ck_assert_int_eq(submit_rd(9, 9), 0);
	ck_assert_int_eq(ion_host_poll(h, 0), 0);
	ion_host_stats(h, 0, &st);
	ck_assert_uint_eq(st.interrupts, 2);
	ion_host_destroy(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ion_ring");
	TCase *tc = tcase_create("ring");

	tcase_add_test(tc, need_event);
	tcase_add_test(tc, wraparound);
	tcase_add_test(tc, full_cq_stalls_host);
	tcase_add_test(tc, suppression);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
