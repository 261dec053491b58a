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

/* Ring geometry and data-area size of a valve of type t (config is set). */
static void valve_shape(struct ion_valve *d, uint32_t *entries,
			uint64_t *data)
{
	switch (d->type) {
	case ION_VALVE_BLK:
		d->nr_queues = 1;
		*entries = ION_BLK_ENTRIES;
		*data = (uint64_t)ION_BLK_ENTRIES * d->config.blk.slot_size;
		break;
	case ION_VALVE_NET:
		d->nr_queues = 2;
		*entries = ION_NET_ENTRIES;
		*data = 2ULL * ION_NET_ENTRIES * d->config.net.buf_size;
		break;
	default:
		d->nr_queues = 1;
		*entries = ION_INPUT_ENTRIES;
		*data = 0;
		break;
	}
}

static const char *mib(uint64_t b, char *buf, size_t n)
{
	if (b % (1024 * 1024) == 0)
		snprintf(buf, n, "%llu MiB", (unsigned long long)(b >> 20));
	else
		snprintf(buf, n, "%.1f MiB", b / 1048576.0);
	return buf;
}

/*
 * Assigns offsets to every valve descriptor (type and config already set)
 * and checks that they fit the window.
 */
int ion_layout(struct ion_host *h, char *err, size_t errlen)
{
	uint64_t off = ION_HEADER_SIZE;
	unsigned nblk = 0;
	char a[32], b[32];

	for (unsigned i = 0; i < h->nr_valves; i++) {
		struct ion_valve *d = &h->valves[i]->desc;
		uint32_t entries;
		uint64_t data;

		valve_shape(d, &entries, &data);
		d->irq = i;
		if (d->type == ION_VALVE_BLK)
			nblk++;
		for (unsigned q = 0; q < d->nr_queues; q++) {
			struct ion_queue *rq = &d->queues[q];

			rq->entries = entries;
			rq->sqe_size = sizeof(struct ion_sqe);
			rq->cqe_size = sizeof(struct ion_cqe);
			rq->doorbell = (i * ION_MAX_QUEUES + q) *
				       ION_DOORBELL_STRIDE;
			rq->sq_off = off;
			off = align_up(off + ion_ring_bytes(entries, rq->sqe_size));
			rq->cq_off = off;
			off = align_up(off + ion_ring_bytes(entries, rq->cqe_size));
		}
		d->data_size = data;
	}
	for (unsigned i = 0; i < h->nr_valves; i++) {
		struct ion_valve *d = &h->valves[i]->desc;

		if (!d->data_size)
			continue;
		d->data_off = off;
		off = align_up(off + d->data_size);
	}
	if (off > h->size)
		return nc_errf(-ENOSPC, err, errlen,
				"ion window %s too small for %u block valve%s%s%s: needs %s",
				mib(h->size, a, sizeof(a)), nblk,
				nblk == 1 ? "" : "s",
				h->spec.net ? ", net" : "",
				h->spec.input ? ", input" : "",
				mib(off, b, sizeof(b)));
	return 0;
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
