/* SPDX-License-Identifier: GPL-2.0 */
/* nexus_ion internals shared by its three files. */
#ifndef _NEXUS_ION_PRIV_H
#define _NEXUS_ION_PRIV_H

#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include "nexus_ion.h"

struct nexus_ion_queue {
	struct nexus_ion_valve *valve;
	struct ion_ring *sq;		/* in the window */
	struct ion_ring *cq;
	void *sqes;			/* entries follow struct ion_ring */
	void *cqes;
	u32 entries;
	u32 mask;
	bool event_idx;			/* ION_F_EVENT_IDX accepted */
	bool broken;			/* the guest saw a corrupt index */
	void __iomem *doorbell;		/* NULL: the host polls */
	/* Guest-owned indices: shadows, never read back from the window. */
	u32 sq_prod;
	u32 sq_kicked;			/* sq_prod at the last kick_prepare */
	u32 cq_cons;
	/* Export valves (reversed): the guest consumes the SQ, produces the CQ. */
	u32 sq_cons;
	u32 cq_prod;
	u32 cq_kicked;			/* cq_prod at the last kick_prepare */
};

struct nexus_ion_valve {
	struct nexus_ion *ion;
	struct ion_valve desc;		/* validated copy */
	struct ion_valve *live;		/* in the window: status, error */
	struct nexus_ion_queue queues[ION_MAX_QUEUES];
	bool claimed;
	int irq;			/* 0: polled */
	spinlock_t notify_lock;		/* notify vs. its callers */
	void (*notify)(void *data);
	void *notify_data;
	char name[24];			/* "nexus_ion:blk0" */
};

/* One bound window. */
struct nexus_ion {
	struct device *dev;
	u64 base;
	u64 size;
	struct ion_header *hdr;		/* the mapped window */
	struct ion_header snap;		/* the validated copy */
	bool guarded;			/* a reserved-memory node covers it */
	void __iomem *db;		/* doorbell region, or NULL */
	u64 db_size;
	int nr_irqs;			/* in the DT node; 0: polled */
	u64 features;			/* accepted ION_F_* */
	struct nexus_ion_valve valves[ION_MAX_VALVES];
	struct hrtimer poll_timer;
	ktime_t poll_period;
	bool polling;
	unsigned long host_req_done;	/* bit n: ION_HOST_REQ n acted on */
};

/* [off, off + len) lies inside [lo, hi), without overflow. */
static inline bool nexus_ion_range_ok(u64 off, u64 len, u64 lo, u64 hi)
{
	return off >= lo && off <= hi && len <= hi - off;
}

/* The ABI's name of a valve type (ion.h), NULL for one this guest lacks. */
static inline const char *nexus_ion_type_name(u16 type)
{
	return ion_valve_type_name(type);
}
__printf(2, 3) int nexus_ion_refuse(struct nexus_ion *ion, const char *fmt, ...);
int nexus_ion_check_ident(struct nexus_ion *ion);
int nexus_ion_check_header(struct nexus_ion *ion);
void nexus_ion_queue_init(struct nexus_ion_queue *q);
void nexus_ion_valve_run_notify(struct nexus_ion_valve *valve);

#endif /* _NEXUS_ION_PRIV_H */
