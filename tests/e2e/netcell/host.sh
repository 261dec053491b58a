# After the cell: what the host's traffic through the cell did.
. ./common.sh
for p in $(cat bg.pids 2>/dev/null); do kill $p 2>/dev/null; done
read -r nic peer <devices

if [ -f ping.ok ]; then
	echo "NCT PASS host-ping-through-cell $NC_PEER_IP via the cell's bridge: $(tail -1 ping.out)"
else
	echo "NCT FAIL host-ping-through-cell $NC_PEER_IP: $(tail -2 ping.out 2>/dev/null | tr '\n' ' ')"
fi
read -r t0 t1 t2 <net.times 2>/dev/null
if [ -f up.ok ] && [ "$(nc_md5 <net-up.bin)" = "$(nc_pattern up $NC_NET_BYTES | nc_md5)" ]; then
	echo "NCT PASS host-tcp-to-peer $NC_NET_BYTES bytes from the host's tap to the far NIC through the cell, md5 matches ($(awk "BEGIN { printf \"%.2f\", $NC_NET_BYTES / 1048576 / ($t1 - $t0) }") MiB/s)"
else
	echo "NCT FAIL host-tcp-to-peer the peer got $(wc -c <net-up.bin 2>/dev/null) bytes of $NC_NET_BYTES, md5 differs"
fi
if [ -f down.ok ] && [ "$(nc_md5 <net-down.bin)" = "$(nc_pattern down $NC_NET_BYTES | nc_md5)" ]; then
	echo "NCT PASS host-tcp-from-peer $NC_NET_BYTES bytes from the far NIC to the host's tap through the cell, md5 matches ($(awk "BEGIN { printf \"%.2f\", $NC_NET_BYTES / 1048576 / ($t2 - $t1) }") MiB/s)"
else
	echo "NCT FAIL host-tcp-from-peer the host got $(wc -c <net-down.bin 2>/dev/null) bytes of $NC_NET_BYTES, md5 differs"
fi
# The cell is gone: the NIC goes back to the host's e1000e driver.
pci-bind host $nic
i=0
while [ -z "$(ls /sys/bus/pci/devices/$nic/net 2>/dev/null)" ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
if [ -n "$(ls /sys/bus/pci/devices/$nic/net 2>/dev/null)" ]; then
	echo "NCT PASS host-nic-rebind $nic is $(ls /sys/bus/pci/devices/$nic/net) again, driven by the host's $(pci-bind driver $nic)"
else
	echo "NCT FAIL host-nic-rebind $nic has no interface after the cell (driver: $(pci-bind driver $nic))"
fi
