#!/usr/bin/env python3
"""The lines upstream changed for a flag between two kernel trees, and how
many of them a series removes (docs/series.md, "(b) linux-4.11 as a git
repository").

  upstream-lines.py removed OLD NEW [--flag __GFP_HIGHMEM] > removed.txt
      every line of OLD's .c/.h files that spells the flag and that the same
      file of NEW lacks (per file, as a multiset of stripped lines: a file
      with three identical lines of which NEW has one gives two), as
      "path:line:text"
  upstream-lines.py files removed.txt
      the files of removed.txt, one a line (the series' inputs)
  upstream-lines.py count removed.txt OLD AM
      how many of removed.txt's lines are gone from AM (OLD with the series
      applied), counted per file by occurrences of each line's text; the
      lines left are listed on stderr
"""
import argparse
import collections
import os
import subprocess
import sys


def flag_lines(path, flag):
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            return [(n, line.strip()) for n, line in enumerate(f, 1) if flag in line]
    except FileNotFoundError:
        return []


def files_with(tree, flag):
    out = subprocess.run(
        ["grep", "-rl", "--include=*.c", "--include=*.h", "-F", flag, "."],
        cwd=tree, capture_output=True, text=True, check=False).stdout
    return sorted(p[2:] if p.startswith("./") else p for p in out.split())


def removed(args):
    total = 0
    files = 0
    for rel in files_with(args.old, args.flag):
        old = flag_lines(os.path.join(args.old, rel), args.flag)
        left = collections.Counter(
            t for _, t in flag_lines(os.path.join(args.new, rel), args.flag))
        hits = []
        for n, text in old:
            if left[text] > 0:
                left[text] -= 1
            else:
                hits.append((n, text))
        # With repeated texts the last occurrences count as removed; which
        # ones does not matter to the count.
        for n, text in hits:
            print(f"{rel}:{n}:{text}")
        total += len(hits)
        files += bool(hits)
    print(f"{total} lines in {files} files", file=sys.stderr)


def read_removed(path):
    rows = []
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            rel, n, text = line.rstrip("\n").split(":", 2)
            rows.append((rel, int(n), text))
    return rows


def files(args):
    seen = []
    for rel, _, _ in read_removed(args.removed):
        if rel not in seen:
            seen.append(rel)
    print("\n".join(seen))


def count(args):
    rows = read_removed(args.removed)
    by_file = collections.defaultdict(list)
    for rel, n, text in rows:
        by_file[rel].append((n, text))
    gone = 0
    left_rows = []
    for rel, hits in by_file.items():
        old = collections.Counter(
            t for _, t in flag_lines(os.path.join(args.old, rel), args.flag))
        now = collections.Counter(
            t for _, t in flag_lines(os.path.join(args.am, rel), args.flag))
        budget = {t: max(0, old[t] - now[t]) for t in old}
        for n, text in hits:
            if budget.get(text, 0) > 0:
                budget[text] -= 1
                gone += 1
            else:
                left_rows.append(f"{rel}:{n}:{text}")
    for row in left_rows:
        print("left: " + row, file=sys.stderr)
    print(f"{gone} of {len(rows)} gone")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--flag", default="__GFP_HIGHMEM")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("removed")
    r.add_argument("old")
    r.add_argument("new")
    f = sub.add_parser("files")
    f.add_argument("removed")
    c = sub.add_parser("count")
    c.add_argument("removed")
    c.add_argument("old")
    c.add_argument("am")
    args = ap.parse_args()
    {"removed": removed, "files": files, "count": count}[args.cmd](args)


if __name__ == "__main__":
    main()
