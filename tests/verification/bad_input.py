# SPDX-License-Identifier: BSD-2-Clause
"""Bad input gets one clear error naming the file, the key and the value, a non-zero exit,
no traceback and no output left behind, on 1 and 2 ranks."""
import json
import os
import subprocess
import tempfile
from npptest import EXE, LAYERS_CASE, OUT, run, check, finish

tmp = tempfile.mkdtemp(prefix="npp-bad-")
GOOD = LAYERS_CASE


def case(name, text):
    d = os.path.join(tmp, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "case.yaml"), "w") as f:
        f.write(text)
    return d


def expect_error(name, casedir, options, must_contain, ranks=1, keeps=()):
    """keeps: the files a run that failed after it started writing keeps (its summary says so)."""
    out = os.path.join(OUT, name)
    s, p = run(name, options, ranks, case=casedir, expect_fail=True)
    lines = [l for l in p.stderr.splitlines() if l.startswith("npp: error:")]
    msg = lines[0] if lines else ""
    check(p.returncode != 0, f"{name}: exit code {p.returncode} != 0")
    check(len(lines) == 1, f"{name}: exactly one error line ({len(lines)}): {msg}")
    check("PETSC ERROR" not in p.stderr, f"{name}: no PETSc traceback")
    for word in must_contain:
        check(word in msg, f"{name}: message names '{word}'")
    left = os.listdir(out) if os.path.isdir(out) else []
    check(sorted(left) == sorted(keeps), f"{name}: output left behind {sorted(left)} == {sorted(keeps)}")
    if "summary.json" in keeps:
        with open(os.path.join(out, "summary.json")) as f:
            s = json.load(f)
        check(s.get("status") == "failed" and "did not converge" in s.get("error", ""), f"{name}: the summary says the run failed and why")


good = case("good", GOOD)
s, p = run("bad_input_reference", {}, 1, case=good)
check(s is not None and s["effective_conductivity"] > 0, "the reference case itself runs")

expect_error("malformed_yaml", case("malformed", GOOD.replace("  dim: 2", "  dim: [2\n  :")), {}, ["case file", "malformed/case.yaml"])
expect_error("unknown_case_key", case("typo", GOOD.replace("  size: 1e-6", "  size: 1e-6\n  refin: 1")), {},
             ["typo/case.yaml", "-mesh_refin", "1"])
expect_error("unknown_cmdline_key", good, {"region_polymer_conductiviy": 3}, ["command line", "-region_polymer_conductiviy", "3"])
expect_error("negative_conductivity", case("negative", GOOD.replace("conductivity: 1e-2", "conductivity: -1e-2")), {},
             ["negative/case.yaml", "-region_polymer_conductivity", "-0.01"])
expect_error("negative_conductivity_np2", good, {"region_ceramic_conductivity": -5}, ["command line", "-region_ceramic_conductivity", "-5"], ranks=2)
expect_error("missing_conductivity", case("missing", GOOD.replace("    conductivity: 0.1\n", "")), {}, ["-region_ceramic_conductivity", "missing"])
expect_error("region_not_in_mesh", good, {"region_names": "polymer,ceramic,sei", "region_sei_conductivity": 1e-6},
             ["-region_names", "'sei'", "polymer, ceramic"], ranks=2)
expect_error("boundary_not_in_mesh", good, {"bc_names": "xmin,anode", "bc_anode_potential": 0.1}, ["-bc_names", "'anode'", "xmax"])
expect_error("unknown_generator", good, {"mesh_generator": "spheres"}, ["-mesh_generator", "spheres"])
expect_error("missing_mesh_file", good, {"mesh_generator": "file", "mesh_file": "/nonexistent/cell.msh"}, ["-mesh_file", "/nonexistent/cell.msh"])
expect_error("bad_generator_value", good, {"mesh_generator": "particles", "mesh_particles_volume_fraction": 0.9,
             "mesh_particles_matrix": "polymer", "mesh_particles_particle": "ceramic"}, ["volume_fraction", "0.9"])
