# SPDX-License-Identifier: BSD-2-Clause
"""Galvanostatic 1-D binary electrolyte (electroneutral model), Li+ injected at x = 0 and removed
at x = L, anion blocked at both walls.

With c = c_li = c_anion and zero anion flux at the walls, eliminating the potential gives the salt
equation dc/dt = D_amb c'' (D_amb = 2 D+ D- / (D+ + D-)) with wall gradient c'(L) = -g,
g = N / (2 D+), at the cathode (and +g at the anode), N the Li flux in mol m^-2 s^-1.
(a) Sand: while the layers are thin against L (t_s = 0.02 L^2/D_amb here, so a layer reaches the
    far wall with weight erfc(3.5) ~ 1e-6) the cathode concentration is
    c_wall(t) = c0 (1 - sqrt(t/t_s)),  t_s = pi c0^2 / (4 g^2 D_amb) = pi D_amb (c0 F)^2 / (4 (i (1 - t+))^2).
    c_wall is the last cell's value extrapolated to the wall with the exact wall gradient -g (the
    next Taylor term, c''d^2/2 = (dc/dt / D_amb) d^2/2, is ~1e-3 mol/m^3 for the last centroid's
    distance d ~ 3e-8 m); a straight line through c_wall against sqrt(t) over the outputs from
    0.6 t_s to 0.95 t_s, extrapolated to zero, measures the time the cathode runs out of salt.
    The whole profile is compared with the erfc solution, its error is shown to be second order
    in h, and the Li and anion amounts must stay at their initial values (fluxes in = out).
(b) Below the limiting current, after 8 L^2/D_amb (the slowest mode has decayed by e^-79), the
    steady profile is linear with slope -g and mean c0 (salt conserved), and the anion, at zero
    flux everywhere, is in equilibrium: phi = V_T ln(c) + const.
(c) Mass conservation with a real boundary inflow: salt (both ions) diffusing in from a reservoir
    at 1.5 c0 (backward Euler, the default), the summary's amount minus the initial amount against
    its time-integrated boundary inflow.

Time steps: the step controller's default tolerances (rtol 1e-3, atol 1e-4 of the reference
concentration; -ts_rtol/-ts_atol change them) let the BDF2 time error reach ~5e-4 c0 here, above
the spatial error; (a) caps the step at 1e-3 t_s with
-ts_adapt_dt_max, after which the result no longer depends on the step (fixed steps of
2.5e-4 t_s agree to 2e-7 c0 from 0.1 t_s on)."""
import argparse
import math
import os
import numpy as np
from npptest import OUT, run, check, close, finish, read_xdmf

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=1)
a = ap.parse_args()
R, T, F = 8.314462618, 298.15, 96485.33212
VT = R * T / F
c0, Dp, Dm, L = 1000.0, 1e-11, 1.5e-11, 1e-4
Damb = 2 * Dp * Dm / (Dp + Dm)
tplus = Dp / (Dp + Dm)
N = 1.25e-3                        # mol m^-2 s^-1, i = F N = 121 A/m^2
g = N / (2 * Dp)
ts = math.pi * c0 ** 2 / (4 * g * g * Damb)
close(ts, math.pi * Damb * (c0 * F) ** 2 / (4 * (F * N * (1 - tplus)) ** 2), 1e-12, "Sand time: the two textbook forms agree")
print(f"D_amb {Damb:.3e} m^2/s, L^2/D_amb {L * L / Damb:.1f} s, Sand time {ts:.4f} s = {ts * Damb / L ** 2:.3f} L^2/D_amb")
base = {"mesh_generator": "layers", "mesh_dim": 1, "mesh_layers_thickness": [L], "mesh_layers_regions": ["electrolyte"],
        "mesh_size": 5e-7, "mesh_layers_bump": [0.05], "region_names": ["electrolyte"],
        "region_electrolyte_li_concentration": c0, "region_electrolyte_anion_concentration": c0,
        "region_electrolyte_li_diffusivity": Dp, "region_electrolyte_anion_diffusivity": Dm,
        "bc_names": ["xmin", "xmax"], "ts_type": "bdf"}


def layer(xi, t):
    """Semi-infinite constant-gradient (g) solution: depletion at distance xi from the wall."""
    s = 2 * math.sqrt(Damb * t)
    return g * (s / math.sqrt(math.pi) * np.exp(-(xi / s) ** 2) - xi * np.array([math.erfc(v / s) for v in xi]))


def sand_run(name, h, t_final, fractions):
    o = dict(base, mesh_size=h, bc_xmin_li_flux=-N, bc_xmax_li_flux=N, time_final=t_final, time_step=1e-6 * ts,
             ts_adapt_dt_max=1e-3 * ts, time_output_times=[f * ts for f in fractions])
    s, _ = run(name, o, a.ranks)
    x, steps = read_xdmf(os.path.join(OUT, name))
    xc = x[:, 0]
    res = []
    for t, f in steps[1:]:
        exact = c0 - layer(L - xc, t) + layer(xc, t)   # depleted at the cathode, enriched at the anode
        res.append((t, f, float(np.max(np.abs(f["c_li"] - exact))) / c0))
    return s, xc, res


