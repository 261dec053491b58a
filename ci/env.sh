# shellcheck shell=bash
# Common paths for the ci/ scripts. Sourced, never run.
#
# Everything expensive (the arm64 sysroot, the kernel build) lives in
# NC_CACHE, outside the source tree, keyed by a hash of its inputs, so a
# fresh clone reuses it and a changed input rebuilds it.

NC_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NC_CACHE=${NC_CACHE:-/var/cache/nipcell}
NC_ARCH=$(uname -m)
export NC_TOP NC_CACHE NC_ARCH

# The arm64 packages the project extracts into a private root instead of
# installing them: libfdt-dev:arm64 cannot be co-installed with the amd64
# one, and busybox-static:arm64 would replace the host's /bin/busybox.
NC_ARM64_DEBS="libfdt-dev libfdt1 liburing-dev liburing2 busybox-static
e2fsprogs libext2fs2 libcom-err2 libblkid1 libuuid1 libss2 libc6 libgcc-s1"
NC_ARM64_ROOT=$NC_CACHE/arm64-root

nc_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
nc_die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }
