// SPDX-License-Identifier: GPL-2.0
/*
 * nc_guest_ram_*(): the mapping is 2 MiB-aligned and exactly as large as
 * asked (the slack given back: the bytes around it are not mapped), a
 * clear zeroes what the old guest wrote at the same address, and sizes
 * that cannot be mapped fail with an errno.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../nc_check.h"
#include "guest_ram.h"

/* Whether the page at p is mapped: mincore() says ENOMEM when it is not. */
static bool mapped(void *p)
{
	unsigned char v;

	return mincore((void *)((uintptr_t)p & ~(uintptr_t)(getpagesize() - 1)), 1, &v) == 0;
}

START_TEST(aligned_and_exact)
{
	uint64_t size = (uint64_t)6 << 20 | 4096;	/* not a multiple of 2 MiB */
	char *ram = nc_guest_ram_map(size, false);

	ck_assert_ptr_nonnull(ram);
	ck_assert_uint_eq((uintptr_t)ram % NC_GUEST_RAM_ALIGN, 0);
	ck_assert(mapped(ram));
	ck_assert(mapped(ram + size - 1));
	ck_assert(!mapped(ram + size + 4096));		/* the tail slack is gone */
	ram[0] = 1;
	ram[size - 1] = 2;
	nc_guest_ram_unmap(ram, size);
	ck_assert(!mapped(ram));
}
END_TEST

START_TEST(clear_zeroes_in_place)
{
	uint64_t size = 4 << 20;
	char *ram = nc_guest_ram_map(size, false);
	unsigned i;

	ck_assert_ptr_nonnull(ram);
	memset(ram, 0xa5, size);
	ck_assert_int_eq(nc_guest_ram_clear(ram, size, false), 0);
	for (i = 0; i < size; i += 4096)
		ck_assert_int_eq(ram[i], 0);
	ck_assert_int_eq(ram[size - 1], 0);
	nc_guest_ram_unmap(ram, size);
}
END_TEST

START_TEST(bad_sizes)
{
	errno = 0;
	ck_assert_ptr_null(nc_guest_ram_map(0, false));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(nc_guest_ram_map(UINT64_MAX - 4096, false));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("guest_ram");
	TCase *tc = tcase_create("map");

	tcase_add_test(tc, aligned_and_exact);
	tcase_add_test(tc, clear_zeroes_in_place);
	tcase_add_test(tc, bad_sizes);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
