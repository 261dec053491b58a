// SPDX-License-Identifier: GPL-2.0
/*
 * The config space a passthrough function shows the guest (vmm/vfio/
 * pcicfg.c), on an in-memory image of a device's config space (an NVMe
 * as QEMU builds it, with an MSI capability to hide and an I/O BAR):
 * BAR sizing and relocation, command register, ROM hidden, capability
 * chain, MSI-X control, MSI emulated when VFIO offers it, and accesses
 * that are refused.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "../nc_check.h"
#include "vfio/pcicfg.h"

static uint8_t img[4096];
static unsigned nr_writes;
static struct nc_pcicfg cfg;

static int img_read(void *opaque, unsigned off, void *buf, unsigned len)
{
	(void)opaque;
	memcpy(buf, img + off, len);
	return 0;
}

static int img_write(void *opaque, unsigned off, const void *buf, unsigned len)
{
	(void)opaque;
	memcpy(img + off, buf, len);
	nr_writes++;
	return 0;
}

static const struct nc_pcicfg_backend be = { img_read, img_write };

static void put32(unsigned off, uint32_t v)
{
	memcpy(img + off, &v, 4);
}

static uint32_t rd(unsigned off, unsigned len)
{
	uint8_t d[4] = { 0 };
	uint32_t v = 0;
	unsigned i;

	nc_pcicfg_read(&cfg, off, d, len);
	for (i = 0; i < len; i++)
		v |= (uint32_t)d[i] << 8 * i;
	return v;
}

static unsigned wr(unsigned off, unsigned len, uint32_t v)
{
	uint8_t d[4];
	unsigned i;

	for (i = 0; i < 4; i++)
		d[i] = v >> 8 * i;
	return nc_pcicfg_write(&cfg, off, d, len);
}

static const uint64_t sizes[6] = { 0x4000, 0, 0x20, 0x1000, 0, 0 };

/* PM at 0x40 -> MSI at 0x50 -> MSI-X at 0x60 -> PCIe at 0x80. */
static void build_msi(bool intx, bool msi)
{
	char err[256];

	memset(img, 0, sizeof(img));
	put32(0x00, 0x00101b36);
	put32(0x04, 0x00100000);		/* status: capability list */
	put32(0x08, 0x01080202);		/* NVMe */
	put32(0x0c, 0x00800000);		/* header type: multi-function */
	put32(0x10, 0x00000004);		/* BAR0: 64-bit memory */
	put32(0x18, 0x00000001);		/* BAR2: I/O */
	put32(0x1c, 0x00000008);		/* BAR3: 32-bit, prefetchable */
	put32(0x30, 0xfffe0001);		/* an expansion ROM */
	put32(0x34, 0x40);
	put32(0x3c, 0x00000100);		/* INTA */
	put32(0x40, 0x00035001);		/* PM */
	put32(0x50, 0x00806005);		/* MSI */
	put32(0x60, 0x00408011);		/* MSI-X, 65 entries */
	put32(0x64, 0x00002000);		/* table: BAR0 + 0x2000 */
	put32(0x68, 0x00003000);		/* PBA: BAR0 + 0x3000 */
	put32(0x80, 0x00020010);		/* PCIe, last */
	nr_writes = 0;
	ck_assert_int_eq(nc_pcicfg_init(&cfg, &be, NULL, 4096, sizes, intx, msi, err,
					sizeof(err)), 0);
}

static void build(bool intx)
{
	build_msi(intx, false);
}

static void setup(void)
{
	build(true);
}

