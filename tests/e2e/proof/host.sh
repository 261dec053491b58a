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

# Input and statistics, from the last valve statistics setup.sh's loop read
# while the cell ran: every event the host was told "ok" for is one the
# input valve counts (requests=), at least one whole KEY_A group went in, and
# no valve is broken; the disk and net valves served requests, the disks
# without an error.
st=input.stats
if [ ! -s $st ]; then
	echo "NCT FAIL host-input-injected no valve statistics were read while the cell ran"
else
	set -- $(sed -n 's/^injected groups=\([0-9]*\) events=\([0-9]*\)$/\1 \2/p' $st)
	groups=${1:-0} events=${2:-0}
	valve=$(sed -n 's/^valve [0-9]* input[0-9]* requests=\([0-9]*\) .*/\1/p' $st)
	if [ "$groups" -ge 1 ] && [ "$valve" = "$events" ]; then
		echo "NCT PASS host-input-injected $groups KEY_A press/release groups: the input valve accepted $valve events, as many as the host injected"
	else
		echo "NCT FAIL host-input-injected $groups groups, $events events injected, the input valve counted '${valve}'"
	fi
	bad=
	for v in blk0 net0; do
		n=$(sed -n "s/^valve [0-9]* $v requests=\([0-9]*\) .*/\1/p" $st)
		[ "${n:-0}" -gt 0 ] || bad="$bad $v served no request;"
	done
	for v in blk0 blk1; do
		n=$(sed -n "s/^valve [0-9]* $v .* errors=\([0-9]*\) .*/\1/p" $st)
		[ "$n" = 0 ] || bad="$bad $v errors=${n:-?};"
	done
	broken=$(grep -c '^valve .* broken=1\( \|$\)' $st)
	[ "$broken" = 0 ] || bad="$bad $broken valve(s) broken;"
	nv=$(grep -c '^valve ' $st)
	[ "$nv" = 4 ] || bad="$bad $nv valves, want 4 (blk0 blk1 net0 input0);"
	if [ -z "$bad" ]; then
		echo "NCT PASS host-valve-stats during the run: $(grep '^valve ' $st | sed 's/ doorbells=.* errors=/ errors=/' | tr '\n' ';')"
	else
		echo "NCT FAIL host-valve-stats$bad $(grep '^valve ' $st | tr '\n' ';')"
	fi
fi
tapctl del nxtap0 2>/dev/null
