// SPDX-License-Identifier: GPL-2.0
/*
 * valve-bench: the block valve against a plain io_uring loop on the same
 * file (4 KiB random read, 4 KiB sequential write, queue depth 32), and the
 * request rate of a null block valve per host core. The guest is a thread
 * of this program (tests/unit/ion/sim_guest.c); the host is ion_host's
 * service thread. Ends with one "name: value" line per figure.
 *
 *   valve-bench [-t seconds-per-phase] [-r rounds] [-s file-MiB] [-d] [-f dir]
 *
 * -t: time per measured phase (default 1 s), split into -r alternating
 * rounds (default 5); -s: file size (default 256 MiB); -d: O_DIRECT for
 * both the plain loop and the valve; -f: where the file goes ($TMPDIR or
 * /var/tmp).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

#include "sim_guest.h"

#define QD	32
#define BS	4096

static double seconds = 1.0;
static int rounds = 5;
static uint64_t file_size = 256ULL << 20;
static bool direct;
static char path[512];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_of(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double process_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "valve-bench: %s: %s\n", what, strerror(err));
	exit(1);
}

/* A file of file_size bytes of non-zero data, in the page cache. */
static void make_file(const char *dir)
{
	static char buf[1 << 20];
	int fd;

	snprintf(path, sizeof(path), "%s/valve-bench-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		die(path, errno);
	memset(buf, 0x5a, sizeof(buf));
	for (uint64_t off = 0; off < file_size; off += sizeof(buf))
		if (pwrite(fd, buf, sizeof(buf), off) != sizeof(buf))
			die("prefill", errno);
	fsync(fd);
	close(fd);
}

/* Plain io_uring: one thread, QD requests in flight, fixed buffers. */
static double plain_iops(bool write, double seconds)
{
	struct io_uring ring;
	struct iovec iov;
	void *bufs;
	uint64_t seed = 88172645463325252ULL, seq = 0, done = 0;
	double end;
	int fd = open(path, O_RDWR | (direct ? O_DIRECT : 0));

	if (fd < 0)
		die(path, errno);
	if (posix_memalign(&bufs, 4096, QD * BS))
		die("buffers", ENOMEM);
	memset(bufs, 0xa5, QD * BS);
	iov = (struct iovec){ bufs, QD * BS };
	/* The same setup as the valve's: fixed buffers and a fixed file. */
	if (io_uring_queue_init(QD, &ring, 0) || io_uring_register_buffers(&ring, &iov, 1) ||
	    io_uring_register_files(&ring, &fd, 1))
		die("io_uring", errno);
	end = now() + seconds;
	for (unsigned i = 0; i < QD; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		char *b = (char *)bufs + i * BS;
		uint64_t off = write ? (seq++ * BS) % file_size :
				       rnd(&seed) % (file_size / BS) * BS;

		if (write)
			io_uring_prep_write_fixed(sqe, 0, b, BS, off, 0);
		else
			io_uring_prep_read_fixed(sqe, 0, b, BS, off, 0);
		sqe->flags |= IOSQE_FIXED_FILE;
		sqe->user_data = i;
	}
	while (now() < end) {
		struct io_uring_cqe *cqe;
		unsigned head, n = 0;

		if (io_uring_submit_and_wait(&ring, 1) < 0)
			die("io_uring_submit_and_wait", errno);
		io_uring_for_each_cqe(&ring, head, cqe) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			unsigned i = cqe->user_data;
			char *b = (char *)bufs + i * BS;
			uint64_t off = write ? (seq++ * BS) % file_size :
					       rnd(&seed) % (file_size / BS) * BS;

			if (cqe->res != BS)
				die("plain I/O", -cqe->res);
			if (write)
				io_uring_prep_write_fixed(sqe, 0, b, BS, off, 0);
			else
				io_uring_prep_read_fixed(sqe, 0, b, BS, off, 0);
			sqe->flags |= IOSQE_FIXED_FILE;
			sqe->user_data = i;
			n++;
		}
		io_uring_cq_advance(&ring, n);
		done += n;
	}
	io_uring_queue_exit(&ring);
	close(fd);
	free(bufs);
	return done / seconds;
}

