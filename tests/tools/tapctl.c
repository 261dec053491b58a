// SPDX-License-Identifier: GPL-2.0
/*
 * tapctl add NAME | del NAME: creates or removes a persistent tap device, so
 * a scenario can configure the host end before nipcell-vmm attaches to it.
 * busybox's ip has no `tuntap`, and iproute2 is not in the arm64 host.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_tun.h>

int main(int argc, char **argv)
{
	struct ifreq ifr;
	int fd, persist;

	if (argc != 3 || (strcmp(argv[1], "add") && strcmp(argv[1], "del")) ||
	    strlen(argv[2]) >= IFNAMSIZ) {
		fprintf(stderr, "usage: tapctl add|del NAME (NAME under %d bytes)\n", IFNAMSIZ);
		return 2;
	}
	persist = !strcmp(argv[1], "add");
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tapctl: /dev/net/tun: %s\n", strerror(errno));
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strcpy(ifr.ifr_name, argv[2]);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETPERSIST, persist) < 0) {
		fprintf(stderr, "tapctl: %s %s: %s\n", argv[1], argv[2], strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
