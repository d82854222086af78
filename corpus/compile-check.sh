#!/usr/bin/env bash
# Compile every .c file of a corpus tree (and every header on its own) with
# the flags vmalloc-lint synthesises for a corpus tree.
# Usage: corpus/compile-check.sh corpus/linux-6.1 [clang]
# drivers/misc/broken_config.c is expected to fail (deliberately broken), and
# so is arch/parisc/kernel/module.c (parisc code under x86 flags: an
# undeclared argument in a vmalloc call).
set -u
T=$(cd "$1" && pwd)
CC=${2:-clang-19}
RES=$("$CC" -print-resource-dir)
# kbuild's C standard: gnu11 from 5.18, gnu89 before (as the tool uses).
ver=$(awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} END{print v*100+p}' "$T/Makefile")
std=gnu11
[ "$ver" -lt 518 ] && std=gnu89
flags=(-fsyntax-only -std=$std -nostdinc -isystem "$RES/include"
  -I "$T/arch/x86/include" -I "$T/arch/x86/include/generated" -I "$T/include"
  -I "$T/arch/x86/include/uapi" -I "$T/include/uapi"
  -include "$T/include/linux/kconfig.h")
[ -f "$T/include/linux/compiler_types.h" ] && flags+=(-include "$T/include/linux/compiler_types.h")
flags+=(-D__KERNEL__ "-DKBUILD_BASENAME=\"x\"" "-DKBUILD_MODNAME=\"x\"")
fail=0
while IFS= read -r f; do
  rel=${f#"$T"/}
  case "$rel" in expected/*) continue ;; esac
  if out=$("$CC" "${flags[@]}" -Wall "$f" 2>&1) && [ -z "$out" ]; then
    echo "ok      $rel"
  elif [ "$rel" = drivers/misc/broken_config.c ] || [ "$rel" = arch/parisc/kernel/module.c ]; then
    echo "broken  $rel (expected)"
  else
    echo "FAIL    $rel"; echo "$out"; fail=1
  fi
done < <(find "$T" -name '*.c' | sort)
while IFS= read -r h; do
  rel=${h#"$T"/}
  case "$rel" in expected/*|include/generated/*) continue ;; esac
  if ! out=$(printf '#include "%s"\n' "$h" | "$CC" "${flags[@]}" -Wall -x c - 2>&1) || [ -n "$out" ]; then
    echo "FAIL    $rel (header alone)"; echo "$out"; fail=1
  fi
done < <(find "$T" -name '*.h' | sort)
exit $fail