struct valve_run {
	double rate;		/* requests per wall second */
	double host_cpu;	/* seconds of host (service thread) CPU */
	uint64_t requests, doorbells, interrupts;
};

/* The guest keeps QD requests of op in flight through the valve. */
static struct valve_run valve(bool null, uint16_t op, bool seq_off,
			      double seconds)
{
	struct ion_host_spec s;
	struct ion_host *h;
	struct sim_guest g;
	struct sim_q q;
	struct ion_valve_stats st;
	struct valve_run r = { 0 };
	uint64_t seed = 88172645463325252ULL, seq = 0, done = 0;
	uint64_t blocks = file_size / BS;
	double end, cpu0, gcpu0;
	char err[256];
	int rc;

	memset(&s, 0, sizeof(s));
	s.size = ION_DEFAULT_SIZE;
	s.nr_blk = 1;
	s.blk[0].path = path;
	s.blk[0].direct = direct;
	s.blk[0].null = null;
	s.blk[0].null_size = file_size;
	rc = ion_host_create(&h, &s, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "valve-bench: %s\n", err);
		exit(1);
	}
	if (sim_guest_bind(&g, ion_host_window(h), s.size, true) ||
	    sim_queue(&g, 0, 0, ion_host_doorbell_fd(h, 0, 0), ion_host_irq_fd(h, 0), &q))
		die("guest bind", EPROTO);
	if (ion_host_start(h))
		die("ion_host_start", EIO);
	cpu0 = process_cpu();
	gcpu0 = cpu_of(CLOCK_THREAD_CPUTIME_ID);
	end = now() + seconds;
	for (uint32_t t = 0; t < QD && t < q.entries; t++) {
		struct ion_sqe e = { .opcode = op, .len = BS, .id = t,
				     .data_off = q.valve->data_off +
						 (uint64_t)t * q.valve->config.blk.slot_size };

		e.off = (seq_off ? seq++ % blocks : rnd(&seed) % blocks) * (BS / 512);
		sim_push(&q, &e);
	}
	sim_kick(&q);
	for (;;) {
		struct ion_cqe c;
		unsigned n = 0;
		bool stop = now() >= end;

		while (sim_reap(&q, &c)) {
			struct ion_sqe e = { .opcode = op, .len = BS, .id = c.id,
					     .data_off = q.valve->data_off + c.id *
							 (uint64_t)q.valve->config.blk.slot_size };

			if (c.status)
				die("valve I/O", -c.status);
			n++;
			if (stop)
				continue;
			e.off = (seq_off ? seq++ % blocks : rnd(&seed) % blocks) * (BS / 512);
			sim_push(&q, &e);
		}
		done += n;
		if (stop) {
			if (q.sq_prod == q.cq_cons)
				break;
		} else if (n) {
			sim_kick(&q);
			continue;
		}
		if (sim_wait(&q, &c, 5000) != 1)
			die("valve: no completion in 5 s", ETIMEDOUT);
		q.cq_cons--;	/* put it back: the loop reaps it */
		__atomic_store_n(&q.cq->cons, q.cq_cons, __ATOMIC_RELEASE);
	}
	r.rate = done / seconds;
	r.host_cpu = (process_cpu() - cpu0) - (cpu_of(CLOCK_THREAD_CPUTIME_ID) - gcpu0);
	ion_host_stop(h);
	ion_host_stats(h, 0, &st);
	r.requests = st.requests;
	r.doorbells = st.doorbells;
	r.interrupts = st.interrupts;
	ion_host_destroy(h);
	return r;
}

