// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: up to NC_CONTROL_MAX_CLIENTS clients at once, one short line
 * per command. One thread serves them all with poll() over non-blocking
 * sockets: a client that does not read its answers is dropped, never waited
 * for, so "stop" always gets through and nc_control_stop() returns at once.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

#include "control.h"
#include "machine.h"
#include "metrics.h"
#include "sandbox/sandbox.h"
#include "util/errf.h"

#define CTL_LINE_MAX	256
#define CTL_IDLE_MS	30000		/* a silent client is dropped */
#define CTL_OUT_MAX	16384		/* unread answer bytes a client may leave */
#define CTL_ACCEPT_PAUSE_MS 100		/* after accept() ran out of fds or memory */
#define CTL_SHUTDOWN_MAX_S 86400	/* the longest shutdown --timeout */

/* Input event names people type; anything else is a number. */
static const struct { const char *name; long val; } ctl_names[] = {
	{ "EV_SYN", 0 }, { "EV_KEY", 1 }, { "EV_REL", 2 }, { "EV_ABS", 3 },
	{ "SYN_REPORT", 0 },
};

static int ctl_number(const char *s, long min, long max, long *out)
{
	char *end;
	unsigned i;

	for (i = 0; i < sizeof(ctl_names) / sizeof(ctl_names[0]); i++)
		if (!strcmp(s, ctl_names[i].name)) {
			*out = ctl_names[i].val;
			return 0;
		}
	errno = 0;
	*out = strtol(s, &end, 0);
	if (end == s || *end)
		return -EINVAL;
	return errno || *out < min || *out > max ? -ERANGE : 0;
}

static void ctl_input(struct ion_host *ion, char *args, char *out, size_t outlen)
{
	char *f[4], *save = NULL;
	long type, code, value;
	int n = 0, ret;

	for (char *t = strtok_r(args, " \t", &save); t && n < 4; t = strtok_r(NULL, " \t", &save))
		f[n++] = t;
	if (n != 3) {
		snprintf(out, outlen, "error: usage: input TYPE CODE VALUE\n");
		return;
	}
	if (ctl_number(f[0], 0, UINT16_MAX, &type) || ctl_number(f[1], 0, UINT16_MAX, &code) ||
	    ctl_number(f[2], INT32_MIN, INT32_MAX, &value)) {
		snprintf(out, outlen, "error: input: TYPE and CODE are 0..65535, VALUE a 32-bit integer\n");
		return;
	}
	ret = ion_host_input_inject(ion, type, code, value);
	if (ret)
		snprintf(out, outlen, "error: input: %s\n",
			 ret == -ENODEV ? "the cell has no input valve" : strerror(-ret));
	else
		snprintf(out, outlen, "ok\n");
}

/* ---- budget VALVE [bw|ops SIZE BURST REFILL_MS | bw|ops off | off] ---- */

#define CTL_BUDGET_USAGE \
	"error: usage: budget VALVE [bw|ops SIZE BURST REFILL_MS | bw|ops off | off]\n"

/* "blk0", "net0" or a valve number; UINT_MAX when there is none such. */
static unsigned ctl_valve(struct ion_host *ion, const char *s)
{
	char name[32], *end;
	unsigned long n;

	if (*s >= '0' && *s <= '9') {
		n = strtoul(s, &end, 10);
		return !*end && n < ion_host_nr_valves(ion) ? (unsigned)n : UINT_MAX;
	}
	for (unsigned v = 0; v < ion_host_nr_valves(ion); v++) {
		const struct ion_valve *d = ion_host_valve(ion, v);
		const char *t = ion_host_valve_type_name(d->type);

		snprintf(name, sizeof(name), "%s%u", t ? t : "?", d->id);
		if (!strcmp(s, name))
			return v;
	}
	return UINT_MAX;
}

/* A count: decimal or 0x hex, with an optional K, M or G (x1024) for bytes. */
static int ctl_count(const char *s, bool bytes, uint64_t *out)
{
	unsigned shift = 0;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (bytes && *end && !end[1])
		shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
	if (shift)
		end++;
	if (*end || errno || *out > (UINT64_MAX >> shift))
		return -EINVAL;
	*out <<= shift;
	return 0;
}

