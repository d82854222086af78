#!/usr/bin/env python3
"""End-to-end tests: run the built vmalloc-lint over a corpus tree.

Modes (one ctest each):
  annotations  findings == the /* expect: CHECK */ annotations in the sources
  findings     --format json output == corpus/expected/TREE/findings.json
  text         text output == corpus/expected/TREE/findings.txt, carets checked
  census       --census --format json == corpus/expected/TREE/census.json
  diff         --diff == corpus/expected/TREE/fix.diff, and `git apply` of it
               at the tree root gives the hand-written fixed files
  fix          --fix on a copy gives the hand-written fixed files; a second
               --fix changes nothing; fixed files re-parse with no new errors
  apply-replacements  clang-apply-replacements-19 on --export-fixes output
               gives the same files as --fix
  compile-db   -p with a gcc-style compile_commands.json gives the same
               findings as the synthesised kernel flags
  prefilter    the textual prefilter loses nothing: findings and census with
               and without it are identical, over the tree plus cases that
               only reach the family through a header (wrapper, macro, a
               static inline site in a header the .c never names)
  progress     --progress prints a line per file, --summary the table
  cc           checker mode as kbuild runs it (make C=1 CHECK="vmalloc-lint
               --cc"): CHECKFLAGS, gcc's c_flags and the file; the same
               findings as a normal run, on stderr, exit 0 (1 with --werror)
  shard        --shard K/N over 2, 3 and 5 shards, `merge`d in shard order,
               gives the findings (json and text) of one run
  timeout      --timeout-per-file: a file whose preprocessing explodes is
               reported as timed out (exit 3) and the run goes on
  isolate      --isolate (a worker process per unit) gives exactly the
               output of worker threads: findings json and text, census json
               and text, --diff, the summary line, compiler errors (-j1);
               nothing is left in TMPDIR
  isolate-memory  --memory-limit: a unit that needs more memory than the
               limit (a real file: a 4M-element initializer) is reported as
               out of memory (exit 3, summary row and line, a JSON
               not_analysed record), the others' findings are those of a
               normal run; --memory-limit 100 (below what a worker maps at
               start-up) is one "worker failed to start" line per file, not a
               crash, counted in both summaries, in JSON and in SARIF
  isolate-timeout  --isolate --timeout-per-file: the stuck worker is killed
               (no process left), the other findings are reported
  facts        cross-file facts: --facts-out == corpus/expected/TREE/facts.jsonl
               (static functions never exported), --facts-in gives
               corpus/expected/TREE/facts-findings.json, whose findings are
               the expect and expect-facts annotations; with and without the
               prefilter the same facts and findings; --shard K/N over 2, 3
               and 5 shards: facts `merge`d == one run's, byte for byte, and
               shards run with the merged facts, `merge`d, == one run
  bad-input    exit status 2 and a one-line reason for bad usage and input
  color        --color=always: clang's escapes (bold file:line:col, bold
               magenta warning:, bold black note:, green caret) and, without
               them, the plain text byte for byte; auto: none through a pipe
               or into -o FILE, colours on a terminal (a pty); never: none
               on a terminal; --diff and --format json never coloured
  nolint-unused  --warn-unused-nolint: the NOLINT, NOLINTNEXTLINE and
               NOLINTBEGIN directives for this tool's checks that suppress
               nothing are reported (file:line:col, exit 1 even without
               findings), those in use, bare ones, other tools' and checks
               not run are not
  output       -o FILE / --output=FILE: each output (json, text, sarif,
               census, --diff, --print-compile-commands, merge, --cc) in
               the file, byte for byte what stdout gets, stdout empty;
               --print-compile-commands -o compile_commands.json with that
               database being read (found in the tree, or -p .) warns of
               nothing; an error (exit 2) leaves the file as it was

--update rewrites the expected JSON and diff from the current tool (the
fixed files are the hand-written oracle and are never rewritten).
"""
import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ANNOTATION = re.compile(r"/\*\s*expect:\s*([a-z0-9 \-]+?)\s*\*/")
# Findings that only cross-file facts (--facts-in) give.
FACTS_ANNOTATION = re.compile(r"/\*\s*expect-facts:\s*([a-z0-9 \-]+?)\s*\*/")
# Findings of confidence "possible", reported only with --min-confidence=possible.
POSSIBLE_ANNOTATION = re.compile(r"/\*\s*expect-possible:\s*([a-z0-9 \-]+?)\s*\*/")


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(cmd, cwd=None, check_exit=None):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if check_exit is not None and p.returncode not in check_exit:
        fail("%s exited %d (want %s)\nstdout:\n%s\nstderr:\n%s" %
             (" ".join(cmd), p.returncode, check_exit, p.stdout[-4000:],
              p.stderr[-4000:]))
    return p


def sources(tree):
    out = []
    for root, dirs, files in os.walk(tree):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                out.append(os.path.relpath(os.path.join(root, f), tree))
    return out


def all_files(tree):
    out = []
    for root, dirs, files in os.walk(tree):
        dirs[:] = sorted(dirs)
        for f in sorted(files):
            out.append(os.path.relpath(os.path.join(root, f), tree))
    return out


def annotations(tree, pattern=ANNOTATION):
    want = []
    for rel in sources(tree):
        with open(os.path.join(tree, rel), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                for m in pattern.finditer(line):
                    for check in m.group(1).split():
                        want.append((rel, n, check))
    return sorted(want)


# The pass-2 checks that judge a value at a sink: their findings carry a
# confidence (vmalloc-open-coded-kvfree is a code shape and has none).
SINK_CHECKS = {"vmalloc-virt-to-phys", "vmalloc-dma-map", "vmalloc-dma32-device",
               "vmalloc-free-mismatch", "vmalloc-stack-dma"}


def findings_json(lint, tree, extra=()):
    p = run([lint, "--format", "json", *extra, "."], cwd=tree,
            check_exit=(0, 1))
    return json.loads(p.stdout)


def compare_json(got, path, update):
    if update:
        with open(path, "w") as f:
            json.dump(got, f, indent=2, sort_keys=True)
            f.write("\n")
        return
    with open(path) as f:
        want = json.load(f)
    if got != want:
        g = json.dumps(got, indent=2, sort_keys=True).splitlines()
        w = json.dumps(want, indent=2, sort_keys=True).splitlines()
        import difflib
        fail("output differs from %s:\n%s" % (path, "\n".join(
            list(difflib.unified_diff(w, g, "expected", "got", lineterm=""))[:80])))


def compare_text(got, path, update, what):
    if update:
        with open(path, "w") as f:
            f.write(got)
    with open(path) as f:
        if f.read() != got:
            fail("%s differs from %s:\n%s" % (what, path, got[:4000]))


def copy_tree(tree, dest):
    shutil.copytree(tree, dest, symlinks=True)
    return dest


def compare_with_oracle(tree, fixed_tree, oracle):
    """Every file of fixed_tree equals the oracle's copy, or the original."""
    bad = []
    for rel in all_files(tree):
        want = os.path.join(oracle, rel)
        if not os.path.exists(want):
            want = os.path.join(tree, rel)
        if not filecmp.cmp(want, os.path.join(fixed_tree, rel), shallow=False):
            bad.append(rel)
    for rel in all_files(oracle):
        if not os.path.exists(os.path.join(tree, rel)):
            bad.append(rel + " (oracle file with no source)")
    if bad:
        detail = []
        for rel in bad[:5]:
            a = os.path.join(oracle, rel)
            if not os.path.exists(a):
                a = os.path.join(tree, rel)
            b = os.path.join(fixed_tree, rel)
            if os.path.exists(a) and os.path.exists(b):
                detail.append(run(["diff", "-u", a, b]).stdout[:3000])
        fail("fixed files differ from the oracle: %s\n%s" %
             (", ".join(bad), "\n".join(detail)))


def error_count(lint, tree):
    p = run([lint, "--compiler-errors", "--quiet", "."], cwd=tree,
            check_exit=(0, 1))
    return len([l for l in p.stderr.splitlines() if " error: " in l])


def add_prefilter_cases(work, old_tree):
    """Files that name no vmalloc function yet reach one through a header."""
    def call(gfp):
        return ("__vmalloc(n, %s, PAGE_KERNEL)" if old_tree else
                "__vmalloc(n, %s)") % gfp
    files = {
        # Names nothing at all: skipped.
        "drivers/pf/plain.c":
            "#include <linux/kernel.h>\nint pf_plain(int x)\n{\n"
            "\treturn x + 1;\n}\n",
        # A header with a gfp wrapper, a macro and a fixed-flags inline.
        "include/linux/pf_wrap.h":
            "#include <linux/mm.h>\n#include <linux/vmalloc.h>\n"
            "static inline void *pf_gfp_alloc(unsigned long n, gfp_t gfp)\n"
            "{\n\treturn %s;\n}\n"
            "#define PF_ALLOC(n) %s\n"
            "#define PF_HM_GFP (GFP_KERNEL | __GFP_HIGHMEM)\n" % (
                call("gfp"), call("GFP_KERNEL | __GFP_HIGHMEM")),
        # Only a site in an inline function: no unit calls it.
        "include/linux/pf_site.h":
            "#include <linux/mm.h>\n#include <linux/vmalloc.h>\n"
            "static inline void *pf_site_alloc(unsigned long n)\n"
            "{\n\treturn %s;\n}\n" % call("GFP_KERNEL | __GFP_HIGHMEM"),
        "drivers/pf/user_gfp.c":
            "#include <linux/pf_wrap.h>\nvoid *pf_a(unsigned long n)\n{\n"
            "\treturn pf_gfp_alloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n}\n",
        "drivers/pf/user_macro.c":
            "#include <linux/pf_wrap.h>\nvoid *pf_b(unsigned long n)\n{\n"
            "\treturn PF_ALLOC(n);\n}\n",
        # The flag only through a header's macro: kept for the highmem
        # checks too.
        "drivers/pf/user_flag.c":
            "#include <linux/pf_wrap.h>\nvoid *pf_d(unsigned long n)\n{\n"
            "\treturn %s;\n}\n" % call("PF_HM_GFP"),
        # The family, no highmem name: skipped when only highmem checks run.
        "drivers/pf/no_highmem.c":
            "#include <linux/mm.h>\n#include <linux/vmalloc.h>\n"
            "void *pf_e(unsigned long n)\n{\n\treturn %s;\n}\n" % call("GFP_KERNEL"),
        # The flag and the call in different functions, nothing between
        # them: skipped when only highmem checks run.
        "drivers/pf/apart.c":
            "#include <linux/mm.h>\n#include <linux/vmalloc.h>\n"
            "gfp_t pf_f(void)\n{\n\treturn GFP_KERNEL | __GFP_HIGHMEM;\n}\n"
            "void *pf_g(unsigned long n)\n{\n\treturn %s;\n}\n" % call("GFP_KERNEL"),
        # Through a wrapper of the file, and through a file-scope variable.
        "drivers/pf/local.c":
            "#include <linux/mm.h>\n#include <linux/vmalloc.h>\n"
            "static void *pf_w(unsigned long n, gfp_t g)\n{\n\treturn %s;\n}\n"
            "void *pf_h(unsigned long n)\n{\n"
            "\treturn pf_w(n, GFP_KERNEL | __GFP_HIGHMEM);\n}\n"
            "static const gfp_t pf_gfp = GFP_KERNEL | __GFP_HIGHMEM;\n"
            "void *pf_i(unsigned long n)\n{\n\treturn %s;\n}\n" % (
                call("g"), call("pf_gfp")),
        # An exported wrapper that only a header's inline function calls with
        # the flag: the site is seen only from the unit defining the wrapper.
        "include/linux/pf_ext.h":
            "#include <linux/mm.h>\n"
            "void *pf_ext_alloc(unsigned long n, gfp_t gfp);\n"
            "static inline void *pf_ext_hm(unsigned long n)\n{\n"
            "\treturn pf_ext_alloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n}\n",
        "drivers/pf/ext.c":
            "#include <linux/vmalloc.h>\n#include <linux/pf_ext.h>\n"
            "void *pf_ext_alloc(unsigned long n, gfp_t gfp)\n{\n"
            "\treturn %s;\n}\n" % call("gfp"),
        # A site header reached only through another header.
        "include/linux/pf_site2.h":
            "#include <linux/mm.h>\n#include <linux/vmalloc.h>\n"
            "static inline void *pf_site2_alloc(unsigned long n)\n"
            "{\n\treturn %s;\n}\n" % call("GFP_KERNEL | __GFP_HIGHMEM"),
        "include/linux/pf_mid.h": "#include <linux/pf_site2.h>\n",
        "drivers/pf/includer2.c":
            "#include <linux/pf_mid.h>\nint pf_j(int x)\n{\n\treturn x;\n}\n",
        "drivers/pf/includer.c":
            "#include <linux/pf_site.h>\nint pf_c(int x)\n{\n"
            "\treturn x;\n}\n",
    }
    if not old_tree:
        # Pass 2: memory and sink in different functions (through a field);
        # a guard with no allocation in the unit; a free of the other kind.
        files["drivers/pf/p2_field.c"] = (
            "#include <linux/mm.h>\n#include <linux/vmalloc.h>\n"
            "#include <linux/io.h>\n#include <linux/slab.h>\n"
            "struct pf_dev {\n\tvoid *buf;\n};\n"
            "void pf_init(struct pf_dev *d)\n{\n\td->buf = vmalloc(64);\n}\n"
            "unsigned long pf_phys(struct pf_dev *d)\n{\n"
            "\treturn virt_to_phys(d->buf);\n}\n"
            "void pf_free(void)\n{\n\tvoid *q = kmalloc(16, GFP_KERNEL);\n"
            "\n\tvfree(q);\n}\n")
        files["drivers/pf/p2_guard.c"] = (
            "#include <linux/mm.h>\n#include <linux/io.h>\n"
            "unsigned long pf_guarded(void *p)\n{\n"
            "\tif (is_vmalloc_addr(p))\n\t\treturn virt_to_phys(p);\n"
            "\treturn 0;\n}\n")
    for rel, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(work, rel)), exist_ok=True)
        with open(os.path.join(work, rel), "w") as f:
            f.write(text)


