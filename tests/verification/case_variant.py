# SPDX-License-Identifier: BSD-2-Clause
"""Case variants: -case_variant <v> loads <case dir>/<v>.yaml over case.yaml (its keys win), the
command line wins over both, the run is named <case>-<v>, and a missing variant is a clear error.
Checked on a 1-D layer whose effective conductivity is its conductivity exactly."""
import os
import tempfile
from npptest import run, close, check, finish

d = tempfile.mkdtemp(prefix="npp-variant-")
case = os.path.join(d, "slab")
os.makedirs(case)
with open(os.path.join(case, "case.yaml"), "w") as f:
    f.write("mesh:\n  generator: layers\n  dim: 1\n  layers:\n    thickness: 1e-4\n    regions: film\n  size: 1e-5\n"
            "region:\n  names: film\n  film:\n    conductivity: 0.01\n"
            "bc:\n  names: xmin,xmax\n  xmin:\n    potential: 0.0\n  xmax:\n    potential: 0.01\n")
with open(os.path.join(case, "fine.yaml"), "w") as f:
    f.write("mesh:\n  size: 2e-6\nregion:\n  film:\n    conductivity: 0.02\n")
s, _ = run("case_variant_base", {}, 1, case=case)
close(s["effective_conductivity"], 0.01, 1e-12, "case.yaml alone")
s, _ = run("case_variant_fine", {"case_variant": "fine"}, 1, case=case)
close(s["effective_conductivity"], 0.02, 1e-9, "the variant's conductivity replaces the case's")
check(s["cells"] == 50 and s["case"] == "slab-fine", f"the variant's mesh size (50 cells: {s['cells']}) and the run's name ({s['case']})")
s, _ = run("case_variant_cmd", {"case_variant": "fine", "region_film_conductivity": 0.03}, 1, case=case)
close(s["effective_conductivity"], 0.03, 1e-9, "the command line wins over the variant")
_, p = run("case_variant_missing", {"case_variant": "coarse"}, 1, case=case, expect_fail=True)
check(p.returncode == 1 and "-case_variant coarse" in p.stderr and "coarse.yaml" in p.stderr, f"a missing variant is one clear error: {p.stderr.strip()}")
finish()
