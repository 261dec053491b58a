// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: arbitrary window contents against the host's request
 * handling. The input is a little program over the window of a cell with a
 * file-backed block valve, a null block valve, a null net valve and an
 * input valve:
 *
 *   'W' region off16 len8 bytes   raw bytes into the header or a ring
 *   'S' valve queue sqe[32]       one entry at the guest's next SQ slot,
 *                                 data_off taken modulo the data area when
 *                                 the flags' top bit is set, prod bumped
 *   'R' valve queue               the guest consumes every completion
 *   'I' type16 code16 value32     ion_host_input_inject()
 *   anything else                 one service pass
 *
 * After the program the host drains and resets, so every input starts from
 * a freshly seeded window. Built with ASan and UBSan; the window has guard
 * pages on both sides, so a host access outside it faults.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

static struct ion_host *h;
static uint8_t *win;

struct region {
	uint64_t off, len;
};

static struct region regions[1 + ION_MAX_VALVES * ION_MAX_QUEUES * 2];
static unsigned nr_regions;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct ion_host_spec s;
	char img[] = "/tmp/ion-fuzz-XXXXXX", err[256];
	int fd = mkstemp(img);

	(void)argc;
	(void)argv;
	if (fd < 0 || ftruncate(fd, 1 << 20) < 0) {
		perror("ion fuzz image");
		exit(1);
	}
	close(fd);
	memset(&s, 0, sizeof(s));
	s.size = ION_DEFAULT_SIZE;
	s.nr_blk = 2;
	s.blk[0].path = img;
	s.blk[1].null = true;
	s.blk[1].null_size = 1 << 20;
	s.net = true;
	s.net_cfg.null = true;
	s.net_cfg.mac[0] = 2;
	s.input = true;
	if (ion_host_create(&h, &s, err, sizeof(err))) {
		fprintf(stderr, "ion fuzz: %s\n", err);
		exit(1);
	}
	unlink(img);
	win = ion_host_window(h);
	regions[nr_regions++] = (struct region){ 0, sizeof(struct ion_header) };
	for (unsigned v = 0; v < ion_host_nr_valves(h); v++) {
		const struct ion_valve *d = ion_host_valve(h, v);

		for (unsigned q = 0; q < d->nr_queues; q++) {
			const struct ion_queue *qd = &d->queues[q];

			regions[nr_regions++] = (struct region){
				qd->sq_off, ion_ring_bytes(qd->entries, qd->sqe_size) };
			regions[nr_regions++] = (struct region){
				qd->cq_off, ion_ring_bytes(qd->entries, qd->cqe_size) };
		}
	}
	return 0;
}

static const struct ion_queue *pick_queue(const uint8_t *p,
					  const struct ion_valve **vd)
{
	*vd = ion_host_valve(h, p[0] % ion_host_nr_valves(h));
	return &(*vd)->queues[p[1] % (*vd)->nr_queues];
}

static void put_sqe(const uint8_t *p)
{
	const struct ion_valve *vd;
	const struct ion_queue *qd = pick_queue(p, &vd);
	struct ion_ring *sq = (struct ion_ring *)(win + qd->sq_off);
	struct ion_sqe e;
	uint32_t prod = __atomic_load_n(&sq->prod, __ATOMIC_RELAXED);

	memcpy(&e, p + 2, sizeof(e));
	if ((e.flags & 0x8000) && vd->data_size) {
		e.flags &= 0x7fff;
		e.data_off = vd->data_off + e.data_off % vd->data_size;
		e.len %= 256 * 1024;
	}
	memcpy(win + ion_ring_entry_off(qd->sq_off, qd->entries, qd->sqe_size,
					prod), &e, sizeof(e));
	__atomic_store_n(&sq->prod, prod + 1, __ATOMIC_RELEASE);
}

static void consume(const uint8_t *p)
{
	const struct ion_valve *vd;
	const struct ion_queue *qd = pick_queue(p, &vd);
	struct ion_ring *cq = (struct ion_ring *)(win + qd->cq_off);

	__atomic_store_n(&cq->cons, __atomic_load_n(&cq->prod, __ATOMIC_ACQUIRE),
			 __ATOMIC_RELEASE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	while (size) {
		size_t used = 1;

		switch (data[0]) {
		case 'W':
			if (size >= 5) {
				const struct region *r = &regions[data[1] % nr_regions];
				uint64_t off = (data[2] | data[3] << 8) % r->len;
				size_t len = data[4];

				len = len > size - 5 ? size - 5 : len;
				len = len > r->len - off ? r->len - off : len;
				memcpy(win + r->off + off, data + 5, len);
				used = 5 + len;
			}
			break;
		case 'S':
			if (size >= 3 + sizeof(struct ion_sqe)) {
				put_sqe(data + 1);
				used = 3 + sizeof(struct ion_sqe);
			}
			break;
		case 'R':
			if (size >= 3) {
				consume(data + 1);
				used = 3;
			}
			break;
		case 'I':
			if (size >= 9) {
				int32_t value;

				memcpy(&value, data + 5, 4);
				ion_host_input_inject(h, data[1] | data[2] << 8,
						      data[3] | data[4] << 8, value);
				used = 9;
			}
			break;
		default:
			if (ion_host_poll(h, 0) < 0)
				abort();
			break;
		}
		data += used;
		size -= used;
	}
	for (int i = 0; i < 1000 && ion_host_poll(h, 100) > 0; i++)
		;
	if (ion_host_reset(h))
		abort();	/* in-flight I/O that never finished: a hang */
	if (((struct ion_header *)win)->magic != ION_MAGIC)
		abort();
	return 0;
}
