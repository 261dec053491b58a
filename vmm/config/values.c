// SPDX-License-Identifier: GPL-2.0
/* The shapes of cell file values: sizes, MAC addresses, names. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "internal.h"

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int nc_parse_size(const char *s, uint64_t *bytes)
{
	uint64_t v = 0, mult = 1;
	const char *p;

	for (p = s; is_digit(*p); p++) {
		if (v > (UINT64_MAX - (*p - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (*p - '0');
	}
	if (p == s)
		return -EINVAL;
	switch (*p) {
	case '\0':
		break;
	case 'K':
		mult = 1ULL << 10;
		break;
	case 'M':
		mult = 1ULL << 20;
		break;
	case 'G':
		mult = 1ULL << 30;
		break;
	default:
		return -EINVAL;
	}
	if (*p && p[1])
		return -EINVAL;
	if (v > UINT64_MAX / mult)
		return -EINVAL;
	*bytes = v * mult;
	return 0;
}

const char *nc_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "GMK";
	unsigned shift = 30;
	const char *u;

	for (u = units; *u; u++, shift -= 10) {
		if (bytes && !(bytes & ((1ULL << shift) - 1))) {
			snprintf(buf, len, "%llu%c",
				 (unsigned long long)(bytes >> shift), *u);
			return buf;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)bytes);
	return buf;
}

static int hex(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -EINVAL;
}

int nc_parse_mac(const char *s, uint8_t mac[6])
{
	int i, hi, lo;

	if (strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++, s += 3) {
		hi = hex(s[0]);
		lo = hex(s[1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[2] != ':'))
			return -EINVAL;
		mac[i] = hi << 4 | lo;
	}
	return 0;
}

bool nc_valid_name(const char *s)
{
	size_t n;

	if (!is_alnum(s[0]))
		return false;
	for (n = 0; s[n]; n++) {
		if (!is_alnum(s[n]) && !strchr("_.-", s[n]))
			return false;
	}
	return n <= NC_CONFIG_NAME_MAX;
}

bool nc_valid_ifname(const char *s)
{
	size_t n = strlen(s);

	/* IFNAMSIZ is 16 with the NUL; like the kernel's dev_valid_name() */
	if (!n || n > 15 || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++) {
		if (*s == '/' || *s == ':' || *s == ' ' ||
		    (unsigned char)*s < 0x21 || (unsigned char)*s >= 0x7f)
			return false;
	}
	return true;
}

bool nc_printable(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	}
	return true;
}

const char *nc_shown(const char *s)
{
	return nc_printable(s) ? s : "(with control characters)";
}
