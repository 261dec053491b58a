// SPDX-License-Identifier: GPL-2.0
/*
 * nc_cell_ion_spec(): the budgets of cell.toml reach the ION host. A cell
 * with budgets on a disk and the net valve is planned as `run` plans it, its
 * spec created as an ION host on a real image file, and the host reports
 * the budgets it was given (ion_host_get_budget()).
 */
#include <check.h>

#include "../nc_check.h"
#include "../nc_cell_test.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

START_TEST(budgets_reach_the_host)
{
	char img[] = "/tmp/cell-spec-XXXXXX", err[512];
	struct ion_host_spec spec;
	struct nc_cell cell;
	struct ion_budget b;
	struct ion_host *h;
	int fd = mkstemp(img);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
	close(fd);
	ck_assert_msg(nc_test_cell(&cell, err, sizeof(err),
				   "[boot]\nkernel = \"Image\"\n"
				   "[[blk]]\npath = \"%s\"\n"
				   "bw_size = \"2M\"\nbw_refill_ms = 50\nbw_burst = \"8M\"\n"
				   "ops_size = 300\nops_refill_ms = 1000\n"
				   "[net]\nops_size = 1000\nops_refill_ms = 100\nops_burst = 9\n",
				   img) == 0, "%s", err);
	nc_cell_ion_spec(&cell, &spec);
	spec.net_cfg.null = true;	/* no tap in a unit test */
	ck_assert_int_eq(spec.nr_blk, 1);
	ck_assert_uint_eq(spec.blk[0].budget.bw.size, 2 << 20);
	ck_assert_uint_eq(spec.net_cfg.budget.ops.one_time_burst, 9);
	ck_assert_msg(ion_host_create(&h, &spec, err, sizeof(err)) == 0, "%s", err);

	ck_assert_int_eq(ion_host_get_budget(h, 0, &b), 0);
	ck_assert_uint_eq(b.bw.size, 2 << 20);
	ck_assert_uint_eq(b.bw.refill_ms, 50);
	ck_assert_uint_eq(b.bw.one_time_burst, 8 << 20);
	ck_assert_uint_eq(b.ops.size, 300);
	ck_assert_uint_eq(b.ops.refill_ms, 1000);
	ck_assert_uint_eq(b.ops.one_time_burst, 0);
	ck_assert_int_eq(ion_host_get_budget(h, 1, &b), 0);	/* net */
	ck_assert_uint_eq(b.bw.size, 0);
	ck_assert_uint_eq(b.ops.size, 1000);
	ck_assert_uint_eq(b.ops.refill_ms, 100);
	ck_assert_uint_eq(b.ops.one_time_burst, 9);
	ion_host_destroy(h);
	nc_cell_free(&cell);
	unlink(img);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cell_ion_spec");
	TCase *tc = tcase_create("spec");

	tcase_add_test(tc, budgets_reach_the_host);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
