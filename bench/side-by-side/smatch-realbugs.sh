#!/bin/bash
# Smatch's check_dma_on_stack on the real-bug benchmark's vmalloc-stack-dma
# rows (bugs and look-alikes), as docs/side-by-side.md reports it.
#
#   bench/side-by-side/smatch-realbugs.sh LINT SMATCH [OUTDIR]
#
# LINT gives each tree's compile flags (--print-compile-commands); SMATCH is
# a built smatch binary (github:error27/smatch, `make smatch`). Prints the
# bugs found (a report within 2 lines of the row's line) and the look-alike
# alarms.
set -u
LINT=$(readlink -f "$1"); SMATCH=$(readlink -f "$2")
HERE=$(cd "$(dirname "$0")" && pwd); W=$HERE/../realbugs
OUT=${3:-$(mktemp -d /tmp/smatch-realbugs.XXXXXX)}; mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
TREE_ROOT=${TREE_ROOT:-/var/tmp/vmalloc-lint/trees}
LINUX_SOURCE_61=${LINUX_SOURCE_61:-/var/tmp/vmalloc-lint/linux-source-6.1}
for t in $(awk -F'\t' 'FNR>1 && $5=="vmalloc-stack-dma" {print $2}' "$W/bugs.tsv" "$W/lookalikes.tsv" | sort -u); do
  p=$TREE_ROOT/$t; [ "$t" = linux-source-6.1 ] && p=$LINUX_SOURCE_61
  files=$(awk -F'\t' -v t="$t" 'FNR>1 && $2==t && $5=="vmalloc-stack-dma" {print $3}' "$W/bugs.tsv" "$W/lookalikes.tsv" | sort -u)
  # shellcheck disable=SC2086
  (cd "$p" && "$LINT" --kernel-tree . --print-compile-commands -o "$OUT/$t.cc.json" $files) 2>/dev/null
  python3 "$HERE/run-smatch.py" "$OUT/$t.cc.json" "$SMATCH" > "$OUT/$t.txt" 2> "$OUT/$t.err"
done
python3 - "$W" "$OUT" "$TREE_ROOT" "$LINUX_SOURCE_61" <<'PY'
import csv, glob, os, re, sys
W, out, root, src61 = sys.argv[1:5]
def rows(n):
    return list(csv.DictReader(open(os.path.join(W, n)), delimiter='\t', quoting=csv.QUOTE_NONE))
def tree(t):
    return (src61 if t == 'linux-source-6.1' else os.path.join(root, t)).rstrip('/') + '/'
hits, total = {}, 0
for f in glob.glob(os.path.join(out, '*.txt')):
    t = os.path.basename(f)[:-4]
    for l in open(f):
        m = re.match(r'(\S+?):(\d+) ', l)
        if m:
            total += 1
            hits.setdefault(t, []).append((m.group(1).replace(tree(t), ''), int(m.group(2))))
def found(r):
    return any(f == r['file'] and abs(l - int(r['line'])) <= 2 for f, l in hits.get(r['tree'], []))
bugs = [r for r in rows('bugs.tsv') if r['check'] == 'vmalloc-stack-dma']
looks = [r for r in rows('lookalikes.tsv') if r['check_that_must_stay_silent'] == 'vmalloc-stack-dma']
print('smatch check_dma_on_stack: %d/%d stack-dma bugs found; missed: %s' %
      (sum(map(found, bugs)), len(bugs), ' '.join(r['id'] for r in bugs if not found(r))))
print('look-alike alarms: %d/%d %s' % (sum(map(found, looks)), len(looks),
      ' '.join(r['id'] for r in looks if found(r))))
print('reports in those files: %d (raw: %s)' % (total, out))
PY
