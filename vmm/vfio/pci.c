// SPDX-License-Identifier: GPL-2.0
/* A passthrough function: config space, BARs, interrupts (pci.h). */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "machine.h"
#include "util/errf.h"
#include "vfio/device.h"
#include "vfio/intx.h"
#include "vfio/msix.h"
#include "vfio/pci.h"
#include "vfio/pcicfg.h"

#define MAX_PIECES	3	/* a BAR minus the table's and the PBA's pages */

struct vbar {
	void		*map;		/* the BAR mmapped, or NULL: all trapped */
	uint64_t	at;		/* where it is claimed, 0: nowhere */
	int		slot[MAX_PIECES];
	unsigned	nr_slots;
	bool		warned;
};

struct trap {
	unsigned	bar;		/* NC_PCI_NR_BARS: none */
	uint64_t	off, len;
};

struct vfio_fn {
	pthread_mutex_t		lock;	/* config and trapped accesses, any vCPU */
	struct nc_machine	*m;
	struct nc_pci_bus	*bus;
	unsigned		slot;
	char			name[48];
	struct nc_vfio_dev	dev;
	struct nc_pcicfg	cfg;
	struct nc_msix		msix;
	struct nc_msix		msi;		/* plain MSI: one vector */
	struct nc_intx		intx;
	bool			has_msix, has_msi, has_intx;
	struct trap		table, pba;
	struct vbar		bar[NC_PCI_NR_BARS];
	long			page;
	double			reset_ms;	/* the reset at start took */
};

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cfg_read(void *opaque, unsigned off, void *buf, unsigned len)
{
	struct vfio_fn *f = opaque;

	return nc_vfio_dev_rw(&f->dev, VFIO_PCI_CONFIG_REGION_INDEX, off, buf, len, false);
}

static int cfg_write(void *opaque, unsigned off, const void *buf, unsigned len)
{
	struct vfio_fn *f = opaque;

	return nc_vfio_dev_rw(&f->dev, VFIO_PCI_CONFIG_REGION_INDEX, off, (void *)buf,
			      len, true);
}

static const struct nc_pcicfg_backend cfg_backend = { cfg_read, cfg_write };

/* ---- BARs ---- */

static void unmap_bar(struct vfio_fn *f, unsigned i)
{
	struct vbar *b = &f->bar[i];

	while (b->nr_slots)
		f->m->ops->unmap(f->m, b->slot[--b->nr_slots]);
	if (b->at)
		nc_pci_bus_release(f->bus, f, i);
	b->at = 0;
}

unsigned nc_vfio_bar_pieces(uint64_t size, uint64_t page, const uint64_t trap[2][2],
			    uint64_t piece[3][2])
{
	uint64_t cut[2][2], pos = 0;
	unsigned k, n = 0;

	for (k = 0; k < 2; k++) {	/* page-rounded, in BAR order */
		cut[k][0] = trap[k][1] ? trap[k][0] & ~(page - 1) : 0;
		cut[k][1] = trap[k][1] ? (trap[k][0] + trap[k][1] + page - 1) & ~(page - 1) : 0;
	}
	if (cut[1][0] < cut[0][0]) {
		uint64_t s = cut[0][0], e = cut[0][1];

		cut[0][0] = cut[1][0], cut[0][1] = cut[1][1];
		cut[1][0] = s, cut[1][1] = e;
	}
	for (k = 0; k <= 2; k++) {
		uint64_t end = k < 2 ? cut[k][0] : size;

		if (k < 2 && cut[k][0] == cut[k][1])
			continue;	/* no such trap */
		if (end > size)
			end = size;
		if (end > pos) {
			piece[n][0] = pos;
			piece[n++][1] = end - pos;
		}
		if (k < 2 && cut[k][1] > pos)
			pos = cut[k][1];
	}
	return n;
}

