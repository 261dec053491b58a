// SPDX-License-Identifier: GPL-2.0
/* nc_ram_layout(): where RAM and the ION window go. */
#include <check.h>

#include "../nc_check.h"
#include <errno.h>
#include <string.h>

#include <nipcell/ion.h>

#include "arch/arm64/layout.h"
#include "arch/arm64/ram_layout.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static struct nc_ram_layout l;
static char err[512];

static int layout(uint64_t ram, uint64_t base, uint64_t size)
{
	memset(err, 0, sizeof(err));
	memset(&l, 0xa5, sizeof(l));
	return nc_ram_layout(&l, ram, base, size, err, sizeof(err));
}

/* What ram_layout.h promises for every accepted layout. */
static void check_invariants(uint64_t ram)
{
	uint64_t total = 0;
	unsigned int i;

	ck_assert_uint_ge(l.nr_ram, 1);
	ck_assert_uint_le(l.nr_ram, 2);
	ck_assert_uint_ge(l.ram[0].size, NC_BOOT_RAM_MIN);
	for (i = 0; i < l.nr_ram; i++) {
		const struct nc_region *r = &l.ram[i];

		ck_assert_uint_gt(r->size, 0);
		ck_assert_uint_eq(r->gpa % NC_RAM_ALIGN, 0);
		ck_assert_uint_eq(r->size % NC_RAM_ALIGN, 0);
		ck_assert(nc_region_end(r) <= l.ion.gpa ||
			  r->gpa >= nc_region_end(&l.ion));
		if (i)
			ck_assert_uint_le(nc_region_end(&l.ram[i - 1]), r->gpa);
		total += r->size;
	}
	ck_assert_uint_eq(total, ram);
	ck_assert_str_eq(err, "");
}

static void check_one(uint64_t gpa, uint64_t size)
{
	ck_assert_uint_eq(l.nr_ram, 1);
	ck_assert_uint_eq(l.ram[0].gpa, gpa);
	ck_assert_uint_eq(l.ram[0].size, size);
}

static void check_two(uint64_t size0, uint64_t gpa1, uint64_t size1)
{
	ck_assert_uint_eq(l.nr_ram, 2);
	ck_assert_uint_eq(l.ram[0].gpa, NC_RAM_BASE);
	ck_assert_uint_eq(l.ram[0].size, size0);
	ck_assert_uint_eq(l.ram[1].gpa, gpa1);
	ck_assert_uint_eq(l.ram[1].size, size1);
}

START_TEST(ram_128m_below_window)
{
	ck_assert_int_eq(layout(128 * MiB, ION_DEFAULT_BASE, ION_DEFAULT_SIZE), 0);
	check_one(NC_RAM_BASE, 128 * MiB);
	ck_assert_uint_eq(l.ion.gpa, ION_DEFAULT_BASE);
	ck_assert_uint_eq(l.ion.size, ION_DEFAULT_SIZE);
	check_invariants(128 * MiB);
}
END_TEST

START_TEST(ram_256m_up_to_window)
{
	ck_assert_int_eq(layout(256 * MiB, ION_DEFAULT_BASE, ION_DEFAULT_SIZE), 0);
	check_one(NC_RAM_BASE, 256 * MiB);
	ck_assert_uint_eq(nc_region_end(&l.ram[0]), ION_DEFAULT_BASE);
	check_invariants(256 * MiB);
}
END_TEST

START_TEST(ram_257m_split)
{
	ck_assert_int_eq(layout(257 * MiB, ION_DEFAULT_BASE, ION_DEFAULT_SIZE), 0);
	check_two(256 * MiB, 0x91000000, 1 * MiB);
	check_invariants(257 * MiB);
}
END_TEST

START_TEST(ram_512m_split)
{
	ck_assert_int_eq(layout(512 * MiB, ION_DEFAULT_BASE, ION_DEFAULT_SIZE), 0);
	check_two(256 * MiB, 0x91000000, 256 * MiB);
	check_invariants(512 * MiB);
}
END_TEST

START_TEST(ram_2g_split)
{
	ck_assert_int_eq(layout(2 * GiB, ION_DEFAULT_BASE, ION_DEFAULT_SIZE), 0);
	check_two(256 * MiB, 0x91000000, 2 * GiB - 256 * MiB);
	ck_assert_uint_eq(nc_region_end(&l.ram[1]), 0x101000000ULL);
	check_invariants(2 * GiB);
}
END_TEST

START_TEST(ram_max_split)
{
	ck_assert_int_eq(layout(NC_RAM_MAX, ION_DEFAULT_BASE, ION_MAX_SIZE), 0);
	check_two(256 * MiB, ION_DEFAULT_BASE + ION_MAX_SIZE,
		  NC_RAM_MAX - 256 * MiB);
	check_invariants(NC_RAM_MAX);
}
END_TEST

START_TEST(window_above_ram)
{
	ck_assert_int_eq(layout(512 * MiB, 0x100000000ULL, ION_DEFAULT_SIZE), 0);
	check_one(NC_RAM_BASE, 512 * MiB);
	check_invariants(512 * MiB);
}
END_TEST

START_TEST(window_at_ram_base)
{
	/* No RAM below the window: one region after it, ram[0] is it. */
	ck_assert_int_eq(layout(512 * MiB, NC_RAM_BASE, ION_DEFAULT_SIZE), 0);
	check_one(NC_RAM_BASE + ION_DEFAULT_SIZE, 512 * MiB);
	check_invariants(512 * MiB);
}
END_TEST

START_TEST(window_across_ram_base)
{
	ck_assert_int_eq(layout(128 * MiB, NC_RAM_BASE - 16 * MiB, 32 * MiB), 0);
	check_one(NC_RAM_BASE + 16 * MiB, 128 * MiB);
	check_invariants(128 * MiB);
}
END_TEST

