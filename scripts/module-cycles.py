#!/usr/bin/env python3
"""Lists the circles of imports among the files of the mtasts crate, and fails on any (issue 21:
"no import circle"); it also holds the two rules about the finding codes.

    python3 scripts/module-cycles.py [--all] [SRC]

SRC is the crate's `src` directory (default `crates/mtasts/src`). A file depends on another when
it names an item defined there: in a `use` (groups and renames too) or as a path in the code
(`crate::…`, `$crate::…`, `super::…`, `self::…`, or a child module's name). A path is followed to
where its item is defined: through `use` re-exports (so `crate::assess` is `judge/mod.rs`, not
`lib.rs`) and, for a `#[macro_export]` macro, to the file that defines it. `mod child;` alone is
not a dependency, and neither are comments, doc links, strings or `#[cfg(test)]` modules (the
scan of comments, strings and test modules is `scripts/fn-lengths.py`'s).

It prints every strongly connected component of more than one file (`--all`: also the files each
one's members import from each other), then checks the two rules about codes:

- the code type module (`code_type.rs`) imports nothing that imports it back, and
- only the crate's top (`lib.rs`) imports the registry (`codes.rs`), or names it in a path (a
  re-export would hide the import); the registry may import every module, since nothing below
  imports it.

Exit status 1 on any circle, or when either rule is broken. A module whose children share items
keeps them in a leaf the children import (`judge/judging.rs`, `reports/model.rs`,
`records/policy/model.rs`, `observe/facts.rs`), so its `mod.rs` only assembles them.
"""

import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("fn_lengths", os.path.join(HERE, "fn-lengths.py"))
fn_lengths = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fn_lengths)

CODE_TYPE = ("crate", "code_type")
REGISTRY = ("crate", "codes")
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
MOD_DECL = re.compile(r"\bmod\s+(" + IDENT + r")\s*;")
USE = re.compile(r"(?<![A-Za-z0-9_])use\s+([^;]*);")
PATH = re.compile(r"(?<![A-Za-z0-9_:])(\$?" + IDENT + r"(?:\s*::\s*" + IDENT + r")+)")
MACRO = re.compile(r"#\[macro_export\][^\n]*\n(?:\s*#\[[^\n]*\n)*\s*macro_rules!\s*(" + IDENT + ")")


def code_of(path):
    """The file's code: comments, strings and `#[cfg(test)]` modules blanked."""
    with open(path, encoding="utf-8") as f:
        code = fn_lengths.strip(f.read())
    for a, b in reversed(fn_lengths.test_ranges(code)):
        code = code[:a] + "\n" * code.count("\n", a, b + 1) + code[b + 1 :]
    return code


def modules(src):
    """Module path (a tuple, `("crate", "judge", "fetch")`) -> (file, its code)."""
    found = {}

    def walk(mod, path, children_dir):
        code = code_of(path)
        found[mod] = (path, code)
        for name in MOD_DECL.findall(code):
            for cand in (os.path.join(children_dir, name + ".rs"), os.path.join(children_dir, name, "mod.rs")):
                if os.path.exists(cand):
                    sub = os.path.join(children_dir, name)
                    walk(mod + (name,), cand, sub)
                    break

    walk(("crate",), os.path.join(src, "lib.rs"), src)
    return found


def use_paths(tree):
    """The full paths of one `use` tree, each with the name it binds: `a::{b, c as d}` gives
    (["a", "b"], "b") and (["a", "c"], "d"); a glob binds `*`."""
    tree = re.sub(r"\s+", "", re.sub(r"\s+as\s+", "@", tree))
    out = []

    def parse(prefix, s):
        # Split `s` at top-level commas.
        parts, depth, cur = [], 0, ""
        for ch in s:
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
                continue
            depth += ch == "{"
            depth -= ch == "}"
            cur += ch
        parts.append(cur)
        for p in filter(None, parts):
            if "{" in p:
                head, rest = p.split("{", 1)
                segs = [x for x in head.split("::") if x]
                parse(prefix + segs, rest[: rest.rindex("}")])
                continue
            p, _, alias = p.partition("@")  # `x as y`
            segs = prefix + [x for x in p.split("::") if x]
            if segs and segs[-1] == "self":
                segs = segs[:-1]
            if segs:
                out.append((segs, alias or segs[-1]))

    parse([], tree)
    return out