static void map_bar(struct vfio_fn *f, unsigned i, uint64_t base)
{
	struct vbar *b = &f->bar[i];
	uint64_t size = f->cfg.bar[i].size, trap[2][2] = { { 0, 0 }, { 0, 0 } }, piece[3][2];
	char msg[256];
	unsigned k, n;
	int ret;

	ret = nc_pci_bus_claim(f->bus, f, i, base, size, msg, sizeof(msg));
	if (ret) {
		if (!b->warned)
			fprintf(stderr, "nipcell-vmm: %s: the guest placed BAR%u at %s; not mapped (said once)\n",
				f->name, i, msg);
		b->warned = true;
		return;
	}
	b->at = base;
	if (!b->map)
		return;		/* every access traps and goes to the device */
	if (f->has_msix && f->table.bar == i)
		trap[0][0] = f->table.off, trap[0][1] = f->table.len;
	if (f->has_msix && f->pba.bar == i)
		trap[1][0] = f->pba.off, trap[1][1] = f->pba.len;
	n = nc_vfio_bar_pieces(size, f->page, trap, piece);
	for (k = 0; k < n; k++) {
		ret = f->m->ops->map(f->m, base + piece[k][0], piece[k][1],
				     (char *)b->map + piece[k][0], &b->slot[b->nr_slots],
				     msg, sizeof(msg));
		if (ret) {
			fprintf(stderr, "nipcell-vmm: %s: BAR%u: %s; it traps instead\n",
				f->name, i, msg);
			while (b->nr_slots)
				f->m->ops->unmap(f->m, b->slot[--b->nr_slots]);
			return;
		}
		b->nr_slots++;
	}
}

/* After a BAR or the memory bit changed: memslots where the guest wants them. */
static void update_bars(struct vfio_fn *f)
{
	unsigned i;

	for (i = 0; i < NC_PCI_NR_BARS; i++) {
		uint64_t want = nc_pcicfg_bar_decoded(&f->cfg, i);

		if (want == f->bar[i].at)
			continue;
		unmap_bar(f, i);
		if (want)
			map_bar(f, i, want);
	}
}

static bool in_trap(const struct trap *t, unsigned bar, uint64_t off, unsigned len)
{
	return t->bar == bar && off >= t->off && off + len <= t->off + t->len;
}

static void fn_bar(void *opaque, unsigned bar, uint64_t off, uint8_t *data,
		   unsigned len, bool is_write)
{
	struct vfio_fn *f = opaque;

	pthread_mutex_lock(&f->lock);
	if (bar >= NC_PCI_NR_BARS || !f->bar[bar].at) {
		if (!is_write)
			memset(data, 0xff, len);
	} else if (f->has_msix && in_trap(&f->table, bar, off, len)) {
		nc_msix_table(&f->msix, off - f->table.off, data, len, is_write);
	} else if (f->has_msix && in_trap(&f->pba, bar, off, len) && is_write) {
		/* the PBA is read-only */
	} else if (nc_vfio_dev_rw(&f->dev, bar, off, data, len, is_write) && !is_write) {
		memset(data, 0xff, len);
	}
	pthread_mutex_unlock(&f->lock);
}

/* ---- config space ---- */

static void msix_control(struct vfio_fn *f)
{
	bool enable = f->cfg.msix_ctrl & PCICFG_MSIX_ENABLE;

	if (!f->has_msix)
		return;
	if (enable && f->has_msi && f->msi.on) {
		fprintf(stderr, "nipcell-vmm: %s: the guest enabled MSI-X with MSI on; ignored\n",
			f->name);
		return;
	}
	/* VFIO has one interrupt type at a time: INTx off while MSI-X is on. */
	if (enable && f->has_intx)
		nc_intx_off(&f->intx);
	nc_msix_control(&f->msix, f->cfg.msix_ctrl);
	if (!enable && f->has_intx && nc_intx_on(&f->intx))
		fprintf(stderr, "nipcell-vmm: %s: INTx back on failed\n", f->name);
}

/* MSI's registers changed: the one vector follows them (VFIO's MSI index). */
static void msi_control(struct vfio_fn *f)
{
	uint64_t addr;
	uint32_t data;
	bool masked, enable = nc_pcicfg_msi(&f->cfg, &addr, &data, &masked);

	if (!f->has_msi)
		return;
	if (enable && f->has_msix && f->msix.on) {
		fprintf(stderr, "nipcell-vmm: %s: the guest enabled MSI with MSI-X on; ignored\n",
			f->name);
		return;
	}
	if (enable && !f->msi.on && f->has_intx)
		nc_intx_off(&f->intx);
	nc_msix_set_entry(&f->msi, 0, addr, data, masked);
	if (enable != f->msi.on) {
		nc_msix_control(&f->msi, enable ? PCICFG_MSIX_ENABLE : 0);
		if (!enable && f->has_intx && nc_intx_on(&f->intx))
			fprintf(stderr, "nipcell-vmm: %s: INTx back on failed\n", f->name);
	}
}

