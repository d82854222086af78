#!/usr/bin/env python3
"""End-to-end tests of the results cache (--cache DIR, docs/cache.md) on a
copy of a corpus tree.

  edits       a sequence of random edits (a unit, a header, reverts, a header
              edit that changes nothing but its hash): findings, census and
              facts identical with no cache, a cold cache and a warm one at
              every step; an unchanged re-run is all hits; an edited header
              makes stale exactly the analysed units whose parse read it
              (clang-19 -M over their compile commands)
  corrupt     a truncated and a corrupted entry: reported once, never
              trusted, replaced
  concurrent  two runs at once on one empty cache: both right, the cache
              then whole
  lru         --cache-size: the bound kept, the least recently used
              entries removed first
  unwritable  a cache directory that cannot be created: one warning, the
              same results
  scan        the prefilter's plan in the cache (tool/ScanCache.h): stored
              when no file is in doubt, reused while none changed; after an
              edited unit, an edited header, a new and a removed file the
              tree is scanned again; findings always those of a run
              without the cache
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

STATS = re.compile(
    r"^vmalloc-lint: cache (.*): (\d+) hits, (\d+) misses \((\d+) stale, "
    r"(\d+) corrupt\), (\d+) stored, (\d+) not storable; (\d+) bytes read, "
    r"(\d+) bytes written; (\d+) entries, (\d+) bytes \(bound (\d+)\), "
    r"(\d+) evicted$", re.M)
FIELDS = ("hits", "misses", "stale", "corrupt", "stored", "not_storable",
          "bytes_read", "bytes_written", "entries", "bytes", "bound",
          "evicted")


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


class Lint:
    def __init__(self, lint, tree):
        self.lint = lint
        self.tree = tree

    def run(self, args, cache=None, extra_env=None, want=(0, 1)):
        cmd = [self.lint, "-j2"] + list(args)
        if cache is None:
            cmd.append("--no-cache")
        else:
            cmd += ["--cache", cache, "--cache-stats"]
        env = dict(os.environ)
        # Never the user's cache, whatever ctest's environment says.
        env["VMALLOC_LINT_CACHE"] = "off"
        env.update(extra_env or {})
        p = subprocess.run(cmd + ["."], cwd=self.tree, capture_output=True,
                           text=True, env=env)
        if p.returncode not in want:
            fail("%s exited %d\n%s" % (" ".join(cmd), p.returncode,
                                       p.stderr[-3000:]))
        return p

    def outputs(self, cache=None, fresh=False):
        """Findings, census and facts of the tree, and the cache's stats of
        each run. Fresh: each run with an empty cache of its own (a census
        run reuses a findings run's entries: the census is a view of the
        same results)."""
        out, stats = {}, []

        def at(kind):
            return os.path.join(cache, kind) if cache and fresh else cache
        p = self.run(["--format", "json", "--progress"], at("findings"))
        out["findings"] = p.stdout
        out["units"] = sorted(re.findall(r"^vmalloc-lint: \[\d+/\d+\] (.*): ",
                                         p.stderr, re.M))
        stats.append(stats_of(p, cache))
        p = self.run(["--census", "--format", "json"], at("census"))
        out["census"] = p.stdout
        stats.append(stats_of(p, cache))
        facts = os.path.join(self.tree, "..", "out.facts")
        p = self.run(["--facts-out", facts, "--format", "json"], at("facts"))
        with open(facts, encoding="utf-8", errors="surrogateescape") as f:
            out["facts"] = f.read()
        out["facts-findings"] = p.stdout
        stats.append(stats_of(p, cache))
        return out, stats


def stats_of(p, cache):
    if cache is None:
        return None
    m = STATS.findall(p.stderr)
    if len(m) != 1:
        fail("want one --cache-stats line, got:\n" + p.stderr[-3000:])
    return dict(zip(FIELDS, (int(x) for x in m[0][1:])))


def total(stats, field):
    return sum(s[field] for s in stats)


def same(a, b, what):
    for k in ("findings", "census", "facts", "facts-findings", "units"):
        if a[k] != b[k]:
            import difflib
            d = "\n".join(list(difflib.unified_diff(
                a[k].splitlines() if isinstance(a[k], str) else a[k],
                b[k].splitlines() if isinstance(b[k], str) else b[k],
                lineterm=""))[:60])
            fail("%s: %s differ\n%s" % (what, k, d))


def copy_tree(corpus, tree, tmp):
    work = os.path.join(tmp, "tree")
    shutil.copytree(os.path.join(corpus, tree), work, symlinks=True)
    return work


def units_reading(lint, work, units, header):
    """The units of the list whose parse reads header: clang-19 -M with the
    tool's own compile commands."""
    p = subprocess.run([lint.lint, "--kernel-tree", ".",
                        "--print-compile-commands", *units], cwd=work,
                       capture_output=True, text=True)
    if p.returncode != 0:
        fail("--print-compile-commands: " + p.stderr)
    header = os.path.realpath(header)
    out = []
    for c in json.loads(p.stdout):
        args = ["clang-19"] + [a for a in c["arguments"][1:]
                               if a != "-fsyntax-only"] + ["-M", "-MG"]
        d = subprocess.run(args, cwd=c["directory"], capture_output=True,
                           text=True)
        deps = d.stdout.replace("\\\n", " ").split()[1:]
        if any(os.path.realpath(os.path.join(c["directory"], x)) == header
               for x in deps):
            out.append(c["file"])
    return out


