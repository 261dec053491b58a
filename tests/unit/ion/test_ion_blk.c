// SPDX-License-Identifier: GPL-2.0
/*
 * Block valve against a real image file: every opcode, read-only images,
 * O_DIRECT, graceful stop, and a simulated guest thread moving data through
 * the running service thread while the test checks the file's bytes.
 */
#include "../nc_check.h"
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sys/stat.h>

#include "sim_guest.h"
#include "testutil.h"

#define IMG_SIZE	(8u << 20)

static char img[256];
static struct ion_host *h;
static struct sim_guest g;
static struct sim_q q;

static void setup(void)
{
	make_image(img, sizeof(img), IMG_SIZE);
}

static void teardown(void)
{
	unlink(img);
}

static void open_blk(bool ro, bool direct)
{
	struct ion_host_spec s = default_spec(img);

	s.blk[0].readonly = ro;
	s.blk[0].direct = direct;
	h = create_ok(&s);
	ck_assert_int_eq(sim_guest_bind(&g, ion_host_window(h), s.size, true), 0);
	ck_assert_int_eq(sim_queue(&g, 0, 0, ion_host_doorbell_fd(h, 0, 0),
				   ion_host_irq_fd(h, 0), &q), 0);
}

static uint8_t *slot(uint32_t tag)
{
	return sim_ptr(&g, q.valve->data_off + (uint64_t)tag *
		       q.valve->config.blk.slot_size);
}

/* One request through the host in poll mode; returns its completion. */
static struct ion_cqe req(uint16_t op, uint16_t flags, uint64_t sector,
			  uint32_t len, uint32_t tag)
{
	struct ion_sqe e = {
		.opcode = op, .flags = flags, .len = len, .off = sector,
		.data_off = q.valve->data_off + (uint64_t)tag *
			    q.valve->config.blk.slot_size,
		.id = 0x1000 + tag,
	};
	struct ion_cqe c;

	ck_assert_int_eq(sim_submit(&q, &e), 0);
	for (int i = 0; i < 100 && !sim_reap(&q, &c); i++)
		ck_assert_int_ge(ion_host_poll(h, 100), 0);
	ck_assert_uint_eq(c.id, 0x1000 + tag);
	return c;
}

static void file_read(void *buf, size_t len, off_t off)
{
	int fd = open(img, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, buf, len, off), (ssize_t)len);
	close(fd);
}

static void file_fill(uint8_t byte, size_t len, off_t off)
{
	static uint8_t buf[1 << 20];
	int fd = open(img, O_WRONLY);

	memset(buf, byte, len);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, buf, len, off), (ssize_t)len);
	close(fd);
}

static void pattern(uint8_t *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + seed * 13 + (i >> 9));
}

START_TEST(write_read_file)
{
	static uint8_t want[128 << 10], got[128 << 10];
	struct ion_cqe c;

	open_blk(false, false);
	pattern(slot(0), sizeof(want), 1);
	memcpy(want, slot(0), sizeof(want));
	c = req(ION_OP_BLK_WRITE, 0, 100, sizeof(want), 0);
	ck_assert_int_eq(c.status, 0);
	ck_assert_uint_eq(c.len, sizeof(want));
	file_read(got, sizeof(got), 100 * 512);
	ck_assert_mem_eq(got, want, sizeof(want));
	/* and back through another slot */
	memset(slot(5), 0, sizeof(want));
	c = req(ION_OP_BLK_READ, 0, 100, sizeof(want), 5);
	ck_assert_int_eq(c.status, 0);
	ck_assert_mem_eq(slot(5), want, sizeof(want));
	/* FUA write, then flush */
	pattern(slot(1), 4096, 2);
	ck_assert_int_eq(req(ION_OP_BLK_WRITE, ION_SQE_F_FUA, 0, 4096, 1).status, 0);
	file_read(got, 4096, 0);
	ck_assert_mem_eq(got, slot(1), 4096);
	c = req(ION_OP_BLK_FLUSH, 0, 0, 0, 2);
	ck_assert_int_eq(c.status, 0);
	ck_assert_uint_eq(c.len, 0);
	/* the last sector is readable, one past it is not */
	ck_assert_int_eq(req(ION_OP_BLK_READ, 0, IMG_SIZE / 512 - 1, 512, 3).status, 0);
	ck_assert_int_eq(req(ION_OP_BLK_READ, 0, IMG_SIZE / 512, 512, 3).status,
			 -EINVAL);
	ion_host_destroy(h);
}
END_TEST