static void fn_cfg(void *opaque, unsigned off, uint8_t *data, unsigned len,
		   bool is_write)
{
	struct vfio_fn *f = opaque;
	unsigned ev;

	pthread_mutex_lock(&f->lock);
	if (!is_write) {
		nc_pcicfg_read(&f->cfg, off, data, len);
	} else {
		ev = nc_pcicfg_write(&f->cfg, off, data, len);
		if (ev & NC_PCICFG_EV_BARS)
			update_bars(f);
		if (ev & NC_PCICFG_EV_MSIX)
			msix_control(f);
		if (ev & NC_PCICFG_EV_MSI)
			msi_control(f);
	}
	pthread_mutex_unlock(&f->lock);
}

const struct nc_pci_fn_ops nc_vfio_pci_ops = {
	.cfg = fn_cfg,
	.bar = fn_bar,
};

/* ---- life cycle ---- */

/* The table and PBA of the MSI-X capability, checked against the BARs. */
static int setup_msix(struct vfio_fn *f, char *err, size_t errlen)
{
	const struct nc_pcicfg *c = &f->cfg;
	unsigned tb = c->msix_table & 7, pb = c->msix_pba & 7;

	f->table = (struct trap){ NC_PCI_NR_BARS, 0, 0 };
	f->pba = f->table;
	if (!c->msix)
		return 0;
	if (!f->dev.nr_irqs[VFIO_PCI_MSIX_IRQ_INDEX])
		return nc_errf(-ENODEV, err, errlen, "%s: MSI-X capability, but VFIO offers no MSI-X",
			       f->name);
	f->table = (struct trap){ tb, c->msix_table & ~7u, (uint64_t)c->msix_qsize * 16 };
	f->pba = (struct trap){ pb, c->msix_pba & ~7u, ((c->msix_qsize + 63) / 64) * 8 };
	if (tb >= NC_PCI_NR_BARS || pb >= NC_PCI_NR_BARS || !c->bar[tb].size ||
	    !c->bar[pb].size || f->table.off + f->table.len > c->bar[tb].size ||
	    f->pba.off + f->pba.len > c->bar[pb].size)
		return nc_errf(-EINVAL, err, errlen,
			       "%s: the MSI-X table (BAR%u +0x%" PRIx64 ") or PBA (BAR%u +0x%" PRIx64 ") is outside its BAR",
			       f->name, tb, f->table.off, pb, f->pba.off);
	nc_msix_init(&f->msix, f->m, &f->dev, f->name, c->msix_qsize,
		     NC_GSI_MSI_FIRST + f->slot * NC_PCI_MAX_VECTORS, f->slot << 3);
	f->has_msix = true;
	if (c->msix_qsize > NC_PCI_MAX_VECTORS)
		fprintf(stderr, "nipcell-vmm: %s: %u MSI-X vectors; the first %d are wired\n",
			f->name, c->msix_qsize, NC_PCI_MAX_VECTORS);
	return 0;
}

static void map_regions(struct vfio_fn *f)
{
	unsigned i;

	for (i = 0; i < NC_PCI_NR_BARS; i++) {
		const struct nc_vfio_region *r = &f->dev.region[i];
		void *p;

		if (!f->cfg.bar[i].size || !(r->flags & VFIO_REGION_INFO_FLAG_MMAP) ||
		    r->size < (uint64_t)f->page || (r->size & (f->page - 1)))
			continue;	/* traps: too small to be a memslot */
		p = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, f->dev.fd,
			 r->offset);
		if (p == MAP_FAILED)
			fprintf(stderr, "nipcell-vmm: %s: mmap of BAR%u: %s; it traps instead\n",
				f->name, i, strerror(errno));
		else
			f->bar[i].map = p;
	}
}

/* One line on stderr: what the guest gets. */
static void describe(const struct vfio_fn *f)
{
	char line[320], sz[24];
	uint32_t id = 0;
	unsigned i;
	int n;

	cfg_read((void *)f, 0, &id, 4);
	n = snprintf(line, sizeof(line), "%s: %04x:%04x", f->name, id & 0xffff, id >> 16);
	for (i = 0; i < NC_PCI_NR_BARS && n > 0 && (size_t)n < sizeof(line); i++)
		if (f->cfg.bar[i].size)
			n += snprintf(line + n, sizeof(line) - n, ", BAR%u %s%s", i,
				      nc_size_str(sz, sizeof(sz), f->cfg.bar[i].size),
				      f->bar[i].map ? "" : " (trapped)");
	if (f->has_msix && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - n,
			      ", MSI-X %u vectors (table BAR%u +0x%" PRIx64 ", PBA BAR%u +0x%" PRIx64 ")",
			      f->cfg.msix_qsize, f->table.bar, f->table.off, f->pba.bar,
			      f->pba.off);
	if (f->has_msi && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, ", MSI (1 vector)");
	if (f->has_intx && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, ", INTx on SPI %u", f->intx.spi);
	if (n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, "; reset in %.1f ms", f->reset_ms);
	fprintf(stderr, "nipcell-vmm: %s\n", line);
}

