/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private state of the ION host. The host never re-reads the window's
 * geometry from guest-writable memory: everything it needs to address the
 * window lives here, and what it reads from the window (indices, entries)
 * it copies once and validates.
 */
#ifndef NC_ION_HOST_PRIV_H
#define NC_ION_HOST_PRIV_H

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <liburing.h>
#include <nipcell/ion.h>
#include <nipcell/ion_host.h>

#include "ratelimit.h"
#include "util/errf.h"	/* nc_errf(): every message into err */

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* Defaults, documented in docs/valves.md. */
#define ION_BLK_ENTRIES		32
#define ION_BLK_SLOT		(128U * 1024)
#define ION_NET_ENTRIES		256
#define ION_INPUT_ENTRIES	128
#define ION_ETH_HLEN		14

/* user_data of an io_uring SQE: what finished. */
enum ion_ud_kind {
	ION_UD_CTL = 1,		/* the control eventfd (stop, wake) */
	ION_UD_DOORBELL,	/* a queue's doorbell eventfd */
	ION_UD_IO,		/* backend I/O of one request */
	ION_UD_CANCEL,		/* an async cancel; result ignored */
	ION_UD_TIMER,		/* a budget timeout: a throttled queue may go */
	ION_UD_UBLK,		/* an export valve's ublk URING_CMD (tag) */
};

static inline uint64_t ion_ud(enum ion_ud_kind k, unsigned v, unsigned q,
			      uint32_t tag)
{
	return (uint64_t)k << 48 | (uint64_t)v << 40 | (uint64_t)q << 32 | tag;
}
#define ION_UD_KIND(ud)		((unsigned)((ud) >> 48))
#define ION_UD_VALVE(ud)	((unsigned)((ud) >> 40) & 0xff)
#define ION_UD_QUEUE(ud)	((unsigned)((ud) >> 32) & 0xff)
#define ION_UD_TAG(ud)		((uint32_t)(ud))

/* One request the host took from an SQ and has not completed yet. */
struct ion_req {
	struct ion_sqe sqe;	/* validated private copy */
	uint32_t done;		/* bytes transferred so far */
	bool busy;		/* taken, not yet completed */
	bool zero_fill;		/* WRITE_ZEROES fell back to writes */
	bool cancelled;
};

struct ion_hvalve;

/* Host-private state of one valve queue. */
struct ion_hq {
	struct ion_hvalve *v;
	unsigned q;
	uint32_t entries;
	struct ion_ring *sq, *cq;	/* from the private offsets */
	struct ion_sqe *sqes;
	struct ion_cqe *cqes;
	uint32_t sq_cons;	/* host's SQ consumer index */
	uint32_t cq_prod;	/* host's CQ producer index */
	uint32_t cq_cons;	/* last validated guest CQ consumer index */
	uint32_t cq_notified;	/* cq_prod at the last interrupt decision */
	uint32_t inflight;	/* taken, completion not yet posted */
	struct ion_req *reqs;	/* indexed by host tag */
	uint32_t *free_tags;
	uint32_t nr_free;
	int doorbell_fd;
	unsigned doorbell_fixed;	/* index in the fixed file table */
	uint64_t doorbell_buf;
	bool doorbell_armed;		/* its read is queued (until its CQE) */
	/* budget.c: the head request waits for its budget until then (ns) */
	int64_t throttle_until;		/* 0: not throttled */
	int64_t throttle_since;		/* 0: nothing waits */
};

