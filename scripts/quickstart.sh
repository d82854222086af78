#!/usr/bin/env bash
# The README's first command: install the dependencies, build, and run
# vmalloc-lint on the two bundled corpus trees. It prints one screen: a
# summary per tree, one example finding with its fix, and where the full
# output went (build/quickstart/: findings, --diff patch, the logs).
#
# QUICKSTART_SKIP_BUILD=1 skips the install and the build, VMALLOC_LINT
# names the binary and QUICKSTART_OUT the output directory
# (test/scripts/quickstart_test.sh runs it that way).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${QUICKSTART_OUT:-build/quickstart}
mkdir -p "$out"
shown=$out
out=$(cd "$out" && pwd)
if [ -z "${QUICKSTART_SKIP_BUILD:-}" ]; then
  echo "Installing the Debian packages and building (log: $shown/build.log)..."
  if ! { bash scripts/install-deps.sh && bash scripts/build.sh; } >"$out/build.log" 2>&1; then
    tail -n 20 "$out/build.log"
    echo "The install or the build failed: see $shown/build.log"
    exit 1
  fi
fi
lint=${VMALLOC_LINT:-$PWD/build/vmalloc-lint}

for tree in linux-6.1 linux-4.9; do
  # Findings (text and json) and the fixes as a patch; exit 1 = findings.
  (cd corpus/$tree && "$lint" . >"$out/$tree.txt" 2>"$out/$tree.log") || [ $? = 1 ]
  (cd corpus/$tree && "$lint" --quiet --format json -o "$out/$tree.json" .) || [ $? = 1 ]
  (cd corpus/$tree && "$lint" --quiet --diff -o "$out/$tree.diff" .)
done

python3 - "$out" "$shown" <<'PY'
import collections, json, os, re, sys
out, shown = sys.argv[1], sys.argv[2]
for tree in ("linux-6.1", "linux-4.9"):
    findings = json.load(open(os.path.join(out, tree + ".json")))["findings"]
    by_check = collections.Counter(f["check"] for f in findings)
    summary = [l for l in open(os.path.join(out, tree + ".log"))
               if l.startswith("vmalloc-lint: ")][-1]
    m = re.match(r"vmalloc-lint: \d+ findings? \((\d+) with a fix\), (\d+) call sites?, "
                 r"(\d+) files? analysed", summary)
    print("corpus/%s: %d findings (%s with a fix) in %s files, %s call sites"
          % (tree, len(findings), m.group(1), m.group(3), m.group(2)))
    top = ", ".join("%s %d" % (c[len("vmalloc-"):], n) for c, n in by_check.most_common(4))
    more = len(by_check) - 4
    print("  " + top + (", and %d more checks" % more if more > 0 else ""))

# One finding with a fix, as the text output prints it, and its hunk.
text = open(os.path.join(out, "linux-6.1.txt")).read().splitlines()
for i, line in enumerate(text):
    if ": warning: " in line and "redundant-highmem" in line:
        block = [line] + text[i + 1:i + 3]
        j = i + 3
        while j < len(text) and ": note: " in text[j]:
            block.append(text[j])
            j += 1
        if any(": note: fix: " in b for b in block):
            break
else:
    block = []
print("\nAn example (corpus/linux-6.1):")
for b in block:
    print("  " + b)
if block:
    path = block[0].split(":")[0]
    diff = open(os.path.join(out, "linux-6.1.diff")).read()
    files = re.split(r"(?m)^(?=--- a/)", diff)
    mine = [h for h in files if h.startswith("--- a/%s\n" % path)]
    if mine:
        lines = mine[0].splitlines()
        first = next(k for k, l in enumerate(lines) if l.startswith("@@"))
        print("The fix, from the --diff patch:")
        for l in lines[first:first + 8]:
            print("  " + l)

print("\nFull output in %s/: linux-6.1.txt and linux-4.9.txt (findings),\n"
      "*.json (--format json), *.diff (the fixes: git apply at the tree root), *.log."
      % shown)
print("Next: ctest --test-dir build (every test); README.md \"Common commands\" on a kernel tree.")
PY
