# Inside the cell, after the bridge modules loaded: real data through the
# block, net and input valves. The host checks its side in host.sh.
. ./common.sh
phase=$(sed -n 's/.*nc\.phase=\([a-z]*\).*/\1/p' /proc/cmdline)
up() { cut -d' ' -f1 /proc/uptime; }
rate() { awk "BEGIN { t = $3 - $2; if (t < 0.01) t = 0.01; printf \"%.1f MiB/s\", $1 / 1048576 / t }"; }

if [ "$phase" = reboot ]; then
	# Second boot on the same disk: the filesystem and its file survived.
	mkdir -p /mnt
	if mount -t ext2 /dev/nxblk0 /mnt 2>/dev/null &&
	   [ "$(nc_md5 </mnt/proof.txt)" = "$(nc_pattern file 65536 | nc_md5)" ]; then
		echo "NCT PASS blk-fs-survives-reboot /proof.txt intact after a new boot"
	else
		echo "NCT FAIL blk-fs-survives-reboot cannot mount nxblk0 or /proof.txt changed"
	fi
	umount /mnt 2>/dev/null
	exit 0
fi

# --- block: a pattern at the end of the disk, an ext2 filesystem in front ---
bytes=$((NC_BLK_PATTERN_MIB * 1048576))
want=$(nc_pattern blk $bytes | nc_md5)
t0=$(up)
nc_pattern blk $bytes | dd of=/dev/nxblk0 bs=1M seek=$NC_BLK_PATTERN_AT_MIB conv=fsync 2>/dev/null
t1=$(up)
got=$(dd if=/dev/nxblk0 bs=1M skip=$NC_BLK_PATTERN_AT_MIB count=$NC_BLK_PATTERN_MIB iflag=direct 2>/dev/null | nc_md5)
t2=$(up)
if [ "$got" = "$want" ]; then
	echo "NCT PASS blk-pattern 8 MiB written, flushed and read back (write $(rate $bytes $t0 $t1), direct read $(rate $bytes $t1 $t2))"
else
	echo "NCT FAIL blk-pattern read back md5 $got, wrote $want"
fi
# Discard and write-zeroes: write a pattern over both ranges, then ask for
# a discard of one and zeroes in the other; both must read back as zeros.
mib=1048576
for at in $NC_BLK_DISCARD_AT_MIB $NC_BLK_ZERO_AT_MIB; do
	nc_pattern blk $mib | dd of=/dev/nxblk0 bs=1M seek=$at conv=fsync 2>/dev/null
done
zeros=$(head -c $mib /dev/zero | nc_md5)
if blkdiscard -o $((NC_BLK_DISCARD_AT_MIB * mib)) -l $mib /dev/nxblk0 &&
   [ "$(dd if=/dev/nxblk0 bs=1M skip=$NC_BLK_DISCARD_AT_MIB count=1 iflag=direct 2>/dev/null | nc_md5)" = "$zeros" ]; then
	echo "NCT PASS blk-discard 1 MiB discarded, reads back as zeros"
else
	echo "NCT FAIL blk-discard blkdiscard failed or the range is not zeros"
fi
if blkzero /dev/nxblk0 $((NC_BLK_ZERO_AT_MIB * mib)) $mib &&
   [ "$(dd if=/dev/nxblk0 bs=1M skip=$NC_BLK_ZERO_AT_MIB count=1 iflag=direct 2>/dev/null | nc_md5)" = "$zeros" ]; then
	echo "NCT PASS blk-write-zeroes 1 MiB zeroed, reads back as zeros"
else
	echo "NCT FAIL blk-write-zeroes BLKZEROOUT failed or the range is not zeros"
fi

# The read-only disk: readable, marked read-only, and writes are refused.
if [ "$(cat /sys/block/nxblk1/ro 2>/dev/null)" = 1 ] &&
   [ "$(dd if=/dev/nxblk1 bs=1M iflag=direct 2>/dev/null | nc_md5)" = "$(nc_pattern ro $((NC_RO_MIB * mib)) | nc_md5)" ]; then
	echo "NCT PASS blk-readonly-read nxblk1 is read-only and reads the host's image"
