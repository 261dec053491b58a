// SPDX-License-Identifier: GPL-2.0
/* The virtualised config space of a passthrough function (pcicfg.h). */
#include <errno.h>
#include <string.h>

#include "util/errf.h"
#include "vfio/pcicfg.h"

#define MAX_CAPS	48	/* (256 - 64) / 4: a longer chain loops */

static uint32_t dev_read32(struct nc_pcicfg *p, unsigned off)
{
	uint32_t v;

	if (off + 4 > p->size || p->be->read(p->opaque, off, &v, 4))
		return 0xffffffff;
	return v;	/* little endian, as the host (arm64, x86_64) */
}

static uint8_t dev_read8(struct nc_pcicfg *p, unsigned off)
{
	return dev_read32(p, off & ~3u) >> (8 * (off & 3));
}

static void walk_caps(struct nc_pcicfg *p)
{
	uint8_t ptr, *link = &p->cap_ptr;
	unsigned n = 0;

	p->cap_ptr = 0;
	if (!(dev_read32(p, PCICFG_COMMAND) >> 16 & PCICFG_STATUS_CAPS))
		return;
	ptr = dev_read8(p, PCICFG_CAP_PTR) & ~3;
	while (ptr >= 0x40 && n++ < MAX_CAPS) {
		uint32_t hdr = dev_read32(p, ptr);
		uint8_t id = hdr, next = (hdr >> 8) & ~3;

		if (id == PCICFG_CAP_MSI && (!p->want_msi || p->msi)) {
			p->nr_hidden++;
		} else if (!p->cap_visible[ptr]) {
			if (id == PCICFG_CAP_MSI) {
				p->msi = ptr;
				p->msi_ctrl = (hdr >> 16) & (PCICFG_MSI_64BIT | PCICFG_MSI_MASKBIT);
			}
			*link = ptr;
			link = &p->cap_next[ptr];
			*link = 0;
			p->cap_visible[ptr] = true;
			p->nr_caps++;
			if (id == PCICFG_CAP_MSIX && !p->msix) {
				p->msix = ptr;
				p->msix_qsize = ((hdr >> 16) & PCICFG_MSIX_QSIZE) + 1;
				p->msix_table = dev_read32(p, ptr + 4);
				p->msix_pba = dev_read32(p, ptr + 8);
			}
		} else {
			break;	/* a loop back to a capability already seen */
		}
		ptr = next;
	}
}

int nc_pcicfg_init(struct nc_pcicfg *p, const struct nc_pcicfg_backend *be,
		   void *opaque, unsigned cfg_size, const uint64_t bar_size[NC_PCI_NR_BARS],
		   bool intx, bool msi, char *err, size_t errlen)
{
	unsigned i;

	memset(p, 0, sizeof(*p));
	p->want_msi = msi;
	p->be = be;
	p->opaque = opaque;
	p->size = cfg_size < 256 ? 256 : cfg_size > 4096 ? 4096 : cfg_size;
	if (dev_read32(p, 0) == 0xffffffff)
		return nc_errf(-EINVAL, err, errlen,
			       "config space reads all ones: the device is gone or in reset");
	p->cmd = dev_read32(p, PCICFG_COMMAND) & 0xffff;
	for (i = 0; i < NC_PCI_NR_BARS; i++) {
		uint32_t v = dev_read32(p, PCICFG_BAR0 + 4 * i);
		struct nc_pcicfg_bar *b = &p->bar[i];

		if ((v & 1) || !bar_size[i])
			continue;	/* I/O (the cell has no I/O space), or none */
		b->flags = v & 0xf;
		b->is64 = ((v >> 1) & 3) == 2 && i + 1 < NC_PCI_NR_BARS;
		b->size = bar_size[i];
		if (b->size & (b->size - 1) || b->size < 16) {
			b->size = 0;	/* not a BAR the guest could place */
			continue;
		}
		if (b->is64)
			p->bar[++i].size = 0;	/* the upper half */
	}
	p->irq_pin = intx && dev_read8(p, PCICFG_INT_PIN) ? 1 : 0;
	walk_caps(p);
	return 0;
}

/* The value of BAR register i as the guest sees it. */
static uint32_t bar_reg(const struct nc_pcicfg *p, unsigned i)
{
	const struct nc_pcicfg_bar *b = &p->bar[i];

	if (i && p->bar[i - 1].is64 && p->bar[i - 1].size)
		return p->bar[i - 1].addr >> 32;
	if (!b->size)
		return 0;
	return ((uint32_t)b->addr & ~0xfu) | b->flags;
}

/*
 * MSI, one vector, all registers here: the layout depends on 64BIT and
 * MASKBIT. Returns the register at rel (a dword offset into the
 * capability): 0 header, 1 address, 2 upper address or data, then data,
 * mask and pending; *field the one it holds, NULL for read-only zeros.
 */
