// SPDX-License-Identifier: GPL-2.0
/*
 * Net valve against a real tap device, inside a network namespace of the
 * test's own (unshare(CLONE_NEWNET)): nothing outside it is touched, and
 * it disappears with the test. A simulated guest at 10.77.0.2 sends a UDP
 * datagram through the TX queue to a socket on the tap's 10.77.0.1, and
 * receives one back through its RX buffers; the test checks the bytes.
 * Without the privileges for a namespace or a tap it exits 77 (skip).
 */
#define _GNU_SOURCE
#include "../nc_check.h"
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "sim_guest.h"
#include "testutil.h"

/*
 * Each test has a subnet of its own: a tap of the previous test may still
 * be unregistering (with its address and route) when the next one starts.
 */
static char host_ip[16], guest_ip[16];
#define HOST_IP		host_ip
#define GUEST_IP	guest_ip
#define GUEST_PORT	5000
#define HOST_PORT	6000
#define NR_RX		16

static const uint8_t guest_mac[6] = { 0x02, 0x4e, 0x43, 0x00, 0x00, 0x02 };

static struct ion_host *h;
static struct sim_guest g;
static struct sim_q rxq, txq;
static uint8_t tap_mac[6];

static void ifreq_addr(struct ifreq *ifr, const char *ip)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr->ifr_addr;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, ip, &sin->sin_addr);
}

/* 10.77.N.1/24 on the tap, the guest's MAC as a static neighbour. */
static void configure_tap(const char *name)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr;
	struct arpreq arp;
	struct sockaddr_in *pa = (struct sockaddr_in *)&arp.arp_pa;

	ck_assert_int_ge(s, 0);
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	ifreq_addr(&ifr, HOST_IP);
	ck_assert_int_eq(ioctl(s, SIOCSIFADDR, &ifr), 0);
	ifreq_addr(&ifr, "255.255.255.0");
	ck_assert_int_eq(ioctl(s, SIOCSIFNETMASK, &ifr), 0);
	ck_assert_int_eq(ioctl(s, SIOCGIFFLAGS, &ifr), 0);
	ck_assert_msg(ifr.ifr_flags & IFF_UP, "the host did not bring %s up", name);
	ck_assert_int_eq(ioctl(s, SIOCGIFHWADDR, &ifr), 0);
	memcpy(tap_mac, ifr.ifr_hwaddr.sa_data, 6);
	memset(&arp, 0, sizeof(arp));
	pa->sin_family = AF_INET;
	inet_pton(AF_INET, GUEST_IP, &pa->sin_addr);
	arp.arp_ha.sa_family = ARPHRD_ETHER;
	memcpy(arp.arp_ha.sa_data, guest_mac, 6);
	arp.arp_flags = ATF_COM | ATF_PERM;
	strncpy(arp.arp_dev, name, sizeof(arp.arp_dev) - 1);
	ck_assert_int_eq(ioctl(s, SIOCSARP, &arp), 0);
	close(s);
}

static void open_net_budget(const char *tap, int subnet, const struct ion_budget *b)
{
	struct ion_host_spec s = default_spec(NULL);

	if (b)
		s.net_cfg.budget = *b;

	snprintf(host_ip, sizeof(host_ip), "10.77.%d.1", subnet);
	snprintf(guest_ip, sizeof(guest_ip), "10.77.%d.2", subnet);
	s.net_cfg.null = false;
	s.net_cfg.tap = tap;
	memcpy(s.net_cfg.mac, guest_mac, 6);
	s.input = false;
	h = create_ok(&s);
	ck_assert_ptr_nonnull(ion_host_tap_name(h));
	if (tap)
		ck_assert_str_eq(ion_host_tap_name(h), tap);
	configure_tap(ion_host_tap_name(h));
	ck_assert_int_eq(sim_guest_bind(&g, ion_host_window(h), s.size, true), 0);
	ck_assert_int_eq(sim_queue(&g, 0, ION_NET_QUEUE_RX, ion_host_doorbell_fd(h, 0, 0),
				   ion_host_irq_fd(h, 0), &rxq), 0);
	ck_assert_int_eq(sim_queue(&g, 0, ION_NET_QUEUE_TX, ion_host_doorbell_fd(h, 0, 1),
				   ion_host_irq_fd(h, 0), &txq), 0);
}

static void open_net(const char *tap, int subnet)
{
	open_net_budget(tap, subnet, NULL);
}

/* Docs/valves.md: RX slot i at data_off + i * buf_size, TX slots after. */
static uint64_t rx_slot(uint32_t i)
{
	return rxq.valve->data_off + (uint64_t)i * rxq.valve->config.net.buf_size;
}

