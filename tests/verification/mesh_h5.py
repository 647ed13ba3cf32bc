# SPDX-License-Identifier: BSD-2-Clause
"""npp's HDF5 mesh file (mesh/mesh_h5.c): a mesh converted once with -mesh_convert and loaded in
parallel gives the same answer as the .msh it came from, on 1, 2 and 3 ranks, with every label:
regions, boundaries, interior interfaces and electrodes. Cases: the 2-D dendrite cell
(galvanostatic Butler-Volmer anode under an SEI layer: regions, electrodes, the SEI interface),
and a 3-D particle composite (two regions, interfaces between them, potential boundaries).
Each rank must read only its share of the cells (no rank holds the whole mesh before
distribution: checked in the load's -info report)."""
import os
import re
import shutil
import numpy as np
from npptest import OUT, run, read_xdmf, check, close, finish

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CASES = {
    "dendrite2d": ("dendrite", {"region_electrolyte_material": "phlp", "bc_anode_current_density": -5,
                                "time_final": 0.2, "time_step": 0.1, "time_output_times": 0.2}),
    "particles3d": (None, {"mesh_generator": "particles", "mesh_dim": 3, "mesh_particles_box": [12e-6, 12e-6, 12e-6],
                           "mesh_particles_volume_fraction": 0.2, "mesh_particles_radius": 3e-6,
                           "mesh_particles_matrix": "polymer", "mesh_particles_particle": "ceramic",
                           "mesh_size": 2e-6, "mesh_interface_size": 1e-6,
                           "region_names": ["polymer", "ceramic"], "region_polymer_conductivity": 1e-2,
                           "region_ceramic_conductivity": 0.1, "bc_names": ["xmin", "xmax"],
                           "bc_xmin_potential": 0.0, "bc_xmax_potential": 0.01}),
}


def by_centroid(out):
    c, steps = read_xdmf(out)
    order = np.lexsort(tuple(np.round(c[:, d], 15) for d in reversed(range(c.shape[1]))))
    return {n: np.asarray(v)[order] for n, v in steps[-1][1].items() if np.asarray(v).ndim == 1 and n != "rank"}


for name, (case, o) in CASES.items():
    casedir = os.path.join(ROOT, "cases", case) if case else None
    ref, _ = run(f"h5_{name}_msh", o, 1, case=casedir)
    msh = os.path.join(OUT, f"h5_{name}_msh", "mesh.msh")
    h5 = os.path.join(OUT, f"h5_{name}.h5")
    keep = {k: v for k, v in o.items() if not k.startswith("mesh_") or k == "mesh_dim"}
    # convert the .msh the reference run wrote (a generated mesh converts the same way); on 2
    # ranks for the 3-D case: the .msh is read on rank 0 and the others must follow its labels
    _, p = run(f"h5_{name}_convert", dict(keep, mesh_generator="file", mesh_file=msh, mesh_convert=h5), 2 if name == "particles3d" else 1, case=casedir)
    check(os.path.exists(h5) and "wrote the mesh" in p.stdout, f"{name}: -mesh_convert wrote {os.path.basename(h5)}")
    ref_fields = by_centroid(os.path.join(OUT, f"h5_{name}_msh"))
    for ranks in (1, 2, 3):
        s, p = run(f"h5_{name}_np{ranks}", dict(keep, mesh_generator="file", mesh_file=h5, info=""), ranks, case=casedir)
        check(s["cells"] == ref["cells"], f"{name}, {ranks} rank(s): {s['cells']} cells, as the .msh")
        shares = [int(m) for m in re.findall(r"npp mesh .*?: (\d+) cells of", p.stdout + p.stderr)]
        check(len(shares) == ranks and sum(shares) == ref["cells"] and max(shares) <= ref["cells"] // ranks + 1,
              f"{name}, {ranks} rank(s): each rank loaded its share of the cells {shares}")
        for r, rr in zip(s["regions"], ref["regions"]):
            check(r["name"] == rr["name"] and r["cells"] == rr["cells"] and abs(r["volume"] - rr["volume"]) <= 1e-12 * rr["volume"],
                  f"{name}, {ranks} rank(s): region {r['name']} {r['cells']} cells")
        f = by_centroid(os.path.join(OUT, f"h5_{name}_np{ranks}"))
        for n in ref_fields:
            scale = max(np.ptp(ref_fields[n]), np.abs(ref_fields[n]).max() * 1e-3, 1e-300)
            err = np.abs(f[n] - ref_fields[n]).max() / scale
            check(err <= 1e-8, f"{name}, {ranks} rank(s): {n} max |h5 - msh| / range = {err:.1e} (tol 1e-8)")
        if "cell_voltage" in ref:
            close(s["cell_voltage"], ref["cell_voltage"], 1e-9, f"{name}, {ranks} rank(s): cell voltage")
        if "effective_conductivity" in ref:
            close(s["effective_conductivity"], ref["effective_conductivity"], 1e-9, f"{name}, {ranks} rank(s): sigma_eff")

