/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running machine: what vCPU threads, devices and the control socket
 * share. Anyone may ask it to stop; the first reason given wins and decides
 * the exit status.
 */
#ifndef NC_MACHINE_H
#define NC_MACHINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/arm64/layout.h"
#include "devices/mmio.h"
#include "devices/uart.h"

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

struct nc_vm;

struct nc_machine {
	struct nc_vm		*vm;
	struct nc_mmio_bus	mmio;
	struct nc_uart		uart;

	pthread_mutex_t		lock;
	enum nc_stop		stop;
	char			stop_why[256];
	int			stop_fd;	/* eventfd: main waits on it */
	volatile bool		stopping;	/* read by vCPU loops */
};

/* Records the first stop reason and wakes the main thread. Thread-safe. */
void nc_machine_stop(struct nc_machine *m, enum nc_stop why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* NC_MACHINE_H */
