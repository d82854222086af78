#!/usr/bin/env python3
"""Keeps each docs/checks/NAME.md's last section, "Implementation, cases and
tests", in step with the code: the check's own file (its rule, message and
fix choice, named after the check), the shared code it runs on, the corpus
lines annotated with it, and the unit tests that name it.

  scripts/check-docs.py --write   rewrites the section of every page
  scripts/check-docs.py --check   exits 1 (and says which page) when a page's
                                  section is not what --write would write
The check list is the registry's: the names are read from the pages that
matchers/checks/CheckRegistry.cpp names (a unit test, RegistryTest, holds
the registry, the README table and the pages to each other).
"""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADING = "## Implementation, cases and tests"

SHARED = {
    1: [
        ("the call sites (AST matchers over the API table)",
         "matchers/CallSites.cpp"),
        ("each site's gfp argument evaluated, the checks run on it",
         "matchers/gfp/GfpAnalysis.cpp"),
        ("values, locals and wrappers", "matchers/gfp/GfpEvaluation.cpp"),
        ("the flags of the tree", "matchers/kernel/GfpFlags.cpp"),
        ("the allocators", "matchers/kernel/VmallocApi.cpp"),
    ],
    2: [
        ("the calls of the memory tables (AST matchers)",
         "matchers/CallSites.cpp"),
        ("the dataflow", "matchers/provenance/ProvenanceEngine.cpp"),
        ("sinks reached, the checks' verdicts, findings",
         "matchers/provenance/ProvenanceFindings.cpp"),
        ("the lattice", "matchers/provenance/MemoryLattice.cpp"),
        ("sources, sinks and guards", "matchers/kernel/MemoryApi.cpp"),
    ],
}
# A pass-2 row with a Refactor rule (no CheckSite, no Sinks): a code shape
# the AST matchers find, no dataflow; each check has its own.
REFACTOR = {
    "vmalloc-open-coded-kvfree": [
        ("the AST matchers of the shape",
         "matchers/refactor/OpenCodedFree.cpp"),
        ("the kernel's helpers", "matchers/kernel/MemoryApi.cpp"),
    ],
    "vmalloc-open-coded-kvmalloc": [
        ("the AST matchers of the shapes",
         "matchers/refactor/OpenCodedKvmalloc.cpp"),
        ("the allocators, the kv* helpers and each kernel's kvmalloc mask "
         "rule", "matchers/kernel/KvmallocApi.cpp"),
        ("the mask's value", "matchers/gfp/GfpEvaluation.cpp"),
    ],
}
# A check whose rule runs on other shared code than its pass's.
SHARED_BY_CHECK = {
    "vmalloc-api-migration": [
        ("the calls of the table's functions (AST matchers)",
         "matchers/refactor/ApiCalls.cpp"),
        ("the table of API changes", "matchers/kernel/ApiMigrations.cpp"),
    ],
}
FIXES = {
    "DropFlag": "rewriters/GfpFixes.cpp",
    "AddFlag": "rewriters/GfpFixes.cpp",
    "RenameHelper": "rewriters/FixBuilder.cpp",
    "ReplaceCode": "rewriters/ReplaceCode.cpp",
}


def camel(name):
    return "".join(p.capitalize() for p in name[len("vmalloc-"):].split("-"))


def registry():
    """(name, pass, fix kind) of each row of CheckRegistry.cpp, in order;
    the pass is "refactor" for a row whose rule is a Refactor one (its
    CheckSite and Sinks are nullptr)."""
    text = open(os.path.join(ROOT, "matchers/checks/CheckRegistry.cpp")).read()
    rows = []
    starts = [m for m in re.finditer(
        r'\{"(vmalloc-[a-z0-9-]+)",\s*(\d),.*?FixKind::(\w+)', text, re.S)]
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        pas = int(m.group(2))
        if re.search(r"nullptr,\s*nullptr,\s*&checks::", text[m.end():end]):
            pas = "refactor"
        rows.append((m.group(1), pas, m.group(3)))
    return rows


def corpus_cases(name):
    hits = {}
    for tree in ("linux-6.1", "linux-4.9", "linux-5.7", "modules"):
        base = os.path.join(ROOT, "corpus", tree)
        for d, _, files in sorted(os.walk(base)):
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                p = os.path.join(d, f)
                for line in open(p, errors="replace"):
                    for m in re.finditer(r"/\*\s*expect(-facts)?:\s*([a-z0-9 \-]+?)\s*\*/",
                                         line):
                        if name in m.group(2).split():
                            rel = os.path.relpath(p, ROOT)
                            hits[rel] = hits.get(rel, 0) + 1
    return hits