static void ctl_budget_line(struct ion_host *ion, unsigned v, const char *name,
			    char *out, size_t outlen)
{
	struct ion_budget b;

	if (ion_host_get_budget(ion, v, &b)) {
		snprintf(out, outlen, "error: budget: %s has none\n", name);
		return;
	}
	snprintf(out, outlen,
		 "budget %s bw_size=%llu bw_burst=%llu bw_refill_ms=%llu ops_size=%llu ops_burst=%llu ops_refill_ms=%llu\nok\n",
		 name, (unsigned long long)b.bw.size, (unsigned long long)b.bw.one_time_burst,
		 (unsigned long long)b.bw.refill_ms, (unsigned long long)b.ops.size,
		 (unsigned long long)b.ops.one_time_burst, (unsigned long long)b.ops.refill_ms);
}

static void ctl_budget(struct ion_host *ion, char *args, char *out, size_t outlen)
{
	static const struct ion_bucket_cfg off = { 0, 0, 0 };
	struct ion_bucket_cfg cfg = off;
	char *f[6], *save = NULL, msg[160], name[32], what[40];
	const struct ion_valve *d;
	int n = 0, ret = 0;
	bool bw;
	unsigned v;

	for (char *t = strtok_r(args, " \t", &save); t && n < 6; t = strtok_r(NULL, " \t", &save))
		f[n++] = t;
	if (n < 1 || n == 6 || n == 4) {
		snprintf(out, outlen, CTL_BUDGET_USAGE);
		return;
	}
	v = ctl_valve(ion, f[0]);
	if (v == UINT_MAX) {
		snprintf(out, outlen, "error: budget: no valve '%.32s' (a number, or a name such as blk0, net0)\n",
			 f[0]);
		return;
	}
	d = ion_host_valve(ion, v);
	snprintf(name, sizeof(name), "%s%u", ion_host_valve_type_name(d->type) ?
		 ion_host_valve_type_name(d->type) : "?", d->id);
	if (n == 2 && !strcmp(f[1], "off")) {
		ret = ion_host_set_budget(ion, v, ION_BUDGET_BW, &off);
		if (!ret)
			ret = ion_host_set_budget(ion, v, ION_BUDGET_OPS, &off);
	} else if (n >= 3) {
		bw = !strcmp(f[1], "bw");
		if (!bw && strcmp(f[1], "ops")) {
			snprintf(out, outlen, CTL_BUDGET_USAGE);
			return;
		}
		if (n == 3 && strcmp(f[2], "off")) {
			snprintf(out, outlen, CTL_BUDGET_USAGE);
			return;
		}
		if (n == 5 && (ctl_count(f[2], bw, &cfg.size) ||
			       ctl_count(f[3], bw, &cfg.one_time_burst) ||
			       ctl_count(f[4], false, &cfg.refill_ms))) {
			snprintf(out, outlen, "error: budget: SIZE and BURST are %s, REFILL_MS milliseconds (numbers)\n",
				 bw ? "bytes (K, M, G allowed)" : "requests");
			return;
		}
		snprintf(what, sizeof(what), "%s %s", name, f[1]);
		if (ion_bucket_cfg_check(&cfg, what, msg, sizeof(msg))) {
			snprintf(out, outlen, "error: budget: %s\n", msg);
			return;
		}
		ret = ion_host_set_budget(ion, v, bw ? ION_BUDGET_BW : ION_BUDGET_OPS, &cfg);
	} else if (n != 1) {
		snprintf(out, outlen, CTL_BUDGET_USAGE);
		return;
	}
	if (ret == -EOPNOTSUPP)
		snprintf(out, outlen, "error: budget: %s has no budget (block and net valves have)\n",
			 name);
	else if (ret)
		snprintf(out, outlen, "error: budget: %s\n", strerror(-ret));
	else
		ctl_budget_line(ion, v, name, out, outlen);
}

int nc_valve_stats_line(struct ion_host *ion, unsigned v, char *buf, size_t len)
{
	const struct ion_valve *valve = ion_host_valve(ion, v);
	struct ion_valve_stats st;
	const char *name;

	if (!valve || ion_host_stats(ion, v, &st))
		return -EINVAL;
	/* Both from the host's own state: the window is the guest's to scribble on. */
	name = ion_host_valve_type_name(valve->type);
	snprintf(buf, len,
		 "valve %u %s%u requests=%llu bytes=%llu doorbells=%llu interrupts=%llu errors=%llu broken=%d throttled=%llu throttled_ms=%llu",
		 v, name ? name : "?", valve->id,
		 (unsigned long long)st.requests, (unsigned long long)st.bytes,
		 (unsigned long long)st.doorbells, (unsigned long long)st.interrupts,
		 (unsigned long long)st.errors, st.broken,
		 (unsigned long long)st.throttled,
		 (unsigned long long)(st.throttled_ns / 1000000));
	return 0;
}

