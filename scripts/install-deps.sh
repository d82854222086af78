#!/usr/bin/env bash
# Installs what vmalloc-lint needs to build, test and run on Debian 12 (as
# root): Clang/LLVM 19 (with libclang-rt-19-dev, the ASan, UBSan and
# libFuzzer runtimes of the fuzz and sanitizer builds), GoogleTest, strace
# (the fault tests inject signals with it), the kernel source used by the real-tree
# test, what `make defconfig && make prepare` needs, and Microsoft's SARIF
# validator for the gate tests (npm @microsoft/sarif-multitool, into
# /var/tmp/vmalloc-lint/npm or $VMALLOC_LINT_NPM_DIR), help2man (the man page
# test), dpkg-dev (the .deb: cpack -G DEB, dpkg-shlibdeps), lld-19 and llvm-19
# (other arches' kbuild views: make LLVM=-19), neovim (the --lsp test),
# linux-headers-amd64 (out-of-tree modules against a headers-only tree),
# pkg-config and libvectorscan-dev (the prefilter's keyword scan),
# python3-yaml (the CI examples' test reads their YAML). Does
# nothing when
# everything is already installed.
set -euo pipefail
pkgs=(
  cmake ninja-build g++ ccache python3 git make xz-utils
  libclang-19-dev llvm-19-dev clang-19 clang-tidy-19 clang-tools-19
  libclang-rt-19-dev
  libgtest-dev
  linux-source-6.1 flex bison bc libelf-dev libssl-dev
  libicu72
  help2man dpkg-dev file strace
  lld-19 llvm-19 neovim
  linux-headers-amd64
  pkg-config libvectorscan-dev
  python3-yaml
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "install-deps: packages done"
fi

# The SARIF validator the gate tests run on every SARIF file they produce
# (a .NET program shipped in the npm package; test/CMakeLists.txt finds it
# at $npm_dir/node_modules/.bin/sarif-multitool).
npm_dir=${VMALLOC_LINT_NPM_DIR:-/var/tmp/vmalloc-lint/npm}
validator=$npm_dir/node_modules/.bin/sarif-multitool
sarif_version=5.7.0
have=$([ -x "$validator" ] && "$validator" --version 2>&1 || true)
if [[ "$have" == *"Multitool $sarif_version"* ]]; then
  echo "install-deps: sarif-multitool $sarif_version present"
  exit 0
fi
if ! command -v npm >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
mkdir -p "$npm_dir"
npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error \
  "@microsoft/sarif-multitool@$sarif_version" >/dev/null
# The platform package's postinstall makes the binary executable; newer npm
# may not run install scripts.
find "$npm_dir/node_modules/@microsoft" -name Sarif.Multitool -type f -exec chmod a+rx {} +
echo "install-deps: $("$validator" --version 2>&1 | head -1) installed in $npm_dir"
