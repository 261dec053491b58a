// SPDX-License-Identifier: GPL-2.0
/*
 * ioload: a block-device load generator for the guest (tests/bench/
 * nested-compare), static arm64, no io_uring (the guest kernel may lack it):
 * QD threads each keep one O_DIRECT pread in flight, for a fixed time.
 *
 *   ioload -d DEV -n NAME [-m rand|seq] [-b BYTES] [-q THREADS] [-t SECONDS]
 *
 * rand: BYTES-aligned random offsets over the whole device (a private
 * xorshift per thread); seq: the threads take the next BYTES of the device
 * from one shared counter, so together they read it in order (wrapping).
 * Prints "@@ start NAME" just before the threads start, "@@ stop NAME" when
 * they are told to stop, and "@@ end NAME ios=N bytes=N secs=S iops=N
 * mbps=N errors=N" once they have, each flushed at once: the host times
 * these lines on the console (tests/tools/marktime), and reads its counters
 * at the two short ones (a console byte is an exit).
 * Exit status 0, or 1 on bad arguments or when any read failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define IOLOAD_MAX_THREADS	256

struct worker {
	pthread_t thr;
	uint64_t ios, errors, seed;
	int err;
} __attribute__((aligned(64)));

static int dev_fd;
static uint64_t dev_size, bs;
static int sequential;
static volatile int go, stop;
static uint64_t seq_next;	/* shared: the next block for seq */

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	uint64_t blocks = dev_size / bs, off;
	void *buf;

	if (posix_memalign(&buf, 4096, bs)) {
		w->err = ENOMEM;
		return NULL;
	}
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		;
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		if (sequential)
			off = __atomic_fetch_add(&seq_next, 1, __ATOMIC_RELAXED) % blocks;
		else
			off = xorshift(&w->seed) % blocks;
		if (pread(dev_fd, buf, bs, off * bs) == (ssize_t)bs) {
			w->ios++;
		} else {
			w->errors++;
			if (!w->err)
				w->err = errno ? errno : EIO;
		}
	}
	free(buf);
	return NULL;
}

static void usage(void)
{
	fprintf(stderr, "usage: ioload -d DEV -n NAME [-m rand|seq] [-b BYTES] [-q THREADS] [-t SECONDS]\n");
	exit(1);
}

int main(int argc, char **argv)
{
	static struct worker w[IOLOAD_MAX_THREADS];
	const char *dev = NULL, *name = NULL;
	unsigned qd = 1, i;
	uint64_t ios = 0, errors = 0;
	double secs = 2, t0, t1;
	int opt, first_err = 0;

	bs = 4096;
	while ((opt = getopt(argc, argv, "d:n:m:b:q:t:")) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 'n': name = optarg; break;
		case 'm':
			if (!strcmp(optarg, "seq"))
				sequential = 1;
			else if (strcmp(optarg, "rand"))
				usage();
			break;
		case 'b': bs = strtoull(optarg, NULL, 0); break;
		case 'q': qd = strtoul(optarg, NULL, 0); break;
		case 't': secs = strtod(optarg, NULL); break;
		default: usage();
		}
	}
	if (!dev || !name || !qd || qd > IOLOAD_MAX_THREADS || !bs || bs % 4096 ||
	    !(secs > 0))
		usage();
	dev_fd = open(dev, O_RDONLY | O_DIRECT);
	if (dev_fd < 0) {
		fprintf(stderr, "ioload: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	if (ioctl(dev_fd, BLKGETSIZE64, &dev_size) < 0 || dev_size < bs) {
		fprintf(stderr, "ioload: %s: size %llu (BLKGETSIZE64: %s)\n", dev,
			(unsigned long long)dev_size, strerror(errno));
		return 1;
	}
	for (i = 0; i < qd; i++) {
		w[i].seed = 0x9e3779b97f4a7c15ULL * (i + 1) ^ (uint64_t)now_s();
		if (pthread_create(&w[i].thr, NULL, work, &w[i])) {
			fprintf(stderr, "ioload: thread %u: cannot create\n", i);
			return 1;
		}
	}
	printf("@@ start %s\n", name);
	fflush(stdout);
	t0 = now_s();
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	usleep((useconds_t)(secs * 1e6));
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	/* Short, so that the host's counters stop before the long line. */
	printf("@@ stop %s\n", name);
	fflush(stdout);
	for (i = 0; i < qd; i++) {
		pthread_join(w[i].thr, NULL);
		ios += w[i].ios;
		errors += w[i].errors;
		if (!first_err)
			first_err = w[i].err;
	}
	t1 = now_s();
	printf("@@ end %s ios=%llu bytes=%llu secs=%.3f iops=%.0f mbps=%.1f errors=%llu\n", name,
	       (unsigned long long)ios, (unsigned long long)(ios * bs), t1 - t0,
	       ios / (t1 - t0), ios * bs / (t1 - t0) / 1e6, (unsigned long long)errors);
	fflush(stdout);
	if (first_err)
		fprintf(stderr, "ioload: %s: %s\n", dev, strerror(first_err));
	return errors ? 1 : 0;
}
