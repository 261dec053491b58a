/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest physical memory map of a NipCell on arm64.
 *
 *   0x0000_0000 +-----------------------------+
 *               |  (unused)                   |
 *   0x0800_0000 +-----------------------------+ NC_GIC_DIST_BASE
 *               |  GICv3 distributor  64 KiB  |
 *               +-----------------------------+
 *               |  (unused)                   |
 *   0x0808_0000 +-----------------------------+ NC_GIC_ITS_BASE
 *               |  GICv3 ITS  128 KiB         |  only with [[pci]]
 *   0x080a_0000 +-----------------------------+ NC_GIC_REDIST_BASE
 *               |  GICv3 redistributors       |
 *               |  128 KiB per vCPU           |
 *   0x081a_0000 +-----------------------------+ (at NC_MAX_VCPUS)
 *               |  (unused)                   |
 *   0x0900_0000 +-----------------------------+ NC_UART_BASE
 *               |  16550 UARTs 4 KiB each     |  uart0 (console), uart1
 *               |  (NC_MAX_UARTS)             |  ([serial]) at +NC_UART_STRIDE
 *   0x0901_0000 +-----------------------------+ NC_DOORBELL_BASE
 *               |  ION doorbells  4 KiB       |
 *               +-----------------------------+
 *               |  (unused)                   |
 *   0x1000_0000 +-----------------------------+ NC_PCI_MMIO_BASE
 *               |  PCI memory window 512 MiB  |  only with [[pci]]: the
 *               |  (32-bit BARs)              |  guest places BARs here
 *   0x3000_0000 +-----------------------------+ NC_PCI_ECAM_BASE
 *               |  PCI ECAM, bus 0  1 MiB     |
 *               +-----------------------------+
 *               |  (unused)                   |
 *   0x8000_0000 +-----------------------------+ NC_RAM_BASE
 *               |  RAM region 0               |  kernel at a 2 MiB aligned
 *               |                             |  base + text_offset; initrd
 *   ion base    +- - - - - - - - - - - - - - -+  and DTB at the top of
 *               |  ION window (own memslot)   |  region 0
 *               +- - - - - - - - - - - - - - -+
 *               |  RAM region 1               |  RAM that would overlap the
 *               +-----------------------------+  window is split around it
 *
 * The ION window defaults to 0x9000_0000 + 16 MiB (ion.h), so a cell with
 * more than 256 MiB of RAM has its RAM split into two memslots.
 *
 * Every device in this map is an entry of the device table
 * (vmm/devices/table.c); nc_devices_plan() places the cell's instances and
 * refuses any overlap between them, RAM and the window.
 *
 * The rules (ram_layout.c applies them):
 *  - RAM region 0 is the lowest and always holds at least NC_BOOT_RAM_MIN
 *    bytes: the kernel, initramfs and DTB go there.
 *  - A window that starts at or below NC_RAM_BASE and reaches into RAM
 *    leaves no RAM below it: RAM is then one region starting at the end of
 *    the window.
 *  - A window below NC_RAM_BASE must not overlap an MMIO device above.
 *  - Nothing may end above NC_GPA_LIMIT.
 */
#ifndef NC_ARM64_LAYOUT_H
#define NC_ARM64_LAYOUT_H

#define NC_GIC_DIST_BASE	0x08000000ULL
#define NC_GIC_DIST_SIZE	0x00010000ULL
#define NC_GIC_REDIST_BASE	0x080a0000ULL
#define NC_GIC_REDIST_STRIDE	0x00020000ULL	/* per vCPU */
#define NC_MAX_VCPUS		8
#define NC_GIC_REDIST_SIZE	(NC_GIC_REDIST_STRIDE * NC_MAX_VCPUS)
#define NC_GIC_ITS_BASE		0x08080000ULL	/* the vITS, only with [[pci]] */
#define NC_GIC_ITS_SIZE		0x00020000ULL	/* GITS_CTLR..., GITS_TRANSLATER */
_Static_assert(NC_GIC_DIST_BASE + NC_GIC_DIST_SIZE <= NC_GIC_ITS_BASE &&
	       NC_GIC_ITS_BASE + NC_GIC_ITS_SIZE <= NC_GIC_REDIST_BASE,
	       "layout.h: the ITS overlaps the distributor or the redistributors");

#define NC_UART_BASE		0x09000000ULL
#define NC_UART_SIZE		0x00001000ULL
#define NC_UART_STRIDE		0x00001000ULL	/* uart<i> at BASE + i * STRIDE */
#define NC_MAX_UARTS		2		/* the console and [serial] */
#define NC_UART_CLOCK		1843200

