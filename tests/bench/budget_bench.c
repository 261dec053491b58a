// SPDX-License-Identifier: GPL-2.0
/*
 * budget-bench: valve budgets hold a greedy guest to its budget while an
 * unthrottled valve beside it keeps its rate. One ION host, its service
 * thread, and guest threads of this program (tests/unit/ion/sim_guest.c):
 *
 *   blk0  64 KiB reads from a real file, as fast as it may, against a
 *         bandwidth budget (-b MiB/s; a bucket of 100 ms of it)
 *   net0  1514-byte TX frames on the null link, against an operations
 *         budget (-n frames/s; a bucket of 100 ms of them)
 *   blk1  4 KiB random reads from a second real file, no budget
 *
 * blk1 runs alone (-a seconds), then the three together (-t seconds), then
 * blk1 alone again; its rate beside the throttled ones is compared with the
 * mean of its two rates alone, in the same run. Ends with one "name: value"
 * line per figure (docs/valves.md, Budgets).
 *
 *   budget-bench [-t seconds] [-a seconds] [-b MiB/s] [-n frames/s]
 *                [-s file-MiB] [-f dir] [-d] [-c]
 *
 * -d: blk1 opens its file with O_DIRECT (a disk-bound rate, which depends
 * less on how often the service thread sleeps than a page-cache one).
 *
 * -c (check, for the CTest smoke run): exit 1 unless each throttled valve
 * moved within 20 % of what its budget allowed (the full bucket plus the
 * refill) and blk1 beside them kept half its rate alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

#include "sim_guest.h"

enum { V_BLK0, V_BLK1, V_NET };

#define BLK0_LEN	(64U << 10)
#define BLK1_LEN	4096U
#define FRAME_LEN	1514U
#define REFILL_MS	100U

static double seconds = 10, alone = 2, blk_mib = 32, net_fps = 20000;
static uint64_t file_size = 64ULL << 20;
static bool direct;
static char path0[512], path1[512];
static struct ion_host *h;
static struct sim_guest g;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double process_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "budget-bench: %s: %s\n", what, strerror(err));
	exit(2);
}

static void make_file(const char *dir, char *path, size_t n)
{
	static char buf[1 << 20];
	int fd;

	snprintf(path, n, "%s/budget-bench-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		die(path, errno);
	memset(buf, 0x5a, sizeof(buf));
	for (uint64_t off = 0; off < file_size; off += sizeof(buf))
		if (pwrite(fd, buf, sizeof(buf), off) != sizeof(buf))
			die("prefill", errno);
	close(fd);
}

/* A guest thread keeping one queue full for a while. */
struct greedy {
	unsigned v, q;
	uint16_t op;
	uint32_t len;
	double start, end;	/* wall clock */
	struct sim_q sq;
	uint64_t seed;
	/* results: completions inside [start + skip, end) and in all */
	double skip;
	uint64_t done, bytes, failed;
	uint64_t steady_done, steady_bytes;
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static struct ion_sqe next_sqe(struct greedy *gr, uint64_t id)
{
	const struct ion_valve *d = gr->sq.valve;
	struct ion_sqe e = { .opcode = gr->op, .len = gr->len, .id = id };
	uint32_t slot = id % gr->sq.entries;

	if (d->type == ION_VALVE_BLK) {
		uint64_t blocks = d->config.blk.capacity / (gr->len / 512);

		e.data_off = d->data_off + (uint64_t)slot * d->config.blk.slot_size;
		e.off = rnd(&gr->seed) % blocks * (gr->len / 512);
	} else {
		e.data_off = d->data_off + (uint64_t)(gr->sq.entries + slot) *
				d->config.net.buf_size;
	}
	return e;
}

static void *greedy_run(void *arg)
{
	struct greedy *gr = arg;
	uint64_t id = 0;
	struct ion_cqe c;
	double t;

	/* ids run in order; a slot is reused only after its request is done */
	for (uint32_t i = 0; i < gr->sq.entries; i++) {
		struct ion_sqe e = next_sqe(gr, id++);

		sim_push(&gr->sq, &e);
	}
	sim_kick(&gr->sq);
	while ((t = now()) < gr->end) {
		if (sim_wait(&gr->sq, &c, 20) != 1)
			continue;
		t = now();
		do {
			struct ion_sqe e;

			if (c.status) {
				gr->failed++;
			} else {
				gr->done++;
				gr->bytes += c.len;
				if (t >= gr->start + gr->skip && t < gr->end) {
					gr->steady_done++;
					gr->steady_bytes += c.len;
				}
			}
			e = next_sqe(gr, c.id + gr->sq.entries);
			sim_push(&gr->sq, &e);
		} while (sim_reap(&gr->sq, &c));
		sim_kick(&gr->sq);
	}
	return NULL;
}

static void greedy_init(struct greedy *gr, unsigned v, unsigned q, uint16_t op,
			uint32_t len, double secs, double skip)
{
	memset(gr, 0, sizeof(*gr));
	gr->v = v;
	gr->q = q;
	gr->op = op;
	gr->len = len;
	gr->seed = 88172645463325252ULL + v;
	gr->skip = skip;
	if (sim_queue(&g, v, q, ion_host_doorbell_fd(h, v, q), ion_host_irq_fd(h, v),
		      &gr->sq))
		die("guest queue", EPROTO);
	gr->start = now();
	gr->end = gr->start + secs;
}

/* blk1 alone for secs: its request rate. */
static double blk1_alone(double secs)
{
	struct greedy gr;

	greedy_init(&gr, V_BLK1, 0, ION_OP_BLK_READ, BLK1_LEN, secs, 0);
	greedy_run(&gr);
	/* let what is still in flight come back before the next phase */
	usleep(20 * 1000);
	{
		struct ion_cqe c;

		while (sim_reap(&gr.sq, &c))
			;
	}
	if (gr.failed)
		die("blk1 alone", EIO);
	return gr.done / secs;
}

static int within(double ratio, double tol)
{
	return ratio >= 1 - tol && ratio <= 1 + tol;
}

int main(int argc, char **argv)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/var/tmp";
	struct ion_host_spec s;
	struct ion_valve_stats st0, stn, st1;
	struct greedy gb, gn, g1;
	pthread_t tb, tn, t1;
	double bw, fps, a1, a2, alone_rate, cpu0, host_cpu, skip;
	double b_ratio, b_steady, b_allowed, n_ratio, n_steady, n_allowed, beside;
	bool check = false;
	char err[256];
	int c, bad = 0;

