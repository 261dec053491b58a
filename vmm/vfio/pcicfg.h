/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The config space a passthrough function shows the guest (pcicfg.c): the
 * device's own, read through a backend, with these virtualised:
 *   BARs          sized from the VFIO regions; the guest sizes and places
 *                 them, nothing reaches the device; I/O BARs are hidden
 *   command       passed on without the I/O bit; its memory bit is kept
 *   expansion ROM hidden (reads 0, writes dropped)
 *   interrupt     line: the guest's; pin: INTA when the device has INTx
 *   header type   single function
 *   capabilities  the device's chain (MSI only when VFIO offers it); MSI
 *                 is emulated here whole, one vector (never written to the
 *                 device: VFIO programs it); MSI-X enable and function mask are the guest's,
 *                 acted on by the owner (msix.c), never written through
 * Everything else is passed through, both ways; vfio-pci itself guards
 * what the host must not let a guest write.
 *
 * Pure logic on a backend, so the tests run it on a config space image.
 */
#ifndef NC_VFIO_PCICFG_H
#define NC_VFIO_PCICFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_PCI_NR_BARS		6

/* Standard header offsets and bits (PCI Local Bus 3.0, PCIe 4.0). */
#define PCICFG_COMMAND		0x04
#define PCICFG_STATUS		0x06
#define PCICFG_HEADER_TYPE	0x0e
#define PCICFG_BAR0		0x10
#define PCICFG_ROM		0x30
#define PCICFG_CAP_PTR		0x34
#define PCICFG_INT_LINE		0x3c
#define PCICFG_INT_PIN		0x3d
#define PCICFG_CMD_IO		0x0001
#define PCICFG_CMD_MEMORY	0x0002
#define PCICFG_STATUS_CAPS	0x0010
#define PCICFG_CAP_MSI		0x05
#define PCICFG_CAP_MSIX		0x11
#define PCICFG_MSIX_ENABLE	0x8000
#define PCICFG_MSIX_MASKALL	0x4000
#define PCICFG_MSIX_QSIZE	0x07ff
#define PCICFG_MSI_ENABLE	0x0001
#define PCICFG_MSI_64BIT	0x0080
#define PCICFG_MSI_MASKBIT	0x0100	/* per-vector masking capable */

/* What a write changed, for the owner to act on. */
#define NC_PCICFG_EV_BARS	1	/* a BAR address or the memory bit */
#define NC_PCICFG_EV_MSIX	2	/* MSI-X enable or function mask */
#define NC_PCICFG_EV_MSI	4	/* MSI enable, address, data or mask */

struct nc_pcicfg_backend {
	/* The device's config space: 0, or -errno. */
	int	(*read)(void *opaque, unsigned off, void *buf, unsigned len);
	int	(*write)(void *opaque, unsigned off, const void *buf, unsigned len);
};

struct nc_pcicfg_bar {
	uint64_t	size;	/* 0: none (also the upper half of a 64-bit BAR) */
	uint32_t	flags;	/* the low 4 bits: type, prefetchable */
	bool		is64;
	uint64_t	addr;	/* as the guest placed it */
};

struct nc_pcicfg {
	const struct nc_pcicfg_backend *be;
	void		*opaque;
	unsigned	size;		/* 256 or 4096 */
	struct nc_pcicfg_bar bar[NC_PCI_NR_BARS];
	uint16_t	cmd;		/* as the guest wrote it */
	uint8_t		irq_line;
	uint8_t		irq_pin;	/* 1 (INTA) or 0 */
	uint8_t		cap_ptr;	/* the virtual chain's head */
	uint8_t		cap_next[256];	/* of each visible capability, by offset */
	bool		cap_visible[256];
	unsigned	nr_caps, nr_hidden;
	uint8_t		msix;		/* offset of the MSI-X capability, or 0 */
	uint16_t	msix_ctrl;	/* ENABLE and MASKALL as the guest wrote them */
	uint16_t	msix_qsize;	/* table entries */
	uint32_t	msix_table;	/* BIR (low 3 bits) and offset */
	uint32_t	msix_pba;
	bool		want_msi;	/* VFIO offers MSI: show the capability */
	uint8_t		msi;		/* offset of the MSI capability, or 0 */
	uint16_t	msi_ctrl;	/* 64BIT, MASKBIT from the device; ENABLE the guest's */
	uint32_t	msi_addr_lo, msi_addr_hi, msi_data, msi_mask;
};

/*
 * Reads the device's BAR flags and capability chain. bar_size[i] is the
 * size of VFIO region i (0: none); intx says the device has INTx, msi that
 * VFIO offers MSI (otherwise the MSI capability is hidden). Returns
 * 0, or -EINVAL with err set when the config space cannot be read or its
 * capability chain is broken beyond use.
 */
int nc_pcicfg_init(struct nc_pcicfg *p, const struct nc_pcicfg_backend *be,
		   void *opaque, unsigned cfg_size, const uint64_t bar_size[NC_PCI_NR_BARS],
		   bool intx, bool msi, char *err, size_t errlen);

/* A config read/write of len 1, 2 or 4 at a naturally aligned off. */
void nc_pcicfg_read(struct nc_pcicfg *p, unsigned off, uint8_t *data, unsigned len);
/* Returns NC_PCICFG_EV_* for what changed. */
unsigned nc_pcicfg_write(struct nc_pcicfg *p, unsigned off, const uint8_t *data,
			 unsigned len);

/* MSI as the guest programmed it: enabled, address, data, vector masked. */
bool nc_pcicfg_msi(const struct nc_pcicfg *p, uint64_t *addr, uint32_t *data, bool *masked);

/* BAR i decodes now: its address, or 0 (memory off, unplaced or none). */
uint64_t nc_pcicfg_bar_decoded(const struct nc_pcicfg *p, unsigned i);

#endif /* NC_VFIO_PCICFG_H */