static void ctl_stats(struct ion_host *ion, struct nc_machine *m, char *out,
		      size_t outlen)
{
	char line[256];
	size_t used = 0;
	unsigned v;

	/* [cell] restart: how many new guests this run booted. */
	used += snprintf(out, outlen, "cell restarts=%u\n",
			 m ? __atomic_load_n(&m->restarts, __ATOMIC_RELAXED) : 0);

	for (v = 0; v < ion_host_nr_valves(ion) && used < outlen; v++)
		if (!nc_valve_stats_line(ion, v, line, sizeof(line)))
			used += snprintf(out + used, outlen - used, "%s\n", line);
	/* Export valves: which /dev/ublkbN, and whether it is there. */
	for (v = 0; v < ion_host_nr_valves(ion) && used < outlen; v++)
		if (!ion_host_export_line(ion, v, line, sizeof(line)))
			used += snprintf(out + used, outlen - used, "%s\n", line);
	if (used < outlen)
		snprintf(out + used, outlen - used, "ok\n");
}

/* stats --json and metrics: a snapshot of the machine, then "ok". */
static void ctl_metrics(struct ion_host *ion, struct nc_machine *m, bool json, char *out,
			size_t outlen)
{
	static struct nc_metrics mx;	/* the control thread's (and tests') only */
	struct nc_sbuf b;

	nc_metrics_collect(m, ion, &mx);
	nc_sbuf_init(&b, out, outlen);
	if (json)
		nc_metrics_json(&mx, &b);
	else
		nc_metrics_prometheus(&mx, &b);
	nc_sbuf_printf(&b, "ok\n");
	if (b.overflow)
		snprintf(out, outlen, "error: %s: answer longer than %zu bytes\n",
			 json ? "stats --json" : "metrics", outlen);
}

/* shutdown [--timeout S]: ask the guest to power off; stop hard after S s. */
static void ctl_shutdown(struct ion_host *ion, struct nc_machine *m, char *args, char *out,
			 size_t outlen)
{
	char *f[3], *save = NULL;
	long secs = NC_SHUTDOWN_TIMEOUT_S;
	int64_t at;
	int n = 0, ret;

	for (char *t = strtok_r(args, " \t", &save); t && n < 3; t = strtok_r(NULL, " \t", &save))
		f[n++] = t;
	if (n == 1 && !strncmp(f[0], "--timeout=", 10)) {
		f[1] = f[0] + 10;
		f[0] = "--timeout";
		n = 2;
	}
	if (n && (n != 2 || strcmp(f[0], "--timeout"))) {
		snprintf(out, outlen, "error: usage: shutdown [--timeout S]\n");
		return;
	}
	if (n == 2) {
		char *end;

		errno = 0;
		secs = strtol(f[1], &end, 10);
		if (end == f[1] || *end || errno || secs < 1 || secs > CTL_SHUTDOWN_MAX_S)
			secs = -1;
	}
	if (secs < 0) {
		snprintf(out, outlen, "error: shutdown: --timeout takes 1..%d seconds, not '%.32s'\n",
			 CTL_SHUTDOWN_MAX_S, f[1]);
		return;
	}
	ret = ion_host_request(ion, ION_HOST_REQ_POWEROFF);
	if (ret) {
		snprintf(out, outlen, "error: shutdown: %s\n",
			 ret == -ENODEV ? "the cell has no valve whose interrupt could tell the guest"
					: strerror(-ret));
		return;
	}
	at = nc_now_ms() + secs * 1000;
	if (!m->shutdown_at_ms || at < m->shutdown_at_ms) {
		m->shutdown_at_ms = at;
		m->shutdown_timeout_s = secs;
	}
	snprintf(out, outlen, "ok\n");
}

