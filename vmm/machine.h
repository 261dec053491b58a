/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running machine: what vCPU threads, devices and the control socket
 * share. Anyone may ask it to stop; the first reason given wins and decides
 * the exit status. Devices reach the hypervisor only through ops, so they
 * build and are tested on any host.
 */
#ifndef NC_MACHINE_H
#define NC_MACHINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/device.h"
#include "devices/mmio.h"

/* Exit statuses of nipcell-vmm (docs/nipcell-vmm.md). */
enum nc_exit {
	NC_EXIT_OK	= 0,	/* guest powered off, or stopped on request */
	NC_EXIT_ERROR	= 1,	/* VMM error: KVM, I/O, an unexpected exit */
	NC_EXIT_USAGE	= 2,	/* usage or configuration error */
	NC_EXIT_RESET	= 3,	/* guest asked for a reset (PSCI SYSTEM_RESET) */
	NC_EXIT_CRASH	= 4,	/* guest crashed (PSCI crash event) */
};

enum nc_stop {
	NC_STOP_NONE,
	NC_STOP_POWEROFF,	/* PSCI SYSTEM_OFF */
	NC_STOP_RESET,		/* PSCI SYSTEM_RESET */
	NC_STOP_CRASH,
	NC_STOP_ERROR,		/* a vCPU or device failed */
	NC_STOP_SIGNAL,		/* SIGINT or SIGTERM */
	NC_STOP_REQUEST,	/* the control socket said stop */
};

struct ion_host;
struct nc_config;
struct nc_machine;

/* What devices may ask of the hypervisor (KVM on arm64: run.c). */
struct nc_machine_ops {
	/* Drive a level-triggered SPI. */
	void	(*set_irq)(struct nc_machine *m, unsigned spi, int level);
	/* A 32-bit guest store to gpa signals fd. */
	int	(*ioeventfd)(struct nc_machine *m, uint64_t gpa, int fd,
			     char *err, size_t errlen);
	/* A write to fd raises the edge-triggered SPI spi. */
	int	(*irqfd)(struct nc_machine *m, unsigned spi, int fd,
			 char *err, size_t errlen);
};

struct nc_machine {
	const struct nc_machine_ops *ops;
	void			*hv;		/* the ops' own state */
	const struct nc_config	*cfg;
	struct ion_host		*ion;
	struct nc_mmio_bus	mmio;

	pthread_mutex_t		lock;
	enum nc_stop		stop;
	char			stop_why[256];
	int			stop_fd;	/* eventfd: main waits on it */
	volatile bool		stopping;	/* read by vCPU loops */
	unsigned		restarts;	/* atomic: guests restarted ([cell] restart) */
};

/* Records the first stop reason and wakes the main thread. Thread-safe. */
void nc_machine_stop(struct nc_machine *m, enum nc_stop why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* NC_MACHINE_H */
