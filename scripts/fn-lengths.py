#!/usr/bin/env python3
"""Lists the longest functions (components included) in crates/, worker/ and web/, and fails when
one is longer than the bound (issue 21: no function over ~120 lines).

    python3 scripts/fn-lengths.py [--top N] [--max LINES] [DIR...]

A function's length is the lines from its `fn` line to its closing brace. Rust's own parser is not
needed for that: the scan below skips comments, strings (raw strings too) and character literals,
then matches braces from each `fn` item's body. Test code (`#[cfg(test)]` modules, `tests/`
directories, `tests.rs`) is not counted: a table of cases is not a function to read. Written by
hand because the one tool that does this exactly (a `syn` visitor) would add a workspace crate for
a 100-line check; this runs in 0.2 s over the tree.
"""

import os
import re
import sys

FN = re.compile(r"\bfn\s+([A-Za-z_][A-Za-z0-9_]*)")


def strip(src):
    """The source with comments, strings and char literals blanked (newlines kept)."""
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            i = j
            continue
        if src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append("\n" * src.count("\n", i, j))
            i = j
            continue
        m = re.match(r'b?r(#*)"', src[i : i + 40])
        if m and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            end = '"' + m.group(1)
            j = src.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append('""' + "\n" * src.count("\n", i, j))
            i = j
            continue
        if c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            out.append('""' + "\n" * src.count("\n", i, j))
            i = j + 1
            continue
        if c == "'":
            m = re.match(r"'(\\.[^']*|[^\\'])'", src[i : i + 12])
            if m:
                out.append("' '")
                i += m.end()
                continue
        out.append(c)
        i += 1
    return "".join(out)


def test_ranges(code):
    """Line spans of `#[cfg(test)] mod … { … }` blocks."""
    spans = []
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", code):
        end = match_brace(code, m.end() - 1)
        spans.append((m.start(), end))
    return spans


def match_brace(code, open_at):
    depth = 0
    for j in range(open_at, len(code)):
        if code[j] == "{":
            depth += 1
        elif code[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(code) - 1


def functions(path):
    with open(path, encoding="utf-8") as f:
        code = strip(f.read())
    skip = test_ranges(code)
    for m in FN.finditer(code):
        if any(a <= m.start() <= b for a, b in skip):
            continue
        # The body: the first `{` after the signature at bracket depth 0, unless a `;` comes
        # first (a trait method's declaration).
        depth, j = 0, m.end()
        while j < len(code):
            ch = code[j]
            if ch in "([<" and not (ch == "<" and code[j - 1] == "-"):
                depth += 1 if ch != "<" else 0
            if ch in ")]":
                depth -= 1
            if depth <= 0 and ch == ";":
                j = -1
                break
            if depth <= 0 and ch == "{":
                break
            j += 1
        if j < 0 or j >= len(code):
            continue
        end = match_brace(code, j)
        first = code.count("\n", 0, m.start()) + 1
        last = code.count("\n", 0, end) + 1
        yield last - first + 1, m.group(1), first


def main(argv):
    top, bound, dirs = 20, None, []
    it = iter(argv)
    for a in it:
        if a == "--top":
            top = int(next(it))
        elif a == "--max":
            bound = int(next(it))
        else:
            dirs.append(a)
    dirs = dirs or ["crates", "worker", "web"]
    found = []
    for d in dirs:
        for root, subdirs, files in os.walk(d):
            subdirs[:] = [s for s in subdirs if s not in ("target", "tests", "benches", "node_modules")]
            for name in files:
                if name.endswith(".rs") and name != "tests.rs":
                    p = os.path.join(root, name)
                    found += [(n, f, p, line) for n, f, line in functions(p)]
    found.sort(reverse=True)
    for n, f, p, line in found[:top]:
        print(f"{n:5} {f}  {p}:{line}")
    if bound is not None:
        over = [x for x in found if x[0] > bound]
        if over:
            print(f"fn-lengths: {len(over)} function(s) over {bound} lines", file=sys.stderr)
            return 1
        print(f"fn-lengths: every function is at most {bound} lines (longest {found[0][0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
