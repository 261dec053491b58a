/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest physical memory map of a NipCell on arm64.
 *
 *   0x0000_0000 +-----------------------------+
 *               |  (unused)                   |
 *   0x0800_0000 +-----------------------------+ NC_GIC_DIST_BASE
 *               |  GICv3 distributor  64 KiB  |
 *   0x080a_0000 +-----------------------------+ NC_GIC_REDIST_BASE
 *               |  GICv3 redistributors       |
 *               |  128 KiB per vCPU           |
 *   0x0900_0000 +-----------------------------+ NC_UART_BASE
 *               |  16550 UART  4 KiB          |
 *   0x0901_0000 +-----------------------------+ NC_DOORBELL_BASE
 *               |  ION doorbells  4 KiB       |
 *               +-----------------------------+
 *               |  (unused)                   |
 *   0x8000_0000 +-----------------------------+ NC_RAM_BASE
 *               |  RAM                        |  kernel at NC_RAM_BASE +
 *               |                             |  text_offset; initrd and
 *   ion base    +- - - - - - - - - - - - - - -+  DTB at the top of the
 *               |  ION window (own memslot)   |  first RAM region
 *               +- - - - - - - - - - - - - - -+
 *               |  RAM, continued             |  RAM that would overlap the
 *               +-----------------------------+  window is split around it
 *
 * The ION window defaults to 0x9000_0000 + 16 MiB (ion.h), so a cell with
 * more than 256 MiB of RAM has its RAM split into two memslots.
 */
#ifndef NC_ARM64_LAYOUT_H
#define NC_ARM64_LAYOUT_H

#define NC_GIC_DIST_BASE	0x08000000ULL
#define NC_GIC_DIST_SIZE	0x00010000ULL
#define NC_GIC_REDIST_BASE	0x080a0000ULL
#define NC_GIC_REDIST_STRIDE	0x00020000ULL	/* per vCPU */
#define NC_MAX_VCPUS		8

#define NC_UART_BASE		0x09000000ULL
#define NC_UART_SIZE		0x00001000ULL
#define NC_UART_CLOCK		1843200

#define NC_DOORBELL_BASE	0x09010000ULL	/* ION_DOORBELL_SIZE bytes */

#define NC_RAM_BASE		0x80000000ULL
#define NC_RAM_MIN		0x04000000ULL	/* 64 MiB */
#define NC_RAM_MAX		0x400000000ULL	/* 16 GiB */

/* GIC interrupt numbers, as SPI numbers (INTID - 32). */
#define NC_SPI_UART		1
#define NC_SPI_ION_FIRST	16		/* valve i raises SPI 16 + i */
#define NC_NR_SPIS		64

/* Arch timer PPIs, as PPI numbers (INTID - 16), as the DT binding wants. */
#define NC_PPI_TIMER_SEC	13
#define NC_PPI_TIMER_PHYS	14
#define NC_PPI_TIMER_VIRT	11
#define NC_PPI_TIMER_HYP	10

#endif /* NC_ARM64_LAYOUT_H */
