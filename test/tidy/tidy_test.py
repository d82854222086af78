#!/usr/bin/env python3
"""clang-tidy plugin tests: the real clang-tidy-19 with --load=<plugin>.

Modes (one ctest each):
  links           the plugin links the libclang-cpp/libLLVM that clang-tidy-19
                  links, defines no clang/LLVM symbol, takes the clang-tidy
                  symbols from the executable; --list-checks == the CLI's
  same-as-cli     (per tree) clang-tidy over every .c file of the tree (and
                  every header no .c file includes, as the CLI does) reports
                  the same (file, line, column, check, message) set as
                  vmalloc-lint --format json, and the same notes and
                  expansion sites per finding
  diagnostics     exact diagnostics and notes on a few corpus files
  fix             (per tree) --fix on the files that compile, --fix-errors on
                  the ones that do not, give the hand-written fixed files
  export-fixes    (per tree) --export-fixes YAML, applied with
                  clang-apply-replacements-19, gives the same fixed files
  nolint          NOLINT(check) and NOLINTNEXTLINE(check) suppress; NOLINT of
                  another check does not
  config-file     a .clang-tidy in the tree selects checks and KernelVersion;
                  a bad KernelVersion is a configuration diagnostic;
                  MinConfidence hides or shows a "possible" pass-2 finding
  broken-file     a file whose first include is missing (a fatal error in
                  clang) and with more errors than clang's default limit,
                  compiled without -ferror-limit=0: clang-tidy still reports
                  the finding after them, as the CLI does
  run-clang-tidy  run-clang-tidy-19 -load <plugin> -p <dir> over a generated
                  compile_commands.json reports what the CLI reports
  facts           CheckOptions FactsFile (the CLI's --facts-out of the tree)
                  gives the CLI's --facts-in findings of another file's
                  helper calls; an unreadable FactsFile is diagnosed

The compile flags are the CLI's own (vmalloc-lint --print-compile-commands),
so both front ends compile each file the same way.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "e2e"))
from corpus_e2e import (all_files, compare_with_oracle, copy_tree, fail,  # noqa: E402
                        run)

CHECKS = "-*,vmalloc-*"
# file:line:col: warning: message [check]
DIAG = re.compile(r"^(/[^:]+):(\d+):(\d+): (warning|error|note): (.*?)(?: \[([a-z0-9,.-]+)\])?$")


class Tidy:
    def __init__(self, args):
        self.lint = os.path.abspath(args.lint)
        self.plugin = os.path.abspath(args.plugin)
        self.clang_tidy = args.clang_tidy
        self.corpus = os.path.abspath(args.corpus)

    def compile_db(self, tree, dest):
        """compile_commands.json in dest with the CLI's commands for tree."""
        p = run([self.lint, "--print-compile-commands", "."], cwd=tree,
                check_exit=(0,))
        db = json.loads(p.stdout)
        os.makedirs(dest, exist_ok=True)
        with open(os.path.join(dest, "compile_commands.json"), "w") as f:
            json.dump(db, f, indent=1)
        return db

    def run(self, files, db_dir, extra=(), cwd=None, checks=CHECKS,
            exits=(0, 1), quiet=True):
        cmd = [self.clang_tidy, "--load=" + self.plugin, "-p", db_dir,
               "--header-filter=.*"] + (["--quiet"] if quiet else [])
        if checks:
            cmd.append("--checks=" + checks)
        p = run(cmd + list(extra) + list(files), cwd=cwd, check_exit=exits)
        return p

    def diagnostics(self, out, root, kinds=("warning",)):
        """(file relative to root, line, column, check, message) set."""
        got = set()
        for line in out.splitlines():
            m = DIAG.match(line)
            if not m or m.group(4) not in kinds:
                continue
            check = m.group(6) or ""
            if m.group(4) == "warning" and not check.startswith("vmalloc-"):
                continue
            got.add((os.path.relpath(m.group(1), root), int(m.group(2)),
                     int(m.group(3)), check, m.group(5)))
        return got

    def notes(self, out, root):
        """{warning: set of (file, line, column, message) of its notes}, the
        notes of a warning reported by several translation units merged."""
        notes, current = {}, None
        for line in out.splitlines():
            m = DIAG.match(line)
            if not m:
                continue
            where = (os.path.relpath(m.group(1), root), int(m.group(2)),
                     int(m.group(3)))
            if m.group(4) == "warning" and (m.group(6) or "").startswith("vmalloc-"):
                current = where + (m.group(6), m.group(5))
                notes.setdefault(current, set())
            elif m.group(4) == "note" and current:
                notes[current].add(where + (m.group(5),))
            else:
                current = None
        return notes


