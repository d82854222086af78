#!/usr/bin/env bash
# The CI gate in one command (docs/ci-gate.md): runs vmalloc-lint on a git
# range of the repository in the current directory and writes, in OUTDIR
# (default: .), the reports CI systems read:
#   vmalloc-lint.sarif            SARIF 2.1.0 (GitHub code scanning)
#   vmalloc-lint.json             the JSON result (a later run's --baseline)
#   gl-code-quality-report.json   GitLab Code Quality (artifacts:reports)
# and prints the findings checkpatch-style, plus ::warning annotations when
# run by GitHub Actions. Exits with the gate's status: 0 clean, 1 findings,
# 2 bad input (unknown revision, ...).
#
#   ci-gate.sh BEFORE AFTER [OUTDIR]
# BEFORE may be empty or all zeros (a new branch, a first push): then the
# range is AFTER's first parent..AFTER. Set VMALLOC_LINT to the binary and
# VMALLOC_LINT_ARGS to extra options (e.g. "--kernel-tree . --baseline
# main.json").
set -uo pipefail
before=${1:-}
after=${2:?usage: ci-gate.sh BEFORE AFTER [OUTDIR]}
out=${3:-.}
lint=${VMALLOC_LINT:-vmalloc-lint}
read -r -a extra <<<"${VMALLOC_LINT_ARGS:-}"

if [[ -z "$before" || "$before" =~ ^0+$ ]] ||
  ! git cat-file -e "$before^{commit}" 2>/dev/null; then
  before="$after~1"
fi
range="$before..$after"
mkdir -p "$out"
echo "vmalloc-lint gate on $range" >&2

"$lint" --git-range "$range" "${extra[@]}" --format json --quiet \
  >"$out/vmalloc-lint.json"
status=$?
if [ "$status" -ge 2 ]; then
  # The reason is on stderr already; no report is left half-written.
  rm -f "$out/vmalloc-lint.json"
  exit "$status"
fi
"$lint" --git-range "$range" "${extra[@]}" --format sarif --quiet \
  >"$out/vmalloc-lint.sarif"
"$lint" --git-range "$range" "${extra[@]}" --format checkpatch
if [ "${GITHUB_ACTIONS:-}" = true ]; then
  "$lint" --git-range "$range" "${extra[@]}" --format github --quiet
fi
# GitLab Code Quality (Code Climate JSON): one issue per finding.
python3 - "$out/vmalloc-lint.json" >"$out/gl-code-quality-report.json" <<'EOF'
import hashlib, json, sys
issues, seen = [], {}
for f in json.load(open(sys.argv[1]))["findings"]:
    key = "\0".join((f["check"], f["file"], f["fingerprint"]["code"],
                     f["fingerprint"]["context"]))
    seen[key] = seen.get(key, 0) + 1  # identical lines stay distinct
    key += "\0%d" % seen[key]
    issues.append({
        "type": "issue",
        "check_name": f["check"],
        "description": f["message"],
        "categories": ["Bug Risk"],
        "severity": "major",
        "fingerprint": hashlib.md5(key.encode()).hexdigest(),
        "location": {"path": f["file"], "lines": {"begin": f["line"]}},
    })
json.dump(issues, sys.stdout, indent=2)
EOF
exit "$status"
