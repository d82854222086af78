#!/usr/bin/env python3
"""The README's "Common commands", run as written on the corpus.

Extracts the ```sh block under "## Common commands" of README.md and runs
each line with bash, in order, in a git repository made of a copy of
corpus/linux-6.1 (the `cd linux` of the block): `vmalloc-lint` is the built
binary (first on PATH), the plugin path is the built plugin, origin/master is
the commit before one that adds a finding. Each command has an expectation
here (exit status, what it printed or wrote); a README command without one
fails the test, so the README cannot gain a command nobody ran. Only `make
C=2 ...` is not run (the corpus has no kbuild): e2e.*.cc runs the command line
kbuild gives a checker.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def readme_commands(readme):
    text = open(readme).read()
    m = re.search(r"^## Common commands\n(.*?)^## ", text, re.M | re.S)
    if not m:
        fail("README.md has no '## Common commands' section")
    block = re.search(r"```sh\n(.*?)```", m.group(1), re.S)
    if not block:
        fail("README.md's Common commands have no ```sh block")
    return [l for l in block.group(1).splitlines() if l.strip()]


NEW_FINDING = """
/* Added by the change that --git-range reports. */
static void *vl_readme_alloc(unsigned long n)
{
	return __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);
}
"""


def git(work, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t"] +
                   list(args), cwd=work, check=True, capture_output=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--readme", required=True)
    ap.add_argument("--corpus", required=True)
    a = ap.parse_args()
    cmds = readme_commands(a.readme)
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "linux")
        shutil.copytree(os.path.join(a.corpus, "linux-6.1"), work,
                        symlinks=True)
        git(work, "init", "-q")
        git(work, "add", "-f", "-A", ".")
        git(work, "commit", "-q", "-m", "base")
        git(work, "update-ref", "refs/remotes/origin/master", "HEAD")
        target = os.path.join(work, "drivers", "md", "dm-writecache.c")
        with open(target, "a") as f:
            f.write(NEW_FINDING)
        git(work, "commit", "-q", "-a", "-m", "a change with a finding")
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        os.symlink(os.path.abspath(a.lint), os.path.join(bindir, "vmalloc-lint"))
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"])
        env.pop("VMALLOC_LINT_KERNEL_DIR", None)

        def changed():
            p = subprocess.run(["git", "diff", "--name-only"], cwd=work,
                               capture_output=True, text=True, check=True)
            return p.stdout.split()

        def db_entries():
            with open(os.path.join(work, "compile_commands.json")) as f:
                return json.load(f)

        # (substring of the command, allowed exit statuses, check(stdout,
        # stderr) -> None or a complaint)
        expect = [
            ("-j2 drivers/md", (1,), lambda o, e:
             None if re.search(r"^drivers/md/\S+: warning: ", o, re.M)
             else "no drivers/md warning on stdout"),
            ("--diff mm fs > fix.patch && git apply fix.patch", (0,),
             lambda o, e: None if "mm/swapfile.c" in changed()
             else "git apply changed %s, not mm/swapfile.c" % changed()),
            ("--fix mm fs", (0,), lambda o, e:
             None if re.search(r"\b0 files fixed", e)
             else "--fix after the patch was applied: %r" % e),
            ("--census --format json", (0, 1), lambda o, e:
             None if json.loads(open(os.path.join(work, "census.json")).read()
                                if "-o census.json" in cmd else o)["sites"]
             else "no census sites"),
            ("--print-compile-commands -o compile_commands.json mm", (0,),
             lambda o, e: None if db_entries() and not o
             else "no compile commands in compile_commands.json"),
            ("-p . drivers/md", (1,), lambda o, e:
             None if "drivers/md/dm-writecache.c" in o
             else "no drivers/md finding with -p ."),
            ("--git-range origin/master..HEAD --format checkpatch", (1,),
             lambda o, e: None if "__vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM)" in o
             else "the gate did not report the added line: %r" % o),
            ("clang-tidy-19 --load=", (0,), lambda o, e: None),
        ]
        ran = 0
        for line in cmds:
            if line.startswith("cd linux"):
                continue
            if line.startswith("make C=2"):
                print("not run (no kbuild in the corpus; e2e.*.cc runs it): %s"
                      % line)
                continue
            for key, statuses, check in expect:
                if key in line:
                    break
            else:
                fail("README command without an expectation in %s: %s" %
                     (__file__, line))
            cmd = line.replace("/usr/local/lib/vmalloc-lint/libVmallocLintTidy.so",
                               os.path.abspath(a.plugin))
            p = subprocess.run(["bash", "-c", cmd], cwd=work, env=env,
                               capture_output=True, text=True)
            bad = [l for l in p.stderr.splitlines()
                   if re.search(r"error:|Unexpected EOF|cannot load", l)]
            if p.returncode not in statuses or bad:
                fail("%s: exit %d (want %s)\nstdout:\n%s\nstderr:\n%s" %
                     (line, p.returncode, statuses, p.stdout[-3000:],
                      p.stderr[-3000:]))
            complaint = check(p.stdout, p.stderr)
            if complaint:
                fail("%s: %s" % (line, complaint))
            print("ok (exit %d): %s" % (p.returncode, line))
            ran += 1
        if ran != len(expect):
            fail("ran %d README commands, %d expected: the README lost one" %
                 (ran, len(expect)))
        print("%d README commands ran as written" % ran)


if __name__ == "__main__":
    main()
