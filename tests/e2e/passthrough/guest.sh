# Runs in each cell; nc.pt= on the command line says which part this is.
. ./common.sh
pt=$(sed -n 's/.*nc\.pt=\([a-z-]*\).*/\1/p' /proc/cmdline)

# wait_for FILE SECONDS
wait_for() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt $(($2 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
	[ -e "$1" ]
}

# The guest's own drivers bound the device and take its MSI-X interrupts.
msix_check() {	# NAME DRIVER-PATTERN
	n=$(grep -E "$2" /proc/interrupts | grep -c 'MSI')
	sum=$(grep -E "$2" /proc/interrupts | grep 'MSI' | awk '{ s += $2 } END { print s + 0 }')
	if [ "$n" -gt 0 ] && [ "$sum" -gt 0 ]; then
		echo "NCT PASS $1 $n MSI-X vectors, $sum interrupts: $(grep -E "$2" /proc/interrupts | head -1 | tr -s ' ')"
	else
		echo "NCT FAIL $1 no MSI-X interrupts for $2: $(grep -iE 'msi|nvme|eth' /proc/interrupts | tr -s ' ' | tr '\n' ';')"
	fi
}

nvme_bound() {
	if wait_for /dev/nvme0n1 20; then
		echo "NCT PASS guest-nvme-bound $(dmesg | grep -m1 'nvme nvme0:' | sed 's/^\[[^]]*\] //') ($(cat /sys/block/nvme0n1/size) sectors)"
	else
		echo "NCT FAIL guest-nvme-bound no /dev/nvme0n1 after 20 s: $(dmesg | grep -iE 'nvme|vfio|pci' | tail -3 | tr '\n' ';')"
		return 1
	fi
}

write_pattern() {	# TAG
	nc_pattern "$1" $((NC_PAT_MIB * 1048576)) |
		dd of=/dev/nvme0n1 bs=1M seek=$NC_PAT_AT_MIB conv=fsync 2>/dev/null
	got=$(dd if=/dev/nvme0n1 bs=1M skip=$NC_PAT_AT_MIB count=$NC_PAT_MIB iflag=direct 2>/dev/null | nc_md5)
	if [ "$got" = "$(nc_pattern "$1" $((NC_PAT_MIB * 1048576)) | nc_md5)" ]; then
		echo "NCT PASS guest-nvme-pattern $NC_PAT_MIB MiB written at $NC_PAT_AT_MIB MiB and read back (O_DIRECT)"
	else
		echo "NCT FAIL guest-nvme-pattern read back md5 $got differs"
	fi
}

# The first network interface, driven by the guest's e1000e, up at
# NC_CELL_IP and answering the peer's ping; its name in $dev.
nic_up() {
	dev=
	i=0
	while [ -z "$dev" ] && [ $i -lt 100 ]; do
		dev=$(ls /sys/class/net | grep -v '^lo$' | head -1)
		[ -n "$dev" ] || sleep 0.2
		i=$((i + 1))
	done
	if [ -n "$dev" ] && [ "$(basename "$(readlink /sys/class/net/$dev/device/driver)")" = e1000e ]; then
		echo "NCT PASS guest-nic-bound $dev driven by the guest's e1000e"
	else
		echo "NCT FAIL guest-nic-bound no e1000e interface: $(ls /sys/class/net | tr '\n' ' ')"
		exit 1
	fi
	ip link set lo up; ip link set "$dev" up; ip addr add $NC_CELL_IP/24 dev "$dev"
	i=0
	until ping -c 1 -W 1 $NC_PEER_IP >/dev/null 2>&1 || [ $i -ge 30 ]; do i=$((i + 1)); done
	if out=$(ping -c 3 -W 2 $NC_PEER_IP 2>&1); then
		echo "NCT PASS guest-nic-ping $(echo "$out" | tail -1)"
	else
		echo "NCT FAIL guest-nic-ping $NC_PEER_IP: $(echo "$out" | tail -2 | tr '\n' ' ')"
	fi
}

# TCP both ways through the guest's e1000e on DEV, each stream's md5
# checked: the download here, the upload by host.sh (the peer keeps it).
nic_tcp() {	# DEV TAG
	dev=$1 tag=$2
	port_up=$(nc_port_up $tag) port_down=$(nc_port_down $tag)
	want=$(nc_pattern down $NC_NET_BYTES | nc_md5)
	t0=$(cut -d' ' -f1 /proc/uptime)
	got=$(nc -l -p $port_down -w 60 | nc_md5)
	t1=$(cut -d' ' -f1 /proc/uptime)
	if [ "$got" = "$want" ]; then
		echo "NCT PASS guest-nic-tcp-down ($tag) $NC_NET_BYTES bytes from the peer in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s, md5 matches"
	else
		echo "NCT FAIL guest-nic-tcp-down ($tag) md5 $got, want $want ($(cat /sys/class/net/$dev/statistics/rx_packets) packets received)"
	fi
	# busybox nc blocks in write() as long as TCP does not give up: watch
	# the NIC's counters and stop a stream that made no progress in 16 s.
	t0=$(cut -d' ' -f1 /proc/uptime)
	( nc_pattern up $NC_NET_BYTES | nc -w 30 $NC_PEER_IP $port_up && echo ok >/tmp/up.ok ) &
	up=$! last= same=0
	while kill -0 $up 2>/dev/null; do
		s=/sys/class/net/$dev/statistics
		now="tx=$(cat $s/tx_packets) rx=$(cat $s/rx_packets)"
		if [ "$now" = "$last" ]; then same=$((same + 1)); else same=0; fi
		last=$now
		if [ $same -ge 8 ]; then
			echo "stalled: $now; TCP: $(grep -E '^Tcp:' /proc/net/snmp | tail -1); socket: $(sed -n 2p /proc/net/tcp)" >/tmp/up.stall
			kill $up
			break
		fi
		sleep 2
	done
	wait $up
	t1=$(cut -d' ' -f1 /proc/uptime)
	if [ -f /tmp/up.ok ]; then
		echo "NCT PASS guest-nic-tcp-up-sent ($tag) $NC_NET_BYTES bytes to $NC_PEER_IP:$port_up in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s; host.sh checks them"
	else
		echo "NCT FAIL guest-nic-tcp-up-sent ($tag) nc to $NC_PEER_IP:$port_up failed after $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s: $(cat /tmp/up.stall 2>/dev/null)"
	fi
}

case $pt in
nvme-fs)
	nvme_bound || exit 1
	msix_check guest-nvme-msix nvme
	write_pattern nvA
	if mke2fs -q -F /dev/nvme0n1 $NC_FS_BLOCKS && mkdir -p /mnt &&
	   mount -t ext2 /dev/nvme0n1 /mnt; then
		nc_pattern file 65536 >/mnt/cell.txt
		umount /mnt && echo "NCT PASS guest-nvme-ext2 ext2 made, /cell.txt written, unmounted"
	else
		echo "NCT FAIL guest-nvme-ext2 mke2fs or mount of /dev/nvme0n1 failed"
	fi
	;;
