# SPDX-License-Identifier: BSD-2-Clause
"""Regression of the seed-paper cases (cases/*, docs/validation.md "Against the seed papers"):
runs each case at its default resolution on 2 ranks and pins every number the validation table
reports, so that a change in the code that moves one is noticed. The pins are this code's
results (not the papers'; the table compares those); tolerance 1e-4 relative, well above the
solver tolerances (1e-9) and far below any physical difference the table discusses. Also checks
the cases' own consistency: spanning phases, achieved fractions, the composite t+ between the
phases' values."""
import argparse
import json
import os
import subprocess
import sys
from npptest import EXE, OUT, run, close, check, finish

ap = argparse.ArgumentParser()
ap.add_argument("--case", required=True, choices=["peo-lpscl-lii", "llzto-skeleton", "peva-scaffold"])
ap.add_argument("--ranks", type=int, default=2)
a = ap.parse_args()
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
case = os.path.join(root, "cases", a.case)
tool = os.path.join(root, "postproc", "transference.py")
TOL = 1e-4


def transference(name, salt, opts):
    out = os.path.join(OUT, f"seed_{name}")
    cmd = [sys.executable, tool, case, "--salt", salt, "--ranks", str(a.ranks), "--out", out, "--npp", EXE, "--"] + opts
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"{' '.join(cmd)}\n{p.stdout}{p.stderr}")
    print(p.stdout.strip())
    with open(os.path.join(out, "transference.json")) as f:
        return json.load(f)


def reuse(s):
    return ["-mesh_generator", "file", "-mesh_file", s["mesh"]["file"]]


if a.case == "peo-lpscl-lii":
    s, _ = run("seed_peo_open", {}, a.ranks, case=case)
    m = s["mesh"]
    check(abs(m["particle_fraction"] - 0.062) < 0.003, f"LPSCl fraction {m['particle_fraction']:.4f} ~ 6.2 vol%")
    sp = 0.05  # the peo_litfsi preset at 60 C
    close(s["effective_conductivity"] / sp, 1.0896, TOL, "open interface: sigma_composite / sigma_polymer")
    r = transference("peo_open", "polymer=0.2", reuse(s))
    close(r["transference_number"], 0.21211, TOL, "open interface: composite t+ (polymer 0.2)")
    r = transference("peo_blocked", "polymer=0.2", reuse(s) + ["-region_ceramic_conductivity", "1e-9"])
    close(r["effective_conductivity"] / sp, 0.90997, TOL, "blocked interface: sigma_composite / sigma_polymer")
    close(r["transference_number"], 0.2000, TOL, "blocked interface: composite t+ = the polymer's")
elif a.case == "llzto-skeleton":
    s, _ = run("seed_llzto", {}, a.ranks, case=case)
    m = s["mesh"]
    check(m["solid_spans"] and m["pore_spans"], "skeleton and gel both span the sample")
    check(abs(m["solid_fraction"] - 0.471) < 0.005, f"solid fraction {m['solid_fraction']:.4f} ~ 0.471 (52.9 % porosity)")
    close(s["effective_conductivity"], 0.037723, TOL, "AIOSE conductivity with the gel at 0.49 mS/cm (S/m)")
    for g, want_s, want_t in ((0.049, 0.037723, 0.61730), (0.1, 0.060249, 0.57858), (0.22, 0.10952, 0.52915)):
        r = transference(f"llzto_{g}", "gel=0.43", reuse(s) + ["-region_gel_conductivity", str(g)])
        close(r["effective_conductivity"], want_s, TOL, f"gel {g * 10:.2f} mS/cm: sigma_eff (S/m)")
        close(r["transference_number"], want_t, TOL, f"gel {g * 10:.2f} mS/cm: composite t+ (gel 0.43)")
        check(0.43 < r["transference_number"] < 1, "composite t+ between the gel's and the ceramic's")
    k, _ = run("seed_llzto_skeleton_only", dict(zip([o.lstrip("-") for o in reuse(s)[::2]], reuse(s)[1::2]), region_gel_conductivity=1e-9), a.ranks, case=case)
    close(k["microstructure"]["regions"]["ceramic"]["tortuosity_factor"], 3.606, TOL, "tortuosity factor of the skeleton alone")
elif a.case == "peva-scaffold":
    s, _ = run("seed_peva", {}, a.ranks, case=case)
    m = s["mesh"]
    check(m["electrolyte_spans"], "the electrolyte spans the film")
    check(abs(m["fibre_fraction"] - 0.126) < 0.005, f"fibre fraction {m['fibre_fraction']:.4f} ~ 12.6 vol%")
    close(s["effective_conductivity"], 0.27695, TOL, "E-LPSCl film conductivity from P-LPSCl 3.6 mS/cm and the scaffold (S/m)")
    close(40e-6 / s["effective_conductivity"] * 1e4, 1.4443, TOL, "area-specific resistance (Ohm cm^2)")
    je = s["electronic"]["boundaries"]["xmin"]["current_density"]
    close(je * 40e-6 / 0.01, 5.6928e-7, TOL, "film electronic conductivity (S/m)")
    h, _ = run("seed_peva_80C", dict(zip([o.lstrip("-") for o in reuse(s)[::2]], reuse(s)[1::2]), physics_temperature=353.15), a.ranks, case=case)
    close(h["effective_conductivity"], 1.51189, TOL, "film conductivity at 80 C (S/m)")
    l, _ = run("seed_peva_slab", {"mesh_scaffold_layer": [12.5e-6, 27.5e-6], "mesh_scaffold_volume_fraction": 0.336}, a.ranks, case=case)
    close(l["effective_conductivity"], 0.23685, TOL, "scaffold in a 15 um slab: film conductivity (S/m)")
    sym = os.path.join(case, "symmetric.yaml")
    y, _ = run("seed_peva_sym_li3n", {}, a.ranks, case=sym)
    close(y["cell_voltage"] * 1e3, 11.107, TOL, "symmetric cell with Li3N at 0.2 mA/cm2, i0 1 mA/cm2: cell voltage (mV)")
    check(y["electronic"]["leakage_current"] == 0, "Li3N (no electronic conduction) stops the leakage")
    n, _ = run("seed_peva_sym_bare", {"region_names": ["film"], "mesh_layers_thickness": [40e-6], "mesh_layers_regions": ["film"]}, a.ranks, case=sym)
    close(n["cell_voltage"] * 1e3, 10.987, TOL, "symmetric cell without Li3N: cell voltage (mV)")
finish()
