/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state of one `nipcell-vmm run` (vmm/run.c) and what its parts share:
 * run.c sets the cell up, runs it and tears it down; restart.c gives it a
 * new guest in the same process ([cell] restart); run_log.c prints.
 * Private to those files.
 */
#ifndef NC_RUNTIME_H
#define NC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include <nipcell/ion_host.h>

#include "arch/arm64/kvm.h"
#include "arch/arm64/vcpu.h"
#include "cell.h"
#include "control.h"
#include "machine.h"
#include "metrics.h"
#include "run.h"
#include "ublk.h"

struct nc_ram_map {
	uint64_t	gpa, size;
	void		*hva;
};

struct nc_runtime {
	struct nc_cell		cell;
	struct nc_vm		vm;
	struct nc_machine	m;
	struct nc_vcpu		vcpus[NC_MAX_VCPUS];
	unsigned		nr_vcpus;
	struct nc_ram_map	ram[2];
	unsigned		nr_ram;
	void			*ram_base;	/* one mapping for all guest RAM */
	uint64_t		ram_size;
	struct ion_host		*ion;
	struct nc_control	ctl;
	struct nc_vexit_counts	vexits[NC_MAX_VCPUS];	/* the metrics' vCPU exits */
	double			step_ms;	/* when the current setup step began */
	int			smaps_fd;	/* the footprint, opened before the sandbox */
	int			report_fd;	/* --report FILE, opened before it too */
	double			t0;		/* VMM start, ms (CLOCK_MONOTONIC) */
	double			t_init;		/* the guest's boot stamp seen, or 0 */
	struct nc_ublk		ublk[NC_MAX_EXPORT];	/* one per [[export]] */
	unsigned		nr_ublk;
	double			restart_ms;	/* the last restart took */
	size_t			bootargs_len;	/* before nc.restarts= */
	char			err[512];
};


_Static_assert(NC_MAX_VCPUS <= NC_METRICS_MAX_VCPUS, "the metrics hold every vCPU");

/* ---- run_log.c: what run prints (-q, -v, [cell] log) ---- */

extern enum nc_log_level nc_run_log_level;
/* The start line and the exit report: not with -q. One line, one write. */
void run_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Warnings: always. */
void run_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* CLOCK_MONOTONIC in ms, with its fraction. */
double run_now_ms(void);
/* With -v, the setup or teardown step that ends here, if it took > 1 ms. */
void run_step_done(struct nc_runtime *rt, const char *what, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- run.c ---- */

/* A VM with its memslots, vGIC, vCPUs, boot image and devices. */
int run_setup_vm(struct nc_runtime *rt);
/* Until the machine stops (a vCPU, a device, the control socket, a signal). */
void run_wait_for_stop(struct nc_runtime *rt, int sig_fd);

/* ---- restart.c ---- */

/* Waits for a stop; restarts the guest while the cell says so. */
void run_cell(struct nc_runtime *rt, int sig_fd);

#endif /* NC_RUNTIME_H */
