#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Benchmark: npp (cell-centred FV, one unknown per cell) against FEniCSx 0.5.2 (P1 Lagrange, one
unknown per vertex) on the same tetrahedra, for steady conduction -div(sigma grad phi) = f.

Problem A (manufactured solution, npp's -mms_solution cosine): unit cube, sigma = 2 S/m,
  phi = cos(pi x) cos(pi y) cos(pi z) + x + y/2 + z/3, f = 3 sigma pi^2 prod cos, Dirichlet data
  from phi on the whole boundary. Errors against the exact solution (see --help of the report).
Problem B (cases/composite): sigma_eff of LLZTO spheres in PHLP (sigma ratio 2.5), contacts at
  x = 0 and x = L, other faces insulating; reference by Richardson extrapolation.

npp generates each mesh once (1 rank); both codes then read that same mesh: npp with
-mesh_generator file, FEniCSx from the cells/vertices npp wrote to solution.h5
(dolfinx.mesh.create_mesh, regions mapped with original_cell_index). Both solve to the same
relative residual (unpreconditioned norm): npp GMRES(100)+GAMG with -snes_type ksponly (one linear
solve, as FEniCS), FEniCSx CG + GAMG and CG + hypre BoomerAMG.

    /usr/bin/python3 bench/fenics_compare.py [--problems A,B] [--ranks 1,2] [--rtol 1e-8] [--repeats 2]

Writes the Markdown section to /tmp/fenics_section.md (--report) and raw rows to
<out>/results.json. Needs python3-dolfinx (Debian 12; benchmark only, not for the build).
The FEniCSx part runs as this script in worker mode under mpirun (--worker).
"""
import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1", OMPI_MCA_btl_vader_single_copy_mechanism="none",
           OMP_NUM_THREADS="1")
SIGMA_MMS = 2.0


def exact_np(x):
    import numpy as np
    return np.cos(np.pi * x[..., 0]) * np.cos(np.pi * x[..., 1]) * np.cos(np.pi * x[..., 2]) + x[..., 0] + x[..., 1] / 2 + x[..., 2] / 3


# ----------------------------------------------------------------------------------------------
# FEniCSx worker (runs under mpirun)
# ----------------------------------------------------------------------------------------------
def worker(a):
    import numpy as np
    import h5py
    import ufl
    from mpi4py import MPI
    from petsc4py import PETSc
    import dolfinx
    import dolfinx.fem.petsc as fp
    from dolfinx import fem, mesh as dmesh

    comm = MPI.COMM_WORLD
    rank = comm.rank
    T = {}

    def tic():
        comm.Barrier()
        return time.perf_counter()

    def toc(t0):
        comm.Barrier()
        return time.perf_counter() - t0

    # --- mesh: npp's own cells and vertices, read on rank 0, distributed by create_mesh
    t0 = tic()
    if rank == 0:
        with h5py.File(a.h5, "r") as h:
            x = h["/geometry/vertices"][...]
            cells = h["/viz/topology/cells"][...].astype(np.int64)
            region = h["/fields/region"][...].astype(np.int32) if "/fields/region" in h else np.zeros(len(cells), np.int32)
        if a.problem == "B":
            x = x * 1e6   # micrometres: O(1) matrix entries, like npp's row scaling
    else:
        x = np.zeros((0, 3))
        cells = np.zeros((0, 4), np.int64)
        region = None
    region = comm.bcast(region, root=0)
    domain = ufl.Mesh(ufl.VectorElement("Lagrange", ufl.tetrahedron, 1))
    msh = dmesh.create_mesh(comm, cells, x, domain)
    T["mesh"] = toc(t0)
    tdim = 3
    ncells_local = msh.topology.index_map(tdim).size_local
    ncells = msh.topology.index_map(tdim).size_global

    # --- set-up: function space, coefficients, boundary conditions, forms (JIT cached), sparsity
    t0 = tic()
    V = fem.FunctionSpace(msh, ("Lagrange", a.degree))
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    X = ufl.SpatialCoordinate(msh)
    if a.problem == "A":
        sigma = fem.Constant(msh, PETSc.ScalarType(SIGMA_MMS))
        pc = ufl.cos(ufl.pi * X[0]) * ufl.cos(ufl.pi * X[1]) * ufl.cos(ufl.pi * X[2])
        phi_ex = pc + X[0] + X[1] / 2 + X[2] / 3
        f = sigma * 3 * ufl.pi ** 2 * pc
        msh.topology.create_connectivity(tdim - 1, tdim)
        bfacets = dmesh.exterior_facet_indices(msh.topology)
        bdofs = fem.locate_dofs_topological(V, tdim - 1, bfacets)
        ub = fem.Function(V)
        ub.interpolate(exact_np_T)
        bcs = [fem.dirichletbc(ub, bdofs)]
        L = f * v * ufl.dx(metadata={"quadrature_degree": 4})
    else:
        # regions of npp's cells; sigma relative to the polymer's
        orig = msh.topology.original_cell_index[:ncells_local]
        Q = fem.FunctionSpace(msh, ("DG", 0))
        sigma = fem.Function(Q)
        sig = np.array([float(s) for s in a.sigmas.split(",")])
        sigma.x.array[:ncells_local] = sig[region[orig]] / sig[0]
        sigma.x.scatter_forward()
        xmin = comm.allreduce(msh.geometry.x[:, 0].min() if len(msh.geometry.x) else 1e300, MPI.MIN)
        xmax = comm.allreduce(msh.geometry.x[:, 0].max() if len(msh.geometry.x) else -1e300, MPI.MAX)
        tol = 1e-8 * (xmax - xmin)
        d0 = fem.locate_dofs_geometrical(V, lambda y: np.isclose(y[0], xmin, atol=tol))
        d1 = fem.locate_dofs_geometrical(V, lambda y: np.isclose(y[0], xmax, atol=tol))
        bcs = [fem.dirichletbc(PETSc.ScalarType(0.0), d0, V), fem.dirichletbc(PETSc.ScalarType(1.0), d1, V)]
        L = fem.Constant(msh, PETSc.ScalarType(0.0)) * v * ufl.dx
    T["setup"] = toc(t0)
    t0 = tic()
    a_form = fem.form(sigma * ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx)
    L_form = fem.form(L)
    T["forms"] = toc(t0)
    t0 = tic()
    A = fp.create_matrix(a_form)
    b = fp.create_vector(L_form)
    T["setup"] += toc(t0)

    # --- assembly
    t0 = tic()
    A.zeroEntries()
    fp.assemble_matrix(A, a_form, bcs=bcs)
    A.assemble()
    with b.localForm() as bl:
        bl.set(0)
    fp.assemble_vector(b, L_form)
    fp.apply_lifting(b, [a_form], [bcs])
    b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
    fp.set_bc(b, bcs)
    T["assembly"] = toc(t0)

    # --- solver: CG + AMG, rtol on the unpreconditioned residual
    uh = fem.Function(V)
    ksp = PETSc.KSP().create(comm)
    ksp.setOperators(A)
    ksp.setType("cg")
    ksp.setNormType(PETSc.KSP.NormType.UNPRECONDITIONED)
    ksp.setTolerances(rtol=a.rtol, atol=1e-50, max_it=2000)
    pc_ = ksp.getPC()
    if a.pc == "hypre":
        pc_.setType("hypre")
        pc_.setHYPREType("boomeramg")
    else:
        pc_.setType("gamg")
    ksp.setFromOptions()
    t0 = tic()
    ksp.setUp()
    T["pcsetup"] = toc(t0)
    t0 = tic()
    ksp.solve(b, uh.vector)
    T["krylov"] = toc(t0)
    uh.x.scatter_forward()
    its = ksp.getIterationNumber()
    reason = ksp.getConvergedReason()

    res = {"code": f"FEniCSx P{a.degree}", "pc": a.pc, "ranks": comm.size, "cells": ncells,
           "unknowns": V.dofmap.index_map.size_global, "its": its, "reason": reason, "time": T}
    # --- errors / sigma_eff (not timed)
    if a.problem == "A":
        deg = 8
        dxq = ufl.dx(metadata={"quadrature_degree": deg})
        e2 = comm.allreduce(fem.assemble_scalar(fem.form((uh - phi_ex) ** 2 * dxq)), MPI.SUM)
        res["err_L2"] = math.sqrt(e2)
        # cell averages: of u_h (P1: the vertex mean = value at the centroid) and of the exact phi
        Q = fem.FunctionSpace(msh, ("DG", 0))
        q = ufl.TestFunction(Q)
        vol = fp.assemble_vector(fem.form(q * ufl.dx)).array[:ncells_local]
        iex = fp.assemble_vector(fem.form(phi_ex * q * dxq)).array[:ncells_local]
        ih = fp.assemble_vector(fem.form(uh * q * dxq)).array[:ncells_local]
        mid = dmesh.compute_midpoints(msh, tdim, np.arange(ncells_local, dtype=np.int32))
        pex = exact_np(mid)
        s = np.array([np.sum((ih - iex) ** 2 / vol),            # (avg u_h - avg phi)^2 V
                      np.sum(vol * (ih / vol - pex) ** 2)])      # (u_h(x_K) - phi(x_K))^2 V
        s = comm.allreduce(s, MPI.SUM)
        res["err_avg"] = math.sqrt(s[0])
        res["err_centroid"] = math.sqrt(s[1])
    else:
        # current through the x = L contact: the residual of the equation tested with the P1
        # function that is 1 on that contact's vertices (variational / reaction flux)
        w = fem.Function(V)
        fem.set_bc(w.vector, [bcs[1]])
        w.x.scatter_forward()
        I = comm.allreduce(fem.assemble_scalar(fem.form(sigma * ufl.inner(ufl.grad(uh), ufl.grad(w)) * ufl.dx)), MPI.SUM)
        ylo = comm.allreduce(msh.geometry.x[:, 1].min() if len(msh.geometry.x) else 1e300, MPI.MIN)
        yhi = comm.allreduce(msh.geometry.x[:, 1].max() if len(msh.geometry.x) else -1e300, MPI.MAX)
        zlo = comm.allreduce(msh.geometry.x[:, 2].min() if len(msh.geometry.x) else 1e300, MPI.MIN)
        zhi = comm.allreduce(msh.geometry.x[:, 2].max() if len(msh.geometry.x) else -1e300, MPI.MAX)
        sig0 = float(a.sigmas.split(",")[0])
        res["sigma_eff"] = sig0 * I * (xmax - xmin) / ((yhi - ylo) * (zhi - zlo))   # voltage 1
        ceramic = comm.allreduce(fem.assemble_scalar(fem.form(ufl.conditional(ufl.gt(sigma, 1.0), 1.0, 0.0) * ufl.dx)), MPI.SUM)
        res["ceramic_fraction"] = ceramic / ((xmax - xmin) * (yhi - ylo) * (zhi - zlo))
    if rank == 0:
        with open(a.json, "w") as fjs:
            json.dump(res, fjs)


def exact_np_T(x):  # dolfinx interpolation passes x as (3, n)
    return exact_np(x.T)


# ----------------------------------------------------------------------------------------------
# driver
# ----------------------------------------------------------------------------------------------
def run(cmd, **kw):
    t0 = time.time()
    p = subprocess.run(cmd, env=ENV, capture_output=True, text=True, **kw)
    if p.returncode:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p, time.time() - t0


def log_event(text, name):
    """Max time over ranks of a -log_view event."""
    m = re.search(rf"^{name}\s+(\d+)\s+\S+\s+(\S+)", text, re.M)
    return float(m.group(2)) if m else 0.0


def npp_run(a, args, out, ranks, log=True):
    shutil.rmtree(out, ignore_errors=True)
    cmd = (["mpirun", "-n", str(ranks)] if ranks > 1 else []) + [a.npp] + args + ["-output_dir", out] + (["-log_view"] if log else [])
    p, wall = run(cmd)
    with open(os.path.join(out, "summary.json")) as f:
        s = json.load(f)
    return s, p.stdout, wall


def npp_errors(out):
    """Errors of npp's cell values from solution_000000.h5 (exact phi, basix quadrature of degree 8)."""
    import numpy as np
    import h5py
    import basix
    with h5py.File(os.path.join(out, "solution.h5"), "r") as h:  # the mesh
        xv = h["/geometry/vertices"][...]
        cells = h["/viz/topology/cells"][...].astype(np.int64)
    with h5py.File(os.path.join(out, "solution_000000.h5"), "r") as h:  # the fields of the (steady) output
        u = h["/step_000000/potential"][...]
        j = h["/step_000000/current_density"][...]
    p = xv[cells]
    J = np.stack([p[:, 1] - p[:, 0], p[:, 2] - p[:, 0], p[:, 3] - p[:, 0]], axis=2)   # x = p0 + J xi
    vol = np.abs(np.linalg.det(J)) / 6
    xc = p.mean(axis=1)
    qp, qw = basix.make_quadrature(basix.CellType.tetrahedron, 8)
    e_avg = np.zeros(len(cells))
    e_pc = np.zeros(len(cells))
    e_rec = np.zeros(len(cells))
    g = -j / SIGMA_MMS   # cell gradient reconstructed by npp (current density = -sigma grad phi)
    for xi, wq in zip(qp, qw):
        xq = p[:, 0] + np.einsum("cij,j->ci", J, xi)
        ph = exact_np(xq)
        e_avg += wq * ph
        e_pc += wq * (u - ph) ** 2
        e_rec += wq * (u + np.einsum("ci,ci->c", g, xq - xc) - ph) ** 2
    avg = e_avg * 6   # weights sum to 1/6
    return {"err_avg": math.sqrt(np.sum(vol * (u - avg) ** 2)),
            "err_centroid": math.sqrt(np.sum(vol * (u - exact_np(xc)) ** 2)),
            "err_L2": math.sqrt(np.sum(6 * vol * e_pc)),
            "err_L2_recon": math.sqrt(np.sum(6 * vol * e_rec))}


def fenics_run(a, problem, h5, ranks, pc, rtol, tag, sigmas="", degree=1):
    js = os.path.join(a.out, f"fenics_{tag}.json")
    cmd = (["mpirun", "-n", str(ranks)] if ranks > 1 else []) + [PY, os.path.abspath(__file__), "--worker", "--problem", problem,
           "--h5", h5, "--json", js, "--pc", pc, "--rtol", str(rtol), "--sigmas", sigmas, "--degree", str(degree)]
    p, wall = run(cmd)
    with open(js) as f:
        r = json.load(f)
    r["wall"] = wall
    return r


def p2_reference(a, rows):
    """FEniCSx P2 (CG + BoomerAMG, rtol 1e-10, 1 rank) on each composite mesh: the same faceted
    geometry, a much smaller discretisation error than either P1 or npp's FV."""
    out = []
    for lev in sorted({r["level"] for r in rows}):
        gen = os.path.join(a.out, f"B{lev}_gen")
        with open(os.path.join(gen, "summary.json")) as f:
            s = json.load(f)
        rr = fenics_run(a, "B", os.path.join(gen, "solution.h5"), 1, "hypre", 1e-10, f"B{lev}_p2",
                        ",".join(str(r["conductivity"]) for r in s["regions"]), degree=2)
        rr.update(level=lev)
        print(json.dumps(rr), flush=True)
        out.append(rr)
    return out


def npp_row(s, logtxt, wall, ranks):
    t = s["time"]
    return {"code": "npp FV", "pc": "gamg", "ranks": ranks, "cells": s["cells"], "unknowns": s["cells"],
            "its": s["solver"]["ksp_iterations"], "wall": wall,
            "time": {"mesh": t["mesh"] + t["distribute"], "setup": t["setup"],
                     "assembly": log_event(logtxt, "SNESJacobianEval") + log_event(logtxt, "SNESFunctionEval"),
                     "pcsetup": log_event(logtxt, "PCSetUp"), "krylov": log_event(logtxt, "KSPSolve"), "solve": t["solve"]}}


def best(rows):
    """Of repeated runs, the one with the smallest set-up + solve time (contention)."""
    return min(rows, key=lambda r: total(r))


def total(r):
    t = r["time"]
    return t["setup"] + (t["solve"] if "solve" in t else t["assembly"] + t["pcsetup"] + t["krylov"])


def load():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--worker", action="store_true")
    ap.add_argument("--problem", default="A")
    ap.add_argument("--h5")
    ap.add_argument("--json")
    ap.add_argument("--pc", default="gamg")
    ap.add_argument("--sigmas", default="")
    ap.add_argument("--degree", type=int, default=1)
    ap.add_argument("--p2-only", help="add the P2 reference of problem B to this results.json (meshes from an earlier run)")
    ap.add_argument("--npp", default=os.path.join(ROOT, "build", "npp"))
    ap.add_argument("--problems", default="A,B")
    ap.add_argument("--ranks", default="1,2")
    ap.add_argument("--rtol", type=float, default=1e-8)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--pcs", default="gamg,hypre", help="FEniCSx preconditioners")
    ap.add_argument("--mms-sizes", default="0.125,0.088,0.0625,0.044,0.03125")
    ap.add_argument("--composite-sizes", default="2.4e-6,1.9e-6,1.6e-6,1.3e-6,1.1e-6")
    ap.add_argument("--out", default="/tmp/fenics_compare")
    ap.add_argument("--report", default="/tmp/fenics_section.md")
    ap.add_argument("--from-json", help="only write the report from a results.json of an earlier run")
    a = ap.parse_args()
    if a.worker:
        return worker(a)
    if a.from_json:
        with open(a.from_json) as f:
            return report(a, json.load(f))
    if a.p2_only:
        with open(a.p2_only) as f:
            results = json.load(f)
        results["B_p2"] = p2_reference(a, results["B"])
        with open(a.p2_only, "w") as f:
            json.dump(results, f, indent=1)
        return report(a, results)
    os.makedirs(a.out, exist_ok=True)
    ranks = [int(r) for r in a.ranks.split(",")]
    pcs = a.pcs.split(",")
    results = {"A": [], "B": []}
    solver_npp = ["-snes_type", "ksponly", "-ksp_rtol", str(a.rtol)]
    for prob in a.problems.split(","):
        sizes = [float(s) for s in (a.mms_sizes if prob == "A" else a.composite_sizes).split(",")]
        for lev, hsz in enumerate(sizes):
            gen = os.path.join(a.out, f"{prob}{lev}_gen")
            if prob == "A":
                base = ["-mesh_dim", "3", "-region_names", "domain", "-region_domain_conductivity", str(SIGMA_MMS), "-mms_solution", "cosine"]
                genargs = base + ["-mesh_generator", "layers", "-mesh_layers_thickness", "1", "-mesh_layers_regions", "domain",
                                  "-mesh_layers_width", "1,1", "-mesh_size", str(hsz), "-mesh_layers_structured", "0"]
            else:
                base = [os.path.join(ROOT, "cases", "composite")]
                genargs = base + ["-mesh_size", str(hsz), "-mesh_interface_size", str(hsz / 2)]
            s, _, _ = npp_run(a, genargs, gen, 1, log=False)
            msh = os.path.join(gen, "mesh.msh")
            h5 = os.path.join(gen, "solution.h5")
            fileargs = base + ["-mesh_generator", "file", "-mesh_file", msh]
            if prob == "B":
                sigmas = ",".join(str(r["conductivity"]) for r in s["regions"])
            for r in ranks:
                rows = []
                for rep in range(a.repeats):
                    out = os.path.join(a.out, f"{prob}{lev}_npp_np{r}")
                    s2, txt, wall = npp_run(a, fileargs + solver_npp, out, r)
                    row = npp_row(s2, txt, wall, r)
                    row["load"] = load()
                    if prob == "A":
                        row.update(npp_errors(out))
                        row["err_summary"] = s2["mms"]["l2_error"]
                    else:
                        row["sigma_eff"] = s2["effective_conductivity"]
                        row["ceramic_fraction"] = s2["microstructure"]["regions"]["ceramic"]["volume_fraction"]
                    rows.append(row)
                row = best(rows)
                row.update(level=lev, size=hsz)
                results[prob].append(row)
                print(json.dumps(row), flush=True)
                for pc in pcs:
                    rows = []
                    for rep in range(a.repeats):
                        rr = fenics_run(a, prob, h5, r, pc, a.rtol, f"{prob}{lev}_{pc}_np{r}", sigmas if prob == "B" else "")
                        rr["load"] = load()
                        rows.append(rr)
                    rr = best(rows)
                    rr.update(level=lev, size=hsz)
                    results[prob].append(rr)
                    print(json.dumps(rr), flush=True)
        # algebraic error check: finest level, 1 rank, rtol 1e-12
        lev = len(sizes) - 1
        gen = os.path.join(a.out, f"{prob}{lev}_gen")
        base = (["-mesh_dim", "3", "-region_names", "domain", "-region_domain_conductivity", str(SIGMA_MMS), "-mms_solution", "cosine"]
                if prob == "A" else [os.path.join(ROOT, "cases", "composite")])
        out = os.path.join(a.out, f"{prob}{lev}_npp_tight")
        s2, txt, wall = npp_run(a, base + ["-mesh_generator", "file", "-mesh_file", os.path.join(gen, "mesh.msh"), "-snes_type", "ksponly", "-ksp_rtol", "1e-12"], out, 1)
        chk = {"npp": npp_errors(out) if prob == "A" else {"sigma_eff": s2["effective_conductivity"]}}
        for pc in pcs[:1]:
            rr = fenics_run(a, prob, os.path.join(gen, "solution.h5"), 1, pc, 1e-12, f"{prob}{lev}_tight",
                            ",".join(str(r["conductivity"]) for r in s2["regions"]) if prob == "B" else "")
            chk["fenics"] = {k: rr[k] for k in rr if k.startswith("err") or k == "sigma_eff"}
        results[prob + "_tight"] = chk
        if prob == "B":
            results["B_p2"] = p2_reference(a, results["B"])
        print("rtol 1e-12 check:", json.dumps(chk), flush=True)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    report(a, results)


# ----------------------------------------------------------------------------------------------
# report
# ----------------------------------------------------------------------------------------------
def fit_order(cells, e):
    """Observed order in h = cells^(-1/3): least-squares slope of log e against log h."""
    import numpy as np
    return float(np.polyfit(np.log(np.asarray(cells, float) ** (-1 / 3)), np.log(e), 1)[0])


def solve_time(r):
    t = r["time"]
    return t["solve"] if "solve" in t else t["assembly"] + t["pcsetup"] + t["krylov"]


def label(r):
    return "npp FV (GMRES+GAMG)" if r["code"] == "npp FV" else f"{r['code']} (CG+{'BoomerAMG' if r['pc'] == 'hypre' else 'GAMG'})"


def time_to_reach(rows, key, target):
    """Smallest measured set-up + solve time among runs whose error is <= target, with its cells."""
    ok = [(total(r), r["cells"]) for r in rows if r[key] <= target]
    return min(ok) if ok else None


def richardson(rows):
    """Per code (1-rank runs): fit s = s0 + C h^p (h = cells^-1/3) to the three finest levels
    (p scanned over [0.5, 3]) and also the plain two-finest extrapolation with p = 2 (P1) / the
    fitted p. Returns {code: (s0, p)}."""
    import numpy as np
    ex = {}
    for code in ["npp FV", "FEniCSx P1", "FEniCSx P2"]:
        rr = sorted([r for r in rows if r["code"] == code and r["ranks"] == 1 and r["pc"] in ("gamg", "hypre")], key=lambda r: r["cells"])
        rr = [r for r in rr if r["pc"] == rr[0]["pc"]] if rr else rr
        if len(rr) < 3:
            continue
        h = np.array([r["cells"] ** (-1 / 3) for r in rr])[-3:]
        s = np.array([r["sigma_eff"] for r in rr])[-3:]
        best_ = None
        for p in np.linspace(0.5, 3, 251):
            M = np.stack([np.ones(3), h ** p], 1)
            coef = np.linalg.lstsq(M, s, rcond=None)[0]
            res = float(np.sum((M @ coef - s) ** 2))
            if best_ is None or res < best_[0]:
                best_ = (res, float(coef[0]), float(p))
        ex[code] = (best_[1], best_[2])
    return ex


def report(a, res):
    L = []
    L.append("## Against FEniCSx\n\n")
    L.append("`bench/fenics_compare.py` solves the same steady conduction problem −∇·(σ∇φ) = f with npp (cell-centred FV, "
             "one unknown per cell) and FEniCSx 0.5.2 (Debian 12 `python3-dolfinx`, P1 Lagrange, one unknown per vertex) on "
             "**the same tetrahedra**: npp generates each mesh once and both codes read it (npp with `-mesh_generator file`, "
             "FEniCSx from the cells and vertices npp wrote to `solution.h5`, via `dolfinx.mesh.create_mesh`). Same PETSc 3.18.5, "
             f"same relative tolerance {a.rtol:g} on the unpreconditioned residual, zero initial guess, one linear solve "
             "(npp: `-snes_type ksponly -ksp_rtol " + f"{a.rtol:g}" + "`, GMRES(100) + GAMG on its non-symmetric corrected operator; "
             "FEniCSx: CG + GAMG and CG + hypre BoomerAMG, PETSc defaults otherwise).\n\n"
             "Times (best of " + str(a.repeats) + " runs, max over ranks): *set-up* = npp's geometry, stencils and preallocation / "
             "FEniCSx's function space, boundary dofs and matrix sparsity; *assembly* = npp's residual + Jacobian "
             "(`-log_view` SNESFunctionEval + SNESJacobianEval) / FEniCSx's matrix, vector and lifting; *AMG set-up* = PCSetUp; "
             "*Krylov* = KSPSolve; *set-up + solve* = npp's summary set-up + solve / FEniCSx's set-up + assembly + AMG set-up + Krylov. "
             "Not included: mesh reading and distribution (column *mesh*), FEniCSx's form processing and JIT (cached: "
             "0.01–1 s per run, independent of the mesh), output and error evaluation.\n\n")
    if res.get("A"):
        rows = res["A"]
        L.append("### A. Manufactured solution (exact)\n\n")
        L.append("npp's `-mms_solution cosine`: unit cube, σ = 2 S/m, φ = cos πx cos πy cos πz + x + y/2 + z/3, "
                 "f = 3σπ² cos πx cos πy cos πz (npp: at the cell centroid; FEniCSx: the UFL expression, degree-4 quadrature), "
                 "Dirichlet data from φ on the whole boundary (npp: at the face centroids; FEniCSx: nodal interpolation). "
                 "Gmsh tetrahedra from npp's `layers` generator (`-mesh_layers_structured 0`). Errors (quadrature of degree 8):\n\n"
                 "- **e_avg** = (Σ_K |K| (ū_K − φ̄_K)²)^½, φ̄_K the exact cell average; ū_K is npp's cell value or the P1 "
                 "field's cell average (its value at the centroid). The same discrete norm for both codes.\n"
                 "- **e_cent** = (Σ_K |K| (u_K − φ(x_K))²)^½, against the exact value at the centroid (npp's own `mms.l2_error`).\n"
                 "- **e_L2** = ‖u_h − φ‖_L2 of each code's natural field: npp's piecewise constant cell values (first order by "
                 "construction) and FEniCSx's P1 field. **e_L2,rec**: npp's cell values with its cell gradient, "
                 "u_K − j_K/σ·(x − x_K) (discontinuous piecewise linear, from the `current_density` npp writes).\n\n")
        L.append("| code | cells | unknowns | ranks | mesh (s) | set-up (s) | assembly (s) | AMG set-up (s) | Krylov (s) | "
                 "set-up + solve (s) | Krylov its | e_avg | e_cent | e_L2 | e_L2,rec |\n|" + "---|" * 15 + "\n")
        for r in sorted(rows, key=lambda r: (r["ranks"], r["code"] != "npp FV", r["pc"], r["cells"])):
            t = r["time"]
            rec = f"{r['err_L2_recon']:.3e}" if "err_L2_recon" in r else "–"
            L.append(f"| {label(r)} | {r['cells']} | {r['unknowns']} | {r['ranks']} | {t['mesh']:.2f} | {t['setup']:.2f} | "
                     f"{t['assembly']:.2f} | {t['pcsetup']:.2f} | {t['krylov']:.2f} | {total(r):.2f} | {r['its']} | "
                     f"{r['err_avg']:.3e} | {r['err_centroid']:.3e} | {r['err_L2']:.3e} | {rec} |\n")
        L.append("\nObserved orders (slope in h = cells^−1/3, all levels, 1 rank):\n\n| code | e_avg | e_cent | e_L2 | e_L2,rec |\n|---|---|---|---|---|\n")
        for code, pc in [("npp FV", "gamg"), ("FEniCSx P1", "gamg")]:
            rr = sorted([r for r in rows if r["code"] == code and r["pc"] == pc and r["ranks"] == 1], key=lambda r: r["cells"])
            c = [r["cells"] for r in rr]
            o = [fit_order(c, [r[k] for r in rr]) for k in ["err_avg", "err_centroid", "err_L2"]]
            rec = f"{fit_order(c, [r['err_L2_recon'] for r in rr]):.2f}" if code == "npp FV" else "–"
            L.append(f"| {code} | {o[0]:.2f} | {o[1]:.2f} | {o[2]:.2f} | {rec} |\n")
        # time to accuracy: targets between the coarsest and finest errors
        L.append("\nTime to reach an error (smallest measured set-up + solve among the levels that reach it; "
                 "cells of that mesh in brackets; – = not reached on these meshes):\n\n")
        targets = [1e-2, 3e-3, 1e-3, 3e-4]
        for key, name in [("err_avg", "e_avg"), ("err_L2", "e_L2 (natural fields)"), ("err_L2_recon", "e_L2 (npp reconstructed vs P1)")]:
            L.append(f"| {name} | " + " | ".join(f"≤ {x:g}" for x in targets) + " |\n|---|" + "---|" * len(targets) + "\n")
            for code, pc in [("npp FV", "gamg"), ("FEniCSx P1", "gamg"), ("FEniCSx P1", "hypre")]:
                for nr in sorted({r["ranks"] for r in rows}):
                    rr = [dict(r, err_L2_recon=r.get("err_L2_recon", r["err_L2"])) for r in rows if r["code"] == code and r["pc"] == pc and r["ranks"] == nr]
                    if not rr:
                        continue
                    cells_ = []
                    for x in targets:
                        t = time_to_reach(rr, key, x)
                        cells_.append(f"{t[0]:.2f} s ({t[1]})" if t else "–")
                    L.append(f"| {label(rr[0])}, {nr} rank{'s' if nr > 1 else ''} | " + " | ".join(cells_) + " |\n")
            L.append("\n")
        if res.get("A_tight"):
            L.append(f"Algebraic error: at rtol 10⁻¹² on the finest mesh the errors are npp e_avg {res['A_tight']['npp']['err_avg']:.6e}, "
                     f"FEniCSx e_avg {res['A_tight']['fenics']['err_avg']:.6e} (compare the rtol {a.rtol:g} rows).\n\n")
    if res.get("B"):
        rows = res["B"]
        p2 = {r["level"]: r for r in res.get("B_p2", [])}
        ex = richardson(rows + list(p2.values()))
        ref_code = "FEniCSx P2" if "FEniCSx P2" in ex else "FEniCSx P1"
        ref = ex[ref_code][0]
        for r in rows:
            r["err_mesh"] = abs(r["sigma_eff"] - p2[r["level"]]["sigma_eff"]) / p2[r["level"]]["sigma_eff"] if r["level"] in p2 else float("nan")
        L.append("### B. Effective conductivity of `cases/composite`\n\n")
        L.append("LLZTO spheres (25 vol% target) in PHLP, σ = 2.6·10⁻² / 1.04·10⁻² S/m (ratio 2.5), 20 µm box, contacts at x = 0 "
                 "and x = 20 µm, other faces insulating; Gmsh meshes from npp's `particles` generator at `-mesh_size` "
                 f"{', '.join(f'{r:g}' for r in sorted({r['size'] for r in rows}, reverse=True))} m with `-mesh_interface_size` half of it. "
                 "npp: σ_eff from its face fluxes at the contact (`summary.json`); FEniCSx: from the current through the x = L contact "
                 "as the variational (reaction) flux, I = ∫ σ∇φ_h·∇w dx with w the P1 function equal to 1 on that contact's vertices, "
                 "σ_eff = I L/(V A). FEniCSx runs in µm with σ relative to the polymer's (O(1) matrix entries).\n\n")
        L.append("Two references. (1) **Same mesh**: FEniCSx P2 (CG + BoomerAMG, rtol 10⁻¹⁰) on each mesh, i.e. the same faceted "
                 "geometry; *err. mesh* is then the discretisation error of each solver alone (P2 itself is not exact: see below). "
                 "(2) **Continuum**: the particle surfaces are faceted, and the ceramic volume fraction of the meshes grows from "
                 + (f"{min(r['ceramic_fraction'] for r in rows):.4f} to {max(r['ceramic_fraction'] for r in rows):.4f}" if rows else "") +
                 " with refinement (the spheres' exact fraction in the box: 0.2592), an error both codes share. Richardson extrapolation of "
                 "each code's three finest 1-rank results, σ = σ₀ + C h^p (h = cells^−1/3, p fitted in [0.5, 3]): " +
                 "; ".join(f"{c} σ₀ = {v[0]:.6g} S/m (p = {v[1]:.2f})" for c, v in ex.items()) +
                 f". *err. cont.* is against the {ref_code} value; the spread of the extrapolations "
                 f"({(max(v[0] for v in ex.values()) - min(v[0] for v in ex.values())) / ref * 100:.2f} %) is the uncertainty of that reference.\n\n")
        L.append("| code | cells | unknowns | ranks | mesh (s) | set-up (s) | assembly (s) | AMG set-up (s) | Krylov (s) | "
                 "set-up + solve (s) | Krylov its | σ_eff (S/m) | err. mesh | err. cont. |\n|" + "---|" * 14 + "\n")
        for r in sorted(rows, key=lambda r: (r["ranks"], r["code"] != "npp FV", r["pc"], r["cells"])):
            t = r["time"]
            r["err_rel"] = abs(r["sigma_eff"] - ref) / ref
            L.append(f"| {label(r)} | {r['cells']} | {r['unknowns']} | {r['ranks']} | {t['mesh']:.2f} | {t['setup']:.2f} | "
                     f"{t['assembly']:.2f} | {t['pcsetup']:.2f} | {t['krylov']:.2f} | {total(r):.2f} | {r['its']} | "
                     f"{r['sigma_eff']:.6g} | {r['err_mesh'] * 100 * (1 if r['sigma_eff'] >= p2.get(r['level'], r)['sigma_eff'] else -1):+.2f} % | "
                     f"{(r['sigma_eff'] - ref) / ref * 100:+.2f} % |\n")
        for lev, r in sorted(p2.items()):
            t = r["time"]
            L.append(f"| FEniCSx P2 (CG+BoomerAMG), reference | {r['cells']} | {r['unknowns']} | 1 | {t['mesh']:.2f} | {t['setup']:.2f} | "
                     f"{t['assembly']:.2f} | {t['pcsetup']:.2f} | {t['krylov']:.2f} | {total(r):.2f} | {r['its']} | {r['sigma_eff']:.6g} | 0 | "
                     f"{(r['sigma_eff'] - ref) / ref * 100:+.2f} % |\n")
        targets = [0.03, 0.01, 0.003, 0.001]
        for key, name in [("err_mesh", "err. mesh"), ("err_rel", "err. cont.")]:
            L.append(f"\nTime to reach an error in σ_eff, {name} (smallest measured set-up + solve; cells in brackets):\n\n| code | "
                     + " | ".join(f"≤ {x * 100:g} %" for x in targets) + " |\n|---|" + "---|" * len(targets) + "\n")
            for code, pc in [("npp FV", "gamg"), ("FEniCSx P1", "gamg"), ("FEniCSx P1", "hypre")]:
                for nr in sorted({r["ranks"] for r in rows}):
                    rr = [r for r in rows if r["code"] == code and r["pc"] == pc and r["ranks"] == nr]
                    if rr:
                        cs = []
                        for x in targets:
                            t = time_to_reach(rr, key, x)
                            cs.append(f"{t[0]:.2f} s ({t[1]})" if t else "–")
                        L.append(f"| {label(rr[0])}, {nr} rank{'s' if nr > 1 else ''} | " + " | ".join(cs) + " |\n")
        if res.get("B_tight"):
            L.append(f"\nAlgebraic error: at rtol 10⁻¹² on the finest mesh σ_eff is {res['B_tight']['npp']['sigma_eff']:.8g} (npp) and "
                     f"{res['B_tight']['fenics']['sigma_eff']:.8g} (FEniCSx).\n")
        L.append("\n")
    loads = [r.get("load", float("nan")) for k in ("A", "B") for r in res.get(k, [])]
    if loads:
        L.append(f"Machine: 2 cores shared with other jobs during the runs (1-min load average {min(loads):.1f}–{max(loads):.1f} "
                 "at the end of the runs kept), so times are upper bounds and the 2-rank rows suffer most.\n")
    text = "".join(L)
    print(text)
    with open(a.report, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
