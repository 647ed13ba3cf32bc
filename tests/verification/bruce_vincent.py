# SPDX-License-Identifier: BSD-2-Clause
"""Bruce-Vincent virtual experiment: a symmetric Li | binary electrolyte | Li cell (electroneutral
model; ideal reversible Li electrodes: Li+ exchanged with the electrode at the bulk concentration
at the electrode's potential, anion blocked) under a DC step dV. t+ = D+ / (D+ + D-) = 0.3.

Initially c = c0 everywhere, so the current is ohmic: I_0 = sigma dV / L, sigma = F^2/(RT) (D+ + D-) c0,
exactly, for any dV. At steady state the anion flux vanishes (phi = V_T ln c + const), the Li flux
-2 D+ c' is uniform, so c is linear with mean c0 (the anion amount is fixed); the Li
electrochemical potential V_T ln(c/c0) + phi equals each electrode's potential, so
dV = 2 V_T ln(c(L)/c(0)), i.e. c(L), c(0) = c0 (1 +- tanh(u)), u = dV / (4 V_T), and
    I_ss = 4 F D+ c0 tanh(u) / L,   I_ss / I_0 = t+ tanh(u) / u = t+ (1 - u^2/3 + ...).
For a small step (dV << 4 V_T) the ratio is t+ (dilute, ideal, no interfacial resistance): at
dV = 0.1 and 1 mV the correction u^2/3 is 3e-7 and 3e-5. A third step of 25 mV ~ V_T shows why
the step must be small: the ratio is then 2 % below t+, as tanh(u)/u says.

I_0 is measured from the simulated transient: early on the current falls as I_0 (1 - k sqrt(t))
(the concentration layers grow as sqrt(D t)), so a straight line through I against sqrt(t) at
10^-7, 2 10^-7 and 4 10^-7 L^2/D_amb, on a mesh graded to 4 nm cells at the electrodes (the layer
then spans ~8 cells), extrapolates to I(0). The next term of the expansion is ~(1.7e-3)^2 relative
and the first steps' time error (a 100 times smaller first step moves I_0 by 2e-5) give the
measured ~5e-5; I_0 is asserted to 2e-4. The current is uniform in x (charge conservation):
taken from the cells' current density, checked uniform and equal to the summary's boundary currents
(to 1e-7: the Newton residual leaves ~3e-10 A/m^2, 1.5e-8 of the 0.1 mV current)."""
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
c0, Dp, Dm, L = 1000.0, 0.6e-11, 1.4e-11, 1e-4
tplus = Dp / (Dp + Dm)
Damb = 2 * Dp * Dm / (Dp + Dm)
tau = L * L / Damb
sigma = F * F / (R * T) * (Dp + Dm) * c0
early = [1e-7 * tau, 2e-7 * tau, 4e-7 * tau]
print(f"t+ {tplus}, L^2/D_amb {tau:.1f} s, sigma {sigma:.6g} S/m")
ratio = {}
for dV in (1e-4, 1e-3, 2.5e-2):
    small = dV <= 1e-3
    o = {"mesh_generator": "layers", "mesh_dim": 1, "mesh_layers_thickness": [L], "mesh_layers_regions": ["electrolyte"],
         "mesh_size": 5e-7, "mesh_layers_bump": [0.002], "region_names": ["electrolyte"],
         "region_electrolyte_li_concentration": c0, "region_electrolyte_anion_concentration": c0,
         "region_electrolyte_li_diffusivity": Dp, "region_electrolyte_anion_diffusivity": Dm,
         "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": dV,
         "bc_xmin_anion_blocking": "", "bc_xmax_anion_blocking": "",
         "time_final": 6 * tau, "time_step": 1e-9 * tau, "time_output_times": early + [3 * tau],
         "ts_type": "bdf", "ts_rtol": 1e-6}
    name = f"bruce_vincent_{dV:g}_np{a.ranks}"
    s, _ = run(name, o, a.ranks)
    x, steps = read_xdmf(os.path.join(OUT, name))
    # the current flows from xmax (high potential) to xmin: -x component
    cur = {t: -float(np.mean(f["current_density"][:, 0])) for t, f in steps if t > 0}
    spread = max(float(np.ptp(f["current_density"][:, 0])) / abs(cur[t]) for t, f in steps if t > 0)
    times = sorted(cur)
    te = times[:3]
    p = np.polyfit(np.sqrt(te), [cur[t] for t in te], 1)
    I0, Iss, I3 = p[1], cur[times[-1]], cur[times[-2]]
    u = dV / (4 * VT)
    Iss_exact = 4 * F * Dp * c0 * math.tanh(u) / L
    ratio[dV] = Iss / I0
    print(f"dV {dV:g} V (u = dV/4VT = {u:.3g}): {s['cells']} cells (smallest {s['mesh']['min_cell_size']:.1e} m), {s['solver']['steps']} steps; "
          f"I(t) at {[f'{t / tau:.0e}' for t in te]} L^2/D_amb: {[f'{cur[t]:.6g}' for t in te]} A/m^2 -> I_0 {I0:.6g}; "
          f"I(3 L^2/D_amb) {I3:.6g}, I(6 L^2/D_amb) {Iss:.6g} A/m^2")
    close(I0, sigma * dV / L, 2e-4, f"dV {dV:g} V: I_0 vs ohmic sigma dV / L")
    close(Iss, Iss_exact, 1e-5, f"dV {dV:g} V: I_ss vs 4 F D+ c0 tanh(dV/4VT) / L")
    if small:
        close(Iss / I0, tplus, 1e-2, f"dV {dV:g} V: I_ss / I_0 vs t+ = D+/(D+ + D-) (the claim: 1 %)")
        close(Iss / I0, tplus, 2e-4, f"dV {dV:g} V: the same, to the accuracy of I_0")
    else:
        err = abs(Iss / I0 - tplus) / tplus
        check(err > 1e-2, f"dV {dV:g} V ~ V_T is not a small step: I_ss / I_0 = {Iss / I0:.6f} is {err:.1%} off t+")
        close(Iss / I0, tplus * math.tanh(u) / u, 2e-4, f"dV {dV:g} V: I_ss / I_0 vs t+ tanh(u)/u")
    check(abs(Iss - I3) / Iss < 1e-4, f"dV {dV:g} V: steady (I at 3 and 6 L^2/D_amb differ by {abs(Iss - I3) / Iss:.1e} < 1e-4)")
    check(spread < 1e-7, f"dV {dV:g} V: current density uniform in x at every output, max spread {spread:.1e} of the mean (< 1e-7)")
    bnd = {b["name"]: b["current"] for b in s["boundaries"]}
    close(-bnd["xmax"], Iss, 1e-7, f"dV {dV:g} V: summary current into xmax vs the cells' current density")
    close(bnd["xmin"], Iss, 1e-7, f"dV {dV:g} V: summary current out of xmin vs the cells' current density")
    # The anion, blocked at both electrodes, keeps its amount (and, by neutrality, so does Li+):
    # the exact discrete conservation of any time integrator, to the Newton residual.
    b = s["balance"]
    close(b["amount"]["anion"], b["initial_amount"]["anion"], 1e-10, f"dV {dV:g} V: anion amount conserved")
d = abs(ratio[1e-4] - ratio[1e-3]) / tplus
check(d < 1e-4, f"I_ss / I_0 does not depend on the step: {ratio[1e-4]:.7f} at 0.1 mV, {ratio[1e-3]:.7f} at 1 mV, differ by {d:.1e} of t+ (< 1e-4)")
finish()
