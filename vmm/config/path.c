// SPDX-License-Identifier: GPL-2.0
/* Paths in a cell file are relative to the cell file's folder. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

char *nc_path_dir(const char *file)
{
	const char *slash = strrchr(file, '/');
	size_t n;

	if (!slash)
		return strdup(".");
	/* "a//cell.toml" is in "a"; "/cell.toml" and "//cell.toml" in "/" */
	while (slash > file && slash[-1] == '/')
		slash--;
	n = slash - file;
	return n ? strndup(file, n) : strdup("/");
}

char *nc_path_resolve(const char *dir, const char *path)
{
	size_t d = strlen(dir), p = strlen(path);
	char *s;

	if (path[0] == '/' || !strcmp(dir, "."))
		return strdup(path);
	if (d && dir[d - 1] == '/')
		d--;
	s = malloc(d + 1 + p + 1);
	if (!s)
		return NULL;
	memcpy(s, dir, d);
	s[d] = '/';
	memcpy(s + d + 1, path, p + 1);
	return s;
}

char *nc_path_base(const char *dir)
{
	size_t n = strlen(dir);
	const char *b;
	char *real, *s;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	for (b = dir + n; b > dir && b[-1] != '/'; b--)
		;
	if (!(dir + n - b == 0 || (dir + n - b == 1 && b[0] == '.') ||
	      (dir + n - b == 2 && b[0] == '.' && b[1] == '.')))
		return strndup(b, dir + n - b);

	/* ".", "..", "/": ask the file system */
	real = realpath(dir, NULL);
	if (!real)
		return strdup("");
	b = strrchr(real, '/');
	s = strdup(b ? b + 1 : real);
	free(real);
	return s;
}
