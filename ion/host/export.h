/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The export valve's private state, shared by export.c (the valve: rings,
 * ublk commands, reset) and export_api.c (what the VMM calls).
 */
#ifndef NC_ION_EXPORT_H
#define NC_ION_EXPORT_H

#include <linux/ublk_cmd.h>

#include "host.h"

#define ION_EXPORT_ENTRIES	32
#define ION_EXPORT_SLOT		(128U * 1024)

enum xstate {
	XT_NONE,	/* no command with ublk yet (before the first fetch) */
	XT_FETCH,	/* a FETCH/COMMIT_AND_FETCH is with ublk */
	XT_PENDING,	/* a request from ublk waits for the SQ */
	XT_GUEST,	/* the request is in the SQ, the guest has it */
	XT_GONE,	/* ublk aborted the command: the device is stopping */
};

struct xreq {
	enum xstate st;
	uint32_t seq;
	struct ion_sqe sqe;	/* what the guest was given */
};

struct ion_export {
	int cdev_fd;			/* /dev/ublkcN, -1 until attached */
	const struct ublksrv_io_desc *iod;	/* ublk's descriptors, read-only */
	bool fetched;
	int dead;			/* atomic: fail everything with -EIO */
	uint32_t seq;
	struct xreq *req;		/* by ublk tag = slot */
	uint32_t *pend;			/* FIFO of XT_PENDING tags */
	uint32_t pend_head, pend_n;
	uint32_t with_guest;		/* XT_GUEST requests */
	/* host-private ring indices (SQ: host produces; CQ: host consumes) */
	uint32_t sq_prod, sq_cons, sq_notified, cq_cons;
	unsigned cmds;			/* URING_CMDs ublk holds */
	/* the guest's report, copied once and checked */
	int event_fd;
	int report;			/* 0, 1 ready, -errno failed; under v->lock */
	struct ion_export_geometry geo;
	bool started;			/* a geometry was given to the VMM */
	int dev_id;			/* N of /dev/ublkbN; -1 none (under v->lock) */
	bool ready;			/* /dev/ublkbN exists (under v->lock) */
};

#endif /* NC_ION_EXPORT_H */
