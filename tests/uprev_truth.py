#!/usr/bin/env python3
"""Truth for tests/uprev_golden.sh: what the reference flow's two sides imply.

usage: uprev_truth.py OLD_SIDE NEW_SIDE KMETA_JSON REQUIRE_FILE|- EXIT_CODE

Each SIDE directory holds what the reference flow produced for one kernel:
  config.queue   the fragment queue (scc's .kernel-meta/config.queue)
  fragments      one line per queue entry: the fragment file that entry names
  .config        merge_config.sh's result (the golden's expected.config)
  mismatches     optional: the golden's semantic-mismatches.txt
  defined        the requested symbols the kernel defines for ARCH (Kconfiglib)
Requests are read as the goldens read them: the last fragment in queue order
wins; values compare by meaning (=n, "is not set" and absent are equal,
trailing comments ignored). The sets are then formed with docs/uprev.md's
definitions and compared with kmeta uprev's JSON.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from semantic_mismatches import norm, values as prefixed_values  # noqa: E402


def values(path):
    """A fragment's or .config's values by symbol name without CONFIG_."""
    return {k[len("CONFIG_"):]: v for k, v in prefixed_values(path).items()}


def side(d):
    req = {}
    for frag in open(d + "/fragments").read().split("\n"):
        if frag:
            req.update(values(frag))
    got = values(d + "/.config")
    mism = set()
    try:
        for line in open(d + "/mismatches"):
            if line.startswith("#") or not line.strip():
                continue
            mism.add(line.split()[1][len("CONFIG_"):])
    except FileNotFoundError:
        mism = {s for s, v in req.items() if norm(v) != norm(got.get(s))}
    defined = set(open(d + "/defined").read().split())
    return req, got, mism, defined


def main():
    old_dir, new_dir, js, require, rc = sys.argv[1:6]
    ro, go, mo, do = side(old_dir)
    rn, gn, mn, dn = side(new_dir)
    # docs/uprev.md's kinds, in their precedence.
    truth = {"regressed": set(), "vanished": set(), "newly-satisfied": set()}
    for s in set(ro) | set(rn):
        a_req, b_req = s in ro, s in rn
        a_def, b_def = s in do, s in dn
        if a_req and a_def and not b_def:
            truth["vanished"].add(s)
        elif b_req and not b_def and not (a_req and not a_def):
            pass  # newly unknown
        elif a_req and b_req:
            a_ok, b_ok = s not in mo, s not in mn
            if a_ok and not b_ok:
                truth["regressed"].add(s)
            elif b_ok and not a_ok:
                truth["newly-satisfied"].add(s)
    report = json.load(open(js))
    got = {k: set() for k in truth}
    unverified = []
    for c in report["changes"]:
        sym = c["symbol"][len("CONFIG_"):]
        if c["kind"] in got:
            got[c["kind"]].add(sym)
        f = c["new"]["finding"]
        if f and f["fix"]["lines"] and f["fix"]["status"] != "verified":
            unverified.append(sym)
    ok = True
    for k in truth:
        miss, extra = sorted(truth[k] - got[k]), sorted(got[k] - truth[k])
        print("  %s: kmeta %d, truth %d%s%s" % (k, len(got[k]), len(truth[k]),
              ("; missed " + " ".join(miss[:12])) if miss else "",
              ("; extra " + " ".join(extra[:12])) if extra else ""))
        if miss or extra:
            ok = False
    # The requests themselves: the same symbols on each side.
    for name, mine, theirs in (("OLD", {c["symbol"][7:] for c in report["changes"] if c["old"]["requested"] is not None}, set(ro)),
                               ("NEW", {c["symbol"][7:] for c in report["changes"] if c["new"]["requested"] is not None}, set(rn))):
        if mine != theirs:
            print("  %s requests differ: only kmeta %s; only truth %s" % (name, sorted(mine - theirs)[:8], sorted(theirs - mine)[:8]))
            ok = False
    if unverified:
        print("  fixes shown without verification: " + " ".join(unverified))
        ok = False
    for r in report["requirements"]:
        if r["finding"] and r["finding"]["fix"]["lines"] and r["finding"]["fix"]["status"] != "verified":
            print("  unverified requirement fix: " + r["symbol"])
            ok = False
    if require != "-":
        need = values(require)
        holds = {s: norm(v) == norm(gn.get(s)) for s, v in need.items()}
        mine = {r["symbol"][7:]: r["holds"] for r in report["requirements"]}
        if holds != mine:
            print("  requirements differ: truth %s, kmeta %s" % (holds, mine))
            ok = False
        want_rc = 0 if all(holds.values()) else 1
        print("  requirements: %d/%d hold on NEW (exit %s, expected %d)" % (sum(holds.values()), len(holds), rc, want_rc))
        if int(rc) != want_rc:
            ok = False
    elif int(rc) != 0:
        print("  exit %s without requirements" % rc)
        ok = False
    print("  counts: " + json.dumps(report["counts"]))
    sys.exit(0 if ok else 1)


main()
