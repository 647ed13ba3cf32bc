#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Benchmark: the 3-D particle composite (cases/composite) at about 1e5 and 1e6 cells on 1 and
2 ranks. The box grows with the target size at the case's own mesh sizes (59 k cells in its
20 um box). Reports mesh generation, distribution, set-up, solve, output, Newton/Krylov
iterations and peak memory from each run's summary.json, and writes the table to
docs/performance.md.

    /usr/bin/python3 bench/particles.py [--sizes 1e5,1e6] [--ranks 1,2] [--extra "-key value"]
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ap = argparse.ArgumentParser()
ap.add_argument("--npp", default=os.path.join(ROOT, "build", "npp"))
ap.add_argument("--sizes", default="1e5,1e6", help="target cell counts")
ap.add_argument("--ranks", default="1,2")
ap.add_argument("--out", default=os.path.join(ROOT, "output", "bench"))
ap.add_argument("--report", default=os.path.join(ROOT, "docs", "performance.md"))
ap.add_argument("--extra", default="", help="options added to every run, e.g. '-fv_nonorthogonal_correction 0'")
ap.add_argument("--label", default="default solver")
a = ap.parse_args()

env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1", OMPI_MCA_btl_vader_single_copy_mechanism="none", OMP_NUM_THREADS="1")
CELLS_20UM = 58820  # cells of cases/composite in its 20 um box
rows = []
for n in [float(s) for s in a.sizes.split(",")]:
    box = 20e-6 * (n / CELLS_20UM) ** (1 / 3)
    for r in [int(x) for x in a.ranks.split(",")]:
        out = os.path.join(a.out, f"n{n:.0e}_np{r}")
        cmd = (["mpirun", "-n", str(r)] if r > 1 else []) + [a.npp, os.path.join(ROOT, "cases", "composite"),
               "-mesh_particles_box", f"{box},{box},{box}", "-mesh_algorithm3d", "10", "-output_dir", out] + a.extra.split()
        t0 = time.time()
        p = subprocess.run(cmd, env=env, capture_output=True, text=True)
        wall = time.time() - t0
        if p.returncode:
            print(f"run failed ({n:.0e} cells, {r} ranks):", p.stderr.strip().splitlines()[-1] if p.stderr.strip() else p.stdout)
            continue
        with open(os.path.join(out, "summary.json")) as f:
            s = json.load(f)
        t = s["time"]
        rows.append((a.label, s["cells"], r, t["mesh"], t["distribute"], t["setup"], t["solve"], t["output"], wall,
                     s["solver"]["snes_iterations"], s["solver"]["ksp_iterations"],
                     s["memory"]["peak_rss_max_rank"] / 2**20, s["memory"]["peak_rss_total"] / 2**20))
        print(rows[-1], flush=True)

hdr = ("| solver | cells | ranks | mesh gen. + read (s) | distribute (s) | set-up (s) | solve (s) | output (s) | wall (s) | Newton | Krylov "
       "| peak RSS max rank (MiB) | peak RSS total (MiB) |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
table = hdr + "".join("| {} | {} | {} | {:.1f} | {:.1f} | {:.1f} | {:.2f} | {:.1f} | {:.1f} | {} | {} | {:.0f} | {:.0f} |\n".format(*r) for r in rows)
print(table)
marker = "<!-- bench/particles.py -->"
text = open(a.report).read() if os.path.exists(a.report) else ""
if marker in text:
    head, _, rest = text.partition(marker)
    tail = rest.split("<!-- end -->", 1)[1] if "<!-- end -->" in rest else ""
    old = rest.split("<!-- end -->", 1)[0].strip()
    keep = "\n".join(l for l in old.splitlines()[2:] if not l.startswith(f"| {a.label} |")) if old else ""
    body = hdr + (keep + "\n" if keep else "") + "".join(table.splitlines(True)[2:])
    text = head + marker + "\n" + body + "<!-- end -->" + tail
    with open(a.report, "w") as f:
        f.write(text)
