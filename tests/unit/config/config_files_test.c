// SPDX-License-Identifier: GPL-2.0
/* nc_config_check_files() against real files in a temporary folder. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <check.h>

#include "../nc_check.h"

#include "helpers.h"

static char *dir;

/*
 * As root the checks run as nobody (check_files_unprivileged()), so what
 * should be usable is usable by anyone: the folder, disk.img.
 */
static void setup(void)
{
	dir = make_tmpdir();
	ck_assert_int_eq(chmod(dir, 0777), 0);
	free(write_file(dir, "Image", "kernel", 6, 0644));
	free(write_file(dir, "initrd", "initrd", 6, 0644));
	free(write_file(dir, "disk.img", "disk", 4, 0666));
	free(write_file(dir, "ro.img", "disk", 4, 0444));
}

static void teardown(void)
{
	remove_tmpdir(dir);
	dir = NULL;
}

/* Load dir/cell.toml made of text; the error of check_files, or "". */
static void check(const char *text, char *err)
{
	struct nc_config c;
	char *path;

	path = write_file(dir, "cell.toml", text, strlen(text), 0644);
	ck_assert_msg(!nc_config_load(&c, path, err, ERR_LEN), "%s", err);
	if (!check_files_unprivileged(&c, err))
		ck_assert_str_eq(err, "");
	else
		ck_assert_str_ne(err, "");
	nc_config_free(&c);
	free(path);
}

/* err must be "DIR/cell.toml:LINE: " + the rest, with %s for DIR. */
static void expect(const char *err, unsigned line, const char *fmt)
{
	char want[2 * ERR_LEN], rest[ERR_LEN];

	snprintf(rest, sizeof(rest), fmt, dir);
	snprintf(want, sizeof(want), "%s/cell.toml:%u: %s", dir, line, rest);
	ck_assert_str_eq(err, want);
}

#define ALL_FILES \
	"[boot]\nkernel = \"Image\"\ninitramfs = \"initrd\"\n" \
	"[[blk]]\npath = \"disk.img\"\n" \
	"[[blk]]\npath = \"ro.img\"\nreadonly = true\n" \
	"[console]\nmode = \"file\"\npath = \"console.log\"\n" \
	"[control]\nsocket = \"cell.sock\"\n"