def insert_before_last_endif(text, code):
    i = text.rfind("#endif")
    if i < 0:
        return text + code
    return text[:i] + code + text[i:]


def mode_edits(lint_path, corpus, tree, tmp):
    work = copy_tree(corpus, tree, tmp)
    lint = Lint(lint_path, work)
    warm = os.path.join(tmp, "warm")
    rng = random.Random(17)
    units = [os.path.join(r, f) for r, _, fs in os.walk(work) for f in fs
             if f.endswith(".c") and "vmalloc(" in
             open(os.path.join(r, f), errors="replace").read()]
    units.sort()
    vmalloc_h = os.path.join(work, "include", "linux", "vmalloc.h")
    headers = sorted(os.path.join(r, f) for r, _, fs in os.walk(work)
                     for f in fs if f.endswith(".h"))
    originals = {}

    def edit(path, new_text):
        if path not in originals:
            with open(path, encoding="utf-8", errors="surrogateescape") as f:
                originals[path] = f.read()
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(new_text)

    def text(path):
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            return f.read()

    unit = rng.choice(units)
    steps = [
        ("unchanged tree", None),
        ("edit a unit (%s)" % os.path.relpath(unit, work),
         # The unit may not include vmalloc.h (a file of kvmalloc() calls
         # matches "vmalloc(" too): the edit brings its own declaration.
         lambda: edit(unit, text(unit) + "\n#include <linux/vmalloc.h>\n"
                      "\nstatic void *vl_cache_edit(unsigned long n)\n{\n"
                      "\treturn __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n}\n")),
        ("edit a header (include/linux/vmalloc.h)",
         lambda: edit(vmalloc_h, insert_before_last_endif(
             text(vmalloc_h),
             "static inline void *vl_cache_edit_h(unsigned long n)\n{\n"
             "\treturn __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n}\n"))),
        ("revert the unit", lambda: edit(unit, originals[unit])),
        ("a comment in include/linux/vmalloc.h",
         lambda: edit(vmalloc_h, text(vmalloc_h) + "\n/* vl-cache-edit */\n")),
        ("revert the header", lambda: edit(vmalloc_h, originals[vmalloc_h])),
    ]
    previous = None
    changed = 0
    for n, (what, action) in enumerate(steps):
        if action:
            action()
        plain, _ = lint.outputs(None)
        cold_dir = os.path.join(tmp, "cold%d" % n)
        cold, cold_stats = lint.outputs(cold_dir, fresh=True)
        warm_out, warm_stats = lint.outputs(warm)
        same(plain, cold, "step %d (%s), cold cache" % (n, what))
        same(plain, warm_out, "step %d (%s), warm cache" % (n, what))
        if total(cold_stats, "hits") != 0:
            fail("step %d: a cold cache had hits: %r" % (n, cold_stats))
        if total(cold_stats, "stored") == 0:
            fail("step %d: a cold cache stored nothing: %r" % (n, cold_stats))
        if total(warm_stats, "corrupt") != 0:
            fail("step %d: corrupt entries: %r" % (n, warm_stats))
        # The same again: every unit from the cache, nothing parsed.
        again = lint.run(["--format", "json"], warm)
        again_stats = [stats_of(again, warm)]
        if again.stdout != plain["findings"]:
            fail("step %d (%s): warm cache again: findings differ" % (n, what))
        if total(again_stats, "misses") or total(again_stats, "stored"):
            fail("step %d: an unchanged re-run parsed units: %r" %
                 (n, again_stats))
        if total(again_stats, "hits") == 0:
            fail("step %d: no hits on an unchanged re-run" % n)
        if n == 0:
            # The census run reuses the findings run's entries; the facts
            # run (facts exported, every body parsed) has its own.
            if warm_stats[0]["hits"] or warm_stats[2]["hits"] or \
                    warm_stats[1]["misses"]:
                fail("the first warm runs: %r" % warm_stats)
        elif n == 4:
            # The findings run: the units whose parse read the header, and
            # no other, are analysed again. (Step 2's edit adds a function
            # that calls the family: the prefilter's closure of names, part
            # of every unit's key, changes, and every unit is analysed.)
            want = units_reading(lint, work, plain["units"], vmalloc_h)
            got = warm_stats[0]["stale"]
            if got != len(want) or not want:
                fail("editing vmalloc.h: %d units stale, want the %d that "
                     "read it: %s" % (got, len(want), want))
            if warm_stats[0]["hits"] != len(plain["units"]) - len(want):
                fail("editing vmalloc.h: %r hits, want %d" %
                     (warm_stats[0], len(plain["units"]) - len(want)))
            print("comment in vmalloc.h: %d of %d units analysed again" %
                  (got, len(plain["units"])))
        if previous is not None and plain["findings"] != previous["findings"]:
            changed += 1
        previous = plain
        print("step %d, %s: identical; warm hits %s" %
              (n, what, [s["hits"] for s in warm_stats]))
    # Two edits add findings and the reverts remove them: a cache that
    # served stale entries would have differed from the plain runs above.
    if changed < 4:
        fail("only %d steps changed the findings: the edits test nothing" %
             changed)


