#!/usr/bin/env python3
"""vmalloc-api-migration end to end, on corpus/linux-5.7 (a tree shaped like
Linux 5.7: three-argument __vmalloc) and corpus/modules/vlmod (an
out-of-tree module written against it). Modes (one ctest each):

  findings  --migrate-to 5.8 --format json == corpus/expected/linux-5.7/
            findings.json (tree and module), and the findings' lines are the
            `expect: vmalloc-api-migration` annotations
  fix       --fix on a copy gives the hand-written fixed files
            (corpus/expected/linux-5.7/fixed, corpus/expected/modules); a
            second --fix changes nothing; every fixed file compiles with
            clang-19 -fsyntax-only against the 5.8 declarations
            (corpus/expected/linux-5.7/target-5.8/include first)
  targets   without --migrate-to the check is off (and asking for it alone is
            a usage error); --migrate-to 5.7 says nothing; 5.10 adds
            alloc_vm_area(), reported without a fix
  gate      --patch: only the migration sites a patch adds are reported
  tidy      the clang-tidy plugin with CheckOptions MigrateTo: 5.8 reports
            the CLI's findings and its --fix gives the same fixed files

--update rewrites findings.json (the fixed files are hand-written).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

CHECK = "vmalloc-api-migration"


def run(cmd, cwd=None, exits=(0,), inp=None):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, input=inp)
    if p.returncode not in exits:
        sys.exit("FAIL: %s exited %d\n%s%s" % (" ".join(cmd), p.returncode,
                                               p.stdout[-3000:], p.stderr[-3000:]))
    return p


def fail(msg):
    sys.exit("FAIL: " + msg)


def sources(root):
    out = []
    for d, _, fs in os.walk(root):
        for f in fs:
            if f.endswith((".c", ".h")):
                out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


def expectations(root):
    want = set()
    for rel in sources(root):
        with open(os.path.join(root, rel)) as f:
            for n, line in enumerate(f, 1):
                if "expect: " + CHECK in line:
                    want.add((rel, n))
    return want


def findings(lint, cwd, extra, inputs=(".",)):
    p = run([lint, "--checks=" + CHECK, "--format", "json", *extra, *inputs],
            cwd=cwd, exits=(0, 1))
    return json.loads(p.stdout)


def lines_of(doc, root):
    return {(os.path.relpath(f["file"], root) if os.path.isabs(f["file"])
             else f["file"], f["line"]) for f in doc["findings"]}


class T:
    def __init__(self, a):
        self.lint = os.path.abspath(a.lint)
        self.corpus = os.path.abspath(a.corpus)
        self.tree = os.path.join(self.corpus, "linux-5.7")
        self.module = os.path.join(self.corpus, "modules", "vlmod")
        self.expected = os.path.join(self.corpus, "expected")
        self.a = a

    def module_args(self, tree):
        return ["--kernel-tree", tree]

    def mode_findings(self):
        got = {}
        got["tree"] = findings(self.lint, self.tree, ["--migrate-to", "5.8"])
        got["module"] = findings(self.lint, self.module,
                                 self.module_args(self.tree) + ["--migrate-to", "5.8"])
        for what, root in (("tree", self.tree), ("module", self.module)):
            have = lines_of(got[what], root)
            want = expectations(root)
            if have != want:
                fail("%s: findings at %s, annotations at %s" % (
                    what, sorted(have - want), sorted(want - have)))
        # The module's paths relative to the corpus, not this machine.
        text = json.dumps(got, indent=1, sort_keys=True).replace(
            self.corpus + "/", "") + "\n"
        path = os.path.join(self.expected, "linux-5.7", "findings.json")
        if self.a.update:
            with open(path, "w") as f:
                f.write(text)
            return
        with open(path) as f:
            if f.read() != text:
                fail("findings differ from %s (run with --update and review)" % path)

    def fixed_copy(self, tmp):
        work = os.path.join(tmp, "corpus")
        shutil.copytree(self.tree, os.path.join(work, "linux-5.7"))
        shutil.copytree(self.module, os.path.join(work, "modules", "vlmod"))
        return os.path.join(work, "linux-5.7"), os.path.join(work, "modules", "vlmod")

    def fix(self, tree, module, tidy=False):
        run([self.lint, "--checks=" + CHECK, "--migrate-to", "5.8", "--fix",
             "--quiet", "."], cwd=tree, exits=(0,))
        run([self.lint, "--checks=" + CHECK, "--migrate-to", "5.8", "--fix",
             "--quiet", *self.module_args(tree), "."], cwd=module, exits=(0,))

    def compare(self, tree, module):
        for root, oracle in ((tree, os.path.join(self.expected, "linux-5.7", "fixed")),
                             (module, os.path.join(self.expected, "modules", "vlmod"))):
            orig = self.tree if root == tree else self.module
            for rel in sources(root):
                want_path = os.path.join(oracle, rel)
                if not os.path.exists(want_path):
                    want_path = os.path.join(orig, rel)
                with open(want_path) as f, open(os.path.join(root, rel)) as g:
                    if f.read() != g.read():
                        d = run(["diff", "-u", want_path, os.path.join(root, rel)],
                                exits=(0, 1)).stdout
                        fail("fixed %s differs from %s\n%s" % (rel, want_path, d))

    def compile_fixed(self, tree, module):
        res = run(["clang-19", "-print-resource-dir"]).stdout.strip()
        target = os.path.join(self.expected, "linux-5.7", "target-5.8", "include")
        flags = ["-fsyntax-only", "-std=gnu89", "-nostdinc", "-isystem",
                 os.path.join(res, "include"), "-I", target,
                 "-I", os.path.join(tree, "arch/x86/include"),
                 "-I", os.path.join(tree, "arch/x86/include/generated"),
                 "-I", os.path.join(tree, "include"),
                 "-I", os.path.join(tree, "arch/x86/include/uapi"),
                 "-I", os.path.join(tree, "include/uapi"),
                 "-include", os.path.join(tree, "include/linux/kconfig.h"),
                 "-D__KERNEL__", "-Werror=implicit-function-declaration",
                 "-Werror"]
        # What is left after the fix: the calls reported without one (a human
        # decides). They, and nothing else, fail against 5.8.
        left = {}
        for root, extra in ((tree, []), (module, self.module_args(tree))):
            doc = findings(self.lint, root, extra + ["--migrate-to", "5.8"])
            for f in doc["findings"]:
                if f.get("fix"):
                    fail("a fix is left after --fix: %s:%d" % (f["file"], f["line"]))
                path = f["file"] if os.path.isabs(f["file"]) else os.path.join(root, f["file"])
                left.setdefault(os.path.realpath(path), set()).add(f["line"])
        n = 0
        failing = set()
        for root in (tree, module):
            for rel in sources(root):
                if not rel.endswith(".c"):
                    continue
                path = os.path.join(root, rel)
                p = run(["clang-19", *flags, path], exits=(0, 1))
                n += 1
                for m in re.finditer(r"^(/[^:]+):(\d+):\d+: error: (.*)$", p.stderr, re.M):
                    lines = left.get(os.path.realpath(m.group(1)), set())
                    line = int(m.group(2))
                    if not any(l <= line <= l + 3 for l in lines):
                        fail("fixed %s does not compile against 5.8 at line %d "
                             "(no finding left there): %s" % (rel, line, m.group(3)))
                    failing.add((os.path.realpath(m.group(1)),
                                 max(l for l in lines if l <= line)))
        want = {(f, l) for f, ls in left.items() for l in ls}
        if failing != want:
            fail("reported calls that compile against 5.8 anyway: %s" % sorted(want - failing))
        print("%d calls left for a human, each an error against 5.8" % len(want))
        # And the unfixed tree does not: the 5.8 declarations are in force.
        p = run(["clang-19", *flags, os.path.join(self.tree, "fs/gfs2/dir.c")],
                exits=(1,))
        if "too many arguments" not in p.stderr:
            fail("the 5.7 code compiled against the 5.8 declarations:\n" + p.stderr)
        return n

    def mode_fix(self):
        with tempfile.TemporaryDirectory() as tmp:
            tree, module = self.fixed_copy(tmp)
            self.fix(tree, module)
            self.compare(tree, module)
            snap = {r: open(os.path.join(tree, r)).read() for r in sources(tree)}
            self.fix(tree, module)
            for r, text in snap.items():
                if open(os.path.join(tree, r)).read() != text:
                    fail("a second --fix changed " + r)
            self.compare(tree, module)
            n = self.compile_fixed(tree, module)
            print("%d fixed files compile against the 5.8 declarations" % n)

    def mode_targets(self):
        p = run([self.lint, "--checks=" + CHECK, "."], cwd=self.tree, exits=(2,))
        if "needs --migrate-to" not in p.stderr:
            fail("no usage error without --migrate-to: " + p.stderr)
        doc = json.loads(run([self.lint, "--format", "json", "."], cwd=self.tree,
                             exits=(0, 1)).stdout)
        if any(f["check"] == CHECK for f in doc["findings"]):
            fail("the migration ran without --migrate-to")
        doc = findings(self.lint, self.tree, ["--migrate-to", "5.7"])
        if doc["findings"]:
            fail("--migrate-to 5.7 on 5.7 code reported %d" % len(doc["findings"]))
        p = run([self.lint, "--migrate-to", "5.x", "."], cwd=self.tree, exits=(2,))
        doc = findings(self.lint, self.module,
                       self.module_args(self.tree) + ["--migrate-to", "5.10"])
        extra = [f for f in doc["findings"] if f["callee"] == "alloc_vm_area"]
        if len(extra) != 1 or extra[0].get("fix") or \
                "gone since 5.10" not in extra[0]["message"]:
            fail("5.10: alloc_vm_area() not reported once without a fix: %s" % extra)
        n58 = len(findings(self.lint, self.module, self.module_args(self.tree) +
                           ["--migrate-to", "5.8"])["findings"])
        if len(doc["findings"]) != n58 + 1:
            fail("5.10: %d findings, want 5.8's %d and alloc_vm_area()" % (
                len(doc["findings"]), n58))

    def mode_gate(self):
        with tempfile.TemporaryDirectory() as tmp:
            tree = os.path.join(tmp, "linux-5.7")
            shutil.copytree(self.tree, tree)
            g = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
            run(["git", "init", "-q", "."], cwd=tree)
            run(g + ["add", "-A", "."], cwd=tree)
            run(g + ["commit", "-qm", "base"], cwd=tree)
            path = os.path.join(tree, "kernel/module.c")
            with open(path, "a") as f:
                f.write("\nvoid *module_alloc_data(unsigned long size)\n{\n"
                        "\treturn __vmalloc(size, GFP_KERNEL, PAGE_KERNEL);\n}\n")
            patch = run(["git", "diff"], cwd=tree).stdout
            run(["git", "checkout", "-q", "."], cwd=tree)
            with open(os.path.join(tmp, "p.patch"), "w") as f:
                f.write(patch)
            p = run([self.lint, "--kernel-tree", ".", "--migrate-to", "5.8",
                     "--patch", os.path.join(tmp, "p.patch"), "--format", "json"],
                    cwd=tree, exits=(1,))
            doc = json.loads(p.stdout)
            got = [(os.path.relpath(f["file"], tree) if os.path.isabs(f["file"]) else f["file"],
                    f["line"], f["check"]) for f in doc["findings"]]
            if got != [("kernel/module.c", 13, CHECK)]:
                fail("gate: %s" % got)

    def mode_tidy(self):
        plugin, tidy = self.a.plugin, self.a.clang_tidy
        if not plugin or not tidy:
            fail("--plugin and --clang-tidy are needed")
        with tempfile.TemporaryDirectory() as tmp:
            tree, module = self.fixed_copy(tmp)
            db = json.loads(run([self.lint, "--print-compile-commands", "."],
                                cwd=tree).stdout)
            with open(os.path.join(tmp, "compile_commands.json"), "w") as f:
                json.dump(db, f)
            files = sorted(e["file"] for e in db)
            cfg = "{CheckOptions: {MigrateTo: '5.8'}}"
            p = run([tidy, "--load=" + plugin, "-p", tmp, "--quiet",
                     "--checks=-*," + CHECK, "--config=" + cfg, *files],
                    cwd=tree, exits=(0, 1))
            have = set()
            for line in p.stdout.splitlines():
                m = re.match(r"^(/[^:]+):(\d+):\d+: warning: .*\[" + CHECK + r"\]$", line)
                if m:
                    have.add((os.path.relpath(m.group(1), tree), int(m.group(2))))
            want = expectations(self.tree)
            if have != want:
                fail("tidy: %s vs annotations %s" % (sorted(have - want), sorted(want - have)))
            p = run([tidy, "--load=" + plugin, "-p", tmp, "--quiet",
                     "--checks=-*," + CHECK, "--config=" + cfg, "--fix", *files],
                    cwd=tree, exits=(0, 1))
            oracle = os.path.join(self.expected, "linux-5.7", "fixed")
            for rel in sources(tree):
                want_path = os.path.join(oracle, rel)
                if not os.path.exists(want_path):
                    want_path = os.path.join(self.tree, rel)
                if open(want_path).read() != open(os.path.join(tree, rel)).read():
                    fail("tidy --fix: %s differs from %s" % (rel, want_path))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--mode", required=True)
    ap.add_argument("--plugin")
    ap.add_argument("--clang-tidy")
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    getattr(T(a), "mode_" + a.mode)()
    print("ok")


if __name__ == "__main__":
    main()
