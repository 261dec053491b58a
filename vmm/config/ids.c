// SPDX-License-Identifier: GPL-2.0
/*
 * [sandbox] user and group: names resolved from /etc/passwd and /etc/group
 * when the cell is checked, long before the sandbox forbids opening them.
 * The files are read directly rather than through getpwnam(): a static
 * nipcell-vmm has no NSS modules to load.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "internal.h"

/* A decimal uid/gid below 2^32 - 1 ((uid_t)-1 means "unchanged"). */
static bool id_number(const char *s, unsigned *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || v >= 0xffffffffULL)
		return false;
	*out = v;
	return true;
}

/*
 * Looks name up in an /etc/passwd- or /etc/group-format file: field 2 (the
 * id) into *id and, for passwd, field 3 (the primary group) into *gid.
 * 0, -ENOENT (no such entry) or -errno (the file).
 */
static int lookup(const char *file, const char *name, unsigned *id, unsigned *gid)
{
	char line[1024], *f[4], *save;
	int ret = -ENOENT, n;
	FILE *fp;

	fp = fopen(file, "re");
	if (!fp)
		return -errno;
	while (ret == -ENOENT && fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		save = line;
		for (n = 0; n < 4; n++)
			f[n] = strsep(&save, ":");
		if (!f[0] || strcmp(f[0], name) || !f[2] || !id_number(f[2], id))
			continue;
		if (gid && (!f[3] || !id_number(f[3], gid)))
			continue;
		ret = 0;
	}
	fclose(fp);
	return ret;
}

static int id_error(struct nc_config *c, unsigned line, const char *key, const char *val,
		    const char *file, int ret, char *err, size_t errlen)
{
	nc_config_error(err, errlen, c->file, line, 0, "[sandbox] %s '%s': %s %s%s%s",
			key, nc_shown(val), ret == -ENOENT ? "no such" : "cannot read",
			ret == -ENOENT ? key : file, ret == -ENOENT ? " in " : ": ",
			ret == -ENOENT ? file : strerror(-ret));
	return -EINVAL;
}

int nc_config_resolve_ids(struct nc_config *c, const char *passwd, const char *group,
			  char *err, size_t errlen)
{
	unsigned uid = 0, gid = 0;
	bool have_gid = false;
	int ret;

	c->sandbox_set_ids = false;
	if (!c->sandbox_user && !c->sandbox_group)
		return 0;
	if (!c->sandbox_user) {
		nc_config_error(err, errlen, c->file, c->line_sandbox_group, 0,
				"[sandbox] group needs a user = \"...\" too");
		return -EINVAL;
	}
	if (!id_number(c->sandbox_user, &uid)) {
		ret = lookup(passwd, c->sandbox_user, &uid, &gid);
		if (ret)
			return id_error(c, c->line_sandbox_user, "user", c->sandbox_user, passwd,
					ret, err, errlen);
		have_gid = true;
	}
	if (c->sandbox_group) {
		have_gid = id_number(c->sandbox_group, &gid);
		if (!have_gid) {
			ret = lookup(group, c->sandbox_group, &gid, NULL);
			if (ret)
				return id_error(c, c->line_sandbox_group, "group",
						c->sandbox_group, group, ret, err, errlen);
			have_gid = true;
		}
	}
	if (!have_gid) {
		nc_config_error(err, errlen, c->file, c->line_sandbox_user, 0,
				"[sandbox] user %s is a number: set group = \"...\" too",
				c->sandbox_user);
		return -EINVAL;
	}
	c->sandbox_uid = uid;
	c->sandbox_gid = gid;
	c->sandbox_set_ids = true;
	return 0;
}