#define NC_DOORBELL_BASE	0x09010000ULL	/* ION_DOORBELL_SIZE bytes */
_Static_assert(NC_UART_BASE + NC_MAX_UARTS * NC_UART_STRIDE <= NC_DOORBELL_BASE,
	       "layout.h: the UARTs run into the doorbells");

/* The PCI host bridge (devices/pci.c), only with [[pci]]. */
#define NC_PCI_MMIO_BASE	0x10000000ULL	/* non-prefetchable, 32-bit */
#define NC_PCI_MMIO_SIZE	0x20000000ULL
#define NC_PCI_ECAM_BASE	0x30000000ULL
#define NC_PCI_ECAM_SIZE	0x00100000ULL	/* bus 0: 32 devices x 8 functions x 4 KiB */
_Static_assert(NC_DOORBELL_BASE + 0x1000 <= NC_PCI_MMIO_BASE,
	       "layout.h: the doorbells run into the PCI window");
_Static_assert(NC_PCI_MMIO_BASE + NC_PCI_MMIO_SIZE <= NC_PCI_ECAM_BASE,
	       "layout.h: the PCI window runs into the ECAM");

#define NC_RAM_BASE		0x80000000ULL
#define NC_RAM_MIN		0x04000000ULL	/* 64 MiB */
#define NC_RAM_MAX		0x400000000ULL	/* 16 GiB */
#define NC_RAM_ALIGN		0x1000ULL	/* RAM and window: 4 KiB pages */
#define NC_BOOT_RAM_MIN		0x02000000ULL	/* 32 MiB: RAM region 0 at least */
#define NC_GPA_LIMIT		(1ULL << 40)	/* KVM's default 40-bit IPA space */
_Static_assert(NC_PCI_ECAM_BASE + NC_PCI_ECAM_SIZE <= NC_RAM_BASE,
	       "layout.h: the ECAM runs into RAM");

/* Boot placement, per the kernel's Documentation/arm64/booting.rst. */
#define NC_KERNEL_ALIGN		0x200000ULL	/* Image base: 2 MiB aligned */
#define NC_DTB_ALIGN		8ULL
#define NC_DTB_MAX_SIZE		0x200000ULL	/* 2 MiB */
#define NC_INITRD_ALIGN		0x1000ULL
#define NC_CMDLINE_MAX		2048		/* arm64 COMMAND_LINE_SIZE, NUL included */

/* MPIDR_EL1 bits that name a CPU (Aff3, Aff2..Aff0): a DT cpu reg. */
#define NC_MPIDR_AFF_MASK	0xff00ffffffULL

/* GIC interrupt numbers, as SPI numbers (INTID - 32). */
#define NC_SPI_UART		1		/* uart<i> raises SPI 1 + i */
#define NC_SPI_PCI_FIRST	8		/* INTx of PCI slot i: SPI 8 + i */
#define NC_PCI_MAX_SLOTS	4		/* NC_MAX_PCI */
#define NC_SPI_ION_FIRST	16		/* valve i raises SPI 16 + i */
#define NC_NR_SPIS		64
_Static_assert(NC_SPI_UART + NC_MAX_UARTS <= NC_SPI_PCI_FIRST,
	       "layout.h: UART SPIs run into the PCI slots'");
_Static_assert(NC_SPI_PCI_FIRST + NC_PCI_MAX_SLOTS <= NC_SPI_ION_FIRST,
	       "layout.h: PCI SPIs run into the valves'");

/*
 * KVM GSIs: GSI n < NC_NR_SPIS is SPI n (the irqchip routes every routing
 * table carries); MSI routes of PCI slot i, vector v are GSI
 * NC_GSI_MSI_FIRST + i * NC_PCI_MAX_VECTORS + v.
 */
#define NC_GSI_MSI_FIRST	NC_NR_SPIS
#define NC_PCI_MAX_VECTORS	128		/* MSI-X vectors wired per function */
#define NC_GSI_MSI_NR		(NC_PCI_MAX_SLOTS * NC_PCI_MAX_VECTORS)

/* Arch timer PPIs, as PPI numbers (INTID - 16), as the DT binding wants. */
#define NC_PPI_TIMER_SEC	13
#define NC_PPI_TIMER_PHYS	14
#define NC_PPI_TIMER_VIRT	11
#define NC_PPI_TIMER_HYP	10

#endif /* NC_ARM64_LAYOUT_H */
