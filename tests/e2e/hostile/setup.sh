yes "hostile guest disk" | head -c 4194304 >disk.img
md5sum disk.img | cut -d' ' -f1 >disk.md5