START_TEST(bar_sizing)
{
	ck_assert_uint_eq(rd(0x10, 4), 0x00000004);
	ck_assert_uint_eq(wr(0x10, 4, 0xffffffff), NC_PCICFG_EV_BARS);
	ck_assert_uint_eq(rd(0x10, 4), 0xffffc004);
	wr(0x14, 4, 0xffffffff);
	ck_assert_uint_eq(rd(0x14, 4), 0xffffffff);
	/* The I/O BAR is hidden: no I/O space in a cell. */
	wr(0x18, 4, 0xffffffff);
	ck_assert_uint_eq(rd(0x18, 4), 0);
	wr(0x1c, 4, 0xffffffff);
	ck_assert_uint_eq(rd(0x1c, 4), 0xfffff008);
	wr(0x20, 4, 0xffffffff);
	ck_assert_uint_eq(rd(0x20, 4), 0);
	/* Nothing of it reached the device. */
	ck_assert_uint_eq(nr_writes, 0);
	ck_assert_uint_eq(img[0x10], 0x04);
}
END_TEST

START_TEST(bar_relocation)
{
	wr(0x10, 4, 0xffffffff);
	wr(0x14, 4, 0xffffffff);
	ck_assert_uint_eq(wr(0x10, 4, 0x10004000), NC_PCICFG_EV_BARS);
	ck_assert_uint_eq(wr(0x14, 4, 0), NC_PCICFG_EV_BARS);
	ck_assert_uint_eq(wr(0x14, 4, 0), 0);		/* no change, no event */
	ck_assert_uint_eq(rd(0x10, 4), 0x10004004);
	/* Not decoded until the memory bit is set. */
	ck_assert_uint_eq(nc_pcicfg_bar_decoded(&cfg, 0), 0);
	ck_assert_uint_eq(wr(0x04, 2, 0x0007), NC_PCICFG_EV_BARS);
	ck_assert_uint_eq(nc_pcicfg_bar_decoded(&cfg, 0), 0x10004000);
	/* The device gets the command without the I/O bit. */
	ck_assert_uint_eq(img[0x04], 0x06);
	/* Unaligned low bits are dropped; a 64-bit BAR moves above 4 GiB. */
	wr(0x10, 4, 0x10005678);
	wr(0x14, 4, 0x1);
	ck_assert_uint_eq(nc_pcicfg_bar_decoded(&cfg, 0), 0x110004000ULL);
	/* A byte write into the BAR merges with the rest. */
	wr(0x12, 1, 0x20);
	ck_assert_uint_eq(nc_pcicfg_bar_decoded(&cfg, 0), 0x110204000ULL);
	ck_assert_uint_eq(wr(0x04, 2, 0x0004), NC_PCICFG_EV_BARS);
	ck_assert_uint_eq(nc_pcicfg_bar_decoded(&cfg, 0), 0);
}
END_TEST

START_TEST(status_is_passed_as_written)
{
	/* A 32-bit write at 0x04: the command, and status bits to clear (RW1C). */
	wr(0x04, 4, 0xf9000002);
	ck_assert_uint_eq(img[0x04], 0x02);
	ck_assert_uint_eq(img[0x07], 0xf9);
	ck_assert_uint_eq(nr_writes, 2);
}
END_TEST

START_TEST(rom_hidden)
{
	ck_assert_uint_eq(rd(0x30, 4), 0);
	ck_assert_uint_eq(wr(0x30, 4, 0xfffff801), 0);
	ck_assert_uint_eq(rd(0x30, 4), 0);
	ck_assert_uint_eq(nr_writes, 0);
	ck_assert_uint_eq(img[0x30], 0x01);
}
END_TEST

START_TEST(capability_chain)
{
	ck_assert_uint_eq(rd(0x06, 2) & 0x10, 0x10);
	ck_assert_uint_eq(rd(0x34, 1), 0x40);
	ck_assert_uint_eq(rd(0x40, 1), 0x01);
	ck_assert_uint_eq(rd(0x41, 1), 0x60);		/* MSI skipped */
	ck_assert_uint_eq(rd(0x60, 2), 0x8011);
	ck_assert_uint_eq(rd(0x81, 1), 0x00);
	ck_assert_uint_eq(cfg.nr_caps, 3);
	ck_assert_uint_eq(cfg.nr_hidden, 1);
	/* The rest of a capability is the device's. */
	ck_assert_uint_eq(rd(0x42, 2), 0x0003);
	/* One function: the multi-function bit is cleared. */
	ck_assert_uint_eq(rd(0x0e, 1), 0x00);
	/* The header of a capability cannot be written; the rest can. */
	wr(0x40, 4, 0x00080000);
	ck_assert_uint_eq(img[0x41], 0x50);
	ck_assert_uint_eq(img[0x42], 0x08);
	ck_assert_uint_eq(img[0x43], 0x00);
}
END_TEST

