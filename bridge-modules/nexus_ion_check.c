// SPDX-License-Identifier: GPL-2.0
/*
 * nexus_ion header validation: what the guest checks before it believes the
 * window. Everything is checked on nexus_ion's private copy of the header
 * (struct nexus_ion.snap), so the host cannot change a value between its
 * check and its use. Every refusal names the value and what was wanted.
 */
#define pr_fmt(fmt) "nexus_ion: " fmt

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include "nexus_ion_priv.h"

#define ION_MAX_ENTRIES		(1U << 16)	/* per ring: a sanity bound */
#define ION_MAX_REGIONS		(ION_MAX_VALVES * (1 + 2 * ION_MAX_QUEUES))

/*
 * Says why and marks the header refused when it is mapped. Returns -ENODEV:
 * the reason is printed already, the driver core need not add its own.
 */
int nexus_ion_refuse(struct nexus_ion *ion, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("%pV: refusing to bind\n", &vaf);
	va_end(args);
	if (ion->hdr)
		WRITE_ONCE(ion->hdr->guest_state, ION_GUEST_REFUSED);
	return -ENODEV;
}

struct ion_region {
	u64 off;
	u64 len;
	unsigned int valve;
	const char *what;
};

static int ion_add_region(struct nexus_ion *ion, struct ion_region *r,
			  unsigned int *n, const struct ion_region *add)
{
	unsigned int i;

	if (!add->len)
		return 0;
	for (i = 0; i < *n; i++) {
		if (add->off < r[i].off + r[i].len &&
		    r[i].off < add->off + add->len)
			return nexus_ion_refuse(ion, "valve %u %s [0x%llx+0x%llx] overlaps valve %u %s [0x%llx+0x%llx]",
						add->valve, add->what, add->off, add->len,
						r[i].valve, r[i].what, r[i].off, r[i].len);
	}
	r[(*n)++] = *add;
	return 0;
}

static int ion_check_queue(struct nexus_ion *ion, unsigned int v,
			   unsigned int qi, const struct ion_queue *q,
			   struct ion_region *r, unsigned int *nr)
{
	u64 lo = ion->snap.header_size, hi = ion->size;
	struct ion_region sq = { q->sq_off, 0, v, qi ? "queue 1 SQ" : "queue 0 SQ" };
	struct ion_region cq = { q->cq_off, 0, v, qi ? "queue 1 CQ" : "queue 0 CQ" };
	int ret;

	if (!q->entries || !is_power_of_2(q->entries) ||
	    q->entries > ION_MAX_ENTRIES)
		return nexus_ion_refuse(ion, "valve %u queue %u: %u entries (want a power of two up to %u)",
					v, qi, q->entries, ION_MAX_ENTRIES);
	if (q->sqe_size != sizeof(struct ion_sqe) ||
	    q->cqe_size != sizeof(struct ion_cqe))
		return nexus_ion_refuse(ion, "valve %u queue %u: entry sizes %u/%u (want %zu/%zu)",
					v, qi, q->sqe_size, q->cqe_size,
					sizeof(struct ion_sqe), sizeof(struct ion_cqe));
	sq.len = ion_ring_bytes(q->entries, q->sqe_size);
	cq.len = ion_ring_bytes(q->entries, q->cqe_size);
	if (!IS_ALIGNED(q->sq_off, ION_CACHELINE) ||
	    !IS_ALIGNED(q->cq_off, ION_CACHELINE) ||
	    !nexus_ion_range_ok(sq.off, sq.len, lo, hi) ||
	    !nexus_ion_range_ok(cq.off, cq.len, lo, hi))
		return nexus_ion_refuse(ion, "valve %u queue %u: rings SQ [0x%llx+0x%llx] CQ [0x%llx+0x%llx] are not %u-aligned inside the window [0x%llx-0x%llx)",
					v, qi, sq.off, sq.len, cq.off, cq.len,
					ION_CACHELINE, lo, hi);
	if (ion->db && (!IS_ALIGNED(q->doorbell, ION_DOORBELL_STRIDE) ||
			!nexus_ion_range_ok(q->doorbell, ION_DOORBELL_STRIDE, 0,
				      ion->db_size)))
		return nexus_ion_refuse(ion, "valve %u queue %u: doorbell offset 0x%x outside the doorbell region (0x%llx bytes)",
					v, qi, q->doorbell, ion->db_size);
	ret = ion_add_region(ion, r, nr, &sq);
	return ret ? ret : ion_add_region(ion, r, nr, &cq);
}

static int ion_check_valve(struct nexus_ion *ion, unsigned int v,
			   struct ion_region *r, unsigned int *nr)
{
	const struct ion_valve *d = &ion->snap.valves[v];
	struct ion_region data = { d->data_off, d->data_size, v, "data area" };
	unsigned int qi, w;
	int ret;

