# SPDX-License-Identifier: BSD-2-Clause
"""Space-charge layers at a polymer | ceramic junction. 1-D: a polymer electrolyte (Li+ and anion at
c0, eps_p) on [0, Lp], a single-ion ceramic (only Li+, at c_c on the immobile background -F c_c,
eps_c) on [Lp, Lp + Lc]. The standard chemical potential of Li+ jumps by dmu0 = mu0_c - mu0_p at
the interface. x = 0 is a reservoir of the polymer bulk at potential 0; x = Lp + Lc is blocking
and insulating. The steady state is the equilibrium, where it is exactly known:

- the Li+ electrochemical potential mu0 + RT ln c + F phi is uniform (anion: RT ln c - F phi in
  the polymer), so at the interface (phi continuous) c_c(i)/c_p(i) = exp(-dmu0/RT);
- the bulks are neutral: the polymer at phi_p = 0, the ceramic at c_c and, from the uniform
  electrochemical potential, phi_c = -(dmu0 + RT ln(c_c/c0)) / F (total drop, thermodynamic);
- the split of the drop follows from the first integrals of Poisson-Boltzmann, integrated from
  each bulk (where phi' = 0) to the interface, with u = (phi - phi_bulk)/VT:
    polymer, rho = -2 F c0 sinh u:           (eps_p/2) phi'^2 = RT c0 (2 cosh u_p - 2)
    ceramic, rho = F c_c (exp(-u) - 1):      (eps_c/2) phi'^2 = RT c_c (exp(-u_c) - 1 + u_c)
  (d/dx of the left side is eps phi' phi'' = -rho phi'; integrate -rho dphi from the bulk), and
  continuity of eps phi' at the interface (no interfacial charge). phi must be monotone between
  the two bulk potentials (phi' has one sign at the interface from both sides), so phi_i lies
  between them and eps_p c0 (2 cosh u_p - 2) = eps_c c_c (exp(-u_c) - 1 + u_c) has one root
  there, found by bisection. For a depleted ceramic (u_c >> 1) the right side is the
  Mott-Schottky u_c - 1; eps phi' at the interface is also the space charge of each side,
  Q_p = -Q_c = -eps_p phi'_p(i) (Gauss, phi' = 0 in the bulks);
- the polymer side is a Gouy-Chapman layer of interface potential phi_i:
    phi(x) = 4 VT artanh(tanh(u_p/4) exp(-(Lp - x)/lambda_p)).
Both signs of dmu0 are run: dmu0 > 0 accumulates Li+ in the polymer and depletes the ceramic,
dmu0 < 0 the reverse; +3 and -5 RT converge from the cold start, +10 RT (a 11 VT drop) needs the
continuation. Both layers are > 30 Debye lengths thick and graded towards both of their ends
(Gmsh bump), so the cells at the interface are ~0.01 Debye lengths. All errors are
discretisation errors: they fall 4x when the mesh size is halved."""
import argparse
import math
import os

import numpy as np
from npptest import OUT, run, read_xdmf, check, close, finish

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=1)
ap.add_argument("--dmu0", default="3,-5,10", help="mu0_ceramic - mu0_polymer of Li+, in RT (comma list)")
ap.add_argument("--tol", type=float, default=1e-2)
a = ap.parse_args()

F, R, T, EPS0 = 96485.33212, 8.314462618, 298.15, 8.8541878128e-12
RT = R * T
VT = RT / F
c0, cc = 10.0, 40.0                  # polymer salt and ceramic Li+ concentrations, mol/m^3
eps_p, eps_c = 10.0, 50.0            # relative permittivities
Lp, Lc = 4e-8, 6e-8                  # layer thicknesses, m
lam_p = math.sqrt(EPS0 * eps_p * RT / (2 * F * F * c0))   # 1.09 nm: Lp = 37 lambda_p
lam_c = math.sqrt(EPS0 * eps_c * RT / (F * F * cc))       # 1.72 nm: Lc = 35 lambda_c


