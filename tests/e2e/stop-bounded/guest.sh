# The guest side of the ABI by hand, as in the hostile scenario: a write
# that completes (the guest is told it is on disk), then 32 WRITE_ZEROES
# of the whole disk, then nothing: the host stops the cell meanwhile.
. /etc/nipcell-raw-ring.sh	# push, wait_cqe, sq, cq, data, cap...
# One 4 KiB write of a known word at sector 8, and wait for it.
devmem $((b + data)) 32 0x6b6f6f63
push $ION_OP_BLK_WRITE 4096 8 $data 1
wait_cqe
if [ "$st" = 0 ]; then
	echo "NCT PASS guest-write-acknowledged a 4 KiB write at sector 8 completed with status 0"
else
	echo "NCT FAIL guest-write-acknowledged no completion (status '$st')"
fi
bytes=$((cap * 512))
[ $bytes -gt 4294963200 ] && bytes=4294963200
n=0
while [ $n -lt 32 ]; do
	push $ION_OP_BLK_WRITE_ZEROES $bytes 0 0 $((100 + n))
	n=$((n + 1))
done
echo "NCT PASS guest-zeroes-queued 32 WRITE_ZEROES of $bytes bytes each"
sleep 600
