# Host side: four disk images, then the driver in the background, which
# works with each cell's /dev/ublkb* while the cell runs (docs/export.md):
#   cell            ext2, the figures, a write loop across a guest crash
#                   and restart, e2fsck, every acknowledged file intact;
#                   every thread confined, the ublk broker too
#   cell-garbage    a corrupted completion: EIO, the valve broken
#   cell-norestart  the crash without restart: EIO within seconds
#   cell-sigkill    SIGKILL of nipcell-vmm mid-write: the broker removes
#                   the device and exits
# After each cell: no ublk device of it is left, its broker is gone.
. ./common.sh
for d in disk disk-garbage disk-norestart disk-sigkill; do
	dd if=/dev/zero of=$d.img bs=1M count=0 seek=$NC_DISK_MIB 2>/dev/null
done
rm -f acked driver.done figures ./*.tasks ./*.broker
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
# quit SOCK: KEY_Q until the cell no longer answers (under Landlock its
# socket file stays behind: the VMM cannot unlink it).
quit() {
	local i=0
	while nipcell-vmm ctl "$1" stats >/dev/null 2>&1 && [ $i -lt 300 ]; do
		key "$1" $NC_KEY_QUIT
		sleep 0.3
		i=$((i + 1))
	done
}
# vmm_pid CELLFILE: the cell's nipcell-vmm (not its broker, a fork with
# the same command line).
vmm_pid() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(cat $p/comm 2>/dev/null)" = nipcell-vmm ] || continue
		tr '\0' ' ' <$p/cmdline 2>/dev/null | grep -q " run $1 " && { echo ${p#/proc/}; return 0; }
	done
	return 1
}
# broker_of PID: its child the ublk broker.
broker_of() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(cat $p/comm 2>/dev/null)" = nc-ublk-broker ] &&
			grep -q "^PPid:	$1\$" $p/status 2>/dev/null && { echo ${p#/proc/}; return 0; }
	done
	return 1
}
# status PID: what /proc says of each of its threads' confinement.
status() {
	for t in /proc/$1/task/*; do
		echo "task ${t##*/} $(cat $t/comm)"
		grep -E '^(Uid|NoNewPrivs|Seccomp|CapInh|CapPrm|CapEff|CapBnd|CapAmb):' $t/status
	done
}
# field NAME FILE: the distinct values of one status field.
field() { grep "^$1:" "$2" | cut -f2- | tr '\t' ' ' | sed 's/ *$//' | sort -u | tr '\n' '/' | sed 's|/$||'; }
# orphans: the ublk devices (/sys/class/ublk-char/ublkcN) no process holds
# open: a running cell's VMM keeps its /dev/ublkcN open, a leftover has none.
orphans() {
	local c n held
	for c in /sys/class/ublk-char/ublkc*; do
		[ -e "$c" ] || continue
		n=${c##*/ublkc}
		held=$(ls -l /proc/[0-9]*/fd/ 2>/dev/null | grep -c " -> /dev/ublkc$n\$")
		[ "$held" -gt 0 ] || echo "ublkc$n$( [ -e /sys/block/ublkb$n ] && echo +ublkb$n)"
	done
}
# alive PID: the process runs (a zombie does not).
alive() {
	[ -n "$1" ] && [ -r /proc/$1/stat ] && ! grep -q '^[0-9]* ([^)]*) Z' /proc/$1/stat 2>/dev/null
}
# cleaned NAME PID BROKER: after the cell's nipcell-vmm exited, within 20 s
# no ublk device is left unheld and its broker has exited.
cleaned() {
	local i=0 t0 left cdevs
	while alive "$2" && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	t0=$(up) i=0
	while :; do
		left=$(orphans | tr '\n' ' ')
		[ -z "$left" ] && ! alive "$3" && break
		[ $i -lt 200 ] || break
		sleep 0.1
		i=$((i + 1))
	done
	cdevs=$(ls /sys/class/ublk-char 2>/dev/null | tr '\n' ' ' | sed 's/ $//')
	if alive "$2"; then
		echo "NCT FAIL export-cleanup $1: nipcell-vmm $2 still runs"
	elif [ -z "$left" ] && [ -n "$3" ] && ! alive "$3"; then
		echo "NCT PASS export-cleanup $1: $(ms $t0 $(up)) ms after nipcell-vmm $2 exited no ublk device is left (in /sys/class/ublk-char: ${cdevs:-none}$( [ -n "$cdevs" ] && echo ', held by the next cell')) and broker $3 has exited"
	else
		echo "NCT FAIL export-cleanup $1: left ${left:-nothing}; broker '$3' $(alive "$3" && echo 'still runs' || echo exited)"
	fi
}
ratio() { awk "BEGIN { if ($2 > 0) printf \"%.3f\", $1 / $2; else print \"?\" }"; }

# confined CELLFILE: every thread of the running cell's nipcell-vmm has its
# seccomp filter; its broker too, with CAP_SYS_ADMIN alone.
confined() {
	local pid bpid n names b bnames
	pid=$(vmm_pid $1) && bpid=$(broker_of $pid) || {
		echo "NCT FAIL export-confined $1: nipcell-vmm or its broker not found (vmm ${pid:-?})"
		echo "NCT FAIL export-broker $1: not found"
		return
	}
	status $pid >${1%.toml}.tasks
	status $bpid >${1%.toml}.broker
	n=$(grep -c '^task ' ${1%.toml}.tasks)
	names=$(sed -n 's/^task [0-9]* //p' ${1%.toml}.tasks | sort | tr '\n' ' ' | sed 's/ $//')
	if [ "$(field Seccomp ${1%.toml}.tasks)" = 2 ] && [ "$n" -ge 5 ] &&
	   [ "$(field CapEff ${1%.toml}.tasks)" = 0000000000000000 ] &&
	   [ "$(field NoNewPrivs ${1%.toml}.tasks)" = 1 ]; then
		echo "NCT PASS export-confined $1: nipcell-vmm $pid: $n threads, all Seccomp: 2, NoNewPrivs 1, CapEff 0 ($names)"
	else
		echo "NCT FAIL export-confined $1: nipcell-vmm $pid: Seccomp '$(field Seccomp ${1%.toml}.tasks)' CapEff '$(field CapEff ${1%.toml}.tasks)' NoNewPrivs '$(field NoNewPrivs ${1%.toml}.tasks)' over $n threads ($names)"
	fi
	b=${1%.toml}.broker
	# One thread of its own; io_uring may add its kernel workers (iou-wrk-PID,
	# no user code), which the check shows with the same status.
	bnames=$(sed -n 's/^task [0-9]* //p' $b | tr '\n' ' ' | sed 's/ $//')
	if [ "$(sed -n 's/^task [0-9]* //p' $b | grep -vc '^iou-wrk-[0-9]*$')" = 1 ] &&
	   [ "$(sed -n 's/^task [0-9]* //p' $b | grep -c '^nc-ublk-broker$')" = 1 ] &&
	   [ "$(field Seccomp $b)" = 2 ] &&
	   [ "$(field NoNewPrivs $b)" = 1 ] && [ "$(field CapEff $b)" = 0000000000200000 ] &&
	   [ "$(field CapPrm $b)" = 0000000000200000 ] && [ "$(field CapBnd $b)" = 0000000000200000 ] &&
	   [ "$(field CapInh $b)" = 0000000000000000 ] && [ "$(field CapAmb $b)" = 0000000000000000 ]; then
		echo "NCT PASS export-broker $1: process $bpid, child of $pid, threads ($bnames): all Seccomp: 2, NoNewPrivs 1, CapEff=CapPrm=CapBnd 0000000000200000 (CAP_SYS_ADMIN alone), CapInh=CapAmb 0, Uid $(field Uid $b)"
	else
		echo "NCT FAIL export-broker $1: process $bpid: threads ($bnames), Seccomp '$(field Seccomp $b)' NoNewPrivs '$(field NoNewPrivs $b)' CapEff '$(field CapEff $b)' CapPrm '$(field CapPrm $b)' CapBnd '$(field CapBnd $b)' CapInh '$(field CapInh $b)' CapAmb '$(field CapAmb $b)'"
	fi
}

phase_restart() {
	local dev t0 t1 i a b worst=0 t_crash t_back st pid bpid
	if ! dev=$(ublk_of cell.sock); then
		echo "NCT FAIL export-host-device cell: no /dev/ublkb* ready: $(nipcell-vmm ctl cell.sock stats 2>&1 | grep '^export')"
		quit cell.sock
		return
	fi
	echo "NCT PASS export-host-device $(nipcell-vmm ctl cell.sock stats | grep '^export 0 ')"
	confined cell.toml
	pid=$(vmm_pid cell.toml) bpid=$(broker_of "$pid")

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
	cleaned cell "$pid" "$bpid"
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
	local dev i t0 st m stats pid bpid
	if ! dev=$(ublk_of garbage.sock); then
		echo "NCT FAIL export-garbage-eio no /dev/ublkb* for cell-garbage"
		quit garbage.sock
		return
	fi
	pid=$(vmm_pid cell-garbage.toml) bpid=$(broker_of "$pid")
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
	cleaned cell-garbage "$pid" "$bpid"
}

phase_norestart() {
	local dev t0 t1 i pid bpid
	if ! dev=$(ublk_of norestart.sock); then
		echo "NCT FAIL export-norestart-eio no /dev/ublkb* for cell-norestart"
		quit norestart.sock
		return
	fi
	pid=$(vmm_pid cell-norestart.toml) bpid=$(broker_of "$pid")
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
	wait
	cleaned cell-norestart "$pid" "$bpid"
}

# SIGKILL of nipcell-vmm while a host writer keeps /dev/ublkbN busy: the
# writer fails with EIO, and the broker, at its socket's EOF, stops and
# deletes the device (DEL_DEV waits for the writer's close) and exits.
phase_sigkill() {
	local dev n pid bpid t0 i left
	if ! dev=$(ublk_of sigkill.sock); then
		echo "NCT FAIL export-sigkill-cleanup no /dev/ublkb* for cell-sigkill"
		return
	fi
	n=${dev#/dev/ublkb}
	pid=$(vmm_pid cell-sigkill.toml) bpid=$(broker_of "$pid")
	rm -f dd.failed
	( while dd if=/dev/zero of="$dev" bs=64k count=64 oflag=direct 2>dd.err; do :; done
	  up >dd.failed ) &
	sleep 2
	if [ -z "$bpid" ] || ! kill -KILL "$pid"; then
		echo "NCT FAIL export-sigkill-cleanup nipcell-vmm '$pid' or its broker '$bpid' not found"
		return
	fi
	t0=$(up) i=0
	while { [ -e "$dev" ] || [ -e /dev/ublkc$n ] || [ -e /sys/class/ublk-char/ublkc$n ] ||
		alive "$bpid" || [ ! -f dd.failed ]; } && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	left=$(for f in "$dev" /dev/ublkc$n /sys/class/ublk-char/ublkc$n /sys/block/ublkb$n; do [ -e "$f" ] && echo "$f"; done | tr '\n' ' ')
	if [ -z "$left" ] && ! alive "$bpid" && [ -f dd.failed ] &&
	   grep -q 'Input/output error' dd.err; then
		echo "NCT PASS export-sigkill-cleanup nipcell-vmm $pid killed with SIGKILL mid-write: $(ms $t0 $(up)) ms later $dev, /dev/ublkc$n and its sysfs entries are gone, broker $bpid has exited, the host's writer failed with EIO ($(ms $t0 $(cat dd.failed)) ms)"
	else
		echo "NCT FAIL export-sigkill-cleanup after $(ms $t0 $(up)) ms: left ${left:-nothing}; broker $bpid $(alive "$bpid" && echo 'still runs' || echo exited); writer $( [ -f dd.failed ] && echo "ended: $(tail -1 dd.err)" || echo 'still runs')"
	fi
	wait
}

# Its markers go to a file that host.sh prints: on the console they would
# land in the middle of the guest's lines.
(
	phase_restart
	phase_garbage
	phase_norestart
	phase_sigkill
	touch driver.done
) >driver.markers 2>&1 &
