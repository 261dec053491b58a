// SPDX-License-Identifier: GPL-2.0
/*
 * `check` for [[pci]] (vmm/vfio/sysfs.c) against a fake sysfs tree in a
 * temporary folder: a ready device passes, and each way it can be unready
 * is refused with the message that says what to run.
 */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../nc_check.h"
#include "config/config.h"
#include "vfio/sysfs.h"

#define DEV	"0000:00:01.0"
#define PEER	"0000:00:02.0"

static char root[PATH_MAX];
static char msg[1024];

static void run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ck_assert_msg(system(cmd) == 0, "%s", cmd);
}

/* A device DEV in IOMMU group 7 bound to vfio-pci, with /dev/vfio/7. */
static void setup(void)
{
	char tmpl[] = "/tmp/nc-sysfs-XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(root, sizeof(root), "%s", tmpl);
	run("cd %s && mkdir -p sys/bus/pci/devices/" DEV " sys/bus/pci/drivers/vfio-pci"
	    " sys/bus/pci/drivers/nvme sys/kernel/iommu_groups/7/devices dev/vfio &&"
	    " ln -s ../../../../kernel/iommu_groups/7 sys/bus/pci/devices/" DEV "/iommu_group &&"
	    " ln -s ../../../../bus/pci/drivers/vfio-pci sys/bus/pci/devices/" DEV "/driver &&"
	    " ln -s ../../../../../bus/pci/devices/" DEV " sys/kernel/iommu_groups/7/devices/" DEV " &&"
	    " touch dev/vfio/7", root);
}

static void teardown(void)
{
	run("rm -rf %s", root);
}

static int check(unsigned *group)
{
	return nc_vfio_sysfs_check(root, DEV, group, msg, sizeof(msg));
}

START_TEST(ready_device)
{
	unsigned group = 0;

	ck_assert_int_eq(check(&group), 0);
	ck_assert_uint_eq(group, 7);
	/* A peer in the group with no driver, or vfio-pci, keeps it viable. */
	run("cd %s && mkdir -p sys/bus/pci/devices/" PEER " && ln -s ../../../../../bus/pci/devices/"
	    PEER " sys/kernel/iommu_groups/7/devices/" PEER, root);
	ck_assert_int_eq(check(&group), 0);
	run("ln -s ../../../../bus/pci/drivers/vfio-pci %s/sys/bus/pci/devices/" PEER "/driver",
	    root);
	ck_assert_int_eq(check(&group), 0);
}
END_TEST

START_TEST(missing_device)
{
	unsigned group;

	ck_assert_int_eq(nc_vfio_sysfs_check(root, "0000:00:09.0", &group, msg,
					     sizeof(msg)), -ENODEV);
	ck_assert_str_eq(msg, "no such device (/sys/bus/pci/devices/0000:00:09.0 does not exist; lspci -D lists the host's devices)");
}
END_TEST

START_TEST(no_iommu)
{
	unsigned group;

	run("rm %s/sys/bus/pci/devices/" DEV "/iommu_group", root);
	ck_assert_int_eq(check(&group), -ENXIO);
	ck_assert_str_eq(msg, "it has no IOMMU group (/sys/bus/pci/devices/" DEV "/iommu_group): the host has no IOMMU for it; enable the IOMMU (SMMU, VT-d, AMD-Vi) in firmware and the kernel");
}
END_TEST

START_TEST(unbound)
{
	unsigned group;

	run("rm %s/sys/bus/pci/devices/" DEV "/driver", root);
	ck_assert_int_eq(check(&group), -EBUSY);
	ck_assert_str_eq(msg, "it is bound to no driver; bind it to vfio-pci: echo vfio-pci > /sys/bus/pci/devices/" DEV "/driver_override; echo " DEV " > /sys/bus/pci/drivers_probe");
}
END_TEST

START_TEST(other_driver)
{
	unsigned group;

	run("cd %s/sys/bus/pci/devices/" DEV " && rm driver && ln -s ../../../../bus/pci/drivers/nvme driver",
	    root);
	ck_assert_int_eq(check(&group), -EBUSY);
	ck_assert_str_eq(msg, "it is bound to nvme, not vfio-pci; hand it over: echo vfio-pci > /sys/bus/pci/devices/" DEV "/driver_override; echo " DEV " > /sys/bus/pci/devices/" DEV "/driver/unbind; echo " DEV " > /sys/bus/pci/drivers_probe");
}
END_TEST

START_TEST(group_not_viable)
{
	unsigned group;

	run("cd %s && mkdir -p sys/bus/pci/devices/" PEER " && ln -s ../../../../../bus/pci/devices/"
	    PEER " sys/kernel/iommu_groups/7/devices/" PEER " && ln -s ../../../../bus/pci/drivers/nvme"
	    " sys/bus/pci/devices/" PEER "/driver", root);
	ck_assert_int_eq(check(&group), -EBUSY);
	ck_assert_str_eq(msg, "its IOMMU group 7 is not viable: member " PEER " is bound to nvme; hand it to vfio-pci too (echo vfio-pci > /sys/bus/pci/devices/" PEER "/driver_override; echo " PEER " > /sys/bus/pci/devices/" PEER "/driver/unbind; echo " PEER " > /sys/bus/pci/drivers_probe) or unbind it");
}
END_TEST

START_TEST(no_group_node)
{
	unsigned group;

	run("rm %s/dev/vfio/7", root);
	ck_assert_int_eq(check(&group), -ENOENT);
	ck_assert_str_eq(msg, "/dev/vfio/7 (its IOMMU group): No such file or directory; is /dev a devtmpfs?");
}
END_TEST

/* The cell-level message names the file, the host = line and the device. */
START_TEST(cell_message)
{
	static const char text[] = "[boot]\nkernel = \"Image\"\n[[pci]]\nhost = \""
		DEV "\"\n[[pci]]\nhost = \"0000:00:09.0\"\n";
	struct nc_config c;
	char err[1024];

	ck_assert_int_eq(nc_config_parse(&c, "cell.toml", text, strlen(text), err,
					 sizeof(err)), 0);
	ck_assert_int_eq(nc_vfio_check_cell(&c, root, err, sizeof(err)), -ENODEV);
	ck_assert_str_eq(err, "cell.toml:6: [[pci]] host 0000:00:09.0: no such device (/sys/bus/pci/devices/0000:00:09.0 does not exist; lspci -D lists the host's devices)");
	c.nr_pci = 1;
	ck_assert_int_eq(nc_vfio_check_cell(&c, root, err, sizeof(err)), 0);
	nc_config_free(&c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vfio_sysfs");
	TCase *tc = tcase_create("sysfs");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ready_device);
	tcase_add_test(tc, missing_device);
	tcase_add_test(tc, no_iommu);
	tcase_add_test(tc, unbound);
	tcase_add_test(tc, other_driver);
	tcase_add_test(tc, group_not_viable);
	tcase_add_test(tc, no_group_node);
	tcase_add_test(tc, cell_message);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
