// SPDX-License-Identifier: GPL-2.0
/* Reading a cell file: bounded in size, text only. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "internal.h"

/* Read at most max + 1 bytes of fd into buf; returns the count or -errno. */
static ssize_t read_all(int fd, char *buf, size_t max)
{
	size_t n = 0;
	ssize_t r;

	while (n <= max) {
		r = read(fd, buf + n, max + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			break;
		n += r;
	}
	return n;
}

int nc_config_load(struct nc_config *c, const char *path, char *err,
		   size_t errlen)
{
	unsigned line = 1;
	const char *nul, *p, *bol;
	struct stat st;
	char *buf;
	ssize_t n;
	int fd, ret = -EINVAL;

	memset(c, 0, sizeof(*c));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st)) {
		ret = -errno;
		nc_config_error(err, errlen, path, 0, 0, "%s", strerror(errno));
		goto fail_fd;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = -EISDIR;
		nc_config_error(err, errlen, path, 0, 0, "%s", strerror(EISDIR));
		goto fail_fd;
	}
	if (!S_ISREG(st.st_mode)) {
		nc_config_error(err, errlen, path, 0, 0, "not a regular file");
		goto fail_fd;
	}
	buf = malloc(NC_CONFIG_MAX_SIZE + 1);
	if (!buf) {
		ret = -ENOMEM;
		nc_config_error(err, errlen, path, 0, 0, "%s", strerror(ENOMEM));
		goto fail_fd;
	}
	n = read_all(fd, buf, NC_CONFIG_MAX_SIZE);
	close(fd);
	if (n < 0) {
		ret = n;
		nc_config_error(err, errlen, path, 0, 0, "%s", strerror(-n));
		goto fail_buf;
	}
	if (n > NC_CONFIG_MAX_SIZE) {
		ret = -EFBIG;
		nc_config_error(err, errlen, path, 0, 0,
				"file is larger than the limit of %d bytes",
				NC_CONFIG_MAX_SIZE);
		goto fail_buf;
	}
	nul = memchr(buf, '\0', n);
	if (nul) {
		for (p = bol = buf; p < nul; p++) {
			if (*p == '\n') {
				line++;
				bol = p + 1;
			}
		}
		nc_config_error(err, errlen, path, line, nul - bol + 1,
				"NUL byte: a cell file is text");
		goto fail_buf;
	}
	ret = nc_config_parse(c, path, buf, n, err, errlen);
	free(buf);
	return ret;

fail_buf:
	free(buf);
	return ret;
fail_fd:
	if (fd >= 0)
		close(fd);
	return ret;
}
