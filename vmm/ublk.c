// SPDX-License-Identifier: GPL-2.0
/*
 * ublk's control plane for export valves (vmm/ublk.h). Each control
 * command is one URING_CMD on /dev/ublk-control through a small io_uring
 * of its own, set up per command: ublk requires IORING_SETUP_SQE128 for
 * them (struct ublksrv_ctrl_cmd is 32 bytes, more than the 16 bytes a
 * 64-byte SQE has), commands are rare, and a ring per call lets the start
 * thread and the main thread issue them without sharing a ring. liburing
 * 2.3 (Debian 12) has no URING_CMD helper: the SQEs are filled by hand.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/ublk_cmd.h>
#include <liburing.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

#include "ublk.h"
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

/* One control command; returns ublk's result (0 or -errno). */
static int ctrl_cmd(uint32_t op, int dev_id, void *buf, uint16_t len, uint64_t data0)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct ublksrv_ctrl_cmd *cmd;
	int fd, rc;

	fd = open(UBLK_CONTROL, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = io_uring_queue_init(2, &ring, IORING_SETUP_SQE128);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	sqe = io_uring_get_sqe(&ring);
	if (!sqe) {
		io_uring_queue_exit(&ring);
		close(fd);
		return -EBUSY;
	}
	memset(sqe, 0, 2 * sizeof(*sqe));	/* SQE128: two slots */
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = op;
	cmd = (struct ublksrv_ctrl_cmd *)sqe->cmd;
	_Static_assert(sizeof(*cmd) <= 80, "ublksrv_ctrl_cmd fits an SQE128 command");
	cmd->dev_id = dev_id;
	cmd->queue_id = (uint16_t)-1;
	cmd->len = len;
	cmd->addr = (uint64_t)(uintptr_t)buf;
	cmd->data[0] = data0;
	rc = io_uring_submit(&ring);
	if (rc >= 0)
		rc = io_uring_wait_cqe(&ring, &cqe);
	if (rc >= 0) {
		rc = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	close(fd);
	return rc;
}

int nc_ublk_add(struct nc_ublk *u, struct ion_host *ion, unsigned id,
		unsigned valve, char *err, size_t errlen)
{
	struct ublksrv_ctrl_dev_info info;
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
	memset(&info, 0, sizeof(info));
	info.nr_hw_queues = 1;
	info.queue_depth = u->depth;
	info.max_io_buf_bytes = u->max_io;
	info.dev_id = (uint32_t)-1;	/* the kernel picks N */
	rc = ctrl_cmd(UBLK_CMD_ADD_DEV, -1, &info, sizeof(info), 0);
	if (rc < 0)
		return nc_errf(rc, err, errlen, "export %u: ublk ADD_DEV: %s%s", id,
			       strerror(-rc), rc == -EPERM ? " (needs CAP_SYS_ADMIN)" : "");
	u->dev_id = (int)info.dev_id;
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
	struct ublk_params p;

	memset(&p, 0, sizeof(p));
	p.len = sizeof(p);
	p.types = UBLK_PARAM_TYPE_BASIC;
	p.basic.attrs = (g->flags & ION_BLK_F_RO ? UBLK_ATTR_READ_ONLY : 0) |
			(g->flags & ION_BLK_F_FLUSH ?
			 UBLK_ATTR_VOLATILE_CACHE | UBLK_ATTR_FUA : 0);
	p.basic.logical_bs_shift = __builtin_ctz(g->logical_block_size);
	p.basic.physical_bs_shift = __builtin_ctz(g->physical_block_size);
	p.basic.io_min_shift = p.basic.physical_bs_shift;
	p.basic.io_opt_shift = p.basic.physical_bs_shift;
	p.basic.max_sectors = g->max_sectors < u->max_io / 512 ? g->max_sectors :
			      u->max_io / 512;
	p.basic.dev_sectors = g->capacity;
	if (g->max_discard_sectors || g->max_write_zeroes_sectors) {
		p.types |= UBLK_PARAM_TYPE_DISCARD;
		p.discard.discard_granularity = g->discard_granularity;
		p.discard.max_discard_sectors = g->max_discard_sectors;
		p.discard.max_write_zeroes_sectors = g->max_write_zeroes_sectors;
		p.discard.max_discard_segments = 1;
	}
	return ctrl_cmd(UBLK_CMD_SET_PARAMS, u->dev_id, &p, sizeof(p), 0);
}

static void *start_thread(void *arg)
{
	struct nc_ublk *u = arg;
	struct ion_export_geometry g;
	struct pollfd pfd[2] = {
		{ .fd = ion_host_export_event_fd(u->ion, u->valve), .events = POLLIN },
		{ .fd = u->stop_fd, .events = POLLIN },
	};
	uint64_t cnt;
	int rc;

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
	if (!rc)
		rc = ctrl_cmd(UBLK_CMD_START_DEV, u->dev_id, NULL, 0, getpid());
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
	if (isatty(STDERR_FILENO))
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
	uint64_t one = 1;
	int rc;

	if (u->stop_fd >= 0 && write(u->stop_fd, &one, sizeof(one)) != sizeof(one))
		ublk_log("export %u: waking the start thread: %s", u->id, strerror(errno));
	if (u->dev_id >= 0) {
		ion_host_export_set_ready(u->ion, u->valve, false);
		/* Also aborts the fetches of a device that never started. */
		rc = ctrl_cmd(UBLK_CMD_STOP_DEV, u->dev_id, NULL, 0, 0);
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
	pid_t pid;
	int i, st;

	if (u->iod)
		munmap(u->iod, u->iod_len);
	u->iod = NULL;
	if (u->cdev_fd >= 0)
		close(u->cdev_fd);
	u->cdev_fd = -1;
	if (u->dev_id < 0)
		return;
	/*
	 * DEL_DEV waits, uninterruptibly, until nobody holds the device. A
	 * child waits there instead of the VMM: it keeps no file of ours.
	 */
	pid = fork();
	if (pid == 0) {
		syscall(SYS_close_range, 3U, ~0U, 0U);
		_exit(ctrl_cmd(UBLK_CMD_DEL_DEV, u->dev_id, NULL, 0, 0) ? 1 : 0);
	}
	if (pid < 0) {
		ublk_log("export %u: fork for DEL_DEV: %s", u->id, strerror(errno));
		return;
	}
	for (i = 0; i < 300; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			if (!WIFEXITED(st) || WEXITSTATUS(st))
				ublk_log("export %u: ublk DEL_DEV %d failed", u->id, u->dev_id);
			else
				ublk_log("export %u: ublk device %d removed", u->id, u->dev_id);
			u->dev_id = -1;
			return;
		}
		usleep(10000);
	}
	ublk_log("export %u: ublk device %d is still open elsewhere: process %d removes it once it is closed",
		 u->id, u->dev_id, (int)pid);
	u->dev_id = -1;
}