def prefilter_mode(lint, tree, name):
    old_tree = name == "linux-4.9"
    with tempfile.TemporaryDirectory() as tmp:
        work = copy_tree(tree, os.path.join(tmp, "tree"))
        add_prefilter_cases(work, name == "linux-4.9")
        pass1 = ",".join(c for c in run([lint, "--list-checks"]).stdout.split()
                         if c in ("vmalloc-redundant-highmem", "vmalloc-lowmem-gfp",
                                  "vmalloc-zone-gfp", "vmalloc-kvmalloc-highmem",
                                  "vmalloc-unsupported-gfp"))
        total_skipped = 0
        runs = 0
        skipped = {}
        for inputs in (["."], ["drivers/pf"]):
            for checks in ("vmalloc-*", pass1, "vmalloc-redundant-highmem",
                           "vmalloc-zone-gfp", "vmalloc-kvmalloc-highmem",
                           "vmalloc-lowmem-gfp,vmalloc-unsupported-gfp",
                           "-*,vmalloc-virt-to-phys", "-*,vmalloc-dma-map",
                           "-*,vmalloc-dma32-device",
                           "-*,vmalloc-free-mismatch", "-*,vmalloc-stack-dma"):
                for what in (["--format", "json"], ["--census", "--format", "json"]):
                    got = {}
                    for pf in ([], ["--no-prefilter"]):
                        p = run([lint, "--checks=" + checks, *what, *pf, *inputs],
                                cwd=work, check_exit=(0, 1))
                        got[bool(pf)] = (json.loads(p.stdout), p.stderr)
                    (on, on_err), (off, off_err) = got[False], got[True]
                    if on != off:
                        fail("%s %s %s: output differs with the prefilter:\n"
                             "with: %s\nwithout: %s" %
                             (inputs, checks, what, json.dumps(on)[:3000],
                              json.dumps(off)[:3000]))
                    m = re.search(r", (\d+) skipped: cannot contain a call of interest", on_err)
                    if not m or "skipped:" in off_err:
                        fail("summary does not count skipped files: %r / %r" %
                             (on_err, off_err))
                    total_skipped += int(m.group(1))
                    skipped[(inputs[0], checks, what[0])] = int(m.group(1))
                    if inputs == ["drivers/pf"] and what[0] == "--format":
                        got_lines = {(f["file"], f["line"]) for f in on["findings"]}
                        if checks in ("vmalloc-*", "vmalloc-redundant-highmem") \
                                and not old_tree:
                            for w in (("drivers/pf/user_flag.c", 4),
                                      ("drivers/pf/local.c", 9),
                                      ("drivers/pf/local.c", 14),
                                      ("include/linux/pf_ext.h", 5)):
                                if w not in got_lines:
                                    fail("%s: %s:%d lost: %s" %
                                         (checks, w[0], w[1], sorted(got_lines)))
                    if inputs == ["drivers/pf"] and what[0] == "--format" \
                            and not old_tree:
                        want = {"-*,vmalloc-virt-to-phys":
                                [("drivers/pf/p2_field.c", 14),
                                 ("drivers/pf/p2_guard.c", 6)],
                                "-*,vmalloc-free-mismatch":
                                [("drivers/pf/p2_field.c", 20)]}.get(checks, [])
                        for w in want:
                            if w not in got_lines:
                                fail("%s: %s:%d lost: %s" %
                                     (checks, w[0], w[1], sorted(got_lines)))
                    runs += 1
                    if inputs == ["drivers/pf"] and "--census" in what:
                        files = sorted({(s["file"], s["line"]) for s in on["sites"]})
                        want = [("drivers/pf/user_gfp.c", 4),
                                ("drivers/pf/user_flag.c", 4),
                                ("drivers/pf/no_highmem.c", 5),
                                ("include/linux/pf_site.h", 5),
                                ("include/linux/pf_site2.h", 5),
                                ("include/linux/pf_wrap.h", 5),
                                ("include/linux/pf_wrap.h", 7)]
                        for w in want:
                            if w not in files:
                                fail("site %s:%d missing from %s" % (w + (files,)))
                        if checks == "vmalloc-*" and not re.search(
                                r"^vmalloc-lint: .* %d files analysed, 3 skipped: cannot "
                                r"contain a call of interest" % (9 if old_tree else 11), on_err, re.M):
                            fail("drivers/pf: want plain.c, includer.c and includer2.c "
                                 "skipped, the site headers through includer.c and includer2.c: %r" % on_err)
        if total_skipped == 0:
            fail("the prefilter skipped nothing")
        if skipped[("drivers/pf", "vmalloc-redundant-highmem", "--format")] <= \
                skipped[("drivers/pf", "vmalloc-*", "--format")]:
            fail("a highmem-only run skips no more than a full one: %s" % skipped)
        print("%d runs: same findings and census with and without the "
              "prefilter (%d files skipped in all)" % (runs, total_skipped))


def private_tmp(tmp):
    """A TMPDIR of the test's own, to check that workers leave nothing."""
    t = os.path.join(tmp, "tmpdir")
    os.mkdir(t)
    env = dict(os.environ, TMPDIR=t)
    return t, env


def run_env(cmd, cwd, env, check_exit):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    if p.returncode not in check_exit:
        fail("%s exited %d (want %s)\nstderr:\n%s" %
             (" ".join(cmd), p.returncode, check_exit, p.stderr[-4000:]))
    return p


def left_in(tmpdir):
    """Files left in tmpdir and processes whose command line names it."""
    left = os.listdir(tmpdir)
    procs = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if tmpdir in cmd:
            procs.append((int(pid), cmd))
    for pid, _ in procs:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    return left, procs


def big_unit(path):
    """A real file that needs ~600 MB to parse: 2^22 initializer elements."""
    with open(path, "w") as f:
        f.write("#include <linux/vmalloc.h>\n#define B0 1\n")
        for i in range(1, 23):
            f.write("#define B%d B%d,B%d\n" % (i, i - 1, i - 1))
        f.write("int vmalloc_big[] = { B22 };\n")


def slow_unit(path):
    """2^24 tokens in one #if: seconds of preprocessing."""
    with open(path, "w") as f:
        f.write("#include <linux/vmalloc.h>\n#define A0 1\n")
        for i in range(1, 25):
            f.write("#define A%d (A%d+A%d)\n" % (i, i - 1, i - 1))
        f.write("#if A24 > 0\nint vmalloc_slow;\n#endif\n")


