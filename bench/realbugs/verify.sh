#!/bin/bash
# Check that every bugs.tsv / lookalikes.tsv row's `code` is really at
# tree:file:line (the code column is the statement starting at that line,
# each source line stripped of surrounding blanks, lines joined with " ⏎ ").
#   bench/realbugs/verify.sh        (TREE_ROOT, LINUX_SOURCE_61 as in score.sh)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
python3 - "$HERE" "${TREE_ROOT:-/var/tmp/vmalloc-lint/trees}" "${LINUX_SOURCE_61:-/var/tmp/vmalloc-lint/linux-source-6.1}" <<'PY'
import csv, os, sys
here, root, src61 = sys.argv[1:4]
bad = n = 0
for name in ('bugs.tsv', 'lookalikes.tsv'):
    for r in csv.DictReader(open(os.path.join(here, name), newline=''), delimiter='\t', quoting=csv.QUOTE_NONE):
        n += 1
        p = src61 if r['tree'] == 'linux-source-6.1' else os.path.join(root, r['tree'])
        try:
            src = open(os.path.join(p, r['file']), errors='replace').read().split('\n')
        except OSError as e:
            print('MISSING %s %s: %s' % (r['id'], r['file'], e)); bad += 1; continue
        want = r['code'].split(' \u23ce ')
        L = int(r['line'])
        got = [s.strip() for s in src[L - 1:L - 1 + len(want)]]
        if got != want:
            bad += 1
            print('MISMATCH %s %s %s:%d\n  want: %s\n  have: %s' % (r['id'], r['tree'], r['file'], L, want, got))
print('%d rows checked, %d mismatches' % (n, bad))
sys.exit(1 if bad else 0)
PY
