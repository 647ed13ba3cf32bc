"""Bruce-Vincent virtual experiment: a symmetric Li | binary electrolyte | Li cell (electroneutral
model; ideal reversible Li electrodes: Li+ held at the bulk concentration at the potential of each
electrode, anion blocked) under a small DC step dV << RT/F. The initial current is ohmic,
I_0 = sigma dV / L with sigma = F^2/(RT) (D+ + D-) c0; at steady state the anion stops and
I_ss / I_0 = D+ / (D+ + D-) = t+ (dilute, ideal, no interfacial resistance).
I_0 is measured from the simulated transient: the early current falls as I_0 (1 - k sqrt(t)), so
a straight line through I against sqrt(t) at the first output times gives I(0). The current is
uniform in x (charge conservation), read from the cells' current density."""
import argparse
import math
import os
import numpy as np
from npptest import OUT, run, check, close, finish, read_xdmf

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=1)
a = ap.parse_args()
R, T, F = 8.314462618, 298.15, 96485.33212
c0, Dp, Dm, L = 1000.0, 0.6e-11, 1.4e-11, 1e-4
tplus = Dp / (Dp + Dm)
Damb = 2 * Dp * Dm / (Dp + Dm)
tau = L * L / Damb
sigma = F * F / (R * T) * (Dp + Dm) * c0
early = [1e-7 * tau, 2e-7 * tau, 4e-7 * tau]
for dV in (1e-4, 1e-3):
    o = {"mesh_generator": "layers", "mesh_dim": 1, "mesh_layers_thickness": [L], "mesh_layers_regions": ["electrolyte"],
         "mesh_size": 5e-7, "mesh_layers_bump": [0.002], "region_names": ["electrolyte"],
         "region_electrolyte_li_concentration": c0, "region_electrolyte_anion_concentration": c0,
         "region_electrolyte_li_diffusivity": Dp, "region_electrolyte_anion_diffusivity": Dm,
         "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": dV,
         "bc_xmin_anion_blocking": "", "bc_xmax_anion_blocking": "",
         "time_final": 6 * tau, "time_step": 1e-9 * tau, "time_output_times": early + [3 * tau],
         "ts_type": "bdf", "ts_rtol": 1e-6, "ts_atol": 1e-8}
    name = f"bruce_vincent_{dV:g}_np{a.ranks}"
    s, _ = run(name, o, a.ranks)
    x, steps = read_xdmf(os.path.join(OUT, name))
    cur = {t: -float(np.mean(f["current_density"][:, 0])) for t, f in steps if t > 0}  # flows from xmax to xmin
    te = sorted(cur)[:3]
    p = np.polyfit(np.sqrt(te), [cur[t] for t in te], 1)
    I0, Iss, I3 = p[1], cur[sorted(cur)[-1]], cur[sorted(cur)[-2]]
    print(f"dV {dV:g} V: {s['cells']} cells (smallest {s['mesh']['min_cell_size']:.1e} m), {s['solver']['steps']} steps; "
          f"I(t) at {[f'{t / tau:.0e}' for t in te]} tau: {[f'{cur[t]:.6g}' for t in te]} A/m^2 -> I_0 {I0:.6g}; I(3 tau) {I3:.6g}, I(6 tau) {Iss:.6g}")
    close(I0, sigma * dV / L, 5e-4, f"dV {dV:g} V: I_0 vs ohmic sigma dV / L")
    close(Iss / I0, tplus, 1e-2, f"dV {dV:g} V: I_ss / I_0 vs t+ = D+/(D+ + D-)")
    check(abs(Iss - I3) / Iss < 1e-3, f"dV {dV:g} V: steady (I at 3 and 6 L^2/D_amb differ by {abs(Iss - I3) / Iss:.1e})")
    # BDF2 here: the summary integrates the boundary inflow with the backward-Euler rule, a
    # first-order estimate of what BDF2 conserves exactly (sand.py checks 1e-10 with fixed fluxes)
    check(s["balance"]["mass_conservation_error"] < 1e-9, f"dV {dV:g} V: mass balance closes to {s['balance']['mass_conservation_error']:.1e} (< 1e-9)")
finish()
