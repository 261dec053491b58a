// SPDX-License-Identifier: GPL-2.0
/*
 * The device table: every device a cell can have, in device tree and init
 * order. One line per device; its file holds the rest.
 */
#include "devices/device.h"

extern const struct nc_device nc_gic_device;	/* arch/arm64/gic.c */
extern const struct nc_device nc_uart_device;	/* devices/uart.c */
extern const struct nc_device nc_ion_device;	/* devices/ion.c */
extern const struct nc_device nc_pci_device;	/* devices/pci.c, with [[pci]] */

const struct nc_device *const nc_device_table[] = {
	&nc_gic_device,
	&nc_uart_device,
	&nc_ion_device,
	&nc_pci_device,
	NULL,
};
