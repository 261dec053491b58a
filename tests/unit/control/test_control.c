// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket, end to end over a real Unix socket, against a real
 * ion_host with an input valve: the events it injects land in the guest's
 * completion ring, and stop reaches the machine.
 */
#include <check.h>

#include "../nc_check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

#include "control.h"
#include "machine.h"

static struct ion_host *ion;
static struct nc_machine m;
static struct nc_control ctl;
static char sock[108];

static void setup(void)
{
	struct ion_host_spec spec = { .size = ION_DEFAULT_SIZE, .input = true };
	char err[256], dir[] = "/tmp/nc-ctl-XXXXXX";

	memset(&m, 0, sizeof(m));
	pthread_mutex_init(&m.lock, NULL);
	m.stop_fd = eventfd(0, EFD_CLOEXEC);
	ck_assert_int_eq(ion_host_create(&ion, &spec, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/cell.sock", dir);
	ck_assert_int_eq(nc_control_start(&ctl, sock, &m, ion, err, sizeof(err)), 0);
}

static void teardown(void)
{
	nc_control_stop(&ctl);
	ck_assert_int_ne(access(sock, F_OK), 0);	/* socket removed */
	*strrchr(sock, '/') = '\0';
	rmdir(sock);
	ion_host_destroy(ion);
	close(m.stop_fd);
}

/* Sends text over a fresh connection; returns everything answered. */
static char *talk(const char *text)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	static char buf[8192];
	size_t have = 0;
	ssize_t n;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(a.sun_path, sock);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(send(fd, text, strlen(text), 0), (ssize_t)strlen(text));
	shutdown(fd, SHUT_WR);
	while ((n = recv(fd, buf + have, sizeof(buf) - 1 - have, 0)) > 0)
		have += n;
	buf[have] = '\0';
	close(fd);
	return buf;
}

static const struct ion_input_event *input_event(unsigned idx)
{
	const struct ion_header *h = ion_host_window(ion);
	const struct ion_queue *q = &h->valves[0].queues[0];

	return (const void *)((const char *)h +
		ion_ring_entry_off(q->cq_off, q->entries, q->cqe_size, idx));
}

START_TEST(input_events_reach_the_ring)
{
	const struct ion_header *h = ion_host_window(ion);
	const struct ion_ring *cq = (const void *)((const char *)h +
					h->valves[0].queues[0].cq_off);

	ck_assert_str_eq(talk("input EV_KEY 30 1\ninput 0 0x0 0\n"), "ok\nok\n");
	ck_assert_uint_eq(cq->prod, 2);
	ck_assert_uint_eq(input_event(0)->type, 1);
	ck_assert_uint_eq(input_event(0)->code, 30);
	ck_assert_int_eq(input_event(0)->value, 1);
	ck_assert_uint_eq(input_event(1)->type, 0);
}
END_TEST

START_TEST(bad_input_is_refused)
{
	ck_assert_str_eq(talk("input EV_KEY 30\n"), "error: usage: input TYPE CODE VALUE\n");
	ck_assert_ptr_nonnull(strstr(talk("input 70000 1 1\n"), "error: input: TYPE and CODE"));
	ck_assert_ptr_nonnull(strstr(talk("input EV_KEY x 1\n"), "error: input:"));
}
END_TEST

START_TEST(stats_lists_every_valve)
{
	struct ion_host_spec spec = { .size = ION_DEFAULT_SIZE, .nr_blk = 2, .net = true,
				      .input = true };
	char err[256], want[64], *out;

	/* A cell with valves of every type: two null disks, a null link, input. */
	spec.blk[0].null = spec.blk[1].null = true;
	spec.blk[0].null_size = spec.blk[1].null_size = 1 << 20;
	spec.net_cfg.null = true;
	spec.net_cfg.mac[0] = 0x02;
	nc_control_stop(&ctl);
	ion_host_destroy(ion);
	ck_assert_int_eq(ion_host_create(&ion, &spec, err, sizeof(err)), 0);
	ck_assert_int_eq(nc_control_start(&ctl, sock, &m, ion, err, sizeof(err)), 0);
	talk("input EV_KEY 30 1\n");
	out = talk("stats\n");
	ck_assert_msg(strstr(out, "valve 0 blk0 requests=0 "), "got: %s", out);
	ck_assert_msg(strstr(out, "valve 1 blk1 requests=0 "), "got: %s", out);
	ck_assert_msg(strstr(out, "valve 2 net0 requests=0 "), "got: %s", out);
	ck_assert_msg(strstr(out, "valve 3 input0 requests=1 bytes=16 "), "got: %s", out);
	for (unsigned v = 0; v < 4; v++) {
		const char *line;

		snprintf(want, sizeof(want), "valve %u ", v);
		line = strstr(out, want);
		ck_assert_ptr_nonnull(line);
		ck_assert_msg(!strncmp(strchr(line, '\n') - 9, " broken=0", 9), "got: %s", out);
	}
	ck_assert_ptr_null(strstr(out, "valve 4 "));
	ck_assert_ptr_nonnull(strstr(out, " broken=0\nok\n"));
}
END_TEST

START_TEST(stop_reaches_the_machine)
{
	ck_assert_str_eq(talk("stop\n"), "ok\n");
	ck_assert_int_eq(m.stop, NC_STOP_REQUEST);
	ck_assert_str_eq(m.stop_why, "stopped through the control socket");
}
END_TEST

START_TEST(unknown_and_overlong_lines)
{
	char line[400];

	ck_assert_str_eq(talk("frobnicate\n"), "error: unknown command 'frobnicate' (try help)\n");
	memset(line, 'a', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	ck_assert_ptr_nonnull(strstr(talk(line), "error: line longer than 256 bytes"));
	ck_assert_int_eq(m.stop, NC_STOP_NONE);
	/* The server survives all of it. */
	ck_assert_ptr_nonnull(strstr(talk("help\n"), "\nok\n"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("control");
	TCase *tc = tcase_create("socket");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, input_events_reach_the_ring);
	tcase_add_test(tc, bad_input_is_refused);
	tcase_add_test(tc, stats_lists_every_valve);
	tcase_add_test(tc, stop_reaches_the_machine);
	tcase_add_test(tc, unknown_and_overlong_lines);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
