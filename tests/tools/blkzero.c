// SPDX-License-Identifier: GPL-2.0
/*
 * blkzero DEVICE OFFSET LENGTH: zeroes a byte range of a block device with
 * the BLKZEROOUT ioctl, which the kernel turns into write-zeroes requests
 * when the driver offers them. busybox's blkdiscard has no -z.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fs.h>

int main(int argc, char **argv)
{
	uint64_t range[2];
	char *end;
	int fd, i;

	if (argc != 4) {
		fprintf(stderr, "usage: blkzero DEVICE OFFSET LENGTH (bytes)\n");
		return 2;
	}
	for (i = 0; i < 2; i++) {
		errno = 0;
		range[i] = strtoull(argv[2 + i], &end, 0);
		if (errno || *end || end == argv[2 + i]) {
			fprintf(stderr, "blkzero: bad number '%s'\n", argv[2 + i]);
			return 2;
		}
	}
	fd = open(argv[1], O_WRONLY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, BLKZEROOUT, range) < 0) {
		fprintf(stderr, "blkzero: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