START_TEST(msix_control)
{
	ck_assert_uint_eq(cfg.msix, 0x60);
	ck_assert_uint_eq(cfg.msix_qsize, 65);
	ck_assert_uint_eq(cfg.msix_table, 0x2000);
	ck_assert_uint_eq(cfg.msix_pba, 0x3000);
	ck_assert_uint_eq(rd(0x62, 2), 0x0040);
	ck_assert_uint_eq(wr(0x62, 2, 0xc000), NC_PCICFG_EV_MSIX);
	ck_assert_uint_eq(cfg.msix_ctrl, 0xc000);
	ck_assert_uint_eq(rd(0x62, 2), 0xc040);
	ck_assert_uint_eq(wr(0x63, 1, 0x80), NC_PCICFG_EV_MSIX);
	ck_assert_uint_eq(rd(0x60, 4), 0x80408011);
	ck_assert_uint_eq(wr(0x60, 4, 0x80000000), 0);	/* no change */
	/* The device's own control word is never written. */
	ck_assert_uint_eq(img[0x63], 0x00);
	ck_assert_uint_eq(nr_writes, 0);
}
END_TEST

START_TEST(msi_emulated)
{
	uint64_t addr;
	uint32_t data;
	bool masked;
	unsigned n = nr_writes;

	build_msi(true, true);
	ck_assert_uint_eq(rd(0x40, 4) >> 8 & 0xff, 0x50);	/* MSI in the chain */
	/* 64-bit, one vector capable (MMC 0), not enabled */
	ck_assert_uint_eq(rd(0x50, 4), 0x00806005);
	ck_assert_uint_eq(wr(0x54, 4, 0x08090043), NC_PCICFG_EV_MSI);
	ck_assert_uint_eq(rd(0x54, 4), 0x08090040);		/* low 2 bits reserved */
	ck_assert_uint_eq(wr(0x58, 4, 0), 0);			/* upper address unchanged */
	ck_assert_uint_eq(wr(0x5c, 2, 0x12345), NC_PCICFG_EV_MSI);
	ck_assert_uint_eq(rd(0x5c, 4), 0x2345);
	ck_assert(!nc_pcicfg_msi(&cfg, &addr, &data, &masked));
	/* enable, and ask for 4 vectors (MME 2): one is what it gets */
	ck_assert_uint_eq(wr(0x52, 2, 0x0021), NC_PCICFG_EV_MSI);
	ck_assert_uint_eq(rd(0x52, 2), 0x0081);
	ck_assert(nc_pcicfg_msi(&cfg, &addr, &data, &masked));
	ck_assert_uint_eq(addr, 0x08090040);
	ck_assert_uint_eq(data, 0x2345);
	ck_assert(!masked);
	ck_assert_uint_eq(wr(0x52, 2, 0x0021), 0);		/* no change, no event */
	ck_assert_uint_eq(wr(0x52, 2, 0), NC_PCICFG_EV_MSI);
	ck_assert(!nc_pcicfg_msi(&cfg, &addr, &data, &masked));
	ck_assert_uint_eq(rd(0x60, 4) & 0xff, 0x11);		/* MSI-X still next */
	ck_assert_uint_eq(nr_writes, n);			/* never on the device */
}
END_TEST