def unit_tests(name):
    out = []
    d = os.path.join(ROOT, "test/unit")
    for f in sorted(os.listdir(d)):
        if not f.endswith(".cpp"):
            continue
        text = open(os.path.join(d, f)).read()
        parts = re.split(r"^(TEST(?:_F)?\((\w+),\s*(\w+)\))", text, flags=re.M)
        # parts: [pre, header, suite, test, body, header, ...]
        for i in range(1, len(parts) - 3, 4):
            body = parts[i + 3]
            if '"%s"' % name in body:
                out.append("%s.%s" % (parts[i + 1], parts[i + 2]))
    return out


def unit_suite(name):
    """How many unit tests are in the suite named after the check
    (TEST(ApiMigration, ...) for vmalloc-api-migration)."""
    n = 0
    d = os.path.join(ROOT, "test/unit")
    for f in sorted(os.listdir(d)):
        if f.endswith(".cpp"):
            n += len(re.findall(r"^TEST(?:_F)?\(%s," % camel(name),
                                open(os.path.join(d, f)).read(), flags=re.M))
    return n


def ctests(name):
    """The ctests test/CMakeLists.txt names after the check (its name
    without vmalloc-), a foreach's ${mode} as *."""
    short = name[len("vmalloc-"):]
    text = open(os.path.join(ROOT, "test/CMakeLists.txt")).read()
    out = []
    for t in re.findall(r"add_test\(NAME\s+([^\s)]+)", text):
        t = re.sub(r"\$\{\w+\}", "*", t)
        if short in t.split(".") and t not in out:
            out.append(t)
    return out


def section(name, pas, fix):
    lines = [HEADING, ""]
    impl = "matchers/checks/%sCheck.cpp" % camel(name)
    lines.append("- Rule, message and fix choice: [`%s`](../../%s); its row "
                 "(summary, kernels, fix kind, prefilter needs): "
                 "[`matchers/checks/CheckRegistry.cpp`](../../matchers/checks/CheckRegistry.cpp)."
                 % (impl, impl))
    shared = "; ".join("%s: [`%s`](../../%s)" % (what, p, p)
                       for what, p in SHARED_BY_CHECK.get(
                           name, REFACTOR.get(name) if pas == "refactor"
                           else SHARED[pas]))
    lines.append("- Runs on: " + shared + ".")
    if fix in FIXES:
        lines.append("- The fix, built from the finding's request: [`%s`](../../%s)."
                     % (FIXES[fix], FIXES[fix]))
    cases = corpus_cases(name)
    if cases:
        lines.append("- Corpus cases (`expect:` annotations, "
                     "[corpus/README.md](../../corpus/README.md)): " +
                     ", ".join("`%s`%s" % (p, " (%d)" % n if n > 1 else "")
                               for p, n in sorted(cases.items())) + ".")
    else:
        lines.append("- Corpus cases: none yet.")
    suite = unit_suite(name)
    tests = [t for t in unit_tests(name)
             if not t.startswith(camel(name) + ".")]
    units = (["`%s.*` (%d)" % (camel(name), suite)] if suite else []) + \
        ["`%s`" % t for t in tests]
    own = ctests(name)
    if own:
        # Its own tests (its corpus is not a corpus_e2e.py tree).
        where = "`ctest -R %s` (%s)" % (
            name[len("vmalloc-"):], ", ".join("`%s`" % t for t in own))
    else:
        where = ("every corpus case in `ctest -L e2e` (annotations, "
                 "findings, text, census, diff, fix) and `ctest -L tidy`")
    lines.append("- Tests: " + where +
                 ("; unit tests " + ", ".join(units) if units else "") + ".")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", action="store_true")
    g.add_argument("--check", action="store_true")
    a = ap.parse_args()
    bad = 0
    rows = registry()
    if not rows:
        print("FAIL: no rows found in matchers/checks/CheckRegistry.cpp")
        return 1
    for name, pas, fix in rows:
        page = os.path.join(ROOT, "docs/checks/%s.md" % name)
        if not os.path.exists(page):
            print("FAIL: %s has no page docs/checks/%s.md" % (name, name))
            bad = 1
            continue
        text = open(page).read()
        keep = text.split("\n" + HEADING + "\n")[0].rstrip("\n") + "\n"
        want = keep + "\n" + section(name, pas, fix)
        if a.write:
            if text != want:
                open(page, "w").write(want)
                print("wrote", os.path.relpath(page, ROOT))
        elif text != want:
            print("FAIL: docs/checks/%s.md: its last section is out of date "
                  "(run scripts/check-docs.py --write)" % name)
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
