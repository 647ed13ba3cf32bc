# SPDX-License-Identifier: BSD-2-Clause
"""Current distribution around a hemispherical protrusion of a Li anode (generator `anode`), in an
ohmic electrolyte (a single-ion conductor), plating.

Primary distribution (no kinetic or film resistance: i0 = 1e9 A/m^2): the anode and its
hemisphere (radius R) are one equipotential in a uniform far field E0; the potential is
    phi = E0 (r - R^3/r^2) cos(theta)   (3-D)      phi = E0 (r - R^2/r) cos(theta)   (2-D),
so that on the hemisphere i = 3 i_inf cos(theta) (3-D) or 2 i_inf cos(theta) (2-D) -- the tip
amplification is 3 or 2 -- and on the plane i = i_inf (1 - R^3/rho^3) or i_inf (1 - R^2/rho^2).
The box (40 R in 2-D, 10 R in 3-D) perturbs this by image dipoles at the ~0.2 % level;
i_inf is measured on the plane far from the protrusion with the plane law divided out.
(a) 2-D, three meshes (cells and tip cells halved each time): the apex current density of the
    summary over i_inf converges (differences shrink) to 2 (Richardson extrapolate within 1 %),
    and the face current densities near the protrusion approach the analytic distribution.
(b) 3-D, three meshes (tip size R/2, R/3, R/4.5): the distribution error falls at each
    refinement and the mean current density on the hemisphere tends to 1.5 i_inf (extrapolate
    within 3 %).
(c) Secondary distribution (linear kinetics, Wagner number Wa = sigma R_ct / R with
    R_ct = V_T / i0 the linear charge-transfer resistance): the amplification falls from the
    primary value towards 1 as Wa grows, with (A - 1) ~ 1/Wa for large Wa (A = apex / mean, as
    in the summary); an SEI film of the
    same resistance (R_f = R_ct) gives the same distribution, since both are linear resistances
    in series with the electrolyte.
(d) The same run on 1 and 2 ranks gives the same face currents."""
import argparse
import math
import os
import numpy as np
from npptest import OUT, run, check, close, finish, read_electrode

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=2)
a = ap.parse_args()
R, sigma = 1e-6, 1e-2
VT = 8.314462618 * 298.15 / 96485.33212


def cell(name, dim, W, size, tip, ranks=a.ranks, **kw):
    o = {"mesh_generator": "anode", "mesh_dim": dim, "mesh_anode_thickness": W, "mesh_anode_width": W,
         "mesh_anode_radius": R, "mesh_anode_sei_thickness": 0, "mesh_size": size, "mesh_anode_tip_size": tip,
         "region_names": ["electrolyte"], "region_electrolyte_conductivity": sigma,
         "bc_names": ["anode", "counter"], "bc_counter_potential": 0.0, "bc_anode_potential": -1e-3,
         "bc_anode_exchange_current_density": 1e9}
    o.update(kw)
    s, _ = run(name, o, ranks)
    x, area, steps = read_electrode(os.path.join(OUT, name), "anode")
    i = steps[-1][1]["current_density"]
    c = np.array([0, W / 2, W / 2 if dim == 3 else 0])
    r = x - c
    if dim == 2:
        r[:, 2] = 0
    rho = np.linalg.norm(r, axis=1)
    on_tip = x[:, 0] > 1e-3 * R
    plane = 1 - (R / np.maximum(rho, R)) ** dim
    far = rho > 0.375 * W
    i_inf = float(np.mean(i[far] / plane[far]))
    shape = np.where(on_tip, dim * r[:, 0] / rho, plane)
    near = rho < 5 * R
    err = float(np.sqrt(np.sum(area[near] * ((i - i_inf * shape) / i_inf)[near] ** 2) / np.sum(area[near])))
    e = s["boundaries"][0]["electrode"]["current_density"]
    return dict(s=s, i=i, i_inf=i_inf, amp=e["apex"] / i_inf, amp_mean=e["amplification"], err=err, cells=s["cells"],
                tip_mean=float(np.sum(area[on_tip] * i[on_tip]) / np.sum(area[on_tip]) / i_inf))


def richardson(f, ratio):
    p = math.log(abs(f[0] - f[1]) / abs(f[1] - f[2])) / math.log(ratio)
    return f[2] + (f[2] - f[1]) / (ratio ** p - 1), p


