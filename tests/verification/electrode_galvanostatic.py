# SPDX-License-Identifier: BSD-2-Clause
"""Galvanostatic electrodes: the electrode potential is a global unknown fixed by the applied
current.
(a) Ohmic planar cell Li | single-ion electrolyte | Li on an unstructured 2-D mesh, SEI film on
    both electrodes: the galvanostatic run at current density i gives the cell voltage
    V = i L / sigma + eta(i) - eta(-i) + 2 i R_film (eta from inverting Butler-Volmer), and at the
    current of a potentiostatic run it gives back that run's voltage and potential field.
(b) Binary electrolyte, transient: a galvanostatic Butler-Volmer anode against a potentiostatic
    Butler-Volmer cathode is, for the concentrations, a Li flux i/F in and out with the anion
    blocked: the profile must equal that of the flux-boundary run (verified against Sand's erfc
    solution in sand.py), and each electrode's kinetic overpotential in electrodes.csv must be the
    inverse Butler-Volmer value of its current density.
(c) Current schedule (critical-current-density protocol): steps of the current density with
    reversals; electrodes.csv follows the schedule at every step, steps land on the switch times,
    and the run stops on Li depletion next to the plating electrode, naming why and at which
    current density."""
import argparse
import math
import os
import numpy as np
from npptest import bv_overpotential, OUT, run, check, close, finish, read_xdmf
import nppout  # on the path through npptest

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=1)
a = ap.parse_args()
VT = 8.314462618 * 298.15 / 96485.33212
F = 96485.33212
L, W, sigma, i0, Rf = 1e-4, 2e-5, 1e-2, 10.0, 2e-3


def eta_of(i, aa=0.5, ac=0.5):
    """overpotential (V) that drives current density i through Butler-Volmer at this test's i0"""
    return bv_overpotential(i, i0, aa, ac, VT)


