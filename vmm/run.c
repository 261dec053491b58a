// SPDX-License-Identifier: GPL-2.0
/*
 * `nipcell-vmm run`: from a prepared cell to a running guest, and back to an
 * exit status once it powers off, resets, crashes or is stopped.
 *
 * Threads: one per vCPU (KVM_RUN and MMIO only), the ION service thread (all
 * valve I/O, on io_uring), per UART a console output thread (and, for the
 * stdio console, an input thread), the control socket thread, and this
 * one, which waits for a stop and tears down in order: vCPUs first, so the
 * guest submits nothing more, then the devices, the control socket, and
 * the valves, which finish or cancel in-flight I/O and flush the disks.
 *
 * The sandbox (vmm/sandbox/sandbox.h, docs/security.md): armed before any
 * thread exists; every thread waits at its gate until setup is done and
 * this thread's lockdown (ids, Landlock, capabilities), then installs its
 * own seccomp filter. A forbidden call ends the run with NC_EXIT_SANDBOX.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

#include "arch/arm64/kvm.h"
#include "arch/arm64/vcpu.h"
#include "cell.h"
#include "control.h"
#include "footprint.h"
#include "guest_ram.h"
#include "machine.h"
#include "metrics.h"
#include "report.h"
#include "run.h"
#include "runtime.h"
#include "ublk.h"
#include "ublk_broker.h"
#include "sandbox/sandbox.h"
#include "util/errf.h"

/* Host address of guest [gpa, gpa + len), which must lie in one RAM region. */
static void *gpa_to_hva(struct nc_runtime *rt, uint64_t gpa, uint64_t len)
{
	unsigned i;

	for (i = 0; i < rt->nr_ram; i++) {
		struct nc_ram_map *r = &rt->ram[i];

		if (gpa >= r->gpa && gpa - r->gpa <= r->size && len <= r->size - (gpa - r->gpa))
			return (char *)r->hva + (gpa - r->gpa);
	}
	return NULL;
}

/* ---- what devices may ask of KVM (struct nc_machine_ops) ---- */

static struct nc_vm *hv_vm(struct nc_machine *m)
{
	return m->hv;
}

static void hv_set_irq(struct nc_machine *m, unsigned spi, int level)
{
	nc_vm_spi_line(hv_vm(m), spi, level);
}

static int hv_ioeventfd(struct nc_machine *m, uint64_t gpa, int fd, char *err,
			size_t errlen)
{
	return nc_vm_ioeventfd(hv_vm(m), gpa, fd, err, errlen);
}

static int hv_irqfd(struct nc_machine *m, unsigned spi, int fd, char *err,
		    size_t errlen)
{
	return nc_vm_irqfd(hv_vm(m), spi, fd, err, errlen);
}

static int hv_map(struct nc_machine *m, uint64_t gpa, uint64_t size, void *hva,
		  int *slot, char *err, size_t errlen)
{
	return nc_vm_map(hv_vm(m), gpa, size, hva, slot, err, errlen);
}

static void hv_unmap(struct nc_machine *m, int slot)
{
	nc_vm_del_memory(hv_vm(m), slot);
}

static int hv_msi_route(struct nc_machine *m, unsigned gsi, uint64_t addr,
			uint32_t data, uint32_t devid, bool valid, char *err,
			size_t errlen)
{
	return nc_vm_msi_route(hv_vm(m), gsi, addr, data, devid, valid, err, errlen);
}

static int hv_gsi_irqfd(struct nc_machine *m, unsigned gsi, int fd, int resample_fd,
			bool assign, char *err, size_t errlen)
{
	return nc_vm_irqfd_gsi(hv_vm(m), gsi, fd, resample_fd, assign, err, errlen);
}

static const struct nc_machine_ops kvm_machine_ops = {
	.set_irq = hv_set_irq,
	.ioeventfd = hv_ioeventfd,
	.irqfd = hv_irqfd,
	.map = hv_map,
	.unmap = hv_unmap,
	.msi_route = hv_msi_route,
	.gsi_irqfd = hv_gsi_irqfd,
};

