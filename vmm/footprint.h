/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NC_FOOTPRINT_H
#define NC_FOOTPRINT_H

#include <stddef.h>

/*
 * Resident KiB of this process outside the given mappings (guest RAM and
 * the ION window), from /proc/self/smaps; -errno when it cannot be read.
 */
long nc_footprint_kib(const void *ram, size_t ram_len, const void *win, size_t win_len);

#endif /* NC_FOOTPRINT_H */