else
	echo "NCT FAIL blk-readonly-read nxblk1 not read-only, or its data differs from ro.img"
fi
if dd if=/dev/zero of=/dev/nxblk1 bs=4096 count=1 oflag=direct 2>/dev/null; then
	echo "NCT FAIL blk-readonly-write a write to read-only nxblk1 succeeded"
else
	echo "NCT PASS blk-readonly-write a write to read-only nxblk1 was refused"
fi

mkdir -p /mnt
if mke2fs -q -b 1024 /dev/nxblk0 $NC_BLK_FS_KIB >/dev/null 2>&1 &&
   mount -t ext2 /dev/nxblk0 /mnt; then
	nc_pattern file 65536 >/mnt/proof.txt
	sync
	umount /mnt
	echo "NCT PASS blk-ext2 mke2fs, mount, write /proof.txt, umount"
else
	echo "NCT FAIL blk-ext2 mke2fs or mount of /dev/nxblk0 failed"
fi

# --- net: nx0 up, ping the host, TCP both ways ---
ip link set nx0 up && ip addr add $NC_GUEST_IP/24 dev nx0
if ping -c 3 -W 2 $NC_HOST_IP >/tmp/ping.out 2>&1; then
	echo "NCT PASS net-ping-guest-to-host $(tail -1 /tmp/ping.out)"
else
	echo "NCT FAIL net-ping-guest-to-host $(tail -2 /tmp/ping.out | tr '\n' ' ')"
fi
t0=$(up)
if nc_pattern up $NC_NET_BYTES | nc -w 10 $NC_HOST_IP $NC_PORT_UP; then
	t1=$(up)
	echo "NCT PASS net-tcp-upload-sent 4 MiB to the host ($(rate $NC_NET_BYTES $t0 $t1)); host.sh checks the bytes"
else
	t1=$(up)
	echo "NCT FAIL net-tcp-upload-sent nc to $NC_HOST_IP:$NC_PORT_UP failed"
fi
got=$(nc -w 10 $NC_HOST_IP $NC_PORT_DOWN | nc_md5)
t2=$(up)
if [ "$got" = "$(nc_pattern down $NC_NET_BYTES | nc_md5)" ]; then
	echo "NCT PASS net-tcp-download 4 MiB from the host, md5 matches ($(rate $NC_NET_BYTES $t1 $t2))"
else
	echo "NCT FAIL net-tcp-download md5 $got does not match the host's data"
fi
# Stay up until the host's pinger has had its answers (ICMP InEchos).
echos() { awk '/^Icmp:/ { if (!n) { for (i = 1; i <= NF; i++) if ($i == "InEchos") c = i; n = 1 } else print $c }' /proc/net/snmp; }
i=0
while [ $i -lt 50 ] && [ "$(echos)" -lt 3 ] 2>/dev/null; do sleep 0.2; i=$((i + 1)); done
echo "NCT INFO guest answered $(echos) pings from the host"

# --- input: the host injects KEY_A (type 1, code 30) through the valve ---
# The cell's only input device is the valve's (the kernel has no other
# input drivers); prefer one that names itself, else take the first.
dev=
for e in /sys/class/input/event*; do
	[ -e "$e" ] || continue
	[ -z "$dev" ] && dev=/dev/input/${e##*/}
	grep -qiE 'nexus|ion|nipcell' "$e/device/name" 2>/dev/null && dev=/dev/input/${e##*/} && break
done
if [ -z "$dev" ]; then
	echo "NCT FAIL input-event no nexus input device under /sys/class/input"
else
	# struct input_event on arm64: 16 bytes of time, u16 type, u16 code, s32 value.
	ev=$(timeout 15 dd if="$dev" bs=24 count=1 2>/dev/null | hexdump -v -e '24/1 "%02x"')
	type_code=$(echo "$ev" | cut -c33-40)
	if [ "$type_code" = 01001e00 ]; then
		echo "NCT PASS input-event read EV_KEY KEY_A from $dev"
	else
		echo "NCT FAIL input-event want EV_KEY KEY_A (01001e00) from $dev, got '${type_code:-nothing}'"
	fi
fi
