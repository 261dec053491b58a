# After SIGTERM: the VMM exited within a few seconds, and the write the
# guest was acknowledged is on disk (the zeroing may or may not have begun:
# it was never acknowledged, so either content of the rest is allowed).
secs=$(cat stop.secs 2>/dev/null)
if [ -z "$secs" ]; then
	echo "NCT FAIL stop-bounded-time SIGTERM was never sent (the valve did not take 33 requests)"
elif awk "BEGIN { exit !($secs < 5) }"; then
	echo "NCT PASS stop-bounded-time nipcell-vmm exited $secs s after SIGTERM with $(cat requests.at-kill) requests taken, zero fills in flight"
else
	echo "NCT FAIL stop-bounded-time nipcell-vmm took $secs s to exit after SIGTERM (want < 5 s)"
fi
word=$(dd if=disk.img bs=512 skip=8 count=1 2>/dev/null | head -c 4)
zero=$(dd if=disk.img bs=512 skip=8 count=1 2>/dev/null | head -c 4 | od -An -tx1 | tr -d ' ')
if [ "$word" = "cook" ]; then
	echo "NCT PASS stop-bounded-write-kept the acknowledged write is at sector 8"
elif [ "$zero" = 00000000 ]; then
	# A WRITE_ZEROES queued after the write may have reached sector 8: the
	# guest asked for it, and the host may do it; what was acknowledged
	# before it was overwritten by the guest's own later request.
	echo "NCT PASS stop-bounded-write-kept sector 8 holds the guest's later zeroes (a request it queued after the write)"
else
	echo "NCT FAIL stop-bounded-write-kept sector 8 is neither the write nor zeroes: $(dd if=disk.img bs=512 skip=8 count=1 2>/dev/null | head -c 16 | od -An -c)"
fi
why=$(grep -o 'nipcell-vmm: stopped by [A-Za-z]* after' "$NC_SCENARIO/../runner/cell.stderr" 2>/dev/null)
if [ "$why" = "nipcell-vmm: stopped by Terminated after" ]; then
	echo "NCT PASS stop-bounded-sigterm nipcell-vmm says it was stopped by Terminated"
else
	echo "NCT FAIL stop-bounded-sigterm exit line '${why:-missing}'"
fi
