#!/usr/bin/env python3
# Run Smatch (its kernel checks, incl. check_dma_on_stack) on units, with the
# -I/-D/-include flags vmalloc-lint --print-compile-commands gives for them.
# Usage: run-smatch.py COMPILE_COMMANDS_JSON SMATCH; prints the "dma on the stack" reports.
import json, subprocess, sys
cc = json.load(open(sys.argv[1])); smatch = sys.argv[2]
for e in cc:
    a = e["arguments"]; keep = []; i = 0
    while i < len(a):
        x = a[i]
        if x in ("-include", "-isystem") and i + 1 < len(a):
            keep += [x, a[i + 1]]; i += 2; continue
        if x.startswith(("-I", "-D", "-U", "-std=")):
            keep.append(x)
        i += 1
    p = subprocess.run([smatch, "-p=kernel", "--full-path", *keep, "-D__CHECKER__", e["file"]],
                       cwd=e["directory"], capture_output=True, text=True)
    for l in (p.stdout + p.stderr).splitlines():
        if "dma on the stack" in l:
            print(l)
    print("# %s: smatch exit %d, %d lines of output" % (e["file"], p.returncode, len((p.stdout + p.stderr).splitlines())), file=sys.stderr)
