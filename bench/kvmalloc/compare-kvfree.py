#!/usr/bin/env python3
"""The tool's vmalloc-open-coded-kvfree sites on an old tree against the
kvfree() calls the later release's source has at those places.

  compare-kvfree.py OLD_TREE NEW_TREE TOOL_OUTPUT [FILE...]

TOOL_OUTPUT: the text output of `vmalloc-lint --kernel-tree OLD_TREE
--checks='-*,vmalloc-open-coded-kvfree' [--facts-in F] FILES`. Upstream's
conversions are the kvfree() calls NEW_TREE has and OLD_TREE does not, per
file and function (compare-upstream.py's reading of the two trees); each is
classified by what the old function had: a call of a function the tool
reported as a kvfree() wrapper ("wrapper call"), an is_vmalloc_addr() choice
("open-coded"), or neither ("other": a kfree() or vfree() upstream turned
into kvfree() with the allocation). A conversion is reported when the tool
has a site in that function of the old file not matched already: a
vmalloc-open-coded-kvfree finding, or a free that a vmalloc-open-coded-kvmalloc
fix converts ("the fix makes the N frees of X (lines ...) kvfree()"; TOOL_OUTPUT
then holds that check's findings too)."""
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
cu = __import__("compare-upstream")

KVFREE = re.compile(r"\bkvfree\s*\(")
SITE = re.compile(r"(\S+?):(\d+):\d+: warning: (.*) \[vmalloc-open-coded-kvfree\]")
# vmalloc-open-coded-kvmalloc's fix converting the frees of its memory:
# "the fix makes the [N frees|free] of X (line[s] A, B and C) kvfree()".
FREES = re.compile(r"(\S+?):\d+:\d+: warning: .*; the fix makes the (?:\d+ frees|free) "
                   r"of .*? \(lines? ([\d, and]+)\) kvfree\(\)")


def main():
    old, new, out = sys.argv[1:4]
    sites = collections.defaultdict(list)
    wrappers = set()
    for l in open(out, errors="replace"):
        fm = FREES.match(l)
        if fm:
            owner, _ = cu.functions(old + "/" + fm.group(1))
            for n in re.findall(r"\d+", fm.group(2)):
                sites[(fm.group(1), owner.get(int(n)))].append(int(n))
        m = SITE.match(l)
        if not m:
            continue
        f, line, msg = m.group(1), int(m.group(2)), m.group(3)
        owner, _ = cu.functions(old + "/" + f)
        sites[(f, owner.get(line))].append(line)
        w = re.match(r"(\w+)\(\) is kvfree\(\)", msg)
        if w:
            wrappers.add(w.group(1))
    stats = collections.Counter()
    rows = []
    for f in sorted(set(sys.argv[4:]) or {f for f, _ in sites}):
        nowner, ntext = cu.functions(new + "/" + f)
        _, otext = cu.functions(old + "/" + f)
        try:
            src = open(new + "/" + f, errors="replace").read()
        except OSError:
            continue
        had = collections.Counter()
        for fn, t in otext.items():
            had[fn] += len(KVFREE.findall(t))
        for m in KVFREE.finditer(src):
            line = src.count("\n", 0, m.start()) + 1
            fn = nowner.get(line)
            if had[fn]:
                had[fn] -= 1
                continue  # the old function had as many
            body = otext.get(fn, "")
            if not body:
                kind = "new code"
            elif wrappers and re.search(r"\b(%s)\s*\(" % "|".join(sorted(wrappers)),
                                        body):
                kind = "wrapper call"
            elif "is_vmalloc_addr" in body:
                kind = "open-coded"
            else:
                kind = "other"
            left = sites.get((f, fn), [])
            verdict = "reported" if left else "not reported"
            if left:
                left.pop(0)
            stats[(kind, verdict)] += 1
            rows.append((f, fn or "?", line, kind, verdict))
    print("| file | function | %s line | shape in the old tree | the tool |" %
          new.rstrip("/").split("/")[-1])
    print("|---|---|---|---|---|")
    for r in rows:
        print("| %s | %s() | %d | %s | %s |" % r)
    print()
    for (kind, verdict), n in sorted(stats.items()):
        print("- %s, %s: %d" % (kind, verdict, n))
    print("- wrappers the tool reported: %s" % ", ".join(sorted(wrappers)))


if __name__ == "__main__":
    main()
