// SPDX-License-Identifier: GPL-2.0
/*
 * ublk's control plane for export valves (vmm/ublk.h). The control
 * commands themselves run in the ublk broker (ublk_broker.h), the one
 * process of the cell that keeps CAP_SYS_ADMIN; this file asks it for
 * them, opens /dev/ublkcN and maps its descriptors, and runs the start
 * thread (a sandboxed thread of kind NC_THREAD_UBLK).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/ublk_cmd.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

#include "sandbox/sandbox.h"
#include "ublk.h"
#include "ublk_broker.h"
#include "util/errf.h"

#define UBLK_CONTROL	"/dev/ublk-control"

static void ublk_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One write per line: other writers to the same log do not split it. */
static void ublk_log(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "nipcell-vmm: ");
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}

/* One request to the broker (ublk_broker.h): ublk's result or -errno. */
static int broker(uint32_t op, int dev_id, struct nc_ublk_req *r, struct nc_ublk_ans *a,
		  int timeout_ms)
{
	r->op = op;
	r->dev_id = dev_id;
	return nc_ublk_broker_call(r, a, timeout_ms);
}

int nc_ublk_add(struct nc_ublk *u, struct ion_host *ion, unsigned id,
		unsigned valve, char *err, size_t errlen)
{
	struct nc_ublk_req r;
	struct nc_ublk_ans a;
	char path[32];
	int rc, i;

	memset(u, 0, sizeof(*u));
	u->id = id;
	u->valve = valve;
	u->ion = ion;
	u->dev_id = -1;
	u->cdev_fd = -1;
	u->stop_fd = -1;
	u->depth = ion_host_export_depth(ion, valve);
	u->max_io = ion_host_export_slot_size(ion, valve);
	if (access(UBLK_CONTROL, F_OK) < 0)
		return nc_errf(-errno, err, errlen,
			       "export %u: " UBLK_CONTROL ": %s (the host kernel needs CONFIG_BLK_DEV_UBLK: modprobe ublk_drv)",
			       id, strerror(errno));
	memset(&r, 0, sizeof(r));
	r.info.nr_hw_queues = 1;
	r.info.queue_depth = u->depth;
	r.info.max_io_buf_bytes = u->max_io;
	r.info.dev_id = (uint32_t)-1;	/* the kernel picks N */
	rc = broker(NC_UBLK_ADD, -1, &r, &a, -1);
	if (rc < 0)
		return nc_errf(rc, err, errlen, "export %u: ublk ADD_DEV: %s%s", id,
			       strerror(-rc), rc == -EPERM ? " (needs CAP_SYS_ADMIN)" : "");
	u->dev_id = a.dev_id;
	snprintf(path, sizeof(path), "/dev/ublkc%d", u->dev_id);
	/* udev (or devtmpfs) makes the node: give it a moment. */
	for (i = 0; i < 200 && u->cdev_fd < 0; i++) {
		u->cdev_fd = open(path, O_RDWR | O_CLOEXEC);
		if (u->cdev_fd < 0 && errno == ENOENT)
			usleep(10000);
		else if (u->cdev_fd < 0)
			break;
	}
	if (u->cdev_fd < 0)
		return nc_errf(-errno, err, errlen, "export %u: %s: %s", id, path,
			       strerror(errno));
	/* ublk's per-queue descriptor array, rounded up to pages. */
	u->iod_len = (u->depth * sizeof(struct ublksrv_io_desc) + 4095) & ~4095UL;
	u->iod = mmap(NULL, u->iod_len, PROT_READ, MAP_SHARED | MAP_POPULATE,
		      u->cdev_fd, UBLKSRV_CMD_BUF_OFFSET);
	if (u->iod == MAP_FAILED) {
		u->iod = NULL;
		return nc_errf(-errno, err, errlen, "export %u: mmap %s: %s", id, path,
			       strerror(errno));
	}
	rc = ion_host_export_attach(ion, valve, u->cdev_fd, u->iod, u->dev_id);
	if (rc)
		return nc_errf(rc, err, errlen, "export %u: attaching ublk %d: %s", id,
			       u->dev_id, strerror(-rc));
	return 0;
}

static int set_params(struct nc_ublk *u, const struct ion_export_geometry *g)
{
	struct nc_ublk_req r;
	struct nc_ublk_ans a;
	struct ublk_params *p = &r.params;

	memset(&r, 0, sizeof(r));
	p->len = sizeof(*p);
	p->types = UBLK_PARAM_TYPE_BASIC;
	p->basic.attrs = (g->flags & ION_BLK_F_RO ? UBLK_ATTR_READ_ONLY : 0) |
			 (g->flags & ION_BLK_F_FLUSH ?
			  UBLK_ATTR_VOLATILE_CACHE | UBLK_ATTR_FUA : 0);
	p->basic.logical_bs_shift = __builtin_ctz(g->logical_block_size);
	p->basic.physical_bs_shift = __builtin_ctz(g->physical_block_size);
	p->basic.io_min_shift = p->basic.physical_bs_shift;
	p->basic.io_opt_shift = p->basic.physical_bs_shift;
	p->basic.max_sectors = g->max_sectors < u->max_io / 512 ? g->max_sectors :
			       u->max_io / 512;
	p->basic.dev_sectors = g->capacity;
	if (g->max_discard_sectors || g->max_write_zeroes_sectors) {
		p->types |= UBLK_PARAM_TYPE_DISCARD;
		p->discard.discard_granularity = g->discard_granularity;
		p->discard.max_discard_sectors = g->max_discard_sectors;
		p->discard.max_write_zeroes_sectors = g->max_write_zeroes_sectors;
		p->discard.max_discard_segments = 1;
	}
	return broker(NC_UBLK_SET_PARAMS, u->dev_id, &r, &a, -1);
}

