/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device tree a NipCell boots with, built with libfdt's sequential-write
 * API. Include it as "dtb/fdt.h": libfdt has a <fdt.h> of its own.
 *
 * The tree (addresses from the defaults of layout.h and ion.h):
 *
 *   / compatible "nipcell,cell" "linux,dummy-virt", interrupt-parent <&gic>
 *     chosen           bootargs (with ion_base=), stdout-path, initrd
 *     aliases          serial0
 *     memory@80000000  every RAM region of the layout, in one reg
 *     cpus/cpu@N       reg = MPIDR affinity, enable-method "psci"
 *     psci             arm,psci-0.2 over hvc
 *     intc@8000000     GICv3: distributor + one redistributor region, no ITS
 *     timer            arm,armv8-timer, the four PPIs, always-on
 *     uart@9000000     ns16550a
 *     reserved-memory/ion@90000000   the window, no-map, nipcell,ion-window
 *     ion@9010000      nipcell,ion: doorbells, memory-region, one SPI a valve
 */
#ifndef NC_DTB_FDT_H
#define NC_DTB_FDT_H

#include <stddef.h>
#include <stdint.h>

#include <nipcell/ion.h>

#include "arch/arm64/layout.h"
#include "arch/arm64/ram_layout.h"

#define NC_FDT_PHANDLE_GIC	1
#define NC_FDT_PHANDLE_ION	2

/* The MPIDR bits a DT cpu reg holds: Aff3 and Aff2..Aff0. */
#define NC_MPIDR_AFF_MASK	0xff00ffffffULL

struct nc_fdt_params {
	unsigned int vcpus;			/* 1 to NC_MAX_VCPUS */
	/*
	 * MPIDR_EL1 of each vCPU as KVM reports it (only the affinity bits
	 * are used). All zero: vCPU i has affinity i, as KVM assigns them.
	 */
	uint64_t mpidr[NC_MAX_VCPUS];
	struct nc_ram_layout ram;		/* from nc_ram_layout() */
	const char *bootargs;			/* ion_base= is added if absent */
	uint64_t initrd_start, initrd_end;	/* 0, 0: no initramfs */
	uint64_t uart_base;
	unsigned int uart_spi;
	uint64_t gic_dist, gic_redist;
	unsigned int gic_redist_count;		/* redistributors; 0: vcpus */
	uint64_t ion_base, ion_size;		/* the window: ram.ion */
	uint64_t doorbell_gpa;			/* ION_DOORBELL_SIZE bytes */
	unsigned int nr_ion_irqs;		/* up to ION_MAX_VALVES */
	unsigned int ion_spi[ION_MAX_VALVES];	/* SPI of valve i */
};

/*
 * Fill p with the map of layout.h: UART, GIC, doorbells and their SPIs,
 * the default window of ion.h, one vCPU. The caller sets ram (whose window
 * it copies into ion_base/ion_size when ram.ion.size is set), bootargs,
 * initrd and the number of valve interrupts.
 */
void nc_fdt_params_default(struct nc_fdt_params *p,
			   const struct nc_ram_layout *ram);

/*
 * Build the tree into buf (bufsz bytes), packed; *out_size is its size.
 * Returns 0, -EINVAL for bad parameters, -ENOSPC when buf is too small,
 * with a message in err: for a libfdt failure it names the failing call and
 * fdt_strerror().
 */
int nc_fdt_build(void *buf, size_t bufsz, const struct nc_fdt_params *p,
		 size_t *out_size, char *err, size_t errlen);

#endif /* NC_DTB_FDT_H */