START_TEST(window_below_ram_clear_of_mmio)
{
	ck_assert_int_eq(layout(1 * GiB, 0x40000000, ION_DEFAULT_SIZE), 0);
	check_one(NC_RAM_BASE, 1 * GiB);
	check_invariants(1 * GiB);
	/* Right below the GIC and right above the doorbells. */
	ck_assert_int_eq(layout(1 * GiB, NC_GIC_DIST_BASE - ION_MIN_SIZE,
				ION_MIN_SIZE), 0);
	ck_assert_int_eq(layout(1 * GiB, NC_DOORBELL_BASE + ION_DOORBELL_SIZE,
				ION_MIN_SIZE), 0);
}
END_TEST

START_TEST(ram_below_window_too_small)
{
	ck_assert_int_eq(layout(512 * MiB, NC_RAM_BASE + 16 * MiB,
				ION_DEFAULT_SIZE), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "RAM below the ion window [0x81000000-0x81ffffff] is only 16 MiB [0x80000000-0x80ffffff]; boot needs 32 MiB"));
	/* 32 MiB is enough. */
	ck_assert_int_eq(layout(512 * MiB, NC_RAM_BASE + NC_BOOT_RAM_MIN,
				ION_DEFAULT_SIZE), 0);
	check_two(NC_BOOT_RAM_MIN, NC_RAM_BASE + NC_BOOT_RAM_MIN + ION_DEFAULT_SIZE,
		  512 * MiB - NC_BOOT_RAM_MIN);
	check_invariants(512 * MiB);
}
END_TEST

START_TEST(misaligned)
{
	ck_assert_int_eq(layout(512 * MiB, ION_DEFAULT_BASE + 0x800,
				ION_DEFAULT_SIZE), -EINVAL);
	ck_assert_str_eq(err, "ion window base 0x90000800 is not 4 KiB aligned");
	ck_assert_int_eq(layout(512 * MiB, ION_DEFAULT_BASE,
				ION_DEFAULT_SIZE + 0x200), -EINVAL);
	ck_assert_str_eq(err, "ion window size 0x1000200 is not a multiple of 4 KiB");
	ck_assert_int_eq(layout(512 * MiB + 1, ION_DEFAULT_BASE,
				ION_DEFAULT_SIZE), -EINVAL);
	ck_assert_str_eq(err, "RAM size 0x20000001 is not a multiple of 4 KiB");
}
END_TEST

START_TEST(sizes_out_of_range)
{
	ck_assert_int_eq(layout(32 * MiB, ION_DEFAULT_BASE, ION_DEFAULT_SIZE), -EINVAL);
	ck_assert_str_eq(err, "RAM size 32 MiB is out of range: 64 MiB to 16384 MiB");
	ck_assert_int_eq(layout(NC_RAM_MAX + 4096, ION_DEFAULT_BASE,
				ION_DEFAULT_SIZE), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "out of range"));
	ck_assert_int_eq(layout(0, ION_DEFAULT_BASE, ION_DEFAULT_SIZE), -EINVAL);
	ck_assert_int_eq(layout(512 * MiB, ION_DEFAULT_BASE, 0), -EINVAL);
	ck_assert_int_eq(layout(512 * MiB, ION_DEFAULT_BASE, 64 * 1024), -EINVAL);
	ck_assert_str_eq(err, "ion window size 64 KiB is out of range: 1 MiB to 1024 MiB");
	ck_assert_int_eq(layout(512 * MiB, ION_DEFAULT_BASE, 2 * GiB), -EINVAL);
}
END_TEST

START_TEST(above_gpa_limit)
{
	ck_assert_int_eq(layout(512 * MiB, NC_GPA_LIMIT - ION_DEFAULT_SIZE,
				ION_DEFAULT_SIZE), 0);
	ck_assert_int_eq(layout(512 * MiB, NC_GPA_LIMIT, ION_DEFAULT_SIZE), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "40-bit"));
	ck_assert_int_eq(layout(512 * MiB, 0xfffffffffffff000ULL,
				ION_DEFAULT_SIZE), -EINVAL);
}
END_TEST

START_TEST(no_error_buffer)
{
	ck_assert_int_eq(nc_ram_layout(&l, 512 * MiB, NC_RAM_BASE + 16 * MiB,
				       ION_DEFAULT_SIZE, NULL, 0), -EINVAL);
	ck_assert_int_eq(nc_ram_layout(&l, 512 * MiB, ION_DEFAULT_BASE,
				       ION_DEFAULT_SIZE, NULL, 0), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ram_layout");
	TCase *ok = tcase_create("accepted");
	TCase *bad = tcase_create("refused");

	tcase_add_test(ok, ram_128m_below_window);
	tcase_add_test(ok, ram_256m_up_to_window);
	tcase_add_test(ok, ram_257m_split);
	tcase_add_test(ok, ram_512m_split);
	tcase_add_test(ok, ram_2g_split);
	tcase_add_test(ok, ram_max_split);
	tcase_add_test(ok, window_above_ram);
	tcase_add_test(ok, window_at_ram_base);
	tcase_add_test(ok, window_across_ram_base);
	tcase_add_test(ok, window_below_ram_clear_of_mmio);
	tcase_add_test(bad, ram_below_window_too_small);
	tcase_add_test(bad, misaligned);
	tcase_add_test(bad, sizes_out_of_range);
	tcase_add_test(bad, above_gpa_limit);
	tcase_add_test(bad, no_error_buffer);
	suite_add_tcase(s, ok);
	suite_add_tcase(s, bad);

	return nc_check_run(s);
}
