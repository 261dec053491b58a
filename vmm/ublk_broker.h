/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ublk control broker (docs/security.md): a small process, forked by
 * nipcell-vmm before its sandbox is armed and before any thread exists,
 * only for cells with [[export]]. It alone keeps CAP_SYS_ADMIN, which
 * Linux 6.1's ublk requires for every control command on /dev/ublk-control
 * (ublk_ctrl_uring_cmd() checks capable(); UBLK_F_UNPRIVILEGED_DEV, Linux
 * 6.5+, would make it unnecessary), and runs those commands for the VMM's
 * own devices: ADD_DEV, and SET_PARAMS, START_DEV, STOP_DEV and DEL_DEV
 * only for a device it added itself. When its socket reaches EOF (the VMM
 * exited, however: SIGKILL too) it stops and deletes every device it
 * still owns, waiting in DEL_DEV for the last opener, then exits.
 *
 * The broker: every fd closed but its socket, /dev/ublk-control and one
 * io_uring (SQE128) for the commands; no_new_privs; CAP_SYS_ADMIN the only
 * capability left (effective, permitted, bounding); Landlock with no rule;
 * its own seccomp allowlist (NC_THREAD_UBLK_BROKER); SIGINT, SIGTERM,
 * SIGHUP and SIGQUIT ignored (a Ctrl-C reaches the whole process group;
 * the VMM's orderly exit still needs the broker). It does not follow a
 * [sandbox] user/group switch: it stays root.
 *
 * The protocol: one struct nc_ublk_req per SOCK_SEQPACKET message, one
 * struct nc_ublk_ans back, with the request's seq.
 */
#ifndef NC_UBLK_BROKER_H
#define NC_UBLK_BROKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/ublk_cmd.h>

enum nc_ublk_op {
	NC_UBLK_ADD = 1,	/* UBLK_CMD_ADD_DEV with info; the new dev_id is the broker's */
	NC_UBLK_SET_PARAMS,	/* UBLK_CMD_SET_PARAMS with params */
	NC_UBLK_START,		/* UBLK_CMD_START_DEV, pid: the VMM's */
	NC_UBLK_STOP,		/* UBLK_CMD_STOP_DEV */
	NC_UBLK_DEL,		/* UBLK_CMD_DEL_DEV (waits for the last opener) */
};

struct nc_ublk_req {
	uint32_t	op;		/* enum nc_ublk_op */
	uint32_t	seq;		/* echoed in the answer */
	int32_t		dev_id;		/* all but ADD: a device the broker added */
	int32_t		pid;		/* START: the ublk server, the VMM */
	union {
		struct ublksrv_ctrl_dev_info	info;	/* ADD */
		struct ublk_params		params;	/* SET_PARAMS */
	};
};

struct nc_ublk_ans {
	uint32_t	op;
	uint32_t	seq;
	int32_t		result;		/* ublk's result (0 or -errno), or the broker's refusal */
	int32_t		dev_id;		/* ADD: the new device */
	struct ublksrv_ctrl_dev_info	info;	/* ADD: as ublk filled it in */
};

#define NC_UBLK_BROKER_MAX	16	/* devices one broker owns at most */

/* The dev_ids a broker added and has not deleted yet. */
struct nc_ublk_owned {
	int		id[NC_UBLK_BROKER_MAX];
	unsigned	n;
};

bool nc_ublk_owned_has(const struct nc_ublk_owned *o, int dev_id);
int nc_ublk_owned_add(struct nc_ublk_owned *o, int dev_id);	/* 0, -ENOSPC */
void nc_ublk_owned_del(struct nc_ublk_owned *o, int dev_id);

/*
 * Whether the broker runs request r (len bytes received): 0, -EINVAL (a
 * malformed request: short, unknown op, a SET_PARAMS whose len is not its
 * size), -EPERM (a device the broker did not add; a START whose pid is not
 * vmm_pid), -ENOSPC (an ADD beyond NC_UBLK_BROKER_MAX). Pure: unit-tested.
 */
int nc_ublk_broker_check(const struct nc_ublk_owned *o, const struct nc_ublk_req *r,
			 size_t len, pid_t vmm_pid);

/*
 * VMM, main thread, before nc_sandbox_arm() and any other thread: forks the
 * broker. 0 or -errno with err.
 */
int nc_ublk_broker_spawn(char *err, size_t errlen);
/* The broker's process id, or -1. */
pid_t nc_ublk_broker_pid(void);
/*
 * Closes the VMM's end (the broker cleans up and exits): for the unit
 * tests; nipcell-vmm's end closes when it exits.
 */
void nc_ublk_broker_close(void);
/*
 * One request, from any thread (serialized), its seq set here; waits up to
 * timeout_ms (-1: no limit) for the answer. Returns the answer's result
 * (ublk's, or the broker's refusal), -ETIMEDOUT, or -EPIPE once the broker
 * is gone (said once on stderr), -ENOTCONN without a broker.
 */
int nc_ublk_broker_call(struct nc_ublk_req *r, struct nc_ublk_ans *a, int timeout_ms);

#endif /* NC_UBLK_BROKER_H */
