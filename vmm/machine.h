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
	NC_EXIT_SANDBOX	= 5,	/* a VMM thread made a forbidden system call */
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

/* Why a vCPU left KVM_RUN, counted per vCPU for the metrics. */
enum nc_vexit {
	NC_VEXIT_MMIO,		/* KVM_EXIT_MMIO: a device on the MMIO bus */
	NC_VEXIT_SYSTEM_EVENT,	/* PSCI power-off, reset, crash */
	NC_VEXIT_INTR,		/* a signal (a kick) interrupted KVM_RUN */
	NC_VEXIT_NISV,		/* MMIO without a valid syndrome: external abort */
	NC_VEXIT_FAIL_ENTRY,
	NC_VEXIT_OTHER,		/* any other exit reason (stops the cell) */
	NC_VEXIT_NR
};

/* One vCPU's exits by reason; updated with relaxed atomics by its thread. */
struct nc_vexit_counts {
	uint64_t	n[NC_VEXIT_NR];
};

/* "mmio", "system_event", "intr", "nisv", "fail_entry", "other". */
const char *nc_vexit_name(enum nc_vexit r);

static inline void nc_vexit_count(struct nc_vexit_counts *c, enum nc_vexit r)
{
	__atomic_fetch_add(&c->n[r], 1, __ATOMIC_RELAXED);
}

/* "poweroff", "reset", "crash", "error", "signal", "request" ("none"). */
const char *nc_stop_name(enum nc_stop s);

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

	/* For PCI passthrough (devices/pci.c, vfio/); any thread may call them. */
	/* Guest [gpa, +size) is host memory at hva (a memslot); *slot names it. */
	int	(*map)(struct nc_machine *m, uint64_t gpa, uint64_t size, void *hva,
		       int *slot, char *err, size_t errlen);
	void	(*unmap)(struct nc_machine *m, int slot);
	/*
	 * GSI gsi (layout.h: NC_GSI_MSI_FIRST...) delivers the MSI (addr,
	 * data) of requester devid through the ITS; valid false removes it.
	 */
	int	(*msi_route)(struct nc_machine *m, unsigned gsi, uint64_t addr,
			     uint32_t data, uint32_t devid, bool valid, char *err,
			     size_t errlen);
	/*
	 * A write to fd raises GSI gsi; with resample_fd >= 0 as a level the
	 * guest's EOI ends, signalling resample_fd. assign false removes it.
	 */
	int	(*gsi_irqfd)(struct nc_machine *m, unsigned gsi, int fd,
			     int resample_fd, bool assign, char *err, size_t errlen);
};

/* A RAM region of the guest: what devices that DMA need (VFIO). */
struct nc_machine_ram {
	uint64_t	gpa;
	uint64_t	size;
	void		*hva;
};

struct nc_machine {
	const struct nc_machine_ops *ops;
	void			*hv;		/* the ops' own state */
	const struct nc_config	*cfg;
	struct ion_host		*ion;
	struct nc_mmio_bus	mmio;
	unsigned		nr_ram;		/* guest RAM, not the ION window */
	struct nc_machine_ram	ram[2];

	pthread_mutex_t		lock;
	enum nc_stop		stop;
	char			stop_why[256];
	int			stop_fd;	/* eventfd: main waits on it */
	volatile bool		stopping;	/* read by vCPU loops */

	/* What the metrics read (metrics.h); set before any thread starts. */
	struct nc_vexit_counts	*vexits;	/* one per vCPU, NULL: none */
	unsigned		nr_vexits;
	int64_t			start_ms;	/* CLOCK_MONOTONIC at start */
	const void		*ram_map;	/* guest RAM mapping, for the RSS */
	size_t			ram_map_size;
	int			smaps_fd;	/* /proc/self/smaps, opened before the sandbox */

	/*
	 * A graceful shutdown asked for on the control socket: when the
	 * guest has not powered off by this CLOCK_MONOTONIC ms, the control
	 * thread stops the cell (0: none pending). Control thread only.
	 */
	int64_t			shutdown_at_ms;
	unsigned		shutdown_timeout_s;

	unsigned		restarts;	/* atomic: guests restarted ([cell] restart) */
};

/* CLOCK_MONOTONIC in ms. */
int64_t nc_now_ms(void);

/* Records the first stop reason and wakes the main thread. Thread-safe. */
void nc_machine_stop(struct nc_machine *m, enum nc_stop why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* NC_MACHINE_H */