def entries(cache):
    """The units' entries (DIR/v1/XX/DIGEST), not the prefilter's plans
    (DIR/scan-v1/)."""
    out = []
    for r, _, fs in os.walk(os.path.join(cache, "v1")):
        out += [os.path.join(r, f) for f in fs if not f.startswith("tmp-")]
    return sorted(out)


def mode_corrupt(lint_path, corpus, tree, tmp):
    work = copy_tree(corpus, tree, tmp)
    lint = Lint(lint_path, work)
    cache = os.path.join(tmp, "cache")
    plain = lint.run(["--format", "json"]).stdout
    lint.run(["--format", "json"], cache)
    es = entries(cache)
    if len(es) < 3:
        fail("want at least 3 entries, got %d" % len(es))
    with open(es[0], "r+b") as f:  # truncated
        f.truncate(os.path.getsize(es[0]) // 2)
    with open(es[1], "r+b") as f:  # one byte changed, size kept
        f.seek(os.path.getsize(es[1]) - 10)
        b = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([b[0] ^ 0x20]))
    p = lint.run(["--format", "json"], cache)
    if p.stdout != plain:
        fail("corrupt entries changed the findings")
    s = stats_of(p, cache)
    if s["corrupt"] != 2 or s["hits"] != len(es) - 2 or s["stored"] != 2:
        fail("two corrupt entries: %r" % s)
    warnings = [l for l in p.stderr.splitlines() if "is not usable" in l]
    if len(warnings) != 1 or "checksum" not in warnings[0]:
        fail("want one warning naming the checksum: %r" % warnings)
    p = lint.run(["--format", "json"], cache)
    s = stats_of(p, cache)
    if s["corrupt"] or s["misses"] or "not usable" in p.stderr:
        fail("the corrupt entries were not replaced: %r" % s)
    print("2 corrupt entries of %d: one warning, re-analysed, replaced" %
          len(es))


