#!/bin/bash
# Benchmark (not a test): vmalloc-lint against Coccinelle and the parsing
# floor on one machine, in one run.
#
#   bench/whole-tree.sh [-j N] [--full PATHS] TREE [SWEEP_PATHS...]
#
# TREE is a configured kernel tree (make defconfig && make prepare).
#  (a) spatch with bench/redundant-highmem.cocci over SWEEP_PATHS (default:
#      the whole tree)
#  (b) vmalloc-lint --checks=vmalloc-redundant-highmem over the same paths
#  (d) vmalloc-lint's full census and pass 2 (every check) over --full
#      PATHS (default: the sweep paths)
#  (c) clang-19 -fsyntax-only with the tool's flags over the translation
#      units (d) parsed (its --progress lines name them): the parsing floor
#  (e) (d) with --no-skip-bodies: every function body parsed, as the floor
#      does; (e)/(c) is the analysis overhead proper, (d)/(c) what the tool
#      costs once it skips the bodies no check needs
# Each is timed by GNU time (wall, user+sys CPU, peak RSS of the process or
# its largest child). Prints a table, the ratios (b)/(a) and (d)/(c), and the
# findings of (a) and (b) compared site by site.
# Environment: LINT (default: build/vmalloc-lint next to this script's
# repository), OUT (directory for the raw outputs; default: a temp dir).
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
LINT=${LINT:-$HERE/build/vmalloc-lint}
JOBS=$(nproc)
FULL=""
while [ $# -gt 0 ]; do
  case $1 in
    -j) JOBS=$2; shift 2 ;;
    --full) FULL=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: $0 [-j N] [--full PATHS] TREE [SWEEP_PATHS...]" >&2; exit 2; }
TREE=$(cd "$1" && pwd); shift
SWEEP=${*:-.}
FULL=${FULL:-$SWEEP}
LINT=$(readlink -f "$LINT")
OUT=${OUT:-$(mktemp -d /tmp/vmalloc-lint-bench.XXXXXX)}
mkdir -p "$OUT"
COCCI=$HERE/bench/redundant-highmem.cocci

if ! command -v spatch >/dev/null; then
  echo "installing coccinelle (spatch)" >&2
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get install -y coccinelle >&2
fi
for t in "$LINT" /usr/bin/time clang-19 python3; do
  command -v "$t" >/dev/null || { echo "missing $t" >&2; exit 2; }
done

measure() { # name command...
  local name=$1; shift
  echo "== $name: $*" >&2
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/$name.time" "$@"
}

cd "$TREE"
echo "tree $TREE ($(sed -n 's/^VERSION = //p;s/^PATCHLEVEL = //p;s/^SUBLEVEL = //p' Makefile | paste -sd.)), sweep: $SWEEP, full: $FULL, -j $JOBS, $(nproc) CPUs" | tee "$OUT/header.txt"
echo "vmalloc-lint $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo '?'), $(spatch --version | head -1), $(clang-19 --version | head -1)" | tee -a "$OUT/header.txt"

# (a) Coccinelle
# shellcheck disable=SC2086
measure spatch spatch -D report --no-includes --include-headers --very-quiet \
  -j "$JOBS" --sp-file "$COCCI" --dir $SWEEP > "$OUT/spatch.txt" 2> "$OUT/spatch.err" || true

# (b) the same question to vmalloc-lint
# shellcheck disable=SC2086
measure sweep "$LINT" --kernel-tree . -j "$JOBS" --summary \
  --checks=vmalloc-redundant-highmem --format json $SWEEP \
  > "$OUT/sweep.json" 2> "$OUT/sweep.err" || [ $? -le 1 ]

# (d) full census and pass 2
# shellcheck disable=SC2086
measure full "$LINT" --kernel-tree . -j "$JOBS" --census --progress --summary \
  --format json $FULL > "$OUT/census.json" 2> "$OUT/full.err" || [ $? -le 1 ]

# (e) the same, every function body parsed
# shellcheck disable=SC2086
measure full-bodies "$LINT" --kernel-tree . -j "$JOBS" --census --summary \
  --no-skip-bodies --format json $FULL > "$OUT/census-bodies.json" \
  2> "$OUT/full-bodies.err" || [ $? -le 1 ]

# (c) the parsing floor: the units (d) parsed, with the same flags
sed -n 's/^vmalloc-lint: \[[0-9]*\/[0-9]*\] \(.*\): \(.*\)$/\1/p' "$OUT/full.err" \
  > "$OUT/parsed-units.txt"
