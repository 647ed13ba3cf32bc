#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Li+ transference number of a composite, as a Bruce-Vincent experiment with a small step
would measure it (ideal reversible contacts; docs/theory.md, "Composite transference number"):

    postproc/transference.py [CASE] --salt REGION=T+ [--salt ...] [--ranks N] [--out DIR]
        [--npp build/npp] [-- npp options ...]

runs the conduction case twice: as given (I_0: every ion moves, sigma_eff) and with each salt
region's resolved conductivity scaled by its t+ (I_ss: the anions at rest, Li+ moves with the Li+
part of the salt's conductivity); single-ion phases keep theirs. Prints and writes
DIR/transference.json with t+ = sigma_eff(t+ sigma_salt) / sigma_eff(sigma_salt). The case must
be a conduction case (two potential contacts, summary "effective_conductivity").
tests/verification/transference_composite.py checks the reduction against the full transient
NPP experiment."""
import argparse
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))


def run(npp, ranks, case, opts, out):
    cmd = (["mpiexec", "-n", str(ranks)] if ranks > 1 else []) + [npp] + ([case] if case else []) + opts + ["-output_dir", out]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"transference.py: {' '.join(cmd)} failed:\n{p.stdout}{p.stderr}")
    with open(os.path.join(out, "summary.json")) as f:
        s = json.load(f)
    if "effective_conductivity" not in s:
        sys.exit(f"transference.py: {case} is not a conduction case (no effective_conductivity in {out}/summary.json)")
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog="-- then npp options for both runs")
    ap.add_argument("case", nargs="?", help="case directory or YAML file (none: all options after --)")
    ap.add_argument("--salt", action="append", required=True, metavar="REGION=T+", help="a binary-salt region and its Li+ transference number")
    ap.add_argument("--ranks", type=int, default=1)
    ap.add_argument("--out", default="output/transference")
    ap.add_argument("--npp", default=os.path.join(here, "..", "build", "npp"))
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    a = ap.parse_args(argv[:cut])
    opts = argv[cut + 1:]  # npp options for both runs
    salts = {}
    for s in a.salt:
        name, _, t = s.partition("=")
        try:
            salts[name] = float(t)
        except ValueError:
            sys.exit(f"transference.py: --salt {s}: give REGION=T+, e.g. polymer=0.43")
        if not 0 < salts[name] < 1:
            sys.exit(f"transference.py: --salt {s}: t+ must lie strictly between 0 and 1")
    s0 = run(a.npp, a.ranks, a.case, opts, os.path.join(a.out, "all_ions"))
    sigma = {r["name"]: r["conductivity"] for r in s0["regions"]}
    second = []
    for name, t in salts.items():
        if name not in sigma:
            sys.exit(f"transference.py: --salt {name}: no such region (the case has {', '.join(sigma)})")
        # the resolved conductivity (preset and temperature law applied) times t+, taken as is
        second += [f"-region_{name}_conductivity", repr(sigma[name] * t), f"-region_{name}_conductivity_law", "none"]
    s1 = run(a.npp, a.ranks, a.case, opts + second, os.path.join(a.out, "li_only"))
    t = s1["effective_conductivity"] / s0["effective_conductivity"]
    res = {"transference_number": t, "effective_conductivity": s0["effective_conductivity"],
           "li_effective_conductivity": s1["effective_conductivity"], "salts": salts,
           "regions": {r["name"]: r["conductivity"] for r in s0["regions"]}}
    with open(os.path.join(a.out, "transference.json"), "w") as f:
        json.dump(res, f, indent=2)
    print(f"sigma_eff {s0['effective_conductivity']:.6g} S/m (all ions), {s1['effective_conductivity']:.6g} S/m (Li+ only): t+ = {t:.4f}")


if __name__ == "__main__":
    main()
