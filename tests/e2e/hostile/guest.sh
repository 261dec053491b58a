# The guest side of the ABI by hand: push, wait_cqe and the ring's
# addresses (b, sq, cq, ent, db, data) with every offset from ion.h.
. /etc/nipcell-raw-ring.sh

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
status=$(($(rd $((v0 + ION_VALVE_OFF_STATUS)) 32))) error=$(($(rd $((v0 + ION_VALVE_OFF_ERROR)) 32)))
if [ $((status & 1)) = 1 ] && [ $error = 1 ]; then
	echo "NCT PASS hostile-index-jump valve marked broken, error ION_ERR_SQ_INDEX"
else
	echo "NCT FAIL hostile-index-jump valve status $status error $error"
fi