# the mesh cache (-mesh_cache, what sweeps use): the first run stores its generated mesh, a run
# with the same mesh keys loads it (on another rank count) with the same answer and generator
# report; other mesh keys make another file
cache = os.path.join(OUT, "h5_cache")
shutil.rmtree(cache, ignore_errors=True)
o = dict(CASES["particles3d"][1], mesh_cache=cache)
first, _ = run("h5_cache_1", o, 1)
files = sorted(os.listdir(cache)) if os.path.isdir(cache) else []
check(len(files) == 1 and files[0].startswith("particles-") and files[0].endswith(".h5"), f"the first run stored its mesh: {files}")
second, _ = run("h5_cache_2", o, 2)
check(second["mesh"]["file"].startswith(cache), f"the second run loaded it: {second['mesh']['file']}")
check(second["cells"] == first["cells"] and second["mesh"]["particles"] == first["mesh"]["particles"]
      and second["mesh"]["particle_fraction"] == first["mesh"]["particle_fraction"],
      f"same cells and generator report ({second['cells']} cells, {second['mesh']['particles']} particles)")
close(second["effective_conductivity"], first["effective_conductivity"], 1e-9, "sigma_eff from the cached mesh on 2 ranks")
run("h5_cache_3", dict(o, mesh_size=2.5e-6), 1)
check(len(os.listdir(cache)) == 2, "other mesh keys: another cached mesh")  # (before the .msh below)
# a .msh goes into the cache too, keyed by its path, size and time of change
keep = {k: v for k, v in CASES["dendrite2d"][1].items()}
o = dict(keep, mesh_generator="file", mesh_file=os.path.join(OUT, "h5_dendrite2d_msh", "mesh.msh"), mesh_cache=cache)
a, _ = run("h5_cache_msh_1", o, 1, case=os.path.join(ROOT, "cases", "dendrite"))
b, _ = run("h5_cache_msh_2", o, 2, case=os.path.join(ROOT, "cases", "dendrite"))
check(b["mesh"]["file"].startswith(cache) and os.path.basename(b["mesh"]["file"]).startswith("file-"), f"the .msh's second run loaded the cache: {b['mesh']['file']}")
close(b["cell_voltage"], a["cell_voltage"], 1e-9, "cell voltage from the cached .msh on 2 ranks")
# refining a converted mesh, or converting it again: clear errors naming the key
o = dict(CASES["particles3d"][1], mesh_generator="file", mesh_file=os.path.join(OUT, "h5_particles3d.h5"))
for key, extra in (("-mesh_refine", {"mesh_refine": 1}), ("-mesh_convert", {"mesh_convert": os.path.join(OUT, "again.h5")})):
    s, p = run("h5_misuse", dict(o, **extra), 1, expect_fail=True)
    check(p.returncode != 0 and "npp: error" in p.stderr + p.stdout and key in p.stderr + p.stdout and "PETSC ERROR" not in p.stderr,
          f"{key} with an npp mesh file: one error naming {key}")
# a file that is not an npp mesh: one clear error naming the key
bad = os.path.join(OUT, "h5_not_a_mesh.h5")
with open(bad, "wb") as fh:
    fh.write(b"\x89HDF\r\n\x1a\n" + b"\0" * 64)
s, p = run("h5_bad", dict(CASES["particles3d"][1], mesh_generator="file", mesh_file=bad), 1, expect_fail=True)
check(p.returncode != 0 and "-mesh_file" in p.stderr + p.stdout, "a broken .h5 mesh file: an error naming -mesh_file")
finish()
