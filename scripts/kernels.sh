#!/usr/bin/env bash
# Provision real kernel trees for kmeta's differential tests.
#
# Installs Debian's linux-source-6.1/6.12 (and linux-config-* for distro configs),
# unpacks each tarball once into $KMETA_KERNELS (default ~/.cache/kmeta/kernels)
# and builds each kernel's own scripts/kconfig/conf in an O= directory, leaving
# the source tree untouched. Re-runs reuse what is there.
#
# Layout:
#   $KMETA_KERNELS/linux-<ver>/          pristine source (read-only by convention);
#                                        .kmeta-unpacked names the package version it came from
#   $KMETA_KERNELS/build-<ver>/scripts/kconfig/conf   the oracle
#   $KMETA_KERNELS/configs-<ver>/        Debian distro configs (symlink into /usr/src)
# Also installs the toolchain the shared goldens were recorded with: the
# gcc-aarch64/riscv64 cross compilers and their C libraries.
#
# A tree is refreshed when the installed linux-source-<ver> package differs from
# the one it was unpacked from (the old tree stays in place until the new one is
# complete), and each tree's exact version is printed.
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
for p in make gcc flex bison bc libelf-dev libssl-dev xz-utils python3 \
         gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-riscv64-linux-gnu libc6-dev-riscv64-cross; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "kernels.sh: installing ${need[*]}"
    $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

kernel_version() {  # the tree's version as its Makefile states it
    awk -F' *= *' '$1=="VERSION"{v=$2} $1=="PATCHLEVEL"{p=$2} $1=="SUBLEVEL"{s=$2} $1=="EXTRAVERSION"{e=$2}
                    END{printf "%s.%s.%s%s\n", v, p, s, e}' "$1/Makefile"
}

mkdir -p "$CACHE"
# One provisioning at a time (tests and set-up may call this concurrently).
exec 8>"$CACHE/.kernels.lock"
flock 8
for v in $VERSIONS; do
    src="$CACHE/linux-$v"
    pkg=$(dpkg-query -W -f='${Version}' "linux-source-$v")
    have=$(cat "$src/.kmeta-unpacked" 2>/dev/null || true)
    if [ ! -f "$src/.kmeta-unpacked" ] || [ "$have" != "$pkg" ]; then
        if [ -d "$src" ]; then
            echo "kernels.sh: $src came from linux-source-$v ${have:-(unknown version)}; installed is $pkg: refreshing"
        else
            echo "kernels.sh: unpacking linux-source-$v $pkg into $src"
        fi
        rm -rf "$src.new"
        mkdir -p "$src.new"
        tar -xf "/usr/src/linux-source-$v.tar.xz" -C "$src.new" --strip-components=1
        echo "$pkg" > "$src.new/.kmeta-unpacked"
        # Swap only once the new tree is complete; the old one stays until then.
        rm -rf "$src.old"
        [ ! -d "$src" ] || mv "$src" "$src.old"
        mv "$src.new" "$src"
        rm -rf "$src.old"
    fi
    build="$CACHE/build-$v"
    if [ ! -x "$build/scripts/kconfig/conf" ] || [ "$(cat "$build/.kmeta-built-from" 2>/dev/null)" != "$pkg" ]; then
        echo "kernels.sh: building scripts/kconfig/conf for $v in $build"
        rm -rf "$build"
        mkdir -p "$build"
        make -s -C "$src" O="$build" ARCH=x86_64 defconfig >/dev/null
        echo "$pkg" > "$build/.kmeta-built-from"
    fi
    cfg="$CACHE/configs-$v"
    if [ ! -e "$cfg" ] && [ -d "/usr/src/linux-config-$v" ]; then
        ln -s "/usr/src/linux-config-$v" "$cfg"
    fi
    echo "kernels.sh: linux-$v ready: $(kernel_version "$src") (linux-source-$v $pkg) at $src (conf: $build/scripts/kconfig/conf)"
done
