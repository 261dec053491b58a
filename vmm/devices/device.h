/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device model. A device is one file under vmm/devices/ (or, for the
 * interrupt controller, vmm/arch/arm64/) that exposes one constant
 * struct nc_device, and one entry in the table of vmm/devices/table.c.
 * Everything that needs to know the devices walks that table:
 *
 *   nc_devices_plan()   which instances the cell has, where each sits and
 *                       which SPIs it raises; refuses overlaps between
 *                       devices, RAM and the ION window (check, dtb, run)
 *   the device tree     one node (or more) per instance, from .fdt
 *   nc_devices_init()   MMIO registration and .init, in table order (run)
 *   nc_devices_exit()   .exit, in reverse order (run)
 *   nc_devices_exit_for_restart()  the same, but .reset devices stay
 *
 * Adding a device: write its file with a descriptor, add it to the table,
 * and, if a cell chooses it, a config key (vmm/config/keys.c) read by its
 * .count. docs/design.md walks through the second UART as the example.
 */
#ifndef NC_DEVICES_DEVICE_H
#define NC_DEVICES_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "devices/mmio.h"

#define NC_MAX_DEVS		16	/* instances in one cell */
#define NC_DEV_MAX_REGS		3	/* MMIO ranges of one instance */

struct nc_config;
struct nc_fdt;
struct nc_machine;
struct nc_ram_layout;

struct nc_dev_reg {
	const char	*name;		/* for messages: "GIC distributor" */
	uint64_t	base;
	uint64_t	size;
};

/* One instance of a device in a cell. */
struct nc_dev {
	const struct nc_device	*type;
	unsigned		idx;		/* instance of its type: uart0, uart1 */
	char			name[16];	/* type name and idx: "uart1" */
	unsigned		nr_regs;
	struct nc_dev_reg	reg[NC_DEV_MAX_REGS];	/* reg[0] is the MMIO one */
	unsigned		spi;		/* first SPI it raises */
	unsigned		nr_spis;	/* 0: none */
	void			*state;		/* .init's, freed by .exit */
};

struct nc_device {
	const char	*name;
	/* DT alias stem ("serial" -> serial0, serial1...), or NULL. */
	const char	*alias;
	/* Instances this cell has, at most .max; NULL: one. */
	unsigned	(*count)(const struct nc_config *c);
	unsigned	max;
	/* Fill d's regs and SPIs (type, idx and name are set). */
	void		(*place)(struct nc_dev *d, const struct nc_config *c);
	/* Emulates reg[0] in user space; NULL: the kernel does (vGIC). */
	nc_mmio_fn	mmio;
	/* Writes the instance's node(s) into the tree. */
	void		(*fdt)(struct nc_fdt *f, const struct nc_dev *d,
			       const struct nc_config *c);
	/* Run time, before the vCPUs start; 0 or -errno with err set. */
	int		(*init)(struct nc_dev *d, struct nc_machine *m,
				char *err, size_t errlen);
	/* After the vCPUs stopped; undoes .init. */
	void		(*exit)(struct nc_dev *d, struct nc_machine *m);
	/*
	 * A guest restart: instead of .exit and .init, back to the state .init
	 * left (a UART keeps its console: files, threads). NULL: .exit, .init.
	 */
	void		(*reset)(struct nc_dev *d, struct nc_machine *m);
};

/* The table, in device tree and init order; NULL-terminated. */
extern const struct nc_device *const nc_device_table[];

/* The cell's instances. */
struct nc_devset {
	unsigned	nr;
	unsigned	nr_init;	/* dev[0..nr_init) passed .init */
	struct nc_dev	dev[NC_MAX_DEVS];
};

/*
 * Places every instance the cell has and checks that no MMIO range overlaps
 * another, RAM or the ION window, and no SPI is raised by two devices.
 * Returns 0, or -EINVAL with e.g. "ion window [0x08000000-0x08ffffff]
 * overlaps GIC distributor [0x08000000-0x0800ffff]".
 */
int nc_devices_plan(struct nc_devset *s, const struct nc_config *c,
		    const struct nc_ram_layout *ram, char *err, size_t errlen);

/* The instance idx of the device named type, or NULL. */
const struct nc_dev *nc_devices_find(const struct nc_devset *s,
				     const char *type, unsigned idx);

/* Registers every emulated range on m's MMIO bus and runs each .init. */
int nc_devices_init(struct nc_devset *s, struct nc_machine *m, char *err,
		    size_t errlen);
/* Runs .exit of every instance .init succeeded on, last first. */
void nc_devices_exit(struct nc_devset *s, struct nc_machine *m);
/*
 * A guest restart: .exit for every device but those with .reset, which
 * keep their state until nc_devices_init() resets them for the new guest.
 */
void nc_devices_exit_for_restart(struct nc_devset *s, struct nc_machine *m);

#endif /* NC_DEVICES_DEVICE_H */
