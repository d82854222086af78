#!/usr/bin/env python3
"""Faults while writing (issue 18): the built vmalloc-lint on a copy of
corpus/linux-6.1, with the machine failing under it. After each fault every
file holds its old or its new content (never a mix), no temporary file is
left behind (or it is recognisable and the next run removes it), and a
corrupted input is reported and never trusted.

Modes (one ctest each):
  disk-full    --fix on a tree in a tmpfs too small for the fixed files
               (`mount -t tmpfs`, as root), and under RLIMIT_FSIZE (the
               `ulimit -f` of a shell): exit 2 and one line naming the file,
               nothing changed, no temporary file; the same run with room
               fixes every file
  sigkill      --fix killed with SIGKILL in the middle of writing its files
               (strace injects the signal into the 3rd rename, then into the
               2nd file's staging write): each file is old or new, at least
               one of each after the renames started; the temporaries left are
               named FILE.vmalloc-lint-PID-XXXXXX, and the next --fix removes
               them and fixes the rest
  signals      SIGINT and SIGTERM while --isolate worker processes analyse
               slow units, and while --fix writes: the run ends with the
               signal, no worker process is left, TMPDIR is empty, every file
               is old or new and no temporary is left
  read-only    --fix on a read-only mount of the tree (EROFS) and on a
               directory it cannot write into: exit 2, one line, nothing
               changed, nothing created
  corrupt-input  --facts-in and --baseline files truncated (mid-line and at a
               line boundary), with a flipped byte, empty, binary junk: exit 2
               and one line naming the file, no findings printed
"""
import argparse
import filecmp
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TEMP_NAME = re.compile(r"\.vmalloc-lint-")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def run(cmd, cwd=None, check_exit=None, env=None, preexec=None):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env,
                       preexec_fn=preexec)
    if check_exit is not None and p.returncode not in check_exit:
        fail("%s exited %d (want %s)\nstderr:\n%s" %
             (" ".join(cmd), p.returncode, check_exit, p.stderr[-4000:]))
    return p


def files_of(tree):
    out = []
    for d, _, ns in os.walk(tree):
        for n in ns:
            out.append(os.path.relpath(os.path.join(d, n), tree))
    return sorted(out)


def snapshot(tree):
    snap = {}
    for rel in files_of(tree):
        with open(os.path.join(tree, rel), "rb") as f:
            snap[rel] = f.read()
    return snap


def temporaries(tree):
    return [rel for rel in files_of(tree) if TEMP_NAME.search(rel)]


class Trees:
    """The tree before and after --fix (computed once, on a scratch copy)."""

    def __init__(self, lint, corpus, tmp):
        self.lint = lint
        self.src = os.path.join(corpus, "linux-6.1")
        self.old = snapshot(self.src)
        fixed = self.copy(os.path.join(tmp, "reference"))
        run([lint, "--fix", "--quiet", "."], cwd=fixed, check_exit=(0,))
        self.new = snapshot(fixed)
        self.changed = sorted(r for r in self.old if self.old[r] != self.new[r])
        if len(self.changed) < 4:
            fail("--fix changes only %d files of the corpus" % len(self.changed))
        self.fixed_bytes = sum(len(self.new[r]) for r in self.changed)

    def copy(self, dest):
        shutil.copytree(self.src, dest, symlinks=True)
        return dest

    def check_consistent(self, tree, what, temps_ok=False):
        """Every file old or new; returns (old, new) counts of the changed."""
        now = snapshot(tree)
        temps = [r for r in now if TEMP_NAME.search(r)]
        if temps and not temps_ok:
            fail("%s: temporary files left: %s" % (what, temps))
        missing = [r for r in self.old if r not in now]
        if missing:
            fail("%s: files gone: %s" % (what, missing))
        extra = [r for r in now if r not in self.old and r not in temps]
        if extra:
            fail("%s: files created: %s" % (what, extra))
        old = new = 0
        for r in self.old:
            if now[r] == self.old[r]:
                old += r in self.changed
            elif now[r] == self.new[r]:
                new += 1
            else:
                fail("%s: %s is neither its old nor its new content" % (what, r))
        return old, new, temps


