/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the files of nc_config; not part of its API. */
#ifndef NC_CONFIG_INTERNAL_H
#define NC_CONFIG_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* error.c: "FILE:LINE:COL: message" (col 0: "FILE:LINE: ", line 0: "FILE: ") */
void nc_config_error(char *err, size_t errlen, const char *file,
		     unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void nc_config_verror(char *err, size_t errlen, const char *file,
		      unsigned line, unsigned col, const char *fmt,
		      va_list ap) __attribute__((format(printf, 6, 0)));

/* values.c */
/* "512M", "4K", "1G" or plain digits (bytes) to bytes; -1 when malformed. */
int nc_parse_size(const char *s, uint64_t *bytes);
/* "52:54:00:12:34:56" (either case); -1 when malformed. */
int nc_parse_mac(const char *s, uint8_t mac[6]);
/* bytes as "512M", "4K" when exact, else as a decimal; returns buf. */
const char *nc_format_size(uint64_t bytes, char *buf, size_t len);
/* a [cell] name: 1..NC_CONFIG_NAME_MAX of [A-Za-z0-9_.-], first alnum */
bool nc_valid_name(const char *s);
/* a network interface name as the kernel takes it (dev_valid_name) */
bool nc_valid_ifname(const char *s);
/* a string without control characters */
bool nc_printable(const char *s);
/* s, for quoting in a message that must stay one line */
const char *nc_shown(const char *s);

/* path.c: all return malloc'd strings, or NULL when out of memory. */
/* The folder of file: "." for "cell.toml", "/" for "/cell.toml". */
char *nc_path_dir(const char *file);
/* path as is when absolute or when dir is ".", else "dir/path". */
char *nc_path_resolve(const char *dir, const char *path);
/* The last component of dir, through realpath() for ".", "..", "/". */
char *nc_path_base(const char *dir);

#endif /* NC_CONFIG_INTERNAL_H */
