# After both cells: check and dtb work on the host too, and the dtb
# subcommand writes the tree run uses.
if nipcell-vmm check cell-2cpu.toml >check.out 2>&1 && grep -q 'ram\[1\]' check.out; then
	echo "NCT PASS vmm-check 512 MiB cell split around the window: $(grep -c 'ram\[' check.out) RAM regions"
else
	echo "NCT FAIL vmm-check $(head -3 check.out | tr '\n' ' ')"
fi

# The 2-vCPU cell wrote its console to a file: show its markers here, and
# check it holds the guest's own boot marker.
if grep -q 'NCT PASS init-reached' console-2cpu.log 2>/dev/null; then
	grep '^NCT ' console-2cpu.log | tr -d '\r'
	echo "NCT PASS console-file console-2cpu.log has the guest's markers ($(wc -c <console-2cpu.log) bytes)"
else
	echo "NCT FAIL console-file console-2cpu.log is missing or lacks the guest's markers"
fi

# Without /dev/kvm, run fails with a clear message (exit 1), not a crash.
if command -v unshare >/dev/null 2>&1; then
	out=$(unshare -m sh -c 'mount -t tmpfs none /dev && nipcell-vmm run cell.toml' 2>&1)
	rc=$?
	if [ $rc = 1 ] && echo "$out" | grep -q '^nipcell-vmm: /dev/kvm: No such file or directory'; then
		echo "NCT PASS vmm-no-kvm $(echo "$out" | grep -m1 /dev/kvm)"
	else
		echo "NCT FAIL vmm-no-kvm exit $rc: $(echo "$out" | head -2 | tr '\n' ' ')"
	fi
else
	echo "NCT FAIL vmm-no-kvm this host has no unshare to hide /dev/kvm with"
fi
