// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "helpers.h"

#define NOBODY	65534

int parse_as(struct nc_config *c, const char *file, const char *text,
	     char *err)
{
	err[0] = '\0';
	return nc_config_parse(c, file, text, strlen(text), err, ERR_LEN);
}

char *make_tmpdir(void)
{
	char *dir = strdup("/tmp/nc-config-test.XXXXXX");

	ck_assert_ptr_nonnull(dir);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0755), 0);
	return dir;
}

static void remove_tree(const char *path)
{
	struct dirent *e;
	char sub[4096];
	DIR *d = opendir(path);

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		remove_tree(sub);
	}
	closedir(d);
	rmdir(path);
}

void remove_tmpdir(char *dir)
{
	remove_tree(dir);
	free(dir);
}

char *write_file(const char *dir, const char *name, const void *data,
		 size_t len, unsigned mode)
{
	char *path;
	int fd;

	ck_assert_int_gt(asprintf(&path, "%s/%s", dir, name), 0);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
	return path;
}

int check_files_unprivileged(const struct nc_config *c, char *err)
{
	char *shared;
	int status, ret;
	pid_t pid;

	err[0] = '\0';
	if (geteuid() != 0)
		return nc_config_check_files(c, err, ERR_LEN);

	shared = mmap(NULL, ERR_LEN, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(shared, MAP_FAILED);
	shared[0] = '\0';
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(99);
		_exit(nc_config_check_files(c, shared, ERR_LEN) ? 1 : 0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_ne(WEXITSTATUS(status), 99);
	ret = WEXITSTATUS(status) ? -1 : 0;
	memcpy(err, shared, ERR_LEN);
	munmap(shared, ERR_LEN);
	return ret;
}
