/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A simulated guest: the guest side of the ION window, written from
 * <nipcell/ion.h> and docs/abi.md only (no host internals), so tests and the
 * benchmark drive the host the way nexus_ion will.
 */
#ifndef NC_SIM_GUEST_H
#define NC_SIM_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include <nipcell/ion.h>

struct sim_guest {
	void *win;
	uint64_t size;
	struct ion_header *hdr;
};

struct sim_q {
	struct sim_guest *g;
	const struct ion_valve *valve;
	struct ion_ring *sq, *cq;
	struct ion_sqe *sqes;
	struct ion_cqe *cqes;
	uint32_t entries;
	uint32_t sq_prod;	/* guest's SQ producer index */
	uint32_t cq_cons;	/* guest's CQ consumer index */
	int doorbell_fd;	/* written on a needed doorbell; -1: none */
	int irq_fd;		/* read while waiting; -1: poll */
	uint64_t doorbells;	/* rung */
};

/* Checks the header as nexus_ion does; 0 or -EPROTO (guest_state REFUSED). */
int sim_guest_bind(struct sim_guest *g, void *win, uint64_t size,
		   bool event_idx);
/* Checks the queue's geometry against the window; 0 or -EPROTO. */
int sim_queue(struct sim_guest *g, unsigned v, unsigned q, int doorbell_fd,
	      int irq_fd, struct sim_q *sq);
/* Window pointer of offset off. */
void *sim_ptr(struct sim_guest *g, uint64_t off);
/* Queues one entry; -EBUSY when the SQ is full. Rings when asked to. */
int sim_submit(struct sim_q *q, const struct ion_sqe *e);
/* Writes one entry without publishing it; -EBUSY when the SQ is full. */
int sim_push(struct sim_q *q, const struct ion_sqe *e);
/* Publishes what sim_push() wrote; rings the doorbell when asked to. */
int sim_kick(struct sim_q *q);
/* Takes one completion if there is one: 1, else 0. */
int sim_reap(struct sim_q *q, struct ion_cqe *out);
/*
 * Waits up to timeout_ms for one completion: re-arms the CQ event, re-checks,
 * sleeps on irq_fd (or polls every 100 us without one). 1, or 0 on timeout.
 */
int sim_wait(struct sim_q *q, struct ion_cqe *out, int timeout_ms);

#endif /* NC_SIM_GUEST_H */
