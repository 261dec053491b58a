# Host side, after the cell exited: check what crossed the boundary.
. ./common.sh
for p in $(cat bg.pids 2>/dev/null); do kill $p 2>/dev/null; done

# Block: the disk image itself.
bytes=$((NC_BLK_PATTERN_MIB * 1048576))
got=$(dd if=disk.img bs=1M skip=$NC_BLK_PATTERN_AT_MIB count=$NC_BLK_PATTERN_MIB 2>/dev/null | nc_md5)
if [ "$got" = "$(nc_pattern blk $bytes | nc_md5)" ]; then
	echo "NCT PASS host-disk-pattern md5 of the 8 MiB written range in disk.img matches"
else
	echo "NCT FAIL host-disk-pattern md5 of disk.img range is $got"
fi
zeros=$(head -c 1048576 /dev/zero | nc_md5)
for at in $NC_BLK_DISCARD_AT_MIB $NC_BLK_ZERO_AT_MIB; do
	got=$(dd if=disk.img bs=1M skip=$at count=1 2>/dev/null | nc_md5)
	if [ "$got" != "$zeros" ]; then
		echo "NCT FAIL host-disk-zeroed MiB $at of disk.img is not zeros after discard/write-zeroes"
		zeros=bad
	fi
done
[ "$zeros" = bad ] || echo "NCT PASS host-disk-zeroed the discarded and zeroed MiBs are zeros in disk.img ($(du -k disk.img | cut -f1) KiB allocated)"
if [ "$(nc_md5 <ro.img)" = "$(nc_pattern ro $((NC_RO_MIB * 1048576)) | nc_md5)" ]; then
	echo "NCT PASS host-readonly-untouched ro.img unchanged"
else
	echo "NCT FAIL host-readonly-untouched ro.img was modified"
fi
if out=$(e2fsck -fn disk.img 2>&1); then
	echo "NCT PASS host-disk-e2fsck $(echo "$out" | tail -1)"
else
	echo "NCT FAIL host-disk-e2fsck $(echo "$out" | tail -3 | tr '\n' ' ')"
fi
if [ "$(debugfs -R 'cat /proof.txt' disk.img 2>/dev/null | nc_md5)" = "$(nc_pattern file 65536 | nc_md5)" ]; then
	echo "NCT PASS host-disk-file /proof.txt read from disk.img by debugfs matches"
else
	echo "NCT FAIL host-disk-file /proof.txt in disk.img is missing or differs"
fi

# Net.
if [ "$(nc_md5 <net-up.bin)" = "$(nc_pattern up $NC_NET_BYTES | nc_md5)" ]; then
	echo "NCT PASS host-net-tcp-upload 4 MiB from the cell, md5 matches"
else
	echo "NCT FAIL host-net-tcp-upload got $(wc -c <net-up.bin) bytes, md5 differs"
fi
if [ -f ping.ok ]; then
	echo "NCT PASS net-ping-host-to-guest $(tail -1 ping.out)"
else
	echo "NCT FAIL net-ping-host-to-guest the cell never answered the host's ping"
fi

# Input and statistics.
echo "NCT PASS host-input-injected $(cat input.sent 2>/dev/null || echo 0) KEY_A press/release groups accepted by the valve"
if [ -s stats.out ]; then
	echo "NCT INFO valve stats during the run: $(tr '\n' ';' <stats.out)"
fi
tapctl del nxtap0 2>/dev/null
