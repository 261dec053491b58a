// SPDX-License-Identifier: GPL-2.0
/* Error messages in the FILE:LINE:COL: form of compilers. */
#include <errno.h>
#include <stdio.h>

#include "internal.h"

void nc_config_verror(char *err, size_t errlen, const char *file,
		      unsigned line, unsigned col, const char *fmt, va_list ap)
{
	int n;

	if (!err || !errlen)
		return;
	if (line && col)
		n = snprintf(err, errlen, "%s:%u:%u: ", file, line, col);
	else if (line)
		n = snprintf(err, errlen, "%s:%u: ", file, line);
	else
		n = snprintf(err, errlen, "%s: ", file);
	if (n < 0 || (size_t)n >= errlen)
		return;
	vsnprintf(err + n, errlen - n, fmt, ap);
}

void nc_config_error(char *err, size_t errlen, const char *file,
		     unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	nc_config_verror(err, errlen, file, line, col, fmt, ap);
	va_end(ap);
}