expect_error("bump_count", good, {"mesh_layers_bump": 0.5}, ["-mesh_layers_bump", "1 values for 2 layers"])
expect_error("bump_value", good, {"mesh_layers_bump": "0.5,1.5"}, ["bump[1] = 1.5"])
expect_error("missing_case", os.path.join(tmp, "nonexistent"), {}, ["nonexistent"])
expect_error("not_converged", good, {"ksp_max_it": 1, "ksp_type": "cg", "pc_type": "none", "snes_max_it": 1}, ["did not converge"], ranks=2,
             keeps=("summary.json", "mesh.msh"))  # failed before its first output time: the summary (status failed) and its mesh
# the NPP model's inputs
salt = {"region_polymer_conductivity": 1e-2, "region_polymer_li_concentration": 1000, "region_polymer_anion_concentration": 1000}
expect_error("transference_out_of_range", good, dict(salt, region_polymer_transference_number=1.3),
             ["-region_polymer_transference_number", "1.3"])
expect_error("transference_missing", good, salt, ["-region_polymer_transference_number", "missing"])
expect_error("negative_diffusivity", good, {"region_ceramic_li_diffusivity": -1e-12, "region_ceramic_conductivity": ""},
             ["-region_ceramic_li_diffusivity", "-1e-12"])
expect_error("negative_concentration", good, {"region_ceramic_li_concentration": -3}, ["-region_ceramic_li_concentration", "-3"])
expect_error("unknown_species_key", good, {"region_polymer_lithium_concentration": 1000}, ["-region_polymer_lithium_concentration", "1000"])
expect_error("two_species_conditions", good, {"bc_xmin_li_flux": 1e-3, "bc_xmin_li_concentration": 10},
             ["-bc_xmin_li_flux", "one condition"])
expect_error("bad_charge", good, {"species_names": "li,anion", "species_anion_charge": 0}, ["-species_anion_charge", "0"])
expect_error("negative_time", good, {"time_final": -1}, ["-time_final", "-1"])
expect_error("output_times_order", good, {"time_final": 10, "time_output_times": "5,2"}, ["-time_output_times", "2"])
expect_error("mms_wrong_model", good, {"mms_solution": "npp"}, ["-mms_solution", "Poisson"])
# electrodes
expect_error("negative_exchange_current", good, {"bc_xmin_exchange_current_density": -5}, ["-bc_xmin_exchange_current_density", "-5"])
expect_error("transfer_coefficient_range", good, {"bc_xmin_exchange_current_density": 5, "bc_xmin_transfer_coefficient": 1.5},
             ["transfer_coefficient", "1.5"])
expect_error("electrode_without_potential", good, {"bc_names": "xmin,xmax,ymin", "bc_ymin_exchange_current_density": 5},
             ["-bc_ymin_potential", "missing"])
expect_error("electrode_species_unknown", good, {"bc_xmin_exchange_current_density": 5, "bc_xmin_electrode_species": "na"},
             ["-bc_xmin_electrode_species", "'na'"])
# galvanostatic control and current schedules
expect_error("current_on_non_electrode", good, {"bc_xmin_current_density": 10}, ["-bc_xmin_current_density", "not an electrode"])
expect_error("galvanostatic_without_reference", good, {"bc_xmin_exchange_current_density": 5, "bc_xmin_current_density": 10,
                                                       "bc_xmax_exchange_current_density": 5, "bc_xmax_current_density": -10}, ["-bc_xmin_current_density", "reference"])
expect_error("schedule_without_current", good, {"bc_xmin_exchange_current_density": 5, "bc_xmin_current_reversal_time": 10},
             ["-bc_xmin_current_reversal_time", "needs -bc_xmin_current_density"])
expect_error("step_without_time", good, {"bc_xmin_exchange_current_density": 5, "bc_xmin_current_density": 1, "bc_xmin_current_density_step": 1},
             ["-bc_xmin_current_step_time"])
expect_error("negative_step_time", good, {"bc_xmin_exchange_current_density": 5, "bc_xmin_current_density": 1, "bc_xmin_current_density_step": 1,
                                          "bc_xmin_current_step_time": -3}, ["-bc_xmin_current_step_time", "-3"])
