# SPDX-License-Identifier: BSD-2-Clause
"""The assembled Jacobian (exact corrected operator, COO in face order) equals the finite-
difference Jacobian of the residual (-snes_test_jacobian, at every Newton step), on 2-D
two-region particle meshes with non-orthogonal triangles, on 1 and 2 ranks:
- conduction (electroneutral, one mobile ion: the potential is the only unknown);
- the coupled Poisson-Nernst-Planck system: a binary polymer electrolyte around single-ion
  ceramic particles with a mu0 jump and a permittivity contrast, 50 mV applied (c_li, c_anion
  and the potential per cell; Scharfetter-Gummel fluxes, space charge, absent anion in the
  ceramic);
- the same with a galvanostatic Butler-Volmer electrode.
The finite-difference Jacobian carries rounding noise of ~1e-8 relative here (the corrected
concentration is exp(eta' - psi'), differenced at a step of ~1e-8); a wrong derivative term
shows up at 1e-4 or more, so 1e-7 separates the two."""
import re
from npptest import run, check, finish

base = {"mesh_generator": "particles", "mesh_dim": 2, "mesh_particles_matrix": "polymer", "mesh_particles_particle": "ceramic",
        "mesh_particles_volume_fraction": 0.2, "region_names": ["polymer", "ceramic"], "bc_names": ["xmin", "xmax"],
        "bc_xmin_potential": 0.0, "snes_test_jacobian": ""}
conduction = dict(base, mesh_particles_box=[10e-6, 10e-6], mesh_particles_radius=1.5e-6, mesh_size=1.5e-6,
                  region_polymer_conductivity=1e-2, region_ceramic_conductivity=0.1, bc_xmax_potential=0.01)
npp = dict(base, mesh_particles_box=[20e-9, 20e-9], mesh_particles_radius=3e-9, mesh_size=3e-9, physics_electroneutral="false",
           region_polymer_li_concentration=1, region_polymer_anion_concentration=1, region_polymer_li_diffusivity=1e-11,
           region_polymer_anion_diffusivity=2e-11, region_polymer_permittivity=10, region_ceramic_li_concentration=2,
           region_ceramic_li_diffusivity=5e-12, region_ceramic_permittivity=40, region_ceramic_li_mu0=2000, bc_xmax_potential=0.05)
# a galvanostatic Li-metal electrode at xmax of the PNP cell (Butler-Volmer with i0 ~ c^0.5 and a
# film; the electrode potential is a global unknown: its column in the electrode cells' rows and
# its current-constraint row are in J), against the reservoir at xmin. (With Butler-Volmer
# electrodes on both sides this 20 nm cell is so weakly anchored in potential that its Newton
# path depends on round-off: 1 and 2 ranks take different continuation paths.)
galv = dict(npp, bc_xmax_exchange_current_density=20.0, bc_xmax_exchange_current_exponent=0.5, bc_xmax_film_resistance=1e-4,
            bc_xmax_current_density=0.5)
del galv["bc_xmax_potential"]
for name, o, fields in (("conduction", conduction, 1), ("npp", npp, 3), ("galvanostatic", galv, 3)):
    for ranks in (1, 2):
        s, p = run(f"jacobian_{name}_np{ranks}", o, ranks)
        m = [float(x) for x in re.findall(r"\|\|J - Jfd\|\|_F/\|\|J\|\|_F = ([0-9.eE+-]+)", p.stdout)]
        rel = max(m) if m else float("inf")
        check(bool(m) and rel < 1e-7, f"{name}, {ranks} rank(s): max over {len(m)} Newton steps of ||J - Jfd||_F / ||J||_F = {rel:.2e} < 1e-7")
        check(s["model"]["fields"] == fields, f"{name}: {s['model']['fields']} unknowns per cell")
        check(s["mesh"]["max_skewness"] > 0.1, f"the mesh is not orthogonal (max skewness {s['mesh']['max_skewness']:.2f}): the correction is in J")
finish()