	if (d->nr_queues < ion_valve_type_queues(d->type) ||
	    d->nr_queues > ION_MAX_QUEUES)
		return nexus_ion_refuse(ion, "valve %u (%s%u): %u queues (want %u to %u)",
					v, ion_valve_type_name(d->type), d->id, d->nr_queues,
					ion_valve_type_queues(d->type), ION_MAX_QUEUES);
	/* An input valve has no data area: its data_off means nothing. */
	if (d->data_size && !nexus_ion_range_ok(d->data_off, d->data_size,
						ion->snap.header_size, ion->size))
		return nexus_ion_refuse(ion, "valve %u (%s%u): data area [0x%llx+0x%llx] is outside the window [0x%x-0x%llx)",
					v, ion_valve_type_name(d->type), d->id, d->data_off,
					d->data_size, ion->snap.header_size, ion->size);
	if (ion->nr_irqs && d->irq >= ion->nr_irqs)
		return nexus_ion_refuse(ion, "valve %u (%s%u): interrupt index %u, the device tree lists %d",
					v, ion_valve_type_name(d->type), d->id, d->irq,
					ion->nr_irqs);
	for (w = 0; w < v; w++) {
		const struct ion_valve *o = &ion->snap.valves[w];

		if (!ion_valve_type_name(o->type))
			continue;
		if (o->type == d->type && o->id == d->id)
			return nexus_ion_refuse(ion, "valves %u and %u are both %s%u",
						w, v, ion_valve_type_name(d->type), d->id);
		if (ion->nr_irqs && o->irq == d->irq)
			return nexus_ion_refuse(ion, "valves %u and %u share interrupt index %u",
						w, v, d->irq);
	}
	ret = ion_add_region(ion, r, nr, &data);
	for (qi = 0; !ret && qi < d->nr_queues; qi++)
		ret = ion_check_queue(ion, v, qi, &d->queues[qi], r, nr);
	return ret;
}

/* Validates ion->snap, a copy of the header, against the mapped window. */
int nexus_ion_check_header(struct nexus_ion *ion)
{
	const struct ion_header *h = &ion->snap;
	struct ion_region *r;
	unsigned int v, nr = 0;
	int ret = 0;

	if (h->window_size != ion->size)
		return nexus_ion_refuse(ion, "header window_size 0x%llx, the window is 0x%llx",
					h->window_size, ion->size);
	if (h->header_size < sizeof(*h) || !IS_ALIGNED(h->header_size, ION_ALIGN) ||
	    h->header_size >= ion->size)
		return nexus_ion_refuse(ion, "header_size 0x%x (want a multiple of 0x%x from 0x%zx, below 0x%llx)",
					h->header_size, ION_ALIGN, sizeof(*h), ion->size);
	if (h->nr_valves > ION_MAX_VALVES)
		return nexus_ion_refuse(ion, "%u valves (at most %u)", h->nr_valves,
					ION_MAX_VALVES);

	r = kcalloc(ION_MAX_REGIONS, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	for (v = 0; !ret && v < h->nr_valves; v++) {
		const struct ion_valve *d = &h->valves[v];

		if (d->type == ION_VALVE_NONE)
			continue;
		if (!ion_valve_type_name(d->type)) {
			pr_info("valve %u: type %u unknown to this guest, ignored\n",
				v, d->type);
			continue;
		}
		ret = ion_check_valve(ion, v, r, &nr);
	}
	kfree(r);
	return ret;
}

/* What must hold before anything else in the header is believed. */
int nexus_ion_check_ident(struct nexus_ion *ion)
{
	const struct ion_header *h = &ion->snap;

	if (h->magic != ION_MAGIC)
		return nexus_ion_refuse(ion, "bad magic 0x%08x at 0x%llx (want 0x%08x)",
					h->magic, ion->base, ION_MAGIC);
	if (h->abi_major != ION_ABI_MAJOR)
		return nexus_ion_refuse(ion, "ABI %u.%u at 0x%llx, this guest speaks %u.%u",
					h->abi_major, h->abi_minor, ion->base,
					ION_ABI_MAJOR, ION_ABI_MINOR);
	if (h->window_size < ION_MIN_SIZE || h->window_size > ION_MAX_SIZE ||
	    !IS_ALIGNED(h->window_size, ION_ALIGN))
		return nexus_ion_refuse(ion, "window_size 0x%llx at 0x%llx (want 0x%llx to 0x%llx, 0x%x-aligned)",
					h->window_size, ion->base, ION_MIN_SIZE,
					ION_MAX_SIZE, ION_ALIGN);
	return 0;
}