def isolate_mode(lint, tree, name):
    with tempfile.TemporaryDirectory() as tmp:
        work = copy_tree(tree, os.path.join(tmp, "tree"))
        add_prefilter_cases(work, name == "linux-4.9")
        tmpdir, env = private_tmp(tmp)
        variants = [["--format", "json"], [], ["--census", "--format", "json"],
                    ["--census"], ["--diff"], ["--no-prefilter", "--format", "json"],
                    ["--checks=vmalloc-redundant-highmem,vmalloc-lowmem-gfp",
                     "--format", "json"]]
        for v in variants:
            got = {}
            for iso in ([], ["--isolate"]):
                p = run_env([lint, "-j2", *iso, *v, "."], work, env, (0, 1))
                got[bool(iso)] = p
            t, i = got[False], got[True]
            if i.stdout != t.stdout or not t.stdout:
                fail("%s: output differs with --isolate:\nthreads:\n%s\n"
                     "processes:\n%s" % (v, t.stdout[:3000], i.stdout[:3000]))
            if i.returncode != t.returncode or i.stderr != t.stderr:
                fail("%s: exit status or summary differs with --isolate:\n%r\n%r"
                     % (v, t.stderr, i.stderr))
        # Cross-file facts: written by workers, then imported by workers.
        facts = {}
        for iso in ([], ["--isolate"]):
            out = os.path.join(tmp, "facts%d.jsonl" % len(iso))
            run_env([lint, "-j2", *iso, "--facts-out", out, "--format", "json",
                     "."], work, env, (0, 1))
            p = run_env([lint, "-j2", *iso, "--facts-in", out, "--format",
                         "json", "."], work, env, (0, 1))
            facts[bool(iso)] = (open(out).read(), p.stdout)
        if facts[False] != facts[True] or not facts[False][0]:
            fail("--facts-out / --facts-in differ with --isolate")
        # Compiler errors are relayed from the workers (-j1: same order).
        got = [run_env([lint, "-j1", "--compiler-errors", *iso, "."], work, env,
                       (0, 1)) for iso in ([], ["--isolate"])]
        if got[0].stderr != got[1].stderr or " error: " not in got[0].stderr:
            fail("--compiler-errors output differs with --isolate:\n%s\n%s" %
                 (got[0].stderr[-2000:], got[1].stderr[-2000:]))
        # Each unit's errors together, also from two threads at once: two
        # units of 400 errors each, parsed side by side.
        os.makedirs(os.path.join(work, "drivers/vlerr"), exist_ok=True)
        for u in ("a", "b"):
            with open(os.path.join(work, "drivers/vlerr/%s.c" % u), "w") as f:
                f.write("#include <linux/vmalloc.h>\nvoid *vl_%s(void)\n{\n"
                        "\treturn vmalloc(8);\n}\n" % u)
                for i in range(400):
                    f.write("int vl_%s_%d = vl_undeclared_%d;\n" % (u, i, i))
        for iso in ([], ["--isolate"]):
            p = run_env([lint, "-j2", "--compiler-errors", *iso,
                         "drivers/vlerr"], work, env, (0, 1))
            units = [l.split(":", 1)[0] for l in p.stderr.splitlines()
                     if " error: " in l]
            runs = [u for k, u in enumerate(units) if k == 0 or units[k - 1] != u]
            if len(units) != 800 or len(runs) != 2:
                fail("--compiler-errors -j2 %s: want each unit's 400 errors "
                     "together, got %d errors in %d runs: %s" %
                     (" ".join(iso), len(units), len(runs), runs[:10]))
        shutil.rmtree(os.path.join(work, "drivers/vlerr"))
        p = run_env([lint, "--isolate", "--summary", "."], work, env, (1,))
        m = re.search(r"(\d+) files? analysed", p.stderr)
        if not re.search(r"^  worker processes +%s$" % m.group(1), p.stderr, re.M):
            fail("summary table: want one worker process per unit: %s" % p.stderr)
        left, procs = left_in(tmpdir)
        if left or procs:
            fail("left behind: files %s, processes %s" % (left, procs))
        print("%d variants: --isolate gives the output of worker threads; "
              "nothing left in TMPDIR" % (len(variants) + 2))


def isolate_memory_mode(lint, tree):
    with tempfile.TemporaryDirectory() as tmp:
        work = copy_tree(tree, os.path.join(tmp, "tree"))
        tmpdir, env = private_tmp(tmp)
        want = run_env([lint, "--format", "json", "drivers"], work, env, (1,)).stdout
        big_unit(os.path.join(work, "drivers", "aaa_big.c"))
        p = run_env([lint, "-j2", "--memory-limit", "450", "--summary",
                     "--format", "json", "drivers"], work, env, (3,))
        if p.stderr.count("ran out of memory") != 1 or \
                "aaa_big.c ran out of memory (--memory-limit 450)" not in p.stderr:
            fail("aaa_big.c not reported as out of memory: %r" % p.stderr)
        if not re.search(r"^  out of memory +1$", p.stderr, re.M):
            fail("summary table does not count it: %r" % p.stderr)
        if not re.search(r"^vmalloc-lint: .* files? analysed( \([^)]*\))?(, [^,(]*(\([^)]*\))?)*, 1 not "
                         r"analysed \(1 out of memory\)", p.stderr, re.M):
            fail("summary line does not count it: %r" % p.stderr)
        rec = json.loads(p.stdout)["not_analysed"]
        if [(r["file"], r["reason"]) for r in rec] != \
                [("drivers/aaa_big.c", "out-of-memory")] or \
                "--memory-limit 450" not in rec[0]["message"]:
            fail("JSON not_analysed: want aaa_big.c out of memory: %r" % rec)
        if "internal error" in p.stderr or "was not analysed" in p.stderr:
            fail("out of memory reported as something else: %r" % p.stderr)
        if json.loads(p.stdout)["findings"] != json.loads(want)["findings"] or \
                not json.loads(want)["findings"]:
            fail("the other units' findings differ from a normal run")
        # `merge` keeps the record: a merged result still says what it lacks
        # (and exits 3, as the run did).
        short = os.path.join(tmp, "short.json")
        full = os.path.join(tmp, "full.json")
        with open(short, "w") as f:
            f.write(p.stdout)
        with open(full, "w") as f:
            f.write(want)
        m = run_env([lint, "merge", "--format", "json", short, full], work, env,
                    (3,))
        merged = json.loads(m.stdout)
        if [(r["file"], r["reason"]) for r in merged.get("not_analysed", [])] \
                != [("drivers/aaa_big.c", "out-of-memory")] or \
                merged["summary"].get("not_analysed") != 1 or \
                merged["findings"] != json.loads(want)["findings"] or \
                "1 not analysed" not in m.stderr:
            fail("merge dropped the not_analysed record: %r %r" %
                 (merged.get("not_analysed"), m.stderr))
        # Without the big file the limit changes nothing.
        os.remove(os.path.join(work, "drivers", "aaa_big.c"))
        # A limit below what a worker has mapped at start-up (Clang's
        # libraries): every worker fails to start, and says so, not a crash.
        n = int(re.search(r"(\d+) files? analysed",
                          run_env([lint, "drivers"], work, env, (1,)).stderr)
                .group(1))
        p = run_env([lint, "-j2", "--memory-limit", "100", "--summary",
                     "--format", "json", "drivers"], work, env, (3,))
        lines = [l for l in p.stderr.splitlines()
                 if "was not analysed: the worker failed to start "
                    "(--memory-limit 100 is below what a worker needs to "
                    "start (about " in l and l.endswith("raise it)")]
        if len(lines) != n or "internal error" in p.stderr or \
                "ran out of memory" in p.stderr:
            fail("--memory-limit 100: want %d start-up failures, one line "
                 "each: %r" % (n, p.stderr))
        if not re.search(r"^  worker failed to start +%d$" % n, p.stderr, re.M) \
                or not re.search(r"^  crashed +0$", p.stderr, re.M):
            fail("summary table does not count them: %r" % p.stderr)
        if not re.search(r"^vmalloc-lint: .* 0 files analysed(, [^,(]*(\([^)]*\))?)*, %d not analysed "
                         r"\(%d worker failed to start\)" % (n, n), p.stderr,
                         re.M):
            fail("summary line does not count them: %r" % p.stderr)
        got = json.loads(p.stdout)
        if got["findings"] or len(got["not_analysed"]) != n or \
                {r["reason"] for r in got["not_analysed"]} != \
                {"worker-failed-to-start"} or \
                got["summary"]["not_analysed"] != n:
            fail("JSON not_analysed: want %d start-up failures: %r" % (n, got))
        p = run_env([lint, "-j2", "--memory-limit", "100", "--format", "sarif",
                     "drivers"], work, env, (3,))
        inv = json.loads(p.stdout)["runs"][0]["invocations"]
        notes = inv[0]["toolExecutionNotifications"]
        if len(inv) != 1 or inv[0]["executionSuccessful"] is not False or \
                len(notes) != n or \
                {x["descriptor"]["id"] for x in notes} != \
                {"worker-failed-to-start"}:
            fail("SARIF: want %d toolExecutionNotifications: %r" % (n, inv))
        p = run_env([lint, "-j2", "--memory-limit", "450", "--format", "json",
                     "drivers"], work, env, (1,))
        if p.stdout != want:
            fail("--memory-limit 450 changed the findings of the corpus")
        left, procs = left_in(tmpdir)
        if left or procs:
            fail("left behind: files %s, processes %s" % (left, procs))
        print("the unit over --memory-limit was reported, the other %d findings "
              "were" % len(json.loads(want)["findings"]))


def isolate_timeout_mode(lint, tree):
    with tempfile.TemporaryDirectory() as tmp:
        work = copy_tree(tree, os.path.join(tmp, "tree"))
        tmpdir, env = private_tmp(tmp)
        want = json.loads(run_env([lint, "--format", "json", "drivers"], work, env,
                                  (1,)).stdout)["findings"]
        slow_unit(os.path.join(work, "drivers", "aaa_slow.c"))
        p = run_env([lint, "-j2", "--isolate", "--timeout-per-file", "1",
                     "--format", "json", "drivers"], work, env, (3,))
        # The worker would preprocess for seconds more: it must be gone now.
        left, procs = left_in(tmpdir)
        if procs:
            fail("the timed-out worker was not killed: %s" % procs)
        if left:
            fail("files left in TMPDIR: %s" % left)
        if p.stderr.count("timed out (--timeout-per-file") != 1 or "aaa_slow.c timed out" not in p.stderr:
            fail("aaa_slow.c not reported as timed out: %r" % p.stderr)
        if json.loads(p.stdout)["findings"] != want or not want:
            fail("the run did not go on after the timeout")
        print("the stuck worker was killed, the other %d findings were reported"
              % len(want))


def facts_run(lint, tree, tmp, name, extra):
    """One run writing facts: the facts file's text and the findings JSON."""
    out = os.path.join(tmp, name)
    p = run([lint, "--format", "json", "--facts-out", out, *extra, "."],
            cwd=tree, check_exit=(0, 1))
    if os.path.exists(out + ".tmp"):
        fail("--facts-out left %s.tmp behind" % out)
    with open(out) as f:
        return out, f.read(), json.loads(p.stdout)


