#!/usr/bin/env python3
"""The semantic truth of a configure run, as the shared goldens define it.

usage: semantic_mismatches.py CONFIG_QUEUE FRAGMENT_ROOT DOTCONFIG

Every value a fragment requests (the last fragment in config.queue order wins)
that really differs from DOTCONFIG: values are compared, not text ("=n",
"# ... is not set" and absent are the same; trailing comments are ignored).
Fragments are read from FRAGMENT_ROOT/<queue entry> (a .kernel-meta directory).
Writes the format of the goldens' reference/semantic-mismatches.txt: two
comment lines, then "absent SYM req=V got=None" (the symbol is not in
DOTCONFIG at all) and "diff SYM req=V got=W", sorted by kind, then symbol.
"""
import os
import re
import sys


def values(path):
    out = {}
    with open(path, errors="surrogateescape") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^(CONFIG_[A-Za-z0-9_]+)=(.*)$", line)
            if m:
                v = m.group(2)
                if v.startswith('"'):
                    e = 1
                    while e < len(v) and v[e] != '"':
                        e += 2 if v[e] == "\\" else 1
                    v = v[:e + 1]
                else:
                    v = re.split(r"[\s#]", v)[0]
                out[m.group(1)] = v
                continue
            m = re.match(r"^# (CONFIG_[A-Za-z0-9_]+) is not set", line)
            if m:
                out[m.group(1)] = "n"
    return out


def norm(v):
    return "n" if v in (None, "", "n") else v


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    queue, root, dotconfig = argv[1:]
    requested = {}
    with open(queue) as f:
        for line in f:
            name = line.split("#")[0].strip()
            if not name:
                continue
            path = os.path.join(root, name)
            if not os.path.isfile(path):
                sys.stderr.write("%s: queued fragment %s not found under %s\n" % (queue, name, root))
                return 1
            requested.update(values(path))
    got = values(dotconfig)
    rows = []
    for sym, req in requested.items():
        if norm(req) == norm(got.get(sym)):
            continue
        kind = "absent" if sym not in got else "diff"
        rows.append((kind, sym, req, got.get(sym, "None")))
    out = sys.stdout
    out.write("# requested (last fragment in config.queue order wins) vs expected.config;\n")
    out.write('# "=n" == "is not set" == absent, trailing comments ignored\n')
    for kind, sym, req, g in sorted(rows):
        out.write("%s %s req=%s got=%s\n" % (kind, sym, req, g))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
