#!/bin/bash
# Benchmark (not a test): vmalloc-lint against Coccinelle and the parsing
# floor on one machine, in one run.
#
#   bench/whole-tree.sh [-j N] [--full PATHS] [--rounds N] [--touch HEADER]
#                       [--skip-floor] TREE [SWEEP_PATHS...]
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
#  (b') (b) again with the results cache (b) filled: nothing parsed (and
#      the prefilter's plan reused: no file of the tree read)
#  (s) the prefilter's scan alone (--prefilter-plan, no cache) and (g)
#      grep -rlw --include='*.[ch]' with the scan's keywords over the same
#      paths: the scan's cost against the textual floor
#  (d') (d) again with its cache: nothing parsed
#  (d'') with --touch HEADER (a tree you may write to: a copy): a comment
#      appended to HEADER (removed at the end), then (d) with (d)'s cache:
#      only the units whose parse read HEADER are analysed again
#  (b) and (d) run with an empty cache of their own (docs/cache.md), (e)
#  with --no-cache. --rounds N: (a), (b), (b'), (s), (g), (d') and (d'')
#  N times, interleaved, medians reported ((d) once: it is the slow one).
#  --skip-floor: no (c) and (e).
# Each is timed by GNU time (wall, user+sys CPU, peak RSS of the process or
# its largest child). Prints a table, the ratios (b)/(a) and (d)/(c), and the
# findings of (a) and (b) compared site by site.
# Environment: LINT (default: build/vmalloc-lint next to this script's
# repository), OUT (directory for the raw outputs; default: a temp dir),
# LINT_ARGS (more options for every vmalloc-lint run, e.g. "--kernel-version
# 4.12" on a pre-4.12 tree, where an explicit __GFP_HIGHMEM is no finding).
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
LINT=${LINT:-$HERE/build/vmalloc-lint}
JOBS=$(nproc)
FULL=""
ROUNDS=1
TOUCH=""
SKIP_FLOOR=""
while [ $# -gt 0 ]; do
  case $1 in
    -j) JOBS=$2; shift 2 ;;
    --full) FULL=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --touch) TOUCH=$2; shift 2 ;;
    --skip-floor) SKIP_FLOOR=1; shift ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: $0 [-j N] [--full PATHS] [--rounds N] [--touch HEADER] [--skip-floor] TREE [SWEEP_PATHS...]" >&2; exit 2; }
TREE=$(cd "$1" && pwd); shift
SWEEP=${*:-.}
FULL=${FULL:-$SWEEP}
LINT=$(readlink -f "$LINT")
LINT_ARGS=${LINT_ARGS:-}
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
echo "vmalloc-lint $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo '?')${LINT_ARGS:+ ($LINT_ARGS)}, $(spatch --version | head -1), $(clang-19 --version | head -1)" | tee -a "$OUT/header.txt"

# (a) Coccinelle, (b) the same question to vmalloc-lint, cold (an empty
# cache), (b') warm, (s) the prefilter's scan alone (--prefilter-plan: the
# plan written, nothing parsed, no cache) and (g) grep -rlw over the same
# paths with the scan's keywords (the closed set it looked for, from the
# plan), interleaved over the rounds
spatch_run() { # name
  # shellcheck disable=SC2086
  measure "$1" spatch -D report --no-includes --include-headers --very-quiet \
    -j "$JOBS" --sp-file "$COCCI" --dir $SWEEP > "$OUT/$1.txt" 2> "$OUT/$1.err" || true
}
sweep() { # name
  # shellcheck disable=SC2086
  measure "$1" "$LINT" --kernel-tree . $LINT_ARGS -j "$JOBS" --summary --cache-stats \
    --cache "$OUT/cache-sweep" --checks=vmalloc-redundant-highmem \
    --format json $SWEEP > "$OUT/$1.json" 2> "$OUT/$1.err" || [ $? -le 1 ]
}
scan() { # name
  # shellcheck disable=SC2086
  measure "$1" "$LINT" --kernel-tree . $LINT_ARGS -j "$JOBS" --no-cache \
    --checks=vmalloc-redundant-highmem --prefilter-plan "$OUT/$1.plan" \
    $SWEEP 2> "$OUT/$1.err"
}
grep_run() { # name
  # shellcheck disable=SC2086
  measure "$1" grep -rlw --include='*.[ch]' -F -f "$OUT/keywords.txt" $SWEEP \
    > "$OUT/$1.txt" 2> "$OUT/$1.err" || [ $? -le 1 ]
}
for r in $(seq "$ROUNDS"); do
  spatch_run "spatch.$r"
  rm -rf "$OUT/cache-sweep"
  sweep "sweep.$r"
  sweep "sweep-warm.$r"
  scan "scan.$r"
  sed -n 's/^keyword //p' "$OUT/scan.$r.plan" > "$OUT/keywords.txt"
  grep_run "grep.$r"
