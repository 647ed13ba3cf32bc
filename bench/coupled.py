#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Benchmark of the coupled solver (issue 13): Newton iterations per step, Krylov iterations per
Newton step, time per step, set-up time and peak memory per unknown, for

  protrusion-film      3-D hemispherical protrusion, PHLP binary electrolyte, galvanostatic
                       0.5 mA/cm^2, SEI as a film; the mesh scaled to the target cell count
  protrusion-sei       the same with the resolved 0.1 um SEI (cases/dendrite -mesh_dim 3): its
                       size is set by the SEI (~4.7 M cells: a cluster); --sizes does not apply
  composite-salt       3-D particle composite (cases/composite) whose polymer is a binary salt
                       (PHLP, t+ 0.14), a 10 mV step held for 1 s (Bruce-Vincent-type polarisation)
  spacecharge-3d       3-D nanoscale composite with resolved space charge (Poisson model,
                       cases/space-charge in 3-D)

each at the target sizes on the given rank counts (a cluster: --ranks 16,32 --mpiexec srun).
Appends the table to docs/performance.md between markers.

    /usr/bin/python3 bench/coupled.py [--configs protrusion-film,composite-salt] [--sizes 1e5,1e6] [--ranks 1,2]
"""
import argparse
import json
import os
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ap = argparse.ArgumentParser()
ap.add_argument("--npp", default=os.path.join(ROOT, "build", "npp"))
ap.add_argument("--configs", default="protrusion-film,composite-salt,spacecharge-3d,protrusion-sei")
ap.add_argument("--sizes", default="1e5,1e6", help="target cell counts")
ap.add_argument("--ranks", default="1,2")
ap.add_argument("--mpiexec", default="mpirun")
ap.add_argument("--steps", type=int, default=3, help="time steps of the transient configurations")
ap.add_argument("--out", default=os.path.join(ROOT, "output", "bench-coupled"))
ap.add_argument("--report", default=os.path.join(ROOT, "docs", "performance.md"))
ap.add_argument("--extra", default="", help="options added to every run")
a = ap.parse_args()

env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1", OMPI_MCA_btl_vader_single_copy_mechanism="none", OMP_NUM_THREADS="1")


def steps(dt):
    return ["-time_step", str(dt), "-time_final", str(a.steps * dt), "-time_output_times", str(a.steps * dt), "-ts_adapt_type", "none"]


def protrusion_film(n):
    f = (n / 60140) ** (1 / 3)  # 60 140 cells at tip 0.25 um, far 2 um
    return "dendrite", ["-mesh_dim", "3", "-mesh_anode_sei_thickness", "0", "-region_names", "electrolyte",
                        "-bc_anode_film_resistance", "0.05", "-region_electrolyte_material", "phlp",
                        "-bc_anode_current_density", "-5", "-mesh_anode_tip_size", f"{2.5e-7 / f:.4g}",
                        "-mesh_size", f"{2e-6 / f:.4g}"] + steps(0.1)


def protrusion_sei(n):
    return "dendrite", ["-mesh_dim", "3", "-region_electrolyte_material", "phlp", "-bc_anode_current_density", "-5"] + steps(0.1)


def composite_salt(n):
    box = 20e-6 * (n / 58820) ** (1 / 3)  # 58 820 cells in the case's 20 um box
    return "composite", ["-mesh_particles_box", f"{box:.4g},{box:.4g},{box:.4g}", "-mesh_algorithm3d", "10",
                         "-region_polymer_li_concentration", "1000", "-region_polymer_anion_concentration", "1000"] + steps(1.0 / a.steps)


def spacecharge_3d(n):
    f = (n / 1.0e5) ** (1 / 3)  # about 1e5 cells in a 40 nm cube at these sizes (measured)
    box = 40e-9 * f
    return "space-charge", ["-mesh_dim", "3", "-mesh_particles_box", f"{box:.4g},{box:.4g},{box:.4g}",
                            "-mesh_size", "4e-9", "-mesh_interface_size", "1e-9", "-mesh_algorithm3d", "10"]


CONFIGS = {"protrusion-film": protrusion_film, "protrusion-sei": protrusion_sei,
           "composite-salt": composite_salt, "spacecharge-3d": spacecharge_3d}
rows = []
for name in a.configs.split(","):
    sizes = [0.0] if name == "protrusion-sei" else [float(s) for s in a.sizes.split(",")]
    for n in sizes:
        case, opts = CONFIGS[name](n)
        for r in [int(x) for x in a.ranks.split(",")]:
            out = os.path.join(a.out, f"{name}_n{n:.0e}_np{r}")
            cmd = ([a.mpiexec, "-n", str(r)] if r > 1 else []) + [a.npp, os.path.join(ROOT, "cases", case)] + opts + \
                ["-output_dir", out] + a.extra.split()
            t0 = time.time()
            p = subprocess.run(cmd, env=env, capture_output=True, text=True)
            wall = time.time() - t0
            if p.returncode:
                print(f"{name} failed ({n:.0e} cells, {r} ranks):", (p.stdout + p.stderr).strip().splitlines()[-1:])
                continue
            with open(os.path.join(out, "summary.json")) as f:
                s = json.load(f)
            sv, t, m = s["solver"], s["time"], s["memory"]
            nsteps = max(1, sv.get("steps", 1) or 1)
            unknowns = s["cells"] * s["model"]["fields"]
            with open(os.path.join(out, "npp.log"), "w") as f:
                f.write(p.stdout + p.stderr)
            rows.append((name, s["cells"], r, nsteps, sv["snes_iterations"] / nsteps,
                         sv["ksp_iterations"] / max(1, sv["snes_iterations"]), t["solve"] / nsteps, t["setup"],
                         t["mesh"] + t["distribute"], wall, m["peak_rss_total"] / unknowns / 1e3))
            print(rows[-1], flush=True)

hdr = ("| configuration | cells | ranks | steps | Newton / step | Krylov / Newton | solve / step (s) | set-up (s) "
       "| mesh + distribute (s) | wall (s) | peak RSS / unknown (kB) |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
table = hdr + "".join("| {} | {} | {} | {} | {:.1f} | {:.1f} | {:.2f} | {:.1f} | {:.1f} | {:.0f} | {:.2f} |\n".format(*r) for r in rows)
print(table)
marker = "<!-- bench/coupled.py -->"
text = open(a.report).read() if os.path.exists(a.report) else ""
if marker in text and rows:
    head, _, rest = text.partition(marker)
    tail = rest.split("<!-- end -->", 1)[1] if "<!-- end -->" in rest else ""
    with open(a.report, "w") as f:
        f.write(head + marker + "\n" + table + "<!-- end -->" + tail)
