// SPDX-License-Identifier: GPL-2.0
/*
 * RAM and ION window placement: see ram_layout.h for what callers may rely
 * on and layout.h for the memory map.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <nipcell/ion.h>

#include "util/errf.h"
#include "layout.h"
#include "ram_layout.h"

#define MiB (1ULL << 20)

static int check_sizes(uint64_t ram_size, uint64_t ion_base,
		       uint64_t ion_size, char *err, size_t errlen)
{
	char s[32];

	if (ram_size % NC_RAM_ALIGN)
		return nc_errf(-EINVAL, err, errlen,
			    "RAM size 0x%" PRIx64 " is not a multiple of 4 KiB",
			    ram_size);
	if (ram_size < NC_RAM_MIN || ram_size > NC_RAM_MAX)
		return nc_errf(-EINVAL, err, errlen,
			    "RAM size %s is out of range: %llu MiB to %llu MiB",
			    nc_size_str(s, sizeof(s), ram_size), NC_RAM_MIN / MiB,
			    NC_RAM_MAX / MiB);
	if (ion_base % NC_RAM_ALIGN)
		return nc_errf(-EINVAL, err, errlen,
			    "ion window base 0x%08" PRIx64 " is not 4 KiB aligned",
			    ion_base);
	if (ion_size % NC_RAM_ALIGN)
		return nc_errf(-EINVAL, err, errlen,
			    "ion window size 0x%" PRIx64 " is not a multiple of 4 KiB",
			    ion_size);
	if (ion_size < ION_MIN_SIZE || ion_size > ION_MAX_SIZE)
		return nc_errf(-EINVAL, err, errlen,
			    "ion window size %s is out of range: %llu MiB to %llu MiB",
			    nc_size_str(s, sizeof(s), ion_size), ION_MIN_SIZE / MiB,
			    ION_MAX_SIZE / MiB);
	if (ion_base > NC_GPA_LIMIT - ion_size)
		return nc_errf(-EINVAL, err, errlen,
			    "ion window [0x%08" PRIx64 "-0x%08" PRIx64 "] ends above the 40-bit guest physical space (0x%llx)",
			    ion_base, ion_base + ion_size - 1, NC_GPA_LIMIT);
	return 0;
}

int nc_ram_layout(struct nc_ram_layout *l, uint64_t ram_size,
		  uint64_t ion_base, uint64_t ion_size, char *err, size_t errlen)
{
	uint64_t ion_end = ion_base + ion_size;
	uint64_t below;
	char s[32];
	int ret;

	memset(l, 0, sizeof(*l));
	ret = check_sizes(ram_size, ion_base, ion_size, err, errlen);
	if (ret)
		return ret;

	l->ion.gpa = ion_base;
	l->ion.size = ion_size;

	if (ion_end <= NC_RAM_BASE || ion_base >= NC_RAM_BASE + ram_size) {
		/* Below or above RAM: one region. */
		l->nr_ram = 1;
		l->ram[0].gpa = NC_RAM_BASE;
		l->ram[0].size = ram_size;
	} else if (ion_base <= NC_RAM_BASE) {
		/* No RAM below the window: all of it after the window. */
		l->nr_ram = 1;
		l->ram[0].gpa = ion_end;
		l->ram[0].size = ram_size;
	} else {
		below = ion_base - NC_RAM_BASE;
		if (below < NC_BOOT_RAM_MIN)
			return nc_errf(-EINVAL, err, errlen,
				    "RAM below the ion window [0x%08" PRIx64 "-0x%08" PRIx64 "] is only %s [0x%08llx-0x%08" PRIx64 "]; "
				    "boot needs %llu MiB there for the kernel, initramfs and DTB: "
				    "put the window at 0x%08llx (RAM then starts after it), at 0x%08llx or higher, or below 0x%08llx",
				    ion_base, ion_end - 1,
				    nc_size_str(s, sizeof(s), below), NC_RAM_BASE,
				    ion_base - 1, NC_BOOT_RAM_MIN / MiB,
				    NC_RAM_BASE, NC_RAM_BASE + NC_BOOT_RAM_MIN,
				    NC_RAM_BASE);
		l->nr_ram = 2;
		l->ram[0].gpa = NC_RAM_BASE;
		l->ram[0].size = below;
		l->ram[1].gpa = ion_end;
		l->ram[1].size = ram_size - below;
	}

	if (nc_region_end(&l->ram[l->nr_ram - 1]) > NC_GPA_LIMIT)
		return nc_errf(-EINVAL, err, errlen,
			    "RAM [0x%08" PRIx64 "-0x%08" PRIx64 "] ends above the 40-bit guest physical space (0x%llx)",
			    l->ram[l->nr_ram - 1].gpa,
			    nc_region_end(&l->ram[l->nr_ram - 1]) - 1,
			    NC_GPA_LIMIT);
	return 0;
}