def mode_concurrent(lint_path, corpus, tree, tmp):
    work = copy_tree(corpus, tree, tmp)
    lint = Lint(lint_path, work)
    cache = os.path.join(tmp, "cache")
    plain = lint.run(["--census", "--format", "json"]).stdout
    env = dict(os.environ, VMALLOC_LINT_CACHE="off")
    cmd = [lint_path, "-j2", "--census", "--format", "json", "--cache", cache,
           "--cache-stats", "."]
    ps = [subprocess.Popen(cmd, cwd=work, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, env=env)
          for _ in range(2)]
    for p in ps:
        out, err = p.communicate()
        if p.returncode not in (0, 1) or out != plain:
            fail("a concurrent run differs (exit %d):\n%s" %
                 (p.returncode, err[-2000:]))
        if "not usable" in err or "warning" in err:
            fail("a concurrent run warned:\n" + err)
    p = lint.run(["--census", "--format", "json"], cache)
    s = stats_of(p, cache)
    if p.stdout != plain or s["misses"] or s["corrupt"] or not s["hits"]:
        fail("after two concurrent runs: %r" % s)
    left = [f for r, _, fs in os.walk(cache) for f in fs
            if f.startswith("tmp-")]
    if left:
        fail("temporary files left: %r" % left)
    print("two concurrent runs right; then %d hits" % s["hits"])


def mode_lru(lint_path, corpus, tree, tmp):
    work = copy_tree(corpus, tree, tmp)
    lint = Lint(lint_path, work)
    cache = os.path.join(tmp, "cache")
    dirs = sorted(d for d in ("drivers", "mm", "fs", "kernel", "net", "sound")
                  if os.path.isdir(os.path.join(work, d)))

    def run(d, size):
        p = subprocess.run([lint_path, "-j2", "--format", "json", "--cache",
                            cache, "--cache-stats", "--cache-size", str(size),
                            d], cwd=work, capture_output=True, text=True,
                           env=dict(os.environ, VMALLOC_LINT_CACHE="off"))
        if p.returncode not in (0, 1):
            fail(p.stderr)
        return stats_of(p, cache)

    big = 1 << 40
    a = run("drivers", big)
    size_a = a["bytes"]
    other = [d for d in dirs if d != "drivers"]
    b = run(other[0], big)
    size_b = b["bytes"] - size_a
    if a["stored"] < 2 or b["stored"] < 1:
        fail("too few entries for the test: %r %r" % (a, b))
    # Use the second directory's entries again (they become the most
    # recent), then bound the cache to about their size: the first
    # directory's entries, the least recently used, go.
    bound = size_b + 1
    c = run(other[0], bound)
    if c["hits"] != b["stored"] or c["bytes"] > bound or \
            c["evicted"] != a["stored"] or c["entries"] != b["stored"]:
        fail("bound %d: %r (first dir %r, second %r)" % (bound, c, a, b))
    d = run(other[0], bound)
    if d["misses"] or d["evicted"]:
        fail("the recent entries were evicted: %r" % d)
    e = run("drivers", bound)
    if e["hits"] or e["bytes"] > bound:
        fail("the least recently used entries were kept: %r" % e)
    print("bound %d bytes: %d old entries evicted, %d recent kept" %
          (bound, c["evicted"], c["entries"]))


def mode_unwritable(lint_path, corpus, tree, tmp):
    work = copy_tree(corpus, tree, tmp)
    lint = Lint(lint_path, work)
    blocker = os.path.join(tmp, "a-file")
    open(blocker, "w").close()
    plain = lint.run(["--format", "json"])
    p = lint.run(["--format", "json"], blocker + "/cache",
                 want=(plain.returncode,))
    if p.stdout != plain.stdout:
        fail("an unusable cache changed the findings")
    w = [l for l in p.stderr.splitlines() if "warning" in l]
    if len(w) != 1 or "running without the results cache" not in w[0]:
        fail("want one warning: %r" % p.stderr)
    if "vmalloc-lint: cache: not used" not in p.stderr:
        fail("--cache-stats without a cache: %r" % p.stderr)
    # The default place, from the environment, is used when nothing says
    # otherwise.
    home = os.path.join(tmp, "home")
    q = subprocess.run([lint_path, "-j2", "--format", "json", "--cache-stats",
                        "."], cwd=work, capture_output=True, text=True,
                       env=dict({k: v for k, v in os.environ.items()
                                 if k not in ("VMALLOC_LINT_CACHE",
                                              "XDG_CACHE_HOME")},
                                HOME=home))
    if q.stdout != plain.stdout or not entries(
            os.path.join(home, ".cache", "vmalloc-lint")):
        fail("the default cache in ~/.cache/vmalloc-lint was not used: " +
             q.stderr[-2000:])
    print("unusable cache: one warning, same findings; default place used")