def tidy_message(f):
    """The message clang-tidy shows for a CLI JSON finding: a pass-2
    finding's confidence appended, "(confidence: LEVEL, REASON)"."""
    c = f.get("confidence")
    return f["message"] + (" (confidence: %s, %s)" % (c["level"], c["reason"])
                           if c else "")


def cli_notes(lint, tree):
    """The CLI's notes per finding, expansion sites as 'expanded from here'."""
    p = run([lint, "--format", "json", "."], cwd=tree, check_exit=(0, 1))
    out = {}
    for f in json.loads(p.stdout)["findings"]:
        key = (f["file"], f["line"], f["column"], f["check"], tidy_message(f))
        out[key] = set((e["file"], e["line"], e["column"], "expanded from here")
                       for e in f["expansions"]) | set(
            (n["file"], n["line"], n["column"], n["message"]) for n in f["notes"])
    return out


def translation_units(db, tree):
    """The files the CLI parses alone: every .c file, and the headers that no
    .c file includes (found with clang -H under the same commands)."""
    c_files = [e for e in db if e["file"].endswith(".c")]
    included = set()
    for e in c_files:
        args = ["clang-19"] + e["arguments"][1:] + ["-H"]
        p = subprocess.run(args, cwd=e["directory"], capture_output=True,
                           text=True)
        for line in p.stderr.splitlines():
            m = re.match(r"^\.+ (.*)$", line)
            if m:
                included.add(os.path.realpath(os.path.join(e["directory"],
                                                           m.group(1))))
    headers = [e["file"] for e in db if e["file"].endswith(".h") and
               os.path.realpath(e["file"]) not in included]
    return [e["file"] for e in c_files], headers


def cli_set(lint, tree, args=(".",)):
    p = run([lint, "--format", "json", *args], cwd=tree, check_exit=(0, 1))
    j = json.loads(p.stdout)
    return set((f["file"], f["line"], f["column"], f["check"], tidy_message(f))
               for f in j["findings"])


def compare_sets(got, want, what):
    if got != want:
        fail("%s differ from the CLI's\n  CLI only: %s\n  clang-tidy only: %s" %
             (what, sorted(want - got), sorted(got - want)))


def tidy_over_tree(t, tree, tmp):
    db = t.compile_db(tree, os.path.join(tmp, "db"))
    c_files, orphans = translation_units(db, tree)
    # One run per file: in a run over several files clang-tidy drops a
    # repeated warning (a header's) with the notes of the later files.
    got, notes = set(), {}
    for f in c_files + orphans:
        p = t.run([f], os.path.join(tmp, "db"))
        got |= t.diagnostics(p.stdout, tree)
        for k, v in t.notes(p.stdout, tree).items():
            notes.setdefault(k, set()).update(v)
    return got, notes, c_files, orphans


def c_files_with_errors(t, tree, db_dir, c_files):
    """The .c files clang-tidy reports compiler errors for."""
    bad = []
    for f in c_files:
        p = t.run([f], db_dir)
        if re.search(r": error: .*\[clang-diagnostic-", p.stdout):
            bad.append(f)
    return bad


