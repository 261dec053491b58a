# The guest side of the ABI by hand (offsets from ion.h via /etc/nipcell-ion.sh
# where it has them; ring and SQE layouts as docs/abi.md tables them).
. /etc/nipcell-ion.sh
b=$(sed -n 's/.*ion_base=\(0x[0-9a-fA-F]*\).*/\1/p' /proc/cmdline)
v0=$((b + ION_OFF_VALVES))			# valve 0: the disk
rd() { devmem $(($1)) $2; }
sq=$((b + $(rd $((v0 + 32)) 64)))		# queues[0].sq_off
cq=$((b + $(rd $((v0 + 40)) 64)))		# queues[0].cq_off
ent=$(($(rd $((v0 + 48)) 32)))			# queues[0].entries
db=$(($(rd $((b + 48)) 64) + $(rd $((v0 + 56)) 32)))	# doorbell_gpa + queues[0].doorbell
data=$(($(rd $((v0 + 16)) 64)))			# data_off
prod=0 cons=0

# push OPCODE LEN SECTOR DATA_OFF ID: one raw SQE, then the doorbell.
push() {
	s=$((sq + 128 + (prod & (ent - 1)) * 32))
	devmem $s 16 $1; devmem $((s + 2)) 16 0; devmem $((s + 4)) 32 $2
	devmem $((s + 8)) 64 $3; devmem $((s + 16)) 64 $4; devmem $((s + 24)) 64 $5
	prod=$((prod + 1))
	devmem $sq 32 $prod
	devmem $db 32 1
}
# wait_cqe: sets st to the next completion's status, signed ("" if none).
# Not called in $(...): it advances cons, which a subshell would lose.
wait_cqe() {
	st= i=0
	while [ $(($(rd $cq 32))) -le $cons ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ $(($(rd $cq 32))) -gt $cons ] || return
	c=$((cq + 128 + (cons & (ent - 1)) * 16))
	st=$(($(rd $((c + 8)) 32)))
	[ $st -ge 2147483648 ] && st=$((st - 4294967296))
	cons=$((cons + 1))
	devmem $((cq + 64)) 32 $cons
}
expect_error() { # NAME OPCODE LEN SECTOR DATA_OFF
	push $2 $3 $4 $5 7
	wait_cqe
	if [ -n "$st" ] && [ "$st" -lt 0 ]; then
		echo "NCT PASS hostile-$1 error completion $st"
	else
		echo "NCT FAIL hostile-$1 want an error completion, got '${st:-none}'"
	fi
}

expect_error data-outside-window 0x600 4096 0 0xfffffff000
expect_error unknown-opcode 0x7777 4096 0 $data
expect_error misaligned-length 0x601 100 0 $data
expect_error past-capacity 0x600 4096 0x7fffffff $data
# Inside the window but not the valve's data area: into the SQ ring itself.
expect_error data-over-ring 0x600 4096 0 $((sq - b))

# A valid read still works after all that: the disk's first bytes arrive.
push 0x600 4096 0 $data 8
wait_cqe
got=$(rd $((b + data)) 32)
if [ "$st" = 0 ] && [ $((got)) = $((0x74736f68)) ]; then	# "host" little-endian
	echo "NCT PASS hostile-valid-read served after the garbage, data from disk.img"
else
	echo "NCT FAIL hostile-valid-read status '${st:-none}', first word $got"
fi

# A ring whose producer index jumps past the ring: the valve is broken.
prod=$((prod + ent + 5))
devmem $sq 32 $prod
devmem $db 32 1
sleep 1
status=$(($(rd $((v0 + 8)) 32))) error=$(($(rd $((v0 + 12)) 32)))
if [ $((status & 1)) = 1 ] && [ $error = 1 ]; then
	echo "NCT PASS hostile-index-jump valve marked broken, error ION_ERR_SQ_INDEX"
else
	echo "NCT FAIL hostile-index-jump valve status $status error $error"
fi
