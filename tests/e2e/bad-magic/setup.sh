# A disk for the blk valve the guest must not get to use.
dd if=/dev/zero of=disk.img bs=1M count=0 seek=16 2>/dev/null
