# The VMM survived (vmm-exit checked its status 0); the disk is untouched.
if [ "$(md5sum disk.img | cut -d' ' -f1)" = "$(cat disk.md5)" ]; then
	echo "NCT PASS hostile-disk-untouched disk.img unchanged"
else
	echo "NCT FAIL hostile-disk-untouched disk.img changed"
fi
