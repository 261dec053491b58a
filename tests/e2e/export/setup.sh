# Host side: three disk images, then the driver in the background, which
# works with each cell's /dev/ublkb* while the cell runs (docs/export.md):
#   cell            ext2, the figures, a write loop across a guest crash
#                   and restart, e2fsck, every acknowledged file intact
#   cell-garbage    a corrupted completion: EIO, the valve broken
#   cell-norestart  the crash without restart: EIO within seconds
. ./common.sh
for d in disk disk-garbage disk-norestart; do
	dd if=/dev/zero of=$d.img bs=1M count=0 seek=$NC_DISK_MIB 2>/dev/null
done
rm -f acked driver.done figures
mkdir -p /mnt/exp

up() { cut -d' ' -f1 /proc/uptime; }
ms() { awk "BEGIN { printf \"%d\", ($2 - $1) * 1000 }"; }
# key SOCK CODE: one press and release through the input valve.
key() {
	nipcell-vmm ctl "$1" input EV_KEY "$2" 1 >/dev/null 2>&1 &&
		nipcell-vmm ctl "$1" input EV_SYN SYN_REPORT 0 >/dev/null 2>&1 &&
		nipcell-vmm ctl "$1" input EV_KEY "$2" 0 >/dev/null 2>&1 &&
		nipcell-vmm ctl "$1" input EV_SYN SYN_REPORT 0 >/dev/null 2>&1
}
# ublk_of SOCK: the /dev/ublkbN the cell's stats say is ready.
ublk_of() {
	local i=0 d
	while [ $i -lt 2400 ]; do
		d=$(nipcell-vmm ctl "$1" stats 2>/dev/null |
			sed -n 's/^export 0 \(\/dev\/ublkb[0-9]*\) ready=1 .*/\1/p')
		[ -n "$d" ] && [ -b "$d" ] && { echo "$d"; return 0; }
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}
# quit SOCK: KEY_Q until the cell is gone.
quit() {
	local i=0
	while [ -S "$1" ] && [ $i -lt 300 ]; do
		key "$1" $NC_KEY_QUIT
		sleep 0.3
		i=$((i + 1))
	done
}
ratio() { awk "BEGIN { if ($2 > 0) printf \"%.3f\", $1 / $2; else print \"?\" }"; }