void nc_control_handle(struct ion_host *ion, struct nc_machine *m, const char *line,
		       char *out, size_t outlen)
{
	char buf[CTL_LINE_MAX + 1], *cmd, *args;
	size_t len = strnlen(line, CTL_LINE_MAX + 1);

	if (len > CTL_LINE_MAX) {
		snprintf(out, outlen, "error: line longer than %d bytes\n", CTL_LINE_MAX);
		return;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	cmd = buf + strspn(buf, " \t");
	args = cmd + strcspn(cmd, " \t");
	if (*args)
		*args++ = '\0';

	if (!strcmp(cmd, "input")) {
		ctl_input(ion, args, out, outlen);
	} else if (!strcmp(cmd, "budget")) {
		ctl_budget(ion, args, out, outlen);
	} else if (!strcmp(cmd, "stats") && !*args) {
		ctl_stats(ion, m, out, outlen);
	} else if (!strcmp(cmd, "stats") && !strcmp(args, "--json")) {
		ctl_metrics(ion, m, true, out, outlen);
	} else if (!strcmp(cmd, "stats")) {
		snprintf(out, outlen, "error: usage: stats [--json]\n");
	} else if (!strcmp(cmd, "metrics") && !*args) {
		ctl_metrics(ion, m, false, out, outlen);
	} else if (!strcmp(cmd, "shutdown")) {
		ctl_shutdown(ion, m, args, out, outlen);
	} else if (!strcmp(cmd, "stop")) {
		nc_machine_stop(m, NC_STOP_REQUEST, "stopped through the control socket");
		snprintf(out, outlen, "ok\n");
	} else if (!strcmp(cmd, "help")) {
		snprintf(out, outlen,
			 "commands: input TYPE CODE VALUE | budget VALVE [bw|ops SIZE BURST REFILL_MS | bw|ops off | off] | stats [--json] | metrics | shutdown [--timeout S] | stop | help\nok\n");
	} else {
		snprintf(out, outlen, "error: unknown command '%.32s' (try help)\n", cmd);
	}
}

/* ---- the socket: up to NC_CONTROL_MAX_CLIENTS clients, none of them waited for ---- */

struct ctl_conn {
	int		fd;		/* non-blocking */
	bool		closing;	/* read no more; close once out is sent */
	int64_t		idle_at;	/* CLOCK_MONOTONIC ms: dropped if silent till then */
	size_t		in_len;
	size_t		out_off, out_len;	/* out[out_off, out_len) is unsent */
	char		in[CTL_LINE_MAX + 2];
	char		out[CTL_OUT_MAX];
};

bool nc_control_peer_allowed(uid_t peer, uid_t self)
{
	return peer == 0 || peer == self;
}

static int64_t ctl_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Sends what the socket takes now. 0, or -errno when the client is gone. */
static int ctl_flush(struct ctl_conn *c)
{
	ssize_t n;

	while (c->out_off < c->out_len) {
		n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
		c->out_off += n;
	}
	c->out_off = c->out_len = 0;
	return 0;
}

/*
 * Queues a reply and sends what the socket takes. A client that leaves more
 * than CTL_OUT_MAX bytes unread is not waited for: -ENOBUFS, and it is
 * dropped.
 */
static int ctl_reply(struct ctl_conn *c, const char *s)
{
	size_t len = strlen(s);
	int ret = ctl_flush(c);

	if (ret)
		return ret;
	if (c->out_len - c->out_off + len > CTL_OUT_MAX)
		return -ENOBUFS;
	if (c->out_len + len > CTL_OUT_MAX) {
		memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
		c->out_len -= c->out_off;
		c->out_off = 0;
	}
	memcpy(c->out + c->out_len, s, len);
	c->out_len += len;
	return ctl_flush(c);
}

/* Runs every complete line in c->in. 0, or -errno to drop the client. */
static int ctl_lines(struct nc_control *ctl, struct ctl_conn *c)
{
	char *out = ctl->answer, *nl;
	int ret;

	while (!c->closing && (nl = memchr(c->in, '\n', c->in_len))) {
		*nl = '\0';
		if (nl > c->in && nl[-1] == '\r')
			nl[-1] = '\0';
		nc_control_handle(ctl->ion, ctl->m, c->in, out, sizeof(ctl->answer));
		ret = ctl_reply(c, out);
		if (ret)
			return ret;
		c->in_len -= nl + 1 - c->in;
		memmove(c->in, nl + 1, c->in_len);
	}
	if (!c->closing && c->in_len > CTL_LINE_MAX) {
		c->closing = true;
		return ctl_reply(c, "error: line longer than 256 bytes\n");
	}
	return 0;
}

/* One poll result for one client. 0 to keep it, or -errno to close it. */
static int ctl_conn_event(struct nc_control *ctl, struct ctl_conn *c, short revents,
			  int64_t now)
{
	ssize_t n;
	int ret;

	if (revents & POLLOUT) {
		ret = ctl_flush(c);
		if (ret)
			return ret;
	}
	if (!c->closing && (revents & (POLLIN | POLLHUP | POLLERR))) {
		n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - 1 - c->in_len, MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		if (n == 0) {
			c->closing = true;	/* the client has said all it will */
		} else if (n > 0) {
			c->in_len += n;
			c->idle_at = now + CTL_IDLE_MS;
			ret = ctl_lines(ctl, c);
			if (ret)
				return ret;
		}
	} else if (revents & (POLLHUP | POLLERR)) {
		return -EPIPE;		/* nobody left to read what is queued */
	}
	if (now >= c->idle_at)
		return -ETIMEDOUT;
	return c->closing && c->out_off == c->out_len ? -ESHUTDOWN : 0;
}

/* A connection that is not served: one line, sent if the socket takes it. */
static void ctl_refuse(int fd, const char *why)
{
	ssize_t n = send(fd, why, strlen(why), MSG_NOSIGNAL | MSG_DONTWAIT);

	(void)n;	/* nothing to do about a client that cannot hear it */
	close(fd);
}

/* Accepts one connection. 0, or -errno when accepting should pause. */
static int ctl_accept(struct nc_control *ctl, struct ctl_conn **conns, int64_t now)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	unsigned i;
	int fd;

	fd = accept4(ctl->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		       errno == ENOMEM ? -errno : 0;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) || len != sizeof(cred) ||
	    !nc_control_peer_allowed(cred.uid, geteuid())) {
		ctl_refuse(fd, "error: permission denied\n");
		return 0;
	}
	for (i = 0; i < NC_CONTROL_MAX_CLIENTS && conns[i]; i++)
		;
	if (i == NC_CONTROL_MAX_CLIENTS) {
		ctl_refuse(fd, "error: too many clients\n");
		return 0;
	}
	conns[i] = malloc(sizeof(*conns[i]));
	if (!conns[i]) {
		ctl_refuse(fd, "error: out of memory\n");
		return 0;
	}
	conns[i]->fd = fd;
	conns[i]->closing = false;
	conns[i]->idle_at = now + CTL_IDLE_MS;
	conns[i]->in_len = conns[i]->out_off = conns[i]->out_len = 0;
	return 0;
}

