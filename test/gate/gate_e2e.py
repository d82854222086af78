#!/usr/bin/env python3
"""End-to-end tests of the CI patch gate on real git repositories.

Each run copies corpus/linux-6.1 into a temporary directory, `git init`s it,
commits it as BASE and then commits changes (the "story" below), and runs
the built vmalloc-lint in gate mode on them:

  c1 add       a new function with a redundant __GFP_HIGHMEM (new finding)
  c2 next      changes the line next to an old finding (nothing to report)
  c3 fixline   changes the line an old finding's fix edits (reported)
  c4 macro     a new use of a macro whose body has an old finding (reported)
  c5 move      moves a function with an old finding, adds a duplicate of c1
  c6 delete    deletes a function with an old finding (nothing to report)
  c7 rename    renames a file (nothing to report)

Modes (one ctest each):
  git-range   --git-range per commit and over the story, exit codes
  since       --since REV: committed and uncommitted changes
  patch       --patch FILE and --patch -, a format-patch series, on the
              pre-image (patched in memory) and on the post-image; the tree
              is left untouched
  formats     checkpatch, SARIF (validated), GitHub, JSON and text shapes
  diff        --diff gives only the reported findings' fixes; git apply
  baseline    --baseline: moved and unchanged findings are not reported
  bad-input   malformed, not-applying, binary, empty diffs, bad revisions:
              exit 2 (0 for an empty diff) and one line on stderr
  nolint      NOLINT comments (clang-tidy's rules) in what a change adds
              suppress in gate mode, read from the post-image: a patch that
              only adds a NOLINT to a finding's line, applied in memory,
              reports nothing; --summary counts the suppressed findings
  ci-script   scripts/ci-gate.sh (what docs/ci-gate.md's jobs run): its
              exit status and the SARIF, JSON and GitLab Code Quality files
  refactors   an added open-coded kvmalloc and kvfree in a file that has
              old ones: only the added two reported, --diff fixes them only
  hostile     patches from strangers: paths with '..', absolute, through
              symlinks out of the tree (refused: exit 2, one line); file
              names git quotes (space, quote, $(), newline, tab, ':', ',',
              non-UTF-8) gated in every mode and view; a rename onto a file
              and a rename then an edit (as `git am`); random bytes; a
              100,000-line hunk (time bound); revisions that look like
              options

Every SARIF file a mode produces is checked with Microsoft's SARIF
validator (`sarif-multitool validate`); any ": error " line fails the test,
and a missing validator fails it too.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

LINT = None
LINT_TMP = None  # TMPDIR of every vmalloc-lint run: must stay empty
VALIDATOR = None
SARIF_VALIDATED = 0


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(cmd, cwd=None, want=None, stdin=None, env=None):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                       input=stdin, env=env)
    if want is not None and p.returncode not in want:
        fail("%s exited %d (want %s)\nstdout:\n%s\nstderr:\n%s" %
             (" ".join(cmd), p.returncode, want, p.stdout[-4000:],
              p.stderr[-4000:]))
    return p


def git(repo, *args, want=(0,)):
    return run(["git", *args], cwd=repo, want=want).stdout


def lint(repo, *args, want=(0, 1), stdin=None):
    p = run([LINT, *args], cwd=repo, want=want, stdin=stdin,
            env=dict(os.environ, TMPDIR=LINT_TMP))
    if os.listdir(LINT_TMP):
        fail("temporary files left behind: %s" % os.listdir(LINT_TMP))
    return p


def read(repo, rel):
    with open(os.path.join(repo, rel)) as f:
        return f.read()


def write(repo, rel, text):
    with open(os.path.join(repo, rel), "w") as f:
        f.write(text)


def replace(repo, rel, old, new):
    text = read(repo, rel)
    if text.count(old) != 1:
        fail("test setup: %r occurs %d times in %s" % (old, text.count(old), rel))
    write(repo, rel, text.replace(old, new))


def line_of(repo, rev, rel, needle):
    """1-based line of the only line containing needle in rel at rev."""
    text = git(repo, "show", "%s:%s" % (rev, rel))
    hits = [n for n, l in enumerate(text.splitlines(), 1) if needle in l]
    if len(hits) != 1:
        fail("test setup: %r on %d lines of %s at %s" % (needle, len(hits), rel, rev))
    return hits[0]


def commit(repo, name):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", name)
    return git(repo, "rev-parse", "HEAD").strip()


ARM = "arch/arm64/kvm/arm.c"
DIR = "fs/gfs2/dir.c"
WC = "drivers/md/dm-writecache.c"
NEW_BUF = ("void *kvm_new_buf(unsigned long n)\n{\n"
           "\treturn __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n}\n\n")
NEW_BUF2 = NEW_BUF.replace("kvm_new_buf", "kvm_new_buf2")
ALLOC_VM = """struct kvm *kvm_arch_alloc_vm(void)
{
	size_t sz = sizeof(struct kvm);

	if (!has_vhe())
		return kzalloc(sz, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);

	return __vmalloc(sz, GFP_KERNEL_ACCOUNT | __GFP_HIGHMEM | __GFP_ZERO); /* expect: vmalloc-redundant-highmem */
}