phase_restart() {
	local dev t0 t1 i a b worst=0 t_crash t_back st
	if ! dev=$(ublk_of cell.sock); then
		echo "NCT FAIL export-host-device cell: no /dev/ublkb* ready: $(nipcell-vmm ctl cell.sock stats 2>&1 | grep '^export')"
		quit cell.sock
		return
	fi
	echo "NCT PASS export-host-device $(nipcell-vmm ctl cell.sock stats | grep '^export 0 ')"

	# The figures: the idle device against its own backing, read directly.
	r_u=$(blkbench randread4k "$dev" 3) && r_d=$(blkbench randread4k disk.img 3) &&
		s_u=$(blkbench seqread1m "$dev" 3) && s_d=$(blkbench seqread1m disk.img 3)
	if [ $? = 0 ]; then
		set -- $r_u; a=$2; set -- $r_d; b=$2
		set -- $s_u; c=$2; set -- $s_d; d=$2
		echo "randread4k_qd32 ublk=$a direct=$b ratio=$(ratio $a $b) seqread1m ublk=$c direct=$d ratio=$(ratio $c $d)" >figures
		echo "NCT PASS export-bench 4 KiB random reads at QD32 and 1 MiB sequential reads on $dev: no error"
		echo "NCT INFO export-figure 4 KiB random read QD32: $dev $a MiB/s, disk.img directly $b MiB/s, ratio $(ratio $a $b); 1 MiB sequential read: $dev $c MiB/s, disk.img $d MiB/s, ratio $(ratio $c $d)"
	else
		echo "NCT FAIL export-bench blkbench failed on $dev or disk.img"
	fi

	if ! mke2fs -q -F -b 4096 "$dev" >mkfs.out 2>&1 || ! mount -t ext2 "$dev" /mnt/exp; then
		echo "NCT FAIL export-host-ext2 mke2fs or mount of $dev: $(tail -1 mkfs.out)"
		quit cell.sock
		return
	fi
	echo "NCT PASS export-host-ext2 mke2fs and mount of $dev"

	# The write loop; the guest is crashed after NC_CRASH_AT files, and the
	# loop goes on meanwhile. A file counts as acknowledged once its sync
	# returned.
	i=1 st=ok t_crash=
	while [ $i -le $NC_FILES ]; do
		if [ $i = $((NC_CRASH_AT + 1)) ]; then
			t_crash=$(up)
			(
				n=0
				until nipcell-vmm ctl cell.sock stats 2>/dev/null | grep -q '^cell restarts=1$'; do
					key cell.sock $NC_KEY_RESET
					n=$((n + 1))
					[ $n -lt 200 ] || exit 1
					sleep 0.3
				done
				up >restarted.at
			) &
		fi
		t0=$(up)
		if ! nc_pattern "file $i" $((NC_FILE_KIB * 1024)) >/mnt/exp/f$i || ! sync; then
			st="file $i: write or sync failed"
			break
		fi
		t1=$(up)
		echo $i >>acked
		a=$(ms $t0 $t1)
		[ "$a" -gt "$worst" ] && worst=$a
		i=$((i + 1))
	done
	wait
	if [ "$st" = ok ] && [ -f restarted.at ]; then
		echo "NCT PASS export-host-write-loop $NC_FILES files of $NC_FILE_KIB KiB written and synced with no error across a guest crash and restart (restart seen $(ms $t_crash $(cat restarted.at)) ms after the first KEY_R; the longest write+sync took $worst ms)"
		echo "restart_pause_ms=$worst" >>figures
	else
		echo "NCT FAIL export-host-write-loop $st; restarted: $(cat restarted.at 2>/dev/null || echo no)"
	fi
	umount /mnt/exp || echo "NCT FAIL export-host-e2fsck umount failed"
	if out=$(e2fsck -fn "$dev" 2>&1); then
		echo "NCT PASS export-host-e2fsck $(echo "$out" | tail -1)"
	else
		echo "NCT FAIL export-host-e2fsck $(echo "$out" | tail -3 | tr '\n' ' ')"
	fi
	bad=0
	if mount -t ext2 -o ro "$dev" /mnt/exp; then
		for i in $(cat acked); do
			[ "$(nc_md5 </mnt/exp/f$i)" = "$(nc_pattern "file $i" $((NC_FILE_KIB * 1024)) | nc_md5)" ] ||
				bad=$((bad + 1))
		done
		umount /mnt/exp
	else
		bad=mount
	fi
	if [ "$bad" = 0 ]; then
		echo "NCT PASS export-host-acked-intact all $(wc -l <acked) acknowledged files read back intact through $dev"
	else
		echo "NCT FAIL export-host-acked-intact $bad of $(wc -l <acked) acknowledged files differ (or no mount)"
	fi
	quit cell.sock
	i=0
	while [ -b "$dev" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	if [ -b "$dev" ]; then
		echo "NCT FAIL export-host-device-removed $dev still exists after the cell exited"
	else
		echo "NCT PASS export-host-device-removed $dev is gone after the cell exited"
	fi
}

# readable DEV: one 4 KiB direct read works, within 10 s, up to 60 tries.
readable() {
	local i=0
	while [ $i -lt 60 ]; do
		timeout 10 dd if="$1" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null && return 0
		i=$((i + 1))
		sleep 0.5
	done
	return 1
}

# One kind of garbage per boot of cell-garbage (guest.sh picks it by
# boot): the valve breaks and reads fail with EIO; then a crash and a
# restart heal it for the next kind.
phase_garbage() {
	local dev i t0 st m stats
	if ! dev=$(ublk_of garbage.sock); then
		echo "NCT FAIL export-garbage-eio no /dev/ublkb* for cell-garbage"
		quit garbage.sock
		return
	fi
	for m in 1 2 3; do
		if [ $m -gt 1 ]; then
			i=0
			until nipcell-vmm ctl garbage.sock stats 2>/dev/null | grep -q "^cell restarts=$((m - 1))\$"; do
				key garbage.sock $NC_KEY_RESET
				i=$((i + 1))
				[ $i -lt 200 ] || break
				sleep 0.3
			done
		fi
		if ! readable "$dev"; then
			echo "NCT FAIL export-garbage-eio corrupt=$m: $dev does not serve before the corruption"
			continue
		fi
		t0=$(up)
		i=0 st=
		while [ $i -lt 100 ]; do
			key garbage.sock $NC_KEY_CORRUPT
			if ! timeout 10 dd if="$dev" of=/dev/null bs=4k count=1 skip=$((i * 7)) iflag=direct 2>dd.err; then
				st=failed
				break
			fi
			i=$((i + 1))
			sleep 0.2
		done
		stats=$(nipcell-vmm ctl garbage.sock stats 2>/dev/null | grep ' export0 ')
		if [ "$st" = failed ] && grep -q 'Input/output error' dd.err &&
		   ! timeout 10 dd if="$dev" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null &&
		   echo "$stats" | grep -q 'broken=1\( \|$\)'; then
			echo "NCT PASS export-garbage-eio corrupt=$m$( [ $m -gt 1 ] && echo ' (after a restart healed the valve)'): a read failed with EIO $(ms $t0 $(up)) ms after the corruption was asked for, the next one too; $stats"
		else
			echo "NCT FAIL export-garbage-eio corrupt=$m: reads ${st:-never failed} ($(tail -1 dd.err 2>/dev/null)); $stats"
		fi
	done
	quit garbage.sock
}

phase_norestart() {
	local dev t0 t1 i
	if ! dev=$(ublk_of norestart.sock); then
		echo "NCT FAIL export-norestart-eio no /dev/ublkb* for cell-norestart"
		quit norestart.sock
		return
	fi
	rm -f dd.failed
	( while dd if=/dev/zero of="$dev" bs=64k count=64 oflag=direct 2>dd.err; do :; done
	  up >dd.failed ) &
	sleep 1
	t0=$(up)
	i=0
	while [ ! -f dd.failed ] && [ -S norestart.sock ] && [ $i -lt 100 ]; do
		key norestart.sock $NC_KEY_RESET
		sleep 0.2
		i=$((i + 1))
	done
	i=0
	while [ ! -f dd.failed ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	if [ -f dd.failed ] && grep -q 'Input/output error' dd.err; then
		t1=$(cat dd.failed)
		echo "NCT PASS export-norestart-eio the host's writes failed with EIO $(ms $t0 $t1) ms after the crash was asked for; no process hung"
	else
		echo "NCT FAIL export-norestart-eio the host's writer $( [ -f dd.failed ] && echo "ended: $(tail -1 dd.err)" || echo 'still runs after 20 s (hung?)')"
	fi
}

# Its markers go to a file that host.sh prints: on the console they would
# land in the middle of the guest's lines.
(
	phase_restart
	phase_garbage
	phase_norestart
	touch driver.done
) >driver.markers 2>&1 &
