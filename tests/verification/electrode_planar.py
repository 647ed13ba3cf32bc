# SPDX-License-Identifier: BSD-2-Clause
"""Planar symmetric cell Li | single-ion electrolyte | Li with Butler-Volmer electrodes, held at a
cell voltage V (potentiostatic): the current density i solves
    V = i L / sigma + eta_a(i) + eta_c(i) + 2 i R_film,
eta from inverting i = i0 [exp(aa eta/VT) - exp(-ac eta/VT)] at each electrode. Checked in the
linear (V = 1 mV) and Tafel (V = 0.3 V) regimes, with symmetric and asymmetric transfer
coefficients and with an SEI film resistance; then the same SEI resolved as a layer of its own
conductivity (thickness / sigma_SEI = R_film) against the film-resistance run."""
import argparse
import math
from npptest import bv_overpotential, run, close, check, finish

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=1)
a = ap.parse_args()
VT = 8.314462618 * 298.15 / 96485.33212
L, sigma, i0 = 1e-4, 1e-2, 10.0


def eta_of(i, aa=0.5, ac=0.5):
    """overpotential (V) that drives current density i through Butler-Volmer at this test's i0"""
    return bv_overpotential(i, i0, aa, ac, VT)


def theory(V, aa, ac, Rf):
    lo, hi = 0.0, V * sigma / L
    for _ in range(200):
        i = 0.5 * (lo + hi)
        if i * L / sigma + eta_of(i, aa, ac) - eta_of(-i, aa, ac) + 2 * i * Rf > V:
            hi = i
        else:
            lo = i
    return 0.5 * (lo + hi)


def cell(V, aa, ac, Rf, layers=None):
    o = {"mesh_generator": "layers", "mesh_dim": 1, "mesh_size": 5e-6, "bc_names": ["xmin", "xmax"],
         "bc_xmin_potential": 0.0, "bc_xmax_potential": V}
    if layers:
        o.update(layers)
    else:
        o.update({"mesh_layers_thickness": [L], "mesh_layers_regions": ["electrolyte"], "region_names": ["electrolyte"],
                  "region_electrolyte_conductivity": sigma})
    for b in ("xmin", "xmax"):
        o.update({f"bc_{b}_exchange_current_density": i0, f"bc_{b}_anodic_transfer_coefficient": aa,
                  f"bc_{b}_cathodic_transfer_coefficient": ac})
        if Rf:
            o[f"bc_{b}_film_resistance"] = Rf
    s, _ = run(f"electrode_planar_{V:g}_{aa:g}_{Rf:g}_{'sei' if layers else 'film'}_np{a.ranks}", o, a.ranks)
    b = s["boundaries"]
    check(abs(b[0]["current"] + b[1]["current"]) <= 1e-8 * abs(b[0]["current"]), f"current in = current out to {abs(b[0]['current'] + b[1]['current']) / abs(b[0]['current']):.1e} (< 1e-8)")
    return b[0]["current"] / b[0]["area"], s       # plating at xmin: Li+ current leaves the electrolyte there


for V in (1e-3, 0.3):
    for aa, ac in ((0.5, 0.5), (0.3, 0.7)):
        for Rf in (0.0, 1e-3):
            i, s = cell(V, aa, ac, Rf)
            close(i, theory(V, aa, ac, Rf), 1e-8, f"V = {V:g} V, aa = {aa}, ac = {ac}, R_film = {Rf:g} Ohm m^2 ({s['solver']['snes_iterations']} Newton): i vs ohmic + Butler-Volmer")
# resolved SEI: 2 um layers of sigma_SEI = 2e-3 S/m (R = 1e-3 Ohm m^2) on both electrodes
d, sei = 2e-6, 2e-3
layers = {"mesh_layers_thickness": [d, L, d], "mesh_layers_regions": ["sei_a", "electrolyte", "sei_b"], "mesh_size": 2e-7,
          "region_names": ["sei_a", "electrolyte", "sei_b"], "region_electrolyte_conductivity": sigma,
          "region_sei_a_conductivity": sei, "region_sei_b_conductivity": sei}
for V in (1e-3, 0.3):
    i_film, _ = cell(V, 0.5, 0.5, d / sei)
    i_sei, _ = cell(V, 0.5, 0.5, 0.0, layers)
    close(i_sei, i_film, 1e-8, f"V = {V:g} V: resolved SEI layer vs film resistance of the same value")
# the LiF preset (1e-7 S/m) as a 20 nm resolved layer on both electrodes = a film of 20e-9 / 1e-7 Ohm m^2
d = 20e-9
lif = dict(layers, mesh_layers_thickness=[d, L, d], mesh_size=1e-6, region_sei_a_material="lif", region_sei_b_material="lif")
del lif["region_sei_a_conductivity"], lif["region_sei_b_conductivity"]
i_film, _ = cell(0.3, 0.5, 0.5, d / 1e-7)
i_sei, s = cell(0.3, 0.5, 0.5, 0.0, lif)
close(s["regions"][0]["conductivity"], 1e-7, 1e-12, "region sei_a takes the LiF preset's conductivity")
close(i_sei, i_film, 1e-8, "20 nm LiF layer (preset) vs film resistance d / sigma_LiF")
finish()