static uint32_t *msi_reg(struct nc_pcicfg *p, unsigned rel)
{
	bool is64 = p->msi_ctrl & PCICFG_MSI_64BIT, mask = p->msi_ctrl & PCICFG_MSI_MASKBIT;
	unsigned data = is64 ? 12 : 8;

	if (rel == 4)
		return &p->msi_addr_lo;
	if (is64 && rel == 8)
		return &p->msi_addr_hi;
	if (rel == data)
		return &p->msi_data;
	if (mask && rel == data + 4)
		return &p->msi_mask;
	return NULL;	/* pending bits (VFIO keeps them) */
}

static unsigned msi_len(const struct nc_pcicfg *p)
{
	return 12 + (p->msi_ctrl & PCICFG_MSI_64BIT ? 4 : 0) +
	       (p->msi_ctrl & PCICFG_MSI_MASKBIT ? 8 : 0);
}

static bool in_msi(const struct nc_pcicfg *p, unsigned reg)
{
	return p->msi && reg >= p->msi && reg < p->msi + msi_len(p);
}

static uint32_t msi_read(struct nc_pcicfg *p, unsigned reg)
{
	unsigned rel = reg - p->msi;
	uint32_t *f;

	if (!rel)	/* one vector capable, one enabled: MMC = MME = 0 */
		return PCICFG_CAP_MSI | (uint32_t)p->cap_next[p->msi] << 8 |
		       (uint32_t)p->msi_ctrl << 16;
	f = msi_reg(p, rel);
	return f ? *f : 0;
}

static unsigned msi_write(struct nc_pcicfg *p, unsigned reg, uint32_t v)
{
	unsigned rel = reg - p->msi;
	uint32_t *f, old;

	if (!rel) {
		uint16_t ctrl = (p->msi_ctrl & ~PCICFG_MSI_ENABLE) |
				((v >> 16) & PCICFG_MSI_ENABLE);

		if (ctrl == p->msi_ctrl)
			return 0;
		p->msi_ctrl = ctrl;
		return NC_PCICFG_EV_MSI;
	}
	f = msi_reg(p, rel);
	if (!f)
		return 0;
	if (f == &p->msi_addr_lo)
		v &= ~3u;
	else if (f == &p->msi_data)
		v &= 0xffff;
	else if (f == &p->msi_mask)
		v &= 1;
	old = *f;
	*f = v;
	return old != v ? NC_PCICFG_EV_MSI : 0;
}

bool nc_pcicfg_msi(const struct nc_pcicfg *p, uint64_t *addr, uint32_t *data, bool *masked)
{
	*addr = (uint64_t)p->msi_addr_hi << 32 | p->msi_addr_lo;
	*data = p->msi_data;
	*masked = p->msi_mask & 1;
	return p->msi && (p->msi_ctrl & PCICFG_MSI_ENABLE);
}

static uint32_t vread32(struct nc_pcicfg *p, unsigned off)
{
	uint32_t v;
	unsigned b;

	if (off >= PCICFG_BAR0 && off < PCICFG_BAR0 + 4 * NC_PCI_NR_BARS)
		return bar_reg(p, (off - PCICFG_BAR0) / 4);
	switch (off) {
	case PCICFG_COMMAND:
		v = dev_read32(p, off);
		if (!p->cap_ptr)
			v &= ~((uint32_t)PCICFG_STATUS_CAPS << 16);
		return v;
	case 0x0c:
		return dev_read32(p, off) & ~(0x80u << 16);	/* one function */
	case PCICFG_ROM:
	case 0x38:
		return 0;
	case PCICFG_CAP_PTR:
		return p->cap_ptr;
	case PCICFG_INT_LINE:
		return (dev_read32(p, off) & 0xffff0000) | (uint32_t)p->irq_pin << 8 |
		       p->irq_line;
	}
	if (off < 0x40 || off >= 0x100)
		return dev_read32(p, off);
	if (in_msi(p, off))
		return msi_read(p, off);
	v = dev_read32(p, off);
	for (b = 0; b < 4; b++) {
		unsigned c = off + b;	/* a capability starting here? */

		if (!p->cap_visible[c])
			continue;
		if (b < 3)
			v = (v & ~(0xffu << 8 * (b + 1))) | (uint32_t)p->cap_next[c] << 8 * (b + 1);
	}
	if (p->msix && off == p->msix)
		v = (v & 0x07ffffff & ~((uint32_t)0xf800 << 16)) |
		    (uint32_t)(p->msix_ctrl & (PCICFG_MSIX_ENABLE | PCICFG_MSIX_MASKALL)) << 16;
	return v;
}

void nc_pcicfg_read(struct nc_pcicfg *p, unsigned off, uint8_t *data, unsigned len)
{
	uint32_t v;
	unsigned i;

	if (off >= p->size || off + len > p->size || (len != 1 && len != 2 && len != 4) ||
	    (off & (len - 1))) {
		memset(data, 0xff, len);
		return;
	}
	v = vread32(p, off & ~3u) >> 8 * (off & 3);
	for (i = 0; i < len; i++)
		data[i] = v >> 8 * i;
}

