// SPDX-License-Identifier: GPL-2.0
/*
 * The device table (vmm/devices/table.c) as nc_devices_plan() walks it: the
 * instances a cell gets, where they sit, which SPIs they raise, and the
 * overlaps it refuses.
 */
#include <check.h>

#include "../nc_check.h"
#include "../nc_cell_test.h"
#include <errno.h>
#include <string.h>

#include "machine.h"

#define MiB (1ULL << 20)

static struct nc_cell cell;
static char err[512];

static void plan(const char *extra)
{
	nc_cell_free(&cell);
	ck_assert_msg(nc_test_cell(&cell, err, sizeof(err),
				   "[cell]\nvcpus = 8\n[boot]\nkernel = \"Image\"\n%s",
				   extra) == 0, "%s", err);
}

/* Plans the parsed cell again with its window at [base, +size). */
static int plan_window(uint64_t base, uint64_t size)
{
	struct nc_ram_layout l;

	ck_assert_int_eq(nc_ram_layout(&l, cell.cfg.memory, base, size, err,
				       sizeof(err)), 0);
	return nc_devices_plan(&cell.devs, &cell.cfg, &l, err, sizeof(err));
}

START_TEST(default_cell)
{
	static const char *const want[] = { "gic0", "uart0", "ion0" };
	const struct nc_dev *d;
	unsigned i;

	plan("");
	ck_assert_uint_eq(cell.devs.nr, 3);
	for (i = 0; i < 3; i++)
		ck_assert_str_eq(cell.devs.dev[i].name, want[i]);
	d = nc_devices_find(&cell.devs, "uart", 0);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->reg[0].base, NC_UART_BASE);
	ck_assert_uint_eq(d->spi, NC_SPI_UART);
	ck_assert_ptr_null(nc_devices_find(&cell.devs, "uart", 1));
	d = nc_devices_find(&cell.devs, "ion", 0);
	ck_assert_uint_eq(d->reg[0].base, NC_DOORBELL_BASE);
	ck_assert_uint_eq(d->nr_spis, 0);	/* no valves */
	d = nc_devices_find(&cell.devs, "gic", 0);
	ck_assert_uint_eq(d->nr_regs, 2);
	ck_assert_uint_eq(d->reg[1].size, 8 * NC_GIC_REDIST_STRIDE);
}
END_TEST

START_TEST(serial_adds_uart1)
{
	const struct nc_dev *d;

	plan("[serial]\nmode = \"off\"\n[[blk]]\npath = \"a.img\"\n[net]\n");
	ck_assert_uint_eq(cell.devs.nr, 4);
	d = nc_devices_find(&cell.devs, "uart", 1);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->name, "uart1");
	ck_assert_uint_eq(d->reg[0].base, NC_UART_BASE + NC_UART_STRIDE);
	ck_assert_uint_eq(d->reg[0].size, NC_UART_SIZE);
	ck_assert_uint_eq(d->spi, NC_SPI_UART + 1);
	d = nc_devices_find(&cell.devs, "ion", 0);
	ck_assert_uint_eq(d->spi, NC_SPI_ION_FIRST);
	ck_assert_uint_eq(d->nr_spis, 2);
}
END_TEST

START_TEST(window_on_gic)
{
	plan("");
	ck_assert_int_eq(plan_window(0x08000000, ION_DEFAULT_SIZE), -EINVAL);
	ck_assert_str_eq(err, "ion window [0x08000000-0x08ffffff] overlaps GIC distributor [0x08000000-0x0800ffff]");
	ck_assert_int_eq(plan_window(0x08100000, ION_MIN_SIZE), -EINVAL);
	ck_assert_str_eq(err, "ion window [0x08100000-0x081fffff] overlaps GIC redistributors [0x080a0000-0x0819ffff]");
	/* Right below the GIC and right above the doorbells is clear. */
	ck_assert_int_eq(plan_window(NC_GIC_DIST_BASE - ION_MIN_SIZE, ION_MIN_SIZE), 0);
	ck_assert_int_eq(plan_window(NC_DOORBELL_BASE + ION_DOORBELL_SIZE, ION_MIN_SIZE), 0);
}
END_TEST

START_TEST(window_on_uarts_and_doorbells)
{
	plan("");
	ck_assert_int_eq(plan_window(0x08f80000, ION_MIN_SIZE), -EINVAL);
	ck_assert_str_eq(err, "ion window [0x08f80000-0x0907ffff] overlaps uart0 [0x09000000-0x09000fff]");
	/* Without [serial], uart1's page is free; the doorbells are next. */
	ck_assert_int_eq(plan_window(0x09001000, ION_MIN_SIZE), -EINVAL);
	ck_assert_str_eq(err, "ion window [0x09001000-0x09100fff] overlaps ION doorbells [0x09010000-0x09010fff]");
	plan("[serial]\nmode = \"off\"\n");
	ck_assert_int_eq(plan_window(0x09001000, ION_MIN_SIZE), -EINVAL);
	ck_assert_str_eq(err, "ion window [0x09001000-0x09100fff] overlaps uart1 [0x09001000-0x09001fff]");
}
END_TEST

/* check and run refuse such a cell with the file and line of [ion] base. */
START_TEST(located_in_the_cell_file)
{
	nc_cell_free(&cell);
	ck_assert_int_eq(nc_test_cell(&cell, err, sizeof(err),
				      "[boot]\nkernel = \"Image\"\n[ion]\nbase = 0x08000000\n"),
			 -EINVAL);
	ck_assert_str_eq(err, "cell.toml:4: ion window [0x08000000-0x08ffffff] overlaps GIC distributor [0x08000000-0x0800ffff]");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("devices");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, default_cell);
	tcase_add_test(tc, serial_adds_uart1);
	tcase_add_test(tc, window_on_gic);
	tcase_add_test(tc, window_on_uarts_and_doorbells);
	tcase_add_test(tc, located_in_the_cell_file);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