START_TEST(discard_and_write_zeroes)
{
	static uint8_t got[1 << 20], zero[1 << 20];
	struct stat before, after;
	int fd;

	open_blk(false, false);
	file_fill(0xaa, 1 << 20, 0);
	file_fill(0xbb, 1 << 20, 1 << 20);
	fd = open(img, O_RDONLY);
	ck_assert_int_eq(fsync(fd), 0);	/* allocate blocks before stat */
	close(fd);
	ck_assert_int_eq(stat(img, &before), 0);
	ck_assert_int_eq(req(ION_OP_BLK_DISCARD, 0, 0, 1 << 20, 0).status, 0);
	file_read(got, 1 << 20, 0);
	ck_assert_mem_eq(got, zero, 1 << 20);
	ck_assert_int_eq(stat(img, &after), 0);
	ck_assert_int_lt(after.st_blocks, before.st_blocks);	/* a real hole */
	ck_assert_uint_eq(after.st_size, IMG_SIZE);		/* KEEP_SIZE */

	ck_assert_int_eq(req(ION_OP_BLK_WRITE_ZEROES, 0, 2048 + 8, 8192, 0).status, 0);
	file_read(got, 1 << 20, 1 << 20);
	ck_assert_mem_eq(got + 4096, zero, 8192);
	ck_assert_uint_eq(got[4095], 0xbb);
	ck_assert_uint_eq(got[4096 + 8192], 0xbb);
	/* a range past the end is refused without touching the file */
	ck_assert_int_eq(req(ION_OP_BLK_DISCARD, 0, IMG_SIZE / 512 - 8, 8192, 0).status,
			 -EINVAL);
	ion_host_destroy(h);
}
END_TEST

START_TEST(readonly_refuses_writes)
{
	static uint8_t got[4096];
	struct ion_valve_stats st;

	file_fill(0x5a, 4096, 0);
	open_blk(true, false);
	ck_assert_uint_ne(q.valve->config.blk.flags & ION_BLK_F_RO, 0);
	memset(slot(0), 0x11, 4096);
	ck_assert_int_eq(req(ION_OP_BLK_WRITE, 0, 0, 4096, 0).status, -EROFS);
	ck_assert_int_eq(req(ION_OP_BLK_DISCARD, 0, 0, 4096, 0).status, -EROFS);
	ck_assert_int_eq(req(ION_OP_BLK_WRITE_ZEROES, 0, 0, 4096, 0).status, -EROFS);
	ck_assert_int_eq(req(ION_OP_BLK_FLUSH, 0, 0, 0, 0).status, 0);
	ck_assert_int_eq(req(ION_OP_BLK_READ, 0, 0, 4096, 0).status, 0);
	ck_assert_uint_eq(slot(0)[0], 0x5a);
	file_read(got, 4096, 0);
	ck_assert_uint_eq(got[100], 0x5a);
	ion_host_stats(h, 0, &st);
	ck_assert_uint_eq(st.requests, 5);
	ck_assert_uint_eq(st.errors, 3);
	ck_assert_uint_eq(st.bytes, 4096);
	ion_host_destroy(h);
}
END_TEST