class Crate:
    def __init__(self, src):
        self.mods = modules(src)
        self.children = {m: set() for m in self.mods}
        for m in self.mods:
            if len(m) > 1:
                self.children[m[:-1]].add(m[-1])
        # Names each module binds with `use` (re-exports included): name -> [full path].
        self.uses = {m: {} for m in self.mods}
        self.globs = {m: [] for m in self.mods}
        self.macros = {}
        for m, (path, code) in self.mods.items():
            for tree in USE.findall(code):
                for segs, name in use_paths(tree):
                    if name == "*":
                        self.globs[m].append(segs[:-1])
                    elif name != "_":
                        self.uses[m].setdefault(name, []).append(segs)
            for name in MACRO.findall(code):
                self.macros[name] = m

    def absolute(self, here, segs, depth=0):
        """`segs` as seen from module `here`, made absolute; `None` for another crate's path."""
        if depth > 20:
            return None
        segs = [s.replace("$crate", "crate") for s in segs]
        first = segs[0]
        if first == "crate":
            return ["crate"] + segs[1:]
        if first == "self":
            return list(here) + segs[1:]
        if first == "super":
            base = list(here)
            while segs and segs[0] == "super":
                base, segs = base[:-1], segs[1:]
            return base + segs
        if first in self.children[here]:
            return list(here) + segs
        for target in self.uses[here].get(first, []):
            # A name this module imported (`use crate::judge; judge::CODES`); `use serde;` and
            # the like name another crate.
            if target != [first]:
                base = self.absolute(here, target, depth + 1)
                if base:
                    return base + segs[1:]
        return None

    def defining(self, here, segs, depth=0):
        """The module that defines the item at `segs` (seen from `here`), or `None`."""
        if depth > 20:
            return None
        path = self.absolute(here, segs)
        if not path:
            return None
        if len(path) == 2 and path[1] in self.macros and tuple(path) not in self.mods:
            return self.macros[path[1]]
        mod = ("crate",)
        rest = path[1:]
        while rest and mod + (rest[0],) in self.mods:
            mod, rest = mod + (rest[0],), rest[1:]
        if not rest:
            return mod
        name = rest[0]
        if name in self.uses[mod]:
            for target in self.uses[mod][name]:
                if target == [name]:
                    continue
                found = self.defining(mod, target + rest[1:], depth + 1)
                if found:
                    return found
        for g in self.globs[mod]:
            found = self.defining(mod, g + rest, depth + 1)
            if found:
                return found
        return mod

    def named(self, here, segs):
        """The deepest module that the path `segs` names on its way (`crate::codes::Code`:
        `codes`, even when `Code` is re-exported from elsewhere), or `None`."""
        path = self.absolute(here, segs)
        if not path:
            return None
        mod = ("crate",)
        for seg in path[1:]:
            if mod + (seg,) not in self.mods:
                break
            mod += (seg,)
        return mod

    def edges(self):
        """File -> the files it depends on; file -> the modules its paths name."""
        deps = {m: set() for m in self.mods}
        names = {m: set() for m in self.mods}
        for m, (path, code) in self.mods.items():
            paths = []
            for tree in USE.findall(code):
                paths += [segs for segs, _ in use_paths(tree)]
            rest = USE.sub(";", code)
            paths += [re.split(r"\s*::\s*", p) for p in PATH.findall(rest)]
            for segs in paths:
                d = self.defining(m, segs)
                if d and d != m:
                    deps[m].add(d)
                n = self.named(m, segs)
                if n and n != m:
                    names[m].add(n)
        return deps, names


def sccs(nodes, deps):
    """Tarjan's strongly connected components."""
    index, low, stack, on, out = {}, {}, [], set(), []
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(deps[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def main(argv):
    show_all = "--all" in argv
    args = [a for a in argv if not a.startswith("--")]
    src = args[0] if args else "crates/mtasts/src"
    crate = Crate(src)
    deps, names = crate.edges()
    name = lambda m: os.path.relpath(crate.mods[m][0], src)
    failed = False
    circles = [c for c in sccs(crate.mods, deps) if len(c) > 1]
    for c in circles:
        members = set(c)
        print(f"circle of {len(c)} files: " + ", ".join(name(m) for m in c))
        if show_all:
            for m in c:
                inside = sorted(name(d) for d in deps[m] & members)
                print(f"    {name(m)} -> {', '.join(inside)}")
        if CODE_TYPE in members or REGISTRY in members:
            print("  ^ takes in the code type or the registry")
        failed = True
    if not circles:
        print("no circles")
    if CODE_TYPE in crate.mods:
        below = sorted(name(d) for d in deps[CODE_TYPE])
        print(f"{name(CODE_TYPE)} imports: {', '.join(below) or 'nothing of the crate'}")
    if REGISTRY in crate.mods:
        users = sorted(name(m) for m in crate.mods if REGISTRY in deps[m] | names[m])
        print(f"{name(REGISTRY)} is imported by: {', '.join(users) or 'no module (lib.rs declares it)'}")
        upward = [u for u in users if u != "lib.rs"]
        if upward:
            print(f"  ^ only lib.rs may import the registry, not {', '.join(upward)}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
