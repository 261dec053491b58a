/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A prepared cell: the parsed cell.toml, checked files, the arm64 Image
 * header, the RAM/window layout and where kernel, initramfs and DTB go.
 * Everything here is architecture-independent, so `check` and `dtb` work on
 * any host; only `run` needs arm64 KVM.
 */
#ifndef NC_CELL_H
#define NC_CELL_H

#include <stddef.h>
#include <stdint.h>

#include <nipcell/ion_host.h>

#include "arch/arm64/image.h"
#include "arch/arm64/layout.h"
#include "arch/arm64/ram_layout.h"
#include "config/config.h"
#include "devices/device.h"

#define NC_FDT_MAX	0x10000		/* bytes reserved for the DTB */

struct nc_cell {
	struct nc_config	cfg;
	struct nc_ram_layout	ram;
	struct nc_arm64_image	img;
	uint8_t			*kernel;	/* the Image file, read once */
	uint64_t		kernel_file_size;
	uint64_t		initrd_size;
	uint8_t			*initrd;	/* a restarting cell's initramfs, read once */
	uint64_t		initrd_len;
	uint64_t		kernel_gpa;	/* where the Image is loaded */
	uint64_t		initrd_gpa;	/* 0 without an initramfs */
	uint64_t		dtb_gpa;
	unsigned		nr_valves;	/* blk..., net, input: ION order */
	struct nc_devset	devs;		/* every device instance */
	char			bootargs[NC_CMDLINE_MAX];	/* complete */
};

/*
 * Loads and checks the cell file and everything it names, then plans it
 * (nc_cell_plan()) and places kernel, initramfs and DTB. Returns 0, or
 * -errno with err naming the file and line or the field at fault.
 */
int nc_cell_prepare(struct nc_cell *cell, const char *path, char *err, size_t errlen);

/*
 * The part of preparing that reads no file: from cell->cfg (parsed), the
 * RAM and window layout, the device instances, the valves' window layout
 * and the kernel command line. check, dtb, run and the tests all go
 * through it. Returns 0 or -errno with err located in the cell file.
 */
int nc_cell_plan(struct nc_cell *cell, char *err, size_t errlen);

/* The ION host's spec for the cell's valves (strings point into cfg). */
void nc_cell_ion_spec(const struct nc_cell *cell, struct ion_host_spec *spec);
void nc_cell_free(struct nc_cell *cell);
/* Drops the Image bytes once they are in guest RAM. */
void nc_cell_drop_kernel(struct nc_cell *cell);

/*
 * Builds the device tree `run` gives the guest into buf. mpidr holds one
 * MPIDR per vCPU (NULL: vCPU index, which is what KVM assigns).
 */
int nc_cell_fdt(const struct nc_cell *cell, const uint64_t *mpidr, void *buf,
		size_t bufsz, size_t *size, char *err, size_t errlen);

/* Reads a whole file into buf (at most max bytes); -errno with err naming it. */
int nc_read_file(const char *path, void *buf, uint64_t max, uint64_t *len,
		 char *err, size_t errlen);

#endif /* NC_CELL_H */
