# /etc/nipcell-raw-ring.sh in the guest: drive valve 0's queue 0 by hand
# with devmem, as a guest without the bridge modules (or a hostile one)
# would. Every offset comes from /etc/nipcell-ion.sh, generated from ion.h.
# Sourcing it sets b (the window), sq, cq, ent, db, data, cap and the
# indices prod and cons; then:
#   push OPCODE LEN SECTOR DATA_OFF ID   one raw SQE, then the doorbell
#   wait_cqe                             st = the next completion's status
#                                        (signed; "" if none in 5 s); not
#                                        in $(...): it advances cons
. /etc/nipcell-ion.sh
b=$(sed -n 's/.*ion_base=\(0x[0-9a-fA-F]*\).*/\1/p' /proc/cmdline)
v0=$((b + ION_OFF_VALVES))
rd() { devmem $(($1)) $2; }
sq=$((b + $(rd $((v0 + ION_VALVE_OFF_Q0_SQ)) 64)))
cq=$((b + $(rd $((v0 + ION_VALVE_OFF_Q0_CQ)) 64)))
ent=$(($(rd $((v0 + ION_VALVE_OFF_Q0_ENTRIES)) 32)))
db=$(($(rd $((b + ION_OFF_DOORBELL_GPA)) 64) + $(rd $((v0 + ION_VALVE_OFF_Q0_DOORBELL)) 32)))
data=$(($(rd $((v0 + ION_VALVE_OFF_DATA)) 64)))
cap=$(($(rd $((v0 + ION_VALVE_OFF_BLK_CAPACITY)) 64)))
prod=0 cons=0

push() {
	s=$((sq + ION_RING_SIZE + (prod & (ent - 1)) * ION_SQE_SIZE))
	devmem $s 16 $(($1)); devmem $((s + 2)) 16 0; devmem $((s + 4)) 32 $(($2))
	devmem $((s + 8)) 64 $(($3)); devmem $((s + 16)) 64 $(($4)); devmem $((s + 24)) 64 $(($5))
	prod=$((prod + 1))
	devmem $sq 32 $prod
	devmem $db 32 1
}

wait_cqe() {
	st= i=0
	while [ $(($(rd $cq 32))) -le $cons ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ $(($(rd $cq 32))) -gt $cons ] || return
	c=$((cq + ION_RING_SIZE + (cons & (ent - 1)) * ION_CQE_SIZE))
	st=$(($(rd $((c + ION_CQE_OFF_STATUS)) 32)))
	[ $st -ge 2147483648 ] && st=$((st - 4294967296))
	cons=$((cons + 1))
	devmem $((cq + ION_RING_OFF_CONS)) 32 $cons
}