	while ((c = getopt(argc, argv, "t:a:b:n:s:f:dc")) != -1) {
		switch (c) {
		case 't':
			seconds = atof(optarg);
			break;
		case 'a':
			alone = atof(optarg);
			break;
		case 'b':
			blk_mib = atof(optarg);
			break;
		case 'n':
			net_fps = atof(optarg);
			break;
		case 's':
			file_size = strtoull(optarg, NULL, 0) << 20;
			break;
		case 'f':
			dir = optarg;
			break;
		case 'c':
			check = true;
			break;
		case 'd':
			direct = true;
			break;
		default:
			fprintf(stderr, "usage: budget-bench [-t s] [-a s] [-b MiB/s] [-n frames/s] [-s MiB] [-f dir] [-d] [-c]\n");
			return 2;
		}
	}
	if (seconds <= 0 || seconds > 600 || alone <= 0 || alone > 60 ||
	    blk_mib < 1 || net_fps < 100 || file_size < (4 << 20)) {
		fprintf(stderr, "budget-bench: -t in (0, 600], -a in (0, 60], -b at least 1, -n at least 100, -s at least 4\n");
		return 2;
	}
	make_file(dir, path0, sizeof(path0));
	make_file(dir, path1, sizeof(path1));

	memset(&s, 0, sizeof(s));
	s.size = ION_DEFAULT_SIZE;
	s.nr_blk = 2;
	s.blk[0].path = path0;
	s.blk[1].path = path1;
	s.blk[1].direct = direct;
	/* buckets of 100 ms of the rate, refilled in 100 ms */
	s.blk[0].budget.bw.size = (uint64_t)(blk_mib * 1048576) * REFILL_MS / 1000;
	s.blk[0].budget.bw.refill_ms = REFILL_MS;
	s.net = true;
	s.net_cfg.null = true;
	s.net_cfg.mac[0] = 0x02;
	s.net_cfg.budget.ops.size = (uint64_t)(net_fps * REFILL_MS / 1000);
	s.net_cfg.budget.ops.refill_ms = REFILL_MS;
	if (ion_host_create(&h, &s, err, sizeof(err))) {
		fprintf(stderr, "budget-bench: %s\n", err);
		return 2;
	}
	unlink(path0);
	unlink(path1);
	bw = s.blk[0].budget.bw.size * 1000.0 / REFILL_MS;
	fps = s.net_cfg.budget.ops.size * 1000.0 / REFILL_MS;
	if (sim_guest_bind(&g, ion_host_window(h), s.size, true) || ion_host_start(h))
		die("host", EIO);
	printf("# blk0 budget %.0f bytes/s (64 KiB reads), net0 budget %.0f frames/s (%u-byte frames), blk1 none%s; %g s together, %g s alone before and after\n",
	       bw, fps, FRAME_LEN, direct ? " (O_DIRECT)" : "", seconds, alone);