xargs -a "$OUT/parsed-units.txt" -d '\n' "$LINT" --kernel-tree . \
  --print-compile-commands > "$OUT/floor-commands.json"
cat > "$OUT/floor.py" <<'PY'
import json, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
cmds = json.load(open(sys.argv[1]))
def one(c):
    a = ["clang-19"] + c["arguments"][1:]
    return subprocess.run(a, cwd=c["directory"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode
with ThreadPoolExecutor(int(sys.argv[2])) as ex:
    rc = list(ex.map(one, cmds))
print("%d units, %d with errors" % (len(rc), sum(1 for r in rc if r)))
PY
measure floor python3 "$OUT/floor.py" "$OUT/floor-commands.json" "$JOBS" > "$OUT/floor.txt"

python3 - "$OUT" <<'PY'
import json, os, re, sys
out = sys.argv[1]
def t(name):
    w, u, s, m = open(os.path.join(out, name + ".time")).read().split()[-4:]
    return float(w), float(u) + float(s), int(m) / 1024.0
spatch = set()
for l in open(os.path.join(out, "spatch.txt")):
    m = re.match(r"^(?:\./)?([^:]+):(\d+):\d+-\d+: WARNING", l)
    if m:
        spatch.add((m.group(1), int(m.group(2))))
sweep = json.load(open(os.path.join(out, "sweep.json")))
tool = {(f["file"], f["line"]) for f in sweep["findings"]
        if f["check"] == "vmalloc-redundant-highmem"}
census = json.load(open(os.path.join(out, "census.json")))
units = sum(1 for _ in open(os.path.join(out, "parsed-units.txt")))
floor = open(os.path.join(out, "floor.txt")).read().strip()
rows = [("(a) spatch redundant-highmem", "spatch", "%d sites" % len(spatch)),
        ("(b) vmalloc-lint redundant-highmem", "sweep", "%d findings" % len(tool)),
        ("(c) clang-19 -fsyntax-only floor", "floor", floor),
        ("(d) vmalloc-lint census + pass 2", "full", "%d sites, %d findings, %d units"
         % (census["summary"]["sites"], census["summary"]["findings"], units))]
bodies = json.load(open(os.path.join(out, "census-bodies.json")))
rows.append(("(e) (d), every body parsed", "full-bodies", "%d sites, %d findings%s"
             % (bodies["summary"]["sites"], bodies["summary"]["findings"],
                "" if bodies["sites"] == census["sites"] and
                bodies["summary"] == census["summary"]
                else " (DIFFERENT from (d))")))
print("%-36s %9s %9s %9s  %s" % ("run", "wall s", "CPU s", "RSS MB", "result"))
for name, key, res in rows:
    w, c, m = t(key)
    print("%-36s %9.1f %9.1f %9.0f  %s" % (name, w, c, m, res))
def ratio(a, b, i):
    return t(a)[i] / t(b)[i] if t(b)[i] else float("inf")
print("ratio (b)/(a) tool/spatch:        wall %.2f, CPU %.2f" % (ratio("sweep", "spatch", 0), ratio("sweep", "spatch", 1)))
print("ratio (d)/(c) tool/parsing floor: wall %.2f, CPU %.2f" % (ratio("full", "floor", 0), ratio("full", "floor", 1)))
print("ratio (e)/(c) every body/floor:   wall %.2f, CPU %.2f" % (ratio("full-bodies", "floor", 0), ratio("full-bodies", "floor", 1)))
for l in open(os.path.join(out, "full.err")):
    m = re.match(r"^  function bodies (parsed|skipped) +(\d+)", l)
    if m:
        print("full: function bodies %s: %s" % (m.group(1), m.group(2)))
missed = sorted(spatch - tool)
print("spatch sites vmalloc-lint does not report: %d%s" % (len(missed), "".join("\n  %s:%d" % m for m in missed[:20])))
print("tool findings spatch does not report: %d" % len(tool - spatch))
for l in open(os.path.join(out, "sweep.err")):
    if "cannot contain a call of interest" in l and l.startswith("vmalloc-lint: "):
        print("sweep: " + l.strip()[len("vmalloc-lint: "):])
for l in open(os.path.join(out, "full.err")):
    if "cannot contain a call of interest" in l and l.startswith("vmalloc-lint: ") \
            and not l.startswith("vmalloc-lint: ["):
        print("full: " + l.strip()[len("vmalloc-lint: "):])
print("raw outputs: " + out)
PY
