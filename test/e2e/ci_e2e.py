#!/usr/bin/env python3
"""The sharded CI run of ci-examples/ as far as it runs here: the script each
job runs (ci-examples/shard-job.sh), the merge job (ci-examples/merge.sh) and
the CI system's cache restore, on a copy of a corpus tree.

  N shards, each with an empty cache directory of its own (a first
  pipeline): the merged facts are one run's, byte for byte, and the merged
  findings one run's. The caches saved and restored into a new workspace (a
  second pipeline on the same tree): every unit a hit, nothing analysed,
  the same outputs. A header edited, caches restored again (a pipeline
  after a change): the units whose parse read it re-analysed, the others
  hits, the outputs those of one run over the edited tree. The two CI files
  parse and shard as many ways as they say.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

STATS = re.compile(r"^vmalloc-lint: cache .*: (\d+) hits, (\d+) misses "
                   r"\((\d+) stale,", re.M)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(cmd, cwd=None, env=None, want=(0,)):
    e = dict(os.environ)
    e["VMALLOC_LINT_CACHE"] = "off"  # never the user's cache
    e.update(env or {})
    p = subprocess.run(cmd, cwd=cwd, env=e, capture_output=True, text=True)
    if p.returncode not in want:
        fail("%s exited %d\nstdout: %s\nstderr: %s" %
             (" ".join(cmd), p.returncode, p.stdout[-3000:], p.stderr[-3000:]))
    return p


def read(path):
    with open(path) as f:
        return f.read()


def pipeline(lint, scripts, tree, work, n):
    """One pipeline: n shard jobs in work/ (caches in work/cache-K), then
    the merge. Returns per shard (hits, misses, stale) and the merged facts
    and findings."""
    os.makedirs(work, exist_ok=True)
    out = os.path.join(work, "out")
    counts = []
    for k in range(1, n + 1):
        p = run(["bash", os.path.join(scripts, "shard-job.sh"), str(k), str(n),
                 tree, out], cwd=work,
                env={"LINT": lint, "JOBS": "2",
                     "CACHE": os.path.join(work, "cache-%d" % k)})
        m = STATS.search(read(os.path.join(out, "log-%d.txt" % k)))
        if not m:
            fail("shard %d/%d printed no cache statistics" % (k, n))
        counts.append(tuple(int(x) for x in m.groups()))
    p = run(["bash", os.path.join(scripts, "merge.sh"), str(n), tree, out],
            cwd=work, env={"LINT": lint}, want=(0, 1))
    return (counts, read(os.path.join(out, "tree.facts")),
            json.loads(read(os.path.join(out, "findings.json"))))


def one_run(lint, tree, tmp, name):
    facts = os.path.join(tmp, name + ".facts")
    p = run([lint, "--kernel-tree", ".", "-j2", "--no-cache", "--format",
             "json", "--facts-out", facts, "."], cwd=tree, want=(0, 1))
    return read(facts), json.loads(p.stdout)


def restore(saved, work, n):
    """The CI system's cache restore: the saved directories copied into a
    new workspace."""
    os.makedirs(work)
    for k in range(1, n + 1):
        shutil.copytree(os.path.join(saved, "cache-%d" % k),
                        os.path.join(work, "cache-%d" % k))


def save(work, saved, n):
    shutil.rmtree(saved, ignore_errors=True)
    os.makedirs(saved)
    for k in range(1, n + 1):
        shutil.copytree(os.path.join(work, "cache-%d" % k),
                        os.path.join(saved, "cache-%d" % k))


def check_ci_files(scripts):
    import yaml
    gh = yaml.safe_load(read(os.path.join(scripts, "github-actions.yml")))
    n = int(gh["env"]["SHARDS"])
    if gh["jobs"]["shard"]["strategy"]["matrix"]["shard"] != list(
            range(1, n + 1)):
        fail("github-actions.yml: the matrix is not shards 1..SHARDS")
    steps = " ".join(str(s.get("run", "")) for s in gh["jobs"]["shard"]["steps"])
    if "ci-examples/shard-job.sh" not in steps:
        fail("github-actions.yml: the shard job does not run shard-job.sh")
    if not any(s.get("uses", "").startswith("actions/cache")
               for s in gh["jobs"]["shard"]["steps"]):
        fail("github-actions.yml: no cache step")
    merge = " ".join(str(s.get("run", "")) for s in gh["jobs"]["merge"]["steps"])
    if "ci-examples/merge.sh" not in merge or gh["jobs"]["merge"]["needs"] != "shard":
        fail("github-actions.yml: the merge job")
    gl = yaml.safe_load(read(os.path.join(scripts, "gitlab-ci.yml")))
    shard = gl["vmalloc-lint-shard"]
    if shard["parallel"] != int(gl["variables"]["SHARDS"]):
        fail("gitlab-ci.yml: parallel: is not SHARDS")
    if ".vmalloc-lint-cache" not in shard["cache"]["paths"]:
        fail("gitlab-ci.yml: the cache is not the shards' cache directory")
    if not any("ci-examples/shard-job.sh" in s for s in shard["script"]):
        fail("gitlab-ci.yml: the shard job does not run shard-job.sh")
    if not any("ci-examples/merge.sh" in s
               for s in gl["vmalloc-lint-merge"]["script"]):
        fail("gitlab-ci.yml: the merge job does not run merge.sh")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--scripts", required=True)  # ci-examples/
    ap.add_argument("--tree", default="linux-6.1")
    ap.add_argument("--shards", type=int, default=3)
    a = ap.parse_args()
    lint = os.path.realpath(a.lint)
    scripts = os.path.realpath(a.scripts)
    n = a.shards
    check_ci_files(scripts)
    with tempfile.TemporaryDirectory(prefix="vmalloc-lint-ci-") as tmp:
        tree = os.path.join(tmp, "tree")
        shutil.copytree(os.path.join(a.corpus, a.tree), tree)
        saved = os.path.join(tmp, "saved")
        facts, findings = one_run(lint, tree, tmp, "one")

        # A first pipeline: empty caches.
        counts, mfacts, mfindings = pipeline(lint, scripts, tree,
                                             os.path.join(tmp, "p1"), n)
        if any(c[0] for c in counts):
            fail("cold shards had cache hits: %s" % counts)
        if not all(c[1] for c in counts):
            fail("a cold shard analysed nothing: %s" % counts)
        if mfacts != facts:
            fail("cold: merged facts differ from one run's")
        if mfindings != findings:
            fail("cold: merged findings differ from one run's")
        save(os.path.join(tmp, "p1"), saved, n)

        # A second pipeline on the same tree: restored caches, all hits.
        restore(saved, os.path.join(tmp, "p2"), n)
        counts2, mfacts, mfindings = pipeline(lint, scripts, tree,
                                              os.path.join(tmp, "p2"), n)
        if any(c[1] for c in counts2):
            fail("warm shards had misses: %s" % counts2)
        if [c[0] for c in counts2] != [c[1] for c in counts]:
            fail("warm hits %s are not the cold misses %s" % (counts2, counts))
        if mfacts != facts or mfindings != findings:
            fail("warm: merged outputs differ from one run's")
        save(os.path.join(tmp, "p2"), saved, n)

        # A header edited: a pipeline with the restored caches re-analyses
        # what read it and gives one run's outputs over the edited tree.
        header = os.path.join(tree, "include", "linux", "vmalloc.h")
        with open(header, "a") as f:
            f.write("\n/* ci_e2e.py: an edit */\n")
        facts, findings = one_run(lint, tree, tmp, "edited")
        restore(saved, os.path.join(tmp, "p3"), n)
        counts3, mfacts, mfindings = pipeline(lint, scripts, tree,
                                              os.path.join(tmp, "p3"), n)
        if not sum(c[2] for c in counts3):
            fail("an edited header made no entry stale: %s" % counts3)
        if mfacts != facts or mfindings != findings:
            fail("after the edit: merged outputs differ from one run's")
    print("%d shards: cold %s, warm %s, after a header edit %s (hits, "
          "misses, stale); merged facts and findings == one run each time" %
          (n, counts, counts2, counts3))
    print("PASS")


if __name__ == "__main__":
    main()
