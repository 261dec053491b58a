# Host side, before the cell: a disk image, a tap with the host's address,
# and background jobs that talk to the cell while it runs (their results go
# to files that host.sh checks after the cell exits).
. ./common.sh

rm -f bg.pids
dd if=/dev/zero of=disk.img bs=1M count=0 seek=$NC_DISK_MIB 2>/dev/null
nc_pattern ro $((NC_RO_MIB * 1048576)) >ro.img
tapctl add nxtap0 || echo "NCT FAIL host-tap tapctl add nxtap0 failed"
ip link set nxtap0 up
ip addr add $NC_HOST_IP/24 dev nxtap0

# TCP: receive the guest's upload, serve the download.
nc_pattern down $NC_NET_BYTES >net-down.bin
# busybox nc stops reading the socket once its own stdin ends: keep that
# stdin open (the sleep's pid is recorded for host.sh to end it).
{ sleep 600 & echo $! >>bg.pids; wait; } | nc -l -p $NC_PORT_UP >net-up.bin &
echo $! >>bg.pids
nc -l -p $NC_PORT_DOWN <net-down.bin &
echo $! >>bg.pids

# Ping host -> guest once nx0 is up in the cell.
(
	i=0
	while [ $i -lt 300 ]; do
		if ping -c 1 -W 1 $NC_GUEST_IP >/dev/null 2>&1; then
			ping -c 3 -W 1 $NC_GUEST_IP >ping.out 2>&1 && echo ok >ping.ok
			exit 0
		fi
		i=$((i + 1))
		sleep 0.2
	done
) &
echo $! >>bg.pids

# Input: inject KEY_A press/release until the cell is gone; the guest reads
# its evdev device. Events sent before it opens the device are lost, so
# keep sending. After each group the valve statistics are read while the
# cell runs; input.stats holds the last answer that came back whole, with
# the number of events the valve had said "ok" to just before it (only
# this loop injects, so the input valve's requests= must equal it).
(
	while [ ! -S cell.sock ]; do sleep 0.1; done
	n=0 ev=0
	inject() { nipcell-vmm ctl cell.sock input "$@" >/dev/null 2>&1 && ev=$((ev + 1)); }
	while [ -S cell.sock ]; do
		inject EV_KEY 30 1 && inject EV_SYN SYN_REPORT 0 &&
			inject EV_KEY 30 0 && inject EV_SYN SYN_REPORT 0 &&
			n=$((n + 1))
		if nipcell-vmm ctl cell.sock stats >stats.tmp 2>&1; then
			{ echo "injected groups=$n events=$ev"; cat stats.tmp; } >input.stats.tmp &&
				mv input.stats.tmp input.stats
		fi
		sleep 0.2
	done
) &
echo $! >>bg.pids
