# After the cells: the backing itself, read by the host directly (the first
# cell's disk.img, which the guest served as nxblk0), and the figures.
. ./common.sh
i=0
while [ ! -f driver.done ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ -f driver.done ] || echo "NCT FAIL export-driver setup.sh's driver did not finish"
cat driver.markers
if out=$(e2fsck -fn disk.img 2>&1); then
	echo "NCT PASS export-backing-e2fsck disk.img: $(echo "$out" | tail -1)"
else
	echo "NCT FAIL export-backing-e2fsck disk.img: $(echo "$out" | tail -3 | tr '\n' ' ')"
fi
bad=0 n=0
for i in $(cat acked 2>/dev/null); do
	n=$((n + 1))
	[ "$(debugfs -R "cat /f$i" disk.img 2>/dev/null | nc_md5)" = "$(nc_pattern "file $i" $((NC_FILE_KIB * 1024)) | nc_md5)" ] ||
		bad=$((bad + 1))
done
if [ "$n" -gt 0 ] && [ "$bad" = 0 ]; then
	echo "NCT PASS export-backing-files all $n acknowledged files are in disk.img (debugfs)"
else
	echo "NCT FAIL export-backing-files $bad of $n acknowledged files differ in disk.img"
fi
# What each cell's nipcell-vmm said: confined, no WARNING, and no ublk
# control command refused or failed (the broker runs them); the cells that
# exit remove their device.
for c in cell cell-garbage cell-norestart cell-sigkill; do
	err=$NC_SCENARIO/../runner/$c.stderr
	bad=$(grep -E 'WARNING|Operation not permitted|STOP_DEV|DEL_DEV|broker .* is gone' "$err" 2>/dev/null | head -3 | tr '\n' ';')
	# Removed, or (a host program still had it open) left to the broker,
	# which export-cleanup then saw finish.
	removed=$(grep -oE 'export 0: ublk device [0-9]* (removed|is still open elsewhere)' "$err" 2>/dev/null)
	if grep -q '^nipcell-vmm: sandbox: seccomp on, Landlock ABI [1-9]' "$err" && [ -z "$bad" ] &&
	   { [ -n "$removed" ] || [ $c = cell-sigkill ]; }; then
		echo "NCT PASS export-run-says $c: $(grep -o 'sandbox: seccomp on, Landlock ABI [0-9]*' "$err"); ${removed:-killed: no exit}; no WARNING, no 'Operation not permitted', no STOP_DEV/DEL_DEV error"
	else
		echo "NCT FAIL export-run-says $c: $(grep -o 'sandbox: .*' "$err" 2>/dev/null || echo 'no sandbox line'); ${removed:-no 'ublk device N removed'}; ${bad:-}"
	fi
done
restart=$(grep -h 'restart 1 of' "$NC_SCENARIO/../runner/cell.stderr" 2>/dev/null | sed 's/^nipcell-vmm: //')
echo "NCT INFO export-figures $(cat figures 2>/dev/null | tr '\n' ' ') vmm: ${restart:-no restart line}"
