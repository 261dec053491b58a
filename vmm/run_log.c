// SPDX-License-Identifier: GPL-2.0
/* What `nipcell-vmm run` prints, and its clock (runtime.h). */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "runtime.h"

/* What run prints (-q, -v, [cell] log); errors and warnings always print. */
enum nc_log_level nc_run_log_level = NC_LOG_NORMAL;

/*
 * One line, in one write: stderr is unbuffered, and three writes a line
 * could interleave with the guest's console output on the same terminal.
 */
static void pr_msg(enum nc_log_level level, const char *fmt, va_list ap)
{
	char line[1024];
	int n, m;

	if (level > nc_run_log_level)
		return;
	n = snprintf(line, sizeof(line), "nipcell-vmm: ");
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	n += m > 0 ? m : 0;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;	/* cut, but still one line */
	line[n++] = '\n';
	fwrite(line, 1, n, stderr);
}

/* The start line and the exit report: not with -q. */
void run_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pr_msg(NC_LOG_NORMAL, fmt, ap);
	va_end(ap);
}

/* Warnings: always. */
void run_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pr_msg(NC_LOG_QUIET, fmt, ap);
	va_end(ap);
}

double run_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/*
 * The timing helper around the setup and teardown steps: with -v, a step
 * that took more than a millisecond shows with its time. Each call ends
 * the step that began at the previous one.
 */
void run_step_done(struct nc_runtime *rt, const char *what, ...)
{
	double t = run_now_ms(), ms = t - rt->step_ms;
	char buf[128];
	va_list ap;

	rt->step_ms = t;
	if (nc_run_log_level < NC_LOG_VERBOSE || ms <= 1.0)
		return;
	va_start(ap, what);
	vsnprintf(buf, sizeof(buf), what, ap);
	va_end(ap);
	fprintf(stderr, "nipcell-vmm: step: %-40s %8.1f ms\n", buf, ms);
}
