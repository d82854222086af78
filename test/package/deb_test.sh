#!/usr/bin/env bash
# The .deb: `cpack -G DEB` in the build directory, its control fields (Debian's
# Clang 19 runtime packages as dependencies), its files at the usual Debian
# paths, and, unpacked with dpkg-deb -x (an apt-get install would change the
# developer's machine: .ci/run does that one), the tool and the clang-tidy
# plugin run from the unpacked /usr on a corpus file.
# Usage: deb_test.sh BUILD_DIR CORPUS CLANG_TIDY
set -euo pipefail
build=$1 corpus=$2 tidy=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
start=$(date +%s.%N)
cpack -G DEB -B "$tmp/pkg" --config "$build/CPackConfig.cmake" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; fail "cpack -G DEB failed"; }
deb=$(ls "$tmp"/pkg/vmalloc-lint_*.deb)
echo "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB) in $(echo "$(date +%s.%N) - $start" | bc) s"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for p in libclang-cpp19 libllvm19 libclang-common-19-dev clang-tidy-19 libstdc++6 libc6; do
  echo "$depends" | tr ',' '\n' | awk '{print $1}' | grep -Fqx "$p" || fail "Depends lacks $p"
done
[ "$(dpkg-deb -f "$deb" Package)" = vmalloc-lint ] || fail "Package is not vmalloc-lint"
dpkg-deb -c "$deb" | awk '{print $6}' >"$tmp/files"
for f in ./usr/bin/vmalloc-lint ./usr/lib/vmalloc-lint/libVmallocLintTidy.so \
         ./usr/share/man/man1/vmalloc-lint.1.gz ./usr/share/doc/vmalloc-lint/README.md \
         ./usr/share/doc/vmalloc-lint/docs/usage.md \
         ./usr/share/doc/vmalloc-lint/docs/checks/vmalloc-redundant-highmem.md; do
  grep -qx "$f" "$tmp/files" || fail "$f is not in the package"
done
dpkg-deb -x "$deb" "$tmp/root"
zcat "$tmp/root/usr/share/man/man1/vmalloc-lint.1.gz" | grep -q '^\.TH VMALLOC-LINT "1"' ||
  fail "the man page has no .TH VMALLOC-LINT 1"
lint=$tmp/root/usr/bin/vmalloc-lint
# No build-tree RPATH: the libraries are Debian's.
if readelf -d "$lint" | grep -Eq 'R(UN)?PATH'; then fail "the installed binary has an RPATH"; fi
"$lint" --version | grep -q 'vmalloc-lint 0.1' || fail "--version"
cd "$corpus/linux-6.1"
set +e
"$lint" --format json drivers/md/dm-writecache.c >"$tmp/out.json"
status=$?
set -e
[ $status = 1 ] || fail "the installed tool exited $status, want 1 (findings)"
python3 - "$tmp/out.json" <<'PY' || fail "no redundant-highmem finding from the installed tool"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
assert any(x["check"] == "vmalloc-redundant-highmem" for x in f), f
PY
"$lint" --print-compile-commands -o "$tmp/compile_commands.json" drivers/md/dm-writecache.c
"$tidy" --load="$tmp/root/usr/lib/vmalloc-lint/libVmallocLintTidy.so" --checks='-*,vmalloc-*' \
  -p "$tmp" drivers/md/dm-writecache.c >"$tmp/tidy.out" 2>"$tmp/tidy.err" || true
grep -q 'warning: .*\[vmalloc-redundant-highmem\]' "$tmp/tidy.out" ||
  { cat "$tmp/tidy.out" "$tmp/tidy.err"; fail "the installed plugin reported nothing"; }
echo "the .deb's tool and plugin work from the unpacked /usr"
