// SPDX-License-Identifier: GPL-2.0
/* Stopping the machine: the first reason wins, the main thread is woken. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
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
