// SPDX-License-Identifier: GPL-2.0
/*
 * nexus_ion ring API: the guest's half of the ordering contract that opens
 * ion/include/uapi/nipcell/ion.h.
 *
 * The guest owns SQ prod and CQ cons/event. It keeps those indices in shadow
 * copies and only ever writes them to the window, so a host scribbling on
 * them cannot steer the guest. The host's indices (SQ cons/event, CQ prod)
 * are checked on every read: an index that claims more entries than the
 * ring holds stops the queue (-EIO from then on) with a ratelimited error.
 */
#define pr_fmt(fmt) "nexus_ion: " fmt

#include <linux/io.h>
#include <linux/module.h>
#include <linux/string.h>
#include "nexus_ion_priv.h"

static_assert(sizeof(struct ion_input_event) == sizeof(struct ion_cqe));

static void ion_queue_corrupt(struct nexus_ion_queue *q, const char *ring,
			      u32 prod, u32 cons)
{
	if (!q->broken)
		pr_err_ratelimited("%s queue %td: %s prod %u cons %u do not fit %u entries: queue stopped\n",
				   q->valve->name, q - q->valve->queues, ring,
				   prod, cons, q->entries);
	q->broken = true;
}

static bool ion_queue_dead(const struct nexus_ion_queue *q)
{
	return q->broken || nexus_ion_valve_broken(q->valve);
}

/* Resume from the indices in the window: a reloaded module continues. */
void nexus_ion_queue_init(struct nexus_ion_queue *q)
{
	q->sq_prod = READ_ONCE(q->sq->prod);
	q->sq_kicked = q->sq_prod;
	q->cq_cons = READ_ONCE(q->cq->cons);
	q->sq_cons = READ_ONCE(q->sq->cons);
	q->cq_prod = READ_ONCE(q->cq->prod);
	q->cq_kicked = q->cq_prod;
	q->broken = false;
	if (q->valve->desc.type == ION_VALVE_EXPORT)
		nexus_ion_sq_disable(q);
	else
		nexus_ion_cq_disable(q);
}

u32 nexus_ion_queue_entries(const struct nexus_ion_queue *q)
{
	return q->entries;
}
EXPORT_SYMBOL_GPL(nexus_ion_queue_entries);

/*
 * Entries submitted whose completions were not consumed yet, on a queue
 * where every SQE gets one completion. Right after nexus_ion_get_valve():
 * what a previous load left with the host.
 */
u32 nexus_ion_queue_outstanding(const struct nexus_ion_queue *q)
{
	return q->sq_prod - q->cq_cons;
}
EXPORT_SYMBOL_GPL(nexus_ion_queue_outstanding);

/**
 * nexus_ion_sq_reserve - the next free SQ entry, zeroed
 * @q: the queue
 * @sqe: set to the entry, which stays private until nexus_ion_sq_submit()
 *
 * Return: 0; -ENOSPC when the ring is full; -EIO when the queue or its valve
 * is broken. Calling it again before submitting returns the same entry.
 */
int nexus_ion_sq_reserve(struct nexus_ion_queue *q, struct ion_sqe **sqe)
{
	struct ion_sqe *e;
	u32 cons, used;

	if (unlikely(ion_queue_dead(q)))
		return -EIO;
	/* Pairs with the host's release of cons: it is done with the slot. */
	cons = smp_load_acquire(&q->sq->cons);
	used = q->sq_prod - cons;
	if (unlikely(used > q->entries)) {
		ion_queue_corrupt(q, "SQ", q->sq_prod, cons);
		return -EIO;
	}
	if (used == q->entries)
		return -ENOSPC;
	e = q->sqes + (size_t)(q->sq_prod & q->mask) * sizeof(*e);
	memset(e, 0, sizeof(*e));
	*sqe = e;
	return 0;
}
EXPORT_SYMBOL_GPL(nexus_ion_sq_reserve);

/* Publishes the reserved entry: the host may consume it from now on. */
void nexus_ion_sq_submit(struct nexus_ion_queue *q)
{
	q->sq_prod++;
	/* The entry is written before the host sees prod move past it. */
	smp_store_release(&q->sq->prod, q->sq_prod);
}
EXPORT_SYMBOL_GPL(nexus_ion_sq_submit);

/**
 * nexus_ion_sq_kick_prepare - whether the host wants a doorbell
 * @q: the queue
 *
 * Covers every entry submitted since the previous call. Call it under the
 * lock that serialises the SQ, then nexus_ion_sq_notify() outside it.
 */
