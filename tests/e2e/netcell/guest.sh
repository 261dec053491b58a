# In the cell: bridge the passed-through NIC with nx0, then forward until
# the host says it is done.
. ./common.sh

eth=
i=0
while [ $i -lt 100 ]; do
	for d in /sys/class/net/*; do
		[ "$(basename "$(readlink $d/device/driver 2>/dev/null)")" = e1000e ] && eth=${d##*/}
	done
	[ -n "$eth" ] && [ -e /sys/class/net/nx0 ] && break
	sleep 0.2
	i=$((i + 1))
done
if [ -n "$eth" ]; then
	echo "NCT PASS guest-nic-bound $eth driven by the guest's e1000e"
else
	echo "NCT FAIL guest-nic-bound no e1000e interface: $(ls /sys/class/net | tr '\n' ' ')"
	exit 1
fi

ip link set lo up
# A new bridge has STP off; no forwarding delay either.
err=$( { ip link add br0 type bridge &&
	echo 0 >/sys/class/net/br0/bridge/forward_delay &&
	ip link set "$eth" master br0 && ip link set nx0 master br0 &&
	ip link set "$eth" up && ip link set nx0 up && ip link set br0 up &&
	ip addr add $NC_CELL_IP/24 dev br0; } 2>&1)
ports=$(ls /sys/class/net/br0/brif 2>/dev/null | sort | tr '\n' ' ')
if [ "$ports" = "$(printf '%s\n' "$eth" nx0 | sort | tr '\n' ' ')" ]; then
	echo "NCT PASS guest-bridge br0 bridges $ports(STP $(cat /sys/class/net/br0/bridge/stp_state), forward delay $(cat /sys/class/net/br0/bridge/forward_delay))"
else
	echo "NCT FAIL guest-bridge br0 ports '$ports', want $eth and nx0: $err"
	exit 1
fi

tx0=$(cat /sys/class/net/$eth/statistics/tx_bytes)
rx0=$(cat /sys/class/net/$eth/statistics/rx_bytes)
got=$(nc -l -p $NC_PORT_DONE -w 240)
if [ "$got" = done ]; then
	echo "NCT PASS guest-host-done the host finished its traffic through the cell"
else
	echo "NCT FAIL guest-host-done no word from the host in 240 s"
fi
# What the contained driver carried: at least the 4 MiB each way, in bytes
# (e1000e reads its counters from the NIC every 2 s: wait for a fresh read).
sleep 4
tx=$(($(cat /sys/class/net/$eth/statistics/tx_bytes) - tx0))
rx=$(($(cat /sys/class/net/$eth/statistics/rx_bytes) - rx0))
if [ $tx -ge $NC_NET_BYTES ] && [ $rx -ge $NC_NET_BYTES ]; then
	echo "NCT PASS guest-bridge-forwarded $eth sent $tx and received $rx bytes for the host (at least $NC_NET_BYTES each way)"
else
	echo "NCT FAIL guest-bridge-forwarded $eth sent $tx and received $rx bytes, want at least $NC_NET_BYTES each way"
fi
n=$(grep -E " $eth-(rx|tx)-[0-9]+\$" /proc/interrupts | grep -c 'MSI')
sum=$(grep -E " $eth-(rx|tx)-[0-9]+\$" /proc/interrupts | grep 'MSI' | awk '{ s += $2 } END { print s + 0 }')
if [ "$n" -gt 0 ] && [ "$sum" -gt 0 ]; then
	echo "NCT PASS guest-nic-msix $n MSI-X vectors, $sum interrupts"
else
	echo "NCT FAIL guest-nic-msix no MSI-X interrupts for $eth: $(grep -iE 'eth|e1000e' /proc/interrupts | tr -s ' ' | tr '\n' ';')"
fi
