// SPDX-License-Identifier: GPL-2.0
/*
 * Metrics and the graceful stop over the real control socket, against a real
 * ion_host: `stats --json` read by the real `nipcell-vmm ctl` client and
 * parsed by Python's json module, `metrics` checked by a strict checker of
 * the Prometheus text format (prom_check.py; promtool is not packaged
 * without the whole Prometheus server), the exit report written to a real
 * file and parsed, and `shutdown`: the header's host_request word, the
 * valve interrupt, and the hard stop when the guest does not follow.
 */
#include <check.h>

#include "../nc_check.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nipcell/ion_host.h>

#include "control.h"
#include "machine.h"
#include "metrics.h"
#include "report.h"

static struct ion_host *ion;
static struct nc_machine m;
static struct nc_control ctl;
static struct nc_vexit_counts vexits[2];
static char dir[] = "/tmp/nc-metrics-XXXXXX", sock[108];

static void setup(void)
{
	struct ion_host_spec spec = { .size = ION_DEFAULT_SIZE, .nr_blk = 2, .net = true,
				      .input = true };
	char err[256];

	spec.blk[0].null = spec.blk[1].null = true;
	spec.blk[0].null_size = spec.blk[1].null_size = 1 << 20;
	spec.net_cfg.null = true;
	spec.net_cfg.mac[0] = 0x02;
	memset(&m, 0, sizeof(m));
	memset(vexits, 0, sizeof(vexits));
	pthread_mutex_init(&m.lock, NULL);
	m.stop_fd = eventfd(0, EFD_CLOEXEC);
	m.vexits = vexits;
	m.nr_vexits = 2;
	m.start_ms = nc_now_ms() - 1500;
	/* What the vCPU threads would have counted. */
	nc_vexit_count(&vexits[0], NC_VEXIT_MMIO);
	for (int i = 0; i < 7; i++)
		nc_vexit_count(&vexits[1], NC_VEXIT_MMIO);
	nc_vexit_count(&vexits[1], NC_VEXIT_NISV);
	ck_assert_int_eq(ion_host_create(&ion, &spec, err, sizeof(err)), 0);
	m.ion = ion;
	strcpy(dir, "/tmp/nc-metrics-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/cell.sock", dir);
	ck_assert_int_eq(nc_control_start(&ctl, sock, &m, ion, err, sizeof(err)), 0);
}

static void teardown(void)
{
	char cmd[300];

	nc_control_stop(&ctl);
	ion_host_destroy(ion);
	close(m.stop_fd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Runs a shell command; returns its stdout (static) and its exit status. */
static char *run(int *status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *run(int *status, const char *fmt, ...)
{
	static char out[16384];
	char cmd[2048];
	size_t have = 0, n;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while ((n = fread(out + have, 1, sizeof(out) - 1 - have, p)) > 0)
		have += n;
	out[have] = '\0';
	*status = pclose(p);
	return out;
}

/* One command over a fresh connection, answer returned (static). */
static char *talk(const char *text)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	static char buf[16384];
	size_t have = 0;
	ssize_t n;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(a.sun_path, sock);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(send(fd, text, strlen(text), 0), (ssize_t)strlen(text));
	shutdown(fd, SHUT_WR);
	while ((n = recv(fd, buf + have, sizeof(buf) - 1 - have, 0)) > 0)
		have += n;
	buf[have] = '\0';
	close(fd);
	return buf;
}

/* Reads the JSON in FILE with Python and prints the fields the tests compare. */
#define PY_JSON_FIELDS \
	"import json, sys; d = json.load(open(sys.argv[1])); " \
	"print(len(d['valves']), [v['name'] for v in d['valves']], " \
	"d['valves'][3]['requests'], d['valves'][3]['bytes'], d['valves'][0]['throttled'], " \
	"d['valves'][0]['broken'], d['vcpus'][1]['exits']['mmio'], " \
	"d['vcpus'][1]['exits']['nisv'], d['vcpus'][0]['exits']['intr'], " \
	"1.4 < d['uptime_seconds'] < 60, d['vmm_rss_kib'] > 0)"

START_TEST(stats_json_parses)
{
	char *out;
	int st;

	talk("input EV_KEY 30 1\n");
	/* The real client: the answer without its closing "ok", to a file. */
	out = run(&st, "%s ctl %s stats --json >%s/stats.json && python3 -c \"%s\" %s/stats.json",
		  NC_VMM_BIN, sock, dir, PY_JSON_FIELDS, dir);
	ck_assert_msg(st == 0, "status %d, output: %s", st, out);
	ck_assert_str_eq(out,
			 "4 ['blk0', 'blk1', 'net0', 'input0'] 1 16 0 False 7 1 0 True True\n");
	/* On the socket itself the answer ends in ok, like every other. */
	out = talk("stats --json\n");
	ck_assert_msg(!strncmp(out, "{\"uptime_seconds\": ", 19), "got: %s", out);
	ck_assert_msg(strstr(out, "]}\nok\n") && !strcmp(strstr(out, "]}\nok\n"), "]}\nok\n"),
		      "got: %s", out);
	ck_assert_str_eq(talk("stats --xml\n"), "error: usage: stats [--json]\n");
}
END_TEST

START_TEST(metrics_pass_the_checker)
{
	char *out;
	int st;

	talk("input EV_KEY 30 1\n");
	out = run(&st, "%s ctl %s metrics >%s/metrics.prom && python3 %s %s/metrics.prom",
		  NC_VMM_BIN, sock, dir, NC_PROM_CHECK, dir);
	ck_assert_msg(st == 0, "status %d, checker: %s", st, out);
	/* 9 families: uptime, RSS, 7 valve ones and vCPU exits; 4 * 7 + 2 * 6 + 2 samples. */
	ck_assert_str_eq(out, "ok: 10 families, 42 samples\n");
	out = run(&st, "cat %s/metrics.prom", dir);
	ck_assert_msg(strstr(out, "\nnipcell_valve_requests_total{valve=\"input0\",type=\"input\"} 1\n"),
		      "got: %s", out);
	ck_assert_msg(strstr(out, "\nnipcell_vcpu_exits_total{vcpu=\"1\",reason=\"mmio\"} 7\n"),
		      "got: %s", out);
	ck_assert_msg(strstr(out, "\nnipcell_valve_broken{valve=\"blk1\",type=\"blk\"} 0\n"),
		      "got: %s", out);
	ck_assert_msg(strstr(out, "\n# TYPE nipcell_vcpu_exits_total counter\n"), "got: %s", out);
	ck_assert_msg(!strstr(out, "\nok\n"), "the client left the closing ok in: %s", out);
}
END_TEST

/* The checker is strict: each of these is refused, naming the line. */
START_TEST(checker_refuses_bad_text)
{
	static const char *const bad[] = {
		"x_total 1\n",						/* no TYPE */
		"# TYPE x_total counter\nx_total{a=\"1\"} 1\nx_total{a=\"1\"} 2\n", /* twice */
		"# TYPE x_total counter\nx_total{a=\"\\q\"} 1\n",	/* bad escape */
		"# TYPE x gauge\nx one\n",				/* not a number */
		"# TYPE x counter\nx 1\n",				/* counter name */
		"# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\nx 2\n",	/* not contiguous */
		"# TYPE x gauge\nx 1",					/* no newline */
		"# TYPE x gauge\nx{a=1} 1\n",				/* unquoted */
	};
	char path[300], *out;
	int st;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/bad%u.prom", dir, i);
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(bad[i], f);
		fclose(f);
		out = run(&st, "python3 %s %s", NC_PROM_CHECK, path);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 1,
			      "case %u accepted: %s", i, out);
	}
}
END_TEST

