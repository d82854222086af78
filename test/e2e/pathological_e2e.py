#!/usr/bin/env python3
"""Pathological source (issue 18, item 5): kernel-shaped files no one would
write, each analysed within a stated bound of CPU time and memory, on a
copy of corpus/linux-6.1.

  macros     a chain of 10,000 object-like macros (PATHO_GFP9999 ->
             PATHO_GFP9998 -> ... -> (GFP_KERNEL | __GFP_HIGHMEM)) as a
             __vmalloc gfp: the finding, at the call
  or-chain   an OR chain of 10,000 operands ending in __GFP_HIGHMEM: the
             finding, and --diff removes exactly ` | __GFP_HIGHMEM`
  or-100k    an OR chain of 100,000 operands, with --isolate and
             --timeout-per-file 20: clang's own semantic checks of the
             chain are quadratic (Sema::CheckCompletedExpr ->
             Expr::isKnownToHaveBooleanValue on every operand) and recurse
             once an operand (docs/fuzzing.md#pathological-source): the
             unit is reported as not analysed (exit 3) and the run ends
  or-20k     an OR chain of 20,000 operands under a 1 MiB RLIMIT_STACK
             (ulimit -s 1024), on a worker thread and in a worker process:
             the finding. The recursion above needs about 2.4 MiB here; a
             thread's default stack is RLIMIT_STACK (glibc), so before
             the analysis chose its own stack (AnalysisStackBytes,
             tool/RunnerPools.h) this crashed the run (SIGSEGV) or the
             worker (exit 3), as 70,000 operands do under the usual 8 MiB
  line       a 1 MB line (a 500,000-element initialiser and the call on
             the same line): the finding at its column, the fix

Bounds: the CPU time (user + system) and the peak RSS of the vmalloc-lint
process and its children, from wait4(), not the wall time (the machine may
be loaded).
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile

HDR = ("#include <linux/kernel.h>\n#include <linux/slab.h>\n"
       "#include <linux/vmalloc.h>\n\n")


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(lint, tree, args, stack_kb=None):
    """Runs vmalloc-lint (with a soft RLIMIT_STACK of stack_kb KiB if given);
    returns (exit, stdout, stderr, cpu s, peak RSS MB)."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()

    def limit_stack():
        if stack_kb:
            hard = resource.getrlimit(resource.RLIMIT_STACK)[1]
            resource.setrlimit(resource.RLIMIT_STACK, (stack_kb << 10, hard))
    p = subprocess.Popen([lint] + args, cwd=tree, stdout=out, stderr=err,
                         preexec_fn=limit_stack)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    # Linux's wait4 reports the child with its waited-for descendants (the
    # worker processes): times summed, ru_maxrss the largest of them.
    rss = max(ru.ru_maxrss, 0) / 1024.0
    return (p.returncode, out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"), ru.ru_utime + ru.ru_stime,
            rss)