expect_error("unknown_material", good, {"region_polymer_material": "unobtainium"}, ["-region_polymer_material", "'unobtainium'", "lif"])
expect_error("unknown_protrusion_shape", good, {"mesh_generator": "anode", "mesh_anode_shape": "pyramid"}, ["-mesh_anode_shape", "'pyramid'"])
expect_error("unknown_conductivity_law", good, {"region_polymer_conductivity_law": "eyring"}, ["-region_polymer_conductivity_law", "'eyring'"])
expect_error("arrhenius_without_energy", good, {"region_polymer_conductivity_law": "arrhenius"}, ["-region_polymer_activation_energy", "missing"])
expect_error("vtf_below_t0", good, {"region_polymer_conductivity_law": "vtf", "region_polymer_vtf_b": 1000, "region_polymer_vtf_t0": 250,
                                     "physics_temperature": 240}, ["-physics_temperature", "240"])
expect_error("negative_electronic_conductivity", good, {"region_polymer_electronic_conductivity": -1e-9}, ["-region_polymer_electronic_conductivity", "-1e-09"])
expect_error("inert_material_region", good, {"region_polymer_material": "peva"}, ["-region_polymer_material", "'peva'", "inert"])
expect_error("unknown_generator_skeleton_typo", good, {"mesh_generator": "skeletn"}, ["-mesh_generator", "'skeletn'", "skeleton"])
# a degenerate triangle (its centroid on the edge it shares): one error on every rank, no hang
tangled = os.path.join(OUT, "tangled.msh")
os.makedirs(OUT, exist_ok=True)
with open(tangled, "w") as f:
    f.write("$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$PhysicalNames\n2\n1 1 \"xmin\"\n2 2 \"film\"\n$EndPhysicalNames\n"
            "$Nodes\n4\n1 0 0 0\n2 1e-6 0 0\n3 0 1e-6 0\n4 0.5e-6 0.5e-6 0\n$EndNodes\n"
            "$Elements\n3\n1 1 2 1 1 1 3\n2 2 2 2 1 1 2 3\n3 2 2 2 1 2 4 3\n$EndElements\n")
for ranks in (1, 2):
    expect_error(f"tangled_mesh_np{ranks}", None, {"mesh_generator": "file", "mesh_file": tangled, "region_names": "film", "region_film_conductivity": 0.1,
                                                  "bc_names": "xmin", "bc_xmin_potential": 0}, ["tangled or degenerate", "5e-07"], ranks=ranks)
# values that are not what their key needs (issue 15): checked before PETSc parses them
expect_error("not_a_number", good, {"region_polymer_conductivity": "1e-2x"}, ["command line", "-region_polymer_conductivity", "'1e-2x'", "not a number"])
expect_error("not_a_number_case_np2", case("nan", GOOD.replace("conductivity: 0.1", "conductivity: 1e")), {},
             ["nan/case.yaml", "-region_ceramic_conductivity", "'1e'"], ranks=2)
expect_error("not_an_integer", case("dim", GOOD.replace("  dim: 2", "  dim: 1.5")), {}, ["dim/case.yaml", "-mesh_dim", "'1.5'", "not an integer"])
expect_error("integer_overflow", good, {"mesh_refine": -4294967295}, ["-mesh_refine", "'-4294967295'", "range"])
expect_error("beyond_double", good, {"time_final": "1e309"}, ["-time_final", "'1e309'", "range"])
expect_error("infinite", good, {"region_polymer_conductivity": "inf"}, ["-region_polymer_conductivity", "'inf'", "finite"])
expect_error("not_a_list_of_numbers", good, {"time_final": 10, "time_output_times": "2,x"}, ["-time_output_times", "'x'"])
expect_error("not_a_logical", good, {"fv_nonorthogonal_correction": "maybe"}, ["-fv_nonorthogonal_correction", "'maybe'"])
# case files that PETSc's YAML reader would misread, or that reach outside their place (issue 15)
expect_error("include_cycle", case("cycle", GOOD + "$$x: !include case.yaml\n"), {}, ["cycle/case.yaml", "cycle"])
expect_error("include_outside", case("outside", GOOD + "$$x: !include /etc/hostname\n"), {}, ["outside/case.yaml", "/etc/hostname", "outside the case directory"])
expect_error("duplicate_key", case("dup", GOOD.replace("  size: 1e-6", "  size: 1e-6\n  size: 2e-6")), {}, ["dup/case.yaml", "-mesh_size", "twice", "line 8", "line 9"])
with open(os.path.join(case("nul", GOOD), "case.yaml"), "wb") as f:
    f.write(GOOD[:40].encode() + b"\0" + GOOD[40:].encode())
