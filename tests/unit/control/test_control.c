// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket, end to end over a real Unix socket, against a real
 * ion_host with an input valve: the events it injects land in the guest's
 * completion ring, and stop reaches the machine. Then the socket itself:
 * several clients at once, slow and silent ones that must not hold up the
 * others or the teardown, the file mode and the peer check.
 */
#include <check.h>

#include "../nc_check.h"
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
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
	/* the cell's restart count comes first, from the machine */
	ck_assert_msg(!strncmp(out, "cell restarts=0\n", 16), "got: %s", out);
	__atomic_store_n(&m.restarts, 2, __ATOMIC_RELAXED);
	ck_assert_msg(!strncmp(talk("stats\n"), "cell restarts=2\n", 16), "restarts 2");
	__atomic_store_n(&m.restarts, 0, __ATOMIC_RELAXED);
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
		/* the budget keys come last: older readers find theirs unmoved */
		ck_assert_msg(!strncmp(strchr(line, '\n') - 36,
				       " broken=0 throttled=0 throttled_ms=0", 36),
			      "got: %s", out);
	}
	ck_assert_ptr_null(strstr(out, "valve 4 "));
	ck_assert_ptr_nonnull(strstr(out, " broken=0 throttled=0 throttled_ms=0\nok\n"));
}
END_TEST

/*
 * budget through the socket: it shows and changes a valve's budget (the
 * host reports what it got), names valves by number or name, refuses what
 * it cannot take; stats counts a throttled queue.
 */
START_TEST(budget_command)
{
	struct ion_host_spec spec = { .size = ION_DEFAULT_SIZE, .nr_blk = 1, .net = true,
				      .input = true };
	struct ion_budget b;
	char err[256];

	spec.blk[0].null = true;
	spec.blk[0].null_size = 1 << 20;
	spec.net_cfg.null = true;
	spec.net_cfg.mac[0] = 0x02;
	nc_control_stop(&ctl);
	ion_host_destroy(ion);
	ck_assert_int_eq(ion_host_create(&ion, &spec, err, sizeof(err)), 0);
	ck_assert_int_eq(nc_control_start(&ctl, sock, &m, ion, err, sizeof(err)), 0);

	ck_assert_str_eq(talk("budget blk0\n"),
			 "budget blk0 bw_size=0 bw_burst=0 bw_refill_ms=0 ops_size=0 ops_burst=0 ops_refill_ms=0\nok\n");
	ck_assert_str_eq(talk("budget blk0 bw 4M 1G 100\n"),
			 "budget blk0 bw_size=4194304 bw_burst=1073741824 bw_refill_ms=100 ops_size=0 ops_burst=0 ops_refill_ms=0\nok\n");
	ck_assert_str_eq(talk("budget 1 ops 500 0 0x10\n"),
			 "budget net0 bw_size=0 bw_burst=0 bw_refill_ms=0 ops_size=500 ops_burst=0 ops_refill_ms=16\nok\n");
	ck_assert_int_eq(ion_host_get_budget(ion, 0, &b), 0);
	ck_assert_uint_eq(b.bw.size, 4 << 20);
	ck_assert_uint_eq(b.bw.one_time_burst, 1ULL << 30);
	ck_assert_uint_eq(b.bw.refill_ms, 100);
	ck_assert_int_eq(ion_host_get_budget(ion, 1, &b), 0);
	ck_assert_uint_eq(b.ops.size, 500);

	ck_assert_str_eq(talk("budget net0 ops off\n"),
			 "budget net0 bw_size=0 bw_burst=0 bw_refill_ms=0 ops_size=0 ops_burst=0 ops_refill_ms=0\nok\n");
	ck_assert_str_eq(talk("budget blk0 off\n"),
			 "budget blk0 bw_size=0 bw_burst=0 bw_refill_ms=0 ops_size=0 ops_burst=0 ops_refill_ms=0\nok\n");
	ck_assert_int_eq(ion_host_get_budget(ion, 0, &b), 0);
	ck_assert_uint_eq(b.bw.size + b.bw.one_time_burst + b.bw.refill_ms, 0);

	ck_assert_str_eq(talk("budget\n"),
			 "error: usage: budget VALVE [bw|ops SIZE BURST REFILL_MS | bw|ops off | off]\n");
	ck_assert_str_eq(talk("budget blk0 bw 1 2\n"),
			 "error: usage: budget VALVE [bw|ops SIZE BURST REFILL_MS | bw|ops off | off]\n");
	ck_assert_str_eq(talk("budget blk0 iops 1 2 3\n"),
			 "error: usage: budget VALVE [bw|ops SIZE BURST REFILL_MS | bw|ops off | off]\n");
	ck_assert_str_eq(talk("budget blk7 off\n"),
			 "error: budget: no valve 'blk7' (a number, or a name such as blk0, net0)\n");
	ck_assert_str_eq(talk("budget 9 off\n"),
			 "error: budget: no valve '9' (a number, or a name such as blk0, net0)\n");
	ck_assert_str_eq(talk("budget input0 ops 1 0 1\n"),
			 "error: budget: input0 has no budget (block and net valves have)\n");
	ck_assert_str_eq(talk("budget input0\n"), "error: budget: input0 has none\n");
	ck_assert_str_eq(talk("budget blk0 ops 1K 0 10\n"),
			 "error: budget: SIZE and BURST are requests, REFILL_MS milliseconds (numbers)\n");
	ck_assert_str_eq(talk("budget blk0 bw -1 0 10\n"),
			 "error: budget: SIZE and BURST are bytes (K, M, G allowed), REFILL_MS milliseconds (numbers)\n");
	ck_assert_str_eq(talk("budget blk0 bw 1M 0 0\n"),
			 "error: budget: blk0 bw: refill time 0 ms outside 1..3600000\n");
	ck_assert_str_eq(talk("budget blk0 bw 0 5 0\n"),
			 "error: budget: blk0 bw: a one-time burst or refill time needs a size (size 0 is no limit)\n");
	ck_assert_ptr_nonnull(strstr(talk("help\n"), "budget VALVE"));
}
END_TEST

