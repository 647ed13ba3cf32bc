"""Galvanostatic 1-D binary electrolyte (electroneutral model), Li+ injected at x = 0 and removed
at x = L, anion blocked at both walls.
(a) Sand: the salt obeys dc/dt = D_amb c'' with c'(L) = -N/(2 D+) at the cathode; in the
    semi-infinite regime c_wall(t) = c0 (1 - sqrt(t/t_s)), t_s = pi c0^2 / (4 g^2 D_amb),
    g = N/(2 D+), D_amb = 2 D+ D- / (D+ + D-). The cathode concentration is extrapolated from
    the last cell with the known wall gradient; a straight line through c_wall against sqrt(t)
    over the late outputs gives the time it reaches zero. Also: the profile against the erfc
    solution, and mass conservation.
(b) Below the limiting current, after many L^2/D_amb, the steady profile is linear with slope
    -N/(2 D+) and mean c0 (zero anion flux everywhere), and the potential is VT ln c + const."""
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
N = 1.25e-3                        # mol m^-2 s^-1, i = F N = 121 A/m^2
g = N / (2 * Dp)
ts = math.pi * c0 ** 2 / (4 * g * g * Damb)
print(f"D_amb {Damb:.3e} m^2/s, L^2/D_amb {L * L / Damb:.1f} s, Sand time {ts:.4f} s")
base = {"mesh_generator": "layers", "mesh_dim": 1, "mesh_layers_thickness": [L], "mesh_layers_regions": ["electrolyte"],
        "mesh_size": 5e-7, "mesh_layers_bump": [0.05], "region_names": ["electrolyte"],
        "region_electrolyte_li_concentration": c0, "region_electrolyte_anion_concentration": c0,
        "region_electrolyte_li_diffusivity": Dp, "region_electrolyte_anion_diffusivity": Dm,
        "bc_names": ["xmin", "xmax"], "ts_type": "bdf", "ts_rtol": 1e-6, "ts_atol": 1e-8}

# (a) Sand's time
fr = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
o = dict(base, bc_xmin_li_flux=-N, bc_xmax_li_flux=N, time_final=0.95 * ts, time_step=1e-4 * ts,
         time_output_times=[f * ts for f in fr])
name = f"sand_np{a.ranks}"
s, _ = run(name, o, a.ranks)
x, steps = read_xdmf(os.path.join(OUT, name))
xc = x[:, 0]
i = int(np.argmax(xc))
d = L - xc[i]                      # distance of the last centroid from the cathode
print(f"{s['cells']} cells, last cell centre {d:.2e} m from the wall, {s['solver']['steps']} steps, {s['solver']['snes_iterations']} Newton")
tt, cw = [], []
for t, f in steps[1:]:
    tt.append(t)
    cw.append(f["c_li"][i] - g * d)  # wall value: the wall gradient is -g
    def layer(xi):                 # semi-infinite constant-gradient solution, xi from the wall
        return g * (2 * np.sqrt(Damb * t / math.pi) * np.exp(-xi ** 2 / (4 * Damb * t)) - xi * np.array([math.erfc(v / (2 * math.sqrt(Damb * t))) for v in xi]))
    exact = c0 - layer(L - xc) + layer(xc)   # depleted at the cathode, enriched at the anode
    err = float(np.max(np.abs(f["c_li"] - exact))) / c0
    print(f"t/t_s {t / ts:.2f}: c_wall {cw[-1]:9.3f} mol/m^3 (theory {c0 * (1 - math.sqrt(t / ts)):9.3f}), profile max error {err:.1e} c0")
    if abs(t / ts - 0.5) < 1e-9:
        check(err < 1e-3, f"profile at t = t_s/2 vs the erfc solution: max error {err:.1e} of c0 (< 1e-3)")
late = [k for k, t in enumerate(tt) if t >= 0.6 * ts]
p = np.polyfit(np.sqrt(np.array(tt)[late]), np.array(cw)[late], 1)
tzero = (-p[1] / p[0]) ** 2
close(tzero, ts, 1e-2, "time at which the cathode concentration reaches zero vs Sand's time")
close(p[1], c0, 2e-3, "intercept of c_wall(sqrt t) at t = 0 vs c0")
b = s["balance"]
check(b["mass_conservation_error"] < 1e-10, f"mass conservation error {b['mass_conservation_error']:.1e} (< 1e-10)")
close(b["amount"]["li"], b["initial_amount"]["li"], 1e-10, "Li amount: injected = removed")
close(b["amount"]["anion"], b["initial_amount"]["anion"], 1e-10, "anion amount conserved")

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
phi = f["potential"] - f["potential"][np.argmin(np.abs(xc - L / 2))]
phith = VT * np.log(lin / (c0 - N2 / (2 * Dp) * (xc[np.argmin(np.abs(xc - L / 2))] - L / 2)))
errp = float(np.max(np.abs(phi - phith)))
check(errp < 1e-6, f"steady potential vs VT ln c + const (zero anion flux): max error {errp:.1e} V (< 1e-6)")
finish()
