#!/usr/bin/env bash
# Installs what vmalloc-lint needs to build, test and run on Debian 12 (as
# root): Clang/LLVM 19, GoogleTest, the kernel source used by the real-tree
# test, and what `make defconfig && make prepare` needs. Does nothing when
# everything is already installed.
set -euo pipefail
pkgs=(
  cmake ninja-build g++ ccache python3 git make xz-utils
  libclang-19-dev llvm-19-dev clang-19 clang-tidy-19 clang-tools-19
  libgtest-dev
  linux-source-6.1 flex bison bc libelf-dev libssl-dev
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
