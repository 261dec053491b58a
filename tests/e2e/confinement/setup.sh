# Host side, before the cells: the user the sandboxed cell switches to, a
# disk, and a background job that looks at each running nipcell-vmm's
# threads once its sandbox is on ("sandbox: ..." on its stderr), keeping
# what /proc says for host.sh.
grep -q '^nc-cell:' /etc/passwd 2>/dev/null || {
	mkdir -p /etc
	echo 'nc-cell:x:4242:4343:nipcell sandbox test:/nonexistent:/bin/false' >>/etc/passwd
	echo 'nc-cell:x:4343:' >>/etc/group
}
dd if=/dev/zero of=disk.img bs=1M count=0 seek=64 2>/dev/null
rm -f ./*.tasks ./*.ctl
(
	for cell in cell cell-noseccomp; do
		err=$NC_SCENARIO/../runner/$cell.stderr
		i=0
		# Slow polls: each grep costs the emulated host, and the cell's start-up is measured.
		while [ $i -lt 240 ] && ! grep -q 'nipcell-vmm: sandbox: ' "$err" 2>/dev/null; do
			i=$((i + 1))
			sleep 0.5
		done
		pid=$(pidof nipcell-vmm)
		[ -n "$pid" ] || continue
		for t in /proc/$pid/task/*; do
			echo "task ${t##*/} $(cat $t/comm)"
			grep -E '^(Uid|Gid|Groups|NoNewPrivs|Seccomp|CapInh|CapPrm|CapEff|CapBnd|CapAmb):' $t/status
		done >$cell.tasks
		# The control thread answers under its filter.
		nipcell-vmm ctl cell.sock stats >$cell.ctl 2>&1
		# Wait for this cell to end before looking for the next one.
		while kill -0 "$pid" 2>/dev/null; do
			sleep 0.5
		done
	done
) &