"""
FREE_VM = "void kvm_arch_free_vm(struct kvm *kvm)\n{\n\t__kvm_arch_free_vm(kvm);\n}\n\n"
OLD_ARM_CALL = "__GFP_HIGHMEM | __GFP_ZERO); /* expect"


def build_story(tmp, corpus):
    repo = os.path.join(tmp, "linux")
    shutil.copytree(os.path.join(corpus, "linux-6.1"), repo, symlinks=True)
    git(repo, "init", "-q", "-b", "master")
    git(repo, "config", "user.name", "Gate Test")
    git(repo, "config", "user.email", "gate@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    c = {"base": commit(repo, "base: corpus linux-6.1")}
    # c1: a new bad call.
    replace(repo, ARM, FREE_VM, NEW_BUF + FREE_VM)
    c["add"] = commit(repo, "kvm: add kvm_new_buf")
    # c2: the line before an old finding changes; the finding does not.
    replace(repo, ARM, "return kzalloc(sz, GFP_KERNEL_ACCOUNT);",
            "return kzalloc(sz, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);")
    c["next"] = commit(repo, "kvm: no warning from kzalloc")
    # c3: the first line of a two-line gfp argument changes; the finding is on
    # the second line, but its fix joins the two.
    replace(repo, DIR, "GFP_NOFS | __GFP_NOWARN | __GFP_ZERO\n",
            "GFP_NOFS | __GFP_ZERO | __GFP_NOWARN\n")
    c["fixline"] = commit(repo, "gfs2: reorder flags")
    # c4: a new use of WC_ENTRIES_GFP, whose body (line 22) has a finding.
    replace(repo, WC, "static int writecache_alloc_dirty_bitmap",
            "static void *writecache_alloc_scratch(size_t n)\n{\n"
            "\treturn __vmalloc(n, WC_ENTRIES_GFP);\n}\n\n"
            "static int writecache_alloc_dirty_bitmap")
    c["macro"] = commit(repo, "dm writecache: scratch buffer")
    # c5: kvm_arch_alloc_vm moves to the end of the file; a copy of c1 after it.
    text = read(repo, ARM)
    if text.count(ALLOC_VM) != 1:
        fail("test setup: kvm_arch_alloc_vm not found")
    text = text.replace(ALLOC_VM, "") + "\n" + ALLOC_VM + NEW_BUF2.rstrip("\n") + "\n"
    write(repo, ARM, text)
    c["move"] = commit(repo, "kvm: move kvm_arch_alloc_vm, add kvm_new_buf2")
    # c6: kvm_arch_alloc_vm is deleted.
    replace(repo, ARM, ALLOC_VM, "")
    c["delete"] = commit(repo, "kvm: drop kvm_arch_alloc_vm")
    # c7: a rename.
    git(repo, "mv", "sound/core/pcm_memory.c", "sound/core/pcm_mem.c")
    c["rename"] = commit(repo, "sound: rename pcm_memory.c")
    return repo, c


def findings(p):
    """(file, line, check) of a --format json output."""
    return sorted((f["file"], f["line"], f["check"])
                  for f in json.loads(p.stdout)["findings"])


def expected(repo, c):
    """What each commit (and the whole story) must report."""
    a = ("arch/arm64/kvm/arm.c", line_of(repo, c["add"], ARM, "kvm_new_buf(") + 2,
         "vmalloc-redundant-highmem")
    d = (DIR, line_of(repo, c["fixline"], DIR, "| __GFP_HIGHMEM); /* expect"),
         "vmalloc-redundant-highmem")
    # The open-coded kvmalloc whose __vmalloc() line c3 changes: its code
    # (reported at the kzalloc, three lines up) is touched.
    k = (DIR, line_of(repo, c["fixline"], DIR, "ht = kzalloc(size, GFP_NOFS"),
         "vmalloc-open-coded-kvmalloc")
    w = (WC, line_of(repo, c["macro"], WC, "#define WC_ENTRIES_GFP"),
         "vmalloc-redundant-highmem")
    moved = (ARM, line_of(repo, c["move"], ARM, OLD_ARM_CALL),
             "vmalloc-redundant-highmem")
    b2 = (ARM, line_of(repo, c["move"], ARM, "kvm_new_buf2(") + 2,
          "vmalloc-redundant-highmem")
    b2_final = (ARM, line_of(repo, c["rename"], ARM, "kvm_new_buf2(") + 2,
                "vmalloc-redundant-highmem")
    a_final = (ARM, line_of(repo, c["rename"], ARM, "kvm_new_buf(") + 2,
               "vmalloc-redundant-highmem")
    return {
        "add": [a], "next": [], "fixline": sorted([d, k]), "macro": [w],
        "move": sorted([moved, b2]), "delete": [], "rename": [],
        "story": sorted([a_final, b2_final, d, k, w]),
    }


STEPS = ["add", "next", "fixline", "macro", "move", "delete", "rename"]


def parent(c, step):
    i = STEPS.index(step)
    return c["base"] if i == 0 else c[STEPS[i - 1]]


def validate_sarif(path):
    global SARIF_VALIDATED
    if not VALIDATOR or not os.access(VALIDATOR, os.X_OK):
        fail("SARIF validator not found at %r (scripts/install-deps.sh "
             "installs @microsoft/sarif-multitool)" % VALIDATOR)
    p = run([VALIDATOR, "validate", path], want=(0,))
    errors = [l for l in p.stdout.splitlines() + p.stderr.splitlines()
              if ": error " in l]
    if errors:
        fail("SARIF validator errors in %s:\n%s" % (path, "\n".join(errors)))
    if "1 files scanned" not in p.stdout and "Analysis completed" not in p.stdout:
        fail("the SARIF validator did not scan %s: %s" % (path, p.stdout))
    SARIF_VALIDATED += 1


def sarif_run(repo, tmp, args, want=(0, 1)):
    p = lint(repo, *args, "--format", "sarif", want=want)
    path = os.path.join(tmp, "out-%d.sarif" % SARIF_VALIDATED)
    with open(path, "w") as f:
        f.write(p.stdout)
    validate_sarif(path)
    doc = json.loads(p.stdout)
    # The validator skips a file it cannot deserialise (an unknown enum value
    # such as "level": "bogus") without a word; check those here.
    for r in doc["runs"][0]["results"]:
        if r.get("level") not in ("none", "note", "warning", "error"):
            fail("SARIF result level %r" % r.get("level"))
        if r.get("kind", "fail") not in ("fail", "pass", "open", "review",
                                         "informational", "notApplicable"):
            fail("SARIF result kind %r" % r.get("kind"))
    return doc


def sarif_findings(doc):
    out = []
    for r in doc["runs"][0]["results"]:
        loc = r["locations"][0]["physicalLocation"]
        out.append((loc["artifactLocation"]["uri"], loc["region"]["startLine"],
                    r["ruleId"]))
    return sorted(out)


def check_gate(repo, c, want, args, what, tmp=None):
    p = lint(repo, *args, "--format", "json")
    got = findings(p)
    if got != want:
        fail("%s: got %s, want %s\nstderr: %s" % (what, got, want, p.stderr))
    code = 1 if want else 0
    if p.returncode != code:
        fail("%s: exit %d, want %d" % (what, p.returncode, code))
    if tmp is not None:
        doc = sarif_run(repo, tmp, args)
        if sarif_findings(doc) != want:
            fail("%s: SARIF results %s, want %s" % (what, sarif_findings(doc), want))
    return p


def tree_state(repo):
    return git(repo, "status", "--porcelain", "--untracked-files=all")


def mode_git_range(repo, c, tmp):
    want = expected(repo, c)
    for step in STEPS:
        check_gate(repo, c, want[step],
                   ["--git-range", "%s..%s" % (parent(c, step), c[step])],
                   "--git-range " + step, tmp)
    check_gate(repo, c, want["story"], ["--git-range", "%s..HEAD" % c["base"]],
               "--git-range over the story", tmp)
    # A...B: from the merge base; B defaults to HEAD.
    check_gate(repo, c, want["story"], ["--git-range", "%s..." % c["base"]],
               "--git-range BASE...", None)
    # The work tree elsewhere: B's contents are analysed, not the work tree's.
    git(repo, "checkout", "-q", c["base"])
    check_gate(repo, c, want["add"], ["--git-range", "%s..%s" % (c["base"], c["add"])],
               "--git-range with the work tree at BASE", None)
    git(repo, "checkout", "-q", "master")
    if tree_state(repo):
        fail("the tree changed: %s" % tree_state(repo))
    print("--git-range: %d commits and the story report exactly the expected "
          "findings and exit codes; %d SARIF files validated" %
          (len(STEPS), SARIF_VALIDATED))


def mode_since(repo, c, tmp):
    want = expected(repo, c)
    check_gate(repo, c, want["story"], ["--since", c["base"]], "--since BASE", tmp)
    # Uncommitted work counts.
    ldt = "arch/x86/kernel/ldt.c"
    replace(repo, ldt, "void free_ldt_struct(",
            "static void *ldt_scratch(unsigned long n)\n{\n"
            "\treturn __vmalloc(n, GFP_KERNEL_ACCOUNT | __GFP_HIGHMEM);\n}\n\n"
            "void free_ldt_struct(")
    text = read(repo, ldt)
    n = [i for i, l in enumerate(text.splitlines(), 1)
         if "ldt_scratch(" in l][0] + 2
    new = (ldt, n, "vmalloc-redundant-highmem")
    check_gate(repo, c, [new], ["--since", "HEAD"], "--since HEAD, uncommitted", tmp)
    check_gate(repo, c, sorted(want["story"] + [new]), ["--since", c["base"]],
               "--since BASE with uncommitted work", None)
    git(repo, "checkout", "-q", "--", ldt)
    print("--since: committed and uncommitted changes reported; %d SARIF files "
          "validated" % SARIF_VALIDATED)


def mode_patch(repo, c, tmp):
    want = expected(repo, c)
    series = os.path.join(tmp, "series.mbox")
    with open(series, "w") as f:
        f.write(git(repo, "format-patch", "--stdout", "%s..HEAD" % c["base"]))
    if open(series).read().count("\nSubject: [PATCH ") != len(STEPS):
        fail("format-patch did not give a %d-mail series" % len(STEPS))
    one = os.path.join(tmp, "add.patch")
    with open(one, "w") as f:
        f.write(git(repo, "format-patch", "-1", "--stdout", c["add"]))
    plain = os.path.join(tmp, "macro.diff")
    with open(plain, "w") as f:
        f.write(git(repo, "diff", c["fixline"], c["macro"]))
    outputs = {}
    for where in ("post", "pre"):
        # post: the tree holds the patches (CI after checkout); pre: not yet.
        if where == "pre":
            git(repo, "checkout", "-q", c["base"])
        before = tree_state(repo)
        p = check_gate(repo, c, want["story"], ["--patch", series],
                       "--patch series (%s-image tree)" % where, tmp)
        outputs[where] = p.stdout
        applied = ("as they are in the tree" if where == "post"
                   else "patched in memory")
        if applied not in p.stderr:
            fail("--patch on the %s-image: summary does not say %r: %s" %
                 (where, applied, p.stderr))
        # stdin
        p = lint(repo, "--patch", "-", "--format", "json",
                 stdin=open(series).read())
        if findings(p) != want["story"]:
            fail("--patch - (%s-image): %s" % (where, findings(p)))
        if where == "pre":
            git(repo, "checkout", "-q", parent(c, "add"))
            check_gate(repo, c, want["add"], ["--patch", one],
                       "--patch one mail on its parent", None)
            git(repo, "checkout", "-q", c["fixline"])
            check_gate(repo, c, want["macro"], ["--patch", plain],
                       "--patch plain git diff on its parent", None)
        if tree_state(repo) != before:
            fail("--patch changed the tree: %s" % tree_state(repo))
    git(repo, "checkout", "-q", "master")
    if outputs["pre"] != outputs["post"]:
        fail("pre-image and post-image runs differ:\n%s\n%s" %
             (outputs["pre"], outputs["post"]))
    print("--patch: a %d-mail series, one mail and a plain diff, from a file "
          "and stdin, on pre- and post-image trees: same findings, tree "
          "untouched" % len(STEPS))


def mode_formats(repo, c, tmp):
    want = expected(repo, c)["story"]
    series = os.path.join(tmp, "series.mbox")
    with open(series, "w") as f:
        f.write(git(repo, "format-patch", "--stdout", "%s..HEAD" % c["base"]))
    patch_lines = open(series).read().split("\n")

    # checkpatch.pl's shape.
    p = lint(repo, "--patch", series, "--format", "checkpatch", want=(1,))
    block = re.compile(r"WARNING: (.+) \[(vmalloc-[a-z0-9-]+)\]\n#(\d+): FILE: "
                       r"(\S+):(\d+):\n([+ ].*)\n\n")
    pos, got = 0, []
    for m in block.finditer(p.stdout):
        if m.start() != pos:
            fail("checkpatch output: unexpected text at %d: %r" %
                 (pos, p.stdout[pos:m.start()]))
        pos = m.end()
        n, rel, line, raw = int(m.group(3)), m.group(4), int(m.group(5)), m.group(6)
        if patch_lines[n - 1] != raw:
            fail("checkpatch #%d is %r in the patch, printed %r" %
                 (n, patch_lines[n - 1], raw))
        if read(repo, rel).splitlines()[line - 1] != raw[1:]:
            fail("checkpatch %s:%d is not the printed line %r" % (rel, line, raw))
        got.append((rel, line, m.group(2)))
    hunk_lines = 0
    tail = p.stdout[pos:]
    m = re.fullmatch(r"total: 0 errors, (\d+) warnings, (\d+) lines checked\n\n"
                     r"(.+) has style problems, please review\.\n", tail)
    if not m or int(m.group(1)) != len(want) or m.group(3) != series:
        fail("checkpatch closing lines: %r" % tail)
    # The macro finding is reported at its expansion, the line the patch added.
    w = [g for g in got if g[0] == WC]
    if len(w) != 1 or w[0][1] == want[[x[0] for x in want].index(WC)][1]:
        fail("checkpatch: the macro finding should be shown at its new "
             "expansion site: %s" % got)
    # Clean: the total line and "no obvious style problems".
    p = lint(repo, "--git-range", "%s..%s" % (c["move"], c["delete"]),
             "--format", "checkpatch", want=(0,))
    if not re.fullmatch(r"total: 0 errors, 0 warnings, \d+ lines checked\n\n"
                        r"\S+ has no obvious style problems and is ready for "
                        r"submission\.\n", p.stdout):
        fail("clean checkpatch output: %r" % p.stdout)

    # SARIF: validated, rules from --list-checks, results and fixes.
    doc = sarif_run(repo, tmp, ["--patch", series])
    if doc.get("version") != "2.1.0" or "sarif-2.1.0" not in doc.get("$schema", ""):
        fail("SARIF version/$schema: %s %s" % (doc.get("version"), doc.get("$schema")))
    drv = doc["runs"][0]["tool"]["driver"]
    names = [l for l in lint(repo, "--list-checks", want=(0,)).stdout.splitlines()
             if l.startswith("vmalloc-")]
    if [r["id"] for r in drv["rules"]] != names:
        fail("SARIF rules %s != --list-checks %s" % ([r["id"] for r in drv["rules"]], names))
    if drv["name"] != "vmalloc-lint" or not drv.get("version"):
        fail("SARIF driver: %s" % drv)
    results = doc["runs"][0]["results"]
    if sarif_findings(doc) != want:
        fail("SARIF results: %s" % sarif_findings(doc))
    base_uri = doc["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"]
    if base_uri != "file://" + os.path.realpath(repo) + "/":
        fail("SARIF SRCROOT %s" % base_uri)
    for r in results:
        if drv["rules"][r["ruleIndex"]]["id"] != r["ruleId"]:
            fail("SARIF ruleIndex does not point at ruleId: %s" % r)
        loc = r["locations"][0]["physicalLocation"]
        if loc["artifactLocation"].get("uriBaseId") != "SRCROOT":
            fail("SARIF location without uriBaseId: %s" % loc)
        if not r.get("partialFingerprints"):
            fail("SARIF result without partialFingerprints")
    fps = [r["partialFingerprints"]["vmallocLint/v1"] for r in results]
    if len(set(fps)) != len(fps):   # kvm_new_buf and its copy: same line
        fail("SARIF partialFingerprints not unique: %s" % fps)
    fixed = [r for r in results if r.get("fixes")]
    if len(fixed) != 5:   # and dir.c's open-coded kvmalloc
        fail("SARIF: %d results with fixes, want 5" % len(fixed))
    # The fix of the new kvm_new_buf call: deletes " | __GFP_HIGHMEM".
    arm_fix = [r for r in fixed if r["locations"][0]["physicalLocation"]
               ["artifactLocation"]["uri"] == ARM][0]["fixes"][0]
    rep = arm_fix["artifactChanges"][0]["replacements"][0]
    line = read(repo, ARM).splitlines()[rep["deletedRegion"]["startLine"] - 1]
    cut = line[rep["deletedRegion"]["startColumn"] - 1:rep["deletedRegion"]["endColumn"] - 1]
    if cut != " | __GFP_HIGHMEM" or rep["insertedContent"]["text"] != "":
        fail("SARIF fix region: %r -> %r" % (cut, rep["insertedContent"]))
    macro = [r for r in results if r["locations"][0]["physicalLocation"]
             ["artifactLocation"]["uri"] == WC][0]
    if not any("Expanded" in l["message"]["text"] for l in macro.get("relatedLocations", [])):
        fail("SARIF: the macro finding has no relatedLocations for its expansions")

    # GitHub workflow commands.
    p = lint(repo, "--patch", series, "--format", "github", want=(1,))
    ann = re.compile(r"::warning file=([^,]+),line=(\d+)(,col=\d+)?,"
                     r"title=([a-z0-9-]+)::(.+)")
    got = []
    for l in p.stdout.splitlines():
        m = ann.fullmatch(l)
        if not m:
            fail("GitHub annotation: %r" % l)
        got.append((m.group(1), int(m.group(2)), m.group(4)))
    # Each on the changed line that makes it count: the macro finding at its
    # new expansion, the dir.c one on the line its fix edits.
    # dir.c's open-coded kvmalloc is anchored on that changed line too.
    changed = [f for f in want if f[0] == DIR and
               f[2] == "vmalloc-redundant-highmem"][0][1] - 1
    anchors = [f for f in want if f[0] not in (DIR, WC)] + [
        (DIR, changed, "vmalloc-redundant-highmem"),
        (DIR, changed, "vmalloc-open-coded-kvmalloc"),
        (WC, line_of(repo, "HEAD", WC, "return __vmalloc(n, WC_ENTRIES_GFP);"),
         "vmalloc-redundant-highmem")]
    if sorted(got) != sorted(anchors):
        fail("GitHub annotations %s, want %s" % (got, sorted(anchors)))
    if "(at drivers/md/dm-writecache.c:22:38)" not in p.stdout:
        fail("GitHub: an annotation away from the finding does not say where "
             "it is: %s" % p.stdout)
    if "%0Aexpanded from drivers/md/dm-writecache.c:" not in p.stdout:
        fail("GitHub: multi-line message not escaped with %%0A: %s" % p.stdout)
    # Property escaping: a file whose name has ',', ':' and '%'.
    odd = "drivers/misc/odd%,name:x.c"
    git(repo, "checkout", "-q", "-b", "odd")
    write(repo, odd, "#include <linux/mm.h>\n#include <linux/vmalloc.h>\n"
          "void *odd(unsigned long n)\n"
          "{\n\treturn __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n}\n")
    commit(repo, "odd name")
    p = lint(repo, "--git-range", "HEAD~1..HEAD", "--format", "github", want=(1,))
    want_line = ("::warning file=drivers/misc/odd%25%2Cname%3Ax.c,line=5,col=35,"
                 "title=vmalloc-redundant-highmem::redundant __GFP_HIGHMEM passed "
                 "to __vmalloc(): vmalloc adds it itself since v4.12%0Afix: drop "
                 "__GFP_HIGHMEM\n")
    if p.stdout != want_line:
        fail("GitHub escaping:\n%r\nwant\n%r" % (p.stdout, want_line))
    sarif_run(repo, tmp, ["--git-range", "HEAD~1..HEAD"])
    git(repo, "checkout", "-q", "master")

    # JSON and text: the gate's findings are the whole run's, filtered.
    full = json.loads(lint(repo, "--format", "json", ".").stdout)["findings"]
    gate = json.loads(lint(repo, "--git-range", "%s..HEAD" % c["base"],
                           "--format", "json").stdout)["findings"]
    keep = [f for f in full if (f["file"], f["line"], f["check"]) in want]
    if gate != keep:
        fail("gate JSON findings are not the whole run's findings, filtered")
    p = lint(repo, "--git-range", "%s..HEAD" % c["base"], want=(1,))
    heads = sorted((m.group(1), int(m.group(2)), m.group(3)) for m in re.finditer(
        r"^(\S+):(\d+):\d+: warning: .* \[(vmalloc-[a-z0-9-]+)\]$", p.stdout, re.M))
    if heads != want:
        fail("text output: %s" % heads)
    # Outside gate mode the views work too.
    sarif_run(repo, tmp, ["."])
    p = lint(repo, "--format", "checkpatch", ARM, want=(1,))
    if not re.match(r"WARNING: .*\n#\d+: FILE: arch/arm64/kvm/arm\.c:\d+:\n\+", p.stdout):
        fail("checkpatch on files: %r" % p.stdout[:300])
    print("checkpatch, SARIF (%d files validated), GitHub (escaping), JSON and "
          "text views checked" % SARIF_VALIDATED)


def mode_diff(repo, c, tmp):
    want = expected(repo, c)["story"]
    # --diff exits 0 when it printed the fixes (`> p && git apply p`).
    p = lint(repo, "--git-range", "%s..HEAD" % c["base"], "--diff", want=(0,))
    files = sorted(re.findall(r"^\+\+\+ b/(\S+)$", p.stdout, re.M))
    if files != sorted({ARM, DIR, WC}):
        fail("--diff touches %s" % files)
    # Only the reported findings' fixes: two in arm.c, the old ones in other
    # files (ldt.c, irq.c ...) are not in it.
    removed = re.findall(r"^-(?!--).*$", p.stdout, re.M)
    # arm.c x2, dm-writecache x1, and dir.c's kzalloc/vmalloc fallback (4
    # lines, one kvzalloc() call: that fix covers the __GFP_HIGHMEM one).
    if len(removed) != 7:
        fail("--diff removes %d lines, want 7:\n%s" % (len(removed), p.stdout))
    patch = os.path.join(tmp, "fix.diff")
    with open(patch, "w") as f:
        f.write(p.stdout)
    run(["git", "apply", "--check", patch], cwd=repo, want=(0,))
    # On the pre-image, the patch is applied in memory: the same fixes.
    series = os.path.join(tmp, "series.mbox")
    with open(series, "w") as f:
        f.write(git(repo, "format-patch", "--stdout", "%s..HEAD" % c["base"]))
    git(repo, "checkout", "-q", c["base"])
    q = lint(repo, "--patch", series, "--diff", want=(0,))
    git(repo, "checkout", "-q", "master")
    if q.stdout != p.stdout:
        fail("--diff on the pre-image differs:\n%s" % q.stdout)
    run(["git", "apply", patch], cwd=repo, want=(0,))
    left = findings(lint(repo, "--since", c["base"], "--format", "json"))
    if left:
        fail("after git apply of --diff, still reported: %s" % left)
    git(repo, "checkout", "-q", "--", ".")
    print("--diff: only the 4 reported findings' fixes, git apply takes it, "
          "nothing reported after")


def mode_baseline(repo, c, tmp):
    want = expected(repo, c)

    def baseline(rev):
        git(repo, "checkout", "-q", rev)
        path = os.path.join(tmp, "baseline-%s.json" % rev[:8])
        with open(path, "w") as f:
            f.write(lint(repo, "--format", "json", ".").stdout)
        git(repo, "checkout", "-q", "master")
        return path

    at_macro, at_base = baseline(c["macro"]), baseline(c["base"])
    b2 = [f for f in want["move"] if f[1] != line_of(repo, c["move"], ARM, OLD_ARM_CALL)]
    rng = "%s..%s" % (c["macro"], c["move"])
    # Moved code: its finding is on added lines, so the gate alone reports it.
    check_gate(repo, c, want["move"], ["--git-range", rng], "move without baseline")
    # With the parent's result as baseline, only the new call is left. The
    # copy of kvm_new_buf has the same code and context as the original; one
    # baseline entry matches one finding, so the copy is still reported.
    check_gate(repo, c, b2, ["--git-range", rng, "--baseline", at_macro],
               "move with the parent's baseline", tmp)
    # An older baseline: the moved line's neighbour changed since (c2), so
    # check, file and code match without the context.
    check_gate(repo, c, b2, ["--git-range", rng, "--baseline", at_base],
               "move with BASE's baseline", None)
    # Whole-tree runs: only what is not in BASE's result. Old findings in
    # changed files (dir.c, dm-writecache.c) keep their code line.
    new_since_base = sorted([f for f in want["story"] if f[0] == ARM])
    check_gate(repo, c, new_since_base, [".", "--baseline", at_base],
               "whole tree with BASE's baseline", tmp)
    # A baseline of the current tree hides everything.
    check_gate(repo, c, [], ["--git-range", "%s..HEAD" % c["base"], "--baseline",
                             baseline("master")], "story with HEAD's baseline", None)
    bad = os.path.join(tmp, "bad.json")
    for text, why in (("{not json", "not JSON"),
                      ('{"findings": [{"check": "x", "file": "y", "line": 1}]}',
                       "fingerprint")):
        with open(bad, "w") as f:
            f.write(text)
        p = lint(repo, "--baseline", bad, ARM, want=(2,))
        if why not in p.stderr or p.stdout:
            fail("bad baseline %r: %r" % (text, p.stderr))
    print("--baseline: moved findings hidden, new ones kept, whole-tree runs "
          "filtered, bad baselines rejected")


def mode_bad_input(repo, c, tmp):
    # On BASE, where c1's diff applies (the control case below).
    git(repo, "checkout", "-q", c["base"])
    head_diff = git(repo, "diff", c["base"], c["add"])
    control = os.path.join(tmp, "control.patch")
    with open(control, "w") as f:
        f.write(head_diff)
    if findings(lint(repo, "--patch", control, "--format", "json", want=(1,))) \
            != expected(repo, c)["add"]:
        fail("control: c1's diff on BASE")
    cases = []
    lines = head_diff.split("\n")
    first_context = [i for i, l in enumerate(lines)
                     if l.startswith(" ") and i > 4][0]
    short = lines[:first_context] + ["X" + lines[first_context][1:]] + \
        lines[first_context + 1:]

    def case(name, text, want_text, code=2, args=None):
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write(text)
        cases.append((name, args or ["--patch", path], want_text, code))

    case("malformed-header", head_diff.replace("@@ -", "@@ -x", 1),
         "malformed hunk header")
    case("truncated", "\n".join(head_diff.split("\n")[:-4]) + "\n",
         "patch ends inside hunk #1 of arch/arm64/kvm/arm.c")
    case("short-hunk", "\n".join(short), "hunk #1 of arch/arm64/kvm/arm.c")
    case("not-in-tree", head_diff.replace("arch/arm64/kvm/arm.c", "drivers/nope/x.c"),
         "drivers/nope/x.c (patch line 1): not in the tree")
    case("does-not-apply", head_diff.replace(" void kvm_arch_free_vm", " void kvm_arch_frob_vm"),
         "hunk #1 of arch/arm64/kvm/arm.c (@@ ")
    case("no-diff", "Subject: hello\n\nthis is not a patch\n", "no diff in the input")
    case("orphan-hunk", "@@ -1 +1 @@\n-a\n+b\n", "hunk header outside a file")
    case("outside", head_diff.replace("a/arch/arm64/kvm/arm.c", "a/../etc/x.c"),
         "outside the tree")
    # Binary: git's own binary patch, and diff's one-line form.
    git(repo, "checkout", "-q", "-b", "binary")
    with open(os.path.join(repo, "firmware.bin"), "wb") as f:
        f.write(bytes(range(256)) * 4)
    bin_commit = commit(repo, "firmware")
    case("binary", git(repo, "format-patch", "-1", "--stdout", bin_commit),
         "binary diff for firmware.bin")
    case("binary-plain", "Binary files a/fw.bin and b/fw.bin differ\n",
         "binary diff for fw.bin")
    for args, text in (
            (["--git-range", "nosuchrev..HEAD"], "unknown revision 'nosuchrev'"),
            (["--git-range", "HEAD"], "must look like A..B"),
            (["--since", "nosuchrev"], "unknown revision"),
            (["--git-range", "HEAD~1..HEAD", ARM], "inputs cannot be given"),
            (["--patch", "-", "--fix"], "--fix cannot be used in gate mode"),
            (["--patch", "-", "--since", "HEAD"], "exclude each other"),
            (["--patch", os.path.join(tmp, "missing.patch")], "cannot read --patch"),
            (["--since", "HEAD", "--kernel-tree", tmp], "no top Makefile")):
        cases.append((" ".join(args), args, text, 2))
    before = tree_state(repo)
    for name, args, text, code in cases:
        p = lint(repo, *args, want=(code,), stdin="")
        lines = p.stderr.strip().splitlines()
        if len(lines) != 1 or text not in lines[0] or \
                not lines[0].startswith("vmalloc-lint: error: "):
            fail("%s: want one line with %r, got %r" % (name, text, p.stderr))
        if p.stdout:
            fail("%s: printed to stdout: %r" % (name, p.stdout))
    if tree_state(repo) != before:
        fail("the tree changed: %s" % tree_state(repo))
    # A git range with a binary file: git vouches that it applies; the
    # binary file is skipped with a note, the rest is checked.
    p = lint(repo, "--git-range", "HEAD~1..HEAD", "--format", "json", want=(0,))
    if "firmware.bin: binary change, not checked" not in p.stderr:
        fail("binary file in a git range: %r" % p.stderr)
    git(repo, "checkout", "-q", "master")
    if tree_state(repo):
        fail("the tree changed: %s" % tree_state(repo))
    # Not a git repository.
    p = lint(tmp, "--since", "HEAD", want=(2,))
    if "not in a git repository" not in p.stderr:
        fail("outside a repository: %r" % p.stderr)
    # Empty diffs: nothing touched, exit 0 with a note; the views are valid.
    empty = os.path.join(tmp, "empty.patch")
    open(empty, "w").close()
    n = 0
    for args in (["--patch", empty], ["--patch", "-"],
                 ["--git-range", "HEAD..HEAD"], ["--since", "HEAD"]):
        p = lint(repo, *args, "--format", "checkpatch", want=(0,), stdin="")
        if "the patch changes no file; nothing to check" not in p.stderr:
            fail("empty diff %s: no note: %r" % (args, p.stderr))
        if not p.stdout.startswith("total: 0 errors, 0 warnings, 0 lines checked"):
            fail("empty diff %s: %r" % (args, p.stdout))
        doc = sarif_run(repo, tmp, args, want=(0,))
        if doc["runs"][0]["results"]:
            fail("empty diff: SARIF results")
        n += 1
    print("%d bad inputs rejected with exit 2 and one line; %d empty diffs "
          "exit 0" % (len(cases), n))


def mode_ci_script(repo, c, tmp):
    want = expected(repo, c)["story"]
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                          "scripts", "ci-gate.sh")
    out = os.path.join(tmp, "reports")
    env = dict(os.environ, VMALLOC_LINT=LINT, GITHUB_ACTIONS="true",
               TMPDIR=LINT_TMP)
    p = run(["bash", script, c["base"], "HEAD", out], cwd=repo, want=(1,), env=env)
    if "total: 0 errors, %d warnings" % len(want) not in p.stdout or \
            p.stdout.count("::warning file=") != len(want):
        fail("ci-gate.sh output:\n%s" % p.stdout)
    validate_sarif(os.path.join(out, "vmalloc-lint.sarif"))
    with open(os.path.join(out, "vmalloc-lint.json")) as f:
        if len(json.load(f)["findings"]) != len(want):
            fail("ci-gate.sh JSON")
    with open(os.path.join(out, "gl-code-quality-report.json")) as f:
        cq = json.load(f)
    if sorted((i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"])
              for i in cq) != want or len({i["fingerprint"] for i in cq}) != len(want):
        fail("GitLab Code Quality report: %s" % cq)
    # A first push (before = zeros): the last commit alone, a rename: clean.
    run(["bash", script, "0" * 40, "HEAD", out], cwd=repo, want=(0,), env=env)
    # A bad revision: exit 2, no JSON report left.
    run(["bash", script, c["base"], "nosuchrev", out], cwd=repo, want=(2,), env=env)
    if os.path.exists(os.path.join(out, "vmalloc-lint.json")):
        fail("ci-gate.sh left a JSON report after exit 2")
    print("scripts/ci-gate.sh: exit 1/0/2, SARIF validated, JSON and GitLab "
          "Code Quality reports")


def lint_bytes(repo, *args, want=(0, 1), stdin=b""):
    """lint() for outputs that hold a file's bytes (not always UTF-8)."""
    p = subprocess.run([LINT, *args], cwd=repo, capture_output=True,
                       input=stdin, env=dict(os.environ, TMPDIR=LINT_TMP))
    if p.returncode not in want:
        fail("%s exited %d (want %s)\nstderr: %r" %
             (args, p.returncode, want, p.stderr[-2000:]))
    if os.listdir(LINT_TMP):
        fail("temporary files left behind: %s" % os.listdir(LINT_TMP))
    return p


