# The cell was stopped by SIGTERM (vmm-exit checked the status 0); the
# pattern the guest was told is durable must be in the image.
if [ -f stats.at-kill ]; then
	echo "NCT PASS sigterm-sent after the valve moved $(cat stats.at-kill) bytes"
else
	echo "NCT FAIL sigterm-sent the valve never moved the pattern"
fi
want=$(yes "nipcell sigterm pattern 0123456789abcdef" | head -c 4194304 | md5sum | cut -d' ' -f1)
got=$(dd if=disk.img bs=1M count=4 2>/dev/null | md5sum | cut -d' ' -f1)
if [ "$got" = "$want" ]; then
	echo "NCT PASS sigterm-no-data-lost the 4 MiB pattern is intact in disk.img"
else
	echo "NCT FAIL sigterm-no-data-lost disk.img md5 $got, want $want"
fi