done
cp "$OUT/spatch.1.txt" "$OUT/spatch.txt"
cp "$OUT/sweep.1.json" "$OUT/sweep.json"
cp "$OUT/sweep.1.err" "$OUT/sweep.err"

# (d) full census and pass 2, cold (an empty cache)
full() { # name [--progress]
  local name=$1; shift
  # shellcheck disable=SC2086
  measure "$name" "$LINT" --kernel-tree . $LINT_ARGS -j "$JOBS" --census --summary \
    --cache-stats --cache "$OUT/cache-full" "$@" --format json $FULL \
    > "$OUT/$name.json" 2> "$OUT/$name.err" || [ $? -le 1 ]
}
rm -rf "$OUT/cache-full"
full full --progress
cp "$OUT/full.json" "$OUT/census.json"

# (d') warm and (d'') one header changed, interleaved over the rounds
if [ -n "$TOUCH" ]; then
  cp -p "$TOUCH" "$OUT/touched.orig"
  trap 'cp -p "$OUT/touched.orig" "$TOUCH"' EXIT
  # The units (d) parsed that read it: what (d'') must analyse again.
fi
for r in $(seq "$ROUNDS"); do
  full "full-warm.$r"
  if [ -n "$TOUCH" ]; then
    printf '\n/* bench/whole-tree.sh round %s */\n' "$r" >> "$TOUCH"
    full "full-touch.$r"
  fi
done
if [ -n "$TOUCH" ]; then
  cp -p "$OUT/touched.orig" "$TOUCH"
  trap - EXIT
fi

# (e) the same, every function body parsed
if [ -z "$SKIP_FLOOR" ]; then
# shellcheck disable=SC2086
measure full-bodies "$LINT" --kernel-tree . $LINT_ARGS -j "$JOBS" --census --summary \
  --no-cache --no-skip-bodies --format json $FULL > "$OUT/census-bodies.json" \
  2> "$OUT/full-bodies.err" || [ $? -le 1 ]
fi

# (c) the parsing floor: the units (d) parsed, with the same flags
[ -n "$SKIP_FLOOR" ] || {
sed -n 's/^vmalloc-lint: \[[0-9]*\/[0-9]*\] \(.*\): \(.*\)$/\1/p' "$OUT/full.err" \
  > "$OUT/parsed-units.txt"
xargs -a "$OUT/parsed-units.txt" -d '\n' "$LINT" --kernel-tree . $LINT_ARGS \
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
}

python3 - "$OUT" <<'PY'
import glob, json, os, re, statistics, sys
out = sys.argv[1]
def t1(name):
    w, u, s, m = open(os.path.join(out, name + ".time")).read().split()[-4:]
    return float(w), float(u) + float(s), int(m) / 1024.0
def runs(key):
    if os.path.exists(os.path.join(out, key + ".time")):
        return [key]
    return sorted(os.path.basename(p)[:-5]
                  for p in glob.glob(os.path.join(out, key + ".[0-9]*.time")))
def t(key):
    # The median of the rounds (wall, CPU, RSS each).
    rs = [t1(n) for n in runs(key)]
    return tuple(statistics.median(r[i] for r in rs) for i in range(3))
def have(key):
    return bool(runs(key))
def cache(name):
    for l in open(os.path.join(out, name + ".err")):
        m = re.match(r"^vmalloc-lint: cache [^:]*: (\d+) hits, (\d+) misses", l)
        if m:
            return "%s hits, %s misses" % m.groups()
    return "no cache line"
spatch = set()
for l in open(os.path.join(out, "spatch.txt")):
    m = re.match(r"^(?:\./)?([^:]+):(\d+):\d+-\d+: WARNING", l)
    if m:
        spatch.add((m.group(1), int(m.group(2))))
sweep = json.load(open(os.path.join(out, "sweep.json")))
tool = {(f["file"], f["line"]) for f in sweep["findings"]
        if f["check"] == "vmalloc-redundant-highmem"}
