#!/usr/bin/env bash
# ctest "scripts.new-check": scripts/new-check.py makes a check that builds
# and works. On a copy of the sources: a pass-1 and a pass-2 check are
# created, the tool and the unit tests are built (ccache makes the unchanged
# files cheap), each new check reports its own corpus case and nothing else
# there, the registry test (README table, file and page) passes, the doc
# pages are current, and the corpus case compiles.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"
git ls-files -z --cached --others --exclude-standard | \
  (cd "$src" && xargs -0 cp --parents -t "$work" 2>/dev/null) || true
cd "$work"
python3 scripts/new-check.py vmalloc-nofail-gfp --pass 1 --flag __GFP_NOFAIL \
  "__GFP_NOFAIL passed to a vmalloc allocator (a test of scripts/new-check.py)"
python3 scripts/new-check.py vmalloc-phys-test --pass 2 --sink LinearMap \
  "vmalloc memory at a linear-map helper (a test of scripts/new-check.py)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target vmalloc-lint vmalloc-lint-unittests >/dev/null
fail() { echo "FAIL: $*"; exit 1; }
build/vmalloc-lint --list-checks | grep -qx "vmalloc-nofail-gfp" || fail "not in --list-checks"
for c in nofail-gfp phys-test; do
  f=drivers/misc/vl-$c.c
  out=$(cd corpus/linux-6.1 && ../../build/vmalloc-lint --kernel-tree . --quiet \
          --format json --checks="-*,vmalloc-$c" "$f" || true)
  want=$(grep -n "expect: vmalloc-$c" "corpus/linux-6.1/$f" | cut -d: -f1)
  got=$(python3 -c 'import json,sys; print(" ".join(str(x["line"]) for x in json.load(sys.stdin)["findings"]))' <<<"$out")
  [ "$got" = "$want" ] || fail "vmalloc-$c: findings on lines '$got', want '$want'"
done
bash corpus/compile-check.sh corpus/linux-6.1 clang-19 >/dev/null || fail "the corpus does not compile"
build/test/vmalloc-lint-unittests --gtest_filter='Registry.*' >/dev/null || fail "RegistryTest"
python3 scripts/check-docs.py --check || fail "check-docs"
echo "new-check: two checks made, built and run on their corpus cases"
