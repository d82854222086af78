#!/usr/bin/env bash
# Configures and builds vmalloc-lint, its unit tests and test tools in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