/* A throttled valve's waits show in stats (the service thread serves it). */
START_TEST(stats_show_throttling)
{
	struct ion_host_spec spec = { .size = ION_DEFAULT_SIZE, .nr_blk = 1 };
	struct ion_header *hdr;
	struct ion_ring *sq;
	struct ion_sqe *e;
	const struct ion_queue *qd;
	uint64_t one = 1;
	char err[256], *out;
	unsigned long long thr = 0, ms = 0;

	spec.blk[0].null = true;
	spec.blk[0].null_size = 1 << 20;
	spec.blk[0].budget.ops = (struct ion_bucket_cfg){ 1, 0, 200 };
	nc_control_stop(&ctl);
	ion_host_destroy(ion);
	ck_assert_int_eq(ion_host_create(&ion, &spec, err, sizeof(err)), 0);
	ck_assert_int_eq(nc_control_start(&ctl, sock, &m, ion, err, sizeof(err)), 0);
	ck_assert_int_eq(ion_host_start(ion), 0);
	/* Three flushes at 5 per second: the second and third wait. */
	hdr = ion_host_window(ion);
	qd = &hdr->valves[0].queues[0];
	sq = (struct ion_ring *)((char *)hdr + qd->sq_off);
	for (unsigned i = 0; i < 3; i++) {
		e = (struct ion_sqe *)((char *)hdr + ion_ring_entry_off(qd->sq_off, qd->entries,
									 qd->sqe_size, i));
		memset(e, 0, sizeof(*e));
		e->opcode = ION_OP_BLK_FLUSH;
		e->id = i;
	}
	__atomic_store_n(&sq->prod, 3, __ATOMIC_RELEASE);
	ck_assert_int_eq(write(ion_host_doorbell_fd(ion, 0, 0), &one, 8), 8);
	for (int i = 0; i < 100 && __atomic_load_n(&sq->cons, __ATOMIC_ACQUIRE) != 3; i++)
		usleep(10000);
	ck_assert_uint_eq(__atomic_load_n(&sq->cons, __ATOMIC_ACQUIRE), 3);
	out = talk("stats\n");
	/* after the first line, "cell restarts=0" */
	ck_assert_msg(strstr(out, "valve 0 blk0 ") &&
		      sscanf(strstr(out, "valve 0 blk0 "), "valve 0 blk0 requests=3 %*s %*s %*s errors=0 broken=0 throttled=%llu throttled_ms=%llu",
			     &thr, &ms) == 2, "got: %s", out);
	ck_assert_uint_eq(thr, 2);
	/* 200 ms each, less the pass's lag at most */
	ck_assert_msg(ms >= 350 && ms < 1000, "got: %s", out);
	ck_assert_int_eq(ion_host_stop(ion), 0);
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

/* ---- the socket: clients at once, slow and silent ones, who may connect ---- */

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int ctl_connect(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	strcpy(a.sun_path, sock);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

/*
 * Reads from fd until what arrived ends with end, the peer closes, or ms
 * pass. Returns what arrived (NUL-terminated) in a static buffer.
 */
static char *read_answer(int fd, const char *end, int ms)
{
	static char buf[8192];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	double deadline = now_ms() + ms;
	size_t have = 0, elen = strlen(end);
	ssize_t n;

	buf[0] = '\0';
	while (have < sizeof(buf) - 1) {
		int left = (int)(deadline - now_ms());

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			break;
		n = recv(fd, buf + have, sizeof(buf) - 1 - have, 0);
		if (n <= 0)
			break;
		have += n;
		buf[have] = '\0';
		if (elen && have >= elen && !strcmp(buf + have - elen, end))
			break;
	}
	return buf;
}

/* Sends one command on an open connection; returns its answer within 1 s. */
static char *ask(int fd, const char *cmd)
{
	ck_assert_int_eq(send(fd, cmd, strlen(cmd), MSG_NOSIGNAL), (ssize_t)strlen(cmd));
	return read_answer(fd, "ok\n", 1000);
}

/*
 * A client that sends 10000 commands and never reads its answers is dropped
 * once it leaves too much unread; it does not keep stop from another client,
 * nor nc_control_stop() from returning.
 */
START_TEST(slow_reader_does_not_block_stop)
{
	static char cmds[10000 * 6];
	size_t off = 0, answers = 0, got = 0;
	char buf[65536], *p;
	double t0;
	ssize_t n;
	int a, b;

	for (unsigned i = 0; i < 10000; i++)
		memcpy(cmds + 6 * i, "stats\n", 6);
	a = ctl_connect();
	/* The server reads all of it or drops us; either way this ends. */
	while (off < sizeof(cmds) &&
	       (n = send(a, cmds + off, sizeof(cmds) - off, MSG_NOSIGNAL)) > 0)
		off += n;
	usleep(100 * 1000);		/* let the server fill a's socket */

	b = ctl_connect();
	t0 = now_ms();
	ck_assert_str_eq(ask(b, "stop\n"), "ok\n");
	ck_assert_double_lt(now_ms() - t0, 1000);
	ck_assert_int_eq(m.stop, NC_STOP_REQUEST);
	t0 = now_ms();
	nc_control_stop(&ctl);
	ck_assert_double_lt(now_ms() - t0, 1000);

	/* a got what fitted in its socket, then was dropped: far from 10000. */
	while ((n = recv(a, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		got += n;
		buf[n] = '\0';
		for (p = buf; (p = strstr(p, "ok\n")); p += 3)
			answers++;
	}
	ck_assert_msg(n == 0 || errno == ECONNRESET, "a not closed: %zd %s", n, strerror(errno));
	ck_assert_uint_gt(answers, 0);
	ck_assert_uint_lt(answers, 10000);
	close(a);
	close(b);
}
END_TEST

START_TEST(two_clients_at_once)
{
	int a = ctl_connect(), b = ctl_connect();

	/* a connected first and says nothing yet: b is served anyway. */
	ck_assert_ptr_nonnull(strstr(ask(b, "help\n"), "commands: "));
	ck_assert_ptr_nonnull(strstr(ask(a, "stats\n"), "valve 0 input0 "));
	ck_assert_ptr_nonnull(strstr(ask(b, "stats\n"), "valve 0 input0 "));
	close(a);
	close(b);
}
END_TEST

START_TEST(silent_client_does_not_block_stop)
{
	int silent = ctl_connect(), b = ctl_connect();

	ck_assert_str_eq(ask(b, "stop\n"), "ok\n");
	ck_assert_int_eq(m.stop, NC_STOP_REQUEST);
	/* The silent one is still served when it speaks. */
	ck_assert_ptr_nonnull(strstr(ask(silent, "help\n"), "\nok\n"));
	close(silent);
	close(b);
}
END_TEST

START_TEST(too_many_clients)
{
	int fd[NC_CONTROL_MAX_CLIENTS], extra;
	unsigned i;

	for (i = 0; i < NC_CONTROL_MAX_CLIENTS; i++) {
		fd[i] = ctl_connect();
		ck_assert_ptr_nonnull(strstr(ask(fd[i], "help\n"), "\nok\n"));
	}
	extra = ctl_connect();
	ck_assert_str_eq(read_answer(extra, "", 1000), "error: too many clients\n");
	close(extra);
	/* One leaves: the next one is served. */
	close(fd[0]);
	fd[0] = ctl_connect();
	ck_assert_ptr_nonnull(strstr(ask(fd[0], "help\n"), "\nok\n"));
	for (i = 0; i < NC_CONTROL_MAX_CLIENTS; i++)
		close(fd[i]);
}
END_TEST

/* 0600 from the start, whatever the umask: restarted here under umask 0. */
START_TEST(socket_mode_is_0600)
{
	char err[256];
	struct stat st;
	mode_t old;

	ck_assert_int_eq(stat(sock, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	nc_control_stop(&ctl);
	old = umask(0);
	ck_assert_int_eq(nc_control_start(&ctl, sock, &m, ion, err, sizeof(err)), 0);
	umask(old);
	ck_assert_int_eq(stat(sock, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_uint_eq(st.st_uid, geteuid());
}
END_TEST

START_TEST(peer_check)
{
	ck_assert(nc_control_peer_allowed(1000, 1000));
	ck_assert(nc_control_peer_allowed(0, 1000));
	ck_assert(nc_control_peer_allowed(0, 0));
	ck_assert(!nc_control_peer_allowed(1001, 1000));
	ck_assert(!nc_control_peer_allowed(65534, 0));
	ck_assert(!nc_control_peer_allowed(1000, 0));
}
END_TEST

START_TEST(bad_path_is_an_errno)
{
	struct nc_control c2;
	char err[256], path[200];

	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	ck_assert_int_eq(nc_control_start(&c2, path, &m, ion, err, sizeof(err)), -ENAMETOOLONG);
	ck_assert_ptr_nonnull(strstr(err, "path longer than 107 bytes"));
	ck_assert_int_eq(nc_control_start(&c2, "/nonexistent-dir/cell.sock", &m, ion, err,
					  sizeof(err)), -ENOENT);
	ck_assert_str_eq(err,
			 "control socket /nonexistent-dir/cell.sock: No such file or directory");
}
END_TEST

/*
 * In a child running as nobody: connect and pass back errno (as the exit
 * status) and what the server said (through out).
 */
static int connect_as(uid_t uid, gid_t gid, char *out, size_t outlen)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int p[2], status, fd;
	ssize_t n, have = 0;
	char *said;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		close(p[0]);
		if (setgroups(0, NULL) || setgid(gid) || setuid(uid))
			_exit(100);
		strcpy(a.sun_path, sock);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
			_exit(errno);
		said = read_answer(fd, "", 2000);	/* until the server closes */
		_exit(write(p[1], said, strlen(said)) < 0 ? 101 : 0);
	}
	close(p[1]);
	while (have < (ssize_t)outlen - 1 && (n = read(p[0], out + have, outlen - 1 - have)) > 0)
		have += n;
	out[have] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(other_user_is_refused)
{
	struct passwd *pw = getpwnam("nobody");
	uid_t uid = pw ? pw->pw_uid : 65534;
	gid_t gid = pw ? pw->pw_gid : 65534;
	char dir[108], out[256];

	if (geteuid() != 0) {
		printf("other_user_is_refused: skipped, needs root to become nobody\n");
		return;
	}
	snprintf(dir, sizeof(dir), "%s", sock);
	*strrchr(dir, '/') = '\0';
	ck_assert_int_eq(chmod(dir, 0755), 0);
	/* The file mode keeps nobody out ... */
	ck_assert_int_eq(connect_as(uid, gid, out, sizeof(out)), EACCES);
	/* ... and behind it, so does the peer check. */
	ck_assert_int_eq(chmod(sock, 0666), 0);
	ck_assert_int_eq(connect_as(uid, gid, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "error: permission denied\n");
	/* The VMM's own user still gets in. */
	{
		int fd = ctl_connect();

		ck_assert_ptr_nonnull(strstr(ask(fd, "help\n"), "\nok\n"));
		close(fd);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("control");
	TCase *tc = tcase_create("socket");
	TCase *tcc = tcase_create("clients");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, input_events_reach_the_ring);
	tcase_add_test(tc, bad_input_is_refused);
	tcase_add_test(tc, stats_lists_every_valve);
	tcase_add_test(tc, budget_command);
	tcase_add_test(tc, stats_show_throttling);
	tcase_add_test(tc, stop_reaches_the_machine);
	tcase_add_test(tc, unknown_and_overlong_lines);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tcc, setup, teardown);
	tcase_add_test(tcc, slow_reader_does_not_block_stop);
	tcase_add_test(tcc, two_clients_at_once);
	tcase_add_test(tcc, silent_client_does_not_block_stop);
	tcase_add_test(tcc, too_many_clients);
	tcase_add_test(tcc, socket_mode_is_0600);
	tcase_add_test(tcc, peer_check);
	tcase_add_test(tcc, bad_path_is_an_errno);
	tcase_add_test(tcc, other_user_is_refused);
	suite_add_tcase(s, tcc);
	return nc_check_run(s);
}
