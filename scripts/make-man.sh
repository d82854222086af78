#!/usr/bin/env bash
# docs/vmalloc-lint.1, the man page vmalloc-lint(1), made by Debian's
# help2man from `vmalloc-lint --help` and --version, plus
# docs/vmalloc-lint.h2m (description, exit status, files, see also).
# Usage: scripts/make-man.sh BUILT_BINARY [OUTPUT]   (default: docs/vmalloc-lint.1)
# ctest's docs.man-page regenerates it and fails when the committed page
# differs (the date line aside): run this after changing an option.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bin=$1
out=${2:-$src/docs/vmalloc-lint.1}
# A fixed date: the page changes only when the options do.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600} \
  help2man --no-info --section=1 --source="vmalloc-lint" \
  --manual="User Commands" \
  --name="find and fix vmalloc-family gfp and memory misuse in Linux kernel source" \
  --include="$src/docs/vmalloc-lint.h2m" --output="$out" "$bin"
