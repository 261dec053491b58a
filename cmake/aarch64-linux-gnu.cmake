# Cross-build for arm64 from x86_64 with Debian's gcc-aarch64-linux-gnu.
# The arm64 libraries (libfdt, liburing) come from the private root that
# ci/setup extracts (NC_ARM64_ROOT), not from dpkg multiarch: libfdt-dev is
# not co-installable for two architectures.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)

if(NOT DEFINED NC_ARM64_ROOT)
	if(DEFINED ENV{NC_ARM64_ROOT})
		set(NC_ARM64_ROOT $ENV{NC_ARM64_ROOT})
	else()
		set(NC_ARM64_ROOT /var/cache/nipcell/arm64-root)
	endif()
endif()
set(NC_ARM64_ROOT ${NC_ARM64_ROOT} CACHE PATH "extracted arm64 packages (ci/setup)")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES NC_ARM64_ROOT)

set(CMAKE_FIND_ROOT_PATH ${NC_ARM64_ROOT} /usr/aarch64-linux-gnu)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
