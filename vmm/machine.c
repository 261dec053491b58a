// SPDX-License-Identifier: GPL-2.0
/*
 * Stopping the machine (the first reason wins, the main thread is woken),
 * and the names of stop reasons and vCPU exits.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "machine.h"

void nc_machine_stop(struct nc_machine *m, enum nc_stop why, const char *fmt, ...)
{
	uint64_t one = 1;
	va_list ap;

	pthread_mutex_lock(&m->lock);
	if (m->stop == NC_STOP_NONE) {
		m->stop = why;
		va_start(ap, fmt);
		vsnprintf(m->stop_why, sizeof(m->stop_why), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&m->lock);
	if (m->stop_fd < 0 || write(m->stop_fd, &one, sizeof(one)) < 0)
		m->stopping = true;	/* nobody to wake: stop the loops directly */
}

int64_t nc_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

const char *nc_vexit_name(enum nc_vexit r)
{
	static const char *const names[NC_VEXIT_NR] = {
		[NC_VEXIT_MMIO] = "mmio", [NC_VEXIT_SYSTEM_EVENT] = "system_event",
		[NC_VEXIT_INTR] = "intr", [NC_VEXIT_NISV] = "nisv",
		[NC_VEXIT_FAIL_ENTRY] = "fail_entry", [NC_VEXIT_OTHER] = "other",
	};

	return (unsigned)r < NC_VEXIT_NR ? names[r] : "?";
}

const char *nc_stop_name(enum nc_stop s)
{
	switch (s) {
	case NC_STOP_POWEROFF:	return "poweroff";
	case NC_STOP_RESET:	return "reset";
	case NC_STOP_CRASH:	return "crash";
	case NC_STOP_ERROR:	return "error";
	case NC_STOP_SIGNAL:	return "signal";
	case NC_STOP_REQUEST:	return "request";
	default:		return "none";
	}
}
