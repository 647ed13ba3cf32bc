# SPDX-License-Identifier: BSD-2-Clause
"""A user mesh: the .msh a generator wrote, read back with -mesh_generator file (on another
number of ranks, from a case file with a relative path), gives the same answer."""
import os
import shutil
import tempfile
from npptest import OUT, run, close, check, finish

o = {"mesh_generator": "particles", "mesh_dim": 2, "mesh_particles_box": [20e-6, 20e-6], "mesh_particles_volume_fraction": 0.2,
     "mesh_particles_radius": 2e-6, "mesh_particles_matrix": "polymer", "mesh_particles_particle": "ceramic",
     "mesh_size": 1e-6, "mesh_interface_size": 0.4e-6,
     "region_names": ["polymer", "ceramic"], "region_polymer_conductivity": 1e-2, "region_ceramic_conductivity": 0.1,
     "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": 0.01}
ref, _ = run("mesh_import_generated", o, 1)
casedir = tempfile.mkdtemp(prefix="npp-import-")
shutil.copy(os.path.join(OUT, "mesh_import_generated", "mesh.msh"), os.path.join(casedir, "cell.msh"))
with open(os.path.join(casedir, "case.yaml"), "w") as f:
    f.write("mesh:\n  generator: file\n  file: cell.msh\n")
keep = {k: v for k, v in o.items() if not k.startswith("mesh_")}
s, _ = run("mesh_import_file", keep, 2, case=casedir)
check(s["cells"] == ref["cells"], f"same cells ({s['cells']}) read from the file")
check(s["mesh"]["source"] == "file" and s["mesh"]["file"].endswith("cell.msh"), f"mesh read from {s['mesh']['file']}")
close(s["effective_conductivity"], ref["effective_conductivity"], 1e-9, "sigma_eff from the imported mesh on 2 ranks")
# the keys of the generator no longer in use are known keys, not typos
o2 = dict(o, mesh_generator="file", mesh_file=os.path.join(casedir, "cell.msh"))
s2, _ = run("mesh_import_switch", o2, 1)
close(s2["effective_conductivity"], ref["effective_conductivity"], 1e-9, "switching -mesh_generator to file keeps the particles keys valid")
finish()