static uint64_t tx_slot(uint32_t i)
{
	return rx_slot(rxq.entries + i);
}

static void post_rx(uint32_t i)
{
	struct ion_sqe e = { .opcode = ION_OP_NET_RX, .len = 2048,
			     .data_off = rx_slot(i), .id = i };

	ck_assert_int_eq(sim_submit(&rxq, &e), 0);
}

static uint16_t csum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += b[i] << 8 | b[i + 1];
	if (n & 1)
		s += b[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* Ethernet + IPv4 + UDP (checksum 0) from the guest to the host socket. */
static uint32_t build_udp(uint8_t *f, const char *payload)
{
	size_t n = strlen(payload);
	uint8_t *ip = f + 14, *udp = ip + 20;

	memcpy(f, tap_mac, 6);
	memcpy(f + 6, guest_mac, 6);
	put16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, 20 + 8 + n);
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	inet_pton(AF_INET, GUEST_IP, ip + 12);
	inet_pton(AF_INET, HOST_IP, ip + 16);
	put16(ip + 10, csum(ip, 20));
	put16(udp, GUEST_PORT);
	put16(udp + 2, HOST_PORT);
	put16(udp + 4, 8 + n);
	put16(udp + 6, 0);
	memcpy(udp + 8, payload, n);
	return 14 + 20 + 8 + n;
}

static int host_socket(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(HOST_PORT) };
	struct timeval tv = { .tv_sec = 5 };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, HOST_IP, &a.sin_addr);
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return s;
}

/* Guest TX -> tap -> host socket, and host socket -> tap -> guest RX. */
static void exchange(int rounds)
{
	int s = host_socket();
	struct ion_valve_stats st;
	struct ion_cqe c;

	for (uint32_t i = 0; i < NR_RX; i++)
		post_rx(i);
	for (int r = 0; r < rounds; r++) {
		char want[64], got[128];
		struct sockaddr_in from, to = { .sin_family = AF_INET,
						.sin_port = htons(GUEST_PORT) };
		socklen_t fl = sizeof(from);
		uint8_t *f = sim_ptr(&g, tx_slot(r % 4));
		struct ion_sqe e = { .opcode = ION_OP_NET_TX, .data_off = tx_slot(r % 4),
				     .id = 1000 + r };
		bool found = false;
		ssize_t n;

		snprintf(want, sizeof(want), "guest to host, round %d", r);
		e.len = build_udp(f, want);
		ck_assert_int_eq(sim_submit(&txq, &e), 0);
		ck_assert_int_eq(sim_wait(&txq, &c, 5000), 1);
		ck_assert_uint_eq(c.id, 1000 + r);
		ck_assert_int_eq(c.status, 0);
		ck_assert_uint_eq(c.len, e.len);
		n = recvfrom(s, got, sizeof(got), 0, (struct sockaddr *)&from, &fl);
		ck_assert_int_eq(n, (ssize_t)strlen(want));
		ck_assert_mem_eq(got, want, n);
		ck_assert_uint_eq(ntohs(from.sin_port), GUEST_PORT);

		snprintf(want, sizeof(want), "host to guest, round %d", r);
		inet_pton(AF_INET, GUEST_IP, &to.sin_addr);
		ck_assert_int_eq(sendto(s, want, strlen(want), 0,
					(struct sockaddr *)&to, sizeof(to)),
				 (ssize_t)strlen(want));
		/* the kernel may send other frames (IPv6 ND, ...): skip them */
		while (!found) {
			uint8_t *fr;

			ck_assert_int_eq(sim_wait(&rxq, &c, 5000), 1);
			ck_assert_int_eq(c.status, 0);
			ck_assert_uint_lt(c.id, NR_RX);
			fr = sim_ptr(&g, rx_slot(c.id));
			if (c.len >= 42 + strlen(want) && fr[12] == 0x08 && fr[13] == 0 &&
			    fr[14 + 9] == IPPROTO_UDP &&
			    (fr[14 + 22] << 8 | fr[14 + 23]) == GUEST_PORT) {
				ck_assert_mem_eq(fr, guest_mac, 6);
				ck_assert_mem_eq(fr + 6, tap_mac, 6);
				ck_assert_uint_eq(c.len, 42 + strlen(want));
				ck_assert_mem_eq(fr + 42, want, strlen(want));
				found = true;
			}
			post_rx(c.id);
		}
	}
	close(s);
	ion_host_stats(h, 0, &st);
	/* every TX and every RX we reaped was taken (a repost may not be yet) */
	ck_assert_uint_ge(st.requests, 2 * rounds);
	ck_assert_uint_gt(st.interrupts, 0);
	ck_assert_uint_eq(st.errors, 0);
}

