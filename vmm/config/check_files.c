// SPDX-License-Identifier: GPL-2.0
/*
 * After parsing: are the files a cell refers to there and usable? Each check
 * opens the file the way the VMM will, so permissions are judged by the
 * kernel with the caller's credentials, not guessed from mode bits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "internal.h"

struct check {
	const struct nc_config *c;
	char *err;
	size_t errlen;
};

/* "FILE:LINE: what 'path': why more" */
static int fail(struct check *k, unsigned line, const char *what,
		const char *path, const char *why, const char *more)
{
	nc_config_error(k->err, k->errlen, k->c->file, line, 0, "%s '%s': %s%s",
			what, path, why, more);
	return -EINVAL;
}

/*
 * path must be a regular file (or, with blk, a block device) that opens
 * with flags; *st receives its identity.
 */
static int check_file(struct check *k, unsigned line, const char *what,
		      const char *path, int flags, bool blk, struct stat *st)
{
	int fd;

	if (stat(path, st))
		return fail(k, line, what, path, strerror(errno), "");
	if (S_ISDIR(st->st_mode))
		return fail(k, line, what, path, strerror(EISDIR), "");
	if (!S_ISREG(st->st_mode) && !(blk && S_ISBLK(st->st_mode)))
		return fail(k, line, what, path, blk ?
			    "not a regular file or block device" :
			    "not a regular file", "");
	fd = open(path, flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fail(k, line, what, path, strerror(errno),
			    blk && (flags & O_ACCMODE) == O_RDWR &&
			    (errno == EACCES || errno == EROFS) ?
			    " (set readonly = true to use it read-only)" : "");
	close(fd);
	return 0;
}

/* The folder that will hold path (a file or socket the VMM creates). */
static int check_folder(struct check *k, unsigned line, const char *what,
			const char *path)
{
	struct stat st;
	char *dir;
	int ret = 0;

	dir = nc_path_dir(path);
	if (!dir)
		return fail(k, line, what, path, strerror(ENOMEM), "");
	if (stat(dir, &st))
		ret = fail(k, line, what, path, "its folder: ", strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		ret = fail(k, line, what, path, "its folder: ", strerror(ENOTDIR));
	else if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS))
		ret = fail(k, line, what, path, "its folder: ", strerror(errno));
	free(dir);
	return ret;
}

int nc_config_check_files(const struct nc_config *c, char *err, size_t errlen)
{
	struct check k = { .c = c, .err = err, .errlen = errlen };
	struct stat st, blk[NC_MAX_BLK];
	unsigned i, j;

	if (check_file(&k, c->line_kernel, "kernel", c->kernel, O_RDONLY,
		       false, &st))
		return -EINVAL;
	if (c->initramfs &&
	    check_file(&k, c->line_initramfs, "initramfs", c->initramfs,
		       O_RDONLY, false, &st))
		return -EINVAL;

	for (i = 0; i < c->nr_blk; i++) {
		if (check_file(&k, c->line_blk[i], "blk path", c->blk[i].path,
			       c->blk[i].readonly ? O_RDONLY : O_RDWR, true,
			       &blk[i]))
			return -EINVAL;
		for (j = 0; j < i; j++) {
			if ((blk[i].st_dev == blk[j].st_dev &&
			     blk[i].st_ino == blk[j].st_ino) ||
			    (S_ISBLK(blk[i].st_mode) && S_ISBLK(blk[j].st_mode) &&
			     blk[i].st_rdev == blk[j].st_rdev)) {
				nc_config_error(err, errlen, c->file,
						c->line_blk[i], 0,
						"blk path '%s' is the same file as the disk on line %u",
						c->blk[i].path, c->line_blk[j]);
				return -EINVAL;
			}
		}
	}

	if (c->console_mode == NC_CONSOLE_FILE && c->console_path) {
		if (!stat(c->console_path, &st) && S_ISDIR(st.st_mode))
			return fail(&k, c->line_console_path, "console path",
				    c->console_path, strerror(EISDIR), "");
		if (check_folder(&k, c->line_console_path, "console path",
				 c->console_path))
			return -EINVAL;
	}

	if (c->serial && c->serial_mode == NC_CONSOLE_FILE && c->serial_path) {
		if (!stat(c->serial_path, &st) && S_ISDIR(st.st_mode))
			return fail(&k, c->line_serial_path, "serial path",
				    c->serial_path, strerror(EISDIR), "");
		if (check_folder(&k, c->line_serial_path, "serial path",
				 c->serial_path))
			return -EINVAL;
	}

	if (c->control_socket) {
		if (!lstat(c->control_socket, &st) && !S_ISSOCK(st.st_mode))
			return fail(&k, c->line_control_socket, "control socket",
				    c->control_socket,
				    "exists and is not a socket", "");
		if (check_folder(&k, c->line_control_socket, "control socket",
				 c->control_socket))
			return -EINVAL;
	}
	return 0;
}
