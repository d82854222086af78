#!/usr/bin/env python3
"""--series end to end, on git repositories built from corpus/linux-6.1.

--mode corpus (ctest label e2e): the corpus with test/series/MAINTAINERS (a
section per subsystem, an X:, an N:, THE REST) and a history whose subjects
are in each subsystem's style. The series written is compared with the
expected files under corpus/expected/series/ (each file minus its Date:
header), `git am` applies it on a clean clone and the result is the
corpus's expected fixed files. A second run with --kernel-version 4.11
covers the one fix the 6.1 rules do not offer (vmalloc-lowmem-gfp). A
third, on corpus/linux-4.9 with --kernel-version 4.12, lists the
allocator's own calls the series leaves in the cover letter. Every subject's
summary phrase is at most 75 characters.

--mode realtree (ctest label realtree): the same corpus repository with the
real Linux 6.1 MAINTAINERS, scripts/get_maintainer.pl and
scripts/checkpatch.pl (Debian's linux-source-6.1, real Perl): the tool's
To/Cc must be what get_maintainer.pl says of each patch, run by the test
itself, and every patch must be checkpatch --strict clean. Exit status 77
(ctest: skipped) if that tree is absent.

--update rewrites the expected series files.
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REAL_TREE = os.environ.get("VMALLOC_LINT_KERNEL_DIR",
                           "/var/tmp/vmalloc-lint/linux-source-6.1")
SIGNOFF = "Series Test <series@example.org>"

# The inputs of the 6.1-rules series: one or more files of each section,
# every fix kind of the 6.1 rules (drop a flag from __vmalloc*, from
# kvmalloc*, rename virt_to_page, replace an open-coded kvfree).
INPUTS = [
    "arch/arm64/kvm/arm.c",
    "arch/x86/kernel/ldt.c",
    "arch/x86/kernel/module.c",
    "drivers/char/vlmem/vlmem.c",
    "drivers/md/dm-writecache.c",
    "drivers/md/vl-bufio.c",
    "fs/ext4/mballoc.c",
    "fs/vlfs",
    "fs/xfs/kmem.c",
    "mm/swapfile.c",
]
# The 4.11-rules series: calls without __GFP_HIGHMEM are lowmem consumers.
INPUTS_411 = ["fs/gfs2/dir.c", "kernel/fork.c"]
# corpus/linux-4.9 with the 4.12 rules: the allocator's own definitions of
# mm/vmalloc.c pass __GFP_HIGHMEM (allocator-internal: listed in the cover
# letter as left, never changed); vl-kvmalloc-old.c's patch has two checks,
# whose subject must be shortened to 75 characters; drbd_bitmap.c calls
# bm_vk_free(), a wrapper whose body is kvfree() already: its patch must not
# say that the code chooses between vfree() and kfree().
INPUTS_49 = ["drivers/block/drbd/drbd_bitmap.c",
             "drivers/misc/vl-kvmalloc-old.c", "kernel/module.c",
             "mm/vmalloc.c"]

# Subsystem-style history: (subject, file). Each commit toggles a comment
# line at the end of the file, an even number of times: the last state is
# the corpus's.
HISTORY = [
    ("arm64: kvm: tidy the allocation", "arch/arm64/kvm/arm.c"),
    ("KVM: arm64: Allocate the VM with __vmalloc()", "arch/arm64/kvm/arm.c"),
    ("KVM: arm64: Document kvm_arch_alloc_vm()", "arch/arm64/kvm/arm.c"),
    ("KVM: arm64: Fix a comment", "arch/arm64/kvm/arm.c"),
    ("x86/ldt: Allocate the LDT with __vmalloc()", "arch/x86/kernel/ldt.c"),
    ("x86/ldt: Drop a stale comment", "arch/x86/kernel/ldt.c"),
    ("x86/module: Use __vmalloc_node_range()", "arch/x86/kernel/module.c"),
    ("x86/module: Fix a comment", "arch/x86/kernel/module.c"),
    ("dm writecache: allocate the entries", "drivers/md/dm-writecache.c"),
    ("dm writecache: fix a comment", "drivers/md/dm-writecache.c"),
    ("md: add the vl-bufio test driver", "drivers/md/vl-bufio.c"),
    ("md: vl-bufio: fix a comment", "drivers/md/vl-bufio.c"),
    ("md: vl-bufio: tidy", "drivers/md/vl-bufio.c"),
    ("md: vl-bufio: fix a typo", "drivers/md/vl-bufio.c"),
    ("ext4: allocate the buddy cache with kvzalloc()", "fs/ext4/mballoc.c"),
    ("ext4: fix a comment in mballoc", "fs/ext4/mballoc.c"),
    ("xfs: add kmem_alloc_large()", "fs/xfs/kmem.c"),
    ("xfs: kmem: tidy", "fs/xfs/kmem.c"),
    ("xfs: fix a comment", "fs/xfs/kmem.c"),
    ("xfs: fix a typo", "fs/xfs/kmem.c"),
    ("mm/swapfile: allocate the cluster info", "mm/swapfile.c"),
    ("mm/swapfile: fix a comment", "mm/swapfile.c"),
    ("char: vlmem: add the driver", "drivers/char/vlmem/vlmem.c"),
    ("char: vlmem: fix a comment", "drivers/char/vlmem/vlmem.c"),
]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def git(repo, *args, check=True):
    r = subprocess.run(["git", "-C", repo] + list(args), capture_output=True,
                       text=True)
    if check and r.returncode:
        fail("git %s: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout


def read(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)


def build_repo(tmp, corpus, maintainers, tree="linux-6.1", history=HISTORY,
               name="linux"):
    repo = os.path.join(tmp, name)
    shutil.copytree(os.path.join(corpus, tree), repo, symlinks=True)
    shutil.copy(maintainers, os.path.join(repo, "MAINTAINERS"))
    git(repo, "init", "-q", "-b", "master")
    git(repo, "config", "user.name", "Series Repo")
    git(repo, "config", "user.email", "repo@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    git(repo, "add", "-A", "--", ".")
    git(repo, "commit", "-q", "-m", "base: corpus " + tree)
    toggled = set()
    for subject, rel in history:
        path = os.path.join(repo, rel)
        text = read(path)
        mark = "/* history */\n"
        if rel in toggled:
            text = text[:-len(mark)]
            toggled.discard(rel)
        else:
            text += mark
            toggled.add(rel)
        write(path, text)
        git(repo, "commit", "-q", "-a", "-m", subject)
    if toggled:  # each file is toggled an even number of times
        fail("test setup: %s left with the history mark" % sorted(toggled))
    return repo


def run_series(lint, repo, out, inputs, extra=()):
    cmd = [lint, "--series", os.path.relpath(out, repo), "--signoff", SIGNOFF,
           "--kernel-tree", ".", "-j2"] + list(extra) + inputs
    r = subprocess.run(cmd, cwd=repo, capture_output=True, text=True)
    return r


def normalised(text):
    """A series file without what changes from run to run: the Date."""
    return re.sub(r"^Date: .*\n", "", text, count=1, flags=re.M)


def compare_series(out, expected_dir, update):
    got = sorted(os.listdir(out))
    if update:
        if os.path.isdir(expected_dir):
            shutil.rmtree(expected_dir)
        os.makedirs(expected_dir)
        for name in got:
            write(os.path.join(expected_dir, name),
                  normalised(read(os.path.join(out, name))))
        print("updated %s (%d files)" % (expected_dir, len(got)))
        return
    want = sorted(os.listdir(expected_dir))
    if got != want:
        fail("series files differ:\n  got  %s\n  want %s" % (got, want))
    for name in got:
        g = normalised(read(os.path.join(out, name)))
        w = read(os.path.join(expected_dir, name))
        if g != w:
            d = "".join(difflib.unified_diff(w.splitlines(True),
                                             g.splitlines(True),
                                             "expected/" + name, "got/" + name))
            fail("%s differs from the expected file:\n%s" % (name, d))


def check_subjects(out):
    """Each summary phrase (the subject after "[PATCH n/m] ") is at most 75
    characters: submitting-patches.rst's 70-75."""
    for name in sorted(os.listdir(out)):
        m = re.search(r"^Subject: \[PATCH [0-9]+/[0-9]+\] (.*)$",
                      read(os.path.join(out, name)), re.M)
        if not m or len(m.group(1)) > 75:
            fail("%s: subject over 75 characters: %r" %
                 (name, m.group(1) if m else None))


