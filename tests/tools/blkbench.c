// SPDX-License-Identifier: GPL-2.0
/*
 * blkbench: read throughput of a block device or file, for the export
 * scenario's figures (the arm64 host has no fio).
 *
 *   blkbench randread4k FILE SECONDS   4 KiB random reads, 32 in flight
 *                                      (32 threads, pread)
 *   blkbench seqread1m FILE SECONDS    1 MiB sequential reads, one at a time
 *
 * O_DIRECT when the file allows it (a block device), else buffered (a file
 * on tmpfs). Prints one line: "<mode> <MiB/s> MiB/s <ops/s> ops/s direct=<0|1>".
 * Exits 1 on any read error (the errno is printed).
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define QD	32

static int fd;
static uint64_t size;
static double seconds;
static int failed;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

struct worker {
	pthread_t th;
	unsigned seed;
	uint64_t ops;
};

static void *rand_worker(void *arg)
{
	struct worker *w = arg;
	uint64_t blocks = size / 4096;
	double end = now() + seconds;
	void *buf;

	if (posix_memalign(&buf, 4096, 4096))
		return NULL;
	while (now() < end && !__atomic_load_n(&failed, __ATOMIC_RELAXED)) {
		uint64_t b = ((uint64_t)rand_r(&w->seed) << 16 ^ rand_r(&w->seed)) % blocks;

		if (pread(fd, buf, 4096, b * 4096) != 4096) {
			fprintf(stderr, "blkbench: pread at %llu: %s\n",
				(unsigned long long)b * 4096, strerror(errno));
			__atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
			break;
		}
		w->ops++;
	}
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	struct worker w[QD];
	uint64_t ops = 0, bs;
	struct stat st;
	double t0, t;
	int direct = 1;

	if (argc != 4 || (strcmp(argv[1], "randread4k") && strcmp(argv[1], "seqread1m"))) {
		fprintf(stderr, "usage: blkbench randread4k|seqread1m FILE SECONDS\n");
		return 2;
	}
	seconds = atof(argv[3]);
	fd = open(argv[2], O_RDONLY | O_DIRECT);
	if (fd < 0) {
		direct = 0;
		fd = open(argv[2], O_RDONLY);
	}
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "blkbench: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	size = st.st_size;
	if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, &size) < 0) {
		fprintf(stderr, "blkbench: %s: BLKGETSIZE64: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (size < (2 << 20)) {
		fprintf(stderr, "blkbench: %s: smaller than 2 MiB\n", argv[2]);
		return 1;
	}
	t0 = now();
	if (!strcmp(argv[1], "randread4k")) {
		bs = 4096;
		for (int i = 0; i < QD; i++) {
			w[i].seed = 1234 + i;
			w[i].ops = 0;
			pthread_create(&w[i].th, NULL, rand_worker, &w[i]);
		}
		for (int i = 0; i < QD; i++) {
			pthread_join(w[i].th, NULL);
			ops += w[i].ops;
		}
	} else {
		uint64_t off = 0;
		void *buf;

		bs = 1 << 20;
		if (posix_memalign(&buf, 4096, bs))
			return 1;
		while (now() - t0 < seconds) {
			ssize_t n = pread(fd, buf, bs, off);

			if (n != (ssize_t)bs) {
				fprintf(stderr, "blkbench: pread at %llu: %s\n",
					(unsigned long long)off, n < 0 ? strerror(errno) : "short");
				return 1;
			}
			ops++;
			off += bs;
			if (off + bs > size)
				off = 0;
		}
	}
	t = now() - t0;
	if (failed)
		return 1;
	printf("%s %.1f MiB/s %.0f ops/s direct=%d\n", argv[1], ops * bs / 1048576.0 / t,
	       ops / t, direct);
	return 0;
}
