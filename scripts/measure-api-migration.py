#!/usr/bin/env python3
"""Measure vmalloc-api-migration on a real tree against upstream's next
release (docs/api-migration.md has the numbers and the argument):

  scripts/measure-api-migration.py --lint build/vmalloc-lint \\
      --old /var/tmp/vmalloc-lint/trees/linux-5.7.14 \\
      --new /var/tmp/vmalloc-lint/trees/linux-5.8.1 --target 5.8 \\
      --work /var/tmp/vmalloc-lint/migrate/5.7-to-5.8

1. The calls of the table's functions whose rows apply (their release is
   after OLD's and at most TARGET), found textually in OLD (the denominator;
   definitions, declarations, comments and tools/ left out).
2. vmalloc-lint --migrate-to TARGET over the files that hold them (their
   kbuild flags from --kernel-tree OLD), --format json and --diff.
3. Per site: the rewritten call (whitespace-insensitive) is in NEW's file at
   the same path -> "as upstream"; a deleted call whose function NEW's file
   no longer calls -> "as upstream"; otherwise "differs" with NEW's lines.
4. Every rewritten file, put at its path in NEW (clang -ivfsoverlay: NEW is
   not copied or changed), is compiled with NEW's kbuild flags
   (vmalloc-lint --print-compile-commands), clang-19 -fsyntax-only; a
   header through a .c of NEW that includes it. Errors are compared with
   those of NEW's own file (a file of another arch fails in both).
Writes WORK/report.json and prints the tables.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys


def run(cmd, cwd=None, exits=(0,)):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if p.returncode not in exits:
        sys.exit("%s: exit %d\n%s" % (" ".join(cmd[:6]), p.returncode, p.stderr[-2000:]))
    return p


def norm(s):
    s = re.sub(r"/\*.*?\*/", " ", s, flags=re.S)
    s = re.sub(r"\s+", "", s)
    return s


def version(v):
    return tuple(int(x) for x in v.split(".")[:2])


def tree_version(t):
    v = {}
    for line in open(os.path.join(t, "Makefile")):
        m = re.match(r"(VERSION|PATCHLEVEL)\s*=\s*(\d+)", line)
        if m:
            v[m.group(1)] = int(m.group(2))
    return (v["VERSION"], v["PATCHLEVEL"])


def candidates(tree, names):
    call = re.compile(r"\b(%s)\s*\(" % "|".join(map(re.escape, names)))
    sites = []
    for d, dirs, files in os.walk(tree):
        rel_d = os.path.relpath(d, tree)
        if rel_d.split(os.sep)[0] in ("tools", "Documentation", "scripts", "samples"):
            dirs[:] = []
            continue
        for f in files:
            if not f.endswith((".c", ".h")):
                continue
            rel = os.path.normpath(os.path.join(rel_d, f))
            if rel in ("mm/vmalloc.c", "mm/nommu.c", "include/linux/vmalloc.h"):
                continue
            try:
                text = open(os.path.join(d, f), errors="replace").read()
            except OSError:
                continue
            if not call.search(text):
                continue
            # comments out, keeping line numbers
            code = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)),
                          text, flags=re.S)
            code = re.sub(r"//[^\n]*", "", code)
            for n, line in enumerate(code.split("\n"), 1):
                for m in call.finditer(line):
                    # a definition or declaration starts at column 0 with a type
                    if re.match(r"^(extern\s+|static\s+|void|int|struct|unsigned)", line):
                        continue
                    sites.append({"file": rel, "line": n, "function": m.group(1)})
    return sites


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    lint = os.path.abspath(a.lint)
    old_v, target = tree_version(a.old), version(a.target)
    rows = [json.loads(l) for l in run([lint, "--list-api-migrations"]).stdout.splitlines()]
    names = sorted({r["function"] for r in rows
                    if old_v < version(r["since"]) <= target})
    sites = candidates(a.old, names)
    files = sorted({s["file"] for s in sites})
    if os.path.exists(a.work):
        shutil.rmtree(a.work)
    os.makedirs(a.work)
    base = [lint, "--kernel-tree", a.old, "--checks=vmalloc-api-migration",
            "--migrate-to", a.target, "-j2"]
    doc = json.loads(run(base + ["--format", "json"] + files, cwd=a.old,
                         exits=(0, 1)).stdout)
    diff = run(base + ["--diff", "--quiet"] + files, cwd=a.old, exits=(0, 1)).stdout
    with open(os.path.join(a.work, "fix.diff"), "w") as f:
        f.write(diff)
    # The fixed files: OLD's files, the diff applied.
    fixed = os.path.join(a.work, "fixed")
    touched = sorted(set(re.findall(r"^\+\+\+ b/(\S+)", diff, flags=re.M)))
    for rel in touched:
        os.makedirs(os.path.dirname(os.path.join(fixed, rel)), exist_ok=True)
        shutil.copy(os.path.join(a.old, rel), os.path.join(fixed, rel))
    run(["patch", "-s", "-p1", "-d", fixed, "-i", os.path.join(a.work, "fix.diff")])

    found = {}
    for f in doc["findings"]:
        rel = os.path.relpath(f["file"], a.old) if os.path.isabs(f["file"]) else f["file"]
        found[(rel, f["line"])] = f
    results = []
    for s in sites:
        key = (s["file"], s["line"])
        f = found.get(key)
        r = dict(s)
        newfile = os.path.join(a.new, s["file"])
        newtext = open(newfile, errors="replace").read() if os.path.exists(newfile) else ""
        if not f:
            r["verdict"] = "missed"
            r["analysed_file"] = any(
                (os.path.relpath(x["file"], a.old) if os.path.isabs(x["file"]) else x["file"]) == s["file"]
                for x in doc["findings"])
        elif not f.get("fix"):
            r["verdict"] = "reported, no fix"
            r["message"] = f["message"]
        else:
            r["class"] = f["class"]
            msg = f["message"]
            if "delete the call" in msg:
                gone = not re.search(r"\b%s\s*\(" % s["function"], newtext)
                r["verdict"] = "as upstream" if gone else "differs"
                r["new"] = "(call deleted)"
            else:
                # The message names the new call: "... write NEWCALL[; decide: ...]".
                call = msg.split(" write ", 1)[1].split("; decide:")[0]
                r["new"] = call
                r["verdict"] = "as upstream" if norm(call) in norm(newtext) else "differs"
        if r["verdict"] == "differs" or r["verdict"] == "missed":
            ctx = [l.strip() for l in newtext.split("\n")
                   if re.search(r"__vmalloc|vm_map_ram|map_kernel_range|__get_vm_area|"
                                r"vmalloc_exec|vmalloc_sync|__vmalloc_node", l)]
            r["upstream_lines"] = ctx[:4]
        results.append(r)

    # Parse every fixed file in NEW's context.
    parse = []
    for rel in touched:
        unit = rel
        if rel.endswith(".h"):
            inc = os.path.basename(rel)
            unit = None
            for d in (os.path.dirname(rel), "arch/x86/kvm", "fs/ntfs"):
                dd = os.path.join(a.new, d)
                if not os.path.isdir(dd):
                    continue
                for c in sorted(os.listdir(dd)):
                    if c.endswith(".c") and re.search(r'#include\s*[<"](.*/)?%s[>"]' % re.escape(inc),
                                                      open(os.path.join(dd, c), errors="replace").read()):
                        unit = os.path.join(d, c)
                        break
                if unit:
                    break
        if not unit or not os.path.exists(os.path.join(a.new, unit)):
            parse.append({"file": rel, "result": "no unit of NEW to compile it in"})
            continue
        cmd = json.loads(run([lint, "--kernel-tree", a.new, "--print-compile-commands",
                              os.path.join(a.new, unit)], cwd=a.new).stdout)[0]
        args = cmd["arguments"]
        overlay = {"version": 0, "roots": [{"name": os.path.join(a.new, rel),
                                            "type": "file",
                                            "external-contents": os.path.join(fixed, rel)}]}
        ov = os.path.join(a.work, "overlay-%d.yaml" % len(parse))
        with open(ov, "w") as f:
            json.dump(overlay, f)
        def errors(extra):
            c = ["clang-19"] + [x for x in args[1:] if x not in ("-c",)] + extra
            c = [x for x in c if not x.startswith("-o")]
            p = subprocess.run(c + ["-fsyntax-only", "-ferror-limit=0"], cwd=cmd["directory"],
                               capture_output=True, text=True)
            return [l for l in p.stderr.split("\n") if ": error:" in l]
        mine = errors(["-ivfsoverlay", ov])
        theirs = errors([])
        # An error on a line of the rewritten file that calls the API the
        # table is about is the migration's; others are the file's other
        # differences from NEW (or the configuration: NEW's own file too).
        api = re.compile(r"\b(__vmalloc\w*|vm_map_ram|map_kernel_range|__get_vm_area\w*|"
                         r"map_vm_area|vmalloc_exec|vmalloc_user_node_flags|vmalloc_sync_\w+)\s*\(")
        flines = open(os.path.join(fixed, rel), errors="replace").read().split("\n")
        at_api = []
        for e in mine:
            m = re.match(r"^(.*?):(\d+):\d+: error: (.*)$", e)
            if not m or os.path.realpath(os.path.join(cmd["directory"], m.group(1))) != \
                    os.path.realpath(os.path.join(a.new, rel)):
                continue
            n = int(m.group(2))
            if any(api.search(flines[k]) for k in range(max(0, n - 3), min(len(flines), n))):
                at_api.append(e)
        parse.append({"file": rel, "unit": unit, "errors_fixed": len(mine),
                      "errors_upstream": len(theirs), "errors_at_api_calls": at_api,
                      "first_errors": mine[:3]})
    report = {"sites": results, "parse": parse, "findings": len(doc["findings"])}
    with open(os.path.join(a.work, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
    from collections import Counter
    c = Counter(r["verdict"] for r in results)
    print("call sites (textual, table rows %s..%s): %d" % (old_v, a.target, len(results)))
    for k, v in sorted(c.items()):
        print("  %-18s %d" % (k, v))
    print("\n| file:line | function | verdict | tool's call |")
    print("|---|---|---|---|")
    for r in results:
        print("| %s:%d | %s | %s | `%s` |" % (r["file"], r["line"], r["function"], r["verdict"],
                                             r.get("new", r.get("message", ""))[:160]))
    print("\n| rewritten file | compiled as | errors at API calls | errors (all) | errors (NEW's own file) |")
    print("|---|---|---|---|---|")
    for p in parse:
        print("| %s | %s | %s | %s | %s |" % (p["file"], p.get("unit", "-"),
                                              len(p.get("errors_at_api_calls", [])),
                                              p.get("errors_fixed", p.get("result")),
                                              p.get("errors_upstream", "-")))
        for e in p.get("errors_at_api_calls", []):
            print("|  | `%s` | | | |" % e[-200:])


if __name__ == "__main__":
    main()
