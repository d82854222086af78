#!/usr/bin/env python3
"""The tool's vmalloc-open-coded-kvmalloc sites on an old tree against what
the later release's source has at those places.

  compare-upstream.py OLD_TREE NEW_TREE TOOL_OUTPUT

OLD_TREE/NEW_TREE: e.g. linux-4.11 and linux-4.12; TOOL_OUTPUT: the text
output of `vmalloc-lint --kernel-tree OLD_TREE --kernel-version 4.12
--checks='-*,vmalloc-open-coded-kvmalloc' FILES`. The upstream conversions
are the kv*() calls NEW_TREE has and OLD_TREE does not, per file and
function; each is matched with the tool's sites in that function of the
old file (the suggested call against upstream's, blanks ignored)."""
import collections
import re
import sys

KV = re.compile(r"\b(kvmalloc|kvzalloc|kvmalloc_array|kvcalloc|kvzalloc_node|"
                r"kvmalloc_node)\s*\(")
# The allocator tables of matchers/kernel/KvmallocApi.cpp, _node forms too.
LINEAR = re.compile(r"\b(kmalloc|kzalloc|kcalloc|kmalloc_array)(_node)?\s*\(")
FALLBACK = re.compile(r"\b(vmalloc|vzalloc|__vmalloc|vmalloc_node|vzalloc_node)\s*\(")


def functions(path):
    """line number (1-based) -> enclosing function name, and each
    function's text."""
    try:
        lines = open(path, errors="replace").read().split("\n")
    except OSError:
        return {}, {}
    owner, text = {}, collections.defaultdict(str)
    cur, depth = None, 0
    for i, l in enumerate(lines):
        if depth == 0 and l.startswith("{"):
            # the name before the nearest '(' above
            for j in range(i - 1, max(i - 8, -1), -1):
                m = re.search(r"(\w+)\s*\(", lines[j])
                if m:
                    cur = m.group(1)
                    break
        depth += l.count("{") - l.count("}")
        if cur:
            owner[i + 1] = cur
            text[cur] += l + "\n"
        if depth <= 0:
            depth = 0
            if l.startswith("}"):
                cur = None
    return owner, text


def call_at(text, start):
    """The call whose name starts at start, through its ')'."""
    depth = 0
    for k in range(text.index("(", start), len(text)):
        depth += {"(": 1, ")": -1}.get(text[k], 0)
        if depth == 0:
            return text[start:k + 1]
    return text[start:]


def norm(s):
    return re.sub(r"\s+", "", s)


def main():
    old, new, out = sys.argv[1:4]
    sites = collections.defaultdict(list)  # (file, fn) -> [(line, msg)]
    for l in open(out, errors="replace"):
        m = re.match(r"(\S+?):(\d+):\d+: warning: (.*) \[vmalloc-open-coded-kvmalloc\]", l)
        if not m:
            continue
        f, line, msg = m.group(1), int(m.group(2)), m.group(3)
        owner, _ = functions(old + "/" + f)
        fn = owner.get(line)
        # a helper is reported at its name: the line of its definition
        if fn is None:
            hm = re.match(r"(\w+)\(\) is an open-coded", msg)
            fn = hm.group(1) if hm and "its body is" in msg else None
        sites[(f, fn)].append((line, msg))
    files = sorted({f for f, _ in sites})
    # The helpers: every function the tool reported as one (any file).
    helpers = sorted({m.group(1) for v in sites.values() for _, msg in v
                      for m in [re.match(r"(\w+)\(\) is an open-coded \w+\(\): "
                                         r"its body is", msg)] if m})
    rows = []
    used = set()  # (file, line) of the tool's sites matched already
    converted = 0
    stats = collections.Counter()
    for f in sorted(set(sys.argv[4:]) or files):
        nowner, ntext = functions(new + "/" + f)
        oowner, otext = functions(old + "/" + f)
        try:
            src = open(new + "/" + f, errors="replace").read()
        except OSError:
            continue
        ocalls = collections.Counter()
        for fn, t in otext.items():
            for m in KV.finditer(t):
                ocalls[(fn, norm(call_at(t, m.start())))] += 1
        for m in KV.finditer(src):
            line = src.count("\n", 0, m.start()) + 1
            fn = nowner.get(line)
            call = call_at(src, m.start())
            if ocalls[(fn, norm(call))]:
                ocalls[(fn, norm(call))] -= 1
                continue  # already in the old tree
            body = otext.get(fn, "")
            if not body:
                kind = "new code"
            elif LINEAR.search(body) and FALLBACK.search(body):
                kind = "open-coded"
            elif helpers and re.search(r"\b(%s)\s*\(" % "|".join(helpers),
                                       body):
                kind = "wrapper call"
            else:
                kind = "other"  # e.g. vzalloc() -> kvzalloc()
            # A helper's own body: its "make its body ..." fix.
            tool = [t for t in sites.get((f, fn), []) if (f, t[0]) not in used]
            # the site whose fix is upstream's call first
            tool.sort(key=lambda t: norm(call) not in norm(t[1]))
            got = "-"
            verdict = "not reported"
            for ln, msg in tool:
                msg = re.sub(r"; \w+, the local mask that adds .* goes$", "",
                             msg)
                msg = re.sub(r" \(kvmalloc sets .*\)$", "", msg)
                um = (re.search(r"; use (kv\w+\(.*\))$", msg) or
                      re.search(r"; make its body (?:[^=]*= |return )?"
                                r"(kv\w+\(.*\))$", msg))
                if "; remove it" in msg:
                    got, verdict = "(calls replaced, helper removed)", \
                        "helper removed"
                    used.add((f, ln))
                    break
                if um and norm(um.group(1)) == norm(call):
                    got, verdict = um.group(1), "same call"
                    used.add((f, ln))
                    break
                got = um.group(1) if um else "(no fix)"
                verdict = "other fix" if um else "no fix"
                used.add((f, ln))
                break
            stats[(kind, verdict)] += 1
            cell = lambda t: " ".join(t.split()).replace("|", "\\|")
            rows.append((f, fn or "?", line, kind, cell(call), cell(got),
                         verdict))
    print("| file | function | %s line | shape in the old tree | upstream's call | "
          "the tool's fix | verdict |" % new.rstrip("/").split("/")[-1])
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %s() | %d | %s | `%s` | %s | %s |" % (
            r[0], r[1], r[2], r[3], r[4], "`%s`" % r[5] if r[5] not in
            ("-", "(no fix)") else r[5], r[6]))
    print()
    for (kind, verdict), n in sorted(stats.items()):
        print("- %s, %s: %d" % (kind, verdict, n))


if __name__ == "__main__":
    main()
