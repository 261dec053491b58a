# The cell powered off because the host asked (exit 0 was checked by
# vmm-exit-cell); the file the guest wrote without sync is on disk and the
# filesystem is clean.
err=$NC_SCENARIO/../runner/cell.stderr
if [ "$(cat shutdown.rc 2>/dev/null)" = 0 ] && [ "$(cat shutdown.out)" = ok ]; then
	echo "NCT PASS shutdown-requested nipcell-vmm ctl cell.sock shutdown answered ok"
else
	echo "NCT FAIL shutdown-requested ctl exited '$(cat shutdown.rc 2>/dev/null)': $(cat shutdown.out 2>/dev/null | tr '\n' ' ')"
fi
if grep -q 'File not found' before.txt 2>/dev/null; then
	echo "NCT PASS shutdown-not-on-disk-before /unsynced.txt was not in disk.img before the request"
else
	echo "NCT FAIL shutdown-not-on-disk-before before the request debugfs said: $(head -2 before.txt 2>/dev/null | tr '\n' ' ')"
fi
why=$(grep -o 'nipcell-vmm: guest powered off (vcpu [0-9]*) after' "$err" 2>/dev/null)
if [ -n "$why" ]; then
	echo "NCT PASS shutdown-powered-off ${why#nipcell-vmm: }"
else
	echo "NCT FAIL shutdown-powered-off nipcell-vmm's exit line: $(grep ' after ' "$err" | head -1)"
fi
if out=$(e2fsck -fn disk.img 2>&1); then
	echo "NCT PASS shutdown-fs-clean e2fsck -fn: $(echo "$out" | tail -1)"
else
	echo "NCT FAIL shutdown-fs-clean e2fsck -fn: $(echo "$out" | tail -3 | tr '\n' ' ')"
fi
want=$(yes "nipcell shutdown unsynced 0123456789" | head -c 65536 | md5sum | cut -d' ' -f1)
got=$(debugfs -R 'cat /unsynced.txt' disk.img 2>/dev/null | md5sum | cut -d' ' -f1)
if [ "$got" = "$want" ]; then
	echo "NCT PASS shutdown-file-intact /unsynced.txt read from disk.img by debugfs matches"
else
	echo "NCT FAIL shutdown-file-intact /unsynced.txt md5 $got, want $want"
fi
