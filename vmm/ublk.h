/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host half of an export: one ublk device (/dev/ublkbN) per export
 * valve, whose requests the ION service thread hands to the guest
 * (ion/host/export.c). This file is ublk's control plane: ADD_DEV at
 * preparation, SET_PARAMS and START_DEV once the guest reported its device,
 * STOP_DEV and DEL_DEV at exit. docs/export.md.
 *
 * The commands themselves run in the ublk broker (ublk_broker.h), a
 * process forked before the sandbox that alone keeps CAP_SYS_ADMIN (Linux
 * 6.1's ublk requires it for every control command); the VMM itself runs
 * confined, with no capability. The host kernel needs CONFIG_BLK_DEV_UBLK
 * (Linux 6.0+) and the VMM must start with CAP_SYS_ADMIN (root), else
 * ADD_DEV fails with "... (needs CAP_SYS_ADMIN)"; without the driver
 * nc_ublk_add() fails with
 * "export 0: /dev/ublk-control: No such file or directory (the host kernel
 * needs CONFIG_BLK_DEV_UBLK: modprobe ublk_drv)".
 */
#ifndef NC_UBLK_H
#define NC_UBLK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ion_host;

struct nc_ublk {
	unsigned	id;		/* export number ([[export]] order) */
	unsigned	valve;		/* its ION valve */
	struct ion_host	*ion;
	int		dev_id;		/* N of /dev/ublkbN, -1: none */
	int		cdev_fd;	/* /dev/ublkcN */
	void		*iod;		/* ublk's descriptor array, mapped */
	size_t		iod_len;
	unsigned	depth;
	uint32_t	max_io;
	pthread_t	thread;		/* waits for the guest, starts the device */
	bool		thread_on;
	int		stop_fd;	/* eventfd: the thread gives up */
	int		started;	/* atomic: /dev/ublkbN exists */
	pid_t		pid;		/* the VMM: START_DEV's ublk server */
	bool		tty;		/* stderr is a terminal: the ready line */
	uint64_t	sectors;
};

/*
 * Creates the ublk device of export valve `valve` (ADD_DEV by the broker;
 * /dev/ublkcN opened and its descriptors mapped here) and attaches it to
 * the valve. Before ion_host_start() and the sandbox's lockdown.
 */
int nc_ublk_add(struct nc_ublk *u, struct ion_host *ion, unsigned id,
		unsigned valve, char *err, size_t errlen);
/*
 * A thread that waits for the guest's report and then has the broker start
 * /dev/ublkbN (SET_PARAMS, START_DEV: that call reads the partition table,
 * which the service thread and the guest must serve, hence a thread of its
 * own). A sandboxed thread of kind NC_THREAD_UBLK ("ublk<id>"): it waits
 * at the sandbox's gate first.
 */
int nc_ublk_start(struct nc_ublk *u, char *err, size_t errlen);
/*
 * At exit, after ion_host_export_shutdown(): STOP_DEV (pending and new
 * requests fail with EIO; the device disappears), joins the thread.
 */
void nc_ublk_stop(struct nc_ublk *u);
/*
 * After the ION host is gone: DEL_DEV, by the broker. ublk waits in it
 * until every file of the device is closed, uninterruptibly: the VMM waits
 * 3 s for the answer and exits regardless; the broker finishes it and
 * exits once the VMM is gone. After a SIGKILL of the VMM the broker stops
 * and deletes the device itself.
 */
void nc_ublk_remove(struct nc_ublk *u);

#endif /* NC_UBLK_H */
