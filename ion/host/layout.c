// SPDX-License-Identifier: GPL-2.0
/*
 * Window layout and header seeding. The header sits at offset 0; every
 * valve's rings follow, each ring 4 KiB aligned; the data areas come last,
 * each 4 KiB aligned. docs/abi.md describes the result.
 */
#include <string.h>

#include "host.h"

static uint64_t align_up(uint64_t x)
{
	return (x + ION_ALIGN - 1) & ~(uint64_t)(ION_ALIGN - 1);
}

static const char *mib(uint64_t b, char *buf, size_t n)
{
	if (b % (1024 * 1024) == 0)
		snprintf(buf, n, "%llu MiB", (unsigned long long)(b >> 20));
	else
		snprintf(buf, n, "%.1f MiB", b / 1048576.0);
	return buf;
}

/* "4 block valves, net, input": what the valves d[0..nr) are. */
static void describe(const struct ion_valve *d, unsigned nr, char *buf,
		     size_t n)
{
	size_t used = 0;

	buf[0] = 0;
	for (unsigned t = 0; t < ion_nr_valve_types; t++) {
		const struct ion_valve_type *vt = ion_valve_types[t];
		unsigned cnt = 0;

		for (unsigned i = 0; i < nr; i++)
			cnt += d[i].type == vt->type;
		if (!cnt || used >= n)
			continue;
		if (vt->noun)
			used += snprintf(buf + used, n - used, "%s%u %s%s",
					 used ? ", " : "", cnt, vt->noun,
					 cnt == 1 ? "" : "s");
		else if (cnt == 1)
			used += snprintf(buf + used, n - used, "%s%s",
					 used ? ", " : "", vt->name);
		else
			used += snprintf(buf + used, n - used, "%s%u %s",
					 used ? ", " : "", cnt, vt->name);
	}
}

/*
 * Gives the valves d[0..nr) (type and id set) their queues, ring offsets
 * and data areas from the type table, and checks that they fit the window
 * of spec s. An unknown type is refused (-EINVAL), never shaped like
 * another.
 */
int ion_layout(const struct ion_host_spec *s, struct ion_valve *d, unsigned nr,
	       char *err, size_t errlen)
{
	uint64_t off = ION_HEADER_SIZE;
	char a[32], b[32], what[128];

	for (unsigned i = 0; i < nr; i++) {
		const struct ion_valve_type *t = ion_valve_type_find(d[i].type);

		if (!t)
			return nc_errf(-EINVAL, err, errlen,
				       "ion valve %u: unknown valve type %u", i,
				       d[i].type);
		d[i].nr_queues = t->nr_queues;
		d[i].irq = i;
		for (unsigned q = 0; q < t->nr_queues; q++) {
			struct ion_queue *rq = &d[i].queues[q];

			rq->entries = t->entries;
			rq->sqe_size = sizeof(struct ion_sqe);
			rq->cqe_size = sizeof(struct ion_cqe);
			rq->doorbell = (i * ION_MAX_QUEUES + q) *
				       ION_DOORBELL_STRIDE;
			rq->sq_off = off;
			off = align_up(off + ion_ring_bytes(rq->entries, rq->sqe_size));
			rq->cq_off = off;
			off = align_up(off + ion_ring_bytes(rq->entries, rq->cqe_size));
		}
		d[i].data_size = t->data_size(s, d[i].id);
	}
	for (unsigned i = 0; i < nr; i++) {
		if (!d[i].data_size)
			continue;
		d[i].data_off = off;
		off = align_up(off + d[i].data_size);
	}
	if (off > s->size) {
		describe(d, nr, what, sizeof(what));
		return nc_errf(-ENOSPC, err, errlen,
			       "ion window %s too small for %s: needs %s",
			       mib(s->size, a, sizeof(a)), what,
			       mib(off, b, sizeof(b)));
	}
	return 0;
}

/*
 * The valves spec s asks for, in the type table's order (ids 0.. per
 * type), laid out by ion_layout(): what ion_host_check() and
 * ion_host_create() both compute, without opening anything.
 */
int ion_plan(const struct ion_host_spec *s, struct ion_valve *d, unsigned *nr,
	     char *err, size_t errlen)
{
	unsigned n = 0;

	for (unsigned t = 0; t < ion_nr_valve_types; t++) {
		const struct ion_valve_type *vt = ion_valve_types[t];
		unsigned cnt = vt->count(s);

		for (unsigned id = 0; id < cnt; id++) {
			if (n == ION_MAX_VALVES)
				return nc_errf(-EINVAL, err, errlen,
					       "ion: more than %d valves",
					       ION_MAX_VALVES);
			memset(&d[n], 0, sizeof(d[n]));
			d[n].type = vt->type;
			d[n].id = id;
			n++;
		}
	}
	*nr = n;
	return ion_layout(s, d, n, err, errlen);
}

/* Empty, at index start (0 but in wraparound tests). */
static void ring_init(struct ion_ring *r, uint32_t start)
{
	memset(r, 0, sizeof(*r));
	r->prod = r->cons = r->event = start;
}

/* Writes the header and empty rings; host_state last, with release. */
void ion_seed(struct ion_host *h)
{
	struct ion_header *hdr = h->win;

	memset(hdr, 0, ION_HEADER_SIZE);
	hdr->magic = h->spec.corrupt_magic ? ~ION_MAGIC : ION_MAGIC;
	hdr->abi_major = ION_ABI_MAJOR;
	hdr->abi_minor = ION_ABI_MINOR;
	hdr->window_size = h->size;
	hdr->header_size = ION_HEADER_SIZE;
	hdr->nr_valves = h->nr_valves;
	hdr->features = ION_F_EVENT_IDX;
	hdr->doorbell_gpa = h->spec.doorbell_gpa;
	hdr->doorbell_size = ION_DOORBELL_SIZE;
	for (unsigned i = 0; i < h->nr_valves; i++) {
		struct ion_hvalve *v = h->valves[i];

		hdr->valves[i] = v->desc;
		for (unsigned q = 0; q < v->desc.nr_queues; q++) {
			ion_queue_bind(h, &v->q[q]);
			ring_init(v->q[q].sq, h->spec.ring_start);
			ring_init(v->q[q].cq, h->spec.ring_start);
		}
	}
	__atomic_store_n(&hdr->host_state, ION_HOST_READY, __ATOMIC_RELEASE);
}

/* Points a queue at its rings, from the private descriptor only. */
void ion_queue_bind(struct ion_host *h, struct ion_hq *q)
{
	const struct ion_queue *d = &q->v->desc.queues[q->q];

	q->entries = d->entries;
	q->sq = (struct ion_ring *)((char *)h->win + d->sq_off);
	q->cq = (struct ion_ring *)((char *)h->win + d->cq_off);
	q->sqes = (struct ion_sqe *)(q->sq + 1);
	q->cqes = (struct ion_cqe *)(q->cq + 1);
}
