// SPDX-License-Identifier: GPL-2.0
/*
 * The export valve's guest-facing half (ion/host/export.c) without ublk:
 * the layout and config the host seeds, the guest's device report (valid,
 * failed, impossible), and a guest that moves the indices it owns where
 * they cannot be. ublk itself needs a host kernel with it: tests/e2e/export.
 */
#include "../nc_check.h"
#include <errno.h>
#include <string.h>

#include "sim_guest.h"
#include "testutil.h"

static struct ion_host_spec export_spec(void)
{
	struct ion_host_spec s = default_spec(NULL);

	s.net = false;
	s.input = false;
	s.nr_export = 1;
	s.export[0].guest_device = "nxblk0";
	return s;
}

static struct ion_export_config *live_cfg(struct ion_host *h, unsigned v)
{
	struct ion_header *hdr = ion_host_window(h);

	return &hdr->valves[v].config.export;
}

static void report(struct ion_export_config *c, uint64_t cap, uint32_t lbs)
{
	c->capacity = cap;
	c->logical_block_size = lbs;
	c->physical_block_size = 4096;
	c->max_sectors = 4096;			/* more than a slot: capped */
	c->flags = ION_BLK_F_FLUSH | ION_BLK_F_DISCARD;
	c->max_discard_sectors = 0xffffffffU;	/* more than ion_sqe.len: capped */
	c->discard_granularity = 0;
	__atomic_store_n(&c->state, ION_EXPORT_S_READY, __ATOMIC_RELEASE);
}

START_TEST(layout_and_config)
{
	struct ion_host_spec s = export_spec();
	struct ion_host *h = create_ok(&s);
	const struct ion_valve *d;
	int v = ion_host_export_valve(h, 0);
	char line[128];

	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(ion_host_export_valve(h, 1), -ENOENT);
	d = ion_host_valve(h, v);
	ck_assert_uint_eq(d->type, ION_VALVE_EXPORT);
	ck_assert_uint_eq(d->nr_queues, ION_EXPORT_QUEUES);
	ck_assert_str_eq(d->config.export.guest_device, "nxblk0");
	ck_assert_uint_eq(d->config.export.slot_size, 128 * 1024);
	ck_assert_uint_eq(d->data_size, 32ULL * 128 * 1024);
	ck_assert_uint_eq(ion_host_export_depth(h, v), 32);
	/* the window carries the host half, the guest half is zero */
	ck_assert_str_eq(live_cfg(h, v)->guest_device, "nxblk0");
	ck_assert_uint_eq(live_cfg(h, v)->state, ION_EXPORT_S_NONE);
	ck_assert_str_eq(ion_host_valve_type_name(ION_VALVE_EXPORT), "export");
	/* the stats line: no ublk device attached yet */
	ck_assert_int_eq(ion_host_export_line(h, v, line, sizeof(line)), 0);
	ck_assert_str_eq(line, "export 0 none ready=0 sectors=0 guest=nxblk0");
	ck_assert_int_eq(ion_host_export_line(h, 5, line, sizeof(line)), -EINVAL);
	ion_host_destroy(h);
}
END_TEST

