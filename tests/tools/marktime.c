// SPDX-License-Identifier: GPL-2.0
/*
 * marktime: runs a command (a VMM, in tests/bench/nested-compare) with its
 * stdout and stderr on a pipe, passes every line through to stdout, and
 * times chosen lines by the host's clock (CLOCK_MONOTONIC, from just before
 * the fork):
 *
 *   marktime [-s STATFILE]... [-f MARKER] -- COMMAND [ARG]...
 *
 * Every line that starts with "@@ " and the first line that contains MARKER
 * are followed by a line "@@T <ms> <stats> <the line>", where <stats> is the
 * first number in each STATFILE read at that moment, comma-separated (e.g.
 * KVM's counters in /sys/kernel/debug/kvm/: exits,mmio_exit_kernel), -1 for
 * one that cannot be read, or -1 without any. At the end:
 * "@@T <ms> <stats> exit <status>". Exits with the command's status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MARKTIME_MAX_STATS	8

static double t0;
static const char *statfiles[MARKTIME_MAX_STATS];
static int nr_stats;

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static long long stat_now(const char *statfile)
{
	char buf[64];
	ssize_t n;
	int fd;

	fd = open(statfile, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtoll(buf, NULL, 10);
}

static void mark(const char *line)
{
	double t = now_ms() - t0;
	int i;

	printf("@@T %.1f ", t);
	if (!nr_stats)
		printf("-1");
	for (i = 0; i < nr_stats; i++)
		printf("%s%lld", i ? "," : "", stat_now(statfiles[i]));
	printf(" %s", line);
	if (!strchr(line, '\n'))
		putchar('\n');
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *marker = NULL;
	char *line = NULL, buf[64];
	size_t cap = 0;
	int opt, pfd[2], st, found = 0;
	pid_t pid;
	FILE *in;

	while ((opt = getopt(argc, argv, "+s:f:")) != -1) {
		switch (opt) {
		case 's':
			if (nr_stats == MARKTIME_MAX_STATS) {
				fprintf(stderr, "marktime: at most %d -s\n", MARKTIME_MAX_STATS);
				return 2;
			}
			statfiles[nr_stats++] = optarg;
			break;
		case 'f': marker = optarg; break;
		default:
			fprintf(stderr, "usage: marktime [-s STATFILE] [-f MARKER] -- COMMAND [ARG]...\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "marktime: no command\n");
		return 2;
	}
	if (pipe(pfd) < 0) {
		perror("marktime: pipe");
		return 2;
	}
	t0 = now_ms();
	pid = fork();
	if (pid < 0) {
		perror("marktime: fork");
		return 2;
	}
	if (!pid) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "marktime: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	in = fdopen(pfd[0], "r");
	if (!in) {
		perror("marktime: fdopen");
		return 2;
	}
	while (getline(&line, &cap, in) > 0) {
		if (!strncmp(line, "@@ ", 3) || (marker && !found && strstr(line, marker))) {
			found |= marker && strstr(line, marker);
			mark(line);
		}
		fputs(line, stdout);
		fflush(stdout);
	}
	if (waitpid(pid, &st, 0) < 0)
		st = 0xff00;
	snprintf(buf, sizeof(buf), "exit %d", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	mark(buf);
	free(line);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