def refused(repo, args, needles, what, stdin=b""):
    """Exit 2, nothing on stdout, one stderr line holding every needle."""
    p = lint_bytes(repo, *args, want=(2,), stdin=stdin)
    lines = p.stderr.strip().split(b"\n")
    if len(lines) != 1 or not lines[0].startswith(b"vmalloc-lint: error: ") \
            or any(n.encode() not in lines[0] for n in needles):
        fail("%s: want one line with %s, got %r" % (what, needles, p.stderr))
    if p.stdout:
        fail("%s: printed to stdout: %r" % (what, p.stdout[:300]))
    return lines[0].decode("utf-8", "replace")


HOSTILE_NAMES = [  # (name as bytes, what it is)
    ("drivers/misc/\u00e9 x.c".encode(), "UTF-8 and a space"),
    (b'drivers/misc/q"$(touch PWNED)`touch PWNED2`.c', "quote, $(), ``"),
    (b"drivers/misc/nl\n+++ b/forged.c", "a newline and a forged header"),
    (b"drivers/misc/tab\tx.c", "a tab"),
    (b"drivers/misc/a:b,c%0A.c", "':', ',' and '%'"),
    (b"drivers/misc/\xff\xfe.c", "not UTF-8"),
]


HDR = ("#include <linux/kernel.h>\n#include <linux/slab.h>\n"
       "#include <linux/vmalloc.h>\n")


