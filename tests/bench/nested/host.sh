#!/bin/sh
# nested-compare's host side, in the nested arm64 host (busybox sh): boots
# the same Image, initramfs, command line and read-only disk under
# nipcell-vmm and kvmtool (lkvm), alternating, SAMPLES times per vCPU count,
# each under marktime (which times the "@@" lines and the /init marker and
# reads KVM's exit count at each). Prints one "BENCH ..." line per boot;
# tests/bench/nested-compare turns them into figures.
. ./bench-env.sh
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# KVM's counters summed over the running VM's vCPUs (one VM at a time here).
kd=/sys/kernel/debug/kvm
stats="exits mmio_exit_kernel mmio_exit_user wfi_exit_stat"
sargs=
for s in $stats; do
	[ -r $kd/$s ] && sargs="$sargs -s $kd/$s"
done
[ -r $kd/exits ] || { echo "NCT FAIL bench-kvm-stats no $kd/exits (debugfs)"; sargs=; }
export HOME=${HOME:-/root}
mkdir -p "$HOME"
args="quiet panic=-1 nc.modules=0"
echo "NCT INFO bench load $(cat /proc/loadavg), $(nproc) CPUs, kernel $(uname -r)"
echo "NCT INFO bench lkvm $(./lkvm version 2>&1 | head -1)"

is_count() { case $1 in ''|-*|*[!0-9]*) return 1 ;; esac; }

# field NAME LINE: the value of NAME=... in LINE.
field() { echo "$2" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

# parse VMM CPUS SAMPLE OUTFILE: one BENCH line from marktime's output.
parse() {
	local out=$4 boot win l1 l32s l32e lseq rc
	boot=$(grep -m1 '^@@T .*NCT PASS init-reached' "$out" | cut -d' ' -f2)
	up=$(sed -n 's/^NCT PASS init-reached uptime=\([0-9.]*\).*/\1/p' "$out" | head -1)
	win=$(sed -n 's/.*boot: VMM start to the guest.s \/init \([0-9.]*\) ms.*/\1/p' "$out" | head -1)
	l1=$(grep -m1 '^@@ end qd1 ' "$out")
	l32s=$(grep -m1 '^@@T .* @@ start qd32' "$out")
	l32e=$(grep -m1 '^@@T .* @@ end qd32 ' "$out")
	l32x=$(grep -m1 '^@@T .* @@ stop qd32' "$out")
	lseq=$(grep -m1 '^@@ end seq1m ' "$out")
	rc=$(grep '^@@T .* exit ' "$out" | tail -1 | sed 's/.* exit //')
	# The counters' deltas over the qd32 phase, named after $stats.
	e0=$(echo "$l32s" | cut -d' ' -f3) e1=$(echo "$l32x" | cut -d' ' -f3)
	deltas= k=1
	for s in $stats; do
		a=$(echo "$e0" | cut -d, -f$k) b=$(echo "$e1" | cut -d, -f$k)
		d=-1
		is_count "$a" && is_count "$b" && d=$((b - a))
		deltas="$deltas qd32_$s=$d"
		k=$((k + 1))
	done
	echo "BENCH vmm=$1 cpus=$2 sample=$3 rc=${rc:-none} boot_ms=${boot:--1} window_ms=${win:--1}" \
		"init_uptime_s=${up:--1}" \
		"qd1_iops=$(field iops "$l1") qd32_iops=$(field iops "$l32e")" \
		"qd32_ios=$(field ios "$l32e")$deltas seq1m_mbps=$(field mbps "$lseq")"
	# nipcell-vmm's own counters for the disk, over the whole boot.
	grep -m1 'nipcell-vmm: valve 0 blk' "$out" | sed "s/^nipcell-vmm: /BENCHSTAT vmm=$1 cpus=$2 sample=$3 /"
	# and its setup steps of a millisecond or more (run -v).
	grep 'nipcell-vmm: step: ' "$out" | sed "s/^nipcell-vmm: step: /BENCHSETUP vmm=$1 cpus=$2 sample=$3 /"
	[ "$rc" = 0 ] || { echo "NCT FAIL bench-run-$1-$2-$3 exit ${rc:-none}; last lines:"; tail -5 "$out"; }
}

run_nc() {
	./marktime $sargs -f "NCT PASS init-reached" -- \
		nipcell-vmm run -v nc-$1cpu.toml >"$2" 2>&1
}
run_ncb() {
	./marktime $sargs -f "NCT PASS init-reached" -- \
		nipcell-vmm run -v nc-$1cpu-batch.toml >"$2" 2>&1
}
run_lkvm() {
	./marktime $sargs -f "NCT PASS init-reached" -- \
		./lkvm run -k Image -i initramfs.cpio.gz -c "$1" -m 256 --console serial \
		-n mode=none --virtio-transport mmio -d disk.img,ro -p "$args" >"$2" 2>&1
}

i=1
while [ $i -le "$BENCH_SAMPLES" ]; do
	for c in $BENCH_CPUS; do
		# Alternate which VMM goes first, so that drift hits both alike.
		if [ $((i % 2)) = 1 ]; then order="nc lkvm"; else order="lkvm nc"; fi
		# The nipcell-vmm variant with nexus_blk's irq_batch, if asked for.
		[ -z "$BENCH_IRQ_BATCH" ] || order="$order ncb"
		for v in $order; do
			out=/tmp/bench-$v-$c-$i.log
			run_$v "$c" "$out"
			parse "$v" "$c" "$i" "$out"
		done
	done
	i=$((i + 1))
done
echo "NCT PASS bench-done $BENCH_SAMPLES samples per VMM and vCPU count"
