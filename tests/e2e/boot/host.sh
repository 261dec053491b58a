# After both cells: check and dtb work on the host too, and the dtb
# subcommand writes the tree run uses.
if nipcell-vmm check cell-2cpu.toml >check.out 2>&1 && grep -q 'ram\[1\]' check.out; then
	echo "NCT PASS vmm-check 512 MiB cell split around the window: $(grep -c 'ram\[' check.out) RAM regions"
else
	echo "NCT FAIL vmm-check $(head -3 check.out | tr '\n' ' ')"
fi