int nc_vfio_pci_create(void **out, struct nc_vfio *v, struct nc_machine *m,
		       struct nc_pci_bus *bus, unsigned slot, const char *host,
		       char *err, size_t errlen)
{
	struct vfio_fn *f = calloc(1, sizeof(*f));
	uint64_t sizes[NC_PCI_NR_BARS];
	char msg[384];
	unsigned i;
	int ret;

	*out = NULL;
	if (!f)
		return nc_errf(-ENOMEM, err, errlen, "pci: out of memory");
	pthread_mutex_init(&f->lock, NULL);
	f->m = m;
	f->bus = bus;
	f->slot = slot;
	f->page = sysconf(_SC_PAGESIZE);
	f->intx.trigger = f->intx.unmask = -1;
	snprintf(f->name, sizeof(f->name), "pci 00:%02x.0 (host %s)", slot, host);
	*out = f;
	ret = nc_vfio_dev_open(&f->dev, v, host, err, errlen);
	if (ret)
		return ret;
	f->reset_ms = now_ms();
	ret = nc_vfio_dev_reset(&f->dev);
	f->reset_ms = now_ms() - f->reset_ms;
	if (ret && ret != -EOPNOTSUPP)
		fprintf(stderr, "nipcell-vmm: %s: reset at start: %s\n", f->name,
			strerror(-ret));
	for (i = 0; i < NC_PCI_NR_BARS; i++)
		sizes[i] = f->dev.region[i].size;
	ret = nc_pcicfg_init(&f->cfg, &cfg_backend, f,
			     f->dev.region[VFIO_PCI_CONFIG_REGION_INDEX].size, sizes,
			     f->dev.nr_irqs[VFIO_PCI_INTX_IRQ_INDEX] > 0,
			     f->dev.nr_irqs[VFIO_PCI_MSI_IRQ_INDEX] > 0, msg, sizeof(msg));
	if (ret)
		return nc_errf(ret, err, errlen, "%s: %s", f->name, msg);
	ret = setup_msix(f, err, errlen);
	if (ret)
		return ret;
	if (f->cfg.msi) {	/* MSI-X's GSIs: the two are never on together */
		nc_msix_init(&f->msi, f->m, &f->dev, f->name, 1,
			     NC_GSI_MSI_FIRST + slot * NC_PCI_MAX_VECTORS, slot << 3);
		nc_msix_use_msi(&f->msi);
		f->has_msi = true;
	}
	map_regions(f);
	if (f->cfg.irq_pin) {
		ret = nc_intx_init(&f->intx, m, &f->dev, NC_SPI_PCI_FIRST + slot);
		if (ret)
			return nc_errf(ret, err, errlen, "%s: INTx: %s", f->name,
				       strerror(-ret));
		f->has_intx = true;
	}
	describe(f);
	return 0;
}

void nc_vfio_pci_destroy(void *opaque)
{
	struct vfio_fn *f = opaque;
	unsigned i;
	int ret;

	if (!f)
		return;
	if (f->has_msix)
		nc_msix_exit(&f->msix);
	if (f->has_msi)
		nc_msix_exit(&f->msi);
	nc_intx_exit(&f->intx);
	for (i = 0; i < NC_PCI_NR_BARS; i++) {
		unmap_bar(f, i);
		if (f->bar[i].map)
			munmap(f->bar[i].map, f->dev.region[i].size);
	}
	if (f->dev.fd >= 0) {
		ret = nc_vfio_dev_reset(&f->dev);
		if (ret && ret != -EOPNOTSUPP)
			fprintf(stderr, "nipcell-vmm: %s: reset at exit: %s\n", f->name,
				strerror(-ret));
	}
	nc_vfio_dev_close(&f->dev);
	pthread_mutex_destroy(&f->lock);
	free(f);
}
