/* SPDX-License-Identifier: GPL-2.0 */
/* Error messages into caller buffers, shared by the VMM's libraries. */
#ifndef NC_UTIL_ERRF_H
#define NC_UTIL_ERRF_H

#include <stddef.h>
#include <stdint.h>

/* Formats a message into err (when err and errlen are set); returns ret. */
__attribute__((format(printf, 4, 5)))
int nc_errf(int ret, char *err, size_t errlen, const char *fmt, ...);

/* "256 MiB", "1540 KiB" or "4097 bytes": the most readable exact form. */
const char *nc_size_str(char *buf, size_t len, uint64_t size);

#endif /* NC_UTIL_ERRF_H */