def patches(out):
    return [os.path.join(out, n) for n in sorted(os.listdir(out))
            if n.endswith(".patch") and not n.startswith("0000-")]


def git_am(tmp, repo, out, name):
    clone = os.path.join(tmp, name)
    subprocess.run(["git", "clone", "-q", "--", repo, clone], check=True)
    git(clone, "config", "user.name", "Am Test")
    git(clone, "config", "user.email", "am@example.org")
    r = subprocess.run(["git", "-C", clone, "am", "-q"] + patches(out),
                       capture_output=True, text=True)
    if r.returncode:
        fail("git am of the series failed: %s %s" % (r.stdout, r.stderr))
    return clone


def mode_corpus(args, tmp):
    repo = build_repo(tmp, args.corpus, os.path.join(HERE, "MAINTAINERS"))
    expected = os.path.join(args.corpus, "expected", "series")
    out = os.path.join(tmp, "series")
    r = run_series(args.lint, repo, out, INPUTS)
    if r.returncode != 0:
        fail("--series exit status %d (want 0): %s" % (r.returncode, r.stderr))
    if "vmalloc-lint: series: 9 patches and a cover letter" not in r.stderr:
        fail("summary line missing: %s" % r.stderr)
    compare_series(out, os.path.join(expected, "linux-6.1"), args.update)
    clone = git_am(tmp, repo, out, "am")
    # The series applied is the corpus's expected --fix result.
    fixed = os.path.join(args.corpus, "expected", "linux-6.1", "fixed")
    changed = git(clone, "diff", "--name-only", "HEAD~9", "HEAD").split()
    if len(changed) < 10:
        fail("the series changes %d files, want at least 10: %s" %
             (len(changed), changed))
    for rel in changed:
        if read(os.path.join(clone, rel)) != read(os.path.join(fixed, rel)):
            fail("%s after git am differs from corpus/expected/.../fixed" % rel)
    log = git(clone, "log", "--format=%s%n%b%n--", "-9")
    for want in ["KVM: arm64: Drop redundant __GFP_HIGHMEM from __vmalloc()",
                 "dm writecache: drop redundant __GFP_HIGHMEM from "
                 "__vmalloc_array()",
                 "Signed-off-by: " + SIGNOFF]:
        if want not in log:
            fail("git log after git am lacks %r:\n%s" % (want, log))
    # The 4.11 rules: __GFP_HIGHMEM is added where it is missing.
    out411 = os.path.join(tmp, "series-4.11")
    r = run_series(args.lint, repo, out411, INPUTS_411,
                   ["--kernel-version", "4.11", "--checks",
                    "vmalloc-lowmem-gfp"])
    if r.returncode != 0:
        fail("--series --kernel-version 4.11: exit status %d: %s" %
             (r.returncode, r.stderr))
    compare_series(out411, os.path.join(expected, "linux-6.1-rules-4.11"),
                   args.update)
    git_am(tmp, repo, out411, "am-4.11")
    check_subjects(out)
    check_subjects(out411)
    # corpus/linux-4.9 (no history) with the 4.12 rules: the allocator's
    # own definitions are left, and the cover letter says so.
    repo49 = build_repo(tmp, args.corpus, os.path.join(HERE, "MAINTAINERS"),
                        "linux-4.9", (), "linux-4.9")
    out49 = os.path.join(tmp, "series-4.9")
    r = run_series(args.lint, repo49, out49, INPUTS_49,
                   ["--kernel-version", "4.12"])
    if r.returncode != 0:
        fail("--series on linux-4.9 --kernel-version 4.12: exit status %d: "
             "%s" % (r.returncode, r.stderr))
    if ("left as they are: 6 allocator-internal calls passing __GFP_HIGHMEM"
            not in r.stderr):
        fail("no note of the allocator's own calls: %s" % r.stderr)
    compare_series(out49, os.path.join(expected, "linux-4.9-rules-4.12"),
                   args.update)
    cover = read(os.path.join(out49, "0000-cover-letter.patch"))
    for want in ["  mm/vmalloc.c:194 vmalloc()\n",
                 "  mm/vmalloc.c:295 vmalloc_exec()\n",
                 "This tree is 4.9, older than that change"]:
        if want not in cover:
            fail("the cover letter lacks %r" % want)
    check_subjects(out49)
    drbd = [p for p in patches(out49)
            if "+++ b/drivers/block/drbd/drbd_bitmap.c" in read(p)]
    if len(drbd) != 1:
        fail("want one patch of drbd_bitmap.c in %s" % patches(out49))
    body = read(drbd[0]).replace("\n", " ")
    for want in ["bm_vk_free() does nothing but pass its parameter to "
                 "kvfree()", "Call kvfree() in place of bm_vk_free()."]:
        if want not in body:
            fail("the drbd patch lacks %r:\n%s" % (want, read(drbd[0])))
    if "The code chooses between vfree() and kfree()" in body:
        fail("the drbd patch says the code chooses: " + read(drbd[0]))
    git_am(tmp, repo49, out49, "am-4.9")
    check_build_restores(args, tmp)
    # No identity: a usage error, nothing written.
    bare = os.path.join(tmp, "bare")
    env = dict(os.environ, HOME=tmp, GIT_CONFIG_NOSYSTEM="1")
    git(repo, "config", "--unset", "user.name")
    r = subprocess.run([args.lint, "--series", bare, "--kernel-tree", ".",
                        "arch/arm64/kvm/arm.c"], cwd=repo, capture_output=True,
                       text=True, env=env)
    if r.returncode != 2 or "--signoff 'Name <email>'" not in r.stderr:
        fail("--series without an identity: status %d, %s" %
             (r.returncode, r.stderr))
    print("PASS: series of %d patches matches, git am applies it" %
          len(patches(out)))