bool nexus_ion_sq_kick_prepare(struct nexus_ion_queue *q)
{
	u32 old = q->sq_kicked;
	u32 new = q->sq_prod;

	q->sq_kicked = new;
	if (new == old || !q->doorbell)
		return false;
	if (!q->event_idx)
		return true;
	/* prod is published before the host's event word is read. */
	smp_mb();
	return ion_need_event(READ_ONCE(q->sq->event), new, old);
}
EXPORT_SYMBOL_GPL(nexus_ion_sq_kick_prepare);

void nexus_ion_sq_notify(struct nexus_ion_queue *q)
{
	/* writel() orders the ring stores before the doorbell store. */
	if (q->doorbell)
		writel(1, q->doorbell);
}
EXPORT_SYMBOL_GPL(nexus_ion_sq_notify);

/**
 * nexus_ion_cq_pop - consume one completion
 * @q: the queue
 * @entry: receives a private copy of the entry (16 bytes)
 *
 * Return: true when an entry was copied. The copy is the guest's: the host
 * may reuse the slot once this returns.
 */
bool nexus_ion_cq_pop(struct nexus_ion_queue *q, void *entry)
{
	const u64 *src;
	u64 *dst = entry;
	u32 prod, avail;

	if (unlikely(q->broken))
		return false;
	/* Pairs with the host's release of prod: the entry is written. */
	prod = smp_load_acquire(&q->cq->prod);
	avail = prod - q->cq_cons;
	if (!avail)
		return false;
	if (unlikely(avail > q->entries)) {
		ion_queue_corrupt(q, "CQ", prod, q->cq_cons);
		return false;
	}
	src = q->cqes + (size_t)(q->cq_cons & q->mask) * sizeof(struct ion_cqe);
	dst[0] = READ_ONCE(src[0]);
	dst[1] = READ_ONCE(src[1]);
	q->cq_cons++;
	/* The entry is read before the host may overwrite it. */
	smp_store_release(&q->cq->cons, q->cq_cons);
	return true;
}
EXPORT_SYMBOL_GPL(nexus_ion_cq_pop);

bool nexus_ion_cq_pending(struct nexus_ion_queue *q)
{
	return !q->broken && READ_ONCE(q->cq->prod) != q->cq_cons;
}
EXPORT_SYMBOL_GPL(nexus_ion_cq_pending);

/*
 * Asks for no completion interrupts: "wake me past cons + 2^31", an index
 * half the ring space away that the host's prod does not reach while the
 * guest is busy (virtio writes 0 for the same purpose). Without
 * ION_F_EVENT_IDX the host always interrupts and the callback copes.
 */
void nexus_ion_cq_disable(struct nexus_ion_queue *q)
{
	if (q->event_idx)
		WRITE_ONCE(q->cq->event, q->cq_cons + BIT(31));
}
EXPORT_SYMBOL_GPL(nexus_ion_cq_disable);

/**
 * nexus_ion_cq_enable - ask for an interrupt at the next completion
 * @q: the queue
 *
 * Return: false when completions arrived meanwhile: drain them and call
 * again, or the interrupt for them may never come.
 */
bool nexus_ion_cq_enable(struct nexus_ion_queue *q)
{
	if (q->event_idx)
		WRITE_ONCE(q->cq->event, q->cq_cons);
	/* event is visible before prod is checked once more. */
	smp_mb();
	return !nexus_ion_cq_pending(q);
}
EXPORT_SYMBOL_GPL(nexus_ion_cq_enable);

bool nexus_ion_cq_enable_batch(struct nexus_ion_queue *q, u32 batch)
{
	if (!q->event_idx || batch <= 1)
		return nexus_ion_cq_enable(q);
	/* The host interrupts once prod moves past cons + batch - 1. */
	WRITE_ONCE(q->cq->event, q->cq_cons + batch - 1);
	/* event is visible before prod is checked once more. */
	smp_mb();
	return q->broken || (u32)(READ_ONCE(q->cq->prod) - q->cq_cons) < batch;
}
EXPORT_SYMBOL_GPL(nexus_ion_cq_enable_batch);

/*
 * The reversed direction (export valves, ABI 1.1): the host produces the
 * SQ and consumes the CQ. The guest owns SQ cons/event and CQ prod, keeps
 * them in shadows and checks the host's SQ prod and CQ cons on every read.
 */