static void ctl_drop(struct ctl_conn **c)
{
	close((*c)->fd);
	free(*c);
	*c = NULL;
}

/* A shutdown the guest did not follow in time: the hard stop. */
static void ctl_shutdown_check(struct nc_machine *m, int64_t now)
{
	if (!m->shutdown_at_ms || now < m->shutdown_at_ms)
		return;
	m->shutdown_at_ms = 0;
	nc_machine_stop(m, NC_STOP_REQUEST,
			"the guest did not power off within %u s of the shutdown request: stopped",
			m->shutdown_timeout_s);
}

/*
 * Sleeps until the listening socket, a client, the stop eventfd or a
 * shutdown's deadline needs us.
 */
static void *ctl_thread(void *arg)
{
	struct nc_control *ctl = arg;
	struct ctl_conn *conns[NC_CONTROL_MAX_CLIENTS] = { NULL };
	struct pollfd pfd[2 + NC_CONTROL_MAX_CLIENTS];
	unsigned slot[2 + NC_CONTROL_MAX_CLIENTS], nfds, i, j;
	int64_t now, accept_at = 0;
	int timeout;

	if (nc_sandbox_thread_enter(NC_THREAD_CONTROL, 0))
		return NULL;
	for (;;) {
		pfd[0] = (struct pollfd){ .fd = ctl->stop_fd, .events = POLLIN };
		now = ctl_now_ms();
		/* Out of fds or memory: accept again later, not in a busy loop. */
		pfd[1] = (struct pollfd){ .fd = now < accept_at ? -1 : ctl->listen_fd,
					  .events = POLLIN };
		nfds = 2;
		timeout = now < accept_at ? (int)(accept_at - now) : -1;
		if (ctl->m->shutdown_at_ms) {
			int64_t left = ctl->m->shutdown_at_ms > now ?
				       ctl->m->shutdown_at_ms - now : 0;

			if (timeout < 0 || left < timeout)
				timeout = (int)left;
		}
		for (i = 0; i < NC_CONTROL_MAX_CLIENTS; i++) {
			struct ctl_conn *c = conns[i];
			int64_t left;

			if (!c)
				continue;
			pfd[nfds].fd = c->fd;
			pfd[nfds].events = (c->closing ? 0 : POLLIN) |
					   (c->out_off < c->out_len ? POLLOUT : 0);
			pfd[nfds].revents = 0;
			slot[nfds++] = i;
			left = c->idle_at > now ? c->idle_at - now : 0;
			if (timeout < 0 || left < timeout)
				timeout = (int)left;
		}
		if (poll(pfd, nfds, timeout) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].revents)
			break;
		now = ctl_now_ms();
		ctl_shutdown_check(ctl->m, now);
		for (j = 2; j < nfds; j++)
			if (ctl_conn_event(ctl, conns[slot[j]], pfd[j].revents, now))
				ctl_drop(&conns[slot[j]]);
		if ((pfd[1].revents & POLLIN) && ctl_accept(ctl, conns, now))
			accept_at = now + CTL_ACCEPT_PAUSE_MS;
	}
	/* Stopping: one last try at what is queued, then every client is closed. */
	for (i = 0; i < NC_CONTROL_MAX_CLIENTS; i++)
		if (conns[i]) {
			ctl_flush(conns[i]);
			ctl_drop(&conns[i]);
		}
	return NULL;
}

