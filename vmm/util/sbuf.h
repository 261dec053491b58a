/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded text buffer that formatted output is appended to: it never
 * writes past its end, stays NUL-terminated, and remembers that something
 * did not fit.
 */
#ifndef NC_SBUF_H
#define NC_SBUF_H

#include <stdbool.h>
#include <stddef.h>

struct nc_sbuf {
	char	*p;
	size_t	len;		/* bytes at p, at least 1 */
	size_t	used;		/* excluding the NUL */
	bool	overflow;	/* something was cut */
};

static inline void nc_sbuf_init(struct nc_sbuf *b, char *p, size_t len)
{
	b->p = p;
	b->len = len;
	b->used = 0;
	b->overflow = false;
	p[0] = '\0';
}

void nc_sbuf_printf(struct nc_sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* s as a JSON string, quotes included. */
void nc_sbuf_json_str(struct nc_sbuf *b, const char *s);

#endif /* NC_SBUF_H */