def bad_function(i):
    return ("void *hostile_buf%d(unsigned long n)\n{\n"
            "\treturn __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n}\n" % i)


def mode_hostile(repo, c, tmp):
    import random
    import time
    import urllib.parse
    git(repo, "checkout", "-q", "-b", "hostile", c["base"])
    before = tree_state(repo)
    c1 = git(repo, "diff", c["base"], c["add"])
    # 1. Paths that leave the tree. The outside: a copy of arm.c the c1 diff
    # applies to, and a secret the error message must not quote.
    out = os.path.join(tmp, "outside")
    os.makedirs(os.path.join(out, "kvm"))
    with open(os.path.join(out, "kvm", "arm.c"), "w") as f:
        f.write(git(repo, "show", "%s:%s" % (c["base"], ARM)))
    with open(os.path.join(out, "secret.c"), "w") as f:
        f.write("SECRET LINE 1\n")
    links = {"drivers/evil": os.path.join(out, "kvm"),        # a directory
             "drivers/leak.c": os.path.join(out, "secret.c"),  # a file
             "drivers/dangle.c": os.path.join(out, "none.c"),  # dangling
             "drivers/abs": "/",
             "kvmlink": "arch/arm64/kvm"}                      # inside
    for rel, target in links.items():
        os.symlink(target, os.path.join(repo, rel))

    def patch_file(name, text):
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(text if isinstance(text, bytes) else text.encode())
        return path

    leak = "--- a/drivers/leak.c\n+++ b/drivers/leak.c\n@@ -1 +1 @@\n-nope\n+x\n"
    cases = [
        ("symlinked directory", c1.replace(ARM, "drivers/evil/arm.c"),
         ["drivers/evil/arm.c (patch line 1)", "drivers/evil is a symlink to",
          os.path.realpath(out)]),
        ("symlinked file", leak, ["drivers/leak.c (patch line 1)",
                                  "drivers/leak.c is a symlink to"]),
        ("dangling symlink", "--- /dev/null\n+++ b/drivers/dangle.c\n"
         "@@ -0,0 +1 @@\n+int x;\n",
         ["drivers/dangle.c (patch line 1)", "does not resolve"]),
        ("through / ", "--- a/drivers/abs/etc/passwd\n+++ b/drivers/abs/etc/"
         "passwd\n@@ -1 +1 @@\n-root\n+x\n",
         ["drivers/abs/etc/passwd", "drivers/abs is a symlink to /,"]),
        ("dot-dot", leak.replace("drivers/leak.c", "../outside/secret.c"),
         ["../outside/secret.c (patch line 1)", "a '..' component"]),
        ("dot-dot at the end", "diff --git a/drivers/.. b/drivers/..\n"
         "old mode 100644\nnew mode 100755\n", ["drivers/..", "'..'"]),
        ("quoted dot-dot", 'diff --git "a/\\056\\056/outside/secret.c" '
         '"b/\\056\\056/outside/secret.c"\n--- "a/\\056\\056/outside/secret.c"'
         '\n+++ "b/\\056\\056/outside/secret.c"\n@@ -1 +1 @@\n-SECRET LINE 1\n'
         '+x\n', ["../outside/secret.c (patch line 1)", "'..'"]),
        ("absolute rename", "diff --git a/x.c b/drivers/y.c\n"
         "similarity index 100%%\nrename from %s\nrename to drivers/y.c\n"
         % os.path.join(out, "secret.c"),
         [os.path.join(out, "secret.c"), "an absolute path"]),
    ]
    for what, text, needles in cases:
        line = refused(repo, ["--patch", patch_file("out.patch", text)],
                       needles + ["outside the tree"], what)
        if "SECRET" in line:
            fail("%s: the error quotes the outside file: %s" % (what, line))
    # A symlink that stays inside the tree is refused too (git apply refuses
    # paths beyond a symlink; followed, its findings would carry the real
    # name and never be on the patch's lines: exit 0 for a bad change).
    refused(repo, ["--patch", patch_file("in.patch", c1.replace(
        ARM, "kvmlink/arm.c"))], ["kvmlink/arm.c (patch line 1)",
                                  "kvmlink is a symlink (to arch/arm64/kvm, "
                                  "inside the tree"], "symlink inside")
    # A C file's change dressed up as a symlink change is not skipped.
    refused(repo, ["--patch", patch_file("fake-link.patch", c1.replace(
        "100644", "120000"))], [ARM + " (patch line 1)", "mode 120000"],
        "fake symlink change")
    # --since reads the work tree: a tracked symlink retargeted outside.
    os.remove(os.path.join(repo, "drivers/leak.c"))
    os.symlink("../COPYING", os.path.join(repo, "drivers/leak.c"))
    git(repo, "add", "drivers/leak.c")
    git(repo, "commit", "-q", "-m", "a symlink")
    os.remove(os.path.join(repo, "drivers/leak.c"))
    os.symlink(os.path.join(out, "secret.c"), os.path.join(repo, "drivers/leak.c"))
    # A symlink change (mode 120000) is the link's text, not C: skipped
    # with a note, the target never read.
    p = lint_bytes(repo, "--since", "HEAD", "--format", "json", want=(0,))
    if b"drivers/leak.c: symlink change, not checked" not in p.stderr or \
            b"SECRET" in p.stderr + p.stdout:
        fail("--since with a retargeted symlink: %r" % p.stderr)
    # A tracked directory replaced by a symlink to outside: git diff shows
    # its files deleted; the gate refuses to read them through the link.
    os.makedirs(os.path.join(repo, "drivers/evil2"))
    shutil.copy(os.path.join(out, "kvm", "arm.c"), os.path.join(repo, "drivers/evil2"))
    commit(repo, "evil2")
    shutil.rmtree(os.path.join(repo, "drivers/evil2"))
    os.symlink(os.path.join(out, "kvm"), os.path.join(repo, "drivers/evil2"))
    refused(repo, ["--since", "HEAD"], ["drivers/evil2/arm.c (patch line ",
                                        "outside the tree: drivers/evil2 is a "
                                        "symlink to"], "--since through a link")
    os.remove(os.path.join(repo, "drivers/evil2"))
    git(repo, "reset", "-q", "--hard", c["base"])
    for rel in links:
        if os.path.lexists(os.path.join(repo, rel)):
            os.remove(os.path.join(repo, rel))
    if tree_state(repo) != before:
        fail("the tree changed: %s" % tree_state(repo))
    print("%d patches naming files outside the tree or through a symlink "
          "refused (%d with --patch, 1 with --since); a symlink change "
          "skipped" % (len(cases) + 3, len(cases) + 2))

    # 2. Names git quotes, in every mode and view.
    files = []
    for i, (name, _) in enumerate(HOSTILE_NAMES):
        path = os.path.join(os.fsencode(repo), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(HDR + "\n" + bad_function(i))
        files.append(name)
    named = commit(repo, "hostile names")
    want = sorted((n.decode("utf-8", "replace"), 7, "vmalloc-redundant-highmem")
                  for n in files)
    mail = patch_file("names.patch", git(repo, "format-patch", "-1", "--stdout"))
    if '"b/drivers/misc/nl\\n+++ b/forged.c"' not in open(mail).read():
        fail("git did not quote the newline name")
    runs = [("--git-range", "HEAD~1..HEAD", "post"), ("--patch", mail, "post"),
            ("--since", "HEAD~1", "post"), ("--patch", mail, "pre")]
    for opt, arg, where in runs:
        if where == "pre":
            git(repo, "checkout", "-q", "HEAD~1")
        what = "%s (%s-image)" % (opt, where)
        p = lint_bytes(repo, opt, arg, "--format", "json", want=(1,))
        doc = json.loads(p.stdout.decode("utf-8"))  # strict: valid UTF-8
        got = sorted((f["file"], f["line"], f["check"]) for f in doc["findings"])
        if got != want:
            fail("%s: got %s, want %s" % (what, got, want))
        # SARIF: validated; URIs decode to the names' exact bytes.
        p = lint_bytes(repo, opt, arg, "--format", "sarif", want=(1,))
        path = os.path.join(tmp, "hostile-%d.sarif" % SARIF_VALIDATED)
        with open(path, "wb") as f:
            f.write(p.stdout)
        validate_sarif(path)
        uris = sorted(urllib.parse.unquote_to_bytes(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
            for r in json.loads(p.stdout.decode("utf-8"))["runs"][0]["results"])
        if uris != sorted(files):
            fail("%s: SARIF URIs %s" % (what, uris))
        # checkpatch: one finding per block, the names quoted on one line.
        p = lint_bytes(repo, opt, arg, "--format", "checkpatch", want=(1,))
        lines = p.stdout.split(b"\n")
        if sum(l.startswith(b"WARNING: ") for l in lines) != len(files) or \
                sum(l.startswith(b"#") for l in lines) != len(files) or \
                any(l.startswith(b"+++") for l in lines) or \
                b': FILE: "drivers/misc/nl\\n+++ b/forged.c":7:' not in p.stdout:
            fail("%s: checkpatch output:\n%r" % (what, p.stdout))
        # GitHub: one command a finding; %, CR, LF escaped, and ':' ','
        # in properties.
        p = lint_bytes(repo, opt, arg, "--format", "github", want=(1,))
        lines = p.stdout.rstrip(b"\n").split(b"\n")
        if len(lines) != len(files) or \
                not all(l.startswith(b"::warning file=drivers/misc/") for l in lines) or \
                b"file=drivers/misc/a%3Ab%2Cc%250A.c,line=7," not in p.stdout or \
                b"file=drivers/misc/nl%0A+++ b/forged.c,line=7," not in p.stdout:
            fail("%s: github output:\n%r" % (what, p.stdout))
    git(repo, "checkout", "-q", "hostile")
    for pwned in ("PWNED", "PWNED2"):
        for d in (repo, tmp, os.path.join(repo, "drivers/misc")):
            if os.path.exists(os.path.join(d, pwned)):
                fail("a file name ran a command")
    print("%d quoted names gated in %d runs x 4 views" % (len(files), len(runs)))

    # 3. Renames, as `git am` sees them. A rename then an edit, a series.
    git(repo, "mv", "fs/gfs2/dir.c", "fs/gfs2/dir2.c")
    commit(repo, "gfs2: rename dir.c")
    with open(os.path.join(repo, "fs/gfs2/dir2.c"), "a") as f:
        f.write("\n" + bad_function(99))
    commit(repo, "gfs2: add a buffer")
    series = patch_file("rename-edit.mbox",
                        git(repo, "format-patch", "--stdout", "HEAD~2..HEAD"))
    want = [("fs/gfs2/dir2.c", line_of(repo, "HEAD", "fs/gfs2/dir2.c",
                                       "hostile_buf99(") + 2,
             "vmalloc-redundant-highmem")]
    for where in ("post", "pre"):
        if where == "pre":
            git(repo, "checkout", "-q", "HEAD~2")
        p = lint_bytes(repo, "--patch", series, "--format", "json", want=(1,))
        got = [(f["file"], f["line"], f["check"])
               for f in json.loads(p.stdout)["findings"]]
        if got != want:
            fail("rename then edit (%s-image): %s, want %s" % (where, got, want))
    # What git am makes of the series on the pre-image is the same file.
    git(repo, "checkout", "-q", "-b", "am-check")
    git(repo, "am", "-q", series)
    if git(repo, "diff", "hostile", "HEAD"):
        fail("git am of the series differs from the branch")
    # A rename onto a file that exists: git apply refuses, so does the gate.
    onto = patch_file("onto.patch", "diff --git a/fs/gfs2/dir2.c "
                      "b/arch/arm64/kvm/arm.c\nsimilarity index 100%\n"
                      "rename from fs/gfs2/dir2.c\nrename to arch/arm64/kvm/arm.c\n")
    if run(["git", "apply", "--check", onto], cwd=repo).returncode == 0:
        fail("git apply takes a rename onto an existing file")
    refused(repo, ["--patch", onto], ["arch/arm64/kvm/arm.c (patch line 1)",
                                      "renames fs/gfs2/dir2.c to it, but it exists"],
            "rename onto a file")
    git(repo, "checkout", "-q", "hostile")
    print("rename then edit: the view of git am; rename onto a file refused")

    # 4. Junk: random bytes, on stdin and in a file.
    rnd = random.Random(18)
    for i in range(20):
        junk = bytes(rnd.getrandbits(8) for _ in range(4096 * (i + 1)))
        if i % 2:
            refused(repo, ["--patch", "-"], ["cannot parse the patch"],
                    "junk on stdin", stdin=junk)
        else:
            refused(repo, ["--patch", patch_file("junk.bin", junk)],
                    ["cannot parse the patch"], "junk file")
    print("20 random inputs (4-80 KiB): exit 2, one line")

    # 5. One hunk of 100,000 lines: a new file, then a hunk that removes
    # them all but one and that must be found away from its stated line.
    body = "".join("int hostile_v%d;\n" % i for i in range(100000))
    big = patch_file("big.patch", "--- /dev/null\n+++ b/drivers/misc/big.c\n"
                     "@@ -0,0 +1,100007 @@\n" + "".join(
                         "+" + l + "\n" for l in (
                             HDR + body +
                             bad_function(7)).split("\n")[:-1]))
    t0 = time.monotonic()
    p = lint_bytes(repo, "--patch", big, "--format", "json", want=(1,))
    t_new = time.monotonic() - t0
    if [(f["file"], f["line"]) for f in json.loads(p.stdout)["findings"]] != \
            [("drivers/misc/big.c", 100006)]:
        fail("100,000-line hunk: %s" % p.stdout[:500])
    with open(os.path.join(repo, "drivers/misc/big.c"), "w") as f:
        f.write("x\n" * 100000 + HDR + bad_function(8))
    commit(repo, "a big file")
    func = bad_function(8).split("\n")
    cut = patch_file("cut.patch", "--- a/drivers/misc/big.c\n+++ b/drivers/"
                     "misc/big.c\n@@ -3,100006 +3,7 @@\n" + "-x\n" * 99999 +
                     " x\n" + "".join(" " + l + "\n" for l in
                                      HDR.split("\n")[:3] + func[:2]) +
                     "-%s\n+%s\n" % (func[2], func[2].replace(
                         "__GFP_HIGHMEM", "__GFP_HIGHMEM | __GFP_ZERO")))
    t0 = time.monotonic()
    p = lint_bytes(repo, "--patch", cut, "--format", "json", want=(1,))
    t_cut = time.monotonic() - t0
    if [(f["file"], f["line"]) for f in json.loads(p.stdout)["findings"]] != \
            [("drivers/misc/big.c", 7)]:
        fail("100,000-line removal: %s" % [(f["file"], f["line"]) for f in json.loads(p.stdout)["findings"]])
    # Equal lines and one the file lacks: a plain search is quadratic.
    nowhere = patch_file("nowhere.patch", "--- a/drivers/misc/big.c\n+++ "
                         "b/drivers/misc/big.c\n@@ -1,50001 +1,1 @@\n" +
                         "-x\n" * 50000 + "-y\n+z\n")
    t0 = time.monotonic()
    refused(repo, ["--patch", nowhere], ["line 50001 is 'x', the patch expects "
                                         "'y' (patch line 50004); no other "
                                         "place in the file matches"],
            "a 50,001-line hunk that does not apply")
    t_nowhere = time.monotonic() - t0
    if t_new > 20 or t_cut > 20 or t_nowhere > 5:
        fail("100,000-line hunks took %.1f s, %.1f s, %.1f s (bounds: 20 s "
             "with the analysis, 5 s without)" % (t_new, t_cut, t_nowhere))
    print("100,000-line hunks: %.2f s (new file), %.2f s (removal, shifted), "
          "%.2f s (does not apply)" % (t_new, t_cut, t_nowhere))

    # 6. Revisions that look like options never reach git as options.
    trap = os.path.join(tmp, "trap")
    for args in (["--since=--output=" + trap],
                 ["--git-range=--output=%s..HEAD" % trap],
                 ["--git-range=HEAD..--output=" + trap]):
        refused(repo, args, ["starts with '-'"], " ".join(args))
    if os.path.exists(trap):
        fail("git wrote --output")
    print("3 option-like revisions refused")


QUIET_BUF = ("void *kvm_quiet_buf(unsigned long n)\n{\n"
             "\treturn __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM); "
             "/* NOLINT(vmalloc-redundant-highmem) */\n}\n\n"
             "void *kvm_block_buf(unsigned long n)\n{\n"
             "\t/* NOLINTBEGIN(vmalloc-*) */\n"
             "\treturn __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n"
             "\t/* NOLINTEND(vmalloc-*) */\n}\n\n")
LOUD_CALL = "\treturn __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM); /* loud */\n"
LOUD_BUF = ("void *kvm_loud_buf(unsigned long n)\n{\n"
            "\t/* NOLINTNEXTLINE(vmalloc-zone-gfp) */\n" + LOUD_CALL + "}\n\n")


def mode_nolint(repo, c, tmp):
    replace(repo, ARM, FREE_VM, QUIET_BUF + LOUD_BUF + FREE_VM)
    added = commit(repo, "kvm: quiet and loud buffers")
    loud = (ARM, line_of(repo, added, ARM, "/* loud */"),
            "vmalloc-redundant-highmem")
    check_gate(repo, c, [loud], ["--git-range", "%s..%s" % (c["rename"], added)],
               "--git-range with NOLINT, NOLINTBEGIN and a NOLINTNEXTLINE of "
               "another check", tmp)
    # A change that only adds a NOLINT to the loud line: applied in memory
    # on its parent, the post-image's comment suppresses the finding.
    replace(repo, ARM, LOUD_CALL, LOUD_CALL.replace("/* loud */", "// NOLINT"))
    silenced = commit(repo, "kvm: silence the loud buffer")
    patch = os.path.join(tmp, "silence.diff")
    with open(patch, "w") as f:
        f.write(git(repo, "diff", added, silenced))
    git(repo, "checkout", "-q", added)
    p = check_gate(repo, c, [], ["--patch", patch, "--summary"],
                   "--patch adding a NOLINT, on the pre-image")
    m = re.search(r"^  suppressed by NOLINT comments +(\d+)$", p.stderr, re.M)
    if not m or int(m.group(1)) != 3:
        fail("--summary does not count 3 suppressed findings: %s" % p.stderr)
    # Without the NOLINT (the pre-image itself), the line is reported.
    check_gate(repo, c, [loud], ["--git-range", "%s..%s" % (c["rename"], added)],
               "--git-range on the pre-image", None)
    git(repo, "checkout", "-q", "master")
    check_gate(repo, c, [], ["--git-range", "%s..%s" % (added, silenced)],
               "--git-range adding a NOLINT", None)
    print("NOLINT, NOLINTBEGIN/END and NOLINTNEXTLINE suppress in gate mode; a "
          "NOLINT only in the in-memory post-image suppresses; --summary "
          "counts 3")


def mode_refactors(repo, c, tmp):
    """The refactoring checks in gate mode: a patch adding an open-coded
    kvmalloc and an open-coded kvfree to a file that already has both is
    reported at the added lines only, each with its fix in --diff."""
    rel = "drivers/misc/vl-kvmalloc.c"
    added = ("\n/* Added by the patch: the gate reports these two. */\n"
             "int vl_gate_alloc(struct vl_ring *r, size_t len)\n{\n"
             "\tr->buf = kmalloc(len, GFP_KERNEL | __GFP_NOWARN);\n"
             "\tif (!r->buf)\n\t\tr->buf = vmalloc(len);\n"
             "\treturn r->buf ? 0 : -ENOMEM;\n}\n\n"
             "void vl_gate_free(struct vl_ring *r)\n{\n"
             "\tif (is_vmalloc_addr(r->buf))\n\t\tvfree(r->buf);\n"
             "\telse\n\t\tkfree(r->buf);\n}\n")
    write(repo, rel, read(repo, rel) + added)
    head = commit(repo, "misc: vl-kvmalloc: gate buffers")
    # Reported at the kmalloc() and at the if: two lines below each name.
    want = sorted([
        (rel, line_of(repo, head, rel, "int vl_gate_alloc(") + 2,
         "vmalloc-open-coded-kvmalloc"),
        (rel, line_of(repo, head, rel, "void vl_gate_free(") + 2,
         "vmalloc-open-coded-kvfree")])
    # The file's own sites (both checks) are old: only the two added.
    whole = lint(repo, "--format", "json", rel)
    old = [f for f in findings(whole) if f not in want]
    if not any(f[2] == "vmalloc-open-coded-kvmalloc" for f in old) or \
            not all(f in findings(whole) for f in want):
        fail("test setup: %s should hold old kvmalloc sites and the two new "
             "ones: %s" % (rel, findings(whole)))
    p = lint(repo, "--git-range", "%s..%s" % (c["rename"], head),
             "--format", "json", want=(1,))
    if findings(p) != want:
        fail("--git-range on the refactoring patch: want %s, got %s" %
             (want, findings(p)))
    d = lint(repo, "--git-range", "%s..%s" % (c["rename"], head), "--diff",
             want=(0,))
    for line in ("+\tr->buf = kvmalloc(len, GFP_KERNEL);",
                 "+\tkvfree(r->buf);"):
        if line not in d.stdout.splitlines():
            fail("--diff in gate mode lacks %r:\n%s" % (line, d.stdout))
    # Only the added code changes: its 3 + 4 lines become 2, one file.
    lines = d.stdout.splitlines()
    minus = [l for l in lines if l.startswith("-") and not l.startswith("---")]
    plus = [l for l in lines if l.startswith("+") and not l.startswith("+++")]
    files = [l for l in lines if l.startswith("+++ ")]
    if len(minus) != 7 or len(plus) != 2 or files != ["+++ b/" + rel]:
        fail("--diff in gate mode fixes more than the two added sites:\n%s"
             % d.stdout)
    print("refactors: the gate reports the added open-coded kvmalloc and "
          "kvfree only (%d old sites of the file not), and --diff fixes "
          "exactly those two" % len(old))


def main():
    global LINT, VALIDATOR
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--sarif-validator", required=True)
    ap.add_argument("--mode", required=True)
    a = ap.parse_args()
    LINT = os.path.abspath(a.lint)
    VALIDATOR = a.sarif_validator
    modes = {"git-range": mode_git_range, "since": mode_since,
             "patch": mode_patch, "formats": mode_formats, "diff": mode_diff,
             "baseline": mode_baseline, "bad-input": mode_bad_input,
             "nolint": mode_nolint, "ci-script": mode_ci_script,
             "hostile": mode_hostile, "refactors": mode_refactors}
    if a.mode not in modes:
        fail("unknown mode " + a.mode)
    global LINT_TMP
    with tempfile.TemporaryDirectory() as tmp:
        LINT_TMP = os.path.join(tmp, "lint-tmp")
        os.mkdir(LINT_TMP)
        repo, c = build_story(tmp, os.path.abspath(a.corpus))
        modes[a.mode](repo, c, tmp)


if __name__ == "__main__":
    main()