struct ion_valve_ops {
	/* Takes a validated-by-nothing private SQE copy and a free tag. */
	void (*submit)(struct ion_hq *q, uint32_t tag);
	/* Backend I/O for tag finished with res. */
	void (*complete)(struct ion_hq *q, uint32_t tag, int res);
	/* Stop or reset: abandon requests that wait for the outside world. */
	void (*cancel)(struct ion_hq *q);
	/* Host stop: make what was acknowledged durable (optional). */
	void (*sync)(struct ion_hvalve *v);
	/* Destroy, before the backend fd is closed (optional). */
	void (*release)(struct ion_hvalve *v);
	/*
	 * What request s costs its valve's budget (budget.c): bytes and
	 * operations. NULL: the valve type has no budget.
	 */
	void (*cost)(const struct ion_hq *q, const struct ion_sqe *s,
		     uint64_t *bytes, uint64_t *ops);
	/*
	 * Optional: serves the queue instead of ion_queue_service() (a valve
	 * whose SQ the host produces: export). Same return convention.
	 */
	bool (*service)(struct ion_hq *q);
	/* Optional: after a reset re-seeded the window (guest restart). */
	void (*reset)(struct ion_hvalve *v);
	/* true: the queue's CQ is not a completion ring (input events). */
	bool no_completions;
};

/*
 * One valve type: everything the host needs to lay out, open and name a
 * valve of this type. Each is defined in its valve's file (blk.c, net.c,
 * input.c) and listed in ion_valve_types[] (types.c); to add a valve type,
 * add its number, name and queue count to ion.h, write its file with one
 * of these, and list it there.
 */
struct ion_valve_type {
	uint16_t type;			/* ION_VALVE_* */
	const char *name;		/* ION_VALVE_*_NAME */
	unsigned nr_queues;		/* ION_*_QUEUES */
	uint32_t entries;		/* per ring, a power of two */
	/* How many valves of this type the spec asks for (ids 0..n-1). */
	unsigned (*count)(const struct ion_host_spec *s);
	/* Data-area bytes of valve id, from the spec alone (no file opened). */
	uint64_t (*data_size)(const struct ion_host_spec *s, unsigned id);
	/*
	 * Opens the backend of v (v->desc has type, id and the layout) and
	 * fills v->desc.config; messages name the spec field or file.
	 */
	int (*open)(struct ion_hvalve *v, char *err, size_t errlen);
	const struct ion_valve_ops *ops;
	/* The spec's budget for valve id; NULL: the type has none. */
	const struct ion_budget *(*budget)(const struct ion_host_spec *s,
					   unsigned id);
	/* In "too small for ..." messages: "block valve" (counted); NULL: name. */
	const char *noun;
};

/*
 * A valve's budget (budget.c). The buckets are the service thread's alone;
 * ion_host_set_budget() hands a new configuration over in cfg under lock
 * and marks its kind in pending, which the service thread reads at every
 * pass.
 */
struct ion_vbudget {
	struct ion_bucket bw, ops;
	bool on;			/* a bucket is limited */
	unsigned pending;		/* atomic: 1 << ION_BUDGET_* handed over */
	pthread_mutex_t lock;		/* cfg and pending */
	struct ion_budget cfg;
};

struct ion_hvalve {
	struct ion_host *h;
	unsigned idx;
	struct ion_valve desc;		/* private copy of the seeded descriptor */
	const struct ion_valve_type *type;
	const struct ion_valve_ops *ops;	/* type->ops */
	struct ion_hq q[ION_MAX_QUEUES];
	int irq_fd;
	bool broken;			/* atomic: others read it (stats) */
	uint32_t error;			/* ION_ERR_*, set before broken */
	bool posted;			/* a CQ entry since the last notify */
	struct ion_valve_stats st;	/* single writer, see ion_stat_add() */
	int fd;				/* backend fd or -1 */
	unsigned fd_fixed;
	/* block */
	bool ro, direct, null;
	uint64_t bytes;			/* capacity in bytes */
	/* net */
	char tap[16];
	/* export (export.c) */
	struct ion_export *exp;
	/* input: the CQ is produced under this lock by any thread */
	pthread_mutex_t lock;
	struct ion_vbudget budget;	/* block, net */
};

