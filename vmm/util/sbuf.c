// SPDX-License-Identifier: GPL-2.0
/* Appending formatted text to a bounded buffer (sbuf.h). */
#include <stdarg.h>
#include <stdio.h>

#include "util/sbuf.h"

void nc_sbuf_printf(struct nc_sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->used, b->len - b->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->len - b->used) {
		b->overflow = true;
		b->p[b->used] = '\0';	/* nothing half-written */
		return;
	}
	b->used += n;
}

void nc_sbuf_json_str(struct nc_sbuf *b, const char *s)
{
	nc_sbuf_printf(b, "\"");
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			nc_sbuf_printf(b, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)	/* bytes >= 0x80 as Latin-1: valid JSON */
			nc_sbuf_printf(b, "\\u%04x", c);
		else
			nc_sbuf_printf(b, "%c", c);
	}
	nc_sbuf_printf(b, "\"");
}
