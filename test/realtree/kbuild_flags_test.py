#!/usr/bin/env python3
"""kbuild is the judge of the synthesised flags.

On a tree kbuild has built (objects with their .FILE.o.cmd), for each sample
file: the macro set clang-19 -E -dM gives with the flags vmalloc-lint
synthesises (--kernel-tree, --print-compile-commands) and with kbuild's own
command for that object (the .cmd file, made fit for clang by the tool's -p
route) must be the same. Prints each difference; exit 1 if any file differs,
2 if a sample file has no .cmd (build it first: make path/file.o).

  kbuild_flags_test.py --lint BIN --tree TREE [--cmd-tree OBJ] FILE...

TREE: the configured tree vmalloc-lint is given (--kernel-tree), FILE
relative to it (or absolute: an out-of-tree module's, whose .cmd kbuild
writes next to it, make -C TREE M=DIR). OBJ: where kbuild built the objects (default TREE), e.g.
make ARCH=arm64 LLVM=-19 O=OBJ of the same sources, for another arch's
files, which the tool analyses in its own prepared view of that arch.
"""
import argparse, json, os, re, shlex, subprocess, sys, tempfile


def cmd_of(tree, rel):
    d, f = os.path.split(rel)
    stem = os.path.splitext(f)[0]
    # kbuild names an object after its rule: x.o, or x.nvhe.o (arm64 nVHE).
    for name in (stem + ".o", stem + ".nvhe.o"):
        p = os.path.join(tree, d, "." + name + ".cmd")
        if os.path.exists(p):
            with open(p) as fh:
                first = fh.readline()
            # As scripts/clang-tools/gen_compile_commands.py reads it: the
            # compiler's command up to the source file, not the objtool
            # run after the ';'.
            m = re.match(r"cmd_\S+ := (.*?\.[cS]) *(;|$)", first)
            if m:
                return m.group(1)
    return None


def macros(args, cwd):
    args = [a for a in args if a != "-fsyntax-only"]
    args[0] = "clang-19"
    r = subprocess.run(args[:1] + ["-E", "-dM"] + args[1:], cwd=cwd,
                       capture_output=True, text=True)
    if r.returncode != 0 and not r.stdout:
        return None, r.stderr
    return set(r.stdout.splitlines()), r.stderr


def print_commands(lint, extra, files, cwd):
    r = subprocess.run([lint] + extra + ["--print-compile-commands"] + files,
                       cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("vmalloc-lint --print-compile-commands failed:\n" + r.stderr)
    return {os.path.realpath(e["file"]): e["arguments"] for e in json.loads(r.stdout)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--tree", required=True, help="the tree given to vmalloc-lint")
    ap.add_argument("--cmd-tree", help="where kbuild's .o.cmd files are (default: TREE)")
    ap.add_argument("--arch-cache")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    a.lint = os.path.abspath(a.lint)
    src = os.path.realpath(a.tree)
    tree = os.path.realpath(a.cmd_tree or a.tree)
    files = [os.path.join(src, f) for f in a.files]
    db = []
    for rel in a.files:
        c = cmd_of(tree, rel)
        if c is None:
            print(f"{rel}: no kbuild .cmd in {tree} (make {rel[:-2]}.o first)")
            sys.exit(2)
        db.append({"directory": tree, "file": os.path.join(src, rel), "command": c})
    extra = ["--arch-cache", a.arch_cache] if a.arch_cache else []
    synth = print_commands(a.lint, extra + ["--kernel-tree", src], files, src)
    with tempfile.TemporaryDirectory() as t:
        with open(os.path.join(t, "compile_commands.json"), "w") as fh:
            json.dump(db, fh)
        kb = print_commands(a.lint, ["-p", t], files, src)
    bad = 0
    for rel, f in zip(a.files, files):
        f = os.path.realpath(f)
        ms, es = macros(synth[f], tree)
        mk, ek = macros(kb[f], tree)
        if ms is None or mk is None:
            print(f"{rel}: clang -E -dM failed:\n{es}{ek}")
            bad += 1
            continue
        # A file this configuration does not build (make still compiles
        # it when asked) gets the options that build it (docs/usage.md):
        # those -D CONFIG_X=1 defines are the one intended difference.
        args = synth[f]
        gates = set()
        for i, x in enumerate(args):
            d = x[2:] if x.startswith("-DCONFIG_") else (
                args[i + 1] if x == "-D" and i + 1 < len(args) and
                args[i + 1].startswith("CONFIG_") else None)
            if d and d.endswith("=1"):
                gates.add("#define " + d[:-2] + " 1")
        # (Only those kbuild lacks: the base command's own -DCONFIG_X=1,
        # arm64's CONFIG_CC_HAS_K_CONSTRAINT, must still match.)
        ms = ms - (gates - mk)
        only_s, only_k = sorted(ms - mk), sorted(mk - ms)
        if only_s or only_k:
            bad += 1
            print(f"{rel}: DIFFERENT ({len(ms)} synthesised, {len(mk)} kbuild macros)")
            for m in only_k:
                print(f"  kbuild only:      {m}")
            for m in only_s:
                print(f"  synthesised only: {m}")
        else:
            print(f"{rel}: same {len(ms)} macros")
    print(f"{len(a.files) - bad} of {len(a.files)} files: same macro set as kbuild's")
    sys.exit(1 if bad else 0)


main()
