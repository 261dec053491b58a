// SPDX-License-Identifier: GPL-2.0
/*
 * `nipcell-vmm run`: from a prepared cell to a running guest, and back to an
 * exit status once it powers off, resets, crashes or is stopped.
 *
 * Threads: one per vCPU (KVM_RUN and MMIO only), the ION service thread (all
 * valve I/O, on io_uring), the console input thread, the control socket
 * thread, and this one, which waits for a stop and tears down in order:
 * vCPUs first, so the guest submits nothing more, then the valves, which
 * finish in-flight I/O and flush the disks.
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
#include <time.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

#include "arch/arm64/kvm.h"
#include "arch/arm64/vcpu.h"
#include "cell.h"
#include "control.h"
#include "footprint.h"
#include "machine.h"
#include "run.h"
#include "util/errf.h"

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
	double			t0;		/* VMM start, ms (CLOCK_MONOTONIC) */
	double			t_init;		/* the guest's boot stamp seen, or 0 */
	bool			timings;	/* NC_RUN_TIMINGS: print setup steps */
	char			err[512];
};

static void pr_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void pr_info(const char *fmt, ...)
{
	va_list ap;

	fputs("nipcell-vmm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/*
 * With NC_RUN_TIMINGS=1 in the environment, each setup step that took a
 * millisecond or more is printed with its time (until `run -v` exists).
 * Returns ret, so that a step reads `ret = step_done(rt, "name", &t, f())`.
 */
static int step_done(struct nc_runtime *rt, const char *step, double *t, int ret)
{
	double now = now_ms();

	if (rt->timings && now - *t >= 1.0)
		pr_info("setup: %s took %.1f ms", step, now - *t);
	*t = now;
	return ret;
}

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

static const struct nc_machine_ops kvm_machine_ops = {
	.set_irq = hv_set_irq,
	.ioeventfd = hv_ioeventfd,
	.irqfd = hv_irqfd,
};

static int setup_memory(struct nc_runtime *rt)
{
	struct nc_cell *cell = &rt->cell;
	char *base;
	unsigned i;

	/*
	 * One host mapping for all guest RAM, carved into the memslots: easier
	 * to account for (the kernel would merge separate ones anyway).
	 */
	int ret;

	base = mmap(NULL, cell->cfg.memory, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return nc_errf(-errno, rt->err, sizeof(rt->err), "guest RAM %llu MiB: %s",
			       (unsigned long long)(cell->cfg.memory >> 20), strerror(errno));
	rt->ram_base = base;
	rt->ram_size = cell->cfg.memory;
	/*
	 * KSM merges equal pages across VMs, which opens timing side channels
	 * between them: only when the cell asks ([cell] ksm = true).
	 */
	if (cell->cfg.ksm && madvise(base, rt->ram_size, MADV_MERGEABLE) < 0)
		pr_info("warning: [cell] ksm: madvise(MADV_MERGEABLE): %s", strerror(errno));
	for (i = 0; i < cell->ram.nr_ram; i++) {
		struct nc_ram_map *r = &rt->ram[i];

		r->gpa = cell->ram.ram[i].gpa;
		r->size = cell->ram.ram[i].size;
		r->hva = base;
		base += r->size;
		rt->nr_ram++;
		ret = nc_vm_add_memory(&rt->vm, r->gpa, r->size, r->hva, rt->err,
				       sizeof(rt->err));
		if (ret)
			return ret;
	}
	/* The ION window: its own memslot, backed by the valves' memfd. */
	return nc_vm_add_memory(&rt->vm, cell->cfg.ion_base, ion_host_window_size(rt->ion),
				ion_host_window(rt->ion), rt->err, sizeof(rt->err));
}

static int load_file(struct nc_runtime *rt, const char *path, uint64_t gpa, uint64_t size)
{
	void *hva = gpa_to_hva(rt, gpa, size);
	uint64_t len;

	if (!hva)
		return nc_errf(-EFAULT, rt->err, sizeof(rt->err),
			       "%s: [0x%llx +%llu] is not in guest RAM", path,
			       (unsigned long long)gpa, (unsigned long long)size);
	return nc_read_file(path, hva, size, &len, rt->err, sizeof(rt->err));
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
	nc_cell_drop_kernel(cell);	/* read once, by nc_cell_prepare() */
	if (cell->initrd_gpa) {
		ret = load_file(rt, cell->cfg.initramfs, cell->initrd_gpa, cell->initrd_size);
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

static int create_ion(struct nc_runtime *rt)
{
	struct ion_host_spec spec;

	nc_cell_ion_spec(&rt->cell, &spec);
	return ion_host_create(&rt->ion, &spec, rt->err, sizeof(rt->err));
}

static int setup(struct nc_runtime *rt)
{
	const struct nc_config *c = &rt->cell.cfg;
	double t = now_ms();
	unsigned i;
	int ret;

	rt->m.ops = &kvm_machine_ops;
	rt->m.hv = &rt->vm;
	rt->m.cfg = c;
	pthread_mutex_init(&rt->m.lock, NULL);
	rt->m.stop_fd = eventfd(0, EFD_CLOEXEC);
	if (rt->m.stop_fd < 0)
		return nc_errf(-errno, rt->err, sizeof(rt->err), "eventfd: %s", strerror(errno));
	ret = step_done(rt, "ION window and valves", &t, create_ion(rt));
	if (ret)
		return ret;
	rt->m.ion = rt->ion;
	ret = step_done(rt, "KVM VM", &t, nc_vm_open(&rt->vm, rt->err, sizeof(rt->err)));
	if (!ret)
		ret = step_done(rt, "guest memory", &t, setup_memory(rt));
	if (!ret)
		ret = step_done(rt, "GIC", &t,
				nc_vm_gic_create(&rt->vm, c->vcpus, rt->err, sizeof(rt->err)));
	for (i = 0; !ret && i < c->vcpus; i++) {
		ret = nc_vcpu_create(&rt->vcpus[i], &rt->vm, i, rt->err, sizeof(rt->err));
		if (!ret)
			rt->nr_vcpus++;
	}
	step_done(rt, "vCPUs", &t, 0);
	if (!ret)
		ret = step_done(rt, "GIC init", &t, nc_vm_gic_init(&rt->vm, rt->err, sizeof(rt->err)));
	if (!ret)
		ret = step_done(rt, "kernel, initramfs and DTB", &t, setup_boot(rt));
	if (!ret)
		ret = step_done(rt, "devices", &t,
				nc_devices_init(&rt->cell.devs, &rt->m, rt->err, sizeof(rt->err)));
	return ret;
}

static int start(struct nc_runtime *rt)
{
	const struct nc_config *c = &rt->cell.cfg;
	double t = now_ms();
	unsigned i;
	int ret;

	if (nc_vcpu_signal_setup() < 0)
		return nc_errf(-errno, rt->err, sizeof(rt->err), "sigaction: %s",
			       strerror(errno));
	ret = step_done(rt, "ION service thread", &t, ion_host_start(rt->ion));
	if (ret)
		return nc_errf(ret, rt->err, sizeof(rt->err), "ion service thread: %s",
			       strerror(-ret));
	if (c->control_socket) {
		ret = nc_control_start(&rt->ctl, c->control_socket, &rt->m, rt->ion,
				       rt->err, sizeof(rt->err));
		if (ret)
			return ret < 0 ? ret : -EIO;
		step_done(rt, "control socket", &t, 0);
	}
	for (i = 0; i < rt->nr_vcpus; i++) {
		ret = nc_vcpu_start(&rt->vcpus[i], &rt->m);
		if (ret)
			return nc_errf(ret, rt->err, sizeof(rt->err), "vcpu %u thread: %s", i,
				       strerror(-ret));
	}
	step_done(rt, "vCPU threads", &t, 0);
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
		rt->t_init = now_ms();
}

/*
 * Waits for a stop: a vCPU, a device, the control socket, a signal, or the
 * ION service thread dying (the guest's I/O would hang: stop instead).
 */
static void wait_for_stop(struct nc_runtime *rt, int sig_fd)
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
		tmo = !rt->t_init && now_ms() - rt->t0 < NC_STAMP_WAIT_MS ? 1 : -1;
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
		pr_info("boot: VMM start to the guest's /init %.1f ms (boot stamp seen in the window; guest uptime %.2f s)",
			rt->t_init - rt->t0, us / 1e6);
	else
		pr_info("boot: the guest wrote no boot stamp (/init never started)");
}

static void report_stats(struct nc_runtime *rt)
{
	char line[256];
	unsigned v;

	for (v = 0; v < ion_host_nr_valves(rt->ion); v++)
		if (!nc_valve_stats_line(rt->ion, v, line, sizeof(line)))
			pr_info("%s", line);
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

	rt->m.stopping = true;
	for (i = 0; i < rt->nr_vcpus; i++)
		nc_vcpu_kick(&rt->vcpus[i]);
	for (i = 0; i < rt->nr_vcpus; i++)
		nc_vcpu_join(&rt->vcpus[i]);
	nc_devices_exit(&rt->cell.devs, &rt->m);
	nc_control_stop(&rt->ctl);
	if (rt->ion) {
		int ret = ion_host_stop(rt->ion);

		if (ret)
			pr_info("warning: stopping the valves: %s", strerror(-ret));
	}
}

static void destroy(struct nc_runtime *rt)
{
	unsigned i;

	for (i = 0; i < rt->nr_vcpus; i++)
		nc_vcpu_destroy(&rt->vcpus[i]);
	nc_vm_close(&rt->vm);
	if (rt->ram_base)
		munmap(rt->ram_base, rt->ram_size);
	if (rt->ion)
		ion_host_destroy(rt->ion);
	if (rt->m.stop_fd >= 0)
		close(rt->m.stop_fd);
	nc_cell_free(&rt->cell);
}

int nc_run(const char *cell_path)
{
	static struct nc_runtime rt_storage;
	struct nc_runtime *rt = &rt_storage;
	const struct ion_header *hdr;
	sigset_t sigs;
	double t0 = now_ms();
	const char *tm = getenv("NC_RUN_TIMINGS");
	int sig_fd, status;
	uint32_t gst;
	long rss_kib;

	memset(rt, 0, sizeof(*rt));
	/* Nothing is open yet: teardown after an early failure closes nothing. */
	rt->m.stop_fd = -1;
	rt->ctl.listen_fd = rt->ctl.stop_fd = -1;
	rt->t0 = t0;
	rt->timings = tm && strcmp(tm, "0");
	if (nc_cell_prepare(&rt->cell, cell_path, rt->err, sizeof(rt->err))) {
		fprintf(stderr, "nipcell-vmm: %s\n", rt->err);
		nc_cell_free(&rt->cell);
		return NC_EXIT_USAGE;
	}
	if (rt->timings && now_ms() - t0 >= 1.0)
		pr_info("setup: reading the cell and its files took %.1f ms", now_ms() - t0);

	/* SIGINT/SIGTERM become a clean stop, read from a signalfd. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	sigdelset(&sigs, SIGPIPE);
	sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);

	if (sig_fd < 0 || setup(rt) || start(rt)) {
		fprintf(stderr, "nipcell-vmm: %s\n", sig_fd < 0 ? strerror(errno) : rt->err);
		teardown(rt);
		destroy(rt);
		return NC_EXIT_ERROR;
	}
	pr_info("cell '%s': %u vCPU%s, %llu MiB RAM in %u region%s, ION window 0x%llx +0x%llx, %u valve%s; started in %.1f ms",
		rt->cell.cfg.name, rt->nr_vcpus, rt->nr_vcpus > 1 ? "s" : "",
		(unsigned long long)(rt->cell.cfg.memory >> 20), rt->nr_ram,
		rt->nr_ram > 1 ? "s" : "", (unsigned long long)rt->cell.cfg.ion_base,
		(unsigned long long)rt->cell.cfg.ion_size, rt->cell.nr_valves,
		rt->cell.nr_valves == 1 ? "" : "s", now_ms() - t0);

	wait_for_stop(rt, sig_fd);
	rss_kib = nc_footprint_kib(rt->ram_base, rt->ram_size,
				   ion_host_window(rt->ion), ion_host_window_size(rt->ion));
	teardown(rt);

	hdr = ion_host_window(rt->ion);
	status = exit_status(rt->m.stop);
	gst = __atomic_load_n(&hdr->guest_status, __ATOMIC_ACQUIRE);
	if (gst & ION_GUEST_STATUS_REPORTED)
		pr_info("%s after %.2f s; guest status 0x%x: scenario exit %u, %u failed checks",
			rt->m.stop_why, (now_ms() - t0) / 1e3, gst,
			(gst >> ION_GUEST_STATUS_RC_SHIFT) & ION_GUEST_STATUS_RC_MASK,
			gst & ION_GUEST_STATUS_FAILS_MASK);
	else
		pr_info("%s after %.2f s; the guest reported no status", rt->m.stop_why,
			(now_ms() - t0) / 1e3);
	report_boot(rt);
	report_stats(rt);
	if (rss_kib >= 0)
		pr_info("VMM resident memory outside guest RAM and the ION window: %ld KiB", rss_kib);
	close(sig_fd);
	destroy(rt);
	return status;
}
