// SPDX-License-Identifier: GPL-2.0
/*
 * `nipcell-vmm ctl SOCKET COMMAND...`: sends one command to a running
 * cell's control socket and prints the answer. busybox's nc cannot speak to
 * Unix sockets, and scenario scripts need to. The answers of `stats --json`
 * and `metrics` are data for another program: printed without their closing
 * "ok" line (the exit status says it).
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "ctl_client.h"
#include "machine.h"

#define CTL_REPLY_MS	5000

int nc_ctl_client(const char *path, int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	static char buf[NC_CONTROL_ANSWER_MAX + 1];
	char line[300];
	bool data;
	size_t used = 0, have = 0;
	struct pollfd pfd;
	ssize_t n;
	int fd, i;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "nipcell-vmm: %s: socket path too long\n", path);
		return NC_EXIT_USAGE;
	}
	for (i = 0; i < argc; i++) {
		n = snprintf(line + used, sizeof(line) - used, "%s%s", i ? " " : "", argv[i]);
		if (n < 0 || (size_t)n >= sizeof(line) - used - 1) {
			fprintf(stderr, "nipcell-vmm: command too long\n");
			return NC_EXIT_USAGE;
		}
		used += n;
	}
	line[used] = '\0';
	data = !strcmp(line, "metrics") || !strcmp(line, "stats --json");
	line[used++] = '\n';

	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "nipcell-vmm: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NC_EXIT_ERROR;
	}
	if (send(fd, line, used, MSG_NOSIGNAL) != (ssize_t)used) {
		fprintf(stderr, "nipcell-vmm: %s: %s\n", path, strerror(errno));
		close(fd);
		return NC_EXIT_ERROR;
	}
	/* Read until the answer's last line: "ok" or "error: ...". */
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		char *last;

		if (poll(&pfd, 1, CTL_REPLY_MS) <= 0 || have == sizeof(buf) - 1)
			break;
		n = recv(fd, buf + have, sizeof(buf) - 1 - have, 0);
		if (n <= 0)
			break;
		have += n;
		buf[have] = '\0';
		if (have && buf[have - 1] == '\n') {
			buf[have - 1] = '\0';
			last = strrchr(buf, '\n');
			last = last ? last + 1 : buf;
			buf[have - 1] = '\n';
			if (!strcmp(last, "ok\n") || !strncmp(last, "error:", 6)) {
				if (data && !strcmp(last, "ok\n"))
					*last = '\0';
				fputs(buf, stdout);
				close(fd);
				return strncmp(last, "error:", 6) ? NC_EXIT_OK : NC_EXIT_ERROR;
			}
		}
	}
	close(fd);
	fprintf(stderr, "nipcell-vmm: %s: no complete answer\n", path);
	return NC_EXIT_ERROR;
}
