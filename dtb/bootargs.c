// SPDX-License-Identifier: GPL-2.0
/*
 * The guest kernel command line with the ION window's base in it. Tokens
 * are split the way the kernel's next_arg() does: at white space outside
 * double quotes; a "--" token ends the kernel's arguments.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/errf.h"
#include "arch/arm64/layout.h"
#include "dtb/bootargs.h"

#define ION_BASE_KEY	"ion_base="
#define ION_BASE_KEYLEN	(sizeof(ION_BASE_KEY) - 1)

static const char *skip_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

static size_t token_len(const char *s)
{
	size_t n = 0;
	int quoted = 0;

	for (; s[n] && (quoted || !isspace((unsigned char)s[n])); n++)
		if (s[n] == '"')
			quoted = !quoted;
	return n;
}

/* 1 when the ion_base= token tok (tlen bytes) names base. */
static int names_base(const char *tok, size_t tlen, uint64_t base)
{
	char val[32], *end;
	size_t i, n = 0;
	uint64_t v;

	for (i = ION_BASE_KEYLEN; i < tlen; i++) {
		if (tok[i] == '"')
			continue;
		if (n == sizeof(val) - 1)
			return 0;
		val[n++] = tok[i];
	}
	val[n] = '\0';
	if (!n || val[0] == '-')
		return 0;
	errno = 0;
	v = strtoull(val, &end, 0);
	return !errno && !*end && v == base;
}

int nc_bootargs_ion(char *out, size_t outlen, const char *cmdline,
		    uint64_t ion_base, char *err, size_t errlen)
{
	const char *s = cmdline ? cmdline : "";
	const char *tok, *dashes = NULL;
	size_t tlen, head;
	int found = 0, n;

	for (tok = skip_space(s); *tok; tok = skip_space(tok + tlen)) {
		tlen = token_len(tok);
		if (tlen == 2 && !strncmp(tok, "--", 2)) {
			dashes = tok;
			break;
		}
		if (tlen < ION_BASE_KEYLEN ||
		    strncmp(tok, ION_BASE_KEY, ION_BASE_KEYLEN))
			continue;
		if (!names_base(tok, tlen, ion_base))
			return nc_errf(-EINVAL, err, errlen,
				    "bootargs say %.*s but the ion window is at 0x%" PRIx64,
				    (int)tlen, tok, ion_base);
		found++;
	}

	if (found) {
		n = snprintf(out, outlen, "%s", s);
	} else {
		head = dashes ? (size_t)(dashes - s) : strlen(s);
		while (head && isspace((unsigned char)s[head - 1]))
			head--;
		n = snprintf(out, outlen, "%.*s%s" ION_BASE_KEY "0x%" PRIx64 "%s%s",
			     (int)head, s, head ? " " : "", ion_base,
			     dashes ? " " : "", dashes ? dashes : "");
	}
	if (n < 0 || (size_t)n >= NC_CMDLINE_MAX)
		return nc_errf(-EINVAL, err, errlen,
			    "bootargs are %d bytes with " ION_BASE_KEY "; the arm64 kernel takes at most %d",
			    n, NC_CMDLINE_MAX - 1);
	if ((size_t)n >= outlen)
		return nc_errf(-EINVAL, err, errlen,
			    "bootargs are %d bytes with " ION_BASE_KEY "; the buffer holds %zu",
			    n, outlen ? outlen - 1 : 0);
	return n;
}
