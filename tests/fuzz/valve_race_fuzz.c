// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the window mutated by a guest *while* the running
 * service thread (ion_host_start()) serves it. The fuzzing thread is the
 * guest (and, for the commands that call the host's API, the VMM's control
 * thread); the cell has a file-backed block valve, a null block valve, a
 * null net valve and an input valve. The input is a little program:
 *
 *   'W' region off16 len8 bytes   raw bytes into the header (descriptors,
 *                                 guest_features) or a ring (indices, entries)
 *   'S' valve queue sqe[32]       one entry at the guest's next SQ slot
 *                                 (data_off modulo the data area when the
 *                                 flags' top bit is set), prod bumped, the
 *                                 doorbell rung
 *   'P' valve queue u32           the SQ's prod set to it, doorbell rung
 *   'C' valve queue u32 u32       the CQ's cons and event set
 *   'R' valve queue               the guest consumes every completion
 *   'D' valve queue               the queue's doorbell rung
 *   'B' valve kind u8 u8 u8       ion_host_set_budget(): size 2^(a % 41) - 1
 *                                 (0: off), burst b * 4 KiB, refill c ms
 *   'I' type16 code16 value32     ion_host_input_inject()
 *   'T'                           ion_host_stats() of every valve
 *   'Q' u8                        ion_host_request() (shutdown's word)
 *   anything else                 the guest yields to the host
 *
 * The W, S, R and I commands are valve_fuzz's, so its seeds start this
 * corpus too. After the program the host is stopped (which must not fail
 * or time out: the guest cannot make the thread die or hang), reset and
 * its budgets cleared, so every input starts from a freshly seeded window.
 *
 * Built with ThreadSanitizer and UBSan. The guest's plain accesses to the
 * window race with the host's by design (shared memory); they are all in
 * the fuzz_guest_* functions, which valve_race.tsan.supp suppresses. Any
 * other race, between host threads on host-private state, is reported and
 * fails the run.
 */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

#define NOINLINE __attribute__((noinline))

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
	/* tmpfs: the stop's fdatasync costs nothing, and ZERO_RANGE falls back */
	char img[] = "/dev/shm/ion-race-XXXXXX", img2[] = "/tmp/ion-race-XXXXXX";
	char *path = img, err[256];
	int fd = mkstemp(img);

	(void)argc;
	(void)argv;
	if (fd < 0) {
		path = img2;
		fd = mkstemp(img2);
	}
	if (fd < 0 || ftruncate(fd, 1 << 20) < 0) {
		perror("ion race fuzz image");
		exit(1);
	}
	close(fd);
	memset(&s, 0, sizeof(s));
	s.size = ION_DEFAULT_SIZE;
	s.nr_blk = 2;
	s.blk[0].path = path;
	s.blk[1].null = true;
	s.blk[1].null_size = 1 << 20;
	s.net = true;
	s.net_cfg.null = true;
	s.net_cfg.mac[0] = 2;
	s.input = true;
	if (ion_host_create(&h, &s, err, sizeof(err))) {
		fprintf(stderr, "ion race fuzz: %s\n", err);
		exit(1);
	}
	unlink(path);
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

/* The host's private copy of the descriptors: the guest may scribble on its own. */
static const struct ion_queue *pick_queue(const uint8_t *p,
					  const struct ion_valve **vd,
					  unsigned *v, unsigned *q)
{
	*v = p[0] % ion_host_nr_valves(h);
	*vd = ion_host_valve(h, *v);
	*q = p[1] % (*vd)->nr_queues;
	return &(*vd)->queues[*q];
}

static void ring(unsigned v, unsigned q)
{
	uint64_t one = 1;

	if (write(ion_host_doorbell_fd(h, v, q), &one, sizeof(one)) != sizeof(one))
		abort();
}

/* ---- the guest: every plain access to the window is in these ---- */

/* 'W' at p[0]: returns the bytes the command used. */
static NOINLINE size_t fuzz_guest_write(const uint8_t *p, size_t size)
{
	const struct region *r = &regions[p[1] % nr_regions];
	uint64_t off = (p[2] | p[3] << 8) % r->len;
	size_t len = p[4];

	len = len > size - 5 ? size - 5 : len;
	len = len > r->len - off ? r->len - off : len;
	memcpy(win + r->off + off, p + 5, len);
	return 5 + len;
}

static NOINLINE void fuzz_guest_put_sqe(const uint8_t *p)
{
	const struct ion_valve *vd;
	unsigned v, q;
	const struct ion_queue *qd = pick_queue(p, &vd, &v, &q);
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
	ring(v, q);
}

static NOINLINE void fuzz_guest_indices(const uint8_t *p, bool cq)
{
	const struct ion_valve *vd;
	unsigned v, q;
	const struct ion_queue *qd = pick_queue(p, &vd, &v, &q);
	struct ion_ring *r = (struct ion_ring *)(win + (cq ? qd->cq_off : qd->sq_off));
	uint32_t a, b;

	memcpy(&a, p + 2, 4);
	if (!cq) {
		__atomic_store_n(&r->prod, a, __ATOMIC_RELEASE);
		ring(v, q);
		return;
	}
	memcpy(&b, p + 6, 4);
	__atomic_store_n(&r->cons, a, __ATOMIC_RELEASE);
	__atomic_store_n(&r->event, b, __ATOMIC_RELEASE);
}

static NOINLINE void fuzz_guest_consume(const uint8_t *p)
{
	const struct ion_valve *vd;
	unsigned v, q;
	const struct ion_queue *qd = pick_queue(p, &vd, &v, &q);
	struct ion_ring *cq = (struct ion_ring *)(win + qd->cq_off);

	__atomic_store_n(&cq->cons, __atomic_load_n(&cq->prod, __ATOMIC_ACQUIRE),
			 __ATOMIC_RELEASE);
	/* a guest that consumed asks for the next interrupt, then kicks */
	__atomic_store_n(&cq->event, __atomic_load_n(&cq->cons, __ATOMIC_RELAXED),
			 __ATOMIC_RELAXED);
}

/* ---- the VMM's other threads: the host's thread-safe API ---- */

static void control_budget(const uint8_t *p)
{
	unsigned v = p[0] % ion_host_nr_valves(h);
	struct ion_bucket_cfg b = { 0, 0, 0 };
	unsigned bits = p[2] % 41;

	if (bits) {
		b.size = (1ULL << bits) - 1;
		b.one_time_burst = (uint64_t)p[3] * 4096;
		b.refill_ms = p[4] ? p[4] : 1;
	}
	/* the input valve has no budget: -EOPNOTSUPP is the answer */
	ion_host_set_budget(h, v, p[1] & 1 ? ION_BUDGET_OPS : ION_BUDGET_BW, &b);
}

static void control_stats(void)
{
	struct ion_valve_stats st;
	struct ion_budget b;

	for (unsigned v = 0; v < ion_host_nr_valves(h); v++) {
		if (ion_host_stats(h, v, &st))
			abort();
		if (st.broken != (st.error != 0))
			abort();	/* a broken valve says why, and only then */
		ion_host_get_budget(h, v, &b);
	}
}

static void clear_budgets(void)
{
	static const struct ion_bucket_cfg off = { 0, 0, 0 };

	for (unsigned v = 0; v < ion_host_nr_valves(h); v++) {
		ion_host_set_budget(h, v, ION_BUDGET_BW, &off);
		ion_host_set_budget(h, v, ION_BUDGET_OPS, &off);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int rc;

	if (ion_host_start(h))
		abort();
	while (size) {
		size_t used = 1;

		switch (data[0]) {
		case 'W':
			if (size >= 5)
				used = fuzz_guest_write(data, size);
			break;
		case 'S':
			if (size >= 3 + sizeof(struct ion_sqe)) {
				fuzz_guest_put_sqe(data + 1);
				used = 3 + sizeof(struct ion_sqe);
			}
			break;
		case 'P':
			if (size >= 7) {
				fuzz_guest_indices(data + 1, false);
				used = 7;
			}
			break;
		case 'C':
			if (size >= 11) {
				fuzz_guest_indices(data + 1, true);
				used = 11;
			}
			break;
		case 'R':
			if (size >= 3) {
				fuzz_guest_consume(data + 1);
				used = 3;
			}
			break;
		case 'D':
			if (size >= 3) {
				const struct ion_valve *vd;
				unsigned v, q;

				pick_queue(data + 1, &vd, &v, &q);
				ring(v, q);
				used = 3;
			}
			break;
		case 'B':
			if (size >= 6) {
				control_budget(data + 1);
				used = 6;
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
		case 'T':
			control_stats();
			break;
		case 'Q':
			if (size >= 2) {
				ion_host_request(h, data[1]);
				used = 2;
			}
			break;
		default:
			sched_yield();
			break;
		}
		data += used;
		size -= used;
	}
	/* The guest cannot make the thread fail, nor the stop time out. */
	rc = ion_host_stop(h);
	if (rc) {
		fprintf(stderr, "ion race fuzz: stop: %s\n", strerror(-rc));
		abort();
	}
	if (ion_host_reset(h))
		abort();
	clear_budgets();
	if (((struct ion_header *)win)->magic != ION_MAGIC)
		abort();
	return 0;
}
