// SPDX-License-Identifier: GPL-2.0
/*
 * The ublk control broker (ublk_broker.h, docs/security.md): the request
 * check, the broker process (its confinement, its loop, its cleanup at
 * EOF) and the VMM's side of the socket.
 *
 * Each control command is one URING_CMD on /dev/ublk-control through the
 * broker's io_uring: ublk requires IORING_SETUP_SQE128 for them (struct
 * ublksrv_ctrl_cmd is 32 bytes, more than the 16 bytes a 64-byte SQE has).
 * The broker is single-threaded, so one ring made before its seccomp
 * filter serves every command. liburing 2.3 (Debian 12) has no URING_CMD
 * helper: the SQE is filled by hand.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "ublk_broker.h"
#include "sandbox/sandbox.h"
#include "util/errf.h"

#define UBLK_CONTROL	"/dev/ublk-control"

/* ---- the owned devices and the request check (pure) ---- */

bool nc_ublk_owned_has(const struct nc_ublk_owned *o, int dev_id)
{
	for (unsigned i = 0; i < o->n; i++)
		if (o->id[i] == dev_id)
			return true;
	return false;
}

int nc_ublk_owned_add(struct nc_ublk_owned *o, int dev_id)
{
	if (o->n >= NC_UBLK_BROKER_MAX)
		return -ENOSPC;
	o->id[o->n++] = dev_id;
	return 0;
}

void nc_ublk_owned_del(struct nc_ublk_owned *o, int dev_id)
{
	for (unsigned i = 0; i < o->n; i++)
		if (o->id[i] == dev_id) {
			o->id[i] = o->id[--o->n];
			return;
		}
}

int nc_ublk_broker_check(const struct nc_ublk_owned *o, const struct nc_ublk_req *r,
			 size_t len, pid_t vmm_pid)
{
	if (len != sizeof(*r))
		return -EINVAL;
	switch (r->op) {
	case NC_UBLK_ADD:
		return o->n < NC_UBLK_BROKER_MAX ? 0 : -ENOSPC;
	case NC_UBLK_SET_PARAMS:
		if (r->params.len != sizeof(r->params))
			return -EINVAL;
		break;
	case NC_UBLK_START:
		if (r->pid != vmm_pid)
			return -EPERM;
		break;
	case NC_UBLK_STOP:
	case NC_UBLK_DEL:
		break;
	default:
		return -EINVAL;
	}
	return r->dev_id >= 0 && nc_ublk_owned_has(o, r->dev_id) ? 0 : -EPERM;
}

/* ---- the broker process ---- */

static struct io_uring ring;
static int ctl_fd = -1, ctl_errno;

/* One control command; ublk's result (0 or -errno). */
static int ctrl_cmd(uint32_t op, int dev_id, void *buf, uint16_t len, uint64_t data0)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct ublksrv_ctrl_cmd *cmd;
	int rc;

	if (ctl_fd < 0)
		return -ctl_errno;
	sqe = io_uring_get_sqe(&ring);
	if (!sqe)
		return -EBUSY;
	memset(sqe, 0, 2 * sizeof(*sqe));	/* SQE128: two slots */
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = ctl_fd;
	sqe->cmd_op = op;
	cmd = (struct ublksrv_ctrl_cmd *)sqe->cmd;
	_Static_assert(sizeof(*cmd) <= 80, "ublksrv_ctrl_cmd fits an SQE128 command");
	cmd->dev_id = dev_id;
	cmd->queue_id = (uint16_t)-1;
	cmd->len = len;
	cmd->addr = (uint64_t)(uintptr_t)buf;
	cmd->data[0] = data0;
	do
		rc = io_uring_submit_and_wait(&ring, 1);
	while (rc == -EINTR);
	if (rc < 0)
		return rc;
	do
		rc = io_uring_wait_cqe(&ring, &cqe);
	while (rc == -EINTR);
	if (rc < 0)
		return rc;
	rc = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	return rc;
}

static int run_req(struct nc_ublk_owned *own, struct nc_ublk_req *r, struct nc_ublk_ans *a)
{
	int rc;

	switch (r->op) {
	case NC_UBLK_ADD:
		rc = ctrl_cmd(UBLK_CMD_ADD_DEV, (int)r->info.dev_id, &r->info,
			      sizeof(r->info), 0);
		if (!rc) {
			a->dev_id = (int)r->info.dev_id;
			a->info = r->info;
			nc_ublk_owned_add(own, a->dev_id);	/* room: checked */
		}
		return rc;
	case NC_UBLK_SET_PARAMS:
		return ctrl_cmd(UBLK_CMD_SET_PARAMS, r->dev_id, &r->params,
				sizeof(r->params), 0);
	case NC_UBLK_START:
		return ctrl_cmd(UBLK_CMD_START_DEV, r->dev_id, NULL, 0, (uint64_t)r->pid);
	case NC_UBLK_STOP:
		return ctrl_cmd(UBLK_CMD_STOP_DEV, r->dev_id, NULL, 0, 0);
	case NC_UBLK_DEL:
		rc = ctrl_cmd(UBLK_CMD_DEL_DEV, r->dev_id, NULL, 0, 0);
		if (!rc)
			nc_ublk_owned_del(own, r->dev_id);
		return rc;
	}
	return -EINVAL;
}

