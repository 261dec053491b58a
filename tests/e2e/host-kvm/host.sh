# Scenario host-kvm: the arm64 host itself. Its kernel brought KVM up, and a
# static probe creates a VM and gets a vCPU exit back. No cell runs.
if dmesg | grep -q 'kvm \[[0-9]*\]: .*initialized successfully'; then
	echo "NCT PASS kvm-init $(dmesg | grep -o 'kvm \[[0-9]*\]: .*initialized successfully' | head -1)"
else
	echo "NCT FAIL kvm-init the host kernel never said 'kvm ...: initialized successfully'"
fi
kvm-probe
