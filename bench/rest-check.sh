#!/bin/bash
# Benchmark (not a test): the units of "the rest" (compiler errors that
# neither a missing clang target nor the configuration explains) built by
# kbuild itself, with the tool as kbuild's checker (issue 12's done-when:
# "no file the configuration builds has a compiler error that kbuild's own
# flags would not give"; docs/whole-tree.md).
#
#   bench/rest-check.sh CENSUS.json TREE
#
# CENSUS.json: a `vmalloc-lint --kernel-tree TREE --census --summary
# --format json` run over TREE (a configured tree you may build in: make
# writes objects). Each unit of its summary.units.did_not_fully_compile.
# other_units goes to the view the tool compiles it in
# (--print-compile-commands: the configured tree, or another arch's view
# in the arch cache), and each view gets one make of all its units' objects:
#   make -k C=2 CHECK="LINT --cc --compiler-errors" OBJ.o ...
# (in an arch view: make -C SRC ARCH=X LLVM=-19 O=OBJ ...). kbuild compiles
# each object with its own compiler and flags, then runs the checker with
# the same flags (scripts/Makefile.build, cmd_checksrc). Per unit: "no rule"
# (kbuild does not build that object: a header, or a directory no Makefile
# of the configuration reaches), "kbuild cannot compile it" (its compiler
# failed: no checker run), "errors with kbuild's flags too" (the checker
# printed errors: clang rejects what kbuild's compiler accepts), or
# "compiles with kbuild's flags" (the errors are the synthesised flags'
# own: what the done-when forbids). Prints the counts per view and
# verdict; OUT (default a temp dir) has the make logs and per-unit
# verdicts.tsv. LINT: default build/vmalloc-lint of this repository.
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
LINT=$(readlink -f "${LINT:-$HERE/build/vmalloc-lint}")
[ $# = 2 ] || { echo "usage: $0 CENSUS.json TREE" >&2; exit 2; }
CENSUS=$(readlink -f "$1")
TREE=$(cd "$2" && pwd)
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
cd "$TREE"
python3 -c 'import json,sys
for u in json.load(open(sys.argv[1]))["summary"]["units"]["did_not_fully_compile"]["other_units"]:
    print(u["build"] + "\t" + u["file"])' "$CENSUS" > "$OUT/rest.tsv"
echo "the rest: $(wc -l < "$OUT/rest.tsv") units"
cut -f2 "$OUT/rest.tsv" | grep '\.c$' > "$OUT/rest-c.txt" || true
"$LINT" --kernel-tree . --no-cache --print-compile-commands -o "$OUT/cc.json" $(cat "$OUT/rest-c.txt") 2>/dev/null
# view of each unit: "configured" or the arch view's directory
python3 - "$OUT" "$TREE" <<'PY'
import json, os, re, sys
out, tree = sys.argv[1], sys.argv[2]
views = {}
for e in json.load(open(os.path.join(out, "cc.json"))):
    v = "configured"
    for a in e["arguments"]:
        m = re.search(r"(/[^ ]*/arch/[^/]+/([a-z0-9_]+)-[0-9A-F]+)/(src|obj)", a)
        if m:
            v = m.group(1)
            break
    views.setdefault(v, []).append(os.path.relpath(e["file"], tree))
with open(os.path.join(out, "views.tsv"), "w") as w:
    for v, fs in sorted(views.items()):
        for f in fs:
            w.write("%s\t%s\n" % (v, f))
PY
cut -f1 "$OUT/views.tsv" | sort -u | while read -r view; do
  name=$(basename "$view"); [ "$view" = configured ] && name=configured
  objs=$(awk -F'\t' -v v="$view" '$1==v{sub(/\.c$/, ".o", $2); print $2}' "$OUT/views.tsv")
  check="$LINT --cc --compiler-errors"
  if [ "$view" = configured ]; then
    # shellcheck disable=SC2086
    make -k -j1 C=2 CHECK="$check" $objs > "$OUT/make.$name.log" 2>&1 || true
  else
    arch=${name%-*}
    # shellcheck disable=SC2086
    make -k -j1 -C "$view/src" ARCH="$arch" LLVM=-19 O="$view/obj" C=2 CHECK="$check" $objs \
      > "$OUT/make.$name.log" 2>&1 || true
  fi
  echo "$view: $(echo "$objs" | wc -l) objects, make log $OUT/make.$name.log"
done
python3 - "$OUT" <<'PY'
import collections, os, re, sys
out = sys.argv[1]
build = dict(l.rstrip("\n").split("\t")[::-1] for l in open(os.path.join(out, "rest.tsv")))
view = dict(l.rstrip("\n").split("\t")[::-1] for l in open(os.path.join(out, "views.tsv")))
verdict = {}
for f in build:
    if not f.endswith(".c"):
        verdict[f] = "no rule (a header unit)"
for v in set(view.values()):
    name = "configured" if v == "configured" else os.path.basename(v)
    log = open(os.path.join(out, "make.%s.log" % name), errors="replace").read().splitlines()
    cur = None
    checked, errors, failed, norule = set(), collections.Counter(), set(), set()
    for l in log:
        m = re.match(r"\s+CHECK\s+(\S+)$", l)
        if m:
            # an arch view's make names the farm's file: SRC/arch/...
            cur = m.group(1)
            if v != "configured" and cur.startswith(v + "/src/"):
                cur = cur[len(v) + 5:]
            checked.add(cur)
            continue
        if re.match(r"\s+[A-Z]+\s+\S", l) and not l.lstrip().startswith("CHECK"):
            cur = None
        m = re.search(r"No rule to make target '([^']+)\.o'", l)
        if m:
            norule.add(m.group(1) + ".c")
        m = re.search(r"\*\*\* \[[^\]]*: (\S+)\.o\] Error", l)
        if m:
            failed.add(m.group(1) + ".c")
        if cur and " error: " in l:
            errors[cur] += 1
    for f, fv in view.items():
        if fv != v:
            continue
        rel = f
        if f in norule:
            verdict[f] = "no rule"
        elif f in failed and f not in checked:
            verdict[f] = "kbuild cannot compile it"
        elif errors[rel]:
            verdict[f] = "errors with kbuild's flags too"
        elif rel in checked:
            verdict[f] = "compiles with kbuild's flags"
        else:
            verdict[f] = "not reached by make"
for f in build:
    verdict.setdefault(f, "no command")
with open(os.path.join(out, "verdicts.tsv"), "w") as w:
    for f in sorted(build):
        v = view.get(f, "-")
        w.write("%s\t%s\t%s\t%s\n" % (build[f], "configured" if v in ("configured", "-") else os.path.basename(v).rsplit("-", 1)[0], verdict[f], f))
c = collections.Counter()
for l in open(os.path.join(out, "verdicts.tsv")):
    b, v, d, f = l.rstrip("\n").split("\t")
    c[(v, d)] += 1
for (v, d), n in sorted(c.items()):
    print("%-12s %-34s %5d" % (v, d, n))
print("per unit: %s" % os.path.join(out, "verdicts.tsv"))
PY
