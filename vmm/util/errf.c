// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "errf.h"

int nc_errf(int ret, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

const char *nc_size_str(char *buf, size_t len, uint64_t size)
{
	unsigned long long v = size;

	if (v && v % (1ULL << 20) == 0)
		snprintf(buf, len, "%llu MiB", v >> 20);
	else if (v && v % 1024 == 0)
		snprintf(buf, len, "%llu KiB", v / 1024);
	else
		snprintf(buf, len, "%llu bytes", v);
	return buf;
}
