# Host side, before the cell: the NIC to vfio-pci, the peer NIC in a
# namespace, the tap, and a job that talks through the cell while it runs
# (its results go to files that host.sh checks after the cell exits).
. ./common.sh
skip() { echo "$*" >skip; exit 77; }

set -- $(pci-bind list 0x020000)
[ $# -ge 2 ] || skip "needs two Ethernet NICs wired to each other (ci/nested-run: nic-pair), found $#"
nic=$1 peer=$2
echo "$nic $peer" >devices
rm -f bg.pids

if pci-bind vfio-addr "$nic" >/dev/null; then
	echo "NCT PASS host-bind-vfio $nic bound to vfio-pci"
else
	echo "NCT FAIL host-bind-vfio $nic did not bind to vfio-pci"
fi
sed -i "s/ffff:ff:1f.3/$nic/" cell.toml

unshare -n sleep 3600 &
ns=$!
echo $ns >>bg.pids
sleep 0.2
dev=$(ls "/sys/bus/pci/devices/$peer/net" 2>/dev/null | head -1)
if [ -n "$dev" ] && ip link set dev "$dev" netns "$ns"; then
	nsenter -t "$ns" -n sh -c "ip link set lo up; ip link set $dev up; ip addr add $NC_PEER_IP/24 dev $dev"
	echo "NCT PASS host-peer-nic $dev ($peer) in its own namespace at $NC_PEER_IP"
else
	echo "NCT FAIL host-peer-nic no network interface for $peer (driver: $(pci-bind driver "$peer"))"
fi

tapctl add nctap0 || echo "NCT FAIL host-tap tapctl add nctap0 failed"
ip link set nctap0 up
ip addr add $NC_HOST_IP/24 dev nctap0

# The peer's ends: it takes the host's upload and sends a download to the
# host. busybox nc stops reading the socket once its own stdin ends: keep
# that stdin open.
( { sleep 600 & wait; } | nsenter -t "$ns" -n nc -l -p $NC_PORT_UP >net-up.bin ) &
echo $! >>bg.pids
( { sleep 600 & wait; } | nc -l -p $NC_PORT_DOWN >net-down.bin ) &
echo $! >>bg.pids

# Once the cell bridges: ping, then both streams, then tell the cell.
(
	t_end=$(($(nc_uptime) + 200))
	until ping -c 1 -W 1 $NC_PEER_IP >/dev/null 2>&1; do
		[ "$(nc_uptime)" -lt $t_end ] || { echo "no reply in 200 s" >ping.out; exit 0; }
	done
	ping -c 5 -W 2 $NC_PEER_IP >ping.out 2>&1 && echo ok >ping.ok
	t0=$(cut -d' ' -f1 /proc/uptime)
	nc_pattern up $NC_NET_BYTES | nc -w 30 $NC_PEER_IP $NC_PORT_UP && echo ok >up.ok
	t1=$(cut -d' ' -f1 /proc/uptime)
	nc_pattern down $NC_NET_BYTES |
		nsenter -t "$ns" -n nc -w 30 $NC_HOST_IP $NC_PORT_DOWN && echo ok >down.ok
	t2=$(cut -d' ' -f1 /proc/uptime)
	echo "$t0 $t1 $t2" >net.times
	echo done | nc -w 5 $NC_CELL_IP $NC_PORT_DONE
) &
echo $! >>bg.pids
exit 0
