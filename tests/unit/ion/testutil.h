/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the ion host tests. */
#ifndef NC_ION_TESTUTIL_H
#define NC_ION_TESTUTIL_H

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

/* A sparse image file of size bytes in $TMPDIR (or /var/tmp: a real fs). */
static inline void make_image(char *path, size_t n, uint64_t size)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, n, "%s/ion-test-XXXXXX", dir ? dir : "/var/tmp");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, size), 0);
	close(fd);
}

/* The spec of the default cell: 16 MiB, blk0 on path (if any), net, input. */
static inline struct ion_host_spec default_spec(const char *path)
{
	struct ion_host_spec s;

	memset(&s, 0, sizeof(s));
	s.size = ION_DEFAULT_SIZE;
	s.doorbell_gpa = 0x09010000;
	if (path) {
		s.nr_blk = 1;
		s.blk[0].path = path;
	}
	s.net = true;
	s.net_cfg.null = true;
	s.net_cfg.mac[0] = 0x02;
	s.net_cfg.mac[5] = 0x01;
	s.input = true;
	return s;
}

static inline struct ion_host *create_ok(const struct ion_host_spec *s)
{
	struct ion_host *h;
	char err[256];
	int rc = ion_host_create(&h, s, err, sizeof(err));

	ck_assert_msg(rc == 0, "ion_host_create: %d %s", rc, err);
	return h;
}

#endif /* NC_ION_TESTUTIL_H */