START_TEST(direct_io)
{
	static uint8_t got[8192];
	struct ion_host_spec s = default_spec(img);
	char err[256];

	s.blk[0].direct = true;
	if (ion_host_create(&h, &s, err, sizeof(err)) == -EINVAL &&
	    strstr(err, "O_DIRECT")) {
		fprintf(stderr, "direct_io: %s; not checked\n", err);
		return;
	}
	ion_host_destroy(h);
	open_blk(false, true);
	ck_assert_uint_eq(q.valve->config.blk.logical_block_size, 4096);
	pattern(slot(2), 8192, 3);
	ck_assert_int_eq(req(ION_OP_BLK_WRITE, 0, 16, 8192, 2).status, 0);
	file_read(got, 8192, 16 * 512);
	ck_assert_mem_eq(got, slot(2), 8192);
	/* not aligned to the 4096-byte logical block */
	ck_assert_int_eq(req(ION_OP_BLK_READ, 0, 1, 4096, 0).status, -EINVAL);
	ck_assert_int_eq(req(ION_OP_BLK_READ, 0, 0, 512, 0).status, -EINVAL);
	ion_host_destroy(h);
}
END_TEST

/* Stop completes what is in flight and leaves the data on disk. */
START_TEST(stop_completes_inflight)
{
	static uint8_t got[4096];
	struct ion_header *hd;
	struct ion_cqe c;

	open_blk(false, false);
	hd = ion_host_window(h);
	ck_assert_int_eq(ion_host_start(h), 0);
	ck_assert_int_eq(ion_host_start(h), -EBUSY);
	for (uint32_t t = 0; t < q.entries; t++) {
		memset(slot(t), t + 1, 4096);
		ck_assert_int_eq(sim_submit(&q, &(struct ion_sqe){
			.opcode = ION_OP_BLK_WRITE, .len = 4096, .off = t * 8,
			.data_off = slot(t) - (uint8_t *)g.win, .id = t }), 0);
	}
	/* wait until the host took them all, then stop at once */
	for (int i = 0; i < 2000 && q.sq->cons != q.sq_prod; i++)
		usleep(500);
	ck_assert_int_eq(ion_host_stop(h), 0);
	ck_assert_uint_eq(hd->host_state, ION_HOST_STOPPING);
	for (uint32_t t = 0; t < q.entries; t++) {
		ck_assert_int_eq(sim_reap(&q, &c), 1);
		ck_assert_int_eq(c.status, 0);
	}
	for (uint32_t t = 0; t < q.entries; t++) {
		file_read(got, 4096, t * 4096);
		ck_assert_uint_eq(got[0], t + 1);
		ck_assert_uint_eq(got[4095], t + 1);
	}
	/* after stop no new request is taken */
	ck_assert_int_eq(sim_submit(&q, &(struct ion_sqe){
		.opcode = ION_OP_BLK_FLUSH, .id = 99 }), 0);
	ck_assert_int_eq(ion_host_poll(h, 10), 0);
	ck_assert_int_eq(sim_reap(&q, &c), 0);
	ion_host_destroy(h);
}
END_TEST

/*
 * The simulated guest: a thread that keeps the queue full of random
 * writes (a shadow copy records what the disk must hold), then reads the
 * whole disk back, all through the running service thread.
 */
#define GUEST_WRITES	3000
#define DISK_BLOCKS	(IMG_SIZE / 4096)

static uint8_t shadow[IMG_SIZE];