nvme-pattern)
	nvme_bound || exit 1
	msix_check guest-nvme-msix-bar nvme
	write_pattern nvB
	# The figure: the cell's nvme driver at QD32, left on the disk for the
	# host to compare with its own driver on the same controller.
	iops=$(randread_qd32 /dev/nvme0n1 cell)
	if [ -n "$iops" ] && [ "$iops" -gt 0 ]; then
		echo "iops=$iops" | dd of=/dev/nvme0n1 bs=512 seek=$NC_FIG_AT_SECTOR conv=sync,fsync 2>/dev/null
		echo "NCT PASS guest-nvme-randread 4 KiB random reads at QD32 from the cell: $iops IOPS"
	else
		echo "NCT FAIL guest-nvme-randread ioload failed on /dev/nvme0n1"
	fi
	;;
nvme-busy)
	nvme_bound || exit 1
	echo "NCT PASS guest-nvme-busy writing until the host kills the VMM"
	# at 48 MiB: clear of cell 1's ext2 (0-32 MiB) and pattern (40-44 MiB)
	while :; do
		dd if=/dev/zero of=/dev/nvme0n1 bs=64k count=64 seek=768 conv=fsync 2>/dev/null
	done
	;;
nic)	# MSI-X, the driver's default
	nic_up
	nic_tcp "$dev" msix
	msix_check guest-nic-msix "$dev|e1000e"
	;;
nic-intx)	# e1000e.IntMode=0 on the command line: the INTx fallback
	nic_up
	nic_tcp "$dev" intx
	n=$(grep -E " $dev\$" /proc/interrupts | grep 'Level' | awk '{ print $2 }')
	if [ -n "$n" ] && [ "$n" -gt 0 ] && ! grep -E " $dev" /proc/interrupts | grep -q MSI; then
		echo "NCT PASS guest-nic-intx $n INTx interrupts, no MSI: $(grep -E " $dev\$" /proc/interrupts | tr -s ' ')"
	else
		echo "NCT FAIL guest-nic-intx no level-triggered interrupt for $dev: $(grep -iE 'eth|e1000e' /proc/interrupts | tr -s ' ' | tr '\n' ';')"
	fi
	;;
*)
	echo "NCT FAIL guest-part unknown nc.pt='$pt'"
	;;
esac