# (a) Sand's time
fr = [0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
s, xc, res = sand_run(f"sand_np{a.ranks}", 5e-7, 0.95 * ts, fr)
i = int(np.argmax(xc))
d = L - xc[i]                      # distance of the last centroid from the cathode
print(f"{s['cells']} cells (smallest {s['mesh']['min_cell_size']:.1e} m), last centre {d:.2e} m from the wall; "
      f"{s['solver']['steps']} steps, {s['solver']['snes_iterations']} Newton")
tt, cw, cw_err = [], [], []
for t, f, err in res:
    tt.append(t)
    cw.append(f["c_li"][i] - g * d)   # wall value: the wall gradient is -g
    cw_err.append(abs(cw[-1] - c0 * (1 - math.sqrt(t / ts))) / c0)
    print(f"t/t_s {t / ts:.2f}: c_wall {cw[-1]:9.4f} mol/m^3 (theory {c0 * (1 - math.sqrt(t / ts)):9.4f}), profile max error {err:.1e} c0")
err_half = [e for t, f, e in res if abs(t / ts - 0.5) < 1e-9][0]
check(err_half < 2e-4, f"profile at t = t_s/2 vs the erfc solution: max error {err_half:.1e} of c0 (< 2e-4)")
check(max(cw_err) < 2e-4, f"cathode concentration vs c0 (1 - sqrt(t/t_s)) at {len(tt)} times from 0.1 to 0.95 t_s: max error {max(cw_err):.1e} of c0 (< 2e-4)")
late = [k for k, t in enumerate(tt) if t >= 0.6 * ts]
p = np.polyfit(np.sqrt(np.array(tt)[late]), np.array(cw)[late], 1)
tzero = (-p[1] / p[0]) ** 2
close(tzero, ts, 1e-2, "time at which the cathode concentration reaches zero vs Sand's time (the claim: 1 %)")
close(tzero, ts, 1e-3, "the same, to the accuracy this mesh reaches")
close(p[1], c0, 1e-3, "intercept of c_wall(sqrt t) at t = 0 vs c0")
b = s["balance"]
check(b["mass_conservation_error"] is None, "BDF2 run: the summary gives no mass-balance error (its inflow rule is backward Euler's)")
close(b["amount"]["li"], b["initial_amount"]["li"], 1e-10, "Li amount: injected = removed")
close(b["amount"]["anion"], b["initial_amount"]["anion"], 1e-10, "anion amount conserved")

# spatial order: the same run on h/2 (every cell halved) to t_s/2
s2, _, res2 = sand_run(f"sand_fine_np{a.ranks}", 2.5e-7, 0.5 * ts, [0.5])
err2 = res2[-1][2]
order = math.log2(err_half / err2)
print(f"h/2: {s2['cells']} cells, {s2['solver']['steps']} steps; profile error at t_s/2 {err2:.1e} c0")
check(order > 1.7, f"profile error at t_s/2, h -> h/2: {err_half:.2e} -> {err2:.2e} of c0, order {order:.2f} (> 1.7)")

# (b) steady profile below the limiting current
N2 = N / 10
o = dict(base, bc_xmin_li_flux=-N2, bc_xmax_li_flux=N2, time_final=8 * L * L / Damb, time_step=1e-3)
name = f"sand_steady_np{a.ranks}"
s, _ = run(name, o, a.ranks)
x, steps = read_xdmf(os.path.join(OUT, name))
xc = x[:, 0]
f = steps[-1][1]
lin = c0 - N2 / (2 * Dp) * (xc - L / 2)
err = float(np.max(np.abs(f["c_li"] - lin))) / c0
print(f"steady: {s['solver']['steps']} steps; c from {f['c_li'].min():.2f} to {f['c_li'].max():.2f}")
check(err < 1e-5, f"steady profile vs linear (slope -N/(2D+), mean c0): max error {err:.1e} of c0 (< 1e-5)")
check(float(np.max(np.abs(f["c_anion"] - f["c_li"]))) == 0.0, "electroneutral: c_anion = c_li")
phi = f["potential"] - VT * np.log(lin / c0)     # anion at zero flux: phi - VT ln c is uniform
errp = float(np.max(phi) - np.min(phi))
check(errp < 1e-6, f"steady potential vs VT ln(c) + const (zero anion flux): spread {errp:.1e} V (< 1e-6 V; VT ln(c) spans {VT * math.log(lin.max() / lin.min()):.3f} V)")

# (c) mass conservation with a real inflow: salt from a reservoir at 1.5 c0 (backward Euler)
cr = 1.5 * c0
o = dict(base, mesh_size=1e-6, mesh_layers_bump=[0.1], bc_names=["xmin"], bc_xmin_potential=0.0,
         bc_xmin_li_concentration=cr, bc_xmin_anion_concentration=cr, time_final=0.5 * L * L / Damb,
         time_output_times=[0.1 * L * L / Damb])
del o["ts_type"]
s, _ = run(f"sand_reservoir_np{a.ranks}", o, a.ranks)
b = s["balance"]
gain = b["amount"]["li"] - b["initial_amount"]["li"]
print(f"reservoir: {s['solver']['steps']} steps; salt gained {gain:.6g} mol/m^2 ({gain / b['initial_amount']['li']:.0%} of the initial amount), "
      f"boundary inflow li {b['boundary_inflow']['li']:.6g}, anion {b['boundary_inflow']['anion']:.6g}")
check(gain > 0.2 * b["initial_amount"]["li"], "the reservoir adds more than 20 % to the salt")
check(b["mass_conservation_error"] < 1e-10, f"mass conservation error with inflow {b['mass_conservation_error']:.1e} (< 1e-10)")
finish()
