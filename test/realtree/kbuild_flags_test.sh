#!/usr/bin/env bash
# kbuild is the judge of the synthesised flags (issue 12's acceptance test):
# on objects kbuild itself built, the flags vmalloc-lint synthesises for a
# file and kbuild's .file.o.cmd give the same clang -E -dM macro set.
#   x86_64: a copy of the prepared 6.1 tree (make defconfig prepare, gcc),
#           a sample of objects built in it with make;
#   arm64:  make ARCH=arm64 LLVM=-19 O=... defconfig prepare of a symlink farm
#           of the same sources, nVHE and other arm64 objects built there,
#           against the tool's own arm64 view of the x86_64 tree.
# Built once under $VMALLOC_LINT_KBUILD_OBJS (default: next to the tree,
# kbuild-objs/; make is incremental afterwards). Usage: kbuild_flags_test.sh LINT
set -euo pipefail
lint=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
tree=$(bash "$here/prepare-linux-6.1.sh") || exit 77
objs=${VMALLOC_LINT_KBUILD_OBJS:-$(dirname "$tree")/kbuild-objs}
mkdir -p "$objs"
x86="drivers/md/dm.c drivers/md/dm-bufio.c net/ipv4/netfilter/iptable_nat.c
drivers/thermal/intel/x86_pkg_temp_thermal.c kernel/power/swap.c lib/kobject.c
mm/vmalloc.c fs/ext4/inode.c drivers/net/ethernet/intel/e1000e/netdev.c
kernel/fork.c net/mac80211/trace.c kernel/entry/common.c net/wireless/trace.c"
arm64="arch/arm64/kvm/hyp/nvhe/page_alloc.c arch/arm64/kvm/hyp/nvhe/mem_protect.c
arch/arm64/kvm/arm.c arch/arm64/kernel/efi.c arch/arm64/kvm/hyp/vhe/switch.c"
objects() { # the make targets of files: x.o, or x.nvhe.o in arm64's nVHE dir
  for f in $1; do
    case $f in arch/arm64/kvm/hyp/nvhe/*) echo "${f%.c}.nvhe.o" ;; *) echo "${f%.c}.o" ;; esac
  done
}
copy=$objs/linux-6.1
if [ ! -f "$copy/.vmalloc-lint-prepared" ]; then
  rm -rf "$copy"
  cp -a "$tree" "$copy"
fi
make -C "$copy" -s -j"$(nproc)" $(objects "$x86") >&2
src=$objs/arm64-src obj=$objs/arm64-obj
if [ ! -f "$obj/include/config/auto.conf" ]; then
  rm -rf "$src" "$obj"
  mkdir -p "$src/include" "$src/arch/arm64/include"
  # The sources without what configuring in place added (kbuild refuses O=
  # on a tree configured in place).
  for e in "$tree"/*; do n=${e##*/}
    case $n in include|arch|vmlinux|System.map|Module.symvers|modules.*|vmlinux.*) ;; *) ln -s "$e" "$src/$n" ;; esac
  done
  for e in "$tree"/include/*; do n=${e##*/}; case $n in config|generated) ;; *) ln -s "$e" "$src/include/$n" ;; esac; done
  for e in "$tree"/arch/*; do n=${e##*/}; [ "$n" = arm64 ] || ln -s "$e" "$src/arch/$n"; done
  for e in "$tree"/arch/arm64/*; do n=${e##*/}; [ "$n" = include ] || ln -s "$e" "$src/arch/arm64/$n"; done
  for e in "$tree"/arch/arm64/include/*; do n=${e##*/}; [ "$n" = generated ] || ln -s "$e" "$src/arch/arm64/include/$n"; done
  make -s -C "$src" ARCH=arm64 LLVM=-19 O="$obj" defconfig prepare >&2
fi
make -s -C "$src" ARCH=arm64 LLVM=-19 O="$obj" $(objects "$arm64") >&2
cache=${VMALLOC_LINT_ARCH_CACHE:-$objs/arch-cache}
rc=0
python3 "$here/kbuild_flags_test.py" --lint "$lint" --tree "$copy" $x86 || rc=1
python3 "$here/kbuild_flags_test.py" --lint "$lint" --tree "$copy" --cmd-tree "$obj" \
  --arch-cache "$cache" $arm64 || rc=1
exit $rc