SCAN = re.compile(r"^vmalloc-lint: prefilter scan: (reused|stored|not stored)",
                  re.M)


def mode_scan(lint_path, corpus, tree, tmp):
    work = copy_tree(corpus, tree, tmp)
    lint = Lint(lint_path, work)
    cache = os.path.join(tmp, "cache")
    units = sorted(os.path.join(r, f) for r, _, fs in os.walk(work)
                   for f in fs if f.endswith(".c"))
    # The units the prefilter skips (the hidden --prefilter-plan lists the
    # kept ones).
    plan = os.path.join(tmp, "plan.txt")
    sweep = ["--checks=vmalloc-redundant-highmem"]  # most units skipped
    lint.run(sweep + ["--prefilter-plan", plan], want=(0,))
    with open(plan) as f:
        kept = {l[5:].rstrip("\n") for l in f if l.startswith("keep ")}
    quiet = [u for u in units if u not in kept and
             os.sep + "arch" + os.sep not in u]
    if not quiet:
        fail("the prefilter skips no unit of " + tree)
    vmalloc_h = os.path.join(work, "include", "linux", "vmalloc.h")
    call = ("\nstatic void *vl_scan_edit(unsigned long n)\n{\n"
            "\treturn __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n}\n")
    seen = []

    def step(what, want):
        plain = lint.run(sweep + ["--format", "json"]).stdout
        p = lint.run(sweep + ["--format", "json"], cache)
        got = SCAN.findall(p.stderr)
        # After an edit the scan runs again; whether its plan is stored
        # depends on how long ago the edit was (in doubt within 2 s: on a
        # loaded machine the run without the cache may take longer).
        if want == "scanned" and got in (["stored"], ["not stored"]):
            got = ["scanned"]
        # Once the edit is out of doubt: stored now, or by the step before.
        if want == "kept" and got in (["stored"], ["reused"]):
            got = ["kept"]
        if got != [want]:
            fail("%s: want the scan %r, got %r\n%s" % (what, want, got,
                                                       p.stderr[-2000:]))
        if p.stdout != plain:
            fail("%s: findings differ from a run without the cache" % what)
        seen.append((what, want, len(json.loads(plain)["findings"])))
        return plain

    def settle():
        time.sleep(2.5)  # the files' change times out of doubt

    settle()  # the copy's
    first = step("first run", "stored")
    step("unchanged tree", "reused")
    with open(quiet[0]) as f:
        text = f.read()
    with open(quiet[0], "w") as f:
        f.write("#include <linux/gfp.h>\n#include <linux/vmalloc.h>\n" +
                text + call)
    edited = step("a unit that named nothing edited", "scanned")
    if edited == first:
        fail("the edited unit's new finding is missing")
    settle()
    step("after it", "kept")
    step("unchanged again", "reused")
    with open(vmalloc_h) as f:
        text = f.read()
    with open(vmalloc_h, "w") as f:
        f.write(insert_before_last_endif(
            text, "static inline void *vl_scan_edit_h(unsigned long n)\n{\n"
            "\treturn __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n}\n"))
    step("a header edited", "scanned")
    settle()
    step("after it", "kept")
    new = os.path.join(os.path.dirname(quiet[0]), "vl_scan_new.c")
    with open(new, "w") as f:
        f.write("#include <linux/gfp.h>\n#include <linux/vmalloc.h>\n" +
                call)
    step("a new unit", "scanned")
    settle()
    step("after it", "kept")
    os.remove(new)
    # The tree as it was before the new unit, with its plan kept.
    step("the new unit removed", "reused")
    step("unchanged at last", "reused")
    for what, want, n in seen:
        print("%-34s scan %-10s %d findings" % (what, want, n))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--tree", default="linux-6.1")
    ap.add_argument("--mode", required=True,
                    choices=("edits", "corrupt", "concurrent", "lru",
                             "unwritable", "scan"))
    a = ap.parse_args()
    lint = os.path.realpath(a.lint)
    with tempfile.TemporaryDirectory(prefix="vmalloc-lint-cache-") as tmp:
        globals()["mode_" + a.mode](lint, os.path.realpath(a.corpus), a.tree,
                                    tmp)
    print("PASS")


if __name__ == "__main__":
    main()
