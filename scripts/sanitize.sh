#!/usr/bin/env bash
# The sanitizer build (docs/fuzzing.md#the-sanitizer-build): the tool, its
# tests and the fuzz targets built by clang++-19 with ASan and UBSan (the
# project's code; Debian's LLVM libraries are not instrumented), then
#   scripts/sanitize.sh build     configure and build it (BUILD_DIR, default build-san)
#   scripts/sanitize.sh test ARGS ctest in it under the sanitizers' options
#                                 (ARGS: ctest's, e.g. -L unit -L e2e)
#   scripts/sanitize.sh realtree  drivers/md, mm and fs/xfs of Debian's 6.1 tree
#                                 with every check, and the gate over a mail
#                                 series of the tool's own fixes of them
# Any sanitizer report fails (halt_on_error, exit status 99 from the
# sanitizer, or a report in the output).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
build=${BUILD_DIR:-build-san}
case $build in /*) ;; *) build=$src/$build ;; esac
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:exitcode=99:abort_on_error=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=99${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$src/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# Tests the sanitizer build cannot run, and why:
#  e2e.isolate-memory  --memory-limit sets RLIMIT_AS; ASan reserves terabytes
#                      of shadow address space at start-up, so a worker under
#                      a limit cannot start (the test is about that limit).
#  tidy.*              the plugin is loaded into Debian's clang-tidy-19, which
#                      has no ASan runtime.
#  scripts.new-check   builds a copy of the project with the default compiler.
#  e2e.readme-commands runs the README's commands, the plugin's among them.
#  package.deb         packages the build and runs the plugin from it.
excluded='^(e2e\.isolate-memory|tidy\..*|scripts\.new-check|e2e\.readme-commands|package\.deb)$'
# Tests that trace the tool with strace: LeakSanitizer cannot run under
# ptrace, so they run apart, with ASan and UBSan but no leak check.
traced='^(faults\.sigkill)$'

case ${1:-} in
build)
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER=clang++-19 -DVMALLOC_LINT_FUZZ=ON >/dev/null
  cmake --build "$build" -j "${JOBS:-$(nproc)}"
  ;;
test)
  shift
  status=0
  ctest --test-dir "$build" --output-on-failure -E "$excluded|$traced" "$@" ||
    status=$?
  ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" \
    ctest --test-dir "$build" --output-on-failure -R "$traced" "$@" ||
    status=$?
  exit $status
  ;;
realtree)
  lint=$build/vmalloc-lint
  tree=$(bash test/realtree/prepare-linux-6.1.sh)
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  status=0
  for d in drivers/md mm fs/xfs; do
    set +e
    (cd "$tree" && "$lint" --kernel-tree . -j "${JOBS:-2}" --no-cache --checks='*' \
      --format json "$d") >"$out/findings.json" 2>"$out/stderr"
    rc=$?
    set -e
    n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$out/findings.json")
    echo "sanitize: $d: exit $rc, $n findings; $(tail -n 1 "$out/stderr")"
    if [ "$rc" -gt 1 ] || grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$out/stderr"; then
      cat "$out/stderr" >&2
      status=1
    fi
  done
  # The gate over a real series: the tool's fixes of the three directories,
  # one format-patch mail per file, on the tree that does not have them.
  (cd "$tree" && "$lint" --kernel-tree . -j "${JOBS:-2}" --no-cache --checks='*' --diff \
    drivers/md mm fs/xfs) >"$out/fix.diff" 2>/dev/null || true
  python3 - "$out/fix.diff" >"$out/series.mbox" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
# --diff writes unified diffs, one per file, each from its "--- a/" line.
parts = [p for p in re.split(r"(?m)^(?=--- a/)", text) if p.startswith("--- a/")]
for i, p in enumerate(parts, 1):
    name = p.split("\n", 1)[0][len("--- a/"):]
    p = "diff --git a/%s b/%s\n%s" % (name, name, p)
    print("From %040x Mon Sep 17 00:00:00 2001" % i)
    print("From: vmalloc-lint <vmalloc-lint@localhost>")
    print("Subject: [PATCH %d/%d] %s: vmalloc-lint's fixes" % (i, len(parts), name))
    print("\n---\n" + p, end="")
    print("-- \n2.39.5\n")
EOF
  mails=$(grep -c '^From [0-9a-f]\{40\} ' "$out/series.mbox" || true)
  set +e
  (cd "$tree" && "$lint" --kernel-tree . -j "${JOBS:-2}" --no-cache --checks='*' \
    --patch "$out/series.mbox" --format json) >"$out/gate.json" 2>"$out/stderr"
  rc=$?
  set -e
  n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$out/gate.json" 2>/dev/null || echo "?")
  echo "sanitize: gate over a series of $mails mails: exit $rc, $n findings; $(tail -n 1 "$out/stderr")"
  if [ "$rc" -gt 1 ] || [ "$mails" -eq 0 ] || grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$out/stderr"; then
    cat "$out/stderr" >&2
    status=1
  fi
  exit $status
  ;;
*)
  echo "usage: scripts/sanitize.sh build | test [CTEST ARGS] | realtree" >&2
  exit 2
  ;;
esac
