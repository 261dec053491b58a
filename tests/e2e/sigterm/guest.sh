# Write a 4 MiB pattern durably, then keep the disk busy until the host
# stops the cell (this cell never powers off by itself).
yes "nipcell sigterm pattern 0123456789abcdef" | head -c 4194304 |
	dd of=/dev/nxblk0 bs=1M conv=fsync 2>/dev/null &&
	echo "NCT PASS sigterm-pattern-written 4 MiB, fsync returned"
while :; do
	dd if=/dev/zero of=/dev/nxblk0 bs=1M seek=8 count=8 conv=fsync 2>/dev/null
done