/* The RAM regions and the ION window as memslots of the current VM. */
static int add_memslots(struct nc_runtime *rt)
{
	unsigned i;
	int ret;

	for (i = 0; i < rt->nr_ram; i++) {
		ret = nc_vm_add_memory(&rt->vm, rt->ram[i].gpa, rt->ram[i].size,
				       rt->ram[i].hva, rt->err, sizeof(rt->err));
		if (ret)
			return ret;
	}
	/* The ION window: its own memslot, backed by the valves' memfd. */
	return nc_vm_add_memory(&rt->vm, rt->cell.cfg.ion_base, ion_host_window_size(rt->ion),
				ion_host_window(rt->ion), rt->err, sizeof(rt->err));
}

static int setup_memory(struct nc_runtime *rt)
{
	struct nc_cell *cell = &rt->cell;
	char *base;
	unsigned i;

	/*
	 * One host mapping for all guest RAM, carved into the memslots: easier
	 * to account for (the kernel would merge separate ones anyway). A
	 * restarted guest gets the same mapping, zeroed, in a new VM.
	 */
	if (rt->ram_base)
		return add_memslots(rt);
	base = nc_guest_ram_map(cell->cfg.memory, cell->cfg.ksm);
	if (!base)
		return nc_errf(-errno, rt->err, sizeof(rt->err), "guest RAM %llu MiB: %s",
			       (unsigned long long)(cell->cfg.memory >> 20), strerror(errno));
	rt->ram_base = base;
	rt->ram_size = cell->cfg.memory;
	for (i = 0; i < cell->ram.nr_ram; i++) {
		struct nc_ram_map *r = &rt->ram[i];

		r->gpa = cell->ram.ram[i].gpa;
		r->size = cell->ram.ram[i].size;
		r->hva = base;
		base += r->size;
		rt->nr_ram++;
		rt->m.ram[rt->m.nr_ram++] = (struct nc_machine_ram){ r->gpa, r->size,
								    r->hva };
	}
	return add_memslots(rt);
}

/*
 * The initramfs into guest RAM: read from its file at the first boot; a
 * cell that restarts keeps a copy (cell->initrd) for the next guests, as
 * it keeps the Image, since no file can be opened after the lockdown.
 */
static int load_initrd(struct nc_runtime *rt)
{
	struct nc_cell *cell = &rt->cell;
	void *hva = gpa_to_hva(rt, cell->initrd_gpa, cell->initrd_size);
	uint64_t len;
	int ret;

	if (!hva)
		return nc_errf(-EFAULT, rt->err, sizeof(rt->err),
			       "%s: [0x%llx +%llu] is not in guest RAM", cell->cfg.initramfs,
			       (unsigned long long)cell->initrd_gpa,
			       (unsigned long long)cell->initrd_size);
	if (cell->initrd) {
		memcpy(hva, cell->initrd, cell->initrd_len);
		return 0;
	}
	ret = nc_read_file(cell->cfg.initramfs, hva, cell->initrd_size, &len, rt->err,
			   sizeof(rt->err));
	if (ret || cell->cfg.restart == NC_RESTART_NO)
		return ret;
	cell->initrd = malloc(len ? len : 1);
	if (!cell->initrd)
		return nc_errf(-ENOMEM, rt->err, sizeof(rt->err), "%s: out of memory",
			       cell->cfg.initramfs);
	memcpy(cell->initrd, hva, len);
	cell->initrd_len = len;
	return 0;
}

static int setup_boot(struct nc_runtime *rt)
{
	struct nc_cell *cell = &rt->cell;
	uint64_t mpidr[NC_MAX_VCPUS];
	size_t dtb_size;
	unsigned i;
	void *dtb, *dst;
	int ret;

	dst = gpa_to_hva(rt, cell->kernel_gpa, cell->img.image_size);
	if (!dst || !cell->kernel)
		return nc_errf(-EFAULT, rt->err, sizeof(rt->err),
			       "%s: [0x%llx +%llu] is not in guest RAM", cell->cfg.kernel,
			       (unsigned long long)cell->kernel_gpa,
			       (unsigned long long)cell->img.image_size);
	memcpy(dst, cell->kernel, cell->kernel_file_size);
	/* Read once, by nc_cell_prepare(); a cell that restarts keeps it. */
	if (cell->cfg.restart == NC_RESTART_NO)
		nc_cell_drop_kernel(cell);
	if (cell->initrd_gpa) {
		ret = load_initrd(rt);
		if (ret)
			return ret;
	}
	dtb = gpa_to_hva(rt, cell->dtb_gpa, NC_FDT_MAX);
	if (!dtb)
		return nc_errf(-EFAULT, rt->err, sizeof(rt->err),
			       "DTB at 0x%llx is not in guest RAM",
			       (unsigned long long)cell->dtb_gpa);
	for (i = 0; i < rt->nr_vcpus; i++)
		mpidr[i] = rt->vcpus[i].mpidr;
	ret = nc_cell_fdt(cell, mpidr, dtb, NC_FDT_MAX, &dtb_size, rt->err, sizeof(rt->err));
	if (ret)
		return ret;
	return nc_vcpu_set_boot(&rt->vcpus[0], cell->kernel_gpa, cell->dtb_gpa,
				rt->err, sizeof(rt->err));
}