struct guest_run {
	unsigned errors, done;
	uint64_t seed;
};

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static void *guest_thread(void *arg)
{
	struct guest_run *r = arg;
	uint32_t inflight = 0, next = 0, free_tags[64], nfree = 0;
	uint32_t blocks[64];
	struct ion_cqe c;

	for (uint32_t t = 0; t < q.entries; t++)
		free_tags[nfree++] = t;
	/* phase 1: random writes of 1..8 blocks; one writer per block range */
	while (r->done < GUEST_WRITES) {
		while (nfree && next < GUEST_WRITES) {
			uint32_t t = free_tags[--nfree];
			uint32_t n = 1 + rnd(&r->seed) % 8;
			uint32_t b = (t * (DISK_BLOCKS / 64)) +
				     rnd(&r->seed) % (DISK_BLOCKS / 64 - n);
			struct ion_sqe e = {
				.opcode = ION_OP_BLK_WRITE, .len = n * 4096,
				.off = b * 8ULL, .id = t,
				.data_off = slot(t) - (uint8_t *)g.win,
			};

			pattern(slot(t), e.len, next);
			memcpy(shadow + b * 4096ULL, slot(t), e.len);
			blocks[t] = b;
			if (sim_submit(&q, &e)) {
				r->errors++;
				return NULL;
			}
			inflight++;
			next++;
		}
		if (sim_wait(&q, &c, 5000) != 1) {
			r->errors++;
			return NULL;
		}
		if (c.status || c.id >= q.entries)
			r->errors++;
		free_tags[nfree++] = c.id;
		inflight--;
		r->done++;
	}
	(void)blocks;
	/* phase 2: read the disk back, 128 KiB at a time, in 4 tags */
	for (uint64_t off = 0; off < IMG_SIZE; off += 4 * (128 << 10)) {
		for (uint32_t t = 0; t < 4; t++) {
			struct ion_sqe e = {
				.opcode = ION_OP_BLK_READ, .len = 128 << 10,
				.off = (off + t * (128 << 10)) / 512, .id = t,
				.data_off = slot(t) - (uint8_t *)g.win,
			};

			if (sim_submit(&q, &e))
				r->errors++;
		}
		for (uint32_t t = 0; t < 4; t++) {
			if (sim_wait(&q, &c, 5000) != 1 || c.status) {
				r->errors++;
				return NULL;
			}
			if (memcmp(slot(c.id), shadow + off + c.id * (128 << 10),
				   128 << 10))
				r->errors++;
		}
	}
	return NULL;
}

START_TEST(guest_thread_real_file)
{
	static uint8_t file[IMG_SIZE];
	struct guest_run run = { .seed = 42 };
	struct ion_valve_stats st;
	pthread_t t;

	memset(shadow, 0, sizeof(shadow));
	open_blk(false, false);
	ck_assert_int_eq(ion_host_start(h), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, guest_thread, &run), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(ion_host_stop(h), 0);
	ck_assert_uint_eq(run.errors, 0);
	ck_assert_uint_eq(run.done, GUEST_WRITES);
	file_read(file, IMG_SIZE, 0);
	ck_assert_msg(!memcmp(file, shadow, IMG_SIZE), "file differs from shadow");
	ion_host_stats(h, 0, &st);
	ck_assert_uint_eq(st.requests, GUEST_WRITES + IMG_SIZE / (128 << 10));
	ck_assert_uint_eq(st.errors, 0);
	ck_assert_uint_gt(st.doorbells, 0);
	ck_assert_uint_gt(st.interrupts, 0);
	/* suppression at work: far fewer doorbells than requests */
	ck_assert_uint_lt(q.doorbells, st.requests);
	ion_host_destroy(h);
}
END_TEST

/* ion_host_create() on spec fails with -EBUSY and a message containing want. */
static void create_busy(const struct ion_host_spec *s, const char *want)
{
	struct ion_host *h2 = (void *)1;
	char err[512] = "";

	ck_assert_int_eq(ion_host_create(&h2, s, err, sizeof(err)), -EBUSY);
	ck_assert_ptr_null(h2);
	ck_assert_msg(strstr(err, want), "error \"%s\" lacks \"%s\"", err, want);
}