START_TEST(msi_maskable_32bit)
{
	uint64_t addr;
	uint32_t data;
	bool masked;

	memset(img, 0, sizeof(img));
	put32(0x04, 0x00100000);
	put32(0x34, 0x50);
	put32(0x50, 0x01000005);	/* MSI, 32-bit, per-vector mask, last */
	{
		char err[128];

		ck_assert_int_eq(nc_pcicfg_init(&cfg, &be, NULL, 256, sizes, false, true, err,
						sizeof(err)), 0);
	}
	ck_assert_uint_eq(wr(0x58, 4, 0x41), NC_PCICFG_EV_MSI);	/* data at +8 */
	ck_assert_uint_eq(wr(0x5c, 4, 0xffffffff), NC_PCICFG_EV_MSI);	/* mask at +12 */
	ck_assert_uint_eq(rd(0x5c, 4), 1);
	ck_assert_uint_eq(rd(0x60, 4), 0);			/* pending: VFIO's */
	wr(0x50, 4, 0x00010000);
	ck_assert(nc_pcicfg_msi(&cfg, &addr, &data, &masked));
	ck_assert_uint_eq(data, 0x41);
	ck_assert(masked);
}
END_TEST

START_TEST(interrupt_line_and_pin)
{
	ck_assert_uint_eq(rd(0x3d, 1), 1);
	wr(0x3c, 1, 11);
	ck_assert_uint_eq(rd(0x3c, 2), 0x010b);
	wr(0x3d, 1, 4);				/* the pin is read-only */
	ck_assert_uint_eq(rd(0x3d, 1), 1);
	build(false);				/* no INTx from VFIO: no pin */
	ck_assert_uint_eq(rd(0x3d, 1), 0);
}
END_TEST

START_TEST(bad_accesses)
{
	ck_assert_uint_eq(rd(0x11, 2), 0xffff);		/* unaligned */
	ck_assert_uint_eq(rd(0x10, 3), 0xffffff);	/* no such width */
	ck_assert_uint_eq(rd(4094, 4), 0xffffffff);	/* past the end */
	ck_assert_uint_eq(wr(0x11, 2, 0), 0);
	ck_assert_uint_eq(wr(4096, 1, 0), 0);
	ck_assert_uint_eq(nr_writes, 0);
	ck_assert_uint_eq(rd(0x10, 4), 0x00000004);
}
END_TEST

/* A chain that loops back on itself ends; one that points below 0x40 too. */
START_TEST(broken_chains)
{
	char err[256];

	put32(0x80, 0x00400010);		/* PCIe -> PM again */
	ck_assert_int_eq(nc_pcicfg_init(&cfg, &be, NULL, 4096, sizes, true, false, err,
					sizeof(err)), 0);
	ck_assert_uint_eq(cfg.nr_caps, 3);
	ck_assert_uint_eq(rd(0x81, 1), 0);
	put32(0x40, 0x00000801);		/* PM -> 0x08 */
	ck_assert_int_eq(nc_pcicfg_init(&cfg, &be, NULL, 4096, sizes, true, false, err,
					sizeof(err)), 0);
	ck_assert_uint_eq(cfg.nr_caps, 1);
	ck_assert_uint_eq(cfg.msix, 0);
	memset(img, 0xff, sizeof(img));		/* a device gone */
	ck_assert_int_eq(nc_pcicfg_init(&cfg, &be, NULL, 4096, sizes, true, false, err,
					sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "config space reads all ones: the device is gone or in reset");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pcicfg");
	TCase *tc = tcase_create("pcicfg");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, bar_sizing);
	tcase_add_test(tc, bar_relocation);
	tcase_add_test(tc, status_is_passed_as_written);
	tcase_add_test(tc, rom_hidden);
	tcase_add_test(tc, capability_chain);
	tcase_add_test(tc, msix_control);
	tcase_add_test(tc, msi_emulated);
	tcase_add_test(tc, msi_maskable_32bit);
	tcase_add_test(tc, interrupt_line_and_pin);
	tcase_add_test(tc, bad_accesses);
	tcase_add_test(tc, broken_chains);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