START_TEST(all_present)
{
	char err[ERR_LEN];

	check(ALL_FILES, err);
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(kernel_missing)
{
	char err[ERR_LEN];

	check("[cell]\n[boot]\nkernel = \"Imag\"\n", err);
	expect(err, 3, "kernel '%s/Imag': No such file or directory");
}
END_TEST

START_TEST(kernel_is_directory)
{
	char err[ERR_LEN], *sub;

	ck_assert_int_gt(asprintf(&sub, "%s/kdir", dir), 0);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	free(sub);
	check("[boot]\nkernel = \"kdir\"\n", err);
	expect(err, 2, "kernel '%s/kdir': Is a directory");
}
END_TEST

START_TEST(initramfs_unreadable)
{
	char err[ERR_LEN];

	free(write_file(dir, "secret", "x", 1, 0000));
	check("[boot]\nkernel = \"Image\"\n\ninitramfs = \"secret\"\n", err);
	expect(err, 4, "initramfs '%s/secret': Permission denied");
}
END_TEST

START_TEST(disk_not_writable)
{
	char err[ERR_LEN];

	check("[boot]\nkernel = \"Image\"\n[[blk]]\npath = \"ro.img\"\n", err);
	expect(err, 4, "blk path '%s/ro.img': Permission denied (set readonly = true to use it read-only)");
}
END_TEST

START_TEST(disk_missing_second)
{
	char err[ERR_LEN];

	check("[boot]\nkernel = \"Image\"\n[[blk]]\npath = \"disk.img\"\n"
	      "[[blk]]\npath = \"gone.img\"\n", err);
	expect(err, 6, "blk path '%s/gone.img': No such file or directory");
}
END_TEST

START_TEST(disk_is_fifo)
{
	char err[ERR_LEN], *fifo;

	ck_assert_int_gt(asprintf(&fifo, "%s/fifo", dir), 0);
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	free(fifo);
	check("[boot]\nkernel = \"Image\"\n[[blk]]\npath = \"fifo\"\n", err);
	expect(err, 4, "blk path '%s/fifo': not a regular file or block device");
}
END_TEST

START_TEST(same_disk_twice)
{
	char err[ERR_LEN], *target, *link;

	ck_assert_int_gt(asprintf(&target, "%s/disk.img", dir), 0);
	ck_assert_int_gt(asprintf(&link, "%s/alias.img", dir), 0);
	ck_assert_int_eq(symlink(target, link), 0);
	free(target);
	free(link);
	check("[boot]\nkernel = \"Image\"\n[[blk]]\npath = \"disk.img\"\n"
	      "[[blk]]\npath = \"alias.img\"\n", err);
	expect(err, 6, "blk path '%s/alias.img' is the same file as the disk on line 4");
}
END_TEST

START_TEST(console_folder_missing)
{
	char err[ERR_LEN];

	check("[boot]\nkernel = \"Image\"\n[console]\nmode = \"file\"\n"
	      "path = \"logs/console.log\"\n", err);
	expect(err, 5, "console path '%s/logs/console.log': its folder: No such file or directory");
}
END_TEST

START_TEST(console_path_is_directory)
{
	char err[ERR_LEN];

	check("[boot]\nkernel = \"Image\"\n[console]\nmode = \"file\"\n"
	      "path = \".\"\n", err);
	expect(err, 5, "console path '%s/.': Is a directory");
}
END_TEST

/* [sandbox] user/group against passwd and group files made here. */
static int ids(const char *text, struct nc_config *c, char *err)
{
	static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
				     "nc-cell:x:1234:2345::/nonexistent:/bin/false\n"
				     "broken:x:nan:1::/:/bin/false\n";
	static const char group[] = "root:x:0:\nnc-grp:x:3456:\n";
	char *path = write_file(dir, "cell.toml", text, strlen(text), 0644);
	char *pw = write_file(dir, "passwd", passwd, strlen(passwd), 0644);
	char *gr = write_file(dir, "group", group, strlen(group), 0644);
	int ret;

	ck_assert_msg(!nc_config_load(c, path, err, ERR_LEN), "%s", err);
	err[0] = '\0';
	ret = nc_config_resolve_ids(c, pw, gr, err, ERR_LEN);
	free(path);
	free(pw);
	free(gr);
	return ret;
}

START_TEST(sandbox_ids)
{
	struct nc_config c;
	char err[ERR_LEN], want[ERR_LEN];

	ck_assert_int_eq(ids("[boot]\nkernel = \"Image\"\n", &c, err), 0);
	ck_assert(!c.sandbox_set_ids);
	nc_config_free(&c);
	/* A name: its uid and primary group. */
	ck_assert_int_eq(ids("[boot]\nkernel = \"Image\"\n[sandbox]\nuser = \"nc-cell\"\n", &c, err), 0);
	ck_assert(c.sandbox_set_ids);
	ck_assert_uint_eq(c.sandbox_uid, 1234);
	ck_assert_uint_eq(c.sandbox_gid, 2345);
	nc_config_free(&c);
	/* A group by name overrides the primary one; numbers need no file. */
	ck_assert_int_eq(ids("[boot]\nkernel = \"Image\"\n[sandbox]\nuser = \"nc-cell\"\ngroup = \"nc-grp\"\n",
			     &c, err), 0);
	ck_assert_uint_eq(c.sandbox_gid, 3456);
	nc_config_free(&c);
	ck_assert_int_eq(ids("[boot]\nkernel = \"Image\"\n[sandbox]\nuser = \"4000\"\ngroup = \"4001\"\n",
			     &c, err), 0);
	ck_assert_uint_eq(c.sandbox_uid, 4000);
	ck_assert_uint_eq(c.sandbox_gid, 4001);
	nc_config_free(&c);
	/* Errors name the line, the key and the file. */
	ck_assert_int_eq(ids("[boot]\nkernel = \"Image\"\n[sandbox]\nuser = \"nobody-here\"\n", &c, err),
			 -EINVAL);
	snprintf(want, sizeof(want), "%s/cell.toml:4: [sandbox] user 'nobody-here': no such user in %s/passwd",
		 dir, dir);
	ck_assert_str_eq(err, want);
	nc_config_free(&c);
	ck_assert_int_eq(ids("[boot]\nkernel = \"Image\"\n[sandbox]\nuser = \"broken\"\n", &c, err),
			 -EINVAL);
	nc_config_free(&c);
	ck_assert_int_eq(ids("[boot]\nkernel = \"Image\"\n[sandbox]\nuser = \"nc-cell\"\ngroup = \"nope\"\n",
			     &c, err), -EINVAL);
	snprintf(want, sizeof(want), "%s/cell.toml:5: [sandbox] group 'nope': no such group in %s/group",
		 dir, dir);
	ck_assert_str_eq(err, want);
	nc_config_free(&c);
	ck_assert_int_eq(ids("[boot]\nkernel = \"Image\"\n[sandbox]\nuser = \"4000\"\n", &c, err), -EINVAL);
	snprintf(want, sizeof(want), "%s/cell.toml:4: [sandbox] user 4000 is a number: set group = \"...\" too",
		 dir);
	ck_assert_str_eq(err, want);
	nc_config_free(&c);
	ck_assert_int_eq(ids("[boot]\nkernel = \"Image\"\n[sandbox]\ngroup = \"nc-grp\"\n", &c, err), -EINVAL);
	snprintf(want, sizeof(want), "%s/cell.toml:4: [sandbox] group needs a user = \"...\" too", dir);
	ck_assert_str_eq(err, want);
	nc_config_free(&c);
}
END_TEST

START_TEST(control_socket_is_a_file)
{
	char err[ERR_LEN];

	check("[boot]\nkernel = \"Image\"\n[control]\nsocket = \"disk.img\"\n",
	      err);
	expect(err, 4, "control socket '%s/disk.img': exists and is not a socket");
}
END_TEST

START_TEST(control_socket_stale_socket_ok)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char err[ERR_LEN];
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/cell.sock", dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	check("[boot]\nkernel = \"Image\"\n[control]\nsocket = \"cell.sock\"\n",
	      err);
	ck_assert_str_eq(err, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config_files");
	TCase *tc = tcase_create("check_files");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, all_present);
	tcase_add_test(tc, kernel_missing);
	tcase_add_test(tc, kernel_is_directory);
	tcase_add_test(tc, initramfs_unreadable);
	tcase_add_test(tc, disk_not_writable);
	tcase_add_test(tc, disk_missing_second);
	tcase_add_test(tc, disk_is_fifo);
	tcase_add_test(tc, same_disk_twice);
	tcase_add_test(tc, console_folder_missing);
	tcase_add_test(tc, console_path_is_directory);
	tcase_add_test(tc, control_socket_is_a_file);
	tcase_add_test(tc, control_socket_stale_socket_ok);
	tcase_add_test(tc, sandbox_ids);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
