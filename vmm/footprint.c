// SPDX-License-Identifier: GPL-2.0
/* The VMM's own resident memory: everything but guest RAM and the window. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "footprint.h"

static int inside(uintptr_t lo, uintptr_t hi, const void *base, size_t len)
{
	uintptr_t b = (uintptr_t)base;

	return base && lo >= b && hi <= b + len;
}

int nc_footprint_open(void)
{
	int fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static long footprint_kib(int fd, const void *ram, size_t ram_len, const void *win,
			  size_t win_len)
{
	unsigned long lo, hi;
	long total = 0, kib;
	size_t have = 0, len;
	int skip = 0;
	char buf[4096], *line, *nl;
	ssize_t n;

	if (fd < 0)
		return -EBADF;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		have += n;
		buf[have] = '\0';
		line = buf;
		/* Whole lines only; a line longer than the buffer is skipped. */
		while ((nl = strchr(line, '\n')) || (!n && *line)) {
			if (nl)
				*nl = '\0';
			if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
				skip = inside(lo, hi, ram, ram_len) ||
				       inside(lo, hi, win, win_len);
			else if (!skip && sscanf(line, "Rss: %ld kB", &kib) == 1)
				total += kib;
			line = nl ? nl + 1 : line + strlen(line);
		}
		if (!n)
			return total;
		len = buf + have - line;
		if (len == sizeof(buf) - 1)
			len = 0;
		memmove(buf, line, len);
		have = len;
	}
}

/* The main and control threads share the fd: one reader at a time. */
long nc_footprint_kib(int fd, const void *ram, size_t ram_len, const void *win,
		      size_t win_len)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	long kib;

	pthread_mutex_lock(&lock);
	kib = footprint_kib(fd, ram, ram_len, win, win_len);
	pthread_mutex_unlock(&lock);
	return kib;
}