def fix_tree(t, tree, work, tmp, how):
    """Fixes every file of the copy work with clang-tidy; how is 'fix' (--fix
    on files that compile, --fix-errors on the others) or 'export' (YAML,
    then clang-apply-replacements-19)."""
    db_dir = os.path.join(tmp, "db-" + how)
    db = t.compile_db(work, db_dir)
    c_files, orphans = translation_units(db, work)
    broken = c_files_with_errors(t, work, db_dir, c_files)
    clean = [f for f in c_files if f not in broken]
    if not broken:
        fail("no corpus file with compiler errors: --fix-errors is not tested")
    if how == "fix":
        # --fix on a file with errors changes nothing, and says why.
        before = {f: open(f).read() for f in broken}
        p = t.run(broken, db_dir, ["--fix"], quiet=False)
        if "Fixes have NOT been applied" not in p.stderr:
            fail("clang-tidy --fix on %s did not refuse: %s" % (broken, p.stderr))
        for f in broken:
            if open(f).read() != before[f]:
                fail("--fix changed %s, which has compiler errors" % f)
        t.run(clean, db_dir, ["--fix"])
        t.run(broken + orphans, db_dir, ["--fix-errors"])
    else:
        fixes = os.path.join(tmp, "fixes")
        os.mkdir(fixes)
        for i, group in enumerate((clean, broken + orphans)):
            if group:
                t.run(group, db_dir, ["--export-fixes=" +
                                      os.path.join(fixes, "fixes%d.yaml" % i)])
        run(["clang-apply-replacements-19", fixes], check_exit=(0,))
    return len(clean), len(broken)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--clang-tidy", default="clang-tidy-19")
    ap.add_argument("--run-clang-tidy", default="run-clang-tidy-19")
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--tree", default="linux-6.1")
    ap.add_argument("--mode", required=True)
    a = ap.parse_args()
    t = Tidy(a)
    tree = os.path.join(t.corpus, a.tree)
    oracle = os.path.join(t.corpus, "expected", a.tree, "fixed")

    if a.mode == "links":
        exe = os.path.realpath(shutil.which(a.clang_tidy) or a.clang_tidy)
        libs = lambda f: sorted(
            l.split()[0] for l in run(["ldd", f], check_exit=(0,)).stdout.splitlines()
            if re.search(r"lib(clang-cpp|LLVM)", l))
        mine, theirs = libs(t.plugin), libs(exe)
        if not theirs or mine != theirs:
            fail("plugin links %s, %s links %s" % (mine, exe, theirs))
        nm = lambda f, kind: run(["nm", "-DC", kind, f], check_exit=(0,)).stdout
        defined = nm(t.plugin, "--defined-only")
        own = [l for l in defined.splitlines()
               if re.search(r" (clang|llvm)::", l)]
        if own:
            fail("the plugin defines clang/LLVM symbols:\n%s" % "\n".join(own[:10]))
        undefined = nm(t.plugin, "--undefined-only")
        exported = nm(exe, "--defined-only")
        for sym in ("clang::tidy::ClangTidyCheck::diag(",
                    "llvm::Registry<clang::tidy::ClangTidyModule>::add_node("):
            if sym not in undefined or sym not in exported:
                fail("%s: not taken from the executable" % sym)
        p = run([t.clang_tidy, "--load=" + t.plugin, "--checks=" + CHECKS,
                 "--list-checks"], check_exit=(0,))
        got = sorted(l.strip() for l in p.stdout.splitlines()[1:] if l.strip())
        p = run([t.lint, "--list-checks"], check_exit=(0,))
        want = sorted(l for l in p.stdout.splitlines() if l.startswith("vmalloc-"))
        if got != want or len(got) < 5:
            fail("clang-tidy lists %s, the CLI %s" % (got, want))
        print("plugin links %s like %s, defines no clang/LLVM symbol; %d checks "
              "listed" % (", ".join(mine), exe, len(got)))

    elif a.mode == "same-as-cli":
        want = cli_set(t.lint, tree)
        with tempfile.TemporaryDirectory() as tmp:
            got, notes, c_files, orphans = tidy_over_tree(t, tree, tmp)
        compare_sets(got, want, "clang-tidy findings")
        if not want:
            fail("no findings in %s" % tree)
        # The notes too: the core's notes and the expansion sites (clang-tidy
        # reports a macro finding in a header once per translation unit with
        # its expansions there; together they are the CLI's merged list).
        want_notes = cli_notes(t.lint, tree)
        for key in sorted(want):
            if notes.get(key, set()) != want_notes[key]:
                fail("notes of %s differ:\n  CLI: %s\n  clang-tidy: %s" %
                     (key, sorted(want_notes[key]), sorted(notes.get(key, set()))))
        n = sum(len(v) for v in want_notes.values())
        print("clang-tidy and the CLI agree on %d findings and their %d notes over "
              "%d .c files and %d headers parsed alone" %
              (len(got), n, len(c_files), len(orphans)))

    elif a.mode == "diagnostics":
        with tempfile.TemporaryDirectory() as tmp:
            db_dir = os.path.join(tmp, "db")
            t.compile_db(tree, db_dir)
            files = ["drivers/md/dm-writecache.c", "arch/arm64/kvm/arm.c",
                     "kernel/bpf/core.c"]
            p = t.run([os.path.join(tree, f) for f in files], db_dir)
            got = sorted(t.diagnostics(p.stdout, tree, ("warning", "note")))
        rh = ("redundant __GFP_HIGHMEM passed to %s(): vmalloc adds it "
              "itself since v4.12")
        want = [
            ("arch/arm64/kvm/arm.c", 36, 44, "vmalloc-redundant-highmem",
             rh % "__vmalloc"),
            # WC_ENTRIES_GFP's flag reaches both calls: the message names
            # both callees.
            ("drivers/md/dm-writecache.c", 22, 38, "vmalloc-redundant-highmem",
             rh % "__vmalloc_array() and __vmalloc"),
            ("drivers/md/dm-writecache.c", 25, 37, "",
             "no fix: WC_MEMORY_GFP is also expanded at dm-writecache.c:87, "
             "in alloc_page()'s argument, not a vmalloc gfp argument: "
             "dropping __GFP_HIGHMEM from its body would change that use too"),
            ("drivers/md/dm-writecache.c", 25, 37, "vmalloc-redundant-highmem",
             rh % "__vmalloc"),
            ("drivers/md/dm-writecache.c", 54, 11, "", "expanded from here"),
            ("drivers/md/dm-writecache.c", 69, 54, "", "expanded from here"),
            ("drivers/md/dm-writecache.c", 105, 50, "", "expanded from here"),
        ]
        core = [d for d in got if d[0] == "kernel/bpf/core.c"]
        got = [d for d in got if d[0] != "kernel/bpf/core.c"]
        if got != want:
            fail("diagnostics differ:\n  got  %s\n  want %s" % (got, want))
        if not any(d[4] == "the flag is set here" and d[1] == 40 for d in core):
            fail("kernel/bpf/core.c: no note 'the flag is set here' at line 40: %s" % core)
        # The fix-it is attached to the warning: clang-tidy prints it.
        if not re.search(r"arm\.c:36:44: warning: .*\n.*\n.*~~\^~~", p.stdout):
            fail("no fix-it range under arm.c:36:44:\n%s" % p.stdout)
        print("%d exact diagnostics and notes" % (len(want) + len(core)))

    elif a.mode in ("fix", "export-fixes"):
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_tree(tree, os.path.join(tmp, "tree"))
            clean, broken = fix_tree(t, tree, work, tmp,
                                     "fix" if a.mode == "fix" else "export")
            compare_with_oracle(tree, work, oracle)
            changed = [r for r in all_files(tree)
                       if open(os.path.join(tree, r), "rb").read() !=
                       open(os.path.join(work, r), "rb").read()]
            if not changed:
                fail("nothing was fixed")
        print("%s on %d clean and %d broken files gives the %d hand-written "
              "fixed files" % (a.mode, clean, broken, len(changed)))

    elif a.mode == "nolint":
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_tree(tree, os.path.join(tmp, "tree"))
            f = os.path.join(work, "fs/xfs/kmem.c")
            arm = os.path.join(work, "arch/arm64/kvm/arm.c")
            lines = open(arm).read().split("\n")
            # arm.c:36 gets NOLINT(this check); kmem.c:42 gets NOLINTNEXTLINE
            # above it; writecache keeps NOLINT(of another check).
            lines[35] += " // NOLINT(vmalloc-redundant-highmem)"
            open(arm, "w").write("\n".join(lines))
            lines = open(f).read().split("\n")
            lines.insert(41, "\t// NOLINTNEXTLINE(vmalloc-*)")
            open(f, "w").write("\n".join(lines))
            wc = os.path.join(work, "drivers/md/dm-writecache.c")
            lines = open(wc).read().split("\n")
            lines[21] += " // NOLINT(vmalloc-zone-gfp)"
            open(wc, "w").write("\n".join(lines))
            db_dir = os.path.join(tmp, "db")
            t.compile_db(work, db_dir)
            p = t.run([arm, f, wc], db_dir)
            got = sorted((d[0], d[1]) for d in t.diagnostics(p.stdout, work))
        want = [("drivers/md/dm-writecache.c", 22), ("drivers/md/dm-writecache.c", 25)]
        if got != want:
            fail("after NOLINT: %s, want %s\n%s" % (got, want, p.stdout))
        print("NOLINT and NOLINTNEXTLINE suppress; NOLINT of another check does not")

    elif a.mode == "config-file":
        if a.tree != "linux-6.1":
            fail("config-file runs on linux-6.1")
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_tree(tree, os.path.join(tmp, "tree"))
            db_dir = os.path.join(tmp, "db")
            t.compile_db(work, db_dir)
            files = [os.path.join(work, f) for f in
                     ("fs/gfs2/dir.c", "drivers/md/dm-writecache.c")]
            # 6.1 rules (the tree's Makefile): redundant-highmem fires.
            p = t.run(files, db_dir)
            six = sorted(d[:4] for d in t.diagnostics(p.stdout, work))
            # .clang-tidy: 4.9 rules, two checks. __GFP_HIGHMEM is correct
            # before 4.12; dir.c's calls without it take lowmem.
            with open(os.path.join(work, ".clang-tidy"), "w") as cf:
                cf.write("Checks: '-*,vmalloc-redundant-highmem,vmalloc-lowmem-gfp'\n"
                         "HeaderFilterRegex: '.*'\n"
                         "CheckOptions:\n  KernelVersion: '4.9'\n")
            p = t.run(files, db_dir, checks=None)
            four = sorted(d[:4] for d in t.diagnostics(p.stdout, work))
            want_cli = sorted(d[:4] for d in cli_set(t.lint, work, [
                "--kernel-version", "4.9",
                "--checks=-*,vmalloc-redundant-highmem,vmalloc-lowmem-gfp",
                "fs/gfs2/dir.c", "drivers/md/dm-writecache.c"]))
            # A check-local option wins over the global one: two checks, two
            # kernel versions in one translation unit (two analysis runs).
            with open(os.path.join(work, ".clang-tidy"), "w") as cf:
                cf.write("Checks: '-*,vmalloc-redundant-highmem,vmalloc-lowmem-gfp'\n"
                         "CheckOptions:\n  KernelVersion: '4.9'\n"
                         "  vmalloc-redundant-highmem.KernelVersion: '6.1'\n")
            p = t.run(files, db_dir, checks=None)
            local = sorted(d[:4] for d in t.diagnostics(p.stdout, work))
            # A bad value: a configuration diagnostic, the tree's rules.
            p = t.run(files, db_dir, ["--config={Checks: '-*,vmalloc-redundant-"
                                      "highmem', CheckOptions: {KernelVersion: "
                                      "'six'}}"], checks=None)
            bad = sorted(d[:4] for d in t.diagnostics(p.stdout, work))
            bad_msg = p.stdout + p.stderr
            # MinConfidence: the default (likely) hides vl_smc_core.c's
            # "possible" finding (a mixed field), possible shows it with its
            # confidence in the message, as the CLI's --min-confidence.
            smc = [os.path.join(work, "net/smc/vl_smc_core.c")]
            dm = "-*,vmalloc-dma-map"
            conf = {}
            for level in ("likely", "possible"):
                p = t.run(smc, db_dir, ["--config={Checks: '%s', CheckOptions: "
                                        "{MinConfidence: %s}}" % (dm, level)],
                          checks=None)
                conf[level] = sorted(d[1:] for d in t.diagnostics(p.stdout, work))
                cli = sorted(d[1:] for d in cli_set(t.lint, work, [
                    "--checks=" + dm, "--min-confidence=" + level,
                    "net/smc/vl_smc_core.c"]))
                if conf[level] != cli:
                    fail("MinConfidence %s: clang-tidy %s, CLI %s" %
                         (level, conf[level], cli))
            extra = sorted(set(conf["possible"]) - set(conf["likely"]))
            if (len(extra) != 1 or extra[0][0] != 95 or
                    "(confidence: possible, " not in extra[0][3]):
                fail("MinConfidence possible adds %s, want vl_smc_core.c:95 "
                     "with its confidence" % extra)
        want_six = [("drivers/md/dm-writecache.c", 22, 38, "vmalloc-redundant-highmem"),
                    ("drivers/md/dm-writecache.c", 25, 37, "vmalloc-redundant-highmem"),
                    ("fs/gfs2/dir.c", 96, 13, "vmalloc-redundant-highmem")]
        want_four = [("fs/gfs2/dir.c", 44, 25, "vmalloc-lowmem-gfp"),
                     ("fs/gfs2/dir.c", 66, 25, "vmalloc-lowmem-gfp")]
        # Every check (the default): dir.c's two open-coded kvmallocs too.
        want_kv = [("fs/gfs2/dir.c", 42, 2, "vmalloc-open-coded-kvmalloc"),
                   ("fs/gfs2/dir.c", 93, 2, "vmalloc-open-coded-kvmalloc")]
        for name, got, want in (("6.1 rules", six, sorted(want_six + want_kv)),
                                (".clang-tidy with 4.9 rules", four, want_four),
                                ("CLI with 4.9 rules", want_cli, want_four),
                                ("check-local 6.1 over global 4.9", local,
                                 sorted(want_six + want_four)),
                                ("bad KernelVersion", bad, want_six)):
            if got != want:
                fail("%s: got %s, want %s" % (name, got, want))
        if "invalid KernelVersion 'six'" not in bad_msg:
            fail("no configuration diagnostic for KernelVersion 'six':\n%s" % bad_msg)
        print(".clang-tidy selects checks and KernelVersion (%d -> %d findings); "
              "local option wins; bad value diagnosed; MinConfidence possible "
              "adds 1" % (len(six), len(four)))

    elif a.mode == "broken-file":
        # The plugin leaves clang-tidy's compiler diagnostics as they are:
        # this shows that the fatal error and the error limit do not cut the
        # translation unit short for the analysis.
        rel = "drivers/misc/broken_config.c"
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_tree(tree, os.path.join(tmp, "tree"))
            f = os.path.join(work, rel)
            text = open(f).read()
            missing = "#include <linux/not_configured.h>\n"
            if missing not in text or "#include <linux/kernel.h>\n" not in text:
                fail("%s is not the broken corpus file this test expects" % rel)
            text = text.replace(missing, "").replace(
                "#include <linux/kernel.h>\n", missing + "#include <linux/kernel.h>\n")
            errors = "".join("int broken_%d = undeclared_%d;\n" % (i, i)
                             for i in range(30))
            text = text.replace("struct misc_cfg_dev {", errors + "struct misc_cfg_dev {")
            open(f, "w").write(text)
            db_dir = os.path.join(tmp, "db")
            db = t.compile_db(work, db_dir)
            for e in db:
                e["arguments"] = [x for x in e["arguments"] if x != "-ferror-limit=0"]
            with open(os.path.join(db_dir, "compile_commands.json"), "w") as out:
                json.dump(db, out)
            p = t.run([f], db_dir)
            got = t.diagnostics(p.stdout, work)
            want = cli_set(t.lint, work, [rel])
            fatal = re.search(r"error: 'linux/not_configured.h' file not found", p.stdout)
        if not fatal:
            fail("clang-tidy did not report the missing header:\n%s" % p.stdout)
        compare_sets(got, want, "findings in the broken file")
        if len(want) != 1:
            fail("want one finding in the broken file, the CLI reports %s" % want)
        print("finding reported after a missing first include and 30 errors: %s"
              % sorted(got))

    elif a.mode == "run-clang-tidy":
        want = cli_set(t.lint, tree)
        with tempfile.TemporaryDirectory() as tmp:
            db_dir = os.path.join(tmp, "db")
            db = t.compile_db(tree, db_dir)
            c_files, orphans = translation_units(db, tree)
            # run-clang-tidy runs every file of the database: keep the .c
            # files (headers are covered by them, as the CLI does).
            with open(os.path.join(db_dir, "compile_commands.json"), "w") as f:
                json.dump([e for e in db if e["file"] in c_files + orphans], f)
            p = run([a.run_clang_tidy, "-clang-tidy-binary", t.clang_tidy,
                     "-load", t.plugin, "-p", db_dir, "-checks=" + CHECKS,
                     "-header-filter=.*", "-quiet", "-j", "2"],
                    check_exit=(0, 1))
            got = t.diagnostics(p.stdout, tree)
        compare_sets(got, want, "run-clang-tidy findings")
        print("run-clang-tidy-19 -load: the CLI's %d findings" % len(got))

    elif a.mode == "facts":
        # CheckOptions FactsFile: the CLI's facts of the tree (--facts-out)
        # make vlxkv-user.c's calls of another file's kvmalloc helpers sites
        # in clang-tidy too, exactly as the CLI's --facts-in; without it, or
        # with a file that cannot be read (a configuration diagnostic), none.
        if a.tree != "linux-6.1":
            fail("facts runs on linux-6.1")
        user = "drivers/misc/vlxkv/vlxkv-user.c"
        kv = "-*,vmalloc-open-coded-kvmalloc,vmalloc-unsupported-gfp"
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_tree(tree, os.path.join(tmp, "tree"))
            db_dir = os.path.join(tmp, "db")
            t.compile_db(work, db_dir)
            facts = os.path.join(tmp, "tree.facts")
            run([t.lint, "--quiet", "--facts-out", facts, "."], cwd=work,
                check_exit=(0, 1))
            src = [os.path.join(work, user)]
            config = "--config={Checks: '%s', CheckOptions: {FactsFile: '%s'}}"
            mine = lambda p: set(d for d in t.diagnostics(p.stdout, work)
                                 if d[0] == user)
            without = mine(t.run(src, db_dir, checks=kv, cwd=work))
            p = t.run(src, db_dir, [config % (kv, facts)], checks=None, cwd=work)
            got = mine(p)
            want = set(d for d in cli_set(t.lint, work, [
                "--checks=" + kv, "--facts-in", facts, user]) if d[0] == user)
            p = t.run(src, db_dir, [config % (kv, os.path.join(tmp, "none"))],
                      checks=None, cwd=work)
            bad, bad_msg = mine(p), p.stdout + p.stderr
        if without:
            fail("without FactsFile: %s" % sorted(without))
        compare_sets(got, want, "FactsFile findings")
        if len(got) != 4:
            fail("FactsFile: %d findings in %s, want 4 (3 helper calls, one "
                 "GFP_ATOMIC)" % (len(got), user))
        if bad or "invalid FactsFile" not in bad_msg:
            fail("a FactsFile that cannot be read: %s\n%s" % (sorted(bad), bad_msg))
        print("FactsFile: the CLI's %d --facts-in findings of %s, none without; "
              "an unreadable file diagnosed" % (len(got), user))

    else:
        fail("unknown mode " + a.mode)


if __name__ == "__main__":
    main()
