#!/usr/bin/env bash
# vmalloc-lint --lsp with a real client: Debian's Neovim, headless, its
# built-in LSP client (test/lsp/nvim_lsp.lua) opening a corpus file of a copy
# of corpus/linux-6.1. The diagnostics must be the CLI's findings of the file
# (line, column, message, check) and the first code action must turn the
# buffer into the hand-written fixed file.
set -euo pipefail
lint=$1 corpus=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v nvim >/dev/null || fail "nvim (Debian package neovim) is not installed"
cp -r "$corpus/linux-6.1" "$tmp/linux"
# One file with a plain finding, one whose findings are in gfp macros (the
# first has a fix, the second none).
n=0
for rel in arch/arm64/kvm/arm.c drivers/md/dm-writecache.c; do
n=$((n + 1))
VL_LINT=$lint VL_ROOT=$tmp/linux VL_FILE=$tmp/linux/$rel VL_OUT=$tmp/$n.diags \
  timeout 120 nvim --headless --clean -n -c "luafile $src/test/lsp/nvim_lsp.lua" >"$tmp/$n.nvim.log" 2>&1 || true
[ -f "$tmp/$n.diags.status" ] || { cat "$tmp/$n.nvim.log"; fail "nvim did not finish"; }
[ "$(cat "$tmp/$n.diags.status")" = ok ] || { cat "$tmp/$n.nvim.log"; fail "nvim: $(cat "$tmp/$n.diags.status")"; }
# The CLI's findings of the file, in the same shape.
(cd "$tmp/linux" && { "$lint" --quiet --format json "$rel" || test $? = 1; }) >"$tmp/$n.cli.json"
python3 - "$tmp/$n.cli.json" "$rel" >"$tmp/$n.want" <<'PY'
import json, sys
for f in sorted(json.load(open(sys.argv[1]))["findings"], key=lambda f: (f["line"], f["column"])):
    if f["file"] != sys.argv[2]:
        continue
    msg = f["message"] + (" (fix: %s)" % f["fix"]["description"] if f["fix"] else "")
    print("%d:%d: %s [%s]" % (f["line"], f["column"], msg, f["check"]))
PY
diff -u "$tmp/$n.want" "$tmp/$n.diags" || fail "Neovim's diagnostics are not the CLI's findings"
[ -s "$tmp/$n.want" ] || fail "no findings in $rel"
head -1 "$tmp/$n.diags.fixed"
tail -n +2 "$tmp/$n.diags.fixed" >"$tmp/$n.fixed.c"
diff -u "$corpus/expected/linux-6.1/fixed/$rel" "$tmp/$n.fixed.c" ||
  fail "the code action did not give the fixed file"
echo "nvim: $(wc -l <"$tmp/$n.diags") diagnostics = the CLI's; the code action gives the fixed $rel"
done