census = json.load(open(os.path.join(out, "census.json")))
def same(key, ref):
    want = open(os.path.join(out, ref)).read()
    bad = [n for n in runs(key)
           if open(os.path.join(out, n + ".json")).read() != want]
    return "identical to cold" if not bad else "DIFFERENT from cold: %s" % bad
def plan_kept(name):
    return sum(1 for l in open(os.path.join(out, name + ".plan"))
               if l.startswith("keep "))
rows = [("(a) spatch redundant-highmem", "spatch", "%d sites" % len(spatch)),
        ("(b) vmalloc-lint redundant-highmem", "sweep", "%d findings" % len(tool)),
        ("(b') (b) warm", "sweep-warm", "%s; %s" % (
            cache(runs("sweep-warm")[0]), same("sweep-warm", "sweep.json"))),
        ("(s) prefilter scan alone", "scan", "%d units kept, %d keywords" % (
            plan_kept(runs("scan")[0]),
            sum(1 for _ in open(os.path.join(out, "keywords.txt"))))),
        ("(g) grep -rlw, the same keywords", "grep", "%d files" % sum(
            1 for _ in open(os.path.join(out, runs("grep")[0] + ".txt"))))]
if os.path.exists(os.path.join(out, "floor.txt")):
    units = sum(1 for _ in open(os.path.join(out, "parsed-units.txt")))
    rows.append(("(c) clang-19 -fsyntax-only floor", "floor",
                 open(os.path.join(out, "floor.txt")).read().strip()))
    rows.append(("(d) vmalloc-lint census + pass 2", "full",
                 "%d sites, %d findings, %d units"
                 % (census["summary"]["sites"], census["summary"]["findings"], units)))
else:
    rows.append(("(d) vmalloc-lint census + pass 2", "full", "%d sites, %d findings"
                 % (census["summary"]["sites"], census["summary"]["findings"])))
rows.append(("(d') (d) warm", "full-warm", "%s; %s" % (
    cache(runs("full-warm")[0]), same("full-warm", "census.json"))))
if have("full-touch"):
    rows.append(("(d'') (d), one header changed", "full-touch", "%s; %s" % (
        cache(runs("full-touch")[0]), same("full-touch", "census.json"))))
if os.path.exists(os.path.join(out, "census-bodies.json")):
    bodies = json.load(open(os.path.join(out, "census-bodies.json")))
    rows.append(("(e) (d), every body parsed", "full-bodies", "%d sites, %d findings%s"
                 % (bodies["summary"]["sites"], bodies["summary"]["findings"],
                    "" if bodies["sites"] == census["sites"] and
                    bodies["summary"] == census["summary"]
                    else " (DIFFERENT from (d))")))
print("%-36s %9s %9s %9s  %s" % ("run", "wall s", "CPU s", "RSS MB", "result"))
for name, key, res in rows:
    w, c, m = t(key)
    n = len(runs(key))
    print("%-36s %9.1f %9.1f %9.0f  %s%s" % (name, w, c, m, res,
                                           " (median of %d)" % n if n > 1 else ""))
def ratio(a, b, i):
    return t(a)[i] / t(b)[i] if t(b)[i] else float("inf")
print("ratio (b)/(a) tool/spatch:        wall %.2f, CPU %.2f" % (ratio("sweep", "spatch", 0), ratio("sweep", "spatch", 1)))
print("ratio (b')/(b) sweep warm/cold:   wall %.3f, CPU %.3f" % (ratio("sweep-warm", "sweep", 0), ratio("sweep-warm", "sweep", 1)))
print("ratio (s)/(g) scan/grep:          wall %.2f, CPU %.2f" % (ratio("scan", "grep", 0), ratio("scan", "grep", 1)))
if have("floor"):
    print("ratio (d)/(c) tool/parsing floor: wall %.2f, CPU %.2f" % (ratio("full", "floor", 0), ratio("full", "floor", 1)))
print("ratio (d')/(d) full warm/cold:    wall %.3f, CPU %.3f" % (ratio("full-warm", "full", 0), ratio("full-warm", "full", 1)))
if have("full-touch"):
    print("ratio (d'')/(d) header/cold:      wall %.3f, CPU %.3f" % (ratio("full-touch", "full", 0), ratio("full-touch", "full", 1)))
if have("full-bodies") and have("floor"):
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
