// SPDX-License-Identifier: GPL-2.0
/*
 * The console's output side over a real pipe and a real file: a reader that
 * stops reading costs dropped bytes, never a blocked writer or close; a
 * reader that reads gets every byte in order; a file console stops at its
 * cap with one line saying so.
 */
#include <check.h>

#include "../nc_check.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "console.h"

#define MIB	(1024 * 1024)

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i % 251);
}

/* The first of len bytes that is not pattern(), or len. */
static size_t first_wrong(const unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len && buf[i] == pattern(i); i++)
		;
	return i;
}

/* Nobody reads the pipe: 1 MiB goes in at once, and close does not wait. */
START_TEST(stalled_reader_drops)
{
	struct nc_console con;
	char err[256];
	unsigned char *got = malloc(MIB);
	int p[2], queued, pipe_size;
	size_t i;
	double t0;

	ck_assert_int_eq(pipe(p), 0);
	pipe_size = fcntl(p[1], F_GETPIPE_SZ);
	ck_assert_int_gt(pipe_size, 0);
	ck_assert_int_eq(nc_console_open_fd(&con, p[1], err, sizeof(err)), 0);

	t0 = now_ms();
	for (i = 0; i < MIB; i++) {		/* one byte at a time, as the UART does */
		unsigned char c = pattern(i);

		nc_console_write(&con, &c, 1);
	}
	ck_assert_double_lt(now_ms() - t0, 1000);
	/* At most the ring and the pipe took anything. */
	ck_assert_uint_ge(con.dropped, MIB - NC_CONSOLE_RING - (size_t)pipe_size);

	t0 = now_ms();
	nc_console_close(&con);
	ck_assert_double_lt(now_ms() - t0, 1000);
	/* What did not reach the pipe is exactly what was counted. */
	ck_assert_int_eq(ioctl(p[0], FIONREAD, &queued), 0);
	ck_assert_int_gt(queued, 0);
	ck_assert_uint_eq(con.dropped, MIB - (size_t)queued);
	/* And what reached it is the start of the output, in order. */
	ck_assert_int_eq(read(p[0], got, queued), queued);
	ck_assert_uint_eq(first_wrong(got, queued), (size_t)queued);
	ck_assert_int_ne(fcntl(p[1], F_GETFD), -1);	/* not ours to close */
	close(p[0]);
	close(p[1]);
	free(got);
}
END_TEST

struct reader {
	int		fd;
	unsigned char	*buf;
	size_t		len;
};

static void *read_all(void *arg)
{
	struct reader *r = arg;
	ssize_t n;

	while (r->len < MIB + 1 && (n = read(r->fd, r->buf + r->len, MIB + 1 - r->len)) > 0)
		r->len += n;
	return NULL;
}

/* A reader that reads: every byte arrives, in order, none dropped. */
START_TEST(reader_gets_everything)
{
	struct reader r = { .buf = malloc(MIB + 1) };
	unsigned char chunk[1000];
	struct nc_console con;
	pthread_t t;
	size_t i, j;
	char err[256];
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	r.fd = p[0];
	ck_assert_int_eq(pthread_create(&t, NULL, read_all, &r), 0);
	ck_assert_int_eq(nc_console_open_fd(&con, p[1], err, sizeof(err)), 0);
	for (i = 0; i < MIB; i += j) {
		size_t len = MIB - i < sizeof(chunk) ? MIB - i : sizeof(chunk);

		/* Paced to the reader: the ring always has room for the chunk. */
		while (nc_console_out_pending(&con) > NC_CONSOLE_RING - sizeof(chunk))
			usleep(1000);
		for (j = 0; j < len; j++)
			chunk[j] = pattern(i + j);
		nc_console_write(&con, chunk, len);
	}
	nc_console_close(&con);
	ck_assert_uint_eq(con.dropped, 0);
	close(p[1]);			/* the reader sees EOF */
	pthread_join(t, NULL);
	ck_assert_uint_eq(r.len, MIB);
	ck_assert_uint_eq(first_wrong(r.buf, MIB), MIB);
	close(p[0]);
	free(r.buf);
}
END_TEST