def theory(dmu0):
    """Bulk ceramic potential, interface potential (V), interface field eps0 eps_p phi'_p(i) (C/m^2)."""
    phi_c = -(dmu0 + RT * math.log(cc / c0)) / F

    def g(phi_i):                    # eps0 (eps phi')^2 / (2 RT) from the polymer minus from the ceramic
        up, uc = phi_i / VT, (phi_i - phi_c) / VT
        return eps_p * c0 * (2 * math.cosh(up) - 2) - eps_c * cc * (math.exp(-uc) - 1 + uc)

    lo, hi = 0.0, phi_c              # g(0) < 0 < g(phi_c): bisection to round-off
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if g(mid) < 0:
            lo = mid
        else:
            hi = mid
    phi_i = 0.5 * (lo + hi)
    up = phi_i / VT
    # polymer on the left of the interface: phi rises towards it iff u_p > 0
    D = math.copysign(math.sqrt(2 * EPS0 * eps_p * RT * c0 * (2 * math.cosh(up) - 2)), up)
    return phi_c, phi_i, D


def extrapolate(x, y, x0):
    """Value at x0 of the parabola through three points (x scaled for conditioning)."""
    s = np.max(np.abs(x - x0))
    return float(np.polyval(np.polyfit((x - x0) / s, y, 2), 0.0))