def write(tree, rel, text):
    with open(os.path.join(tree, rel), "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--corpus", required=True)
    a = ap.parse_args()
    lint = os.path.abspath(a.lint)
    tmp = tempfile.mkdtemp(prefix="vl-patho-")
    try:
        tree = os.path.join(tmp, "linux-6.1")
        shutil.copytree(os.path.join(a.corpus, "linux-6.1"), tree, symlinks=True)
        n = 10000
        write(tree, "drivers/misc/patho-macros.c", HDR +
              "#define PATHO_GFP0 (GFP_KERNEL | __GFP_HIGHMEM)\n" +
              "".join("#define PATHO_GFP%d PATHO_GFP%d\n" % (i, i - 1)
                      for i in range(1, n)) +
              "\nvoid *patho_macros(unsigned long n)\n{\n"
              "\treturn __vmalloc(n, PATHO_GFP%d);\n}\n" % (n - 1))
        macro_line = HDR.count("\n") + n + 4

        def chain(ops):
            return " | ".join(["GFP_KERNEL"] + ["__GFP_ZERO"] * (ops - 2) +
                              ["__GFP_HIGHMEM"])
        call = "\treturn __vmalloc(n, " + chain(10000) + ");\n"
        write(tree, "drivers/misc/patho-or.c", HDR +
              "void *patho_or(unsigned long n)\n{\n" + call + "}\n")
        write(tree, "drivers/misc/patho-or-20k.c", HDR +
              "void *patho_or(unsigned long n)\n{\n\treturn __vmalloc(n, " +
              chain(20000) + ");\n}\n")
        write(tree, "drivers/misc/patho-or-100k.c", HDR +
              "void *patho_or(unsigned long n)\n{\n\treturn __vmalloc(n, " +
              chain(100000) + ");\n}\n")
        prefix = ("static const int patho_table[] = {" + ",".join(["0"] * 500000)
                  + "}; void *patho_line(unsigned long n) { return __vmalloc(n, ")
        write(tree, "drivers/misc/patho-line.c", HDR + prefix +
              "GFP_KERNEL | __GFP_HIGHMEM); }\n")
        line_col = len(prefix) + len("GFP_KERNEL | ") + 1

        def findings(out):
            return [(f["file"], f["line"], f["column"], f["check"])
                    for f in json.loads(out)["findings"]]
        def or_20k(o):
            return [x[:2] + x[3:] for x in findings(o)] == [
                ("drivers/misc/patho-or-20k.c", HDR.count("\n") + 3,
                 "vmalloc-redundant-highmem")]
        # (what, args, exit, check of the output, CPU s bound, RSS MB bound
        # [, soft RLIMIT_STACK in KiB])
        cases = [
            ("a chain of 10,000 macros",
             ["--format", "json", "drivers/misc/patho-macros.c"], 1,
             lambda o: [x[:2] + x[3:] for x in findings(o)] ==
             [("drivers/misc/patho-macros.c", macro_line,
               "vmalloc-redundant-highmem")], 30, 1024),
            ("an OR chain of 10,000 operands",
             ["--format", "json", "drivers/misc/patho-or.c"], 1,
             lambda o: [x[:2] + x[3:] for x in findings(o)] ==
             [("drivers/misc/patho-or.c", HDR.count("\n") + 3,
               "vmalloc-redundant-highmem")], 30, 1024),
            ("the fix of an OR chain of 10,000 operands",
             ["--diff", "drivers/misc/patho-or.c"], 0,
             lambda o: [l for l in o.split("\n") if l[:1] in ("+", "-") and
                        l[:3] not in ("+++", "---")] ==
             ["-" + call[:-1], "+" + call[:-1].replace(" | __GFP_HIGHMEM", "")],
             30, 1024),
            ("a 1 MB line", ["--format", "json", "drivers/misc/patho-line.c"], 1,
             lambda o: findings(o) == [("drivers/misc/patho-line.c",
                                        HDR.count("\n") + 1, line_col,
                                        "vmalloc-redundant-highmem")], 30, 1024),
            ("an OR chain of 100,000 operands, isolated, 20 s a file",
             ["--isolate", "--timeout-per-file", "20", "--format", "json",
              "drivers/misc/patho-or-100k.c"], 3,
             lambda o: [(x["file"], x["reason"]) for x in
                        json.loads(o)["not_analysed"]] ==
             [("drivers/misc/patho-or-100k.c", "timed-out")], 60, 1024),
            ("an OR chain of 20,000 operands, ulimit -s 1024",
             ["--format", "json", "drivers/misc/patho-or-20k.c"], 1, or_20k,
             30, 1024, 1024),
            ("an OR chain of 20,000 operands, isolated, ulimit -s 1024",
             ["--isolate", "--format", "json", "drivers/misc/patho-or-20k.c"],
             1, or_20k, 30, 1024, 1024),
        ]
        for what, args, want, check, cpu_bound, rss_bound, *stack in cases:
            rc, out, err, cpu, rss = run(lint, tree, ["-j1"] + args,
                                         stack[0] if stack else None)
            if rc != want:
                fail("%s: exit %d, want %d\n%s" % (what, rc, want, err[-2000:]))
            if not check(out):
                fail("%s: unexpected output:\n%s" % (what, out[:600]))
            if cpu > cpu_bound or rss > rss_bound:
                fail("%s: %.1f s CPU, %.0f MB peak RSS (bounds %d s, %d MB)" %
                     (what, cpu, rss, cpu_bound, rss_bound))
            print("%s: exit %d, %.2f s CPU, %.0f MB peak RSS (bounds %d s, %d MB)"
                  % (what, rc, cpu, rss, cpu_bound, rss_bound))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("ok: %d pathological inputs within their bounds" % len(cases))


if __name__ == "__main__":
    main()
