#!/usr/bin/env python3
"""Module edges point downward only: every `#include "M/..."` under src/ must
name the including module itself or a module it depends on (transitively), as
its CMakeLists.txt declares with kmeta_module(NAME DEPS ...). Test files
(*_test.cc, testing/) may also use the module's TEST_DEPS. A header-only
upward include would compile and link; this check is what refuses it.

It also keeps docs/architecture.md true: the "may use" column of its module
table must list exactly the kmeta modules each module declares.

usage: check_includes.py [REPO]   (default: the repository this script is in)
Prints `file:line: error: ...` for each violation; exit 1 if any, else 0.
"""
import os
import re
import sys

MODULE_RE = re.compile(r"kmeta_module\(\s*(\w+)((?:\s+[^)\s]+)*)\s*\)", re.S)
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"/]+)/[^"]+"')


def declared(src):
    """module -> (deps, test_deps): the kmeta modules its CMakeLists.txt names."""
    out = {}
    for m in sorted(os.listdir(src)):
        path = os.path.join(src, m, "CMakeLists.txt")
        if not os.path.isfile(path):
            continue
        text = open(path).read()
        for name, args in MODULE_RE.findall(text):
            deps, test_deps, cur = set(), set(), None
            for word in args.split():
                if word in ("DEPS", "TEST_DEPS"):
                    cur = deps if word == "DEPS" else test_deps
                elif cur is not None and word.startswith("kmeta_"):
                    cur.add(word[len("kmeta_"):])
            out[name] = (deps, test_deps)
    return out


def closure(mods, start):
    seen, todo = set(), list(start)
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        todo.extend(mods.get(m, (set(), set()))[0])
    return seen


def check_sources(repo, mods, errors):
    src = os.path.join(repo, "src")
    for m, (deps, test_deps) in sorted(mods.items()):
        allowed = closure(mods, deps) | {m}
        allowed_tests = allowed | closure(mods, test_deps)
        for root, _, files in os.walk(os.path.join(src, m)):
            for f in sorted(files):
                if not f.endswith((".h", ".cc")):
                    continue
                path = os.path.join(root, f)
                rel = os.path.relpath(path, repo)
                is_test = f.endswith("_test.cc") or "/testing" in root[len(src):]
                ok = allowed_tests if is_test else allowed
                for n, line in enumerate(open(path, errors="replace"), 1):
                    inc = INCLUDE_RE.match(line)
                    if not inc or inc.group(1) not in mods or inc.group(1) in ok:
                        continue
                    errors.append("%s:%d: error: module '%s' includes \"%s/...\" but may use only: %s "
                                  "(its CMakeLists.txt; docs/architecture.md)"
                                  % (rel, n, m, inc.group(1), ", ".join(sorted(ok - {m})) or "nothing"))


def check_docs(repo, mods, errors):
    path = os.path.join(repo, "docs", "architecture.md")
    rel = os.path.relpath(path, repo)
    listed = {}
    for n, line in enumerate(open(path), 1):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not re.fullmatch(r"`\w+`", cells[0]):
            continue
        name = cells[0].strip("`")
        if name not in mods:
            errors.append("%s:%d: error: the module table names '%s', which has no src/%s/CMakeLists.txt"
                          % (rel, n, name, name))
            continue
        words = set(re.findall(r"\w+", cells[2]))
        listed[name] = n
        if "all" in words:
            want = set(mods) - {name}
            if mods[name][0] != want:
                errors.append("%s:%d: error: '%s' may use \"all\" but declares %s"
                              % (rel, n, name, ", ".join(sorted(mods[name][0]))))
            continue
        have = words & set(mods)
        if have != mods[name][0]:
            errors.append("%s:%d: error: '%s' may use %s here but its CMakeLists.txt declares %s"
                          % (rel, n, name, ", ".join(sorted(have)) or "nothing",
                             ", ".join(sorted(mods[name][0])) or "nothing"))
    for name in sorted(set(mods) - set(listed)):
        errors.append("%s: error: module '%s' is missing from the module table" % (rel, name))


def main(argv):
    repo = argv[1] if len(argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    mods = declared(os.path.join(repo, "src"))
    if not mods:
        print("check_includes: no kmeta_module() declarations under %s/src" % repo)
        return 1
    errors = []
    check_sources(repo, mods, errors)
    check_docs(repo, mods, errors)
    for e in errors:
        print(e)
    if not errors:
        print("check_includes: %d modules, every include points down, docs/architecture.md agrees" % len(mods))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