# (a) ohmic cell, 2-D triangles
ohmic = {"mesh_generator": "layers", "mesh_dim": 2, "mesh_layers_structured": "false", "mesh_size": 1e-5,
         "mesh_layers_thickness": [L], "mesh_layers_width": [W], "mesh_layers_regions": ["electrolyte"],
         "region_names": ["electrolyte"], "region_electrolyte_conductivity": sigma,
         "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0}
for b in ("xmin", "xmax"):
    ohmic.update({f"bc_{b}_exchange_current_density": i0, f"bc_{b}_film_resistance": Rf})
for i in (2.0, 150.0):   # linear and Tafel regimes
    s, _ = run(f"galv_ohmic_{i:g}_np{a.ranks}", dict(ohmic, bc_xmax_current_density=i), a.ranks)
    V = i * L / sigma + eta_of(i) - eta_of(-i) + 2 * i * Rf
    e = s["boundaries"][1]["electrode"]
    close(-s["cell_voltage"], V, 1e-8, f"i = {i:g} A/m^2 ({s['solver']['snes_iterations']} Newton): cell voltage vs ohmic + Butler-Volmer + film")
    close(e["current_density"]["mean"], i, 1e-10, "the electrode carries the applied current density")
    close(e["overpotential"], eta_of(i), 1e-8, "mean kinetic overpotential vs inverse Butler-Volmer")
    close(e["film_drop"], i * Rf, 1e-10, "film drop i R_film")
    check(abs(e["current_density"]["amplification"] - 1) < 1e-8 and e["current_density"]["area_fraction_above_twice_mean"] == 0,
          f"planar electrode: uniform current (amplification {e['current_density']['amplification']:.12f})")
Vp = 0.3
sp, _ = run(f"galv_pot_np{a.ranks}", dict(ohmic, bc_xmax_potential=Vp), a.ranks)
ip = -sp["boundaries"][1]["current"] / sp["boundaries"][1]["area"]
sg, _ = run(f"galv_same_np{a.ranks}", dict(ohmic, bc_xmax_current_density=ip), a.ranks)
close(sg["boundaries"][1]["potential"], Vp, 1e-9, f"galvanostatic at the potentiostatic current {ip:.6g} A/m^2: electrode potential back to {Vp} V")
_, fp = read_xdmf(os.path.join(OUT, f"galv_pot_np{a.ranks}"))
_, fg = read_xdmf(os.path.join(OUT, f"galv_same_np{a.ranks}"))
dphi = float(np.max(np.abs(fp[-1][1]["potential"] - fg[-1][1]["potential"])))
check(dphi < 1e-10, f"same potential field: max difference {dphi:.1e} V (< 1e-10 V)")
_, ef = read_xdmf(os.path.join(OUT, f"galv_same_np{a.ranks}"), "electrode_xmax.xmf")
close(float(np.mean(ef[-1][1]["current_density"])), ip, 1e-9, "electrode_xmax.xmf: face current densities average to the applied one")

# (b) binary electrolyte, transient
c0, Dp, Dm, N = 1000.0, 1e-11, 1.5e-11, 1.25e-3
Damb = 2 * Dp * Dm / (Dp + Dm)
g = N / (2 * Dp)
ts = math.pi * c0 ** 2 / (4 * g * g * Damb)
binary = {"mesh_generator": "layers", "mesh_dim": 1, "mesh_layers_thickness": [L], "mesh_layers_regions": ["electrolyte"],
          "mesh_size": 1e-6, "mesh_layers_bump": [0.1], "region_names": ["electrolyte"],
          "region_electrolyte_li_concentration": c0, "region_electrolyte_anion_concentration": c0,
          "region_electrolyte_li_diffusivity": Dp, "region_electrolyte_anion_diffusivity": Dm,
          "bc_names": ["xmin", "xmax"], "time_final": 0.5 * ts, "time_step": 1e-6 * ts,
          "ts_adapt_dt_max": 1e-3 * ts, "time_output_times": [0.25 * ts, 0.5 * ts]}
sf, _ = run(f"galv_flux_np{a.ranks}", dict(binary, bc_xmin_li_flux=-N, bc_xmax_li_flux=N), a.ranks)
bv = dict(binary, bc_xmin_exchange_current_density=i0, bc_xmin_current_density=F * N,
          bc_xmax_exchange_current_density=i0, bc_xmax_potential=0.0)
sb, _ = run(f"galv_binary_np{a.ranks}", bv, a.ranks)
_, ff = read_xdmf(os.path.join(OUT, f"galv_flux_np{a.ranks}"))
_, fb = read_xdmf(os.path.join(OUT, f"galv_binary_np{a.ranks}"))
dc = max(float(np.max(np.abs(x[1]["c_li"] - y[1]["c_li"]))) for x, y in zip(ff[1:], fb[1:])) / c0
print(f"binary: {sb['solver']['steps']} steps (flux run {sf['solver']['steps']}); c_li at the cathode {fb[-1][1]['c_li'].min():.2f} mol/m^3")
check(dc < 1e-6, f"galvanostatic Butler-Volmer cell vs the flux-boundary run: concentration profiles agree to {dc:.1e} c0 (< 1e-6; step-controller noise)")
# the same with the field-split preconditioner on the splits npp defines ("c": species, "phi":
# potential and the electrode potential), each split solved exactly: the same answer
fs = dict(bv, pc_type="fieldsplit", pc_fieldsplit_type="multiplicative", ksp_type="gmres", ksp_rtol=1e-12,
          fieldsplit_c_pc_type="lu", fieldsplit_phi_pc_type="lu", fieldsplit_c_ksp_type="preonly", fieldsplit_phi_ksp_type="preonly",
          fieldsplit_c_pc_factor_mat_solver_type="mumps", fieldsplit_phi_pc_factor_mat_solver_type="mumps")
sfs, _ = run(f"galv_binary_fieldsplit_np{a.ranks}", fs, a.ranks)
_, ffs = read_xdmf(os.path.join(OUT, f"galv_binary_fieldsplit_np{a.ranks}"))
dfs = max(float(np.max(np.abs(x[1]["c_li"] - y[1]["c_li"]))) for x, y in zip(fb[1:], ffs[1:])) / c0
check(dfs < 1e-6, f"-pc_type fieldsplit on npp's splits (c | phi + electrode potential): profiles agree with the direct solve to {dfs:.1e} c0 ({sfs['solver']['ksp_iterations']} Krylov iterations in {sfs['solver']['steps']} steps)")
rows = nppout.read_electrodes_csv_rows(os.path.join(OUT, f"galv_binary_np{a.ranks}"))
i_app = F * N
err_i = max(abs(float(r["xmin_current_density_A_m2"]) - i_app) for r in rows) / i_app
check(err_i < 1e-9, f"electrodes.csv: anode current density = applied at all {len(rows)} steps (max error {err_i:.1e})")
err_eta = 0.0
for r in rows:   # i = i0 [exp(eta/2VT) - exp(-eta/2VT)] at i0 independent of c (exponent 0)
    err_eta = max(err_eta, abs(float(r["xmin_overpotential_V"]) - 2 * VT * math.asinh(i_app / (2 * i0))),
                  abs(float(r["xmax_overpotential_V"]) - 2 * VT * math.asinh(-float(r["xmax_current_density_A_m2"]) / (2 * i0)) * -1))
check(err_eta < 1e-9, f"electrodes.csv: kinetic overpotentials = 2 VT asinh(i / 2 i0) at every step (max error {err_eta:.1e} V)")

# (c) a critical-current-density protocol: 20, 40, 60 ... A/m^2, each plated for 20 s and stripped for 20 s
step_t = 40.0
ccd = dict(bv, mesh_size=2e-6, time_final=1000.0, time_step=0.01, time_output_times=[], time_stop_concentration=0.05 * c0,
           bc_xmin_current_density=20.0, bc_xmin_current_density_step=20.0, bc_xmin_current_step_time=step_t,
           bc_xmin_current_reversal_time=step_t / 2)
del ccd["ts_adapt_dt_max"], ccd["time_output_times"]
sc, _ = run(f"galv_ccd_np{a.ranks}", ccd, a.ranks)
rows = nppout.read_electrodes_csv_rows(os.path.join(OUT, f"galv_ccd_np{a.ranks}"))
t = np.array([float(r["time_s"]) for r in rows])


def schedule(t):
    k = max(math.ceil(t / step_t - 1e-9) - 1, 0)
    r = max(math.ceil(t / (step_t / 2) - 1e-9) - 1, 0)
    return (20.0 + 20.0 * k) * (-1) ** r


err = max(abs(float(r["xmin_applied_current_density_A_m2"]) - schedule(float(r["time_s"]))) for r in rows)
err2 = max(abs(float(r["xmin_current_density_A_m2"]) - float(r["xmin_applied_current_density_A_m2"])) / abs(float(r["xmin_applied_current_density_A_m2"])) for r in rows)
check(err == 0 and err2 < 1e-9, f"CCD: {len(rows)} steps follow the schedule (max deviation {err:g} A/m^2) and carry it (relative {err2:.1e})")
switches = [k * step_t / 2 for k in range(1, int(sc["stop"]["time"] / (step_t / 2)) + 1)]
hit = all(np.min(np.abs(t - s)) < 1e-9 * s for s in switches)
check(hit, f"steps land on all {len(switches)} switch times passed")
st = sc["stop"]
print(f"CCD stop: {st}")
check(st["stopped"] and "depleted" in st["reason"], "the protocol stops on Li depletion next to the plating electrode")
# Sand: a current i depletes the wall in t_s(i) = pi Damb (c0 F)^2 / (4 (i (1 - t+))^2); a half cycle of 20 s
# first exceeds the depletion time at i_crit with t_s(i_crit) ~ 20 s (before 5 % is left, slightly earlier)
tplus = Dp / (Dp + Dm)
i_sand = math.sqrt(math.pi * Damb * (c0 * F) ** 2 / (4 * (1 - tplus) ** 2 * (step_t / 2)))
i_stop = abs(st["xmin_applied_current_density"])
print(f"stopped at |i| = {i_stop:g} A/m^2; the current whose Sand time is one half cycle: {i_sand:.1f} A/m^2")
check(i_sand * 0.8 <= i_stop <= i_sand * 1.6, f"critical current density {i_stop:g} A/m^2 within [0.8, 1.6] x the Sand estimate {i_sand:.1f} (semi-infinite, from a fresh profile)")
finish()
