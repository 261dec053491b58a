# The cell was stopped by SIGTERM (vmm-exit checked the status 0); the
# pattern the guest was told is durable must be in the image.
# nipcell-vmm's exit line (kept by scenario-run in runner/cell.stderr) must
# say the signal stopped it, not a power-off.
why=$(grep -o 'nipcell-vmm: stopped by [A-Za-z]* after' "$NC_SCENARIO/../runner/cell.stderr" 2>/dev/null)
if [ ! -f stats.at-kill ]; then
	echo "NCT FAIL sigterm-sent the valve never moved the pattern"
elif [ "$why" != "nipcell-vmm: stopped by Terminated after" ]; then
	echo "NCT FAIL sigterm-sent SIGTERM sent, but nipcell-vmm's exit line is '${why:-missing}', not 'stopped by Terminated'"
else
	echo "NCT PASS sigterm-sent after the valve moved $(cat stats.at-kill) bytes; nipcell-vmm says it was stopped by Terminated"
fi
want=$(yes "nipcell sigterm pattern 0123456789abcdef" | head -c 4194304 | md5sum | cut -d' ' -f1)
got=$(dd if=disk.img bs=1M count=4 2>/dev/null | md5sum | cut -d' ' -f1)
if [ "$got" = "$want" ]; then
	echo "NCT PASS sigterm-no-data-lost the 4 MiB pattern is intact in disk.img"
else
	echo "NCT FAIL sigterm-no-data-lost disk.img md5 $got, want $want"
fi

# The second cell on the same disk was refused: exit 1, the image named.
if [ "$(cat second.rc 2>/dev/null)" = 1 ] &&
   grep -q "blk\[0\] .*disk.img: locked by another process" second.out; then
	echo "NCT PASS disk-locked a second cell on disk.img exits 1: $(grep -m1 locked second.out)"
else
	echo "NCT FAIL disk-locked second cell exit '$(cat second.rc 2>/dev/null)': $(head -3 second.out 2>/dev/null | tr '\n' ' ')"
fi
