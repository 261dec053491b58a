/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nexus_ion: the ring API that nexus_blk, nexus_net and nexus_input use to
 * reach their valves in the ION window (ion/include/uapi/nipcell/ion.h).
 *
 * A module claims a valve with nexus_ion_get_valve() and gets one handle per
 * queue with nexus_ion_valve_queue(). All layout values (ring geometry, data
 * area, config) come from a copy of the header that nexus_ion validated when
 * it bound, so a host rewriting the header later cannot move a ring under
 * the guest: nexus_ion_valve_desc() returns that copy.
 *
 * Locking: a queue's SQ has one producer and its CQ one consumer, the guest;
 * the caller serialises the calls on each ring (nexus_blk uses one spinlock
 * for both, nexus_net the xmit lock for TX SQ and NAPI for the CQs).
 *
 * Submitting, as virtio_blk does it:
 *
 *	spin_lock(lock);
 *	err = nexus_ion_sq_reserve(q, &sqe);	(-ENOSPC: full, -EIO: broken)
 *	... fill *sqe ...
 *	nexus_ion_sq_submit(q);			(store-release of SQ prod)
 *	kick = last && nexus_ion_sq_kick_prepare(q);	(smp_mb + event test)
 *	spin_unlock(lock);
 *	if (kick)
 *		nexus_ion_sq_notify(q);		(doorbell write)
 *
 * Completing, from the valve's notify callback (hard-IRQ context):
 *
 *	do {
 *		nexus_ion_cq_disable(q);
 *		while (nexus_ion_cq_pop(q, &cqe))
 *			... cqe is a private copy: check cqe.id ...
 *	} while (!nexus_ion_cq_enable(q));
 */
#ifndef _NEXUS_ION_H
#define _NEXUS_ION_H

#include <linux/types.h>
#include <nipcell/ion.h>

struct device;
struct nexus_ion_valve;
struct nexus_ion_queue;

/* Claiming valves. Errors: -ENODEV when nexus_ion is not bound to a window. */
int nexus_ion_find_valves(u16 type, u16 *ids, unsigned int max);
struct nexus_ion_valve *nexus_ion_get_valve(u16 type, u16 id);
void nexus_ion_put_valve(struct nexus_ion_valve *valve);

const struct ion_valve *nexus_ion_valve_desc(const struct nexus_ion_valve *valve);
struct device *nexus_ion_valve_dev(const struct nexus_ion_valve *valve);
bool nexus_ion_valve_broken(const struct nexus_ion_valve *valve);
u32 nexus_ion_valve_error(const struct nexus_ion_valve *valve);
void *nexus_ion_valve_data(const struct nexus_ion_valve *valve, u64 off, u64 len);

/*
 * The notify callback runs in hard-IRQ context: from the valve's interrupt,
 * or from nexus_ion's poll timer when the window has no interrupts. It may
 * run when nothing is pending. Clearing it waits for a running call.
 */
void nexus_ion_valve_set_notify(struct nexus_ion_valve *valve,
				void (*notify)(void *data), void *data);
void nexus_ion_valve_clear_notify(struct nexus_ion_valve *valve);

struct nexus_ion_queue *nexus_ion_valve_queue(struct nexus_ion_valve *valve,
					      unsigned int index);
u32 nexus_ion_queue_entries(const struct nexus_ion_queue *q);
u32 nexus_ion_queue_outstanding(const struct nexus_ion_queue *q);

/* Submission ring: the guest produces. */
int nexus_ion_sq_reserve(struct nexus_ion_queue *q, struct ion_sqe **sqe);
void nexus_ion_sq_submit(struct nexus_ion_queue *q);
bool nexus_ion_sq_kick_prepare(struct nexus_ion_queue *q);
void nexus_ion_sq_notify(struct nexus_ion_queue *q);

static inline void nexus_ion_sq_kick(struct nexus_ion_queue *q)
{
	if (nexus_ion_sq_kick_prepare(q))
		nexus_ion_sq_notify(q);
}

/*
 * Completion ring: the guest consumes. entry receives one entry (struct
 * ion_cqe, or struct ion_input_event on an input valve: the same 16 bytes).
 */
bool nexus_ion_cq_pop(struct nexus_ion_queue *q, void *entry);
bool nexus_ion_cq_pending(struct nexus_ion_queue *q);
void nexus_ion_cq_disable(struct nexus_ion_queue *q);
bool nexus_ion_cq_enable(struct nexus_ion_queue *q);
/*
 * As nexus_ion_cq_enable(), but the next interrupt comes only once batch
 * completions (at least 1; at most what is outstanding, or it may never
 * come) wait in the CQ. True when fewer than batch are pending.
 */
bool nexus_ion_cq_enable_batch(struct nexus_ion_queue *q, u32 batch);

/*
 * Export valves (ABI 1.1): the direction is reversed. The host submits
 * into the SQ, the guest pops requests and completes them into the CQ:
 *
 *	do {
 *		nexus_ion_sq_disable(q);
 *		while (nexus_ion_sq_pop(q, &sqe))
 *			... sqe is a private copy: check every field ...
 *	} while (!nexus_ion_sq_enable(q));
 *
 *	err = nexus_ion_cq_reserve(q, &cqe);	(-ENOSPC: full, -EIO: broken)
 *	... fill *cqe ...
 *	nexus_ion_cq_submit(q, 0);
 *	kick = nexus_ion_cq_kick_prepare(q);	(then nexus_ion_sq_notify())
 *
 * The valve's config has a guest half (struct ion_export_config) that the
 * guest writes through nexus_ion_valve_live_config().
 */
bool nexus_ion_sq_pop(struct nexus_ion_queue *q, struct ion_sqe *sqe);
bool nexus_ion_sq_pending(struct nexus_ion_queue *q);
void nexus_ion_sq_disable(struct nexus_ion_queue *q);
bool nexus_ion_sq_enable(struct nexus_ion_queue *q);
int nexus_ion_cq_reserve(struct nexus_ion_queue *q, struct ion_cqe **cqe);
/* jump: test only (nexus_export's corrupt=3); 0 otherwise. */
void nexus_ion_cq_submit(struct nexus_ion_queue *q, u32 jump);
bool nexus_ion_cq_kick_prepare(struct nexus_ion_queue *q);
/* The config in the window, for the guest-written half of an export valve. */
void *nexus_ion_valve_live_config(const struct nexus_ion_valve *valve);

#endif /* _NEXUS_ION_H */
