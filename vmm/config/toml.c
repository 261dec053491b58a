// SPDX-License-Identifier: GPL-2.0
/*
 * The strict TOML subset of cell files (docs/cell-toml.md, "Syntax").
 *
 * A hand-written single pass over the bytes, never past len: each line is
 * blank, a comment, a table header or one key = value, optionally followed
 * by a comment. Lines end in LF or CRLF. Strings and comments must be valid
 * UTF-8; every other byte outside them must be ASCII.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "toml.h"

struct reader {
	const char *file;
	const unsigned char *p;
	size_t len;
	size_t pos;
	unsigned line;
	size_t line_start;		/* offset of the current line */
	char *err;
	size_t errlen;
	char key[NC_TOML_KEY_MAX + 1];	/* the current key or table name */
	char str[NC_TOML_STR_MAX + 1];	/* the current string, decoded */
	size_t str_len;
};

static int peek(const struct reader *r, size_t off)
{
	return r->pos + off < r->len ? r->p[r->pos + off] : -1;
}

static struct nc_toml_pos pos_at(const struct reader *r, size_t off)
{
	return (struct nc_toml_pos){ r->line, off - r->line_start + 1 };
}

static int fail(struct reader *r, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct reader *r, size_t off, const char *fmt, ...)
{
	struct nc_toml_pos p = pos_at(r, off);
	va_list ap;

	va_start(ap, fmt);
	nc_config_verror(r->err, r->errlen, r->file, p.line, p.col, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A byte as messages name it: 'x', end of line, NUL byte, byte 0xc3. */
static const char *describe(int c, char *buf, size_t len)
{
	if (c < 0)
		return "end of file";
	if (c == '\n')
		return "end of line";
	if (c == '\r')
		return "carriage return";
	if (c == 0)
		return "NUL byte";
	if (c < 0x20 || c == 0x7f)
		snprintf(buf, len, "control character 0x%02x", c);
	else if (c >= 0x80)
		snprintf(buf, len, "byte 0x%02x", c);
	else
		snprintf(buf, len, "'%c'", c);
	return buf;
}

static int is_bare(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int is_eol(const struct reader *r)
{
	int c = peek(r, 0);

	return c < 0 || c == '\n' || (c == '\r' && peek(r, 1) == '\n');
}

/* Length of the UTF-8 sequence at s, or 0 when it is not valid UTF-8. */
static size_t utf8_seq(const unsigned char *s, size_t avail)
{
	uint32_t cp, min;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void skip_ws(struct reader *r)
{
	while (peek(r, 0) == ' ' || peek(r, 0) == '\t')
		r->pos++;
}

/* At '\n', '\r\n' or a lone '\r' (an error). */
static int newline(struct reader *r)
{
	if (peek(r, 0) == '\r') {
		if (peek(r, 1) != '\n')
			return fail(r, r->pos,
				    "carriage return not followed by a line feed");
		r->pos++;
	}
	r->pos++;
	r->line++;
	r->line_start = r->pos;
	return 0;
}

/* At '#': up to, not including, the end of the line. */
static int comment(struct reader *r)
{
	char buf[32];
	size_t n;
	int c;

	for (r->pos++; !is_eol(r); r->pos += n) {
		c = peek(r, 0);
		n = 1;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(r, r->pos, "%s in comment",
				    describe(c, buf, sizeof(buf)));
		if (c >= 0x80) {
			n = utf8_seq(r->p + r->pos, r->len - r->pos);
			if (!n)
				return fail(r, r->pos, "invalid UTF-8 in comment");
		}
	}
	return 0;
}

/* After a header or value: blanks, an optional comment, end of line. */
static int end_of_line(struct reader *r, const char *what, const char *name)
{
	char buf[32];

	skip_ws(r);
	if (peek(r, 0) == '#' && comment(r))
		return -EINVAL;
	if (peek(r, 0) < 0)
		return 0;
	if (is_eol(r) || peek(r, 0) == '\r')
		return newline(r);
	return fail(r, r->pos, "unexpected %s after %s %s",
		    describe(peek(r, 0), buf, sizeof(buf)), what, name);
}

/* A bare key or table name into r->key; 0 bytes read is the caller's. */
static int bare(struct reader *r, const char *what)
{
	size_t start = r->pos, n;

	while (is_bare(peek(r, 0)))
		r->pos++;
	n = r->pos - start;
	if (n > NC_TOML_KEY_MAX)
		return fail(r, start, "%s '%.20s...' is longer than %d bytes",
			    what, (const char *)r->p + start, NC_TOML_KEY_MAX);
	memcpy(r->key, r->p + start, n);
	r->key[n] = '\0';
	return 0;
}

static int header(struct reader *r, const struct nc_toml_handler *h,
		  void *ctx)
{
	size_t start = r->pos;
	bool array = peek(r, 1) == '[';
	const char *open = array ? "[[" : "[";
	const char *close = array ? "]]" : "]";
	char buf[32], what[NC_TOML_KEY_MAX + 8];
	int c;

	r->pos += array ? 2 : 1;
	skip_ws(r);
	if (bare(r, "table name"))
		return -EINVAL;
	if (!r->key[0]) {
		c = peek(r, 0);
		if (c == '"' || c == '\'')
			return fail(r, r->pos,
				    "quoted table names are not supported");
		if (c == ']')
			return fail(r, r->pos, "empty table name");
		return fail(r, r->pos, "unexpected %s in table header",
			    describe(c, buf, sizeof(buf)));
	}
	skip_ws(r);
	if (peek(r, 0) == '.')
		return fail(r, r->pos,
			    "dotted table names ([%s...]) are not supported",
			    r->key);
	if (peek(r, 0) != ']' || (array && peek(r, 1) != ']'))
		return fail(r, r->pos, "expected '%s' to close '%s%s'",
			    close, open, r->key);
	r->pos += array ? 2 : 1;
	if (h->table && h->table(ctx, r->key, array, pos_at(r, start)))
		return -EINVAL;
	snprintf(what, sizeof(what), "%s%s%s", open, r->key, close);
	return end_of_line(r, "table header", what);
}

/* At a backslash in a string: decode one escape into r->str. */
static int escape(struct reader *r, size_t *cp)
{
	static const char simple[] = "b\bt\tn\nf\fr\r\"\"\\\\";
	size_t at = r->pos, ndig, i;
	char buf[32];
	int e = peek(r, 1), d;
	const char *s;

	for (s = simple; *s; s += 2) {
		if (e == *s) {
			*cp = (unsigned char)s[1];
			r->pos += 2;
			return 0;
		}
	}
	if (e != 'u' && e != 'U') {
		if (e >= 0x20 && e < 0x7f)
			return fail(r, at, "invalid escape '\\%c' in string for key '%s'",
				    e, r->key);
		return fail(r, at, "invalid escape: '\\' followed by %s in string for key '%s'",
			    describe(e, buf, sizeof(buf)), r->key);
	}
	ndig = e == 'u' ? 4 : 8;
	*cp = 0;
	for (i = 0; i < ndig; i++) {
		d = peek(r, 2 + i);
		if (d >= '0' && d <= '9')
			d -= '0';
		else if (d >= 'a' && d <= 'f')
			d -= 'a' - 10;
		else if (d >= 'A' && d <= 'F')
			d -= 'A' - 10;
		else
			return fail(r, at, "invalid escape: '\\%c' needs %zu hex digits (key '%s')",
				    e, ndig, r->key);
		*cp = *cp << 4 | d;
	}
	if (*cp == 0)
		return fail(r, at, "'\\%c' escape of NUL is not allowed (key '%s')",
			    e, r->key);
	if (*cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return fail(r, at, "'\\%c' escape of U+%04zX: not a Unicode scalar value (key '%s')",
			    e, *cp, r->key);
	r->pos += 2 + ndig;
	return 0;
}

/* Append code point cp, UTF-8 encoded, to r->str. */
static int put(struct reader *r, size_t cp, size_t start)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = 0xc0 | cp >> 6;
		b[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = 0xe0 | cp >> 12;
		b[1] = 0x80 | ((cp >> 6) & 0x3f);
		b[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		b[0] = 0xf0 | cp >> 18;
		b[1] = 0x80 | ((cp >> 12) & 0x3f);
		b[2] = 0x80 | ((cp >> 6) & 0x3f);
		b[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	if (r->str_len + n > NC_TOML_STR_MAX)
		return fail(r, start, "string for key '%s' is longer than %d bytes",
			    r->key, NC_TOML_STR_MAX);
	memcpy(r->str + r->str_len, b, n);
	r->str_len += n;
	return 0;
}

/* At '"': a basic string, decoded into r->str. */
static int string(struct reader *r, struct nc_toml_value *v)
{
	size_t start = r->pos, cp = 0, n;
	char buf[32];
	int c;

	if (peek(r, 1) == '"' && peek(r, 2) == '"')
		return fail(r, start, "multi-line strings are not supported (key '%s')",
			    r->key);
	r->pos++;
	r->str_len = 0;
	for (;;) {
		if (is_eol(r))
			return fail(r, start, "unterminated string for key '%s'",
				    r->key);
		c = peek(r, 0);
		if (c == '"')
			break;
		if (c == '\\') {
			if (escape(r, &cp) || put(r, cp, start))
				return -EINVAL;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(r, r->pos, "%s in string for key '%s': write it as an escape",
				    describe(c, buf, sizeof(buf)), r->key);
		n = utf8_seq(r->p + r->pos, r->len - r->pos);
		if (!n)
			return fail(r, r->pos, "invalid UTF-8 in string for key '%s'",
				    r->key);
		if (r->str_len + n > NC_TOML_STR_MAX)
			return fail(r, start, "string for key '%s' is longer than %d bytes",
				    r->key, NC_TOML_STR_MAX);
		memcpy(r->str + r->str_len, r->p + r->pos, n);
		r->str_len += n;
		r->pos += n;
	}
	r->pos++;
	r->str[r->str_len] = '\0';
	v->type = NC_TOML_STRING;
	v->str = r->str;
	v->len = r->str_len;
	return 0;
}

static int digit(int c, unsigned base)
{
	int d = -1;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	return d < (int)base ? d : -1;
}

/* The integer in t[0..n) at offset start: decimal with sign, or 0x hex. */
static int integer(struct reader *r, const char *t, size_t n, size_t start,
		   int64_t *out)
{
	size_t i = 0, ndig = 0;
	unsigned base = 10;
	bool neg = false;
	uint64_t acc = 0;
	char buf[32];
	int d;

	if (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-';
		i = 1;
	}
	if (n - i >= 2 && t[i] == '0' &&
	    (t[i + 1] == 'x' || t[i + 1] == 'o' || t[i + 1] == 'b')) {
		if (t[i + 1] != 'x')
			return fail(r, start, "octal and binary integers are not supported (key '%s')",
				    r->key);
		if (i)
			return fail(r, start, "hex integers take no sign (key '%s')",
				    r->key);
		base = 16;
		i += 2;
	}
	for (; i < n; i++) {
		if (t[i] == '_') {
			if (!ndig || digit(t[i - 1], base) < 0 || i + 1 >= n ||
			    digit(t[i + 1], base) < 0)
				return fail(r, start + i, "'_' in an integer must be between digits (key '%s')",
					    r->key);
			continue;
		}
		d = digit(t[i], base);
		if (d < 0)
			return fail(r, start + i, "unexpected %s in integer for key '%s'%s",
				    describe(t[i], buf, sizeof(buf)), r->key,
				    base == 10 && t[i] != '-' && t[i] != '+' ?
				    " (strings need double quotes)" : "");
		if (acc > (UINT64_MAX - d) / base)
			return fail(r, start, "integer for key '%s' is too large",
				    r->key);
		acc = acc * base + d;
		ndig++;
	}
	if (!ndig)
		return fail(r, start, "invalid integer '%.*s' for key '%s'",
			    (int)n, t, r->key);
	if (base == 10 && ndig > 1 && t[neg || t[0] == '+'] == '0')
		return fail(r, start, "leading zeros are not allowed in integer for key '%s'",
			    r->key);
	if (acc > (uint64_t)INT64_MAX + neg)
		return fail(r, start, "integer for key '%s' is too large",
			    r->key);
	*out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
	return 0;
}

/* A value that is not a string: a boolean or an integer (or unsupported). */
static int word(struct reader *r, struct nc_toml_value *v)
{
	size_t start = r->pos, n, i, sign;
	const char *t = (const char *)r->p + start;
	bool hex;
	int c;

	while ((c = peek(r, 0)) >= 0 &&
	       (is_bare(c) || c == '+' || c == '.' || c == ':'))
		r->pos++;
	n = r->pos - start;
#define IS(s) (n == sizeof(s) - 1 && !memcmp(t, s, n))
	if (IS("true") || IS("false")) {
		v->type = NC_TOML_BOOLEAN;
		v->b = t[0] == 't';
		return 0;
	}
	if (IS("inf") || IS("+inf") || IS("-inf") ||
	    IS("nan") || IS("+nan") || IS("-nan"))
		return fail(r, start, "floats are not supported (key '%s')",
			    r->key);
#undef IS
	sign = t[0] == '+' || t[0] == '-';
	c = sign < n ? t[sign] : '0';
	if (!(c >= '0' && c <= '9'))
		return fail(r, start, "invalid value '%.*s' for key '%s' (strings need double quotes)",
			    (int)(n > 40 ? 40 : n), t, r->key);
	hex = sign + 1 < n && t[sign] == '0' && t[sign + 1] == 'x';
	for (i = sign + 1; i < n; i++) {
		if (t[i] == ':' || t[i] == '-')
			return fail(r, start, "dates and times are not supported (key '%s')",
				    r->key);
		if (t[i] == '.' || (!hex && (t[i] == 'e' || t[i] == 'E')))
			return fail(r, start, "floats are not supported (key '%s')",
				    r->key);
	}
	v->type = NC_TOML_INTEGER;
	return integer(r, t, n, start, &v->i);
}

static int keyval(struct reader *r, const struct nc_toml_handler *h,
		  void *ctx)
{
	struct nc_toml_value v = { 0 };
	char buf[32], what[NC_TOML_KEY_MAX + 3];
	size_t start = r->pos;
	int c;

	if (bare(r, "key"))
		return -EINVAL;
	skip_ws(r);
	c = peek(r, 0);
	if (c == '.')
		return fail(r, r->pos, "dotted keys are not supported (key '%s')",
			    r->key);
	if (c != '=') {
		if (is_eol(r) || c == '#')
			return fail(r, r->pos, "missing '=' after key '%s'",
				    r->key);
		return fail(r, r->pos, "expected '=' after key '%s', found %s",
			    r->key, describe(c, buf, sizeof(buf)));
	}
	r->pos++;
	skip_ws(r);
	c = peek(r, 0);
	v.pos = pos_at(r, r->pos);
	if (is_eol(r) || c == '#')
		return fail(r, r->pos, "missing value for key '%s'", r->key);
	if (c == '"') {
		if (string(r, &v))
			return -EINVAL;
	} else if (c == '\'') {
		return fail(r, r->pos, "literal strings ('...') are not supported, use \"...\" (key '%s')",
			    r->key);
	} else if (c == '[') {
		return fail(r, r->pos, "arrays are not supported (key '%s')",
			    r->key);
	} else if (c == '{') {
		return fail(r, r->pos, "inline tables are not supported (key '%s')",
			    r->key);
	} else if (is_bare(c) || c == '+' || c == '.') {
		if (word(r, &v))
			return -EINVAL;
	} else {
		return fail(r, r->pos, "unexpected %s in the value of key '%s'",
			    describe(c, buf, sizeof(buf)), r->key);
	}
	if (h->keyval && h->keyval(ctx, r->key, pos_at(r, start), &v))
		return -EINVAL;
	snprintf(what, sizeof(what), "'%s'", r->key);
	return end_of_line(r, "the value of key", what);
}

int nc_toml_parse(const char *file, const char *text, size_t len,
		  const struct nc_toml_handler *h, void *ctx,
		  char *err, size_t errlen)
{
	struct reader *r;
	char buf[32];
	int c, ret = 0;

	r = calloc(1, sizeof(*r));
	if (!r) {
		nc_config_error(err, errlen, file, 0, 0, "out of memory");
		return -EINVAL;
	}
	*r = (struct reader){
		.file = file, .p = (const unsigned char *)text, .len = len,
		.line = 1, .err = err, .errlen = errlen,
	};
	while (!ret) {
		skip_ws(r);
		c = peek(r, 0);
		if (c < 0)
			break;
		if (c == '#')
			ret = comment(r);
		else if (c == '\n' || c == '\r')
			ret = newline(r);
		else if (c == '[')
			ret = header(r, h, ctx);
		else if (is_bare(c))
			ret = keyval(r, h, ctx);
		else if (c == '"' || c == '\'')
			ret = fail(r, r->pos, "quoted keys are not supported");
		else if (c == '=')
			ret = fail(r, r->pos, "missing key before '='");
		else
			ret = fail(r, r->pos, "unexpected %s",
				   describe(c, buf, sizeof(buf)));
	}
	if (!ret && h->end)
		ret = h->end(ctx, pos_at(r, r->pos));
	free(r);
	return ret;
}
