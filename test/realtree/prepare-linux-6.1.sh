#!/usr/bin/env bash
# Unpack Debian's linux-source-6.1 outside the repository and configure it
# (make defconfig && make prepare) once; reused when already prepared.
# Usage: prepare-linux-6.1.sh [DIR]   (default: $VMALLOC_LINT_KERNEL_DIR or
#        /var/tmp/vmalloc-lint/linux-source-6.1). Prints the tree's path.
set -euo pipefail
dir=${1:-${VMALLOC_LINT_KERNEL_DIR:-/var/tmp/vmalloc-lint/linux-source-6.1}}
stamp="$dir/.vmalloc-lint-prepared"
if [ -f "$stamp" ]; then
  echo "$dir"
  exit 0
fi
tarball=$(dpkg -L linux-source-6.1 2>/dev/null | grep -E '/linux-source-6\.1\.tar\.xz$' | head -n1 || true)
if [ -z "$tarball" ] || [ ! -f "$tarball" ]; then
  echo "prepare-linux-6.1: package linux-source-6.1 is not installed (apt-get install linux-source-6.1)" >&2
  exit 2
fi
parent=$(dirname "$dir")
mkdir -p "$parent"
tmp=$(mktemp -d "$parent/.unpack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xf "$tarball"
src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n1)
jobs=$(nproc 2>/dev/null || echo 2)
make -C "$src" -s defconfig >&2
make -C "$src" -s -j"$jobs" prepare >&2
rm -rf "$dir"
mv "$src" "$dir"
touch "$stamp"
echo "$dir"
