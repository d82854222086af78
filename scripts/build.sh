#!/usr/bin/env bash
# Configures and builds vmalloc-lint, its unit tests and test tools in build/.
#   scripts/build.sh fuzz   the fuzz targets instead, in build-fuzz/ (clang++-19,
#                           -DVMALLOC_LINT_FUZZ=ON: docs/fuzzing.md)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = fuzz ]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER=clang++-19 -DVMALLOC_LINT_FUZZ=ON >/dev/null
  cmake --build build-fuzz -j "$(nproc)" --target fuzz-all
  exit 0
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
