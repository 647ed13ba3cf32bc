# SPDX-License-Identifier: BSD-2-Clause
"""Runs that fail keep what they completed and never pass off a broken result (issue 15):
- a transient run that fails late keeps its completed output times as a valid XDMF/HDF5 series,
  with a summary that says it failed, why and the time reached (1 and 2 ranks);
- a rerun that fails before writing leaves the earlier results untouched; one that writes
  replaces them whole (no file of the earlier run remains);
- one run per output directory: a second run into a locked directory is an error, the lock of a
  run that was killed is taken over;
- a full disk (a small tmpfs, where this machine lets root mount one) at any moment: either a
  complete, readable result, or exactly one npp: error line, a non-zero exit and no summary."""
import json
import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from npptest import EXE, MPIEXEC, OUT, opts, check, finish, read_xdmf

SAND = {"mesh_generator": "layers", "mesh_dim": 1, "mesh_layers_thickness": 1e-4, "mesh_layers_regions": "electrolyte",
        "mesh_size": 1e-6, "mesh_layers_bump": 0.05, "region_names": "electrolyte",
        "region_electrolyte_conductivity": 0.094, "region_electrolyte_transference_number": 0.4,
        "region_electrolyte_li_concentration": 1000, "region_electrolyte_anion_concentration": 1000,
        "bc_names": "xmin,xmax", "bc_xmin_li_flux": -1.25e-3, "bc_xmax_li_flux": 1.25e-3}
LATE_FAIL = dict(SAND, time_final=40, time_output_times="5,10,15")  # depletion (Sand's time) near 17 s
LAYERS = {"mesh_generator": "layers", "mesh_dim": 2, "mesh_layers_thickness": "4e-6,6e-6", "mesh_layers_regions": "polymer,ceramic",
          "mesh_layers_width": 4e-6, "mesh_size": 1e-6, "region_names": "polymer,ceramic",
          "region_polymer_conductivity": 1e-2, "region_ceramic_conductivity": 0.1,
          "bc_names": "xmin,xmax", "bc_xmin_potential": 0, "bc_xmax_potential": 0.01}


def npp(out, options, ranks=1):
    """Runs npp into out (not emptied first: these tests are about what is already there)."""
    cmd = ([MPIEXEC, "-n", str(ranks)] if ranks > 1 else []) + [EXE] + opts(options) + ["-output_dir", out]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def errors(p):
    return [l for l in p.stderr.splitlines() if l.startswith("npp: error:")]


def one_error(name, p, words=()):
    e = errors(p)
    check(p.returncode != 0, f"{name}: non-zero exit ({p.returncode})")
    check(len(e) == 1 and "PETSC ERROR" not in p.stderr, f"{name}: exactly one npp: error line, no traceback: {e[:2]}")
    for w in words:
        check(bool(e) and w in e[0], f"{name}: the error says '{w}'")


def valid_result(name, out, status):
    """summary.json parses and has the status; solution.xmf parses and every dataset it names
    is in solution.h5 (nppout.read_xdmf reads them all)."""
    try:
        with open(os.path.join(out, "summary.json")) as f:
            s = json.load(f)
        ET.parse(os.path.join(out, "solution.xmf"))
        _, steps = read_xdmf(out)
    except Exception as e:  # noqa: BLE001  (any failure to read is the finding)
        check(False, f"{name}: result readable ({e})")
        return None, []
    check(s.get("status") == status, f"{name}: summary status {s.get('status')} == {status}")
    check(not any(f.endswith(".partial") or f.endswith(".partial.msh") for f in os.listdir(out)), f"{name}: no temporary file left: {sorted(os.listdir(out))}")
    return s, steps