/**
 * nexus_ion_sq_pop - consume one request the host submitted
 * @q: the queue of an export valve
 * @sqe: receives a private copy of the entry
 *
 * Return: true when an entry was copied.
 */
bool nexus_ion_sq_pop(struct nexus_ion_queue *q, struct ion_sqe *sqe)
{
	const u64 *src;
	u64 *dst = (u64 *)sqe;
	u32 prod, avail;

	if (unlikely(ion_queue_dead(q)))
		return false;
	/* Pairs with the host's release of prod: the entry is written. */
	prod = smp_load_acquire(&q->sq->prod);
	avail = prod - q->sq_cons;
	if (!avail)
		return false;
	if (unlikely(avail > q->entries)) {
		ion_queue_corrupt(q, "SQ", prod, q->sq_cons);
		return false;
	}
	static_assert(sizeof(*sqe) == 4 * sizeof(u64));
	src = q->sqes + (size_t)(q->sq_cons & q->mask) * sizeof(*sqe);
	dst[0] = READ_ONCE(src[0]);
	dst[1] = READ_ONCE(src[1]);
	dst[2] = READ_ONCE(src[2]);
	dst[3] = READ_ONCE(src[3]);
	q->sq_cons++;
	/* The entry is read before the host may reuse the slot. */
	smp_store_release(&q->sq->cons, q->sq_cons);
	return true;
}
EXPORT_SYMBOL_GPL(nexus_ion_sq_pop);

bool nexus_ion_sq_pending(struct nexus_ion_queue *q)
{
	return !ion_queue_dead(q) && READ_ONCE(q->sq->prod) != q->sq_cons;
}
EXPORT_SYMBOL_GPL(nexus_ion_sq_pending);

/* As nexus_ion_cq_disable(), for the SQ of an export valve. */
void nexus_ion_sq_disable(struct nexus_ion_queue *q)
{
	if (q->event_idx)
		WRITE_ONCE(q->sq->event, q->sq_cons + BIT(31));
}
EXPORT_SYMBOL_GPL(nexus_ion_sq_disable);

/* As nexus_ion_cq_enable(): false when requests arrived meanwhile. */
bool nexus_ion_sq_enable(struct nexus_ion_queue *q)
{
	if (q->event_idx)
		WRITE_ONCE(q->sq->event, q->sq_cons);
	smp_mb();
	return !nexus_ion_sq_pending(q);
}
EXPORT_SYMBOL_GPL(nexus_ion_sq_enable);

/**
 * nexus_ion_cq_reserve - the next free CQ entry of an export valve, zeroed
 * Return: 0; -ENOSPC when the ring is full; -EIO when broken.
 */
int nexus_ion_cq_reserve(struct nexus_ion_queue *q, struct ion_cqe **cqe)
{
	struct ion_cqe *e;
	u32 cons, used;

	if (unlikely(ion_queue_dead(q)))
		return -EIO;
	cons = smp_load_acquire(&q->cq->cons);
	used = q->cq_prod - cons;
	if (unlikely(used > q->entries)) {
		ion_queue_corrupt(q, "CQ", q->cq_prod, cons);
		return -EIO;
	}
	if (used == q->entries)
		return -ENOSPC;
	e = q->cqes + (size_t)(q->cq_prod & q->mask) * sizeof(*e);
	memset(e, 0, sizeof(*e));
	*cqe = e;
	return 0;
}
EXPORT_SYMBOL_GPL(nexus_ion_cq_reserve);

/* Publishes the reserved completion. corrupt: test only, see nexus_export. */
void nexus_ion_cq_submit(struct nexus_ion_queue *q, u32 jump)
{
	q->cq_prod += 1 + jump;
	smp_store_release(&q->cq->prod, q->cq_prod);
}
EXPORT_SYMBOL_GPL(nexus_ion_cq_submit);

/* Whether the host wants a doorbell for the completions since the last call. */
bool nexus_ion_cq_kick_prepare(struct nexus_ion_queue *q)
{
	u32 old = q->cq_kicked;
	u32 new = q->cq_prod;

	q->cq_kicked = new;
	if (new == old || !q->doorbell)
		return false;
	if (!q->event_idx)
		return true;
	smp_mb();
	return ion_need_event(READ_ONCE(q->cq->event), new, old);
}
EXPORT_SYMBOL_GPL(nexus_ion_cq_kick_prepare);
