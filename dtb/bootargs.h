/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest kernel command line with the ION window's base in it.
 */
#ifndef NC_DTB_BOOTARGS_H
#define NC_DTB_BOOTARGS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Write cmdline (NULL is empty) to out with "ion_base=0x<ion_base>" in it
 * exactly as often as the caller wrote it, or once: a line that already
 * names this base is copied unchanged, any other line gets
 * "ion_base=0x<ion_base>" appended to the kernel's part (before a "--" that
 * starts init's arguments). Returns the length written, or -EINVAL when
 * cmdline names another ion_base or the result needs more than
 * NC_CMDLINE_MAX bytes (arm64's COMMAND_LINE_SIZE, NUL included) or more
 * than outlen, with a message in err.
 */
int nc_bootargs_ion(char *out, size_t outlen, const char *cmdline,
		    uint64_t ion_base, char *err, size_t errlen);

#endif /* NC_DTB_BOOTARGS_H */