START_TEST(report_file_parses)
{
	static struct nc_metrics mx;
	struct nc_run_result res = {
		.stop = NC_STOP_POWEROFF,
		.stop_message = "guest powered off (vcpu 0) \"quoted\"\n",
		.exit_status = 0,
		.guest_status = ION_GUEST_STATUS_REPORTED | 3u << ION_GUEST_STATUS_RC_SHIFT | 2,
		.run_s = 12.5,
	};
	char path[300], err[256], *out;
	int st;

	talk("input EV_KEY 30 1\n");
	nc_metrics_collect(&m, ion, &mx);
	snprintf(path, sizeof(path), "%s/report.json", dir);
	ck_assert_int_eq(nc_report_write(path, &mx, &res, err, sizeof(err)), 0);
	out = run(&st, "python3 -c \"import json, sys; d = json.load(open(sys.argv[1])); "
		  "print(d['stop'], repr(d['stop_message']), d['exit_status'], d['run_seconds'], "
		  "hex(d['guest_status']), d['guest_exit'], d['guest_failed_checks'], "
		  "d['valves'][3]['requests'], d['vcpus'][1]['exits']['mmio'])\" %s", path);
	ck_assert_msg(st == 0, "status %d: %s", st, out);
	ck_assert_str_eq(out, "poweroff 'guest powered off (vcpu 0) \"quoted\"\\n' 0 12.5 "
			      "0x80030002 3 2 1 7\n");
	/* A report that cannot be written says where. */
	ck_assert_int_eq(nc_report_write("/nonexistent/r.json", &mx, &res, err, sizeof(err)),
			 -ENOENT);
	ck_assert_str_eq(err, "report /nonexistent/r.json.tmp: No such file or directory");
}
END_TEST