expect_error("nul_byte_np2", os.path.join(tmp, "nul"), {}, ["nul/case.yaml", "NUL byte at offset 40"], ranks=2)
expect_error("viewer_file_target", case("viewer", GOOD + "ksp_view_mat: binary:/tmp/npp-must-not-exist\n"), {}, ["viewer/case.yaml", "-ksp_view_mat", "command line"])
check(not os.path.exists("/tmp/npp-must-not-exist"), "viewer_file_target: the file was not written")
expect_error("output_dir_escape", case("escape", GOOD + "output_dir: ../../x\n"), {}, ["escape/case.yaml", "-output_dir", "../../x"])
inside = case("inside", GOOD + "output_dir: results\n")
p_in = subprocess.run([EXE, inside], capture_output=True, text=True, timeout=300, cwd=tmp)
check(p_in.returncode == 0 and os.path.exists(os.path.join(inside, "results", "summary.json")), "output_dir_inside: a case file's output_dir is relative to the case directory")
# unknown keys are errors before the solve starts, PETSc's as ours (a typo costs no run)
for name, opts in (("unknown_plain_key", {"temperature": 300}), ("unknown_petsc_key_np2", {"ksp_rtoll": 1e-3})):
    expect_error(name, good, dict(opts, time_final=10), ["unknown key", "-" + next(iter(opts))], ranks=2 if "np2" in name else 1)
# broken .msh files made elsewhere: Gmsh reads them first (PETSc's reader stops with a traceback or a
# segmentation fault), one error naming the file and what is wrong, 1 and 2 ranks
HEAD = '$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$PhysicalNames\n2\n1 1 "xmin"\n2 2 "film"\n$EndPhysicalNames\n'
broken = {"empty": "",
          "truncated": HEAD + "$Nodes\n4\n1 0 0 0\n2 1e-6 0 0\n",
          "counts": HEAD + "$Nodes\n99999999999\n",
          "missing_node": HEAD + "$Nodes\n3\n1 0 0 0\n2 1e-6 0 0\n3 0 1e-6 0\n$EndNodes\n$Elements\n2\n1 1 2 1 1 1 3\n2 2 2 2 1 1 2 99\n$EndElements\n",
          "mixed_cells": HEAD + "$Nodes\n5\n1 0 0 0\n2 1e-6 0 0\n3 0 1e-6 0\n4 1e-6 1e-6 0\n5 2e-6 0 0\n$EndNodes\n$Elements\n3\n1 1 2 1 1 1 3\n"
                         "2 2 2 2 1 1 2 3\n3 3 2 2 1 2 5 4 4\n$EndElements\n"}
for k, (what, text) in enumerate(broken.items()):
    path = os.path.join(OUT, f"broken_{what}.msh")
    with open(path, "w") as f:
        f.write(text)
    expect_error(f"broken_msh_{what}", None, {"mesh_generator": "file", "mesh_file": path, "region_names": "film", "region_film_conductivity": 0.1,
                                            "bc_names": "xmin", "bc_xmin_potential": 0}, ["-mesh_file", f"broken_{what}.msh", "not a mesh npp can read"],
                 ranks=1 + k % 2)
expect_error("negative_stop_voltage", good, {"time_final": 1, "time_stop_cell_voltage": -1}, ["-time_stop_cell_voltage", "-1"])
finish()