# 1. A late failure keeps the completed output times
for ranks in (1, 2):
    name = f"late_failure_np{ranks}"
    out = os.path.join(OUT, name)
    shutil.rmtree(out, ignore_errors=True)
    p = npp(out, LATE_FAIL, ranks)
    one_error(name, p, ["time integration stopped"])
    s, steps = valid_result(name, out, "failed")
    if s:
        check(s.get("output_times") == [0, 5, 10, 15], f"{name}: the completed output times are kept: {s.get('output_times')}")
        check(15 < s.get("time_reached", 0) < 40, f"{name}: the time reached is recorded: {s.get('time_reached')}")
        check("time integration stopped" in s.get("error", ""), f"{name}: the summary says why: {s.get('error', '')[:60]}")
        check([t for t, _ in steps] == [0, 5, 10, 15], f"{name}: the XDMF series holds the 4 completed times ({[t for t, _ in steps]})")
        check(os.path.exists(os.path.join(out, "mesh.msh")), f"{name}: the mesh the summary names is kept")
    check("kept the 4 output times" in p.stdout, f"{name}: the run says what it kept")

# 2. Reruns into a finished run's directory
out = os.path.join(OUT, "rerun")
shutil.rmtree(out, ignore_errors=True)
first = dict(LAYERS, bc_xmin_exchange_current_density=5)  # an electrode: electrode_xmin.xmf
p = npp(out, first)
check(p.returncode == 0 and os.path.exists(os.path.join(out, "electrode_xmin.xmf")), "rerun: the first run writes its results")
before = {f: open(os.path.join(out, f), "rb").read() for f in sorted(os.listdir(out))}
p = npp(out, dict(first, region_polymer_conductivity="1e-2x"))
one_error("rerun_bad_value", p, ["-region_polymer_conductivity"])
after = {f: open(os.path.join(out, f), "rb").read() for f in sorted(os.listdir(out))}
check(before == after, f"rerun_bad_value: a rerun that fails before writing leaves the earlier results untouched ({sorted(after)})")
p = npp(out, LATE_FAIL)
one_error("rerun_late_failure", p)
check(not os.path.exists(os.path.join(out, "electrode_xmin.xmf")), f"rerun_late_failure: no file of the earlier run remains ({sorted(os.listdir(out))})")
check("replacing the earlier results" in p.stdout, "rerun_late_failure: the run says it replaces the earlier results")
valid_result("rerun_late_failure", out, "failed")

# 3. One run per directory
out = os.path.join(OUT, "locked")
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
lock = os.path.join(out, ".npp.lock")
with open(lock, "w") as f:  # a live process of this host holds it: this test's own
    f.write(f"{os.getpid()} {os.uname().nodename}\n")
p = npp(out, LAYERS, 2)
one_error("locked", p, ["in use by another npp run", ".npp.lock", str(os.getpid())])
check(os.path.exists(lock) and not os.path.exists(os.path.join(out, "summary.json")), "locked: nothing written, the other run's lock kept")
dead = subprocess.Popen(["true"])
dead.wait()
with open(lock, "w") as f:  # a killed run's lock: its process is gone
    f.write(f"{dead.pid} {os.uname().nodename}\n")
p = npp(out, LAYERS)
check(p.returncode == 0 and "lock taken over" in p.stdout, f"stale_lock: a dead run's lock is taken over ({errors(p)[:1]})")
check(not os.path.exists(lock), "stale_lock: the lock is released at the end")

# 4. A full disk at every stage of the output
mnt = tempfile.mkdtemp(prefix="npp-full-")
probe = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt], capture_output=True, text=True)
if probe.returncode != 0:
    print(f"skipped: the disk-full checks need root and tmpfs mounts ({probe.stderr.strip()[:80]})")
else:
    subprocess.run(["umount", mnt])
    outcomes = {}
    for size in ("8k", "20k", "36k", "44k", "48k", "52k", "2m"):
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mnt], check=True)
        try:
            out = os.path.join(mnt, "out")
            p = npp(out, LAYERS)
            name = f"disk_full_{size}"
            if p.returncode == 0:
                outcomes[size] = "complete"
                valid_result(name, out, "completed")
            else:
                outcomes[size] = "error"
                one_error(name, p, ["cannot write"])
                check(not os.path.exists(os.path.join(out, "summary.json")), f"{name}: no summary of a broken result")
        finally:
            subprocess.run(["umount", mnt])
    print("disk-full outcomes:", outcomes)
    check(outcomes.get("8k") == "error" and outcomes.get("2m") == "complete", "disk_full: the smallest disk fails, the largest completes")
    os.rmdir(mnt)
finish()
