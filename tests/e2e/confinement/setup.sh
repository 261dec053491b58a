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
dd if=/dev/zero of=disk-restart.img bs=1M count=0 seek=64 2>/dev/null
rm -f ./*.tasks ./*.ctl ttyS1-restart.log
# tasks PID: every thread's name and the status fields host.sh compares.
tasks() {
	for t in /proc/$1/task/*; do
		echo "task ${t##*/} $(cat $t/comm)"
		grep -E '^(Uid|Gid|Groups|NoNewPrivs|Seccomp|Seccomp_filters|CapInh|CapPrm|CapEff|CapBnd|CapAmb):' $t/status
	done
}
# wait_for FILE PATTERN: up to 120 s, in slow polls.
wait_for() {
	local i=0
	while [ $i -lt 240 ] && ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		sleep 0.5
	done
	grep -q "$2" "$1" 2>/dev/null
}
(
	for cell in cell cell-noseccomp cell-restart; do
		err=$NC_SCENARIO/../runner/$cell.stderr
		i=0
		# Slow polls: each grep costs the emulated host, and the cell's start-up is measured.
		while [ $i -lt 240 ] && ! grep -q 'nipcell-vmm: sandbox: ' "$err" 2>/dev/null; do
			i=$((i + 1))
			sleep 0.5
		done
		pid=$(pidof nipcell-vmm)
		[ -n "$pid" ] || continue
		if [ $cell = cell-restart ]; then
			# The first guest's threads, then the second's: after the
			# restart, once the new guest wrote to ttyS1 (its vCPUs run).
			wait_for ttyS1-restart.log 'confinement-restart boot 0' &&
				tasks $pid >$cell.before.tasks
			wait_for ttyS1-restart.log 'confinement-restart boot 1' &&
				tasks $pid >$cell.tasks
			nipcell-vmm ctl restart.sock stats >$cell.ctl 2>&1
		else
			tasks $pid >$cell.tasks
			# The control thread answers under its filter.
			nipcell-vmm ctl cell.sock stats >$cell.ctl 2>&1
		fi
		# Wait for this cell to end before looking for the next one.
		while kill -0 "$pid" 2>/dev/null; do
			sleep 0.5
		done
	done
) &