def add_facts_cases(work, old_tree):
    """A site header that a kept unit reads and a unit naming nothing
    includes; that unit exports a function (its parameter returned). With
    the prefilter the unit is skipped; in a shard without the kept unit it
    is parsed for the header: its facts must not depend on that."""
    call = ("__vmalloc(n, GFP_KERNEL, PAGE_KERNEL)" if old_tree else
            "__vmalloc(n, GFP_KERNEL)")
    files = {
        "include/linux/fx_site.h":
            "#include <linux/mm.h>\n#include <linux/vmalloc.h>\n"
            "static inline void *fx_site_alloc(unsigned long n)\n"
            "{\n\treturn %s;\n}\n" % call,
        # Sorted first: in the first shard, with the header.
        "drivers/fx/a_kept.c":
            "#include <linux/fx_site.h>\nvoid *fx_kept(unsigned long n)\n{\n"
            "\treturn vmalloc(n);\n}\n",
        "drivers/fx/z_plain.c":
            "#include <linux/fx_site.h>\nvoid *fx_id(void *p)\n{\n"
            "\treturn p;\n}\n",
    }
    for rel, text in files.items():
        path = os.path.join(work, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


def facts_mode(lint, tree, expected, update):
    with tempfile.TemporaryDirectory() as tmp:
        # Phase 1: the facts of the tree, with and without the prefilter.
        facts, text, plain = facts_run(lint, tree, tmp, "tree.facts", [])
        compare_text(text, os.path.join(expected, "facts.jsonl"), update,
                     "--facts-out")
        _, text_np, _ = facts_run(lint, tree, tmp, "np.facts", ["--no-prefilter"])
        if text_np != text:
            fail("--facts-out with and without the prefilter differ")
        records = [json.loads(l) for l in text.splitlines()]
        head = records[0]
        if (head.get("kind"), head.get("version"), head.get("records")) != \
                ("vmalloc-lint-facts", 4, len(records) - 1) or \
                not re.fullmatch(r"0x[0-9a-f]+", head.get("digest", "")):
            fail("no header record with the count and digest: %r" % head)
        # Static functions (vlx_helper, vlx_local_alloc in both files of
        # drivers/misc/vlxfile) are never exported.
        names = {r.get("function") for r in records}
        for static in ("vlx_helper", "vlx_local_alloc"):
            if static in names:
                fail("static function %s exported" % static)
        # Without --facts-in the per-unit results (the annotations mode
        # checks them); --facts-out alone changes no finding.
        if plain != findings_json(lint, tree):
            fail("--facts-out changed the findings")
        # Phase 2.
        got = findings_json(lint, tree, ["--facts-in", facts])
        compare_json(got, os.path.join(expected, "facts-findings.json"), update)
        have = sorted((f["file"], f["line"], f["check"]) for f in got["findings"])
        want = sorted(annotations(tree) + annotations(tree, FACTS_ANNOTATION))
        if have != want:
            fail("--facts-in findings do not match the expect and expect-facts "
                 "annotations\n  annotated, not found: %s\n  found, not "
                 "annotated: %s" % (sorted(set(want) - set(have)),
                                    sorted(set(have) - set(want))))
        cross = [f for f in got["findings"]
                 if any("cross-file fact" in n["message"] for n in f["notes"])]
        if len(annotations(tree, FACTS_ANNOTATION)) and not cross:
            fail("no finding carries a cross-file note")
        if findings_json(lint, tree, ["--facts-in", facts, "--no-prefilter"]) != got:
            fail("--facts-in with and without the prefilter differ")
        for checks in ("--checks=vmalloc-redundant-highmem",
                       "--checks=vmalloc-virt-to-phys"):
            with_pf = findings_json(lint, tree, ["--facts-in", facts, checks])
            without = findings_json(lint, tree, ["--facts-in", facts, checks,
                                                 "--no-prefilter"])
            if with_pf != without:
                fail("--facts-in %s: the prefilter loses findings" % checks)
        # Sharding: facts of the shards merged == one run's, byte for byte;
        # shards with the merged facts, merged == one run with the facts.
        tree = copy_tree(tree, os.path.join(tmp, "tree"))
        add_facts_cases(tree, "linux-4.9" in expected)
        checked = 0
        for pf in ([], ["--no-prefilter"]):
            _, text, _ = facts_run(lint, tree, tmp, "all.facts", pf)
            facts = os.path.join(tmp, "all.facts")
            one = findings_json(lint, tree, ["--facts-in", facts, *pf])
            for n in (2, 3, 5):
                shard_facts, shard_out = [], []
                for k in range(1, n + 1):
                    f, _, _ = facts_run(lint, tree, tmp, "s%d-%d.facts" % (k, n),
                                        ["--shard", "%d/%d" % (k, n), *pf])
                    shard_facts.append(f)
                merged = os.path.join(tmp, "merged-%d.facts" % n)
                p = run([lint, "merge", "--facts-out", merged, *shard_facts],
                        cwd=tree, check_exit=(0,))
                if p.stdout:
                    fail("merge of facts files printed findings: %r" % p.stdout)
                with open(merged) as fm:
                    if fm.read() != text:
                        fail("%d shards: merged facts differ from one run's (%s)"
                             % (n, pf))
                for k in range(1, n + 1):
                    p = run([lint, "--format", "json", "--facts-in", merged,
                             "--shard", "%d/%d" % (k, n), *pf, "."], cwd=tree,
                            check_exit=(0, 1))
                    out = os.path.join(tmp, "f%d-%d.json" % (k, n))
                    with open(out, "w") as fo:
                        fo.write(p.stdout)
                    shard_out.append(out)
                p = run([lint, "merge", "--format", "json", *shard_out],
                        cwd=tree, check_exit=(0, 1))
                if json.loads(p.stdout) != one:
                    fail("%d shards with --facts-in, merged, differ from one run "
                         "(%s)" % (n, pf))
                checked += 1
    print("%d facts records; %d findings with them (%d through another file); "
          "%d shardings give the same facts and findings" %
          (len(records) - 1, len(got["findings"]), len(cross), checked))


NOLINT_CASES = """#include <linux/gfp.h>
#include <linux/vmalloc.h>

void *vl_used(unsigned long n)
{
	return __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM); /* NOLINT(vmalloc-redundant-highmem) */
}

void *vl_stale(unsigned long n)
{
	return __vmalloc(n, GFP_KERNEL); /* NOLINT(vmalloc-redundant-highmem) */
}

/* NOLINTNEXTLINE(vmalloc-*) */
void *vl_stale_next(unsigned long n) { return vmalloc(n); }

void *vl_bare(unsigned long n) { return vmalloc(n); } /* NOLINT */
void *vl_other(unsigned long n) { return vmalloc(n); } /* NOLINT(bugprone-foo) */

/* NOLINTBEGIN(vmalloc-redundant-highmem) */
void *vl_block(unsigned long n)
{
	return __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);
}
/* NOLINTEND(vmalloc-redundant-highmem) */

/* NOLINTBEGIN(vmalloc-free-mismatch) */
void vl_block_stale(void *p) { vfree(p); }
/* NOLINTEND(vmalloc-free-mismatch) */
"""


def nolint_unused_mode(lint, tree):
    with tempfile.TemporaryDirectory() as tmp:
        work = copy_tree(tree, os.path.join(tmp, "tree"))
        rel = "drivers/misc/vl-nolint-unused.c"
        with open(os.path.join(work, rel), "w") as f:
            f.write(NOLINT_CASES)
        lines = NOLINT_CASES.splitlines()

        def at(text, directive):
            for i, l in enumerate(lines):
                c = l.find(directive)
                if c >= 0 and text in l:
                    return "%s:%d:%d: warning: %s suppresses no finding in this " \
                           "run [--warn-unused-nolint]" % (rel, i + 1, c + 1, directive)
            fail("no line %r" % text)
        # NOLINTNEXTLINE(vmalloc-*) also names vmalloc-api-migration, which
        # runs only with --migrate-to: not every check it names ran, so it
        # is not reported (the rule of docs/usage.md).
        want = [at("GFP_KERNEL); /*", "NOLINT(vmalloc-redundant-highmem)"),
                at("NOLINTBEGIN(vmalloc-free-mismatch)", "NOLINTBEGIN(vmalloc-free-mismatch)")]
        plain = run([lint, rel], cwd=work, check_exit=(0,))
        if "NOLINT" in plain.stdout + plain.stderr:
            fail("without --warn-unused-nolint: %r" % (plain.stdout + plain.stderr))
        p = run([lint, "--warn-unused-nolint", rel], cwd=work, check_exit=(1,))
        got = [l for l in p.stdout.splitlines() if "--warn-unused-nolint" in l]
        if got != want:
            fail("--warn-unused-nolint reported\n  %s\nwant\n  %s" %
                 ("\n  ".join(got), "\n  ".join(want)))
        # Other formats: the findings JSON as before, the warnings on stderr.
        j = run([lint, "--warn-unused-nolint", "--format", "json", rel], cwd=work,
                check_exit=(1,))
        if json.loads(j.stdout)["findings"] or \
                [l for l in j.stderr.splitlines() if "--warn-unused-nolint" in l] != want:
            fail("--format json --warn-unused-nolint: %r" % j.stderr)
        # A check not run: its directives may be used by a full run.
        q = run([lint, "--warn-unused-nolint", "--checks=-*,vmalloc-zone-gfp", rel],
                cwd=work, check_exit=(0,))
        if "NOLINT" in q.stdout:
            fail("--checks=-*,vmalloc-zone-gfp reported %r" % q.stdout)
        # --diff: the patch stays a patch, the status that of --diff.
        d = run([lint, "--warn-unused-nolint", "--diff", rel], cwd=work, check_exit=(0,))
        if "NOLINT" in d.stdout or len([l for l in d.stderr.splitlines()
                                        if "--warn-unused-nolint" in l]) != len(want):
            fail("--diff --warn-unused-nolint: %r %r" % (d.stdout, d.stderr))
        print("--warn-unused-nolint: %d stale directives reported, the others not" % len(want))


ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def on_pty(cmd, cwd):
    """stdout of cmd when it is a terminal (stderr a pipe)."""
    import pty
    master, slave = pty.openpty()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    chunks = []
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:
            break
        if not b:
            break
        chunks.append(b)
    p.wait()
    os.close(master)
    return p.returncode, b"".join(chunks).decode().replace("\r\n", "\n")


def color_mode(lint, tree):
    plain = run([lint, "."], cwd=tree, check_exit=(1,)).stdout
    if ESCAPE.search(plain):
        fail("--color=auto through a pipe printed escapes")
    always = run([lint, "--color=always", "."], cwd=tree, check_exit=(1,)).stdout
    if ESCAPE.sub("", always) != plain:
        fail("--color=always without its escapes is not the plain text")
    first = plain.splitlines()[0]
    path = first.split(":")[0]
    want = ["\x1b[1m%s:" % path, "\x1b[0;1;35mwarning: \x1b[0m\x1b[1m",
            "\x1b[0;1;30mnote: \x1b[0m", "\x1b[0;1;32m^\x1b[0m"]
    for w in want:
        if w not in always:
            fail("--color=always: no %r in %r" % (w, always[:400]))
    code, tty = on_pty([lint, "."], tree)
    if code != 1 or "\x1b[0;1;35mwarning: " not in tty or ESCAPE.sub("", tty) != plain:
        fail("--color=auto on a terminal: exit %d, %r" % (code, tty[:300]))
    code, tty = on_pty([lint, "--color=never", "."], tree)
    if ESCAPE.search(tty) or tty != plain:
        fail("--color=never on a terminal printed escapes")
    code, tty = on_pty([lint, "--diff", "."], tree)
    if ESCAPE.search(tty):
        fail("--diff on a terminal printed escapes")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "o.txt")
        code, tty = on_pty([lint, "-o", out, "."], tree)
        if ESCAPE.search(open(out).read()):
            fail("-o FILE with --color=auto has escapes")
    json_out = run([lint, "--color=always", "--format", "json", "."], cwd=tree,
                   check_exit=(1,)).stdout
    if ESCAPE.search(json_out):
        fail("--format json with --color=always has escapes")
    with tempfile.TemporaryDirectory() as tmp:
        shard = os.path.join(tmp, "s.json")
        run([lint, "--format", "json", "-o", shard, "."], cwd=tree, check_exit=(1,))
        merged = run([lint, "merge", shard], cwd=tree, check_exit=(1,)).stdout
        if ESCAPE.search(merged) or merged != plain:
            fail("merge through a pipe: escapes, or not the plain text")
        if "\x1b[0;1;35mwarning: " not in run([lint, "merge", "--color=always", shard],
                                              cwd=tree, check_exit=(1,)).stdout:
            fail("merge --color=always: no colours")
    p = run([lint, "--color=sometimes", "."], cwd=tree, check_exit=(2,))
    if "--color must be auto, always or never, not 'sometimes'" not in p.stderr:
        fail("--color=sometimes: %r" % p.stderr)
    print("--color: always/auto on a pty coloured as clang, plain elsewhere")