/* Every fd but a and b (b may be -1). */
static void close_others(int a, int b)
{
	int lo = a, hi = b;

	if (b < 0)
		lo = hi = a;
	else if (b < a)
		lo = b, hi = a;
	if (lo > 0)
		syscall(SYS_close_range, 0U, (unsigned)lo - 1, 0U);
	if (hi > lo + 1)
		syscall(SYS_close_range, (unsigned)lo + 1, (unsigned)hi - 1, 0U);
	syscall(SYS_close_range, (unsigned)hi + 1, ~0U, 0U);
}

#define CAP_BIT(c)	(1ULL << (c))

/* Only CAP_SYS_ADMIN left (if we had it): effective, permitted, bounding. */
static int keep_sys_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	uint64_t prm;
	int cap;

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return -errno;
	for (cap = 0; cap < 64; cap++)
		if (cap != CAP_SYS_ADMIN && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) &&
		    errno != EPERM)
			break;	/* EINVAL: past the last capability */
	if (syscall(__NR_capget, &h, d))
		return -errno;
	prm = ((uint64_t)d[1].permitted << 32 | d[0].permitted) & CAP_BIT(CAP_SYS_ADMIN);
	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = (uint32_t)prm;
	return syscall(__NR_capset, &h, d) ? -errno : 0;
}

enum { STEP_RING = 1, STEP_NNP, STEP_CAPS, STEP_LANDLOCK, STEP_SECCOMP };
static const char *const step_names[] = {
	[STEP_RING] = "io_uring_setup (SQE128)",
	[STEP_NNP] = "PR_SET_NO_NEW_PRIVS",
	[STEP_CAPS] = "keeping only CAP_SYS_ADMIN",
	[STEP_LANDLOCK] = "Landlock",
	[STEP_SECCOMP] = "its seccomp filter",
};

static int confine(int *step)
{
	int abi, fd, rc;

	*step = STEP_RING;
	rc = io_uring_queue_init(2, &ring, IORING_SETUP_SQE128);
	if (rc < 0)
		return rc;
	*step = STEP_NNP;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	*step = STEP_CAPS;
	rc = keep_sys_admin();
	if (rc)
		return rc;
	*step = STEP_LANDLOCK;
	abi = nc_landlock_abi();
	if (abi > 0) {
		fd = nc_landlock_ruleset(abi);
		if (fd < 0)
			return fd;
		rc = nc_landlock_restrict(fd);
		close(fd);
		if (rc)
			return rc;
	}
	*step = STEP_SECCOMP;
	nc_sandbox_set_stop_fd(-1);	/* a violation: the broker just exits */
	return nc_seccomp_install(NC_THREAD_UBLK_BROKER, "ublk-broker");
}

