#!/bin/bash
# Score a vmalloc-lint build on the real-bug benchmark (bugs.tsv, lookalikes.tsv).
#
#   bench/realbugs/score.sh LINT [OUTDIR]
#
# For each tree named in the two tables (one tree at a time, -j2), runs
#   LINT --kernel-tree TREE -j2 --format json --checks=$CHECKS FILES
# from inside TREE, FILES being the benchmark's files of that tree, keeps the
# raw output in OUTDIR (default: a new /tmp/realbugs-score.XXXXXX), and prints
# per check and in total: bugs found, bugs missed (listed), look-alike alarms
# (listed) and the recall.  Matching rule (see README.md): a finding "hits" a
# listed line L of file F when it has the right check, is in F, and its line
# or the line of one of its sink notes (notes other than "allocated ...") is
# within +-TOL of L (TOL=2 by default; TOL=0 for exact lines).
#
# Memory: each file is analysed under --memory-limit=$MEMORY_LIMIT_MB (default
# 4096; implies --isolate), because one benchmark file made today's build grow
# past 20 GB and be OOM-killed (README.md); a file over the limit is reported by
# the tool as out of memory (exit 3) and the other files keep their results.
# MEMORY_LIMIT_MB=0 runs the exact command above without the limit.
#
# Cross-file facts (CROSS_FILE=1, the default), as the whole-tree mode's two
# phases (docs/whole-tree.md) restricted to what the benchmark's files use:
# phase 1 runs --facts-out over the benchmark files of the tree and the files
# of their directories that EXPORT_SYMBOL a function they call (a driver's
# helpers in another file of its subsystem: dvb-usb-urb.c's
# dvb_usb_generic_rw(), ip_set_core.c's ip_set_alloc()); the run above then
# takes --facts-in of it. The files are listed in OUTDIR/TREE.facts-files.
# CROSS_FILE=0: one phase, per unit.
#
# Trees: $TREE_ROOT/<tree> (default /var/tmp/vmalloc-lint/trees), except
# linux-source-6.1: $LINUX_SOURCE_61 (default /var/tmp/vmalloc-lint/linux-source-6.1).
set -u
if [ $# -lt 1 ]; then
	echo "usage: $0 LINT [OUTDIR]" >&2
	exit 2
fi
LINT=$1
case "$LINT" in /*) ;; *) LINT="$(pwd)/$LINT" ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${2:-$(mktemp -d /tmp/realbugs-score.XXXXXX)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TREE_ROOT=${TREE_ROOT:-/var/tmp/vmalloc-lint/trees}
LINUX_SOURCE_61=${LINUX_SOURCE_61:-/var/tmp/vmalloc-lint/linux-source-6.1}
TOL=${TOL:-2}
MEMORY_LIMIT_MB=${MEMORY_LIMIT_MB:-4096}
CROSS_FILE=${CROSS_FILE:-1}
MIN_CONFIDENCE=${MIN_CONFIDENCE:-}
MEM=()
[ "$MEMORY_LIMIT_MB" != 0 ] && MEM=(--memory-limit="$MEMORY_LIMIT_MB")
[ -n "$MIN_CONFIDENCE" ] && MEM+=(--min-confidence="$MIN_CONFIDENCE")
CHECKS='-*,vmalloc-virt-to-phys,vmalloc-dma-map,vmalloc-dma32-device,vmalloc-free-mismatch,vmalloc-stack-dma'

tree_path() {
	if [ "$1" = linux-source-6.1 ]; then echo "$LINUX_SOURCE_61"; else echo "$TREE_ROOT/$1"; fi
}

trees=$(awk -F'\t' 'FNR > 1 { print $2 }' "$HERE/bugs.tsv" "$HERE/lookalikes.tsv" | sort -u)
for t in $trees; do
	p=$(tree_path "$t")
	if [ ! -f "$p/Makefile" ]; then
		echo "tree $t: $p missing (see trees.tsv)" >&2
		echo 127 > "$OUT/$t.rc"
		continue
	fi
	files=$(awk -F'\t' -v t="$t" 'FNR > 1 && $2 == t { print $3 }' "$HERE/bugs.tsv" "$HERE/lookalikes.tsv" | sort -u)
	FACTS=()
	if [ "$CROSS_FILE" != 0 ]; then
		defs=$(cd "$p" && for f in $files; do
			names=$(grep -oE '\b[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(' "$f" |
				sed -E 's/[[:space:]]*\($//' | sort -u | paste -sd'|')
			[ -n "$names" ] && grep -lE "EXPORT_SYMBOL(_GPL)?\((${names})\)" "$(dirname "$f")"/*.c
		done | sort -u | grep -vxF -f <(printf '%s\n' $files))
		echo "$defs" | sed '/^$/d' > "$OUT/$t.facts-files"
		# shellcheck disable=SC2086
		(cd "$p" && "$LINT" --kernel-tree "$p" -j2 "${MEM[@]}" --format json --checks="$CHECKS" \
			--facts-out "$OUT/$t.facts" $files $defs > "$OUT/$t.phase1.json" 2> "$OUT/$t.phase1.stderr")
		echo $? > "$OUT/$t.phase1.rc"
		[ -s "$OUT/$t.facts" ] && FACTS=(--facts-in "$OUT/$t.facts")
	fi
	# shellcheck disable=SC2086
	(cd "$p" && "$LINT" --kernel-tree "$p" -j2 "${MEM[@]}" "${FACTS[@]}" --format json --checks="$CHECKS" $files \
		> "$OUT/$t.json" 2> "$OUT/$t.stderr")
	echo $? > "$OUT/$t.rc"
done

if [ "$CROSS_FILE" != 0 ]; then
	echo "phase 1: $LINT --kernel-tree TREE -j2 ${MEM[*]} --format json --checks='$CHECKS' --facts-out OUT/TREE.facts FILES DEFINING-FILES"
	echo "phase 2: $LINT --kernel-tree TREE -j2 ${MEM[*]} --facts-in OUT/TREE.facts --format json --checks='$CHECKS' FILES   (raw output: $OUT)"
else
	echo "command: $LINT --kernel-tree TREE -j2 ${MEM[*]} --format json --checks='$CHECKS' FILES   (raw output: $OUT)"
fi
python3 - "$HERE" "$OUT" "$TOL" "$TREE_ROOT" "$LINUX_SOURCE_61" <<'PY'
import csv, json, os, sys
here, out, tol, tree_root, src61 = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
CHECKS = ['vmalloc-virt-to-phys', 'vmalloc-dma-map', 'vmalloc-dma32-device',
          'vmalloc-free-mismatch', 'vmalloc-stack-dma']

def rows(name):
    with open(os.path.join(here, name), newline='') as f:
        return list(csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE))

bugs, looks = rows('bugs.tsv'), rows('lookalikes.tsv')

def tpath(t):
    return src61 if t == 'linux-source-6.1' else os.path.join(tree_root, t)

def norm(t, f):
    p = tpath(t).rstrip('/') + '/'
    f = os.path.normpath(f) if f else ''
    return f[len(p):] if f.startswith(p) else f

findings, status = {}, {}
for t in sorted({r['tree'] for r in bugs + looks}):
    rc = open(os.path.join(out, t + '.rc')).read().strip()
    err = ''
    if os.path.exists(os.path.join(out, t + '.stderr')):
        err = open(os.path.join(out, t + '.stderr'), errors='replace').read().strip()
    fs = []
    try:
        data = json.load(open(os.path.join(out, t + '.json')))
        fs = data.get('findings', []) if isinstance(data, dict) else data
    except Exception as e:
        err = (err + '\n' if err else '') + 'no JSON: %s' % e
    findings[t] = fs
    status[t] = (rc, err)

def lines_of(t, fd):
    """(line, kind) pairs a finding points at: its own line and its sink notes."""
    r = [(fd.get('line'), 'finding')]
    for n in fd.get('notes', []) or []:
        if 'allocated' in n.get('message', ''):
            continue
        if norm(t, n.get('file', '')) == norm(t, fd.get('file', '')):
            r.append((n.get('line'), 'note'))
    return r

def hits(row, check, use_notes=True):
    t, f, L = row['tree'], row['file'], int(row['line'])
    # The listed statement's own lines (its code column joins them with
    # ' ⏎ '): a finding at its buffer argument is inside it.
    last = L + row.get('code', '').count(' ⏎ ')
    res = []
    for fd in findings.get(t, []):
        if fd.get('check') != check or norm(t, fd.get('file', '')) != f:
            continue
        for ln, kind in lines_of(t, fd) if use_notes else [(fd.get('line'), 'finding')]:
            if ln is not None and L - tol <= ln <= last + tol:
                res.append((fd, ln, kind))
                break
    return res

print('\ntrees:')
for t in sorted(status):
    rc, err = status[t]
    print('  %-17s exit %s, %d findings' % (t, rc, len(findings[t])))
    shown = set()
    for l in err.splitlines():
        if (l.startswith('vmalloc-lint:') or rc not in ('0', '1')) and l not in shown:
            shown.add(l)
            print('      ' + l)

per = {c: {'bugs': 0, 'found': 0, 'missed': [], 'looks': 0, 'alarms': []} for c in CHECKS}
detail = []
for b in bugs:
    c = per[b['check']]
    c['bugs'] += 1
    h = hits(b, b['check'])
    if h:
        c['found'] += 1
        fd, ln, kind = h[0]
        detail.append('  found  %s %s %s:%s (%s at line %s)' % (b['id'], b['check'], b['file'], b['line'], kind, ln))
    else:
        c['missed'].append(b)
for l in looks:
    c = per[l['check_that_must_stay_silent']]
    c['looks'] += 1
    h = hits(l, l['check_that_must_stay_silent'])
    if h:
        c['alarms'].append((l, h))

print('\nmatching: right check, same file, finding line or sink-note line within the listed statement\'s lines, +-%d\n' % tol)
print('%-22s %5s %6s %7s %7s %11s %7s' % ('check', 'bugs', 'found', 'missed', 'recall', 'look-alikes', 'alarms'))
tot = {'bugs': 0, 'found': 0, 'looks': 0, 'alarms': 0}
for c in CHECKS:
    p = per[c]
    rec = ('%.0f%%' % (100.0 * p['found'] / p['bugs'])) if p['bugs'] else '-'
    print('%-22s %5d %6d %7d %7s %11d %7d' % (c, p['bugs'], p['found'], len(p['missed']), rec, p['looks'], len(p['alarms'])))
    tot['bugs'] += p['bugs']; tot['found'] += p['found']; tot['looks'] += p['looks']; tot['alarms'] += len(p['alarms'])
print('%-22s %5d %6d %7d %7s %11d %7d' % ('total', tot['bugs'], tot['found'], tot['bugs'] - tot['found'],
      ('%.0f%%' % (100.0 * tot['found'] / tot['bugs'])) if tot['bugs'] else '-', tot['looks'], tot['alarms']))

print('\nbugs found:')
print('\n'.join(detail) if detail else '  (none)')
print('\nbugs missed:')
any_m = False
for c in CHECKS:
    for b in per[c]['missed']:
        any_m = True
        print('  %s %s %s %s:%s  sink: %s' % (b['id'], c, b['tree'], b['file'], b['line'], b['sink']))
if not any_m:
    print('  (none)')
print('\nlook-alike alarms:')
any_a = False
for c in CHECKS:
    for l, h in per[c]['alarms']:
        any_a = True
        fd, ln, kind = h[0]
        print('  %s %s %s %s:%s  <- %s at line %s: %s' % (l['id'], c, l['tree'], l['file'], l['line'],
              kind, ln, fd.get('message', '')))
if not any_a:
    print('  (none)')
PY
