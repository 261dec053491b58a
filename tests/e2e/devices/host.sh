# After the cell: the line the guest wrote to ttyS1 is in ttyS1.log (and
# only there), and check reports both UARTs.
line="nipcell ttyS1 says hello"
if grep -q "^$line [0-9]*" ttyS1.log 2>/dev/null; then
	echo "NCT PASS host-ttyS1-log ttyS1.log has '$(grep -m1 "$line" ttyS1.log | tr -d '\r')'"
else
	echo "NCT FAIL host-ttyS1-log ttyS1.log lacks '$line': $(head -c 200 ttyS1.log 2>/dev/null | tr '\r\n' '  ')"
fi
if grep -q 'NCT \|Linux version' ttyS1.log 2>/dev/null; then
	echo "NCT FAIL host-ttyS1-only-serial ttyS1.log has console output in it"
else
	echo "NCT PASS host-ttyS1-only-serial ttyS1.log holds only what the guest wrote to ttyS1 ($(wc -c <ttyS1.log) bytes)"
fi
if nipcell-vmm check cell.toml >check.out 2>&1 &&
   grep -q 'uart1 .*0x09001000' check.out && grep -q 'uart0 .*0x09000000' check.out; then
	echo "NCT PASS host-check-devices check lists uart0 and uart1: $(grep -c '^  device' check.out) devices"
else
	echo "NCT FAIL host-check-devices $(tr '\n' ' ' <check.out)"
fi
