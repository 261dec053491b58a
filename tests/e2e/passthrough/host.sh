# After the cells: give the controllers back to the host's own nvme driver
# and check what the cells wrote, even after SIGKILL of the last one.
. ./common.sh
for p in $(cat bg.pids 2>/dev/null); do kill $p 2>/dev/null; done
read -r nva nvb nic peer <devices

if [ -f sigkill.sent ]; then
	echo "NCT PASS host-sigkill-sent nipcell-vmm of cell-d was killed with SIGKILL mid-I/O"
else
	echo "NCT FAIL host-sigkill-sent the SIGKILL job never found cell-d's nipcell-vmm"
fi

# The host's block device of controller ADDR, once its driver bound it.
blockdev_of() {
	i=0
	while [ $i -lt 100 ]; do
		b=$(ls "/sys/bus/pci/devices/$1/nvme/"*/ 2>/dev/null | grep -m1 '^nvme[0-9]*n1$')
		[ -n "$b" ] && [ -b "/dev/$b" ] && { echo "/dev/$b"; return 0; }
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

pci-bind host $nva $nvb $nic
for pair in "$nva nvA" "$nvb nvB"; do
	set -- $pair
	if ! dev=$(blockdev_of "$1"); then
		echo "NCT FAIL host-nvme-rebind-$2 $1 did not come back to the host's nvme driver (driver: $(pci-bind driver "$1"))"
		continue
	fi
	echo "NCT PASS host-nvme-rebind-$2 $1 is $dev again, driven by the host"
	got=$(dd if="$dev" bs=1M skip=$NC_PAT_AT_MIB count=$NC_PAT_MIB 2>/dev/null | nc_md5)
	if [ "$got" = "$(nc_pattern "$2" $((NC_PAT_MIB * 1048576)) | nc_md5)" ]; then
		echo "NCT PASS host-nvme-pattern-$2 the cell's $NC_PAT_MIB MiB at $NC_PAT_AT_MIB MiB are on the controller"
	else
		echo "NCT FAIL host-nvme-pattern-$2 md5 $got of the range differs"
	fi
	if [ "$2" = nvA ]; then
		if out=$(e2fsck -fn "$dev" 2>&1); then
			echo "NCT PASS host-nvme-e2fsck $(echo "$out" | tail -1)"
		else
			echo "NCT FAIL host-nvme-e2fsck $(echo "$out" | tail -3 | tr '\n' ' ')"
		fi
		if [ "$(debugfs -R 'cat /cell.txt' "$dev" 2>/dev/null | nc_md5)" = "$(nc_pattern file 65536 | nc_md5)" ]; then
			echo "NCT PASS host-nvme-file /cell.txt read by the host's debugfs matches"
		else
			echo "NCT FAIL host-nvme-file /cell.txt on $dev is missing or differs"
		fi
	fi
done

for pair in "msix cell-c" "intx cell-e"; do
	set -- $pair
	if [ "$(nc_md5 <net-up-$1.bin 2>/dev/null)" = "$(nc_pattern up $NC_NET_BYTES | nc_md5)" ]; then
		echo "NCT PASS host-nic-tcp-up-$1 $NC_NET_BYTES bytes from the cell's e1000e ($1) reached the peer NIC, md5 matches (its nipcell-vmm had $(($(cat thp-$2.kib 2>/dev/null || echo 0) / 1024)) MiB on huge pages, for 256 MiB of guest RAM)"
	else
		echo "NCT FAIL host-nic-tcp-up-$1 the peer got $(wc -c <net-up-$1.bin 2>/dev/null) bytes of $NC_NET_BYTES, md5 differs; the host's last samples: $(tail -6 host-net.log | tr '\n' ';')"
	fi
done

# The figure (printed, not a threshold): the cell's driver against the
# host's own on nvB, in this run.
if dev=$(blockdev_of "$nvb"); then
	cell=$(dd if="$dev" bs=512 skip=$NC_FIG_AT_SECTOR count=1 2>/dev/null | tr -d '\0' | sed -n 's/^iops=\([0-9]*\)$/\1/p' | head -1)
	host=$(randread_qd32 "$dev" host)
	if [ -n "$cell" ] && [ -n "$host" ] && [ "$host" -gt 0 ]; then
		echo "NCT PASS host-nvme-randread-ratio 4 KiB random read QD32: cell $cell IOPS, host $host IOPS, cell/host $(awk "BEGIN { printf \"%.2f\", $cell / $host }")"
	else
		echo "NCT FAIL host-nvme-randread-ratio cell '${cell:-none}' IOPS, host '${host:-none}' IOPS"
	fi
fi

