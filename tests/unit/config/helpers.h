/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the nc_config tests: parse strings, make temporary cells. */
#ifndef NC_TEST_CONFIG_HELPERS_H
#define NC_TEST_CONFIG_HELPERS_H

#include <stddef.h>

#include "config/config.h"

#define ERR_LEN 512

/* nc_config_parse() of the C string text as file. */
int parse_as(struct nc_config *c, const char *file, const char *text,
	     char *err);

/* A new empty folder, mode 0755; free() the result. */
char *make_tmpdir(void);
/* Remove what make_tmpdir() made (files and folders inside, one level). */
void remove_tmpdir(char *dir);
/* Write len bytes to dir/name (created with mode); returns the path. */
char *write_file(const char *dir, const char *name, const void *data,
		 size_t len, unsigned mode);

/*
 * nc_config_check_files() as an unprivileged user (nobody) when running as
 * root, so that permissions are enforced; as the caller otherwise.
 */
int check_files_unprivileged(const struct nc_config *c, char *err);

#endif
