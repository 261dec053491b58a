// SPDX-License-Identifier: GPL-2.0
/* INTx of a passthrough function through a resampling irqfd (intx.h). */
#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "machine.h"
#include "vfio/device.h"
#include "vfio/intx.h"

int nc_intx_init(struct nc_intx *x, struct nc_machine *m, struct nc_vfio_dev *dev,
		 unsigned spi)
{
	int ret;

	x->m = m;
	x->dev = dev;
	x->spi = spi;
	x->wired = x->on = false;
	x->trigger = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	x->unmask = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (x->trigger < 0 || x->unmask < 0)
		return -errno;
	/* GSI n is SPI n. */
	ret = m->ops->gsi_irqfd(m, spi, x->trigger, x->unmask, true, NULL, 0);
	if (ret)
		return ret;
	x->wired = true;
	return nc_intx_on(x);
}

int nc_intx_on(struct nc_intx *x)
{
	int ret;

	if (x->on || !x->wired)
		return 0;
	ret = nc_vfio_dev_set_irqs(x->dev, VFIO_PCI_INTX_IRQ_INDEX,
				   VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1, &x->trigger);
	if (!ret)
		ret = nc_vfio_dev_set_irqs(x->dev, VFIO_PCI_INTX_IRQ_INDEX,
					   VFIO_IRQ_SET_ACTION_UNMASK, 0, 1, &x->unmask);
	if (!ret)
		x->on = true;
	return ret;
}

void nc_intx_off(struct nc_intx *x)
{
	if (!x->on)
		return;
	nc_vfio_dev_set_irqs(x->dev, VFIO_PCI_INTX_IRQ_INDEX,
			     VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, NULL);
	x->on = false;
}

void nc_intx_exit(struct nc_intx *x)
{
	nc_intx_off(x);
	if (x->wired)
		x->m->ops->gsi_irqfd(x->m, x->spi, x->trigger, -1, false, NULL, 0);
	x->wired = false;
	if (x->trigger >= 0)
		close(x->trigger);
	if (x->unmask >= 0)
		close(x->unmask);
	x->trigger = x->unmask = -1;
}
