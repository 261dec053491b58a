/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NC_FOOTPRINT_H
#define NC_FOOTPRINT_H

#include <stddef.h>

/*
 * /proc/self/smaps, opened during setup: once the sandbox is on, no file
 * can be opened (docs/security.md). An fd, or -errno.
 */
int nc_footprint_open(void);
/*
 * Resident KiB of this process outside the given mappings (guest RAM and
 * the ION window), read from fd (nc_footprint_open()) from its start with
 * read() alone; -errno when it cannot be read.
 */
long nc_footprint_kib(int fd, const void *ram, size_t ram_len, const void *win,
		      size_t win_len);

#endif /* NC_FOOTPRINT_H */
