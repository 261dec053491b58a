# Shared by setup.sh, guest.sh and host.sh of the export scenario.
NC_DISK_MIB=64			# disk*.img: the cell's nxblk0, which it exports
NC_FILES=40			# files the host writes through /dev/ublkb*
NC_FILE_KIB=256
NC_CRASH_AT=12			# ... the guest is crashed after this many
# Keys the host injects through the input valve (guest.sh acts on them).
NC_KEY_RESET=19			# KEY_R: a kernel panic (then PSCI SYSTEM_RESET)
NC_KEY_QUIT=16			# KEY_Q: guest.sh ends, /init powers off
NC_KEY_CORRUPT=46		# KEY_C: nexus_export corrupts a completion

nc_pattern() {
	yes "nipcell export $1 0123456789abcdef" | head -c "$2"
}

nc_md5() {
	md5sum | cut -d' ' -f1
}
