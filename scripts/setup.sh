#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages only), then configures and builds
# kmeta into ./build. Idempotent: re-running installs nothing new and rebuilds
# incrementally. Set KMETA_BUILD_DIR to build elsewhere, KMETA_CMAKE_ARGS for
# extra CMake options.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  g++ make cmake ninja-build pkg-config git ca-certificates
  libgit2-dev libcli11-dev libfmt-dev nlohmann-json3-dev libarchive-dev
  zlib1g-dev libxxhash-dev liblzma-dev libzstd-dev libgtest-dev libgmock-dev googletest libbenchmark-dev
  flex bison bc libelf-dev libssl-dev xz-utils cpio perl python3
  strace
  clang libclang-rt-14-dev clang-format clang-tidy
  libkmod-dev kmod libsquashfs-dev squashfs-tools-ng squashfs-tools qemu-system-x86 qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross
  distcc ccache kmod gcc-arm-linux-gnueabihf
  diffstat
  gcc-mips-linux-gnu gcc-mipsel-linux-gnu gcc-mips64-linux-gnuabi64 gcc-mips64el-linux-gnuabi64
  gcc-powerpc-linux-gnu gcc-powerpc64-linux-gnu gcc-powerpc64le-linux-gnu gcc-arc-linux-gnu chromium
)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

BUILD=${KMETA_BUILD_DIR:-build}
# shellcheck disable=SC2086
cmake -S . -B "$BUILD" -G Ninja ${KMETA_CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
echo "setup: kmeta built: $BUILD/kmeta"
