// SPDX-License-Identifier: GPL-2.0
/* The control socket: one client at a time, one short line per command. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

#include "control.h"
#include "machine.h"

#define CTL_LINE_MAX	256
#define CTL_IDLE_MS	30000		/* a silent client is dropped */

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
	return (errno || end == s || *end || *out < min || *out > max) ? -1 : 0;
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

int nc_valve_stats_line(struct ion_host *ion, unsigned v, char *buf, size_t len)
{
	const struct ion_valve *valve = ion_host_valve(ion, v);
	struct ion_valve_stats st;
	const char *name;

	if (!valve || ion_host_stats(ion, v, &st))
		return -1;
	/* Both from the host's own state: the window is the guest's to scribble on. */
	name = ion_host_valve_type_name(valve->type);
	snprintf(buf, len,
		 "valve %u %s%u requests=%llu bytes=%llu doorbells=%llu interrupts=%llu errors=%llu broken=%d",
		 v, name ? name : "?", valve->id,
		 (unsigned long long)st.requests, (unsigned long long)st.bytes,
		 (unsigned long long)st.doorbells, (unsigned long long)st.interrupts,
		 (unsigned long long)st.errors, st.broken);
	return 0;
}

static void ctl_stats(struct ion_host *ion, char *out, size_t outlen)
{
	char line[256];
	size_t used = 0;
	unsigned v;

	for (v = 0; v < ion_host_nr_valves(ion) && used < outlen; v++)
		if (!nc_valve_stats_line(ion, v, line, sizeof(line)))
			used += snprintf(out + used, outlen - used, "%s\n", line);
	if (used < outlen)
		snprintf(out + used, outlen - used, "ok\n");
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
	} else if (!strcmp(cmd, "stats")) {
		ctl_stats(ion, out, outlen);
	} else if (!strcmp(cmd, "stop")) {
		nc_machine_stop(m, NC_STOP_REQUEST, "stopped through the control socket");
		snprintf(out, outlen, "ok\n");
	} else if (!strcmp(cmd, "help")) {
		snprintf(out, outlen, "commands: input TYPE CODE VALUE | stats | stop | help\nok\n");
	} else {
		snprintf(out, outlen, "error: unknown command '%.32s' (try help)\n", cmd);
	}
}

static void ctl_write_all(int fd, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;

	while (len) {
		n = send(fd, s, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		s += n;
		len -= n;
	}
}

/* Serves one client until it hangs up, goes silent, or the cell stops. */
static void ctl_serve(struct nc_control *ctl, int fd)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = ctl->stop_fd, .events = POLLIN },
	};
	char line[CTL_LINE_MAX + 2], out[4096];
	size_t have = 0;
	ssize_t n;
	char *nl;

	for (;;) {
		if (poll(pfd, 2, CTL_IDLE_MS) <= 0 || pfd[1].revents)
			return;
		n = recv(fd, line + have, sizeof(line) - 1 - have, 0);
		if (n <= 0)
			return;
		have += n;
		line[have] = '\0';
		while ((nl = memchr(line, '\n', have))) {
			*nl = '\0';
			if (nl > line && nl[-1] == '\r')
				nl[-1] = '\0';
			nc_control_handle(ctl->ion, ctl->m, line, out, sizeof(out));
			ctl_write_all(fd, out);
			have -= nl + 1 - line;
			memmove(line, nl + 1, have);
			line[have] = '\0';
		}
		if (have > CTL_LINE_MAX) {
			ctl_write_all(fd, "error: line longer than 256 bytes\n");
			return;
		}
	}
}

static void *ctl_thread(void *arg)
{
	struct nc_control *ctl = arg;
	struct pollfd pfd[2] = {
		{ .fd = ctl->listen_fd, .events = POLLIN },
		{ .fd = ctl->stop_fd, .events = POLLIN },
	};
	int fd;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents)
			break;
		fd = accept4(ctl->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		ctl_serve(ctl, fd);
		close(fd);
	}
	return NULL;
}

int nc_control_start(struct nc_control *ctl, const char *path, struct nc_machine *m,
		     struct ion_host *ion, char *err, size_t errlen)
{
	memset(ctl, 0, sizeof(*ctl));
	ctl->listen_fd = ctl->stop_fd = -1;
	ctl->m = m;
	ctl->ion = ion;
	if (strlen(path) >= sizeof(ctl->addr.sun_path)) {
		snprintf(err, errlen, "control socket %s: path longer than %zu bytes", path,
			 sizeof(ctl->addr.sun_path) - 1);
		return -1;
	}
	ctl->addr.sun_family = AF_UNIX;
	strcpy(ctl->addr.sun_path, path);
	ctl->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ctl->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (ctl->listen_fd < 0 || ctl->stop_fd < 0)
		goto fail;
	unlink(path);	/* a socket left by an earlier run of this cell */
	if (bind(ctl->listen_fd, (struct sockaddr *)&ctl->addr, sizeof(ctl->addr)) < 0 ||
	    listen(ctl->listen_fd, 4) < 0)
		goto fail;
	if (pthread_create(&ctl->thread, NULL, ctl_thread, ctl)) {
		errno = EAGAIN;
		goto fail;
	}
	ctl->started = true;
	return 0;
fail:
	snprintf(err, errlen, "control socket %s: %s", path, strerror(errno));
	nc_control_stop(ctl);
	return -1;
}

void nc_control_stop(struct nc_control *ctl)
{
	uint64_t one = 1;

	if (ctl->started) {
		if (write(ctl->stop_fd, &one, sizeof(one)) == sizeof(one))
			pthread_join(ctl->thread, NULL);
		ctl->started = false;
	}
	if (ctl->listen_fd >= 0) {
		close(ctl->listen_fd);
		unlink(ctl->addr.sun_path);
	}
	if (ctl->stop_fd >= 0)
		close(ctl->stop_fd);
	ctl->listen_fd = ctl->stop_fd = -1;
}