int nc_control_start(struct nc_control *ctl, const char *path, struct nc_machine *m,
		     struct ion_host *ion, char *err, size_t errlen)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int ret;

	memset(ctl, 0, sizeof(*ctl));
	ctl->listen_fd = ctl->stop_fd = -1;
	ctl->m = m;
	ctl->ion = ion;
	if (strlen(path) >= sizeof(addr.sun_path))
		return nc_errf(-ENAMETOOLONG, err, errlen,
			       "control socket %s: path longer than %zu bytes", path,
			       sizeof(addr.sun_path) - 1);
	strcpy(addr.sun_path, path);
	ctl->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	ctl->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (ctl->listen_fd < 0 || ctl->stop_fd < 0)
		goto fail;
	/*
	 * Linux creates the socket file with the mode of the socket's inode
	 * less the umask: set it before bind() and the file is never wider
	 * than 0600. The chmod() after it only restores owner bits that an
	 * unusual umask took away.
	 */
	if (fchmod(ctl->listen_fd, 0600) < 0)
		goto fail;
	unlink(path);	/* a socket left by an earlier run of this cell */
	if (bind(ctl->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		goto fail;
	ctl->addr = addr;	/* ours now: nc_control_stop() removes it */
	if (chmod(path, 0600) < 0 || listen(ctl->listen_fd, NC_CONTROL_MAX_CLIENTS) < 0)
		goto fail;
	ret = pthread_create(&ctl->thread, NULL, ctl_thread, ctl);
	if (ret) {
		errno = ret;
		goto fail;
	}
	ctl->started = true;
	return 0;
fail:
	ret = -errno;
	nc_control_stop(ctl);
	return nc_errf(ret, err, errlen, "control socket %s: %s", path, strerror(-ret));
}

void nc_control_stop(struct nc_control *ctl)
{
	uint64_t one = 1;

	if (ctl->started) {
		/* The thread never blocks but in poll(), which this ends. */
		if (write(ctl->stop_fd, &one, sizeof(one)) == sizeof(one))
			pthread_join(ctl->thread, NULL);
		ctl->started = false;
	}
	if (ctl->listen_fd >= 0) {
		close(ctl->listen_fd);
		if (ctl->addr.sun_path[0])
			unlink(ctl->addr.sun_path);
	}
	if (ctl->stop_fd >= 0)
		close(ctl->stop_fd);
	ctl->listen_fd = ctl->stop_fd = -1;
	ctl->addr.sun_path[0] = '\0';
}