static int ion_thread_enter(void *arg)
{
	(void)arg;
	return nc_sandbox_thread_enter(NC_THREAD_ION, 0);
}

static int create_ion(struct nc_runtime *rt)
{
	struct ion_host_spec spec;

	nc_cell_ion_spec(&rt->cell, &spec);
	spec.thread_enter = ion_thread_enter;
	return ion_host_create(&rt->ion, &spec, rt->err, sizeof(rt->err));
}

/* A ublk device per export valve, attached before the service thread runs. */
static int setup_exports(struct nc_runtime *rt)
{
	int ret, v;

	for (unsigned i = 0; i < rt->cell.cfg.nr_export; i++) {
		v = ion_host_export_valve(rt->ion, i);
		if (v < 0)
			return nc_errf(v, rt->err, sizeof(rt->err), "export %u: no valve", i);
		ret = nc_ublk_add(&rt->ublk[i], rt->ion, i, v, rt->err, sizeof(rt->err));
		rt->nr_ublk++;	/* partly made: stop and remove it too */
		if (ret)
			return ret;
	}
	return 0;
}

static int start_exports(struct nc_runtime *rt)
{
	int ret;

	for (unsigned i = 0; i < rt->nr_ublk; i++) {
		ret = nc_ublk_start(&rt->ublk[i], rt->err, sizeof(rt->err));
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Host requests fail with EIO from now on, then the devices stop: before
 * the service thread does (it answers them meanwhile).
 */
static void stop_exports(struct nc_runtime *rt)
{
	if (!rt->nr_ublk)
		return;
	ion_host_export_shutdown(rt->ion);
	for (unsigned i = 0; i < rt->nr_ublk; i++)
		nc_ublk_stop(&rt->ublk[i]);
}

static void remove_exports(struct nc_runtime *rt)
{
	for (unsigned i = 0; i < rt->nr_ublk; i++)
		nc_ublk_remove(&rt->ublk[i]);
	rt->nr_ublk = 0;
}

/* The VM: memslots, vGIC, vCPUs, the boot images, the devices. */
int run_setup_vm(struct nc_runtime *rt)
{
	const struct nc_config *c = &rt->cell.cfg;
	unsigned i;
	int ret;

	/* A restart's VM: on the /dev/kvm fd of the first (no open after lockdown). */
	ret = rt->m.restarts ? nc_vm_reopen(&rt->vm, rt->err, sizeof(rt->err)) :
			       nc_vm_open(&rt->vm, rt->err, sizeof(rt->err));
	if (ret)
		return ret;
	run_step_done(rt, "KVM VM");
	ret = setup_memory(rt);
	if (ret)
		return ret;
	rt->m.ram_map = rt->ram_base;
	rt->m.ram_map_size = rt->ram_size;
	run_step_done(rt, "guest RAM and window memslots");
	ret = nc_vm_gic_create(&rt->vm, c->vcpus, c->nr_pci > 0, rt->err, sizeof(rt->err));
	if (ret)
		return ret;
	run_step_done(rt, "vGICv3");
	for (i = 0; !ret && i < c->vcpus; i++) {
		ret = nc_vcpu_create(&rt->vcpus[i], &rt->vm, i, rt->err, sizeof(rt->err));
		if (!ret)
			rt->nr_vcpus++;
	}
	rt->m.vexits = rt->vexits;
	rt->m.nr_vexits = rt->nr_vcpus;
	if (ret)
		return ret;
	run_step_done(rt, "%u vCPU%s", rt->nr_vcpus, rt->nr_vcpus > 1 ? "s" : "");
	ret = nc_vm_gic_init(&rt->vm, rt->err, sizeof(rt->err));
	if (ret)
		return ret;
	run_step_done(rt, "vGIC init");
	ret = setup_boot(rt);
	if (ret)
		return ret;
	run_step_done(rt, "kernel, initramfs and device tree");
	ret = nc_devices_init(&rt->cell.devs, &rt->m, rt->err, sizeof(rt->err));
	if (!ret)
		run_step_done(rt, "devices");
	return ret;
}

static int setup(struct nc_runtime *rt)
{
	const struct nc_config *c = &rt->cell.cfg;
	int ret;

	rt->m.ops = &kvm_machine_ops;
	rt->m.hv = &rt->vm;
	rt->m.cfg = c;
	pthread_mutex_init(&rt->m.lock, NULL);
	rt->m.stop_fd = eventfd(0, EFD_CLOEXEC);
	if (rt->m.stop_fd < 0)
		return nc_errf(-errno, rt->err, sizeof(rt->err), "eventfd: %s", strerror(errno));
	nc_sandbox_set_stop_fd(rt->m.stop_fd);
	ret = create_ion(rt);
	if (ret)
		return ret;
	run_step_done(rt, "ION window and valves");
	rt->m.ion = rt->ion;
	ret = setup_exports(rt);
	if (!ret)
		ret = run_setup_vm(rt);
	if (!ret)
		rt->m.smaps_fd = rt->smaps_fd = nc_footprint_open();
	return ret;
}

static int arm_sandbox(struct nc_runtime *rt)
{
	const struct nc_config *c = &rt->cell.cfg;
	struct nc_sandbox_opts o = {
		.seccomp = c->sandbox_seccomp,
		.landlock = true,
		.set_ids = c->sandbox_set_ids,
		.uid = c->sandbox_uid,
		.gid = c->sandbox_gid,
		.restart = c->restart == NC_RESTART_ON_FAILURE,
	};
	int abi;

	if (!o.seccomp)
		fprintf(stderr,
			"nipcell-vmm: WARNING: [sandbox] seccomp = false: NO SYSTEM-CALL FILTERS.\n"
			"nipcell-vmm: WARNING: a bug the guest can exploit gets every system call this process may make. For debugging only.\n");
	abi = nc_landlock_abi();
	if (abi <= 0 && o.landlock)
		run_info("warning: this kernel has no Landlock (%s): the cell runs without file-system confinement (docs/security.md)",
			strerror(-abi));
	return nc_sandbox_arm(&o, rt->err, sizeof(rt->err));
}

/* After setup, before the guest runs (the vCPUs wait at the gate). */
static int lockdown(struct nc_runtime *rt)
{
	const struct nc_config *c = &rt->cell.cfg;

	/* The switched user may still use its control socket, like root. */
	if (c->sandbox_set_ids && c->control_socket &&
	    chown(c->control_socket, c->sandbox_uid, c->sandbox_gid) < 0)
		return nc_errf(-errno, rt->err, sizeof(rt->err), "control socket %s: chown: %s",
			       c->control_socket, strerror(errno));
	return nc_sandbox_lockdown(rt->err, sizeof(rt->err));
}

static int start(struct nc_runtime *rt)
{
	const struct nc_config *c = &rt->cell.cfg;
	unsigned i;
	int ret;

	if (nc_vcpu_signal_setup() < 0)
		return nc_errf(-errno, rt->err, sizeof(rt->err), "sigaction: %s",
			       strerror(errno));
	rt->m.start_ms = nc_now_ms();
	ret = ion_host_start(rt->ion);
	if (ret)
		return nc_errf(ret, rt->err, sizeof(rt->err), "ion service thread: %s",
			       strerror(-ret));
	run_step_done(rt, "ION service thread");
	ret = start_exports(rt);
	if (ret)
		return ret;
	if (c->control_socket) {
		ret = nc_control_start(&rt->ctl, c->control_socket, &rt->m, rt->ion,
				       rt->err, sizeof(rt->err));
		if (ret)
			return ret < 0 ? ret : -EIO;
		run_step_done(rt, "control socket");
	}
	for (i = 0; i < rt->nr_vcpus; i++) {
		ret = nc_vcpu_start(&rt->vcpus[i], &rt->m);
		if (ret)
			return nc_errf(ret, rt->err, sizeof(rt->err), "vcpu %u thread: %s", i,
				       strerror(-ret));
	}
	run_step_done(rt, "vCPU threads");
	return 0;
}

/*
 * Waits for a stop: a vCPU, a device, the control socket, a signal, or the
 * ION service thread dying (the guest's I/O would hang: stop instead).
 */
/*
 * The guest's boot stamp (init_uptime_us): /init writes it as its first act;
 * the first time it reads non-zero is when /init began, by the host's clock.
 * Looked for every millisecond during the first NC_STAMP_WAIT_MS only.
 */
#define NC_STAMP_WAIT_MS	120000

static void check_stamp(struct nc_runtime *rt)
{
	const struct ion_header *hdr = ion_host_window(rt->ion);

	if (!rt->t_init && __atomic_load_n(&hdr->init_uptime_us, __ATOMIC_ACQUIRE))
		rt->t_init = run_now_ms();
}

/*
 * Waits for a stop: a vCPU, a device, the control socket, a signal, or the
 * ION service thread dying (the guest's I/O would hang: stop instead).
 */
void run_wait_for_stop(struct nc_runtime *rt, int sig_fd)
{
	struct pollfd pfd[3] = {
		{ .fd = rt->m.stop_fd, .events = POLLIN },
		{ .fd = sig_fd, .events = POLLIN },
		{ .fd = ion_host_fail_fd(rt->ion), .events = POLLIN },
	};
	struct signalfd_siginfo si;
	int ret, tmo;

	for (;;) {
		check_stamp(rt);
		tmo = !rt->t_init && run_now_ms() - rt->t0 < NC_STAMP_WAIT_MS ? 1 : -1;
		ret = poll(pfd, 3, tmo);
		if (ret < 0 && errno != EINTR)
			break;
		if (ret <= 0)
			continue;
		if (pfd[0].revents)
			break;
		if (pfd[1].revents && read(sig_fd, &si, sizeof(si)) == sizeof(si)) {
			nc_machine_stop(&rt->m, NC_STOP_SIGNAL, "stopped by %s",
					strsignal(si.ssi_signo));
			break;
		}
		if (pfd[2].revents) {
			ret = ion_host_thread_error(rt->ion);
			nc_machine_stop(&rt->m, NC_STOP_ERROR,
					"the ION service thread failed: %s; every valve is broken",
					strerror(ret < 0 ? -ret : EIO));
			break;
		}
	}
	check_stamp(rt);
}

/* The boot time: VMM start to the guest's /init, from the boot stamp. */
static void report_boot(struct nc_runtime *rt)
{
	const struct ion_header *hdr = ion_host_window(rt->ion);
	uint64_t us = __atomic_load_n(&hdr->init_uptime_us, __ATOMIC_ACQUIRE);

	if (rt->t_init)
		run_info("boot: VMM start to the guest's /init %.1f ms (boot stamp seen in the window; guest uptime %.2f s)",
			rt->t_init - rt->t0, us / 1e6);
	else
		run_info("boot: the guest wrote no boot stamp (/init never started)");
}

static void report_stats(struct nc_runtime *rt)
{
	char line[256];
	unsigned v;

	for (v = 0; v < ion_host_nr_valves(rt->ion); v++)
		if (!nc_valve_stats_line(rt->ion, v, line, sizeof(line)))
			run_info("%s", line);
}

static int exit_status(enum nc_stop stop)
{
	switch (stop) {
	case NC_STOP_POWEROFF:
	case NC_STOP_SIGNAL:
	case NC_STOP_REQUEST:
		return NC_EXIT_OK;
	case NC_STOP_RESET:
		return NC_EXIT_RESET;
	case NC_STOP_CRASH:
		return NC_EXIT_CRASH;
	default:
		return NC_EXIT_ERROR;
	}
}

static void teardown(struct nc_runtime *rt)
{
	unsigned i;

	rt->step_ms = run_now_ms();
	rt->m.stopping = true;
	for (i = 0; i < rt->nr_vcpus; i++)
		nc_vcpu_kick(&rt->vcpus[i]);
	for (i = 0; i < rt->nr_vcpus; i++)
		nc_vcpu_join(&rt->vcpus[i]);
	run_step_done(rt, "teardown: vCPUs stopped");
	nc_devices_exit(&rt->cell.devs, &rt->m);
	nc_control_stop(&rt->ctl);
	stop_exports(rt);
	run_step_done(rt, "teardown: devices and control socket");
	if (rt->ion) {
		int ret = ion_host_stop(rt->ion);

		if (ret)
			run_warn("warning: stopping the valves: %s", strerror(-ret));
		run_step_done(rt, "teardown: valves stopped, disks synced");
	}
}

static void destroy(struct nc_runtime *rt)
{
	unsigned i;

	for (i = 0; i < rt->nr_vcpus; i++)
		nc_vcpu_destroy(&rt->vcpus[i]);
	nc_vm_close(&rt->vm);
	nc_guest_ram_unmap(rt->ram_base, rt->ram_size);
	if (rt->ion)
		ion_host_destroy(rt->ion);
	remove_exports(rt);
	if (rt->m.stop_fd >= 0)
		close(rt->m.stop_fd);
	if (rt->smaps_fd >= 0)
		close(rt->smaps_fd);
	if (rt->report_fd >= 0)
		close(rt->report_fd);
	nc_cell_free(&rt->cell);
}

/* --report FILE: failures to write it are reported, never change the exit status. */
static void write_report(struct nc_runtime *rt, const char *path, int status, uint32_t gst,
			 long rss_kib, double t0)
{
	static struct nc_metrics mx;
	struct nc_run_result res = {
		.stop = rt->m.stop,
		.stop_message = rt->m.stop != NC_STOP_NONE ? rt->m.stop_why : rt->err,
		.exit_status = status,
		.guest_status = gst,
	};
	char err[512];

	if (!path || rt->report_fd < 0)
		return;
	nc_metrics_collect(&rt->m, rt->ion, &mx);
	if (rss_kib >= 0)
		mx.rss_kib = rss_kib;	/* measured before teardown, as printed */
	res.run_s = (run_now_ms() - t0) / 1e3;
	if (res.stop == NC_STOP_NONE)
		res.stop = NC_STOP_ERROR;	/* the cell never ran */
	if (nc_report_write(rt->report_fd, path, &mx, &res, err, sizeof(err)))
		run_warn("warning: %s", err);
}

int nc_run(const char *cell_path, const struct nc_run_opts *opts)
{
	static struct nc_runtime rt_storage;
	struct nc_runtime *rt = &rt_storage;
	const struct ion_header *hdr;
	sigset_t sigs;
	double t0 = run_now_ms(), t_lock = 0;
	int sig_fd, status;
	uint32_t gst;
	long rss_kib;

	memset(rt, 0, sizeof(*rt));
	rt->step_ms = t0;
	nc_run_log_level = opts->log >= 0 ? (enum nc_log_level)opts->log : NC_LOG_NORMAL;
	/* Nothing is open yet: teardown after an early failure closes nothing. */
	rt->m.stop_fd = -1;
	rt->m.smaps_fd = rt->smaps_fd = rt->report_fd = -1;
	rt->ctl.listen_fd = rt->ctl.stop_fd = -1;
	rt->t0 = t0;
	if (nc_cell_prepare(&rt->cell, cell_path, rt->err, sizeof(rt->err))) {
		fprintf(stderr, "nipcell-vmm: %s\n", rt->err);
		nc_cell_free(&rt->cell);
		return NC_EXIT_USAGE;
	}
	if (opts->log < 0)
		nc_run_log_level = rt->cell.cfg.log;
	run_step_done(rt, "cell file, kernel and device plan");
	/* Created now: once the sandbox is on, no file can be. */
	if (opts->report) {
		rt->report_fd = nc_report_open(opts->report, rt->err, sizeof(rt->err));
		if (rt->report_fd < 0) {
			fprintf(stderr, "nipcell-vmm: %s\n", rt->err);
			nc_cell_free(&rt->cell);
			return NC_EXIT_USAGE;
		}
	}
	/*
	 * [[export]]: the ublk broker, the one process that keeps
	 * CAP_SYS_ADMIN for ublk's control commands (vmm/ublk_broker.h). A
	 * fork: before any thread and before the sandbox drops anything.
	 */
	if (rt->cell.cfg.nr_export && nc_ublk_broker_spawn(rt->err, sizeof(rt->err))) {
		fprintf(stderr, "nipcell-vmm: %s\n", rt->err);
		nc_cell_free(&rt->cell);
		return NC_EXIT_ERROR;
	}
	/* Before any thread: each one it starts waits at the sandbox's gate. */
	if (arm_sandbox(rt)) {
		fprintf(stderr, "nipcell-vmm: %s\n", rt->err);
		nc_cell_free(&rt->cell);
		return NC_EXIT_ERROR;
	}

	/* SIGINT/SIGTERM become a clean stop, read from a signalfd. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	sigdelset(&sigs, SIGPIPE);
	sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);

	if (sig_fd < 0 || setup(rt) || start(rt) || (t_lock = run_now_ms(), lockdown(rt))) {
		if (sig_fd < 0)
			snprintf(rt->err, sizeof(rt->err), "signalfd: %s", strerror(errno));
		fprintf(stderr, "nipcell-vmm: %s\n", rt->err);
		nc_sandbox_release();	/* the waiting threads quit */
		teardown(rt);
		write_report(rt, opts->report, NC_EXIT_ERROR, 0, -1, t0);
		destroy(rt);
		return NC_EXIT_ERROR;
	}
	run_info("cell '%s': %u vCPU%s, %llu MiB RAM in %u region%s, ION window 0x%llx +0x%llx, %u valve%s; started in %.1f ms",
		rt->cell.cfg.name, rt->nr_vcpus, rt->nr_vcpus > 1 ? "s" : "",
		(unsigned long long)(rt->cell.cfg.memory >> 20), rt->nr_ram,
		rt->nr_ram > 1 ? "s" : "", (unsigned long long)rt->cell.cfg.ion_base,
		(unsigned long long)rt->cell.cfg.ion_size, rt->cell.nr_valves,
		rt->cell.nr_valves == 1 ? "" : "s", run_now_ms() - t0);
	run_info("sandbox: %s; lockdown in %.1f ms", nc_sandbox_summary(), run_now_ms() - t_lock);

	run_cell(rt, sig_fd);
	if (nc_sandbox_violated()) {
		/* A thread may be compromised: no teardown that could need it. */
		run_info("stopped by the sandbox after %.2f s: a forbidden system call (above); exit status %d",
			(run_now_ms() - t0) / 1e3, NC_EXIT_SANDBOX);
		_exit(NC_EXIT_SANDBOX);
	}
	rss_kib = nc_footprint_kib(rt->smaps_fd, rt->ram_base, rt->ram_size,
				   ion_host_window(rt->ion), ion_host_window_size(rt->ion));
	teardown(rt);

	hdr = ion_host_window(rt->ion);
	status = exit_status(rt->m.stop);
	gst = __atomic_load_n(&hdr->guest_status, __ATOMIC_ACQUIRE);
	if (gst & ION_GUEST_STATUS_REPORTED)
		run_info("%s after %.2f s; guest status 0x%x: scenario exit %u, %u failed checks",
			rt->m.stop_why, (run_now_ms() - t0) / 1e3, gst,
			(gst >> ION_GUEST_STATUS_RC_SHIFT) & ION_GUEST_STATUS_RC_MASK,
			gst & ION_GUEST_STATUS_FAILS_MASK);
	else
		run_info("%s after %.2f s; the guest reported no status", rt->m.stop_why,
			(run_now_ms() - t0) / 1e3);
	/* An exit status other than 0 says why even with -q. */
	if (status != NC_EXIT_OK && nc_run_log_level < NC_LOG_NORMAL)
		run_warn("%s", rt->m.stop_why);
	report_boot(rt);
	report_stats(rt);
	if (rt->m.restarts)
		run_info("cell restarts=%u (the last took %.1f ms to a new guest)", rt->m.restarts,
			rt->restart_ms);
	else if (rt->cell.cfg.restart == NC_RESTART_ON_FAILURE)
		run_info("cell restarts=0");
	if (rss_kib >= 0)
		run_info("VMM resident memory outside guest RAM and the ION window: %ld KiB", rss_kib);
	write_report(rt, opts->report, status, gst, rss_kib, t0);
	close(sig_fd);
	destroy(rt);
	return status;
}
