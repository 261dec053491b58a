/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a cell's RAM and its ION window go in guest physical memory.
 *
 * RAM starts at NC_RAM_BASE. When the window falls inside that RAM, the RAM
 * is split around it into two regions (two memslots) of the same total size.
 * The rules, with the memory map, are in layout.h. What callers may rely on
 * after nc_ram_layout() returns 0:
 *  - nr_ram is 1 or 2, regions are listed in address order, none is empty,
 *    none overlaps the window or another region;
 *  - the sizes of the regions add up to ram_size;
 *  - ram[0] holds at least NC_BOOT_RAM_MIN bytes: boot puts the kernel,
 *    the initramfs and the DTB there;
 *  - every gpa and size is a multiple of NC_RAM_ALIGN.
 */
#ifndef NC_ARM64_RAM_LAYOUT_H
#define NC_ARM64_RAM_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

struct nc_region {
	uint64_t gpa;
	uint64_t size;
};

struct nc_ram_layout {
	unsigned int nr_ram;		/* 1 or 2 */
	struct nc_region ram[2];	/* in address order */
	struct nc_region ion;		/* the ION window */
};

static inline uint64_t nc_region_end(const struct nc_region *r)
{
	return r->gpa + r->size;
}

/*
 * Lay out ram_size bytes of RAM and the ION window [ion_base, +ion_size).
 * Returns 0, or -EINVAL with a message in err naming the values. Overlaps
 * with devices are nc_devices_plan()'s to find (vmm/devices/device.h).
 */
int nc_ram_layout(struct nc_ram_layout *l, uint64_t ram_size,
		  uint64_t ion_base, uint64_t ion_size, char *err, size_t errlen);

#endif /* NC_ARM64_RAM_LAYOUT_H */