/* Applies the written bytes [off, off + len) to the 32-bit register at reg. */
static uint32_t merge(uint32_t old, unsigned reg, unsigned off, const uint8_t *data,
		      unsigned len)
{
	unsigned i;

	for (i = 0; i < len; i++) {
		unsigned sh = 8 * (off + i - reg);

		old = (old & ~(0xffu << sh)) | (uint32_t)data[i] << sh;
	}
	return old;
}

static unsigned write_bar(struct nc_pcicfg *p, unsigned i, uint32_t v)
{
	struct nc_pcicfg_bar *lo = i ? &p->bar[i - 1] : NULL;
	uint64_t old;

	if (lo && lo->is64 && lo->size) {	/* the upper half of BAR i - 1 */
		old = lo->addr;
		lo->addr = (lo->addr & 0xffffffffULL) |
			   ((uint64_t)v << 32 & ~(lo->size - 1));
		return old != lo->addr ? NC_PCICFG_EV_BARS : 0;
	}
	if (!p->bar[i].size)
		return 0;
	old = p->bar[i].addr;
	p->bar[i].addr = (p->bar[i].addr & ~0xffffffffULL) |
			 (v & ~0xfu & (uint32_t)~(p->bar[i].size - 1));
	return old != p->bar[i].addr ? NC_PCICFG_EV_BARS : 0;
}

static void pass(struct nc_pcicfg *p, unsigned off, const uint8_t *data, unsigned len)
{
	p->be->write(p->opaque, off, data, len);
}

unsigned nc_pcicfg_write(struct nc_pcicfg *p, unsigned off, const uint8_t *data,
			 unsigned len)
{
	unsigned reg = off & ~3u, ev = 0;

	if (off >= p->size || off + len > p->size || (len != 1 && len != 2 && len != 4) ||
	    (off & (len - 1)))
		return 0;
	if (reg >= PCICFG_BAR0 && reg < PCICFG_BAR0 + 4 * NC_PCI_NR_BARS) {
		unsigned i = (reg - PCICFG_BAR0) / 4;

		return write_bar(p, i, merge(bar_reg(p, i), reg, off, data, len));
	}
	switch (reg) {
	case 0x00:
	case 0x08:
	case 0x28:
	case 0x2c:
	case PCICFG_ROM:
	case PCICFG_CAP_PTR:
	case 0x38:
		return 0;	/* read-only, hidden or reserved */
	case PCICFG_COMMAND:
		if (off < PCICFG_STATUS) {
			uint16_t cmd = merge(p->cmd, reg, off, data, off + len > PCICFG_STATUS ?
					     PCICFG_STATUS - off : len);
			uint16_t dev = cmd & ~PCICFG_CMD_IO;

			if ((cmd ^ p->cmd) & PCICFG_CMD_MEMORY)
				ev |= NC_PCICFG_EV_BARS;
			p->cmd = cmd;
			pass(p, PCICFG_COMMAND, (const uint8_t *)&dev, 2);
		}
		if (off + len > PCICFG_STATUS) {	/* status: RW1C, as written */
			unsigned s = off < PCICFG_STATUS ? PCICFG_STATUS - off : 0;

			pass(p, off + s, data + s, len - s);
		}
		return ev;
	case PCICFG_INT_LINE:
		if (off == PCICFG_INT_LINE)
			p->irq_line = data[0];
		return 0;
	}
	if (in_msi(p, reg))
		return msi_write(p, reg, merge(msi_read(p, reg), reg, off, data, len));
	if (p->msix && reg == p->msix) {
		/* Only the upper byte of the control word is writable. */
		if (off + len > (unsigned)p->msix + 3) {
			uint16_t ctrl = (uint16_t)data[p->msix + 3 - off] << 8;

			ctrl &= PCICFG_MSIX_ENABLE | PCICFG_MSIX_MASKALL;
			if (ctrl != p->msix_ctrl)
				ev |= NC_PCICFG_EV_MSIX;
			p->msix_ctrl = ctrl;
		}
		return ev;
	}
	if (reg >= 0x40 && reg < 0x100 && p->cap_visible[reg]) {
		/* The capability header (ID, next) is read-only. */
		if (off < reg + 2) {
			unsigned skip = reg + 2 - off;

			if (len <= skip)
				return 0;
			data += skip;
			off += skip;
			len -= skip;
		}
	}
	pass(p, off, data, len);
	return 0;
}

uint64_t nc_pcicfg_bar_decoded(const struct nc_pcicfg *p, unsigned i)
{
	if (i >= NC_PCI_NR_BARS || !p->bar[i].size || !(p->cmd & PCICFG_CMD_MEMORY))
		return 0;
	return p->bar[i].addr;
}
