// SPDX-License-Identifier: GPL-2.0
/* MSI-X of a passthrough function: the table, routes, irqfds (msix.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "machine.h"
#include "vfio/device.h"
#include "vfio/msix.h"
#include "vfio/pcicfg.h"

#define ENTRY_MASKED	1u	/* vector control bit 0 */

_Static_assert(NC_PCI_MAX_VECTORS <= NC_VFIO_MAX_IRQS, "device.h: one SET_IRQS cannot carry every vector");

static void warn(struct nc_msix *x, const char *what, int ret)
{
	if (x->warned)
		return;
	x->warned = true;
	fprintf(stderr, "nipcell-vmm: %s: MSI-X %s: %s (said once)\n", x->name, what,
		strerror(-ret));
}

void nc_msix_init(struct nc_msix *x, struct nc_machine *m, struct nc_vfio_dev *dev,
		  const char *name, unsigned qsize, unsigned gsi_base, uint32_t devid)
{
	unsigned i;

	memset(x, 0, sizeof(*x));
	x->m = m;
	x->dev = dev;
	x->name = name;
	x->qsize = qsize;
	x->nr = qsize < NC_PCI_MAX_VECTORS ? qsize : NC_PCI_MAX_VECTORS;
	x->gsi_base = gsi_base;
	x->devid = devid;
	x->set_irqs = nc_vfio_dev_set_irqs;
	x->index = VFIO_PCI_MSIX_IRQ_INDEX;
	for (i = 0; i < NC_PCI_MAX_VECTORS; i++) {
		x->vec[i].ctrl = ENTRY_MASKED;	/* the reset state */
		x->vec[i].efd = -1;
		x->vec[i].dirty = true;		/* never routed */
	}
}

/* Wires or unwires vector v to match the guest's entry and control bits. */
static void vec_update(struct nc_msix *x, unsigned v)
{
	struct nc_msix_vec *e = &x->vec[v];
	bool live = x->on && !x->maskall && !(e->ctrl & ENTRY_MASKED) && e->efd >= 0;
	unsigned gsi = x->gsi_base + v;
	int ret;

	if (live && e->dirty) {
		ret = x->m->ops->msi_route(x->m, gsi,
					   (uint64_t)e->addr_hi << 32 | e->addr_lo,
					   e->data, x->devid, true, NULL, 0);
		if (ret) {
			warn(x, "route", ret);
			return;
		}
		e->dirty = false;
	}
	if (live && !e->wired) {
		ret = x->m->ops->gsi_irqfd(x->m, gsi, e->efd, -1, true, NULL, 0);
		if (ret)
			warn(x, "irqfd", ret);
		else
			e->wired = true;
	} else if (!live && e->wired) {
		x->m->ops->gsi_irqfd(x->m, gsi, e->efd, -1, false, NULL, 0);
		e->wired = false;
	}
}

void nc_msix_table(struct nc_msix *x, uint64_t off, uint8_t *data, unsigned len,
		   bool is_write)
{
	unsigned v = off / 16, word = (off % 16) / 4;
	struct nc_msix_vec *e;
	uint32_t *field, val;

	if ((len != 4 && len != 8) || (off & (len - 1)) || v >= x->qsize) {
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	if (v >= x->nr) {	/* beyond what is wired: masked, writes dropped */
		if (!is_write) {
			memset(data, 0, len);
			if (word + len / 4 > 3)
				data[len - 4] = ENTRY_MASKED;
		}
		return;
	}
	e = &x->vec[v];
	if (len == 8) {	/* the address as one access: two words */
		nc_msix_table(x, off, data, 4, is_write);
		nc_msix_table(x, off + 4, data + 4, 4, is_write);
		return;
	}
	field = word == 0 ? &e->addr_lo : word == 1 ? &e->addr_hi :
		word == 2 ? &e->data : &e->ctrl;
	if (!is_write) {
		memcpy(data, field, 4);
		return;
	}
	memcpy(&val, data, 4);
	if (word == 3)
		val &= ENTRY_MASKED;	/* the other bits are reserved */
	if (*field == val)
		return;
	*field = val;
	if (word < 3)
		e->dirty = true;
	if (word == 3 || !(e->ctrl & ENTRY_MASKED))
		vec_update(x, v);
}

void nc_msix_use_msi(struct nc_msix *x)
{
	x->index = VFIO_PCI_MSI_IRQ_INDEX;
	x->qsize = x->nr = 1;
}

void nc_msix_set_entry(struct nc_msix *x, unsigned v, uint64_t addr, uint32_t data,
		       bool masked)
{
	struct nc_msix_vec *e;

	if (v >= x->nr)
		return;
	e = &x->vec[v];
	if (e->addr_lo != (uint32_t)addr || e->addr_hi != addr >> 32 || e->data != data)
		e->dirty = true;
	e->addr_lo = addr;
	e->addr_hi = addr >> 32;
	e->data = data;
	e->ctrl = masked ? ENTRY_MASKED : 0;
	vec_update(x, v);
}

static int vfio_on(struct nc_msix *x)
{
	int fds[NC_PCI_MAX_VECTORS];
	unsigned v;
	int ret;

	for (v = 0; v < x->nr; v++) {
		if (x->vec[v].efd < 0)
			x->vec[v].efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (x->vec[v].efd < 0)
			return -errno;
		fds[v] = x->vec[v].efd;
	}
	/* All vectors at once: VFIO in 6.1 cannot add vectors to a live set. */
	ret = x->set_irqs(x->dev, x->index,
			  VFIO_IRQ_SET_ACTION_TRIGGER, 0, x->nr, fds);
	if (!ret)
		x->on = true;
	return ret;
}

int nc_msix_control(struct nc_msix *x, uint16_t ctrl)
{
	bool enable = ctrl & PCICFG_MSIX_ENABLE;
	unsigned v;
	int ret = 0;

	x->enabled = enable;
	x->maskall = ctrl & PCICFG_MSIX_MASKALL;
	if (enable && !x->on && x->nr) {
		ret = vfio_on(x);
		if (ret)
			warn(x, "enable (VFIO_DEVICE_SET_IRQS)", ret);
	} else if (!enable && x->on) {
		x->on = false;
		for (v = 0; v < x->nr; v++)
			vec_update(x, v);
		x->set_irqs(x->dev, x->index,
			    VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, NULL);
	}
	for (v = 0; v < x->nr; v++)
		vec_update(x, v);
	return ret;
}

void nc_msix_exit(struct nc_msix *x)
{
	unsigned v;

	if (x->on)
		nc_msix_control(x, 0);
	for (v = 0; v < x->nr; v++) {
		if (x->vec[v].efd >= 0)
			close(x->vec[v].efd);
		x->vec[v].efd = -1;
		if (!x->vec[v].dirty)	/* it was routed */
			x->m->ops->msi_route(x->m, x->gsi_base + v, 0, 0, 0, false,
					     NULL, 0);
	}
}