START_TEST(spec_errors)
{
	struct ion_host_spec s = export_spec();
	char err[256] = "";
	char longname[80];

	s.export[0].guest_device = "";
	ck_assert_int_eq(ion_host_check(&s, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "export[0] guest_device: 1 to 63 bytes");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	s.export[0].guest_device = longname;
	ck_assert_int_eq(ion_host_check(&s, err, sizeof(err)), -EINVAL);
	s = export_spec();
	s.nr_export = 3;
	ck_assert_int_eq(ion_host_check(&s, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "nr_export 3 > 2");
}
END_TEST

START_TEST(report_valid_capped_failed)
{
	struct ion_host_spec s = export_spec();
	struct ion_host *h = create_ok(&s);
	struct ion_export_geometry g;
	int v = ion_host_export_valve(h, 0);

	ck_assert_int_eq(ion_host_poll(h, 0), 0);
	ck_assert_int_eq(ion_host_export_geometry(h, v, &g), -EAGAIN);
	report(live_cfg(h, v), 131072, 512);
	ck_assert_int_eq(ion_host_poll(h, 0), 0);
	ck_assert_int_eq(ion_host_export_geometry(h, v, &g), 0);
	ck_assert_uint_eq(g.capacity, 131072);
	ck_assert_uint_eq(g.logical_block_size, 512);
	ck_assert_uint_eq(g.max_sectors, 256);			/* one 128 KiB slot */
	ck_assert_uint_eq(g.max_discard_sectors, 0xfffff000U / 512);
	ck_assert_uint_eq(g.max_write_zeroes_sectors, 0);	/* not offered */
	ck_assert_uint_eq(g.discard_granularity, 512);
	ck_assert_uint_eq(g.flags, ION_BLK_F_FLUSH | ION_BLK_F_DISCARD);

	/* a restarted guest must report the same capacity */
	ck_assert_int_eq(ion_host_reset(h), 0);
	ck_assert_uint_eq(live_cfg(h, v)->state, ION_EXPORT_S_NONE);
	report(live_cfg(h, v), 262144, 512);
	ck_assert_int_eq(ion_host_poll(h, 0), 0);
	ck_assert_int_eq(ion_host_export_geometry(h, v, &g), -EIO);

	/* a guest that cannot serve says why */
	ck_assert_int_eq(ion_host_reset(h), 0);
	live_cfg(h, v)->error = -ENODEV;
	__atomic_store_n(&live_cfg(h, v)->state, ION_EXPORT_S_FAILED, __ATOMIC_RELEASE);
	ck_assert_int_eq(ion_host_poll(h, 0), 0);
	ck_assert_int_eq(ion_host_export_geometry(h, v, &g), -ENODEV);
	ion_host_destroy(h);
}
END_TEST

/* Impossible reports and indices break the valve, with the reason. */
static void expect_broken(struct ion_host *h, unsigned v, uint32_t error)
{
	struct ion_valve_stats st;
	struct ion_header *hdr = ion_host_window(h);

	ck_assert_int_eq(ion_host_poll(h, 0), 0);
	ck_assert_int_eq(ion_host_stats(h, v, &st), 0);
	ck_assert_msg(st.broken, "valve not broken");
	ck_assert_uint_eq(st.error, error);
	ck_assert_uint_eq(hdr->valves[v].status, ION_VALVE_S_BROKEN);
	ck_assert_uint_eq(hdr->valves[v].error, error);
}

START_TEST(guest_garbage_breaks)
{
	struct ion_host_spec s = export_spec();
	struct ion_host *h = create_ok(&s);
	struct ion_export_geometry g;
	struct sim_guest gs;
	struct sim_q q;
	struct ion_valve_stats st;
	int v = ion_host_export_valve(h, 0);

	ck_assert_int_eq(sim_guest_bind(&gs, ion_host_window(h), ion_host_window_size(h),
					true), 0);
	ck_assert_int_eq(sim_queue(&gs, v, 0, -1, -1, &q), 0);

	/* a block size that is not a power of two */
	report(live_cfg(h, v), 131072, 3000);
	expect_broken(h, v, ION_ERR_EXPORT_CONFIG);
	ck_assert_int_eq(ion_host_export_geometry(h, v, &g), -EIO);

	/* the guest's CQ prod jumps: no request is with the guest */
	ck_assert_int_eq(ion_host_reset(h), 0);
	ck_assert_int_eq(ion_host_stats(h, v, &st), 0);
	ck_assert(!st.broken);
	__atomic_store_n(&q.cq->prod, q.cq->prod + 3, __ATOMIC_RELEASE);
	expect_broken(h, v, ION_ERR_CQ_INDEX);

	/* the guest's SQ cons runs past what the host produced */
	ck_assert_int_eq(ion_host_reset(h), 0);
	__atomic_store_n(&q.sq->cons, q.sq->cons + 1, __ATOMIC_RELEASE);
	expect_broken(h, v, ION_ERR_SQ_INDEX);
	ion_host_destroy(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ion_export");
	TCase *tc = tcase_create("export");

	tcase_add_test(tc, layout_and_config);
	tcase_add_test(tc, spec_errors);
	tcase_add_test(tc, report_valid_capped_failed);
	tcase_add_test(tc, guest_garbage_breaks);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