START_TEST(created_tap)
{
	open_net(NULL, 1);
	ck_assert_int_eq(ion_host_start(h), 0);
	exchange(20);
	ck_assert_int_eq(ion_host_stop(h), 0);
	ion_host_destroy(h);
}
END_TEST

START_TEST(named_tap)
{
	open_net("nctest0", 2);
	ck_assert_int_eq(ion_host_start(h), 0);
	exchange(3);
	ck_assert_int_eq(ion_host_stop(h), 0);
	ion_host_destroy(h);
}
END_TEST

/* Stop cancels the RX buffers waiting for frames. */
START_TEST(stop_cancels_rx)
{
	struct ion_cqe c;
	unsigned cancelled = 0;

	open_net(NULL, 3);
	ck_assert_int_eq(ion_host_start(h), 0);
	for (uint32_t i = 0; i < NR_RX; i++)
		post_rx(i);
	for (int i = 0; i < 2000 && rxq.sq->cons != rxq.sq_prod; i++)
		usleep(500);
	ck_assert_int_eq(ion_host_stop(h), 0);
	while (sim_reap(&rxq, &c))
		cancelled += c.status == -ECANCELED;
	/* all RX buffers come back (a few may carry frames the kernel sent) */
	ck_assert_uint_eq(rxq.cq->prod, NR_RX);
	ck_assert_uint_gt(cancelled, 0);
	ion_host_destroy(h);
}
END_TEST

/*
 * A received frame is charged when it arrives: eight frames into eight free
 * RX buffers leave a budget of 4 frames per 5 s in debt, and while it is,
 * the host takes no more RX buffers: frames sent meanwhile wait in the
 * tap's queue (delayed, not dropped or failed) until the budget is turned
 * off at run time, when they arrive at once.
 */
START_TEST(rx_frames_charged_on_arrival)
{
	struct ion_budget b = { .ops = { 4, 0, 5000 } };
	struct ion_bucket_cfg off = { 0, 0, 0 };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(GUEST_PORT) };
	struct ion_valve_stats st;
	struct ion_cqe c;
	uint32_t cons;
	int s;

	open_net_budget(NULL, 4, &b);
	ck_assert_int_eq(ion_host_start(h), 0);
	s = host_socket();
	inet_pton(AF_INET, GUEST_IP, &to.sin_addr);
	for (uint32_t i = 0; i < 8; i++)
		post_rx(i);
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	for (int i = 0; i < 8; i++) {
		ck_assert_msg(sim_wait(&rxq, &c, 5000) == 1, "frame %d not received", i);
		ck_assert_int_eq(c.status, 0);
	}
	/* in debt now: reposted buffers are not taken, frames wait */
	for (uint32_t i = 0; i < 8; i++)
		post_rx(i);
	usleep(50 * 1000);
	cons = __atomic_load_n(&rxq.sq->cons, __ATOMIC_ACQUIRE);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(sendto(s, "y", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	ck_assert_int_eq(sim_wait(&rxq, &c, 1000), 0);
	ck_assert_uint_eq(__atomic_load_n(&rxq.sq->cons, __ATOMIC_ACQUIRE), cons);
	ck_assert_uint_ne(cons, rxq.sq_prod);
	ion_host_stats(h, 0, &st);
	ck_assert_uint_ge(st.throttled, 1);
	ck_assert_uint_eq(st.errors, 0);

	ck_assert_int_eq(ion_host_set_budget(h, 0, ION_BUDGET_OPS, &off), 0);
	ck_assert_msg(sim_wait(&rxq, &c, 1000) == 1, "frames still held after the budget went off");
	ck_assert_int_eq(c.status, 0);
	close(s);
	ck_assert_int_eq(ion_host_stop(h), 0);
	ion_host_destroy(h);
}
END_TEST

START_TEST(tap_errors)
{
	struct ion_host_spec s = default_spec(NULL);
	struct ion_host *hh;
	char err[256];

	s.net_cfg.null = false;
	s.net_cfg.tap = "lo";	/* exists, and is no tap */
	ck_assert_int_lt(ion_host_create(&hh, &s, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "net tap lo:"), "error: %s", err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ion_net");
	TCase *tc = tcase_create("net");
	int fd;

	if (unshare(CLONE_NEWNET) < 0) {
		printf("SKIP: unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 77;
	}
	fd = open("/dev/net/tun", O_RDWR);
	if (fd < 0) {
		printf("SKIP: /dev/net/tun: %s\n", strerror(errno));
		return 77;
	}
	close(fd);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, created_tap);
	tcase_add_test(tc, named_tap);
	tcase_add_test(tc, stop_cancels_rx);
	tcase_add_test(tc, rx_frames_charged_on_arrival);
	tcase_add_test(tc, tap_errors);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
