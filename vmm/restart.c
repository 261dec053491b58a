// SPDX-License-Identifier: GPL-2.0
/*
 * [cell] restart = "on-failure": a new guest in the same process (runtime.h,
 * docs/design.md "Restarting a guest"). The ION host, guest RAM (zeroed),
 * the control socket, the consoles and the export devices stay; the VM,
 * its vCPUs and devices are made anew.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guest_ram.h"
#include "runtime.h"
#include "util/errf.h"

/* Whether the cell restarts from this stop ([cell] restart, restart_limit). */
static bool restart_wanted(struct nc_runtime *rt)
{
	const struct nc_config *c = &rt->cell.cfg;

	if (c->restart != NC_RESTART_ON_FAILURE ||
	    (rt->m.stop != NC_STOP_RESET && rt->m.stop != NC_STOP_CRASH))
		return false;
	if (rt->m.restarts >= c->restart_limit) {
		run_info("%s: restart_limit %u reached, not restarting", rt->m.stop_why,
			c->restart_limit);
		return false;
	}
	return true;
}

/*
 * The old guest goes: its vCPUs stop, its devices exit, its VM closes. The
 * ION host (window, disks, tap, export devices, statistics), guest RAM,
 * the control socket and the console stay.
 */
static void stop_guest(struct nc_runtime *rt)
{
	unsigned i;

	rt->m.stopping = true;
	for (i = 0; i < rt->nr_vcpus; i++)
		nc_vcpu_kick(&rt->vcpus[i]);
	for (i = 0; i < rt->nr_vcpus; i++)
		nc_vcpu_join(&rt->vcpus[i]);
	/* The UARTs keep their consoles (files, threads): only reset. */
	nc_devices_exit_for_restart(&rt->cell.devs, &rt->m);
	for (i = 0; i < rt->nr_vcpus; i++)
		nc_vcpu_destroy(&rt->vcpus[i]);
	rt->nr_vcpus = 0;
	nc_vm_close_vm(&rt->vm);
}

/* The new guest's command line says it is one: nc.restarts=N. */
static void restart_bootargs(struct nc_runtime *rt, unsigned n)
{
	char *b = rt->cell.bootargs;

	if (!rt->bootargs_len)
		rt->bootargs_len = strlen(b);
	snprintf(b + rt->bootargs_len, sizeof(rt->cell.bootargs) - rt->bootargs_len,
		 " nc.restarts=%u", n);
}

/*
 * A new VM rather than the old one reset in place: every vCPU, memslot,
 * the vGIC (its pending and active interrupts, its redistributors) and
 * every device start from KVM's and our own initial state, exactly as at
 * the first boot, with no state of the crashed guest to forget to clear.
 * It costs a few milliseconds; the guest's boot costs seconds.
 */
static int restart_guest(struct nc_runtime *rt)
{
	double t0 = run_now_ms();
	char why[sizeof(rt->m.stop_why)];
	uint64_t cnt;
	unsigned i, n;
	int ret;

	memcpy(why, rt->m.stop_why, sizeof(why));
	stop_guest(rt);
	/* Held export requests stay with the host, for the next guest. */
	ret = ion_host_reset(rt->ion);
	if (ret)
		return nc_errf(ret, rt->err, sizeof(rt->err), "restart: resetting the ION window: %s",
			       strerror(-ret));
	if (read(rt->m.stop_fd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return nc_errf(-errno, rt->err, sizeof(rt->err), "restart: stop eventfd: %s",
			       strerror(errno));
	pthread_mutex_lock(&rt->m.lock);
	rt->m.stop = NC_STOP_NONE;
	rt->m.stop_why[0] = '\0';
	pthread_mutex_unlock(&rt->m.lock);
	memset(&rt->m.mmio, 0, sizeof(rt->m.mmio));
	rt->t_init = 0;		/* the new guest's boot stamp */
	/* Zero pages: nothing of the old guest's memory reaches the new one. */
	ret = nc_guest_ram_clear(rt->ram_base, rt->ram_size, rt->cell.cfg.ksm);
	if (ret)
		return nc_errf(ret, rt->err, sizeof(rt->err), "restart: clearing guest RAM: %s",
			       strerror(-ret));
	n = __atomic_add_fetch(&rt->m.restarts, 1, __ATOMIC_RELAXED);
	restart_bootargs(rt, n);
	rt->m.stopping = false;
	ret = run_setup_vm(rt);
	for (i = 0; !ret && i < rt->nr_vcpus; i++) {
		ret = nc_vcpu_start(&rt->vcpus[i], &rt->m);
		if (ret)
			nc_errf(ret, rt->err, sizeof(rt->err), "vcpu %u thread: %s", i,
				strerror(-ret));
	}
	if (ret)
		return ret;
	rt->restart_ms = run_now_ms() - t0;
	run_info("%s: restart %u of %u, a new guest started in %.1f ms", why, n,
		rt->cell.cfg.restart_limit, rt->restart_ms);
	return 0;
}

void run_cell(struct nc_runtime *rt, int sig_fd)
{
	run_wait_for_stop(rt, sig_fd);
	while (restart_wanted(rt)) {
		if (restart_guest(rt)) {
			nc_machine_stop(&rt->m, NC_STOP_ERROR, "%s", rt->err);
			break;
		}
		run_wait_for_stop(rt, sig_fd);
	}
}