# A make that writes what kbuild writes on every run and git ignores
# (include/generated/utsrelease.h, .missing-syscalls.d): --series-build
# must put those back too, not only the tracked files.
BUILD_RULES = """
%.o: %.c
\t@cp $< $@
\t@echo "#define UTS_RELEASE \\"$$$$\\"" > include/generated/utsrelease.h
\t@echo $@ >> .missing-syscalls.d
"""


def check_build_restores(args, tmp):
    repo = build_repo(tmp, args.corpus, os.path.join(HERE, "MAINTAINERS"),
                      history=(), name="linux-build")
    write(os.path.join(repo, ".gitignore"),
          "/.config\n/include/generated/\n*.o\n.missing-syscalls.d\n")
    with open(os.path.join(repo, "Makefile"), "a") as f:
        f.write(BUILD_RULES)
    git(repo, "add", "-A", "--", ".")
    git(repo, "commit", "-q", "-m", "kbuild: a make that writes ignored files")
    write(os.path.join(repo, ".config"), "CONFIG_MMU=y\n")
    os.makedirs(os.path.join(repo, "include", "generated"), exist_ok=True)
    ignored = ["include/generated/utsrelease.h", ".missing-syscalls.d"]
    write(os.path.join(repo, ignored[0]), '#define UTS_RELEASE "6.1.0"\n')
    write(os.path.join(repo, ignored[1]), "")

    def state():
        out = {}
        # fs/xfs: kmem.o was made and removed in it.
        for rel in ignored + [".config", "fs/xfs/kmem.c", "fs/xfs", "."]:
            st = os.stat(os.path.join(repo, rel))
            path = os.path.join(repo, rel)
            out[rel] = (None if os.path.isdir(path) else read(path),
                        st.st_mtime_ns, st.st_mode)
        return out, git(repo, "status", "--short", "--ignored")
    before = state()
    out = os.path.join(tmp, "series-build")
    r = run_series(args.lint, repo, out, ["fs/xfs/kmem.c"],
                   ["--series-build"])
    if r.returncode != 0:
        fail("--series-build: exit status %d: %s" % (r.returncode, r.stderr))
    for want in ["make fs/xfs/kmem.o: built, no new warning",
                 "tree put back: 1 file kbuild added removed, 0 it changed "
                 "restored from git, 2 that git does not track restored "
                 "from a copy taken before the build"]:
        if want not in r.stderr:
            fail("--series-build: no %r in:\n%s" % (want, r.stderr))
    if "cannot restore" in r.stderr:
        fail("--series-build left files changed:\n" + r.stderr)
    after = state()
    if after != before:
        fail("--series-build: the tree is not as it was:\n%s\n%s" %
             (before, after))


