#!/usr/bin/env python3
"""Check vmalloc-api-migration's table against real kernel headers.

For each row of `vmalloc-lint --list-api-migrations` (matchers/kernel/
ApiMigrations.cpp): in the newest given tree older than the row's release,
the row's header must declare the old form (old_decl), unless that tree
predates the function (it declares no such function); in the oldest given
tree of that release or newer, it must declare the new form (new_decl), or,
for a removed function (new_decl ""), no longer declare the function; and
when the row says its replacement is itself gone (fix_until), the oldest
tree of that release or newer must not declare the replacement's callee.
Declarations are compared with blanks collapsed and `extern ` dropped.

  scripts/check-api-migrations.py --lint build/vmalloc-lint \\
      [--tree DIR ...] [--markdown]

Without --tree: every prepared tree of /var/tmp/vmalloc-lint/trees (never a
4.9.x one) and /var/tmp/vmalloc-lint/linux-source-6.1 that exists. Exit 0
when every row checked passes, 1 on a mismatch, 77 (ctest: skipped) when
no row can be checked on this machine.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys


def version(tree):
    v = p = None
    try:
        with open(os.path.join(tree, "Makefile")) as f:
            for line in f:
                m = re.match(r"(VERSION|PATCHLEVEL)\s*=\s*(\d+)", line)
                if m and m.group(1) == "VERSION":
                    v = int(m.group(2))
                elif m:
                    p = int(m.group(2))
                if v is not None and p is not None:
                    return (v, p)
    except OSError:
        pass
    return None


def r_since(r):
    return tuple(int(x) for x in r["since"].split("."))


def norm(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    text = text.replace("extern ", "")
    text = re.sub(r"\(\s+", "(", text)
    return re.sub(r"\s+\)", ")", text)


def declares(decl, h):
    """Whether the normalised header text h declares decl: its text up to
    the closing parenthesis, attributes after it allowed (6.1's
    `__alloc_size(1);`)."""
    return h is not None and norm(decl).rstrip().rstrip(";").rstrip() in h


def header(tree, rel):
    try:
        with open(os.path.join(tree, rel), errors="replace") as f:
            return norm(f.read())
    except OSError:
        return None


def vstr(v):
    return "%d.%d" % v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--tree", action="append", default=[])
    ap.add_argument("--markdown", action="store_true")
    a = ap.parse_args()
    trees = a.tree or sorted(
        glob.glob("/var/tmp/vmalloc-lint/trees/linux-*") +
        ["/var/tmp/vmalloc-lint/linux-source-6.1"])
    known = []
    for t in trees:
        v = version(t)
        if v is None or v == (4, 9) or re.search(r"linux-4\.9(\.|$)", t):
            continue  # 4.9.x is a held-out set: never read here
        known.append((v, t))
    known.sort()
    rows = [json.loads(l) for l in subprocess.run(
        [a.lint, "--list-api-migrations"], check=True, capture_output=True,
        text=True).stdout.splitlines()]
    bad = checked = 0
    out = []
    for r in rows:
        since = tuple(int(x) for x in r["since"].split("."))
        old = [x for x in known if x[0] < since]
        new = [x for x in known if x[0] >= since]
        notes = []
        ok = True
        if old:
            v, t = old[-1]
            h = header(t, r["header"])
            good = declares(r["old_decl"], h)
            if not good and (h is None or not re.search(
                    r"\b%s\s*\(" % re.escape(r["function"]), h)):
                # The newest tree here predates the function itself (4.12
                # for 5.6's vmalloc_sync_mappings): nothing to compare.
                notes.append("old form: %s has no %s yet" % (vstr(v), r["function"]))
            else:
                notes.append("old form in %s: %s" % (vstr(v), "yes" if good else "NO"))
                ok &= good
                checked += 1
        else:
            notes.append("old form: no tree before %s here" % r["since"])
        until = (tuple(int(x) for x in r["fix_until"].split("."))
                 if r["fix_until"] else None)
        if new and until and new[0][0] >= until:
            # The replacement is itself gone there: checked below.
            notes.append("new form: no tree of %s before %s here" % (r["since"], r["fix_until"]))
        elif new:
            v, t = new[0]
            h = header(t, r["header"])
            if r["new_decl"]:
                good = declares(r["new_decl"], h)
                notes.append("new form in %s: %s" % (vstr(v), "yes" if good else "NO"))
            else:
                good = h is not None and not re.search(
                    r"\b%s\s*\(" % re.escape(r["function"]), h)
                notes.append("%s gone in %s: %s" % (
                    r["function"], vstr(v), "yes" if good else "NO"))
            ok &= good
            checked += 1
        else:
            notes.append("new form: no tree of %s or later here" % r["since"])
        if r["fix_until"] and r["new_form"]:
            until = tuple(int(x) for x in r["fix_until"].split("."))
            later = [x for x in known if x[0] >= until]
            callee = r["new_form"].split("(")[0]
            if later:
                v, t = later[0]
                h = header(t, r["header"])
                good = h is not None and not re.search(
                    r"\b%s\s*\(" % re.escape(callee), h)
                notes.append("%s gone in %s: %s" % (callee, vstr(v), "yes" if good else "NO"))
                ok &= good
            # And still there in the newest tree before fix_until (the
            # release is pinned from both sides).
            before = [x for x in known if r_since(r) <= x[0] < until]
            if before:
                v, t = before[-1]
                h = header(t, r["header"])
                good = h is not None and re.search(
                    r"\b%s\s*\(" % re.escape(callee), h) is not None
                notes.append("%s still in %s: %s" % (callee, vstr(v), "yes" if good else "NO"))
                ok &= good
        bad += not ok
        out.append((r, ok, notes))
    for r, ok, notes in out:
        if a.markdown:
            print("| %s | `%s` (%d args) | %s | %s |" % (
                r["since"], r["function"], r["arity"],
                "ok" if ok else "**MISMATCH**", "; ".join(notes)))
        else:
            print("%-4s %-5s %-28s %s" % ("ok" if ok else "BAD", r["since"],
                                         r["function"], "; ".join(notes)))
    if bad:
        print("%d row(s) do not match the headers" % bad, file=sys.stderr)
        return 1
    if checked == 0:
        print("no kernel tree here to check the table against: skipped",
              file=sys.stderr)
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
