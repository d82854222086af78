#!/usr/bin/env bash
# The README's first command: install the dependencies, build, and run
# vmalloc-lint on the bundled corpus, showing the findings and the fix diff.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
lint=$PWD/build/vmalloc-lint
for tree in linux-6.1 linux-4.9; do
  echo
  echo "=== vmalloc-lint corpus/$tree: findings ==="
  (cd corpus/$tree && "$lint" . ) || true
  echo
  echo "=== vmalloc-lint --diff corpus/$tree: the patch (git apply at the tree root) ==="
  (cd corpus/$tree && "$lint" --quiet --diff . ) || true
done