/* The reader goes away: writes fail (EPIPE, not SIGPIPE), output is dropped. */
START_TEST(reader_gone_drops)
{
	struct nc_console con;
	char err[256], buf[4096];
	int p[2];
	unsigned i;

	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	ck_assert_int_eq(nc_console_open_fd(&con, p[1], err, sizeof(err)), 0);
	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < 64; i++)
		nc_console_write(&con, buf, sizeof(buf));
	nc_console_close(&con);
	ck_assert_uint_eq(con.dropped, 64 * sizeof(buf));
	close(p[1]);
}
END_TEST

static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	buf = malloc(st.st_size + 1);
	ck_assert_int_eq(read(fd, buf, st.st_size), st.st_size);
	buf[st.st_size] = '\0';
	*len = st.st_size;
	close(fd);
	return buf;
}

/* A file console with a 4 KiB cap, written 100 KiB. */
START_TEST(file_cap)
{
	static const char note[] =
		"\n[nipcell-vmm: console output truncated at 4 KiB (max_size); the rest is dropped]\n";
	char dir[] = "/tmp/nc-con-XXXXXX", path[64], err[256], *got;
	unsigned char expect[4096];
	struct nc_console con;
	size_t i, len;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/console.log", dir);
	ck_assert_int_eq(nc_console_open(&con, NC_CON_FILE, path, err, sizeof(err)), 0);
	nc_console_set_max_size(&con, 4096);
	for (i = 0; i < 100 * 1024; i++) {
		unsigned char c = pattern(i) == '\n' ? 'n' : pattern(i);

		if (i < sizeof(expect))
			expect[i] = c;
		nc_console_write(&con, &c, 1);
	}
	nc_console_close(&con);
	ck_assert_uint_eq(con.dropped, 100 * 1024 - 4096);
	got = slurp(path, &len);
	ck_assert_uint_eq(len, 4096 + strlen(note));
	ck_assert_mem_eq(got, expect, 4096);
	ck_assert_str_eq(got + 4096, note);
	free(got);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* Output that fits the cap exactly is not truncated; a new run appends. */
START_TEST(file_cap_exact_and_default)
{
	char dir[] = "/tmp/nc-con-XXXXXX", path[64], err[256], buf[4096], *got;
	struct nc_console con;
	size_t len;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/console.log", dir);
	ck_assert_int_eq(nc_console_open(&con, NC_CON_FILE, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(con.max_size, 64ULL << 20);	/* the documented default */
	nc_console_set_max_size(&con, sizeof(buf));
	memset(buf, 'a', sizeof(buf));
	nc_console_write(&con, buf, sizeof(buf));
	nc_console_close(&con);
	ck_assert_uint_eq(con.dropped, 0);
	ck_assert_int_eq(nc_console_open(&con, NC_CON_FILE, path, err, sizeof(err)), 0);
	nc_console_write(&con, "b\n", 2);
	nc_console_close(&con);
	got = slurp(path, &len);
	ck_assert_uint_eq(len, sizeof(buf) + 2);
	ck_assert_str_eq(got + sizeof(buf), "b\n");
	free(got);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(open_errors_and_off)
{
	struct nc_console con;
	char err[256];
	int fd0 = fcntl(0, F_GETFD);

	ck_assert_int_eq(nc_console_open(&con, NC_CON_FILE, "/nonexistent-dir/c.log", err,
					 sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "console file /nonexistent-dir/c.log: No such file or directory");
	nc_console_close(&con);
	ck_assert_int_eq(nc_console_open(&con, NC_CON_OFF, NULL, err, sizeof(err)), 0);
	nc_console_write(&con, "lost", 4);
	ck_assert_uint_eq(con.dropped, 0);	/* discarded on purpose, not dropped */
	nc_console_close(&con);
	/* A console only zeroed, as run.c leaves it before setup: closes nothing. */
	memset(&con, 0, sizeof(con));
	con.out_fd = con.stop_fd = con.room_fd = -1;
	con.kind = NC_CON_OFF;
	nc_console_close(&con);
	ck_assert_int_eq(fcntl(0, F_GETFD), fd0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("console");
	TCase *tc = tcase_create("output");

	signal(SIGPIPE, SIG_DFL);	/* the console must not depend on it being ignored */
	tcase_add_test(tc, stalled_reader_drops);
	tcase_add_test(tc, reader_gets_everything);
	tcase_add_test(tc, reader_gone_drops);
	tcase_add_test(tc, file_cap);
	tcase_add_test(tc, file_cap_exact_and_default);
	tcase_add_test(tc, open_errors_and_off);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