/* Images are locked (OFD locks): shared read-only, exclusive read-write. */
START_TEST(image_locks)
{
	struct ion_host_spec rw = default_spec(img), ro = default_spec(img);
	struct ion_host *a, *b;
	char want[512];

	ro.blk[0].readonly = true;
	snprintf(want, sizeof(want),
		 "blk[0] %s: locked by another process (is another cell or tool using it?)",
		 img);
	/* rw + rw: refused until the first host is gone */
	a = create_ok(&rw);
	create_busy(&rw, want);
	create_busy(&ro, want);		/* rw + ro */
	ion_host_destroy(a);
	b = create_ok(&rw);
	ion_host_destroy(b);
	/* ro + ro: both; ro + rw: refused */
	a = create_ok(&ro);
	b = create_ok(&ro);
	create_busy(&rw, want);
	ion_host_destroy(a);
	create_busy(&rw, want);		/* b still holds it */
	ion_host_destroy(b);
	b = create_ok(&rw);
	ion_host_destroy(b);
	/* one cell with the image twice, writable: refused, with its own words */
	rw.nr_blk = 2;
	rw.blk[1].path = img;
	create_busy(&rw, "blk[1] ");
	create_busy(&rw, ": the same image as blk[0], and not both read-only");
	ro.nr_blk = 2;
	ro.blk[1] = ro.blk[0];
	ion_host_destroy(create_ok(&ro));
}
END_TEST

/* A service thread that dies says so: fail_fd, its error, broken valves. */
START_TEST(thread_failure_reported)
{
	struct ion_host_spec s = default_spec(img);
	struct pollfd p;
	struct ion_valve_stats st;
	struct ion_header *hd;
	uint64_t n;

	s.fail_thread = -EOWNERDEAD;
	h = create_ok(&s);
	hd = ion_host_window(h);
	p = (struct pollfd){ .fd = ion_host_fail_fd(h), .events = POLLIN };
	ck_assert_int_ge(p.fd, 0);
	ck_assert_int_eq(poll(&p, 1, 0), 0);		/* not before */
	ck_assert_int_eq(ion_host_thread_error(h), 0);
	ck_assert_int_eq(ion_host_start(h), 0);
	ck_assert_int_eq(poll(&p, 1, 1000), 1);
	ck_assert_int_eq(read(p.fd, &n, sizeof(n)), sizeof(n));
	ck_assert_int_eq(ion_host_thread_error(h), -EOWNERDEAD);
	/* the guest sees it: the host stops and every valve is broken */
	ck_assert_uint_eq(hd->host_state, ION_HOST_STOPPING);
	for (unsigned v = 0; v < ion_host_nr_valves(h); v++) {
		ck_assert_uint_eq(hd->valves[v].status, ION_VALVE_S_BROKEN);
		ck_assert_uint_eq(hd->valves[v].error, ION_ERR_HOST);
		ck_assert_int_eq(ion_host_stats(h, v, &st), 0);
		ck_assert_int_eq(st.broken, 1);
		ck_assert_uint_eq(st.error, ION_ERR_HOST);
	}
	ck_assert_int_eq(ion_host_input_inject(h, 1, 30, 1), -EIO);
	/* stop joins the dead thread and says why it died */
	ck_assert_int_eq(ion_host_stop(h), -EOWNERDEAD);
	ion_host_destroy(h);
}
END_TEST

/* A stop is not a failure: fail_fd stays quiet. */
START_TEST(stop_is_not_a_failure)
{
	struct pollfd p;

	open_blk(false, false);
	p = (struct pollfd){ .fd = ion_host_fail_fd(h), .events = POLLIN };
	ck_assert_int_eq(ion_host_start(h), 0);
	ck_assert_int_eq(ion_host_stop(h), 0);
	ck_assert_int_eq(poll(&p, 1, 0), 0);
	ck_assert_int_eq(ion_host_thread_error(h), 0);
	ion_host_destroy(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ion_blk");
	TCase *tc = tcase_create("blk");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, write_read_file);
	tcase_add_test(tc, discard_and_write_zeroes);
	tcase_add_test(tc, readonly_refuses_writes);
	tcase_add_test(tc, direct_io);
	tcase_add_test(tc, stop_completes_inflight);
	tcase_add_test(tc, guest_thread_real_file);
	tcase_add_test(tc, image_locks);
	tcase_add_test(tc, thread_failure_reported);
	tcase_add_test(tc, stop_is_not_a_failure);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
