# SPDX-License-Identifier: BSD-2-Clause
"""npp's output files are valid JSON and XML whatever the names (solver/output/json.c, xml.c):
(a) a case directory, a region and a species named with a quote, an ampersand and angle brackets:
    summary.json parses (strict JSON: no NaN/Infinity tokens) and holds the names unchanged;
    solution.xmf and electrode_<b>.xmf parse as XML, their names unescape to the originals and
    postproc/nppout.py follows the escaped HDF5 paths to the data;
(b) a value that is not finite is written as null: two layers in parallel whose conductivities
    differ by 10^320, so that sigma_eff / sigma_r of the poor conductor overflows (bare 'inf'
    before the JSON writer)."""
import json
import os
import shutil
import xml.etree.ElementTree as ET

import numpy as np
from npptest import OUT, run, check, finish
import nppout  # on the path through npptest

ODD = 'a"b&<c>'


def strict_json(path):
    """json.load that refuses NaN and Infinity (Python's json accepts them; JSON does not)."""
    def refuse(token):
        raise ValueError(f"{token} is not JSON")
    with open(path) as f:
        return json.load(f, parse_constant=refuse)


def parses(what, fn):
    try:
        v = fn()
        check(True, f"{what} parses")
        return v
    except (ValueError, ET.ParseError) as e:
        check(False, f"{what} parses ({e})")
        return None


# (a) odd names: the case directory (the case name), a region and a species
case = os.path.join(OUT, "summary_json_cases", f"case {ODD}")
shutil.rmtree(os.path.dirname(case), ignore_errors=True)
os.makedirs(case)
with open(os.path.join(case, "case.yaml"), "w") as f:
    f.write("mesh:\n  generator: layers\n  dim: 1\n  size: 2e-6\n")
region, species = f"r{ODD}", f"s{ODD}"
o = {"mesh_layers_thickness": [1e-5, 1e-5], "mesh_layers_regions": [region, "d"], "region_names": [region, "d"],
     f"region_{region}_conductivity": 0.1, "region_d_conductivity": 0.2, "species_names": ["li", species],
     "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": 0.01,
     "bc_xmax_exchange_current_density": 10.0}
name = "summary_json_names"
run(name, o, case=case)
out = os.path.join(OUT, name)
s = parses("summary.json with odd names (strict JSON)", lambda: strict_json(os.path.join(out, "summary.json")))
if s:
    check(s["case"] == f"case {ODD}", f"case name {s['case']!r} kept")
    check([r["name"] for r in s["regions"]] == [region, "d"], f"region names {[r['name'] for r in s['regions']]}")
    check([sp["name"] for sp in s["species"]] == ["li", species], f"species names {[sp['name'] for sp in s['species']]}")
    check(region in s["microstructure"]["regions"], "the region's microstructure record keyed by its name")
root = parses("solution.xmf with odd names", lambda: ET.parse(os.path.join(out, "solution.xmf")).getroot())
if root is not None:
    grid = root.find("Domain/Grid")
    check(grid.get("Name") == f"case {ODD}", f"solution.xmf collection named {grid.get('Name')!r}")
    x = nppout.Xdmf(out)
    c = x.field(f"c_{species}", -1)
    check(len(c) == 10 and np.all(c == 0), f"c_{species} read through its escaped HDF5 path ({len(c)} cells)")
    x.close()
parses("electrode_xmax.xmf", lambda: ET.parse(os.path.join(out, "electrode_xmax.xmf")))

# (b) a non-finite value is written as null
o = {"mesh_generator": "layers", "mesh_dim": 2, "mesh_layers_thickness": [1e-5, 1e-5], "mesh_layers_width": [1e-5],
     "mesh_layers_regions": ["good", "poor"], "mesh_size": 5e-6, "mesh_layers_structured": 1, "region_names": ["good", "poor"],
     "region_good_conductivity": 1e200, "region_poor_conductivity": 1e-120,
     "bc_names": ["ymin", "ymax"], "bc_ymin_potential": 0.0, "bc_ymax_potential": 0.01}
name = "summary_json_nonfinite"
run(name, o)
s = parses("summary.json with an overflowing conductivity ratio (strict JSON)", lambda: strict_json(os.path.join(OUT, name, "summary.json")))
if s:
    ms = s["microstructure"]["regions"]
    check(ms["poor"]["conductivity_ratio"] is None, f"sigma_eff / sigma_poor = 5e319 overflows: null (got {ms['poor']['conductivity_ratio']!r})")
    check(ms["good"]["conductivity_ratio"] == 0.5, f"the finite values stay numbers (good: {ms['good']['conductivity_ratio']!r})")
finish()
