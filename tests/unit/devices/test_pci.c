// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI host bridge (vmm/devices/pci.c): present only with [[pci]], with
 * the ITS in the GIC; its ECAM dispatch to the functions of the bus; the
 * window claims that refuse a BAR outside the window or over another.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "../nc_check.h"
#include "../nc_cell_test.h"
#include "devices/pci.h"

static struct nc_cell cell;
static char err[512];

START_TEST(only_with_pci)
{
	const struct nc_dev *d;

	ck_assert_int_eq(nc_test_cell(&cell, err, sizeof(err), "[boot]\nkernel = \"Image\"\n"), 0);
	ck_assert_ptr_null(nc_devices_find(&cell.devs, "pci", 0));
	ck_assert_uint_eq(nc_devices_find(&cell.devs, "gic", 0)->nr_regs, 2);
	nc_cell_free(&cell);
	ck_assert_int_eq(nc_test_cell(&cell, err, sizeof(err),
				      "[boot]\nkernel = \"Image\"\n[[pci]]\nhost = \"0000:00:01.0\"\n"), 0);
	d = nc_devices_find(&cell.devs, "pci", 0);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->reg[0].base, NC_PCI_ECAM_BASE);
	ck_assert_uint_eq(d->reg[1].base, NC_PCI_MMIO_BASE);
	ck_assert_uint_eq(d->spi, NC_SPI_PCI_FIRST);
	ck_assert_uint_eq(d->nr_spis, NC_PCI_MAX_SLOTS);
	d = nc_devices_find(&cell.devs, "gic", 0);
	ck_assert_uint_eq(d->nr_regs, 3);
	ck_assert_uint_eq(d->reg[2].base, NC_GIC_ITS_BASE);
	nc_cell_free(&cell);
}
END_TEST

/* The window is placed like any device: a window over it is refused. */
START_TEST(window_overlap_refused)
{
	ck_assert_int_eq(nc_test_cell(&cell, err, sizeof(err),
				      "[boot]\nkernel = \"Image\"\n[ion]\nbase = 0x20000000\n"
				      "[[pci]]\nhost = \"0000:00:01.0\"\n"), -EINVAL);
	ck_assert_msg(strstr(err, "ion window [0x20000000-0x20ffffff] overlaps PCI memory window [0x10000000-0x2fffffff]"),
		      "%s", err);
	nc_cell_free(&cell);
}
END_TEST

static unsigned cfg_off, cfg_len, bar_hits;

static void fake_cfg(void *fn, unsigned off, uint8_t *data, unsigned len, bool w)
{
	(void)fn;
	(void)w;
	cfg_off = off;
	cfg_len = len;
	memset(data, 0xab, len);
}

static void fake_bar(void *fn, unsigned bar, uint64_t off, uint8_t *data, unsigned len,
		     bool w)
{
	(void)fn;
	(void)w;
	bar_hits++;
	memset(data, 0, len);
	data[0] = bar;
	data[1] = off;
}

static const struct nc_pci_fn_ops fake_ops = { fake_cfg, fake_bar };

START_TEST(ecam_and_claims)
{
	static struct nc_pci_bus bus;
	int a, b;
	uint8_t d[4];

	memset(&bus, 0, sizeof(bus));
	pthread_mutex_init(&bus.lock, NULL);
	bus.nr = 1;
	bus.slot[0].ops = &fake_ops;
	bus.slot[0].fn = &a;
	/* 00:00.0 register 0x10 */
	ck_assert(nc_pci_bus_cfg(&bus, 0x10, d, 4, false));
	ck_assert_uint_eq(cfg_off, 0x10);
	ck_assert_uint_eq(d[0], 0xab);
	/* No function at 00:01.0 nor at 00:00.1: all ones. */
	ck_assert(!nc_pci_bus_cfg(&bus, 1 << 15, d, 4, false));
	ck_assert_uint_eq(d[0], 0xff);
	ck_assert(!nc_pci_bus_cfg(&bus, 1 << 12, d, 2, false));
	/* Unaligned: refused. */
	ck_assert(!nc_pci_bus_cfg(&bus, 0x11, d, 2, false));

	ck_assert_int_eq(nc_pci_bus_claim(&bus, &a, 0, NC_PCI_MMIO_BASE, 0x4000, err,
					  sizeof(err)), 0);
	ck_assert_int_eq(nc_pci_bus_claim(&bus, &b, 3, NC_PCI_MMIO_BASE + 0x2000, 0x1000,
					  err, sizeof(err)), -EBUSY);
	ck_assert_str_eq(err, "[0x10002000-0x10002fff] overlaps BAR0 of 00:00.0 [0x10000000-0x10003fff]");
	ck_assert_int_eq(nc_pci_bus_claim(&bus, &b, 3, 0x80000000, 0x1000, err,
					  sizeof(err)), -ERANGE);
	ck_assert_str_eq(err, "[0x80000000-0x80000fff] is outside the PCI memory window [0x10000000-0x2fffffff]");
	/* Moving its own BAR over its old place is fine. */
	ck_assert_int_eq(nc_pci_bus_claim(&bus, &a, 0, NC_PCI_MMIO_BASE + 0x2000, 0x4000,
					  err, sizeof(err)), 0);
	ck_assert(nc_pci_bus_mmio(&bus, NC_PCI_MMIO_BASE + 0x2010, d, 4, false));
	ck_assert_uint_eq(d[0], 0);
	ck_assert_uint_eq(d[1], 0x10);
	ck_assert(!nc_pci_bus_mmio(&bus, NC_PCI_MMIO_BASE + 0x10, d, 4, false));
	ck_assert_uint_eq(d[0], 0xff);
	nc_pci_bus_release(&bus, &a, 0);
	ck_assert(!nc_pci_bus_mmio(&bus, NC_PCI_MMIO_BASE + 0x2010, d, 4, false));
	ck_assert_uint_eq(bar_hits, 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pci");
	TCase *tc = tcase_create("pci");

	tcase_add_test(tc, only_with_pci);
	tcase_add_test(tc, window_overlap_refused);
	tcase_add_test(tc, ecam_and_claims);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
