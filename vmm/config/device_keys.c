// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of the tables that hand a device across the boundary:
 * [[pci]] (a host PCI device given to the cell with VFIO) and [[export]]
 * (a guest block device the cell serves to the host). Their key lists are
 * in keys.c's schema; docs/cell-toml.md has one section per key.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "internal.h"
#include "schema.h"

/* ---- [[pci]] ---- */

int nc_cfg_open_pci(struct ctx *x)
{
	if (x->c->nr_pci == NC_MAX_PCI)
		return nc_cfg_fail(x, x->cur_pos, "too many PCI devices: at most %d [[pci]] tables",
				   NC_MAX_PCI);
	x->c->nr_pci++;
	return 0;
}

/* DDDD:BB:DD.F in hex, device 0 to 0x1f, function 0 to 7. */
static bool valid_pci_addr(const char *s)
{
	static const char form[] = "xxxx:xx:xx.o";
	unsigned i;

	if (strlen(s) != NC_PCI_ADDR_LEN)
		return false;
	for (i = 0; i < NC_PCI_ADDR_LEN; i++) {
		if (form[i] == 'x' && !isxdigit((unsigned char)s[i]))
			return false;
		if (form[i] == 'o' && (s[i] < '0' || s[i] > '7'))
			return false;
		if (form[i] != 'x' && form[i] != 'o' && s[i] != form[i])
			return false;
	}
	return strtoul(s + 8, NULL, 16) <= 0x1f;
}

int nc_cfg_set_pci_host(struct ctx *x, const struct nc_toml_value *v)
{
	struct nc_config *c = x->c;
	unsigned i, n = c->nr_pci - 1;

	c->line_pci[n] = x->key_pos.line;
	if (nc_cfg_want(x, v, NC_TOML_STRING))
		return -EINVAL;
	if (!nc_printable(v->str) || !valid_pci_addr(v->str))
		return nc_cfg_fail(x, v->pos, "host \"%s\" is not a PCI address: write domain:bus:device.function in hex, e.g. \"0000:00:01.0\" (lspci -D lists them)",
				   nc_shown(v->str));
	for (i = 0; i < NC_PCI_ADDR_LEN; i++)
		c->pci[n].host[i] = tolower((unsigned char)v->str[i]);
	c->pci[n].host[i] = 0;
	for (i = 0; i < n; i++)
		if (!strcmp(c->pci[i].host, c->pci[n].host))
			return nc_cfg_fail(x, v->pos, "host %s is already the device of the [[pci]] on line %u",
					   c->pci[n].host, c->line_pci[i]);
	return 0;
}

int nc_cfg_close_pci(struct ctx *x)
{
	if (!x->c->pci[x->c->nr_pci - 1].host[0])
		return nc_cfg_fail(x, x->cur_pos, "[[pci]] needs a host = \"DDDD:BB:DD.F\"");
	return 0;
}

/* ---- [[export]] ---- */

int nc_cfg_open_export(struct ctx *x)
{
	if (x->c->nr_export == NC_MAX_EXPORT)
		return nc_cfg_fail(x, x->cur_pos, "too many exports: at most %d [[export]] tables",
				   NC_MAX_EXPORT);
	x->c->line_export[x->c->nr_export++] = x->cur_pos.line;
	return 0;
}

/* A name under /dev (loop0, nxblk0) or an absolute path, as the guest sees it. */
int nc_cfg_set_export_device(struct ctx *x, const struct nc_toml_value *v)
{
	char **d = &x->c->export_device[x->c->nr_export - 1];
	const char *s;

	if (nc_cfg_get_str(x, v, d))
		return -EINVAL;
	if (!**d || strlen(*d) >= ION_EXPORT_DEVICE_MAX)
		return nc_cfg_fail(x, v->pos, "guest_device must be 1 to %d bytes",
				   ION_EXPORT_DEVICE_MAX - 1);
	for (s = *d; *s; s++)
		if (*s == ' ' || *s == '\t' || (**d != '/' && *s == '/'))
			return nc_cfg_fail(x, v->pos, "guest_device \"%s\" must be a device name under /dev (\"loop0\") or an absolute path, without blanks",
					   *d);
	return 0;
}

int nc_cfg_close_export(struct ctx *x)
{
	struct nc_config *c = x->c;
	unsigned i, n = c->nr_export - 1;

	if (!c->export_device[n])
		return nc_cfg_fail(x, x->cur_pos, "[[export]] needs a guest_device = \"...\"");
	for (i = 0; i < n; i++)
		if (!strcmp(c->export_device[i], c->export_device[n]))
			return nc_cfg_fail(x, x->seen[0],
					   "guest_device '%s' is already exported by the [[export]] on line %u",
					   c->export_device[n], c->line_export[i]);
	return 0;
}