static void add_run(struct valve_run *sum, const struct valve_run *r, int n)
{
	sum->rate += r->rate / n;
	sum->host_cpu += r->host_cpu;
	sum->requests += r->requests;
	sum->doorbells += r->doorbells;
	sum->interrupts += r->interrupts;
}

int main(int argc, char **argv)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/var/tmp";
	struct valve_run rr, sw, nul;
	double prr, psw;
	int c;

	while ((c = getopt(argc, argv, "t:r:s:df:")) != -1) {
		switch (c) {
		case 't':
			seconds = atof(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 's':
			file_size = strtoull(optarg, NULL, 0) << 20;
			break;
		case 'd':
			direct = true;
			break;
		case 'f':
			dir = optarg;
			break;
		default:
			fprintf(stderr, "usage: valve-bench [-t seconds] [-r rounds] [-s MiB] [-d] [-f dir]\n");
			return 2;
		}
	}
	if (seconds <= 0 || seconds > 60 || rounds < 1 || rounds > 100 ||
	    file_size < (1 << 20)) {
		fprintf(stderr, "valve-bench: -t must be in (0, 60], -r in 1..100, -s at least 1\n");
		return 2;
	}
	make_file(dir);
	printf("# file %s, %llu MiB, %s, QD %d, %g s per phase\n", path,
	       (unsigned long long)(file_size >> 20), direct ? "O_DIRECT" : "page cache",
	       QD, seconds);
	/*
	 * The machine is shared: plain and valve alternate in short rounds so
	 * that load changes hit both alike. Figures are totals over rounds.
	 */
	prr = psw = 0;
	memset(&rr, 0, sizeof(rr));
	sw = nul = rr;
	for (int i = 0; i < rounds; i++) {
		double d = seconds / rounds, a, b;
		struct valve_run v;

		a = plain_iops(false, d);
		v = valve(false, ION_OP_BLK_READ, false, d);
		printf("# round %d randread plain %.0f valve %.0f ratio %.3f\n", i, a,
		       v.rate, v.rate / a);
		prr += a / rounds;
		add_run(&rr, &v, rounds);
		b = plain_iops(true, d);
		v = valve(false, ION_OP_BLK_WRITE, true, d);
		printf("# round %d seqwrite plain %.0f valve %.0f ratio %.3f\n", i, b,
		       v.rate, v.rate / b);
		psw += b / rounds;
		add_run(&sw, &v, rounds);
	}
	nul = valve(true, ION_OP_BLK_READ, false, seconds);
	unlink(path);
	printf("# valve randread: %llu requests, %llu doorbells, %llu interrupts\n",
	       (unsigned long long)rr.requests, (unsigned long long)rr.doorbells,
	       (unsigned long long)rr.interrupts);
	printf("# valve seqwrite: %llu requests, %llu doorbells, %llu interrupts\n",
	       (unsigned long long)sw.requests, (unsigned long long)sw.doorbells,
	       (unsigned long long)sw.interrupts);
	printf("# null: %llu requests, %llu doorbells, %llu interrupts, host CPU %.3f s\n",
	       (unsigned long long)nul.requests, (unsigned long long)nul.doorbells,
	       (unsigned long long)nul.interrupts, nul.host_cpu);
	printf("randread_4k_plain_iops: %.0f\n", prr);
	printf("randread_4k_valve_iops: %.0f\n", rr.rate);
	printf("randread_4k_valve_ratio: %.3f\n", rr.rate / prr);
	printf("seqwrite_4k_plain_iops: %.0f\n", psw);
	printf("seqwrite_4k_valve_iops: %.0f\n", sw.rate);
	printf("seqwrite_4k_valve_ratio: %.3f\n", sw.rate / psw);
	printf("null_requests_per_s: %.0f\n", nul.rate);
	printf("null_requests_per_s_per_host_core: %.0f\n",
	       nul.host_cpu > 0 ? nul.requests / nul.host_cpu : 0);
	return 0;
}
