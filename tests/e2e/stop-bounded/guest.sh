# The guest side of the ABI by hand, as in the hostile scenario: a write
# that completes (the guest is told it is on disk), then 32 WRITE_ZEROES
# of the whole disk, then nothing: the host stops the cell meanwhile.
. /etc/nipcell-ion.sh
b=$(sed -n 's/.*ion_base=\(0x[0-9a-fA-F]*\).*/\1/p' /proc/cmdline)
v0=$((b + ION_OFF_VALVES))
rd() { devmem $(($1)) $2; }
sq=$((b + $(rd $((v0 + 32)) 64)))
cq=$((b + $(rd $((v0 + 40)) 64)))
ent=$(($(rd $((v0 + 48)) 32)))
db=$(($(rd $((b + 48)) 64) + $(rd $((v0 + 56)) 32)))
data=$(($(rd $((v0 + 16)) 64)))
cap=$(($(rd $((v0 + 96)) 64)))			# config.blk.capacity, sectors
prod=0 cons=0
push() {	# OPCODE LEN SECTOR DATA_OFF ID
	s=$((sq + 128 + (prod & (ent - 1)) * 32))
	devmem $s 16 $1; devmem $((s + 2)) 16 0; devmem $((s + 4)) 32 $2
	devmem $((s + 8)) 64 $3; devmem $((s + 16)) 64 $4; devmem $((s + 24)) 64 $5
	prod=$((prod + 1))
	devmem $sq 32 $prod
	devmem $db 32 1
}
# One 4 KiB write of a known word at sector 8, and wait for it.
devmem $((b + data)) 32 0x6b6f6f63
push 0x601 4096 8 $data 1
i=0
while [ $(($(rd $cq 32))) -le $cons ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
st=$(($(rd $((cq + 128 + 8)) 32)))
if [ $(($(rd $cq 32))) -gt $cons ] && [ $st = 0 ]; then
	echo "NCT PASS guest-write-acknowledged a 4 KiB write at sector 8 completed with status 0"
else
	echo "NCT FAIL guest-write-acknowledged no completion (status '$st')"
fi
cons=1
devmem $((cq + 64)) 32 $cons
bytes=$((cap * 512))
[ $bytes -gt 4294963200 ] && bytes=4294963200
n=0
while [ $n -lt 32 ]; do
	push 0x604 $bytes 0 0 $((100 + n))
	n=$((n + 1))
done
echo "NCT PASS guest-zeroes-queued 32 WRITE_ZEROES of $bytes bytes each"
sleep 600