START_TEST(shutdown_asks_then_stops_hard)
{
	const struct ion_header *h = ion_host_window(ion);
	uint64_t n = 0;
	int64_t t0;

	ck_assert_uint_eq(__atomic_load_n(&h->host_request, __ATOMIC_ACQUIRE), ION_HOST_REQ_NONE);
	ck_assert_str_eq(talk("shutdown --timeout 0\n"),
			 "error: shutdown: --timeout takes 1..86400 seconds, not '0'\n");
	ck_assert_str_eq(talk("shutdown now\n"), "error: usage: shutdown [--timeout S]\n");
	ck_assert_int_eq(read(ion_host_irq_fd(ion, 0), &n, sizeof(n)), -1);	/* none yet */
	t0 = nc_now_ms();
	ck_assert_str_eq(talk("shutdown --timeout 1\n"), "ok\n");
	/* The word, then the first valve's interrupt (the irqfd KVM would take). */
	ck_assert_uint_eq(__atomic_load_n(&h->host_request, __ATOMIC_ACQUIRE),
			  ION_HOST_REQ_POWEROFF);
	ck_assert_int_eq(read(ion_host_irq_fd(ion, 0), &n, sizeof(n)), sizeof(n));
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(m.stop, NC_STOP_NONE);		/* the guest has its second */
	/* This guest never powers off: the control thread stops the cell. */
	while (__atomic_load_n(&m.stop, __ATOMIC_ACQUIRE) == NC_STOP_NONE &&
	       nc_now_ms() - t0 < 3000)
		usleep(10 * 1000);
	ck_assert_int_eq(m.stop, NC_STOP_REQUEST);
	ck_assert_int_ge(nc_now_ms() - t0, 1000);
	ck_assert_int_lt(nc_now_ms() - t0, 2000);
	ck_assert_str_eq(m.stop_why,
			 "the guest did not power off within 1 s of the shutdown request: stopped");
}
END_TEST

START_TEST(shutdown_default_timeout)
{
	ck_assert_str_eq(talk("shutdown\n"), "ok\n");
	ck_assert_int_ge(m.shutdown_at_ms - nc_now_ms(), NC_SHUTDOWN_TIMEOUT_S * 1000 - 1000);
	ck_assert_uint_eq(m.shutdown_timeout_s, NC_SHUTDOWN_TIMEOUT_S);
	usleep(200 * 1000);
	ck_assert_int_eq(m.stop, NC_STOP_NONE);
}
END_TEST

/* The largest cell's metrics fit one answer, in both formats. */
START_TEST(largest_cell_fits_an_answer)
{
	static struct nc_metrics mx;
	static char out[NC_CONTROL_ANSWER_MAX];
	struct nc_sbuf b;

	mx.uptime_s = 1e9;
	mx.rss_kib = 1L << 40;
	mx.nr_valves = ION_MAX_VALVES;
	for (unsigned v = 0; v < ION_MAX_VALVES; v++) {
		snprintf(mx.valve[v].name, sizeof(mx.valve[v].name), "input%u", v);
		mx.valve[v].type = "input";
		mx.valve[v].st.requests = mx.valve[v].st.bytes = UINT64_MAX;
		mx.valve[v].st.doorbells = mx.valve[v].st.interrupts = UINT64_MAX;
		mx.valve[v].st.errors = mx.valve[v].throttled = UINT64_MAX;
		mx.valve[v].st.broken = true;
		mx.valve[v].st.error = UINT32_MAX;
	}
	mx.nr_vcpus = NC_METRICS_MAX_VCPUS;
	for (unsigned i = 0; i < NC_METRICS_MAX_VCPUS; i++)
		for (unsigned r = 0; r < NC_VEXIT_NR; r++)
			mx.vcpu[i].n[r] = UINT64_MAX;
	nc_sbuf_init(&b, out, sizeof(out) - 3);		/* room for "ok\n" */
	nc_metrics_json(&mx, &b);
	ck_assert_msg(!b.overflow, "JSON needs more than %zu bytes", sizeof(out) - 3);
	nc_sbuf_init(&b, out, sizeof(out) - 3);
	nc_metrics_prometheus(&mx, &b);
	ck_assert_msg(!b.overflow, "the text format needs more than %zu bytes", sizeof(out) - 3);
	/* And a buffer too small is cut cleanly, and says so. */
	nc_sbuf_init(&b, out, 100);
	nc_metrics_prometheus(&mx, &b);
	ck_assert(b.overflow);
	ck_assert_uint_lt(strlen(out), 100);
}
END_TEST

/* A cell without valves cannot tell its guest: an error, and no deadline. */
START_TEST(shutdown_without_valves)
{
	struct ion_host_spec spec = { .size = ION_DEFAULT_SIZE };
	char err[256];

	nc_control_stop(&ctl);
	ion_host_destroy(ion);
	ck_assert_int_eq(ion_host_create(&ion, &spec, err, sizeof(err)), 0);
	ck_assert_int_eq(nc_control_start(&ctl, sock, &m, ion, err, sizeof(err)), 0);
	ck_assert_str_eq(talk("shutdown\n"),
			 "error: shutdown: the cell has no valve whose interrupt could tell the guest\n");
	ck_assert_int_eq(m.shutdown_at_ms, 0);
	ck_assert_msg(strstr(talk("stats --json\n"), ", \"valves\": [], \"vcpus\": [{\"vcpu\": 0, "),
		      "got: %s", talk("stats --json\n"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("socket");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, stats_json_parses);
	tcase_add_test(tc, metrics_pass_the_checker);
	tcase_add_test(tc, checker_refuses_bad_text);
	tcase_add_test(tc, report_file_parses);
	tcase_add_test(tc, shutdown_asks_then_stops_hard);
	tcase_add_test(tc, shutdown_default_timeout);
	tcase_add_test(tc, shutdown_without_valves);
	tcase_add_test(tc, largest_cell_fits_an_answer);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