for m in (float(v) for v in a.dmu0.split(",")):
    dmu0 = m * RT
    phi_c, phi_i, D = theory(dmu0)
    print(f"--- dmu0 = {m:+g} RT: analytic phi_ceramic {phi_c / VT:+.6f} VT, phi_interface {phi_i / VT:+.6f} VT "
          f"(polymer {phi_i / VT:+.4f} VT, ceramic {(phi_c - phi_i) / VT:+.4f} VT), Debye lengths {lam_p:.3e}, {lam_c:.3e} m")
    o = {"mesh_generator": "layers", "mesh_dim": 1, "mesh_layers_thickness": [Lp, Lc],
         "mesh_layers_regions": ["polymer", "ceramic"], "mesh_size": 2.5e-10, "mesh_layers_bump": [0.02, 0.02],
         "region_names": ["polymer", "ceramic"], "physics_electroneutral": "false",
         "region_polymer_li_concentration": c0, "region_polymer_anion_concentration": c0,
         "region_polymer_li_diffusivity": 1e-11, "region_polymer_anion_diffusivity": 2e-11,
         "region_polymer_permittivity": eps_p,
         "region_ceramic_li_concentration": cc, "region_ceramic_li_diffusivity": 1e-12,
         "region_ceramic_permittivity": eps_c, "region_ceramic_li_mu0": dmu0,
         # xmin: potential 0 and (default) both species held at the polymer bulk; xmax is not
         # named: insulating and blocking
         "bc_names": ["xmin"], "bc_xmin_potential": 0.0}
    name = f"space_charge_{'p' if m > 0 else 'm'}{abs(m):g}RT_np{a.ranks}"
    s, _ = run(name, o, a.ranks)
    xc, steps = read_xdmf(os.path.join(OUT, name))
    order = np.argsort(xc[:, 0])
    x = xc[order, 0]
    f = {k: v[order] for k, v in steps[-1][1].items()}
    print(f"{s['cells']} cells, smallest {s['mesh']['min_cell_size']:.3e} m, Newton {s['solver']['snes_iterations']}, "
          f"continuation: {s['solver']['continuation']}")
    cer = f["region"] == 1
    pol = ~cer
    check(np.all(pol == (x < Lp)) and len(np.unique(f["rank"])) == a.ranks,
          f"cells of x < Lp are polymer, the others ceramic; cells from {a.ranks} rank(s)")
    phi, cli, can = f["potential"], f["c_li"], f["c_anion"]

    # equilibrium: electrochemical potentials uniform (the SG fluxes vanish exactly at the
    # discrete equilibrium, so this holds to the Newton tolerance on any mesh)
    mu_li = np.where(cer, m, 0.0) + np.log(cli / c0) + phi / VT
    mu_an = np.log(can[pol] / c0) - phi[pol] / VT
    spread_li, spread_an = np.ptp(mu_li), np.ptp(mu_an)
    check(spread_li < 1e-6, f"Li+ electrochemical potential uniform: spread {spread_li:.2e} RT over all cells (< 1e-6)")
    check(spread_an < 1e-6, f"anion electrochemical potential uniform in the polymer: spread {spread_an:.2e} RT (< 1e-6)")

    # bulks: the first cell sits at the reservoir, the last at the insulating end of the ceramic,
    # both > 20 Debye lengths from the interface (exp(-20) ~ 2e-9)
    check(abs(phi[0]) < 1e-6 * abs(phi_c), f"polymer bulk at the reservoir potential: phi(first cell) = {phi[0]:.2e} V")
    close(phi[-1], phi_c, a.tol, f"dmu0 {m:+g} RT: total drop polymer bulk -> ceramic bulk (V)")
    close(cli[-1], cc, a.tol, f"dmu0 {m:+g} RT: ceramic bulk Li+ (mol/m^3)")

    # Interface values. The interface is a face; every field jumps or kinks there. Each side is
    # extrapolated on its own with the parabola through its last three cells (graded to
    # ~0.01 Debye lengths: the extrapolation error is ~(h/lambda)^3); phi from both sides must
    # agree (continuity), and their mean is taken. ln c_li is extrapolated rather than c_li: it
    # is a linear function of phi in each region at equilibrium, so the ratio of the
    # extrapolated concentrations tests the same continuity through the mu0 jump. For
    # comparison the flux-continuity face value of the two-point scheme,
    # (eps_p phi_K/d_K + eps_c phi_L/d_L)/(eps_p/d_K + eps_c/d_L), is printed (first order).
    ip, ic = np.nonzero(pol)[0][-3:], np.nonzero(cer)[0][:3]
    fc = np.zeros(len(x) + 1)
    for k, xk in enumerate(x):      # 1-D faces from the centroids (cell midpoints), from x = 0
        fc[k + 1] = 2 * xk - fc[k]
    xi = fc[ip[-1] + 1]
    check(abs(xi - Lp) < 1e-9 * Lp, f"interface face at {xi:.12e} m = Lp")
    phi_ip, phi_ic = extrapolate(x[ip], phi[ip], xi), extrapolate(x[ic], phi[ic], xi)
    dK, dL = xi - x[ip[-1]], x[ic[0]] - xi
    phi_face = (eps_p * phi[ip[-1]] / dK + eps_c * phi[ic[0]] / dL) / (eps_p / dK + eps_c / dL)
    phi_num = 0.5 * (phi_ip + phi_ic)
    print(f"interface potential: polymer side {phi_ip / VT:+.6f} VT, ceramic side {phi_ic / VT:+.6f} VT, "
          f"two-point face value {phi_face / VT:+.6f} VT, analytic {phi_i / VT:+.6f} VT")
    check(abs(phi_ip - phi_ic) < 1e-3 * abs(phi_c), f"potential continuous at the interface: sides differ by {abs(phi_ip - phi_ic) / abs(phi_c):.2e} of the drop (< 1e-3)")
    close(phi_num, phi_i, a.tol, f"dmu0 {m:+g} RT: polymer-side drop phi_i - phi_p (V)")
    close(phi[-1] - phi_num, phi_c - phi_i, a.tol, f"dmu0 {m:+g} RT: ceramic-side drop phi_c - phi_i (V)")
    ratio = math.exp(extrapolate(x[ic], np.log(cli[ic]), xi) - extrapolate(x[ip], np.log(cli[ip]), xi))
    close(ratio, math.exp(-m), a.tol, f"dmu0 {m:+g} RT: interfacial Li+ ratio c_ceramic/c_polymer vs exp(-dmu0/RT)")

    # space charge of each side (midpoint rule = the discrete Gauss law) vs eps phi'(i)
    q = f["charge_density"] * np.diff(fc)
    Qp, Qc = float(np.sum(q[pol])), float(np.sum(q[cer]))
    close(Qp, -D, a.tol, f"dmu0 {m:+g} RT: polymer space charge (C/m^2) vs -eps_p phi'(i)")
    close(Qc, D, a.tol, f"dmu0 {m:+g} RT: ceramic space charge (C/m^2) vs +eps_p phi'(i)")
    check(abs(s["balance"]["total_charge"]) < 1e-6 * abs(D), f"junction neutral: total charge {s['balance']['total_charge']:.2e} C/m^2 (< 1e-6 of one side's)")

    # the polymer profile is Gouy-Chapman from the analytic interface potential
    gc = 4 * VT * np.arctanh(math.tanh(phi_i / (4 * VT)) * np.exp(-(Lp - x[pol]) / lam_p))
    err = np.max(np.abs(phi[pol] - gc)) / abs(phi_c)
    check(err < a.tol, f"dmu0 {m:+g} RT: polymer potential vs Gouy-Chapman: max error {err:.2e} of the drop (< {a.tol:g})")
finish()