def one_line(p, what, *needles):
    # The run's own error line; notes of fixes not applied because another
    # check's fix subsumes them (fs/gfs2/: open-coded-kvmalloc's rewrite
    # and redundant-highmem's edit of one call) are not about the fault.
    lines = [l for l in p.stderr.strip().splitlines()
             if ": fix not applied: " not in l]
    if len(lines) != 1 or not all(n in lines[0] for n in needles):
        fail("%s: want one line with %s, got %r" % (what, needles, p.stderr))


def can_mount():
    if os.geteuid() != 0:
        return False
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", d],
                           capture_output=True)
        if p.returncode != 0:
            return False
        subprocess.run(["umount", d])
    return True


# --- disk-full ---------------------------------------------------------------

def disk_full_mode(t, tmp):
    checked = 0
    if can_mount():
        mnt = os.path.join(tmp, "small")
        os.mkdir(mnt)
        # Room for the tree and part of the fixed files (tmpfs counts pages).
        used = sum(-(-len(b) // 4096) * 4096 for b in t.old.values())
        size = used + 64 * 4096 + t.fixed_bytes // 2
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%d" % size, "tmpfs",
                        mnt], check=True)
        try:
            tree = os.path.join(mnt, "tree")
            shutil.copytree(t.src, tree, symlinks=True)
            # Fill the rest, leaving less than the fixed files need.
            free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
            fill = max(0, free - t.fixed_bytes // 2)
            with open(os.path.join(mnt, "filler"), "wb") as f:
                try:
                    f.write(b"\0" * fill)
                except OSError:
                    pass
            p = run([t.lint, "--fix", "--quiet", "."], cwd=tree, check_exit=(2,))
            one_line(p, "--fix on a full disk", "cannot write",
                     "No space left on device")
            old, new, _ = t.check_consistent(tree, "--fix on a full disk")
            if new:
                fail("--fix on a full disk replaced %d files" % new)
            os.remove(os.path.join(mnt, "filler"))
            run([t.lint, "--fix", "--quiet", "."], cwd=tree, check_exit=(0,))
            old, new, _ = t.check_consistent(tree, "--fix with room again")
            if old:
                fail("--fix with room again left %d files unfixed" % old)
            checked += 1
        finally:
            subprocess.run(["umount", mnt])
    else:
        print("not root or no mount: the tmpfs case is not run")
    # RLIMIT_FSIZE: a write beyond it fails with EFBIG (the tool ignores
    # SIGXFSZ, which would otherwise kill it in the middle of its writes).
    tree = t.copy(os.path.join(tmp, "fsize"))
    biggest = max(len(t.new[r]) for r in t.changed)
    limit = biggest - 1

    def fsize():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    p = run([t.lint, "--fix", "--quiet", "."], cwd=tree, check_exit=(2,),
            preexec=fsize)
    one_line(p, "--fix beyond RLIMIT_FSIZE", "cannot write", "File too large")
    old, new, _ = t.check_consistent(tree, "--fix beyond RLIMIT_FSIZE")
    if new:
        fail("--fix beyond RLIMIT_FSIZE replaced %d files" % new)
    checked += 1
    print("%d disk-full cases: exit 2, one line, nothing changed, no temporary "
          "file" % checked)


# --- sigkill -----------------------------------------------------------------

def strace_kill(t, tree, syscalls, when):
    """Runs --fix under strace, SIGKILL injected into the when-th call of
    syscalls; returns the strace log."""
    log = os.path.join(os.path.dirname(tree), "strace.log")
    s = ",".join(syscalls)
    p = run(["strace", "-f", "-qq", "-o", log, "-e", "trace=" + s, "-e",
             "inject=%s:signal=SIGKILL:when=%d" % (s, when), t.lint, "--fix",
             "--quiet", "."], cwd=tree)
    with open(log) as f:
        text = f.read()
    if "+++ killed by SIGKILL" not in text:
        fail("strace did not kill --fix (exit %d):\n%s" % (p.returncode, text[-2000:]))
    return text


def sigkill_mode(t, tmp):
    renames = ["rename", "renameat", "renameat2"]
    # In the middle of the renames: some files new, some old, each whole.
    tree = t.copy(os.path.join(tmp, "kill-rename"))
    strace_kill(t, tree, renames, 3)
    old, new, temps = t.check_consistent(tree, "SIGKILL in the renames",
                                         temps_ok=True)
    killed = (old, new)
    if not (old and new):
        fail("SIGKILL at the 3rd rename: want old and new files, got %d old, "
             "%d new" % (old, new))
    bad = [r for r in temps if not re.search(r"\.vmalloc-lint-\d+-[A-Za-z0-9]{6}$", r)]
    if bad:
        fail("temporaries not named FILE.vmalloc-lint-PID-XXXXXX: %s" % bad)
    if not temps:
        fail("SIGKILL at the 3rd rename left no staged file (the test kills "
             "too late)")
    # The next run removes them and fixes the rest.
    run([t.lint, "--fix", "--quiet", "."], cwd=tree, check_exit=(0,))
    old, new, _ = t.check_consistent(tree, "--fix after a SIGKILL")
    if old:
        fail("--fix after a SIGKILL left %d files unfixed" % old)
    # While staging (the 2nd file's write): nothing replaced yet.
    tree = t.copy(os.path.join(tmp, "kill-write"))
    # The write to kill: the first write to the second staged file, counted
    # in a traced run on another copy (the same run, the same writes).
    log = os.path.join(tmp, "writes.log")
    run(["strace", "-f", "-qq", "-o", log, "-e", "trace=openat,write",
         t.lint, "--fix", "--quiet", "."], cwd=t.copy(os.path.join(tmp, "probe")),
        check_exit=(0,))
    # strace counts a syscall's invocations per thread: count the writes of
    # the thread that stages (other threads write too, e.g. a sanitizer's).
    writes = {}
    opened = 0
    fd = stager = None
    nth = None
    with open(log) as f:
        for line in f:
            pid = line.split(None, 1)[0]
            m = re.search(r'openat\(.*"[^"]*\.vmalloc-lint-[^"]*".*= (\d+)$', line)
            if m:
                opened += 1
                fd, stager = m.group(1), pid
                continue
            m = re.search(r"write\((\d+),", line)
            if m:
                writes[pid] = writes.get(pid, 0) + 1
                if opened == 2 and pid == stager and m.group(1) == fd and nth is None:
                    nth = writes[pid]
    if nth is None:
        fail("no write to a second staged file seen:\n" + open(log).read()[-2000:])
    strace_kill(t, tree, ["write"], nth)
    old, new, temps = t.check_consistent(tree, "SIGKILL while staging",
                                         temps_ok=True)
    if new:
        fail("SIGKILL while staging: %d files replaced" % new)
    run([t.lint, "--fix", "--quiet", "."], cwd=tree, check_exit=(0,))
    old, new, _ = t.check_consistent(tree, "--fix after a SIGKILL while staging")
    if old:
        fail("--fix after a SIGKILL while staging left %d files unfixed" % old)
    print("SIGKILL in the renames (%d files old, %d new) and while staging: "
          "every file old or new; the next --fix removed the temporaries "
          "(%d after the staging kill) and fixed the rest" % (*killed, len(temps)))


# --- signals -----------------------------------------------------------------

def slow_unit(path):
    """2^24 tokens in one #if: seconds of preprocessing."""
    with open(path, "w") as f:
        f.write("#include <linux/vmalloc.h>\n#define A0 1\n")
        for i in range(1, 25):
            f.write("#define A%d (A%d+A%d)\n" % (i, i - 1, i - 1))
        f.write("#if A24 > 0\nint vmalloc_slow;\n#endif\n")


def processes_naming(needle):
    procs = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if needle in cmd:
            procs.append((int(pid), cmd))
    return procs


def signals_mode(t, tmp):
    for sig in (signal.SIGINT, signal.SIGTERM):
        name = signal.Signals(sig).name
        tree = t.copy(os.path.join(tmp, "sig-%s" % name))
        for i in range(2):
            slow_unit(os.path.join(tree, "drivers", "md", "vl-slow%d.c" % i))
        tdir = os.path.join(tmp, "tmpdir-%s" % name)
        os.mkdir(tdir)
        env = dict(os.environ, TMPDIR=tdir)
        p = subprocess.Popen([t.lint, "--isolate", "-j2", "--quiet",
                              "--format", "json", "."], cwd=tree, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Wait for two workers (their job files are in TMPDIR), seen at
        # once: a worker of a small unit may end before a second look.
        deadline = time.time() + 60
        workers = processes_naming(tdir)
        while len(workers) < 2 and time.time() < deadline:
            time.sleep(0.05)
            workers = processes_naming(tdir)
        if len(workers) < 2:
            p.kill()
            fail("%s: no two workers running" % name)
        p.send_signal(sig)
        try:
            p.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            fail("%s: the run did not end within 30 s" % name)
        if p.returncode != -sig:
            fail("%s: want death by the signal, exit %d" % (name, p.returncode))
        time.sleep(0.2)
        left = processes_naming(tdir)
        for pid, _ in left:
            os.kill(pid, signal.SIGKILL)
        if left or os.listdir(tdir):
            fail("%s: left workers %s, files %s" % (name, left, os.listdir(tdir)))
    # While --fix writes: the signal waits until the set is written.
    for sig in (signal.SIGINT, signal.SIGTERM):
        name = signal.Signals(sig).name
        tree = t.copy(os.path.join(tmp, "fix-%s" % name))
        log = os.path.join(tmp, "fix-%s.log" % name)
        s = "rename,renameat,renameat2"
        run(["strace", "-f", "-qq", "-o", log, "-e", "trace=" + s, "-e",
             "inject=%s:signal=%s:when=2" % (s, name), t.lint, "--fix", "--quiet",
             "."], cwd=tree)
        old, new, _ = t.check_consistent(tree, "%s during --fix's renames" % name)
        if old:
            fail("%s during --fix's renames: %d files old, %d new (the set is "
                 "written whole or not at all)" % (name, old, new))
    print("SIGINT and SIGTERM with workers running: the run died of the "
          "signal, no worker and no file left; during --fix's renames the set "
          "was written whole")


# --- read-only ---------------------------------------------------------------

def read_only_mode(t, tmp):
    checked = 0
    if can_mount():
        tree = t.copy(os.path.join(tmp, "ro-src"))
        mnt = os.path.join(tmp, "ro")
        os.mkdir(mnt)
        subprocess.run(["mount", "--bind", tree, mnt], check=True)
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", mnt], check=True)
            p = run([t.lint, "--fix", "--quiet", "."], cwd=mnt, check_exit=(2,))
            one_line(p, "--fix on a read-only mount", "nothing written",
                     "Read-only file system")
            t.check_consistent(mnt, "--fix on a read-only mount")
            checked += 1
        finally:
            subprocess.run(["umount", mnt])
    else:
        print("not root or no mount: the read-only mount case is not run")
    if os.geteuid() != 0:
        tree = t.copy(os.path.join(tmp, "ro-dir"))
        d = os.path.join(tree, os.path.dirname(t.changed[-1]))
        os.chmod(d, 0o555)
        p = run([t.lint, "--fix", "--quiet", "."], cwd=tree, check_exit=(2,))
        os.chmod(d, 0o755)
        one_line(p, "--fix into a read-only directory", "nothing written")
        t.check_consistent(tree, "--fix into a read-only directory")
        checked += 1
    if not checked:
        fail("no read-only case could run")
    print("%d read-only cases: exit 2, one line, nothing changed or created"
          % checked)


# --- corrupt-input -----------------------------------------------------------

def corruptions(text):
    b = text.encode()
    lines = b.splitlines(keepends=True)
    mid = len(b) // 2
    flip = bytearray(b)
    flip[mid] ^= 0x20 if chr(flip[mid]).isalpha() else 0x01
    yield "truncated mid-line", b[:mid] if b[mid - 1:mid] != b"\n" else b[:mid + 1]
    yield "truncated at a line boundary", b"".join(lines[:max(1, len(lines) // 2)])
    yield "the header line only", lines[0]
    yield "a flipped byte", bytes(flip)
    yield "empty", b""
    yield "binary junk", bytes(range(256)) * 4


def corrupt_input_mode(t, tmp):
    tree = t.copy(os.path.join(tmp, "corrupt"))
    facts = os.path.join(tmp, "facts.jsonl")
    run([t.lint, "--facts-out", facts, "--quiet", "."], cwd=tree, check_exit=(0, 1))
    base = os.path.join(tmp, "baseline.json")
    p = run([t.lint, "--format", "json", "--quiet", "."], cwd=tree, check_exit=(1,))
    with open(base, "w") as f:
        f.write(p.stdout)
    with open(facts) as f:
        facts_text = f.read()
    cases = 0
    for what, data in corruptions(facts_text):
        bad = os.path.join(tmp, "bad-facts.jsonl")
        with open(bad, "wb") as f:
            f.write(data)
        p = run([t.lint, "--facts-in", bad, "--format", "json", "."], cwd=tree)
        if p.returncode != 2 or p.stdout:
            fail("--facts-in %s: want exit 2 and no output, got %d:\n%s\n%s" %
                 (what, p.returncode, p.stdout[:500], p.stderr))
        one_line(p, "--facts-in " + what, bad)
        cases += 1
    # A baseline is a gate run's input: --patch with an empty diff reads it.
    empty = os.path.join(tmp, "empty.diff")
    open(empty, "w").close()
    with open(base) as f:
        base_text = f.read()
    for what, data in corruptions(base_text):
        if what == "a flipped byte":
            continue  # below: valid JSON, so not a corruption to refuse
        bad = os.path.join(tmp, "bad-baseline.json")
        with open(bad, "wb") as f:
            f.write(data)
        p = run([t.lint, "--baseline", bad, "--format", "json", "."], cwd=tree)
        if p.returncode != 2 or p.stdout:
            fail("--baseline %s: want exit 2 and no output, got %d:\n%s\n%s" %
                 (what, p.returncode, p.stdout[:500], p.stderr))
        one_line(p, "--baseline " + what, bad)
        cases += 1
    # A baseline has no digest (docs/fuzzing.md#faults-while-writing): it is
    # the user's file, edited by hand. A changed byte that keeps the JSON
    # valid changes only which findings it matches, by their key (check,
    # file, fingerprint code and context): a finding whose entry changed is
    # reported again (it fails safe), one whose entry changed outside the
    # key (line, message) stays matched. The oracle is the changed file's
    # own keys.
    doc = json.loads(base_text)
    key = lambda f: (f["check"], f["file"], f["fingerprint"]["code"],
                     f["fingerprint"]["context"])
    every = sorted(key(f) for f in doc["findings"])
    first = doc["findings"][0]
    flips = []
    for field, value in (("code", first["fingerprint"]["code"]),
                         ("line", str(first["line"])),
                         ("message", first["message"])):
        at = base_text.index(json.dumps(value) if field != "line" else
                             '"line": ' + value) + (1 if field != "line" else 8)
        ch = base_text[at]
        if field == "line":  # a digit for a digit: still valid JSON
            new = "9" if ch != "9" else "8"
        else:
            new = "y" if ch != "y" else "z"
        flips.append((field, base_text[:at] + new + base_text[at + 1:]))
    reported = []
    for field, text in flips:
        bad = os.path.join(tmp, "flipped-baseline.json")
        with open(bad, "w") as f:
            f.write(text)
        kept = sorted(key(f) for f in json.loads(text)["findings"])
        want = list(every)
        for k in kept:
            if k in want:
                want.remove(k)
        p = run([t.lint, "--baseline", bad, "--format", "json", "--quiet", "."],
                cwd=tree, check_exit=(0, 1))
        got = sorted(key(f) for f in json.loads(p.stdout)["findings"]) \
            if p.stdout.strip() else []
        if got != want or p.returncode != (1 if want else 0):
            fail("--baseline with a byte of the first entry's %s changed: exit "
                 "%d, reported %s, want %s" % (field, p.returncode, got, want))
        reported.append("%s: %d reported" % (field, len(got)))
        cases += 1
    if reported[0] != "code: 1 reported" or reported[1:] != [
            "line: 0 reported", "message: 0 reported"]:
        fail("flipped baseline bytes: %s" % reported)
    print("%d corrupted facts and baseline files: exit 2, one line naming the "
          "file, nothing printed; a baseline byte changed in valid JSON: %s"
          % (cases, ", ".join(reported)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--mode", required=True,
                    choices=["disk-full", "sigkill", "signals", "read-only",
                             "corrupt-input"])
    a = ap.parse_args()
    lint = os.path.abspath(a.lint)
    with tempfile.TemporaryDirectory() as tmp:
        t = Trees(lint, os.path.abspath(a.corpus), tmp)
        {"disk-full": disk_full_mode, "sigkill": sigkill_mode,
         "signals": signals_mode, "read-only": read_only_mode,
         "corrupt-input": corrupt_input_mode}[a.mode](t, tmp)


if __name__ == "__main__":
    main()
