#!/usr/bin/env bash
# Provision real kernel trees for kmeta's differential tests.
#
# Installs Debian's linux-source-6.1/6.12 (and linux-config-* for distro configs),
# unpacks each tarball once into $KMETA_KERNELS (default ~/.cache/kmeta/kernels)
# and builds each kernel's own scripts/kconfig/conf in an O= directory, leaving
# the source tree untouched. Re-runs reuse what is there.
#
# Layout:
#   $KMETA_KERNELS/linux-<ver>/          pristine source (read-only by convention)
#   $KMETA_KERNELS/build-<ver>/scripts/kconfig/conf   the oracle
#   $KMETA_KERNELS/configs-<ver>/        Debian distro configs (symlink into /usr/src)
# Also installs the gcc-aarch64/riscv64 cross compilers the golden tests need.
set -euo pipefail

VERSIONS=${KMETA_KERNEL_VERSIONS:-"6.12 6.1"}
CACHE=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

need=()
for v in $VERSIONS; do
    dpkg -s "linux-source-$v" >/dev/null 2>&1 || need+=("linux-source-$v")
    dpkg -s "linux-config-$v" >/dev/null 2>&1 || need+=("linux-config-$v")
done
# The cross compilers the shared config goldens were recorded with (arm64, riscv):
# their $(shell) probes decide symbols, so tests need the same toolchains.
for p in make gcc flex bison bc libelf-dev libssl-dev xz-utils gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "kernels.sh: installing ${need[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

mkdir -p "$CACHE"
for v in $VERSIONS; do
    src="$CACHE/linux-$v"
    if [ ! -f "$src/.kmeta-unpacked" ]; then
        echo "kernels.sh: unpacking linux-source-$v into $src"
        rm -rf "$src" "$src.tmp"
        mkdir -p "$src.tmp"
        tar -xf "/usr/src/linux-source-$v.tar.xz" -C "$src.tmp" --strip-components=1
        touch "$src.tmp/.kmeta-unpacked"
        mv "$src.tmp" "$src"
    fi
    build="$CACHE/build-$v"
    if [ ! -x "$build/scripts/kconfig/conf" ]; then
        echo "kernels.sh: building scripts/kconfig/conf for $v in $build"
        mkdir -p "$build"
        make -s -C "$src" O="$build" ARCH=x86_64 defconfig >/dev/null
    fi
    cfg="$CACHE/configs-$v"
    if [ ! -e "$cfg" ] && [ -d "/usr/src/linux-config-$v" ]; then
        ln -s "/usr/src/linux-config-$v" "$cfg"
    fi
    echo "kernels.sh: linux-$v ready: $src (conf: $build/scripts/kconfig/conf)"
done
