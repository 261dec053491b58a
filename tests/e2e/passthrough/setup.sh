# Host side, before the cells: hand both NVMe controllers and one NIC to
# vfio-pci, write their addresses into the cells, keep the other NIC in a
# network namespace as the cell's peer, and arm the SIGKILL of cell-d.
# Without the hardware (an arm64 runner without it) the scenario skips.
. ./common.sh
skip() { echo "$*" >skip; exit 77; }

set -- $(pci-bind list 0x010802)
[ $# -ge 2 ] || skip "needs two NVMe controllers (class 0x010802), found $#"
nva=$1 nvb=$2
set -- $(pci-bind list 0x020000)
[ $# -ge 2 ] || skip "needs two Ethernet NICs wired to each other (ci/nested-run: nic-pair), found $#"
nic=$1 peer=$2
echo "$nva $nvb $nic $peer" >devices

# Check refuses a device bound to another driver, and one that does not exist.
sed "s/ffff:ff:1f.1/$nva/" cell.toml >check-bound.toml
if out=$(nipcell-vmm check check-bound.toml 2>&1); rc=$?; [ $rc = 2 ] &&
   echo "$out" | grep -q "$nva.*bound to $(pci-bind driver "$nva")"; then
	echo "NCT PASS check-refuses-bound check exits 2: $(echo "$out" | head -1)"
else
	echo "NCT FAIL check-refuses-bound exit $rc: $(echo "$out" | head -2 | tr '\n' ' ')"
fi
sed "s/ffff:ff:1f.1/0000:00:1f.7/" cell.toml >check-missing.toml
if out=$(nipcell-vmm check check-missing.toml 2>&1); rc=$?; [ $rc = 2 ] &&
   echo "$out" | grep -q "0000:00:1f.7"; then
	echo "NCT PASS check-refuses-missing check exits 2: $(echo "$out" | head -1)"
else
	echo "NCT FAIL check-refuses-missing exit $rc: $(echo "$out" | head -2 | tr '\n' ' ')"
fi

for a in $nva $nvb $nic; do
	pci-bind vfio-addr "$a" >/dev/null || echo "NCT FAIL host-bind-vfio $a did not bind to vfio-pci"
done
echo "NCT PASS host-bind-vfio $nva $nvb $nic bound to vfio-pci"
for f in cell.toml cell-b.toml cell-c.toml cell-d.toml cell-e.toml; do
	sed -i "s/ffff:ff:1f.1/$nva/; s/ffff:ff:1f.2/$nvb/; s/ffff:ff:1f.3/$nic/" "$f"
done

# The peer NIC: driven by the host's e1000e, in a namespace of its own.
rm -f bg.pids
unshare -n sleep 3600 &
ns=$!
echo $ns >>bg.pids
sleep 0.2
dev=$(ls "/sys/bus/pci/devices/$peer/net" 2>/dev/null | head -1)
if [ -n "$dev" ] && ip link set dev "$dev" netns "$ns"; then
	nsenter -t "$ns" -n sh -c "ip link set lo up; ip link set $dev up; ip addr add $NC_PEER_IP/24 dev $dev"
	echo "NCT PASS host-peer-nic $dev ($peer) in its own namespace at $NC_PEER_IP"
	# The peer's ends of the NIC cells' TCP streams (cells 3 and 5 run one
	# after the other): it takes each upload and offers each download until
	# that cell listens.
	for tag in msix intx; do
		( { sleep 900 & wait; } |
			nsenter -t "$ns" -n nc -l -p $(nc_port_up $tag) >net-up-$tag.bin ) &
		echo $! >>bg.pids
		(
			t_end=$(($(cut -d. -f1 /proc/uptime) + 800))
			while [ "$(cut -d. -f1 /proc/uptime)" -lt $t_end ]; do
				nc_pattern down $NC_NET_BYTES |
					nsenter -t "$ns" -n nc -w 30 $NC_CELL_IP $(nc_port_down $tag) 2>/dev/null && break
				sleep 0.5
			done
		) &
		echo $! >>bg.pids
	done
	# The host's view while the streams run, for host.sh to show if they
	# fail: every 2 s the bytes the peer has, the interrupts of both NICs.
	(
		while :; do
			echo "$(cut -d' ' -f1 /proc/uptime) s: peer has $(cat net-up-*.bin | wc -c) bytes; $(grep -E 'vfio-intx|vfio-msix|eth' /proc/interrupts | awk '{ printf "%s=%d ", $NF, $2 + $3 }')"
			# Guest RAM on huge pages (vmm/guest_ram.c), per NIC cell.
			for p in $(pidof nipcell-vmm); do
				for c in cell-c cell-e; do
					grep -q "$c.toml" "/proc/$p/cmdline" 2>/dev/null &&
						sed -n 's/^AnonHugePages: *\([0-9]*\) kB/\1/p' /proc/$p/smaps_rollup >thp-$c.kib
				done
			done
			sleep 2
		done
	) >host-net.log &
	echo $! >>bg.pids
else
	echo "NCT FAIL host-peer-nic no network interface for $peer (driver: $(pci-bind driver "$peer"))"
fi

# cell-d: SIGKILL nipcell-vmm once its guest is writing to nvA: the
# controller's MSI-X interrupts in the host (vfio-msix) count its I/O.
vfio_irqs() { grep 'vfio-msix' /proc/interrupts | awk '{ n += $2 + $3 } END { print n + 0 }'; }
(
	i=0
	while [ $i -lt 600 ]; do
		for p in $(pidof nipcell-vmm); do
			grep -q 'cell-d.toml' "/proc/$p/cmdline" 2>/dev/null || continue
			n0=$(vfio_irqs) j=0
			while [ $(($(vfio_irqs) - n0)) -lt 50 ] && [ $j -lt 120 ]; do
				sleep 1
				j=$((j + 1))
			done
			sleep 1
			kill -KILL "$p" && echo "killed after $((j + 1)) s, $(($(vfio_irqs) - n0)) device interrupts" >sigkill.sent
			exit 0
		done
		i=$((i + 1))
		sleep 1
	done
) &
echo $! >>bg.pids
exit 0