def get_maintainer(patch):
    r = subprocess.run(["perl", "scripts/get_maintainer.pl", "--no-git",
                        "--no-git-fallback", "--no-rolestats", patch],
                       cwd=REAL_TREE, capture_output=True, text=True)
    if r.returncode:
        fail("get_maintainer.pl %s: %s" % (patch, r.stderr))
    return [l.strip() for l in r.stdout.splitlines() if l.strip()]


def header_addresses(text, name):
    m = re.search(r"^%s: (.*(?:\n    .*)*)" % name, text, re.M)
    if not m:
        return []
    return [a.strip() for a in m.group(1).split(",\n")]


def mode_realtree(args, tmp):
    if not os.path.isfile(os.path.join(REAL_TREE, "scripts/checkpatch.pl")):
        print("SKIP: %s has no scripts/checkpatch.pl" % REAL_TREE)
        sys.exit(77)
    repo = build_repo(tmp, args.corpus, os.path.join(REAL_TREE, "MAINTAINERS"))
    for rel in ["scripts/checkpatch.pl", "scripts/get_maintainer.pl",
                "scripts/spelling.txt", "scripts/const_structs.checkpatch"]:
        os.makedirs(os.path.dirname(os.path.join(repo, rel)), exist_ok=True)
        shutil.copy(os.path.join(REAL_TREE, rel), os.path.join(repo, rel))
    git(repo, "add", "-A", "--", ".")
    git(repo, "commit", "-q", "-m", "scripts: from Linux 6.1")
    # The files of the corpus that are real 6.1 files.
    real = [f for f in INPUTS
            if os.path.isfile(os.path.join(REAL_TREE, f))]
    # The corpus's "expect:" comments make some changed lines longer than
    # checkpatch's 100 columns, as they were before the fix: the tool says
    # so, and that the fix did not make it (exit status 0).
    out = os.path.join(tmp, "series-annotated")
    r = run_series(args.lint, repo, out, real)
    long_line = ("WARNING: line length of 102 exceeds 100 columns "
                 "(LONG_LINE_COMMENT: the lines had it before the fix)")
    if r.returncode != 0 or long_line not in r.stderr:
        fail("annotated corpus: want exit 0 and %r, got %d: %s" %
             (long_line, r.returncode, r.stderr))
    cover = read(os.path.join(out, "0000-cover-letter.patch"))
    if "checkpatch --strict: 0 errors, 1 warnings, 0 checks" not in cover or \
            long_line not in cover:
        fail("the cover letter does not say which patch is not clean:\n" +
             cover)
    # Without the comments the files are kernel code as it is written.
    for rel in real:
        path = os.path.join(repo, rel)
        write(path, re.sub(r" */\* expect: [^*]*\*/", "", read(path)))
    git(repo, "commit", "-q", "-a", "-m", "corpus: drop the expect comments")
    out = os.path.join(tmp, "series")
    r = run_series(args.lint, repo, out, real)
    if r.returncode != 0:
        fail("--series exit status %d: %s" % (r.returncode, r.stderr))
    ps = patches(out)
    if len(ps) < 4:
        fail("want at least 4 patches of real sections, got %d" % len(ps))
    clean = r.stderr.count("checkpatch --strict: 0 errors, 0 warnings, "
                           "0 checks")
    if clean != len(ps):
        fail("%d of %d patches checkpatch-clean by the tool's report:\n%s" %
             (clean, len(ps), r.stderr))
    for p in ps:
        text = read(p)
        c = subprocess.run(["perl", os.path.join(REAL_TREE,
                                                 "scripts/checkpatch.pl"),
                            "--strict", "--no-tree", p], cwd=repo,
                           capture_output=True, text=True)
        if "total: 0 errors, 0 warnings, 0 checks" not in c.stdout:
            fail("checkpatch --strict on %s:\n%s" % (p, c.stdout))
        want = get_maintainer(p)
        got = header_addresses(text, "To") + header_addresses(text, "Cc")
        if sorted(got) != sorted(want):
            fail("%s: To/Cc %s, get_maintainer.pl says %s" %
                 (os.path.basename(p), got, want))
        if not header_addresses(text, "To"):
            fail("%s has no To:" % p)
    git_am(tmp, repo, out, "am")
    print("PASS: %d patches: get_maintainer.pl's addresses, checkpatch "
          "--strict clean, git am applies them" % len(ps))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--mode", choices=["corpus", "realtree"], required=True)
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()
    args.lint = os.path.abspath(args.lint)
    args.corpus = os.path.abspath(args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        if args.mode == "corpus":
            mode_corpus(args, tmp)
        else:
            mode_realtree(args, tmp)


if __name__ == "__main__":
    main()