	a1 = blk1_alone(alone);
	/*
	 * The buckets have been full since the host started: what the
	 * throttled valves may move in the phase is the full bucket plus
	 * the refill. The steady figures leave the first second out.
	 */
	skip = seconds > 2 ? 1 : 0;
	cpu0 = process_cpu();
	greedy_init(&gb, V_BLK0, 0, ION_OP_BLK_READ, BLK0_LEN, seconds, skip);
	greedy_init(&gn, V_NET, ION_NET_QUEUE_TX, ION_OP_NET_TX, FRAME_LEN, seconds, skip);
	greedy_init(&g1, V_BLK1, 0, ION_OP_BLK_READ, BLK1_LEN, seconds, skip);
	if (pthread_create(&tb, NULL, greedy_run, &gb) ||
	    pthread_create(&tn, NULL, greedy_run, &gn) ||
	    pthread_create(&t1, NULL, greedy_run, &g1))
		die("threads", EAGAIN);
	pthread_join(tb, NULL);
	pthread_join(tn, NULL);
	pthread_join(t1, NULL);
	host_cpu = process_cpu() - cpu0;
	usleep(20 * 1000);
	{
		struct ion_cqe cq;

		while (sim_reap(&g1.sq, &cq))
			;
	}
	a2 = blk1_alone(alone);
	ion_host_stats(h, V_BLK0, &st0);
	ion_host_stats(h, V_NET, &stn);
	ion_host_stats(h, V_BLK1, &st1);
	ion_host_stop(h);
	ion_host_destroy(h);

	alone_rate = (a1 + a2) / 2;
	b_allowed = s.blk[0].budget.bw.size + bw * seconds;
	n_allowed = s.net_cfg.budget.ops.size + fps * seconds;
	b_ratio = gb.bytes / seconds / bw;
	n_ratio = gn.done / seconds / fps;
	b_steady = skip ? gb.steady_bytes / (seconds - skip) / bw : b_ratio;
	n_steady = skip ? gn.steady_done / (seconds - skip) / fps : n_ratio;
	beside = g1.done / seconds / alone_rate;
	printf("# blk0: %llu bytes in %llu reads, %llu failed; throttled %llu times, %.3f s\n",
	       (unsigned long long)gb.bytes, (unsigned long long)gb.done,
	       (unsigned long long)gb.failed, (unsigned long long)st0.throttled,
	       st0.throttled_ns / 1e9);
	printf("# net0: %llu frames, %llu failed; throttled %llu times, %.3f s\n",
	       (unsigned long long)gn.done, (unsigned long long)gn.failed,
	       (unsigned long long)stn.throttled, stn.throttled_ns / 1e9);
	printf("# blk1: alone %.0f and %.0f reads/s, beside %.0f reads/s; throttled %llu times\n",
	       a1, a2, g1.done / seconds, (unsigned long long)st1.throttled);
	printf("# process CPU while together: %.2f s of %g s (guests and host)\n",
	       host_cpu, seconds);
	printf("blk0_budget_bytes_per_s: %.0f\n", bw);
	printf("blk0_bytes_per_s: %.0f\n", gb.bytes / seconds);
	printf("blk0_ratio: %.4f\n", b_ratio);
	printf("blk0_steady_ratio: %.4f\n", b_steady);
	printf("blk0_failed: %llu\n", (unsigned long long)gb.failed);
	printf("net0_budget_frames_per_s: %.0f\n", fps);
	printf("net0_frames_per_s: %.0f\n", gn.done / seconds);
	printf("net0_ratio: %.4f\n", n_ratio);
	printf("net0_steady_ratio: %.4f\n", n_steady);
	printf("net0_failed: %llu\n", (unsigned long long)gn.failed);
	printf("blk1_alone_reads_per_s: %.0f\n", alone_rate);
	printf("blk1_beside_reads_per_s: %.0f\n", g1.done / seconds);
	printf("blk1_beside_ratio: %.4f\n", beside);
	printf("throttled_within_5pct: %s\n",
	       within(b_ratio, 0.05) && within(n_ratio, 0.05) ? "yes" : "no");
	if (!check)
		return 0;
	if (!within(gb.bytes / b_allowed, 0.2) || gb.failed) {
		fprintf(stderr, "budget-bench: blk0 moved %llu bytes, its budget allowed %.0f\n",
			(unsigned long long)gb.bytes, b_allowed);
		bad = 1;
	}
	if (!within(gn.done / n_allowed, 0.2) || gn.failed) {
		fprintf(stderr, "budget-bench: net0 sent %llu frames, its budget allowed %.0f\n",
			(unsigned long long)gn.done, n_allowed);
		bad = 1;
	}
	if (beside < 0.5) {
		fprintf(stderr, "budget-bench: blk1 beside the throttled valves kept %.2f of its rate\n",
			beside);
		bad = 1;
	}
	return bad;
}