static void *start_thread(void *arg)
{
	struct nc_ublk *u = arg;
	struct ion_export_geometry g;
	struct pollfd pfd[2] = {
		{ .fd = ion_host_export_event_fd(u->ion, u->valve), .events = POLLIN },
		{ .fd = u->stop_fd, .events = POLLIN },
	};
	struct nc_ublk_req r;
	struct nc_ublk_ans a;
	uint64_t cnt;
	int rc;

	/* Waits for the lockdown, then takes its own filter (NC_THREAD_UBLK). */
	if (nc_sandbox_thread_enter(NC_THREAD_UBLK, u->id))
		return NULL;
	for (;;) {
		rc = ion_host_export_geometry(u->ion, u->valve, &g);
		if (rc != -EAGAIN)
			break;
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			return NULL;
		if (pfd[1].revents)
			return NULL;
		if (pfd[0].revents && read(pfd[0].fd, &cnt, sizeof(cnt)) < 0)
			continue;
	}
	if (rc) {
		ublk_log("export %u: the guest cannot serve its device: %s; no /dev/ublkb%d",
			 u->id, strerror(-rc), u->dev_id);
		return NULL;
	}
	rc = set_params(u, &g);
	if (!rc) {
		memset(&r, 0, sizeof(r));
		r.pid = u->pid;		/* the ublk server: this process */
		rc = broker(NC_UBLK_START, u->dev_id, &r, &a, -1);
	}
	if (rc) {
		ublk_log("export %u: starting /dev/ublkb%d: %s", u->id, u->dev_id,
			 strerror(-rc));
		return NULL;
	}
	u->sectors = g.capacity;
	__atomic_store_n(&u->started, 1, __ATOMIC_RELEASE);
	ion_host_export_set_ready(u->ion, u->valve, true);
	/*
	 * The control socket's stats say so too. On a terminal, a line now;
	 * elsewhere (a log shared with the guest's console, as in the
	 * scenarios) this line would land in the middle of the guest's.
	 */
	if (u->tty)
		ublk_log("export %u: /dev/ublkb%d ready, %llu sectors of %u bytes (guest device %s)",
			 u->id, u->dev_id, (unsigned long long)g.capacity,
			 g.logical_block_size,
			 ion_host_valve(u->ion, u->valve)->config.export.guest_device);
	return NULL;
}

int nc_ublk_start(struct nc_ublk *u, char *err, size_t errlen)
{
	sigset_t all, old;
	int rc;

	u->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (u->stop_fd < 0)
		return nc_errf(-errno, err, errlen, "export %u: eventfd: %s", u->id,
			       strerror(errno));
	u->pid = getpid();
	u->tty = isatty(STDERR_FILENO);	/* an ioctl: before the sandbox */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = -pthread_create(&u->thread, NULL, start_thread, u);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		return nc_errf(rc, err, errlen, "export %u: thread: %s", u->id,
			       strerror(-rc));
	u->thread_on = true;
	return 0;
}

void nc_ublk_stop(struct nc_ublk *u)
{
	struct nc_ublk_req r;
	struct nc_ublk_ans a;
	uint64_t one = 1;
	int rc;

	if (u->stop_fd >= 0 && write(u->stop_fd, &one, sizeof(one)) != sizeof(one))
		ublk_log("export %u: waking the start thread: %s", u->id, strerror(errno));
	if (u->dev_id >= 0) {
		ion_host_export_set_ready(u->ion, u->valve, false);
		/* Also aborts the fetches of a device that never started. */
		memset(&r, 0, sizeof(r));
		rc = broker(NC_UBLK_STOP, u->dev_id, &r, &a, -1);
		if (rc)
			ublk_log("export %u: ublk STOP_DEV %d: %s", u->id, u->dev_id,
				 strerror(-rc));
	}
	if (u->thread_on)
		pthread_join(u->thread, NULL);
	u->thread_on = false;
	if (u->stop_fd >= 0)
		close(u->stop_fd);
	u->stop_fd = -1;
}

void nc_ublk_remove(struct nc_ublk *u)
{
	struct nc_ublk_req r;
	struct nc_ublk_ans a;
	int rc;

	if (u->iod)
		munmap(u->iod, u->iod_len);
	u->iod = NULL;
	if (u->cdev_fd >= 0)
		close(u->cdev_fd);
	u->cdev_fd = -1;
	if (u->dev_id < 0)
		return;
	/*
	 * DEL_DEV waits, uninterruptibly, until nobody holds the device: the
	 * broker waits there, the VMM only a while. Once the VMM is gone the
	 * broker finishes it and exits.
	 */
	memset(&r, 0, sizeof(r));
	rc = broker(NC_UBLK_DEL, u->dev_id, &r, &a, 3000);
	if (rc == -ETIMEDOUT)
		ublk_log("export %u: ublk device %d is still open elsewhere: the ublk broker (process %d) removes it once it is closed",
			 u->id, u->dev_id, (int)nc_ublk_broker_pid());
	else if (rc)
		ublk_log("export %u: ublk DEL_DEV %d failed: %s", u->id, u->dev_id, strerror(-rc));
	else
		ublk_log("export %u: ublk device %d removed", u->id, u->dev_id);
	u->dev_id = -1;
}