static void __attribute__((noreturn)) broker_main(int sock, pid_t vmm_pid)
{
	static const int ignored[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
	struct nc_ublk_owned own = { .n = 0 };
	struct nc_ublk_req r;
	struct nc_ublk_ans a;
	sigset_t none;
	ssize_t n;
	int step = 0;

	/* The VMM's Ctrl-C reaches us too: its orderly exit still needs us. */
	for (unsigned i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		signal(ignored[i], SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_NAME, "nc-ublk-broker", 0, 0, 0);
	ctl_fd = open(UBLK_CONTROL, O_RDWR | O_CLOEXEC);
	ctl_errno = ctl_fd < 0 ? errno : 0;
	close_others(sock, ctl_fd);
	memset(&a, 0, sizeof(a));
	a.result = confine(&step);
	a.dev_id = a.result ? step : 0;
	if (send(sock, &a, sizeof(a), MSG_NOSIGNAL) != sizeof(a) || a.result)
		_exit(1);
	for (;;) {
		n = recv(sock, &r, sizeof(r), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;		/* EOF: the VMM is gone */
		memset(&a, 0, sizeof(a));
		a.op = r.op;
		a.seq = r.seq;
		a.dev_id = r.dev_id;
		a.result = nc_ublk_broker_check(&own, &r, (size_t)n, vmm_pid);
		if (!a.result)
			a.result = run_req(&own, &r, &a);
		if (send(sock, &a, sizeof(a), MSG_NOSIGNAL) != sizeof(a))
			break;
	}
	/* Whatever the VMM left: stopped and deleted (DEL_DEV waits for openers). */
	while (own.n) {
		int id = own.id[0];

		ctrl_cmd(UBLK_CMD_STOP_DEV, id, NULL, 0, 0);
		ctrl_cmd(UBLK_CMD_DEL_DEV, id, NULL, 0, 0);
		nc_ublk_owned_del(&own, id);
	}
	_exit(0);
}

/* ---- the VMM's side ---- */

static struct {
	int		fd;
	pid_t		pid;
	bool		gone;
	uint32_t	seq;
	pthread_mutex_t	lock;
} bk = { .fd = -1, .pid = -1, .lock = PTHREAD_MUTEX_INITIALIZER };

pid_t nc_ublk_broker_pid(void)
{
	return bk.pid;
}

int nc_ublk_broker_spawn(char *err, size_t errlen)
{
	struct nc_ublk_ans a;
	struct pollfd p;
	pid_t vmm = getpid();
	int sv[2], rc;
	ssize_t n;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return nc_errf(-errno, err, errlen, "ublk broker: socketpair: %s",
			       strerror(errno));
	fflush(NULL);
	bk.pid = fork();
	if (bk.pid == 0)
		broker_main(sv[1], vmm);
	rc = -errno;
	close(sv[1]);
	if (bk.pid < 0) {
		close(sv[0]);
		return nc_errf(rc, err, errlen, "ublk broker: fork: %s", strerror(-rc));
	}
	/* Its first answer says it is confined (or at which step it failed). */
	p = (struct pollfd){ .fd = sv[0], .events = POLLIN };
	do
		rc = poll(&p, 1, 10000);
	while (rc < 0 && errno == EINTR);
	n = rc > 0 ? recv(sv[0], &a, sizeof(a), 0) : -1;
	if (n != sizeof(a)) {
		close(sv[0]);
		return nc_errf(-EPIPE, err, errlen, "ublk broker: process %d %s", (int)bk.pid,
			       rc == 0 ? "did not answer within 10 s" : "exited before it was ready");
	}
	if (a.result) {
		close(sv[0]);
		return nc_errf(a.result, err, errlen, "ublk broker: %s: %s",
			       a.dev_id > 0 && a.dev_id <= STEP_SECCOMP ? step_names[a.dev_id] : "?",
			       strerror(-a.result));
	}
	bk.fd = sv[0];
	return 0;
}

void nc_ublk_broker_close(void)
{
	pthread_mutex_lock(&bk.lock);
	if (bk.fd >= 0)
		close(bk.fd);
	bk.fd = -1;
	pthread_mutex_unlock(&bk.lock);
}

static int broker_gone(void)
{
	char line[160];
	int n;

	if (!bk.gone) {
		n = snprintf(line, sizeof(line),
			     "nipcell-vmm: ublk broker (process %d) is gone (its socket closed): the export's ublk control commands fail\n",
			     (int)bk.pid);
		if (write(STDERR_FILENO, line, n) < 0)
			n = 0;
	}
	bk.gone = true;
	return -EPIPE;
}

int nc_ublk_broker_call(struct nc_ublk_req *r, struct nc_ublk_ans *a, int timeout_ms)
{
	struct pollfd p;
	ssize_t n;
	int rc;

	pthread_mutex_lock(&bk.lock);
	if (bk.fd < 0) {
		rc = -ENOTCONN;
		goto out;
	}
	if (bk.gone) {
		rc = -EPIPE;
		goto out;
	}
	r->seq = ++bk.seq;
	if (send(bk.fd, r, sizeof(*r), MSG_NOSIGNAL) != sizeof(*r)) {
		rc = errno == EPIPE || errno == ECONNRESET ? broker_gone() : -errno;
		goto out;
	}
	/* An answer of an earlier request that timed out is skipped. */
	for (;;) {
		p = (struct pollfd){ .fd = bk.fd, .events = POLLIN };
		rc = poll(&p, 1, timeout_ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0) {
			rc = rc ? -errno : -ETIMEDOUT;
			break;
		}
		n = recv(bk.fd, a, sizeof(*a), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (n < 0 && errno == ECONNRESET)) {
			rc = broker_gone();
			break;
		}
		if (n != sizeof(*a)) {
			rc = n < 0 ? -errno : -EPROTO;
			break;
		}
		if (a->seq == r->seq) {
			rc = a->result;
			break;
		}
	}
out:
	pthread_mutex_unlock(&bk.lock);
	return rc;
}
