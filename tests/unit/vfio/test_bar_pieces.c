// SPDX-License-Identifier: GPL-2.0
/*
 * Which parts of a BAR become memslots (nc_vfio_bar_pieces(), vmm/vfio/
 * pci.c): everything but the pages of the MSI-X table and PBA, for the
 * layouts QEMU's NVMe and e1000e have and a few more.
 */
#include <check.h>

#include "../nc_check.h"
#include "vfio/pci.h"

#define K 0x400ULL

static uint64_t p[3][2];

static unsigned pieces(uint64_t size, uint64_t page, uint64_t t0, uint64_t tl,
		       uint64_t p0, uint64_t pl)
{
	const uint64_t trap[2][2] = { { t0, tl }, { p0, pl } };

	return nc_vfio_bar_pieces(size, page, trap, p);
}

START_TEST(nvme_table_in_bar0)
{
	/* 16 KiB BAR0: registers, table at 8 KiB (65 entries), PBA at 12 KiB. */
	ck_assert_uint_eq(pieces(16 * K, 4 * K, 8 * K, 65 * 16, 12 * K, 16), 1);
	ck_assert_uint_eq(p[0][0], 0);
	ck_assert_uint_eq(p[0][1], 8 * K);
}
END_TEST

START_TEST(nvme_own_bar)
{
	/* 4 KiB BAR4 with the table at 0 and the PBA at 2 KiB: all trapped. */
	ck_assert_uint_eq(pieces(4 * K, 4 * K, 0, 65 * 16, 2 * K, 16), 0);
}
END_TEST

START_TEST(e1000e_bar3)
{
	ck_assert_uint_eq(pieces(16 * K, 4 * K, 0, 5 * 16, 8 * K, 8), 2);
	ck_assert_uint_eq(p[0][0], 4 * K);
	ck_assert_uint_eq(p[0][1], 4 * K);
	ck_assert_uint_eq(p[1][0], 12 * K);
	ck_assert_uint_eq(p[1][1], 4 * K);
}
END_TEST

START_TEST(no_traps_and_three_pieces)
{
	ck_assert_uint_eq(pieces(128 * K, 4 * K, 0, 0, 0, 0), 1);
	ck_assert_uint_eq(p[0][0], 0);
	ck_assert_uint_eq(p[0][1], 128 * K);
	/* The PBA before the table, each mid-BAR: three pieces, in order. */
	ck_assert_uint_eq(pieces(64 * K, 4 * K, 48 * K, 256, 16 * K, 8), 3);
	ck_assert_uint_eq(p[0][0], 0);
	ck_assert_uint_eq(p[0][1], 16 * K);
	ck_assert_uint_eq(p[1][0], 20 * K);
	ck_assert_uint_eq(p[1][1], 28 * K);
	ck_assert_uint_eq(p[2][0], 52 * K);
	ck_assert_uint_eq(p[2][1], 12 * K);
	/* A table that straddles pages takes both; 64 KiB pages take the BAR. */
	ck_assert_uint_eq(pieces(16 * K, 4 * K, 4 * K - 16, 32, 0, 0), 1);
	ck_assert_uint_eq(p[0][0], 8 * K);
	ck_assert_uint_eq(pieces(16 * K, 64 * K, 8 * K, 16, 12 * K, 8), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bar_pieces");
	TCase *tc = tcase_create("pieces");

	tcase_add_test(tc, nvme_table_in_bar0);
	tcase_add_test(tc, nvme_own_bar);
	tcase_add_test(tc, e1000e_bar3);
	tcase_add_test(tc, no_traps_and_three_pieces);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
