#!/usr/bin/env bash
# docs/vmalloc-lint.1 is what scripts/make-man.sh (help2man) makes of the
# built binary's --help now: an option added to --help and not to the man
# page fails here. Then man(1) renders it and it names every option.
set -euo pipefail
lint=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash "$src/scripts/make-man.sh" "$lint" "$tmp/vmalloc-lint.1"
if ! diff -u "$src/docs/vmalloc-lint.1" "$tmp/vmalloc-lint.1"; then
  echo "FAIL: docs/vmalloc-lint.1 is out of date: scripts/make-man.sh $lint"
  exit 1
fi
for opt in --kernel-tree --checks --format --diff --fix --output --color --warn-unused-nolint; do
  grep -q -- "${opt//-/\\\\-}" "$src/docs/vmalloc-lint.1" || { echo "FAIL: $opt not in the man page"; exit 1; }
done
grep -q '^\.SH "EXIT STATUS"\|Exit status' "$src/docs/vmalloc-lint.1" || { echo "FAIL: no exit status"; exit 1; }
echo "docs/vmalloc-lint.1 matches --help"