# (a) 2-D primary
lv = [cell(f"protrusion_2d_{k}", 2, 40 * R, R / 2 ** k, R / 2 ** (k + 2)) for k in range(3)]
for k, v in enumerate(lv):
    print(f"2-D level {k}: {v['cells']} cells, apex / i_inf {v['amp']:.5f}, distribution error {v['err']:.2e}")
amps = [v["amp"] for v in lv]
ext, p = richardson(amps, 2.0)
check(abs(amps[2] - amps[1]) < abs(amps[1] - amps[0]), f"2-D primary: apex amplification converges ({amps[0]:.4f}, {amps[1]:.4f}, {amps[2]:.4f}; observed order {p:.2f})")
close(ext, 2.0, 1e-2, "2-D primary: extrapolated tip amplification vs 2 (half-cylinder in a uniform field)")
check(lv[2]["err"] < lv[1]["err"] < lv[0]["err"] and lv[2]["err"] < 5e-3,
      f"2-D primary: face currents within 5 R vs 2 i_inf cos(theta) and i_inf (1 - R^2/rho^2): rms error {lv[0]['err']:.1e}, {lv[1]['err']:.1e}, {lv[2]['err']:.1e} (falls, < 5e-3)")

# (b) 3-D primary
lv3 = [cell(f"protrusion_3d_{k}", 3, 10 * R, 2 * R / 1.5 ** (2 * k), R / 2 / 1.5 ** k) for k in range(3)]
for k, v in enumerate(lv3):
    print(f"3-D level {k}: {v['cells']} cells, apex / i_inf {v['amp']:.4f}, hemisphere mean / i_inf {v['tip_mean']:.4f}, distribution error {v['err']:.2e}")
check(lv3[2]["err"] < lv3[1]["err"] < lv3[0]["err"] and lv3[2]["err"] < 0.04,
      f"3-D primary: face currents vs 3 i_inf cos(theta) and i_inf (1 - R^3/rho^3): rms error {lv3[0]['err']:.3f}, {lv3[1]['err']:.3f}, {lv3[2]['err']:.3f} (falls, < 0.04)")
tm = [v["tip_mean"] for v in lv3]
ext3, p3 = richardson(tm, 1.5)
close(ext3, 1.5, 3e-2, f"3-D primary: mean current density on the hemisphere, extrapolated from {tm[0]:.3f}, {tm[1]:.3f}, {tm[2]:.3f} (order {p3:.2f}), vs 1.5 i_inf")

# (c) Wagner number, 2-D middle mesh, linear kinetics (1 mV)
wa = [0.01, 0.1, 1.0, 10.0, 100.0, 1000.0]
A = []
for w in wa:
    i0 = sigma * VT / (w * R)
    A.append(cell(f"protrusion_wa_{w:g}", 2, 40 * R, R / 2, R / 8, bc_anode_exchange_current_density=i0)["amp_mean"])
    print(f"Wa = {w:g}: i0 = {i0:.4g} A/m^2, amplification (apex / mean) {A[-1]:.5f}")
check(all(A[k + 1] < A[k] for k in range(len(A) - 1)), "the tip amplification falls as the Wagner number grows: " + ", ".join(f"{x:.4f}" for x in A))
close(A[0], lv[1]["amp_mean"], 1e-2, "Wa = 0.01: the primary distribution (apex / mean)")
check(A[-2] - 1 < 0.01, f"Wa = 100: nearly uniform (amplification {A[-2]:.4f})")
close((A[-1] - 1) * 1000, (A[-2] - 1) * 100, 0.03, "large Wa: (A - 1) Wa tends to a constant (Wa = 100 and 1000)")
Af = cell("protrusion_wa_film", 2, 40 * R, R / 2, R / 8, bc_anode_film_resistance=R / sigma)["amp_mean"]
close(Af, A[2], 1e-3, "an SEI film of R_f = R_ct gives the kinetic Wa = 1 distribution")

# (d) ranks
tight = {"ksp_rtol": 1e-14}   # face currents are differences of nearby potentials: solve to round-off
one = cell("protrusion_2d_np1", 2, 40 * R, R / 2, R / 8, ranks=1, **tight)
two = cell("protrusion_2d_np2", 2, 40 * R, R / 2, R / 8, ranks=2, **tight)
d = float(np.max(np.abs(np.sort(one["i"]) - np.sort(two["i"])))) / abs(one["i_inf"])
check(d < 1e-9, f"1 and 2 ranks: face current densities agree to {d:.1e} of i_inf")
finish()
