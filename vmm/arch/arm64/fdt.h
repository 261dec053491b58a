/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device tree a NipCell boots with on arm64. The builder writes the
 * root, chosen, aliases, memory, cpus, psci and timer nodes itself, then
 * one node per device instance, in table order (vmm/devices/device.h):
 *
 *   / compatible "nipcell,cell" "linux,dummy-virt", interrupt-parent <&gic>
 *     chosen           bootargs, stdout-path (uart0), initrd
 *     aliases          serial0 (uart0), serial1 (uart1, with [serial])
 *     memory@80000000  every RAM region of the layout, in one reg
 *     cpus/cpu@N       reg = MPIDR affinity, enable-method "psci"
 *     psci             arm,psci-0.2 over hvc
 *     timer            arm,armv8-timer, the four PPIs, always-on
 *     intc@8000000     gic: GICv3, distributor + one redistributor region
 *     uart@9000000     uart0, ns16550a (uart@9001000: uart1)
 *     reserved-memory/ion@90000000   ion: the window, no-map
 *     ion@9010000      ion: nipcell,ion, doorbells, one SPI a valve
 *     pci@30000000     pci (with [[pci]]): pci-host-ecam-generic, msi-map
 *                      to intc@8000000/its@8080000, INTx on SPIs 8 + slot
 */
#ifndef NC_ARM64_FDT_H
#define NC_ARM64_FDT_H

#include <stddef.h>
#include <stdint.h>

#include "arch/arm64/layout.h"
#include "arch/arm64/ram_layout.h"

struct nc_config;
struct nc_devset;

/* What the tree needs beyond the config and the devices. */
struct nc_fdt_params {
	unsigned int vcpus;			/* 1 to NC_MAX_VCPUS */
	/*
	 * MPIDR_EL1 of each vCPU as KVM reports it (only the affinity bits
	 * are used). All zero: vCPU i has affinity i, as KVM assigns them.
	 */
	uint64_t mpidr[NC_MAX_VCPUS];
	struct nc_ram_layout ram;		/* from nc_ram_layout() */
	const char *bootargs;			/* complete, ion_base= included */
	uint64_t initrd_start, initrd_end;	/* 0, 0: no initramfs */
};

/*
 * Build the tree into buf (bufsz bytes), packed; *out_size is its size.
 * Returns 0, -EINVAL for bad parameters, -ENOSPC when buf is too small,
 * with a message in err: for a libfdt failure it names the failing call and
 * fdt_strerror().
 */
int nc_arm64_fdt_build(void *buf, size_t bufsz, const struct nc_fdt_params *p,
		       const struct nc_devset *devs, const struct nc_config *c,
		       size_t *out_size, char *err, size_t errlen);

#endif /* NC_ARM64_FDT_H */
