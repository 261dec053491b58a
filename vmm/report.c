// SPDX-License-Identifier: GPL-2.0
/* The exit report as JSON (report.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nipcell/ion.h>

#include "report.h"
#include "util/errf.h"

void nc_report_json(const struct nc_metrics *mx, const struct nc_run_result *res,
		    struct nc_sbuf *b)
{
	uint32_t gst = res->guest_status;
	bool reported = gst & ION_GUEST_STATUS_REPORTED;

	nc_sbuf_printf(b, "{\"stop\": \"%s\", \"stop_message\": ", nc_stop_name(res->stop));
	nc_sbuf_json_str(b, res->stop_message ? res->stop_message : "");
	nc_sbuf_printf(b, ", \"exit_status\": %d, \"run_seconds\": %.3f, "
		       "\"guest_status\": %u, \"guest_reported\": %s",
		       res->exit_status, res->run_s, gst, reported ? "true" : "false");
	if (reported)
		nc_sbuf_printf(b, ", \"guest_exit\": %u, \"guest_failed_checks\": %u",
			       (gst >> ION_GUEST_STATUS_RC_SHIFT) & ION_GUEST_STATUS_RC_MASK,
			       gst & ION_GUEST_STATUS_FAILS_MASK);
	nc_sbuf_printf(b, ", ");
	nc_metrics_json_members(mx, b);
	nc_sbuf_printf(b, "}\n");
}

int nc_report_write(const char *path, const struct nc_metrics *mx,
		    const struct nc_run_result *res, char *err, size_t errlen)
{
	static char text[32768];
	char tmp[PATH_MAX];
	struct nc_sbuf b;
	size_t done = 0;
	ssize_t n;
	int fd, ret = 0;

	nc_sbuf_init(&b, text, sizeof(text));
	nc_report_json(mx, res, &b);
	if (b.overflow)
		return nc_errf(-ENOBUFS, err, errlen, "report %s: longer than %zu bytes", path,
			       sizeof(text));
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return nc_errf(-ENAMETOOLONG, err, errlen, "report %s: path too long", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return nc_errf(-errno, err, errlen, "report %s: %s", tmp, strerror(errno));
	while (done < b.used) {
		n = write(fd, text + done, b.used - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			break;
		}
		done += n;
	}
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return nc_errf(ret, err, errlen, "report %s: %s", path, strerror(-ret));
	}
	return 0;
}