struct ion_host {
	void *win;
	uint64_t size;
	int memfd;
	struct ion_host_spec spec;	/* paths point into path_buf */
	char *paths[ION_HOST_MAX_BLK + 1];
	char *export_dev[ION_HOST_MAX_EXPORT];
	unsigned nr_valves;
	struct ion_hvalve *valves[ION_MAX_VALVES];
	struct ion_hvalve *input;
	struct io_uring ring;
	bool ring_ok;
	unsigned ring_pending;		/* SQEs prepared, not yet submitted */
	unsigned inflight_io;		/* backend ops the kernel holds */
	int ctl_fd;
	uint64_t ctl_buf;
	bool ctl_armed;			/* the ctl read is queued (until its CQE) */
	pthread_t thread;
	bool running;
	int stop_req;			/* atomic: ion_host_stop() asked */
	bool stopping;
	bool resetting;			/* stopping for a reset: hold, do not fail */
	int reset_req;			/* atomic: ion_host_reset() asked the thread */
	int reset_rc;
	int reset_fd;			/* eventfd: the thread finished a reset */
	int64_t stop_ms;		/* CLOCK_MONOTONIC when stopping began */
	bool cancelled;			/* in-flight I/O was asked to cancel */
	int thread_err;			/* atomic: the thread's -errno */
	int fail_fd;			/* eventfd: the thread died on its own */
	/* budgets: the clock of this pass, and the budget timeout */
	int64_t now_ns;			/* 0: not read yet this pass */
	int64_t wake_ns;		/* earliest throttle_until of this pass */
	int64_t timer_ns;		/* the latest timeout armed (0: none) */
	uint32_t timer_seq;		/* its tag */
	int timer_err;			/* a timeout completed with an error */
	struct __kernel_timespec timer_ts;	/* read at submission */
	int nr_files;
	int files[1 + ION_MAX_VALVES * (ION_MAX_QUEUES + 1)];
};

/* Stats have one writer at a time; readers load them relaxed. */
static inline void ion_stat_add(uint64_t *p, uint64_t n)
{
	__atomic_store_n(p, *p + n, __ATOMIC_RELAXED);
}

/* types.c: the one table of valve types, in valve numbering order */
extern const struct ion_valve_type *const ion_valve_types[];
extern const unsigned ion_nr_valve_types;
const struct ion_valve_type *ion_valve_type_find(uint16_t type);

/* layout.c */
int ion_plan(const struct ion_host_spec *s, struct ion_valve *d, unsigned *nr,
	     char *err, size_t errlen);
int ion_layout(const struct ion_host_spec *s, struct ion_valve *d, unsigned nr,
	       char *err, size_t errlen);
void ion_seed(struct ion_host *h);
void ion_queue_bind(struct ion_host *h, struct ion_hq *q);

/* queue.c: the ring side of every valve */
bool ion_queue_service(struct ion_hq *q);
void ion_queue_post(struct ion_hq *q, uint32_t tag, int32_t status,
		    uint32_t len);
bool ion_queue_cq_refresh(struct ion_hq *q);
void ion_queue_release(struct ion_hq *q, uint32_t tag);
void ion_valve_notify(struct ion_hvalve *v);
void ion_valve_break(struct ion_hvalve *v, uint32_t error);
bool ion_valve_layout_ok(struct ion_hvalve *v);
int ion_queue_alloc(struct ion_hq *q);
void ion_queue_free(struct ion_hq *q);
void ion_queue_reset(struct ion_hq *q);
bool ion_data_ok(const struct ion_hvalve *v, uint64_t off, uint64_t len);
void *ion_win_ptr(const struct ion_hvalve *v, uint64_t off);

/* budget.c */
void ion_budget_init(struct ion_hvalve *v, const struct ion_budget *cfg);
void ion_budget_pick_up(struct ion_hvalve *v);
bool ion_budget_held(struct ion_hq *q);
bool ion_budget_admit(struct ion_hq *q, const struct ion_sqe *s);
void ion_budget_charge(struct ion_hvalve *v, uint64_t bytes, uint64_t ops);
int64_t ion_now_ns(struct ion_host *h);

/* service.c */
int ion_ring_setup(struct ion_host *h, char *err, size_t errlen);
struct io_uring_sqe *ion_get_sqe(struct ion_host *h);
int ion_service_pass(struct ion_host *h, bool wait, int timeout_ms);

/* blk.c, net.c, input.c, export.c */
extern const struct ion_valve_type ion_blk_type, ion_net_type, ion_input_type,
	ion_export_type;

#endif /* NC_ION_HOST_PRIV_H */