def output_mode(lint, tree):
    with tempfile.TemporaryDirectory() as tmp:
        work = copy_tree(tree, os.path.join(tmp, "tree"))
        out = os.path.join(tmp, "out")
        n = 0
        for args, statuses in [
                (["--format", "json", "."], (1,)),
                (["."], (1,)),
                (["--format", "sarif", "mm"], (1,)),
                (["--census", "."], (0, 1)),
                (["--diff", "."], (0,)),
                (["--print-compile-commands", "mm"], (0,)),
                (["--list-checks"], (0,))]:
            want = run([lint] + args, cwd=work, check_exit=statuses)
            for opt in (["-o", out], ["--output=" + out]):
                if os.path.exists(out):
                    os.remove(out)
                got = run([lint] + opt + args, cwd=work, check_exit=statuses)
                if got.stdout:
                    fail("%s: printed to stdout with -o: %r" % (opt + args, got.stdout[:200]))
                with open(out) as f:
                    text = f.read()
                if text != want.stdout or not text:
                    fail("%s: the -o file is not what stdout gets (%d vs %d bytes)" %
                         (opt + args, len(text), len(want.stdout)))
                if got.stderr != want.stderr:
                    fail("%s: stderr differs with -o:\n%s\nvs\n%s" %
                         (opt + args, got.stderr, want.stderr))
                n += 1
        # merge: the output may be one of its inputs (read before it is written).
        shard = os.path.join(tmp, "s.json")
        run([lint, "--format", "json", "-o", shard, "."], cwd=work, check_exit=(1,))
        want = run([lint, "merge", shard], check_exit=(1,)).stdout
        run([lint, "merge", "-o", shard, shard], check_exit=(1,))
        if open(shard).read() != want:
            fail("merge -o INPUT INPUT is not what merge INPUT prints")
        # --cc: the findings, which go to stderr, are in the file.
        good = "drivers/md/dm-writecache.c"
        p = run([lint, "--print-compile-commands", good], cwd=work, check_exit=(0,))
        args = json.loads(p.stdout)[0]["arguments"]
        cc = run([lint, "-o", out, "--cc"] + args[1:-1] + [good], cwd=work,
                 check_exit=(0,))
        if "[vmalloc-redundant-highmem]" not in open(out).read() or \
                "warning:" in cc.stderr:
            fail("--cc -o: the findings are not in the file (stderr %r)" % cc.stderr)
        # The README's database command, twice (the second run finds the
        # first one's database in the tree root and reads it while -o
        # writes it), then with -p pointing at it: nothing is read truncated.
        db = os.path.join(work, "compile_commands.json")
        cmd = [lint, "--kernel-tree", ".", "--print-compile-commands", "-o",
               "compile_commands.json", "mm"]
        first = None
        for extra in ([], [], ["-p", "."]):
            p = run(cmd + extra, cwd=work, check_exit=(0,))
            if p.stderr or p.stdout:
                fail("%s: printed %r %r" % (" ".join(cmd + extra), p.stdout, p.stderr))
            with open(db) as f:
                entries = json.load(f)
            files = sorted(e["file"] for e in entries)
            if not files or (first is not None and files != first):
                fail("%s: compile_commands.json has %s" % (cmd + extra, files))
            first = files
        # The shell's way, for contrast: > truncates what the run reads.
        sh = subprocess.run(["sh", "-c", "'%s' --kernel-tree . "
                             "--print-compile-commands mm > compile_commands.json"
                             % lint], cwd=work, capture_output=True, text=True)
        if "Unexpected EOF" not in sh.stderr:
            print("note: '> compile_commands.json' did not warn here: %r" % sh.stderr)
        # An error leaves the file as it was; so does a file that cannot be written.
        with open(out, "w") as f:
            f.write("old\n")
        p = run([lint, "-o", out, "--kernel-version", "99.1", "."], cwd=work,
                check_exit=(2,))
        if open(out).read() != "old\n" or len(p.stderr.splitlines()) != 1:
            fail("-o with a usage error: file %r, stderr %r" % (open(out).read(), p.stderr))
        p = run([lint, "-o", os.path.join(tmp, "no", "such", "dir"), "mm"],
                cwd=work, check_exit=(2,))
        if not re.match(r"vmalloc-lint: error: cannot write -o file '.*': ",
                        p.stderr.splitlines()[-1]):
            fail("-o into a missing directory: %r" % p.stderr)
        # "-o -" is stdout.
        p = run([lint, "-o", "-", "--list-checks"], check_exit=(0,))
        if "vmalloc-redundant-highmem" not in p.stdout or os.path.exists("-"):
            fail("-o - is not stdout")
        print("-o and --output=: %d outputs byte-identical to stdout; merge, "
              "--cc, compile_commands.json read while written, errors" % n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--tree", required=True)
    ap.add_argument("--mode", required=True)
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    lint = os.path.abspath(a.lint)
    tree = os.path.join(os.path.abspath(a.corpus), a.tree)
    expected = os.path.join(os.path.abspath(a.corpus), "expected", a.tree)
    oracle = os.path.join(expected, "fixed")

    if a.mode == "annotations":
        got = findings_json(lint, tree)
        have = sorted((f["file"], f["line"], f["check"]) for f in got["findings"])
        want = annotations(tree)
        if have != want:
            missing = sorted(set(want) - set(have))
            extra = sorted(set(have) - set(want))
            fail("findings do not match the annotations\n  annotated, not "
                 "found: %s\n  found, not annotated: %s\n  (counts %d vs %d)" %
                 (missing, extra, len(want), len(have)))
        print("%d findings match the annotations" % len(have))
        # --min-confidence: "possible" adds exactly the expect-possible lines,
        # each of confidence possible; "definite" keeps only definite pass-2
        # findings (and pass 1's, which have no confidence).
        allf = findings_json(lint, tree, ["--min-confidence=possible"])["findings"]
        have_all = sorted((f["file"], f["line"], f["check"]) for f in allf)
        possible = annotations(tree, POSSIBLE_ANNOTATION)
        if have_all != sorted(want + possible):
            fail("--min-confidence=possible: findings do not match expect: + "
                 "expect-possible:\n  missing: %s\n  extra: %s" %
                 (sorted(set(want + possible) - set(have_all)),
                  sorted(set(have_all) - set(want + possible))))
        for f in allf:
            level = f.get("confidence", {}).get("level")
            key = (f["file"], f["line"], f["check"])
            if (level == "possible") != (key in possible):
                fail("confidence %s at %s:%d %s (expect-possible: %s)" %
                     (level, key[0], key[1], key[2], key in possible))
            if (f["check"] in SINK_CHECKS) != bool(f.get("confidence", {}).get("reason")):
                fail("confidence present iff a sink check: %s" % (key,))
        sure = findings_json(lint, tree, ["--min-confidence=definite"])["findings"]
        for f in sure:
            if f.get("confidence", {}).get("level", "definite") != "definite":
                fail("--min-confidence=definite reports %s" % f)
        n_def = sum(1 for f in allf if f.get("confidence", {}).get("level", "definite") == "definite")
        if len(sure) != n_def:
            fail("--min-confidence=definite: %d findings, want %d" % (len(sure), n_def))
        print("--min-confidence: %d possible (all annotated), %d definite of %d" %
              (len(possible), len(sure), len(allf)))
        # SARIF carries each finding's confidence: rank 90/60/30 for
        # definite/likely/possible, level "note" for possible ("warning"
        # otherwise), properties.confidence; pass-1 findings have no rank.
        want_rank = {"definite": 90, "likely": 60, "possible": 30}
        by_key = {}
        for f in allf:
            by_key.setdefault((f["file"], f["line"], f["check"]), set()).add(
                f.get("confidence", {}).get("level"))
        p = run([lint, "--format", "sarif", "--min-confidence=possible", "."],
                cwd=tree, check_exit=(0, 1))
        results = json.loads(p.stdout)["runs"][0]["results"]
        if len(results) != len(allf):
            fail("SARIF: %d results, JSON %d findings" % (len(results), len(allf)))
        seen = set()
        for r in results:
            loc = r["locations"][0]["physicalLocation"]
            key = (loc["artifactLocation"]["uri"], loc["region"]["startLine"],
                   r["ruleId"])
            level = r.get("properties", {}).get("confidence")
            if level not in by_key.get(key, ()):
                fail("SARIF %s: confidence %s, JSON %s" % (key, level, by_key.get(key)))
            if level is None:
                if "rank" in r or r["level"] != "warning":
                    fail("SARIF %s: pass-1 result with rank %s, level %s" %
                         (key, r.get("rank"), r["level"]))
                continue
            seen.add(level)
            if r.get("rank") != want_rank[level] or \
                    r["level"] != ("note" if level == "possible" else "warning") or \
                    not r["properties"].get("confidenceReason"):
                fail("SARIF %s (%s): rank %s, level %s, reason %r" %
                     (key, level, r.get("rank"), r["level"],
                      r["properties"].get("confidenceReason")))
        # linux-4.9's corpus has no pass-2 finding; a tree with some shows
        # every level.
        if any(f["check"] in SINK_CHECKS for f in allf) and seen != set(want_rank):
            fail("SARIF: the corpus shows the levels %s, want all three" % sorted(seen))
        print("SARIF: %d results, rank 90/60/30 and level note for possible" %
              len(results))

    elif a.mode == "findings":
        compare_json(findings_json(lint, tree), os.path.join(expected, "findings.json"),
                     a.update)
        print("findings.json matches")

    elif a.mode == "text":
        # Compiler-style text: file:line:col: warning: message [check], the
        # source line, a caret under the column; notes after.
        p = run([lint, "."], cwd=tree, check_exit=(1,))
        compare_text(p.stdout, os.path.join(expected, "findings.txt"), a.update,
                     "text output")
        lines = p.stdout.splitlines()
        warn = re.compile(r"^[^:\s]+:(\d+):(\d+): warning: .+ \[vmalloc-[a-z0-9-]+\]$")
        count = 0
        for i, line in enumerate(lines):
            m = warn.match(line)
            if not m:
                continue
            count += 1
            col = int(m.group(2))
            src, caret = lines[i + 1], lines[i + 2]
            if caret.strip() != "^" or len(caret) != col:
                fail("caret not under column %d:\n%s\n%s\n%s" % (col, line, src, caret))
        if not re.search(r"^vmalloc-lint: %d findings? " % count, p.stderr, re.M):
            fail("summary line does not count %d findings: %r" % (count, p.stderr))
        print("text output matches (%d warnings with source line and caret)" % count)

    elif a.mode == "census":
        p = run([lint, "--census", "--format", "json", "."], cwd=tree,
                check_exit=(0, 1))
        compare_json(json.loads(p.stdout), os.path.join(expected, "census.json"),
                     a.update)
        print("census.json matches")

    elif a.mode == "diff":
        # --diff exits 0 when it printed the fixes, findings or not.
        p = run([lint, "--diff", "--quiet", "."], cwd=tree, check_exit=(0,))
        compare_text(p.stdout, os.path.join(expected, "fix.diff"), a.update,
                     "--diff output")
        # A fix left out because it overlaps another is a note: on stderr
        # without --quiet, not with it (and the patch is the same).
        overlap = "fix not applied: "
        if overlap in p.stderr:
            fail("--diff --quiet printed %r" % p.stderr)
        loud = run([lint, "--diff", "."], cwd=tree, check_exit=(0,))
        if loud.stdout != p.stdout:
            fail("--diff with and without --quiet print different patches")
        notes = [l for l in loud.stderr.splitlines() if overlap in l]
        # fs/gfs2/: open-coded-kvmalloc's rewrite of the statement drops the
        # __GFP_HIGHMEM redundant-highmem would drop: the note says so.
        subsumed = ("fix not applied: subsumed by vmalloc-open-coded-kvmalloc's "
                    "fix at line ")
        if os.path.basename(tree) == "linux-6.1" and not any(
                "fs/gfs2/" in l and subsumed in l and
                l.endswith("without __GFP_HIGHMEM") for l in notes):
            fail("--diff printed no subsumed note (fs/gfs2/ has two fixes of "
                 "one call): %r" % loud.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_tree(tree, os.path.join(tmp, "tree"))
            patch = os.path.join(tmp, "fix.diff")
            with open(patch, "w") as f:
                f.write(p.stdout)
            run(["git", "apply", "--check", patch], cwd=work, check_exit=(0,))
            run(["git", "apply", patch], cwd=work, check_exit=(0,))
            compare_with_oracle(tree, work, oracle)
        # The documented command line, as a shell runs it: the && must go on.
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_tree(tree, os.path.join(tmp, "tree"))
            dirs = sorted(d for d in ("mm", "fs", "drivers")
                          if os.path.isdir(os.path.join(work, d)))
            cmd = ("'%s' --kernel-tree . --diff %s > vmalloc.patch && "
                   "git apply vmalloc.patch" % (lint, " ".join(dirs)))
            sh = subprocess.run(["sh", "-c", cmd], cwd=work, capture_output=True,
                                text=True)
            if sh.returncode != 0:
                fail("%s: exit %d (stderr: %s)" % (cmd, sh.returncode, sh.stderr))
            os.remove(os.path.join(work, "vmalloc.patch"))
            changed = [rel for rel in all_files(tree)
                       if not filecmp.cmp(os.path.join(tree, rel),
                                          os.path.join(work, rel), shallow=False)]
            want = [rel for rel in changed if os.path.exists(os.path.join(oracle, rel))]
            # Only files with a hand-written fixed copy (a header's fix comes
            # with the units under DIRS that include it).
            if not changed or changed != want:
                fail("%s changed %s" % (cmd, changed))
            for rel in changed:
                if not filecmp.cmp(os.path.join(oracle, rel),
                                   os.path.join(work, rel), shallow=False):
                    fail("%s: %s is not the fixed file" % (cmd, rel))
        # With no findings at all, --diff prints nothing and exits 0 too.
        clean = run([lint, "--diff", "--quiet", "--checks=vmalloc-zone-gfp",
                     os.path.join(tree, "mm", "vmalloc.c")], check_exit=(0,))
        if clean.stdout:
            fail("--diff with no findings printed %r" % clean.stdout)
        print("--diff matches and git apply gives the fixed files; `--diff %s > "
              "vmalloc.patch && git apply vmalloc.patch` applies (%d files)" %
              (" ".join(dirs), len(changed)))

    elif a.mode == "fix":
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_tree(tree, os.path.join(tmp, "tree"))
            # --fix exits 0 when it applied the fixes, findings or not.
            run([lint, "--fix", "--quiet", "."], cwd=work, check_exit=(0,))
            compare_with_oracle(tree, work, oracle)
            again = copy_tree(work, os.path.join(tmp, "again"))
            run([lint, "--fix", "--quiet", "."], cwd=again, check_exit=(0,))
            for rel in all_files(work):
                if not filecmp.cmp(os.path.join(work, rel),
                                   os.path.join(again, rel), shallow=False):
                    fail("a second --fix changed %s" % rel)
            left = [n for n in os.listdir(tmp) if "vmalloc-lint-" in n]
            if left:
                fail("temporary files left behind: %s" % left)
            # A read-only file among those to fix: refused, exit 2, one line,
            # nothing written anywhere (not even the writable files).
            ro_tree = copy_tree(tree, os.path.join(tmp, "readonly"))
            ro, rw = sorted(all_files(oracle))[0], sorted(all_files(oracle))[-1]
            os.chmod(os.path.join(ro_tree, ro), 0o444)
            os.chmod(os.path.join(ro_tree, rw), 0o640)
            p = run([lint, "--fix", "--quiet", "--format", "json", "."],
                    cwd=ro_tree, check_exit=(2,))
            # Only the refusal: --quiet does not print the notes of fixes
            # that overlap another (an open-coded kvmalloc's replacement
            # covers the __vmalloc() whose __GFP_HIGHMEM another fix drops).
            lines = p.stderr.strip().splitlines()
            if len(lines) != 1 or "refuses to write" not in lines[0] or \
                    "mode 0444" not in lines[0] or ro not in lines[0]:
                fail("--fix on a 0444 file: want one line refusing %s, got %r" %
                     (ro, p.stderr))
            for rel in all_files(tree):
                if not filecmp.cmp(os.path.join(tree, rel),
                                   os.path.join(ro_tree, rel), shallow=False):
                    fail("--fix refused, yet %s changed" % rel)
            if [n for n in os.listdir(tmp) if "vmalloc-lint-" in n] or \
                    any("vmalloc-lint-" in n for _, _, ns in os.walk(ro_tree) for n in ns):
                fail("--fix refused, yet left temporary files")
            # Writable again: fixed, and the modes stay.
            os.chmod(os.path.join(ro_tree, ro), 0o604)
            run([lint, "--fix", "--quiet", "."], cwd=ro_tree, check_exit=(0,))
            for rel, mode in ((ro, 0o604), (rw, 0o640)):
                got = os.stat(os.path.join(ro_tree, rel)).st_mode & 0o7777
                if got != mode:
                    fail("--fix changed the mode of %s to %o" % (rel, got))
            before, after = error_count(lint, tree), error_count(lint, work)
            if after > before:
                fail("fixed tree has %d compiler errors, original %d" % (after, before))
            print("--fix gives the fixed files; second run changes nothing; "
                  "errors before/after: %d/%d" % (before, after))

    elif a.mode == "apply-replacements":
        with tempfile.TemporaryDirectory() as tmp:
            fixed = copy_tree(tree, os.path.join(tmp, "fixed"))
            run([lint, "--fix", "--quiet", "."], cwd=fixed, check_exit=(0, 1))
            applied = copy_tree(tree, os.path.join(tmp, "applied"))
            fixes = os.path.join(tmp, "fixes")
            os.mkdir(fixes)
            run([lint, "--quiet", "--export-fixes", os.path.join(fixes, "fixes.yaml"),
                 "."], cwd=applied, check_exit=(0, 1))
            run(["clang-apply-replacements-19", fixes], check_exit=(0,))
            for rel in all_files(tree):
                if not filecmp.cmp(os.path.join(fixed, rel),
                                   os.path.join(applied, rel), shallow=False):
                    fail("clang-apply-replacements result differs from --fix in %s" % rel)
        print("clang-apply-replacements-19 gives the same files as --fix")

    elif a.mode == "compile-db":
        want = findings_json(lint, tree)
        # The options a configuration that builds each file sets (kbuild's
        # database holds a built file with its configuration; the tool
        # gives a file the corpus does not build the options that would
        # build it, docs/usage.md): as in the synthesised commands.
        p = run([lint, "--kernel-tree", tree, "--print-compile-commands"] +
                [r for r in sources(tree) if r.endswith(".c")], cwd=tree,
                check_exit=(0,))
        config_defs = {}
        for c in json.loads(p.stdout):
            args, defs = c["arguments"], []
            for i, x in enumerate(args):
                if x.startswith("-DCONFIG_"):
                    defs.append(x)
                elif x == "-D" and i + 1 < len(args) and args[i + 1].startswith("CONFIG_"):
                    defs.append("-D" + args[i + 1])
            config_defs[os.path.relpath(c["file"], tree)] = defs
        with tempfile.TemporaryDirectory() as tmp:
            inc = lambda p: os.path.join(tree, p)
            cmds = []
            for rel in sources(tree):
                if not rel.endswith(".c"):
                    continue
                args = ["gcc", "-Wp,-MMD,.tmp.d", "-nostdinc",
                        "-I" + inc("arch/x86/include"), "-I" + inc("include"),
                        "-I" + inc("include/uapi")]
                for h in ("include/linux/kconfig.h", "include/linux/compiler_types.h"):
                    if os.path.exists(inc(h)):
                        args += ["-include", inc(h)]
                # gcc-only kernel flags clang does not know must be dropped.
                args += config_defs.get(rel, [])
                args += ["-D__KERNEL__", "-std=gnu11", "-fconserve-stack",
                         "-mrecord-mcount", "-fno-allow-store-data-races",
                         "-Wno-maybe-uninitialized", "-mindirect-branch=thunk-extern",
                         "-O2", "-c", "-o", rel[:-2] + ".o", rel]
                cmds.append({"directory": tree, "arguments": args, "file": rel})
            with open(os.path.join(tmp, "compile_commands.json"), "w") as f:
                json.dump(cmds, f)
            got = findings_json(lint, tree, ["-p", tmp])
            # Without inputs: every file of the database.
            p = run([lint, "--format", "json", "-p", tmp], cwd=tree,
                    check_exit=(1,))
            all_files_db = json.loads(p.stdout)
            # Without -p: found in a parent directory, as clang tools do. A
            # marker include that only the database adds proves it is used
            # (and that a missing header is not fatal).
            work = copy_tree(tree, os.path.join(tmp, "auto"))
            for c in cmds:
                c["directory"] = work
                c["arguments"] = [x.replace(tree, work) for x in c["arguments"]]
                c["arguments"][1:1] = ["-include", "vl-db-marker.h"]
            with open(os.path.join(work, "compile_commands.json"), "w") as f:
                json.dump(cmds, f)
            p = run([lint, "--format", "json", "--compiler-errors", "."],
                    cwd=work, check_exit=(1,))
            auto = json.loads(p.stdout)
            if "vl-db-marker.h' file not found" not in p.stderr:
                fail("compile_commands.json in the tree root was not used")
        strip = lambda j: sorted((f["file"], f["line"], f["check"], f["message"])
                                 for f in j["findings"])
        for name, j in (("-p", got), ("-p without inputs", all_files_db),
                        ("auto-detected database", auto)):
            if strip(j) != strip(want):
                fail("%s findings differ from --kernel-tree findings:\n%s\n%s" %
                     (name, strip(j), strip(want)))
        print("-p, -p without inputs and the auto-detected compile_commands.json "
              "give the same %d findings" % len(want["findings"]))

    elif a.mode == "headers":
        # Headers that analysed .c files include are not parsed again; a
        # header no .c file includes (a header-only wrapper) is analysed on
        # its own.
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_tree(tree, os.path.join(tmp, "tree"))
            orphan = os.path.join(work, "include", "linux", "orphan_alloc.h")
            old_tree = a.tree == "linux-4.9"
            call = ("__vmalloc(n, GFP_KERNEL, PAGE_KERNEL)" if old_tree else
                    "__vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM)")
            with open(orphan, "w") as f:
                f.write("#include <linux/mm.h>\n#include <linux/vmalloc.h>\n"
                        "static inline void *orphan_alloc(unsigned long n)\n"
                        "{\n\treturn %s;\n}\n" % call)
            p = run([lint, "--format", "json", "."], cwd=work, check_exit=(1,))
            got = [(f["file"], f["line"], f["check"]) for f in json.loads(p.stdout)["findings"]]
            want = ("include/linux/orphan_alloc.h", 5,
                    "vmalloc-lowmem-gfp" if old_tree else "vmalloc-redundant-highmem")
            if want not in got:
                fail("the header nothing includes was not analysed: %s" % got)
            m = re.search(r"(\d+) files? analysed.*?, (\d+) headers? covered", p.stderr)
            if not m:
                fail("no covered headers in the summary: %r" % p.stderr)
            analysed, covered = int(m.group(1)), int(m.group(2))
            n_c = len([s_ for s_ in sources(work) if s_.endswith(".c")])
            n_h = len(sources(work)) - n_c
            m = re.search(r", (\d+) skipped: cannot contain a call of interest", p.stderr)
            skipped = int(m.group(1)) if m else 0
            if analysed + covered + skipped != n_c + n_h or analysed <= n_c - skipped \
                    or covered == 0:
                fail("%d .c + %d .h files: %d analysed, %d covered" %
                     (n_c, n_h, analysed, covered))
        print("%d headers not parsed twice; the orphan header was analysed" % covered)

    elif a.mode == "prefilter":
        prefilter_mode(lint, tree, a.tree)

    elif a.mode == "progress":
        p = run([lint, "--progress", "--summary", "-j2", "--format", "json", "."],
                cwd=tree, check_exit=(1,))
        n = len(json.loads(p.stdout)["findings"])
        lines = [l for l in p.stderr.splitlines()
                 if re.match(r"^vmalloc-lint: \[\d+/\d+\] \S+: ", l)]
        m = re.search(r"(\d+) files? analysed", p.stderr)
        if not m or len(lines) != int(m.group(1)):
            fail("want one progress line per analysed file: %r" % p.stderr)
        if not re.search(r"\[%s/%s\]" % (m.group(1), m.group(1)), lines[-1]):
            fail("last progress line is not done/total: %r" % lines[-1])
        table = p.stderr[p.stderr.index("vmalloc-lint summary\n"):]
        for row, val in (("translation units analysed", m.group(1)),
                         ("findings", str(n)), ("crashed", "0"),
                         ("timed out", "0")):
            if not re.search(r"^  %s +%s$" % (row, val), table, re.M):
                fail("summary table has no row %r = %s:\n%s" % (row, val, table))
        if not re.search(r"^  wall time +[\d.]+ s$", table, re.M):
            fail("no wall time in the summary table:\n" + table)
        # The units by build state (summary.units with --summary), and the
        # ones that did not fully compile by cause: the text table has the
        # same numbers, the parts add up to the whole.
        if a.tree == "linux-6.1":
            units = json.loads(p.stdout)["summary"].get("units")
            if not units:
                fail("no summary.units with --summary --format json")
            builds = ("built-in", "module", "not-built", "unknown")
            if sum(units[b] for b in builds) != int(m.group(1)) or \
                    units["analysed"] != int(m.group(1)):
                fail("summary.units does not add up to %s units: %r" %
                     (m.group(1), units))
            # drivers/scsi/ps3rom.c, vl-ps3-ct.c, drivers/cpufreq/*.c and
            # drivers/gpu/drm/vldbi/*.c: listed by obj-$(CONFIG_X) lines of
            # an unconfigured tree.
            if units["not-built"] < 6:
                fail("want at least 6 not-built units: %r" % units)
            e = units["did_not_fully_compile"]
            errs = re.search(r"(\d+) did not fully compile", p.stderr)
            if e["total"] != (int(errs.group(1)) if errs else 0) or \
                    e["total"] != sum(e[c] for c in (
                        "other-arch-no-clang-target", "not-built", "other")):
                fail("did_not_fully_compile does not add up: %r" % e)
            # "The rest" by name: broken_config.c (broken on purpose) is the
            # corpus's one unit whose errors no cause explains.
            rest = [(u["file"], u["build"]) for u in e["other_units"]]
            if len(rest) != e["other"] or \
                    ("drivers/misc/broken_config.c", "unknown") not in rest:
                fail("did_not_fully_compile.other_units is not the %d units "
                     "of 'the rest' with broken_config.c: %r" %
                     (e["other"], rest))
            for row, val in (("  not built by the configuration",
                              units["not-built"]),
                             ("  built in by the configuration",
                              units["built-in"]),
                             ("  build unknown", units["unknown"]),
                             ("  other arch, no clang target",
                              e["other-arch-no-clang-target"]),
                             ("  the rest", e["other"])):
                if not re.search(r"^  %s +%d$" % (row, val), table, re.M):
                    fail("summary table has no row %r = %d:\n%s" %
                         (row, val, table))
            if "units" in json.loads(run([lint, "--format", "json", "."],
                                         cwd=tree, check_exit=(1,)).stdout
                                     )["summary"]:
                fail("summary.units without --summary")
        q = run([lint, "--format", "json", "."], cwd=tree, check_exit=(1,))
        if "[1/" in q.stderr or "summary" in q.stderr:
            fail("progress or table without --progress/--summary: %r" % q.stderr)
        print("%d progress lines and the summary table" % len(lines))

    elif a.mode == "cc":
        # A file with findings of the checks selected after --cc.
        checks = "--checks=vmalloc-*,-vmalloc-zone-gfp"
        for rel in sorted({f for f, _, c in annotations(tree)
                           if f.endswith(".c") and "broken" not in f and
                           c != "vmalloc-zone-gfp"}):
            want = run([lint, checks, rel], cwd=tree, check_exit=(1,)).stdout
            break
        else:
            fail("no annotated .c file")
        p = run([lint, "--print-compile-commands", rel], cwd=tree, check_exit=(0,))
        clang_args = json.loads(p.stdout)[0]["arguments"]
        analysis = {"-fsyntax-only", "-w", "-Wno-error", "-ferror-limit=0",
                    "-fno-caret-diagnostics"}
        c_flags, i = [], 1
        while i < len(clang_args) - 1:
            x = clang_args[i]
            if x in ("-resource-dir", "-isystem"):
                i += 2
                continue
            if x not in analysis and not x.startswith("--target="):
                c_flags.append(x.replace(tree + "/", ""))
            i += 1
        # What kbuild adds around them for gcc and a checker.
        c_flags = (["-Wp,-MMD,%s.d" % rel[:-2], "-nostdinc", "-isystem",
                    "/usr/lib/gcc/x86_64-linux-gnu/12/include"] + c_flags +
                   ["-fconserve-stack", "--param=allow-store-data-races=0",
                    "-mindirect-branch=thunk-extern", "-Wno-maybe-uninitialized",
                    "-O2"])
        checkflags = ["-D__linux__", "-Dlinux", "-D__STDC__", "-Dunix",
                      "-D__unix__", "-Wbitwise", "-Wno-return-void",
                      "-Wno-unknown-attribute", "-D__x86_64__", "--arch=x86_64",
                      "-mlittle-endian", "-m64"]
        cc = [lint, "--cc", checks, *checkflags, *c_flags, rel]
        p = run(cc, cwd=tree, check_exit=(0,))
        if p.stdout or p.stderr != want:
            fail("--cc output differs from the normal run:\nwant:\n%s\ngot "
                 "stdout:\n%s\nstderr:\n%s" % (want, p.stdout, p.stderr))
        run([lint, "--cc", "--werror", checks, *checkflags, *c_flags, rel],
            cwd=tree, check_exit=(1,))
        p = run([lint, "--cc", "--print-compile-commands", *checkflags, *c_flags,
                 rel], cwd=tree, check_exit=(0,))
        used = json.loads(p.stdout)[0]["arguments"]
        for gone in ("-fconserve-stack", "/usr/lib/gcc/x86_64-linux-gnu/12/include",
                     "--arch=x86_64"):
            if gone in used:
                fail("--cc kept %s: %s" % (gone, used))
        if "/usr/lib/llvm-19/lib/clang/19/include" not in used:
            fail("--cc -nostdinc without clang's builtin headers: %s" % used)
        for args, text in (([], "no .c file"), (["-O2", "x.o"], "no .c file")):
            p = run([lint, "--cc", *args], cwd=tree, check_exit=(2,))
            if text not in p.stderr:
                fail("--cc %s: %r" % (args, p.stderr))
        print("--cc with kbuild's checker arguments gives the %d warnings of a "
              "normal run on stderr, exit 0 (1 with --werror)" % want.count(" warning: "))

    elif a.mode == "shard":
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_tree(tree, os.path.join(tmp, "tree"))
            add_prefilter_cases(work, a.tree == "linux-4.9")
            checked = 0
            for pf in ([], ["--no-prefilter"]):
                whole = run([lint, "--format", "json", *pf, "."], cwd=work,
                            check_exit=(1,)).stdout
                whole_text = run([lint, *pf, "."], cwd=work, check_exit=(1,)).stdout
                for n in (2, 3, 5):
                    outs = []
                    for k in range(1, n + 1):
                        out = os.path.join(tmp, "s%d-%d.json" % (k, n))
                        p = run([lint, "--format", "json", "--shard", "%d/%d" % (k, n),
                                 *pf, "."], cwd=work, check_exit=(0, 1))
                        if "shard %d/%d" % (k, n) not in p.stderr:
                            fail("no shard in the summary: %r" % p.stderr)
                        with open(out, "w") as f:
                            f.write(p.stdout)
                        outs.append(out)
                    sizes = [len(json.load(open(o))["findings"]) for o in outs]
                    if sum(1 for x in sizes if x) < 2:
                        fail("%d shards: findings not spread over shards: %s" % (n, sizes))
                    merged = run([lint, "merge", "--format", "json", *outs], cwd=work,
                                 check_exit=(1,)).stdout
                    if json.loads(merged) != json.loads(whole):
                        fail("%d shards merged differ from one run (%s)" % (n, pf))
                    text = run([lint, "merge", *outs], cwd=work, check_exit=(1,)).stdout
                    if text != whole_text:
                        fail("%d shards merged, text view, differ from one run" % n)
                    checked += 1
        print("%d shardings merged give the findings of one run" % checked)

    elif a.mode == "facts":
        facts_mode(lint, tree, expected, a.update)

    elif a.mode == "timeout":
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_tree(tree, os.path.join(tmp, "tree"))
            # 2^24 tokens in one #if: seconds of preprocessing.
            slow = os.path.join(work, "drivers", "aaa_slow.c")
            with open(slow, "w") as f:
                f.write("#include <linux/vmalloc.h>\n#define A0 1\n")
                for i in range(1, 25):
                    f.write("#define A%d (A%d+A%d)\n" % (i, i - 1, i - 1))
                f.write("#if A24 > 0\nint vmalloc_slow;\n#endif\n")
            want = json.loads(run([lint, "--format", "json", "drivers"], cwd=work,
                                  check_exit=(1,)).stdout)["findings"]
            if not want:
                fail("no findings under drivers/")
            p = run([lint, "-j1", "--timeout-per-file", "1", "--format", "json",
                     "drivers"], cwd=work, check_exit=(3,))
            if p.stderr.count("timed out (--timeout-per-file") != 1 or "aaa_slow.c timed out" not in p.stderr:
                fail("aaa_slow.c not reported as timed out: %r" % p.stderr)
            if json.loads(p.stdout)["findings"] != want:
                fail("the run did not go on after the timeout")
            bad = run([lint, "--timeout-per-file", "0", slow])
            if bad.returncode != 2 or "--timeout-per-file" not in bad.stderr:
                fail("--timeout-per-file 0 accepted: %r" % bad.stderr)
        print("the slow file timed out, the other %d findings were reported" % len(want))

    elif a.mode == "isolate":
        isolate_mode(lint, tree, a.tree)

    elif a.mode == "isolate-memory":
        isolate_memory_mode(lint, tree)

    elif a.mode == "isolate-timeout":
        isolate_timeout_mode(lint, tree)

    elif a.mode == "bad-input":
        with tempfile.TemporaryDirectory() as tmp:
            broken = os.path.join(tmp, "db")
            os.mkdir(broken)
            with open(os.path.join(broken, "compile_commands.json"), "w") as f:
                f.write("[{ this is not json")
            os.symlink(os.path.join(tmp, "nowhere.c"), os.path.join(tmp, "dangling.c"))
            good = os.path.join(tree, sources(tree)[0])
            facts_ok = os.path.join(tmp, "ok.facts")
            facts_bad = os.path.join(tmp, "bad.facts")
            # No records: their count is 0, their digest xxh3 of "".
            with open(facts_ok, "w") as f:
                f.write('{"digest":"0x2d06800538d394c2","kind":'
                        '"vmalloc-lint-facts","records":0,"version":4}\n')
            with open(facts_bad, "w") as f:
                f.write('{"kind":"vmalloc-lint-facts","version":1}\n'
                        '{"kind":"returns"}\n')
            # A module source outside any tree, no -p: the kernel headers
            # are nowhere, so the family would be undeclared (0 findings).
            outside = os.path.join(tmp, "mod.c")
            with open(outside, "w") as f:
                f.write("#include <linux/module.h>\n#include <linux/vmalloc.h>\n"
                        "void *f(unsigned long n)\n"
                        "{\n\treturn __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n}\n")
            cases = [
                ([outside], "<linux/vmalloc.h> is not found"),
                ([outside], "--kernel-tree /lib/modules/$(uname -r)/build"),
                ([os.path.join(tmp, "missing.c")], "cannot access"),
                ([os.path.join(tmp, "dangling.c")], "cannot access"),
                (["/dev/null"], "not a regular file"),
                (["-p", broken, good], "cannot load compile database"),
                (["-p", os.path.join(tmp, "nodb"), good], "not a directory"),
                (["-p", tmp, good], "no compile_commands.json"),
                (["--no-such-option", good], "Unknown command line argument"),
                (["--kernel-version", "six", good], "--kernel-version"),
                (["--format", "xml", good], "--format"),
                (["--checks=-*", good], "enables no check"),
                (["--checks=vmalloc-redundant-highmem,nonsense", good],
                 "no check named 'nonsense' (see --list-checks)"),
                (["--checks=stack-dma", good],
                 "no check named 'stack-dma'; did you mean 'vmalloc-stack-dma'?"),
                (["--checks=vmalloc-stak-dma", good],
                 "did you mean 'vmalloc-stack-dma'?"),
                (["--checks=vmalloc-redundnat-highmem", good],
                 "did you mean 'vmalloc-redundant-highmem'?"),
                (["--checks=-*,vmalloc-*hghmem", good],
                 "'vmalloc-*hghmem' matches no check; did you mean "
                 "'vmalloc-redundant-highmem'?"),
                (["--checks=-vmalloc-nosuch-sink", good], "'vmalloc-nosuch-sink'"),
                (["-j", "abc", good], "-j/--jobs must be a number of parallel "
                 "jobs from 1 to 4096, not 'abc'"),
                (["-jabc", good], "not 'abc'"),
                (["--jobs=-2", good], "not '-2'"),
                (["-j0", good], "not '0'"),
                (["--kernel-version", "99.1", good], "--kernel-version '99.1' "
                 "is not a kernel version (kernel releases are 2.6.x, 3.0-3.19, "
                 "4.0-4.20, 5.0-5.19, 6.0 on)"),
                (["--kernel-version", "4.21", good], "'4.21' is not a kernel version"),
                (["--kernel-version", "2.4", good], "'2.4' is not a kernel version"),
                (["--census", "--diff", good], "--census lists call sites and "
                 "cannot be used with --diff"),
                (["--census", "--fix", good], "cannot be used with --fix"),
                (["--lsp", good], "--lsp takes no inputs"),
                (["--census", "--export-fixes", os.path.join(tmp, "f.yaml"), good],
                 "cannot be used with --export-fixes"),
                (["--diff", "--format", "json", good],
                 "--diff prints a unified diff and cannot be used with --format json"),
                (["--kernel-tree", tmp, good], "no top Makefile"),
                ([], "no input files"),
                ([broken], "no .c or .h files"),
                (["--shard", "0/3", good], "--shard"),
                (["--shard", "4/3", good], "--shard"),
                (["--shard", "two", good], "--shard"),
                (["--timeout-per-file", "-1", good], "--timeout-per-file"),
                (["--timeout-per-file", "soon", good], "--timeout-per-file"),
                (["--memory-limit", "0", good], "--memory-limit"),
                (["--memory-limit", "lots", good], "--memory-limit"),
                (["--memory-limit", "-5", good], "--memory-limit"),
                (["--werror", good], "--werror"),
                (["merge", os.path.join(tmp, "missing.json")], "cannot read"),
                (["merge", os.path.join(broken, "compile_commands.json")], "not JSON"),
                (["merge", good], "not JSON"),
                (["merge"], "give the --format json outputs"),
                (["merge", "--census", good], "merge takes"),
                (["merge", "--bogus", good], "error: Unknown command line argument"),
                (["--cc"], "no compiler arguments"),
                (["--facts-out", os.path.join(tmp, "nodir", "f.facts"), good],
                 "cannot write --facts-out"),
                (["--facts-in", os.path.join(tmp, "missing.facts"), good],
                 "cannot read --facts-in"),
                (["--facts-in", good, good], "--facts-in"),
                (["--facts-in", facts_bad, good],
                 "facts format version 1, this vmalloc-lint reads version 4"),
                (["merge", facts_ok], "need --facts-out"),
            ]
            # An unreadable file. Root reads everything, so as root the tool
            # runs as nobody (setpriv, util-linux) from a copy it can reach.
            udir = os.path.join(tmp, "u")
            os.mkdir(udir)
            unreadable = os.path.join(udir, "unreadable.c")
            with open(unreadable, "w") as f:
                f.write("int x;\n")
            os.chmod(unreadable, 0)
            runner = [lint]
            if os.geteuid() == 0 and shutil.which("setpriv"):
                for d in (tmp, udir):
                    os.chmod(d, 0o755)
                shutil.copy2(lint, os.path.join(udir, "vmalloc-lint"))
                runner = ["setpriv", "--reuid=65534", "--regid=65534",
                          "--clear-groups", os.path.join(udir, "vmalloc-lint")]
            unreadable_case = None
            if os.geteuid() != 0 or len(runner) > 1:
                unreadable_case = ([unreadable], "cannot read")
                cases.append(unreadable_case)
            for case in cases:
                args, text = case
                p = run((runner if case is unreadable_case else [lint]) + args)
                lines = p.stderr.strip().splitlines()
                if p.returncode != 2:
                    fail("%s: exit %d, want 2 (stderr: %s)" % (args, p.returncode, p.stderr))
                if len(lines) != 1 or text not in lines[0] or \
                        not lines[0].startswith("vmalloc-lint: error: "):
                    fail("%s: want one line with %r, got %r" % (args, text, p.stderr))
                if p.stdout:
                    fail("%s: printed to stdout: %r" % (args, p.stdout))
            # Negative: outside any tree, declaring what it calls itself (no
            # kernel header), the file is analysed as before.
            stub = os.path.join(tmp, "stub.c")
            with open(stub, "w") as f:
                f.write("typedef unsigned gfp_t;\n"
                        "void *__vmalloc(unsigned long size, gfp_t gfp);\n"
                        "void *f(unsigned long n) { return __vmalloc(n, 0xcc0u); }\n")
            p = run([lint, stub])
            if p.returncode != 0:
                fail("%s: exit %d, want 0 (stderr: %s)" % (stub, p.returncode, p.stderr))
        print("%d bad inputs rejected with exit 2 and one line" % len(cases))
    elif a.mode == "output":
        output_mode(lint, tree)
    elif a.mode == "color":
        color_mode(lint, tree)
    elif a.mode == "nolint-unused":
        nolint_unused_mode(lint, tree)
    else:
        fail("unknown mode " + a.mode)


if __name__ == "__main__":
    main()
