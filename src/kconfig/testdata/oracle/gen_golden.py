#!/usr/bin/env python3
"""Regenerates src/kconfig/testdata/golden/ from the lkc oracle (build.sh).

For every conf invocation in the shared conformance cases (cases/*/cmd), runs
the oracle of each lkc version on the same Kconfig, environment and working
directory, and records rc, stdout (parse messages + finalized model dump) and
stderr. golden_test.cc replays the same runs through parse_kconfig().

usage: gen_golden.py CASES_DIR ORACLE_DIR GOLDEN_DIR [CORNERS_DIR]

With CORNERS_DIR, also records corners/expected/<name>.<ver> for every
corners/<name>.kconfig (run from CORNERS_DIR; a "# env: K=V ..." line sets
the environment).
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

CONF_OPTS_WITH_ARG = {"--defconfig", "--savedefconfig"}


def expand_loops(cmd):
    out = []
    pos = 0
    for m in re.finditer(r"for (\w+) in ([^;]+); do (.*?); done", cmd, re.S):
        out.append(cmd[pos:m.start()])
        var, items, body = m.group(1), m.group(2).split(), m.group(3)
        for it in items:
            out.append(body.replace("$" + var, it) + ";\n")
        pos = m.end()
    out.append(cmd[pos:])
    return "".join(out)


def runs(cmd):
    """[(cwd, kconfig, env)] for each $CONF invocation, in order."""
    result = []
    for line in re.split(r"[;\n]", expand_loops(cmd)):
        if "$CONF" not in line:
            continue
        cwd = "."
        m = re.search(r"\(cd (\S+) &&", line)
        if m:
            cwd = m.group(1)
            line = line[m.end():]
        toks = shlex.split(line.replace("$CONF", "__CONF__"), posix=True)
        i = toks.index("__CONF__")
        env = {}
        for t in toks[:i]:
            if re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", t):
                k, v = t.split("=", 1)
                env[k] = v
        j = i + 1
        while j < len(toks) and toks[j].startswith("-"):
            if toks[j] in CONF_OPTS_WITH_ARG:
                j += 1
            j += 1
        kconfig = toks[j].rstrip(")")
        result.append((cwd, kconfig, env))
    return result


def run_oracle(oracle, ver, kconfig, cwd, env):
    full_env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
    full_env.update(env)
    p = subprocess.run([os.path.join(oracle, "oracle-" + ver), kconfig], cwd=cwd, env=full_env,
                       capture_output=True)
    out = p.stdout.decode("latin-1")
    err = p.stderr.decode("latin-1")
    err = re.sub(r"Oops! How to check -?[0-9]*\?", "Oops! How to check N?", err)
    out = re.sub(r"<unknown type -?[0-9]*>", "<unknown type N>", out)
    return p.returncode, out, err


def corners(oracle, cdir):
    exp = os.path.join(cdir, "expected")
    if os.path.isdir(exp):
        shutil.rmtree(exp)
    os.makedirs(exp)
    for name in sorted(os.listdir(cdir)):
        if not name.endswith(".kconfig"):
            continue
        env = {}
        for line in open(os.path.join(cdir, name), encoding="latin-1"):
            m = re.match(r"# env: (.*)", line)
            if m:
                env = dict(kv.split("=", 1) for kv in m.group(1).split())
        for ver in ("6.12", "6.1"):
            rc, out, err = run_oracle(oracle, ver, name, cdir, env)
            if rc not in (0, 1):
                continue
            with open(os.path.join(exp, name[:-len(".kconfig")] + "." + ver), "w", encoding="latin-1") as f:
                f.write(f"rc {rc}\n--- stdout\n{out}--- stderr\n{err}")


def main():
    cases, oracle, golden = sys.argv[1:4]
    if len(sys.argv) > 4:
        corners(oracle, sys.argv[4])
    if os.path.isdir(golden):
        shutil.rmtree(golden)
    os.makedirs(golden)
    manifest = []
    for case in sorted(os.listdir(cases)):
        cdir = os.path.join(cases, case)
        if not os.path.isfile(os.path.join(cdir, "cmd")):
            continue
        cmd = open(os.path.join(cdir, "cmd")).read()
        seen = set()
        n = -1
        for cwd, kconfig, env in runs(cmd):
            # conf's own KCONFIG_* settings do not reach the parser
            env = {k: v for k, v in env.items() if not k.startswith("KCONFIG_")}
            envs = " ".join(f"{k}={v}" for k, v in sorted(env.items()))
            if (cwd, kconfig, envs) in seen:
                continue
            seen.add((cwd, kconfig, envs))
            n += 1
            manifest.append(f"{case}\t{n}\t{cwd}\t{kconfig}\t{envs}")
            for ver in ("6.12", "6.1"):
                with tempfile.TemporaryDirectory() as tmp:
                    work = os.path.join(tmp, case)
                    shutil.copytree(cdir, work, ignore=shutil.ignore_patterns("expected"))
                    full_env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
                    full_env.update(env)
                    p = subprocess.run([os.path.join(oracle, "oracle-" + ver), kconfig],
                                       cwd=os.path.join(work, cwd), env=full_env, capture_output=True)
                out = p.stdout.decode("latin-1")
                err = p.stderr.decode("latin-1")
                err = re.sub(r"Oops! How to check -?[0-9]*\?", "Oops! How to check N?", err)
                out = re.sub(r"<unknown type -?[0-9]*>", "<unknown type N>", out)
                if p.returncode not in (0, 1):
                    continue  # lkc crashed (e.g. 6.1 on a NULL file name after the top-level EOF)
                name = f"{case}.{n}.{ver}"
                with open(os.path.join(golden, name), "w", encoding="latin-1") as f:
                    f.write(f"rc {p.returncode}\n--- stdout\n{out}--- stderr\n{err}")
    with open(os.path.join(golden, "MANIFEST"), "w") as f:
        f.write("# case\trun\tcwd\tkconfig\tenv (generated by oracle/gen_golden.py)\n")
        f.write("\n".join(manifest) + "\n")


if __name__ == "__main__":
    main()
