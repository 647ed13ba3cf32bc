# SPDX-License-Identifier: BSD-2-Clause
"""Checkpoint and restart (issue 15): a transient 2-D coupled run (binary PHLP electrolyte over a
protrusion under an SEI, galvanostatic, adaptive steps) killed with SIGKILL at chosen moments and
rerun with the same command equals the uninterrupted run, on 1 and 2 ranks:
- inside a Newton step, while an output time is half written, while a checkpoint is half written,
  and from outside (kill -9 of mpirun once a checkpoint exists);
- every row of electrodes.csv and every cell field of every output time equal to 1e-12 (the same
  steps, Newton and Krylov iterations);
- the killed run leaves a valid XDMF/HDF5 series of the output times it completed;
- the restart loses at most one checkpoint interval (it continues from the last checkpoint);
- -restart with other options (a later -time_final) continues and says which options changed;
  -restart 0 starts afresh; -restart without a checkpoint, or for a steady run, and a damaged
  checkpoint are one error each.
The kill points come from npp's test hook NPP_FAULT=<where>:<n>[:<rank>] (checkpoint.c)."""
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
from npptest import EXE, MPIEXEC, OUT, check, finish, opts
import nppout

HERE = os.path.dirname(os.path.abspath(__file__))
CASE = os.path.join(HERE, "..", "..", "cases", "dendrite")
RUN = {"time_final": 6, "time_output_times": "2,4,6", "checkpoint_every": 3, "mesh_size": 2e-6,
       "region_electrolyte_material": "phlp", "output_progress": 0}


def npp(out, options, ranks=1, fault=None, wait=True):
    cmd = ([MPIEXEC, "-n", str(ranks)] if ranks > 1 else []) + [EXE, CASE] + opts(options) + ["-output_dir", out]
    env = dict(os.environ)
    env.pop("NPP_FAULT", None)
    if fault:
        env["NPP_FAULT"] = fault
    if not wait:
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)


def result(out):
    """(csv rows as float arrays, [(time, {field: values in output 0's cell order})], summary)."""
    with open(os.path.join(out, "electrodes.csv")) as f:
        rows = np.array([[float(v) if v else np.nan for v in r.split(",")] for r in f.read().splitlines()[1:]])
    xc, steps = nppout.read_xdmf(out)
    key = np.round(xc / np.ptp(xc) * 1e9)
    order = np.lexsort(key.T[::-1])  # runs on 2 ranks partition the cells differently: compare in one order
    return rows, [(t, {k: np.asarray(v)[order] for k, v in f.items()}) for t, f in steps], nppout.read_summary(out)


def same(name, ref, got, rtol=1e-12):
    """Every csv value and every cell value of every output time, relative to the field's scale."""
    (r0, s0, m0), (r1, s1, m1) = ref, got
    check(r0.shape == r1.shape, f"{name}: electrodes.csv has the reference's {r0.shape[0]} rows ({r1.shape[0]})")
    if r0.shape == r1.shape:
        known = ~np.isnan(r0)  # a potentiostatic electrode has no applied current: empty cells
        check(np.array_equal(known, ~np.isnan(r1)), f"{name}: electrodes.csv has the same empty cells")
        scale = np.max(np.where(known, np.abs(r0), 0), axis=0) + 1e-300
        err = np.max(np.where(known, np.abs(r1 - r0), 0) / scale)
        check(err <= rtol, f"{name}: electrodes.csv equal to the uninterrupted run (max rel. difference {err:.1e})")
    check([t for t, _ in s0] == [t for t, _ in s1], f"{name}: the output times {[t for t, _ in s1]}")
    # The unknowns to 1e-12. On 2 ranks each run partitions the cells its own way, so sums run in
    # another order: the unknowns then differ at round-off (1e-14 measured) and the current
    # density, a difference quotient of them, at 2e-11 of its largest value, in the output times
    # before the kill as much as after it; it is held to 1e-9.
    worst = {}
    for (_, f0), (_, f1) in zip(s0, s1):
        for k in f0:
            if k != "rank":
                a, b = np.asarray(f0[k]), np.asarray(f1[k])
                worst[k] = max(worst.get(k, 0), np.max(np.abs(a - b)) / (np.max(np.abs(a)) + 1e-300))
    derived = max(worst.pop("current_density", 0), worst.pop("charge_density", 0))
    state = max(worst.values())
    check(state <= rtol, f"{name}: concentrations and potential of every output time equal (max rel. difference {state:.1e})")
    check(derived <= 1e-9, f"{name}: current density of every output time equal (max rel. difference {derived:.1e}, tol 1e-9)")
    for key in ("steps", "snes_iterations", "ksp_iterations", "step_log"):
        a, b = m0["solver"].get(key), m1["solver"].get(key)
        check(a == b, f"{name}: the summary's {key} equal" + (f" ({b} == {a})" if key != "step_log" else ""))


def wait_for_lock(out, seconds=30):
    """A rank that was not killed itself may still be ending when mpiexec returns; its lock is
    then still held (a rerun would be refused): wait until its process is gone."""
    lock = os.path.join(out, ".npp.lock")
    end = time.time() + seconds
    while time.time() < end and os.path.exists(lock):
        try:
            os.kill(int(open(lock).read().split()[0]), 0)
        except (OSError, ValueError, IndexError):
            return
        time.sleep(0.1)


def valid_series(name, out):
    """What a killed run leaves: solution.xmf names only complete files, each readable."""
    try:
        _, steps = nppout.read_xdmf(out)
        check(len(steps) >= 1, f"{name}: the killed run's XDMF series is readable ({len(steps)} output times)")
    except Exception as e:  # noqa: BLE001
        check(False, f"{name}: the killed run's XDMF series is readable ({e})")


for ranks in (1, 2):
    ref_dir = os.path.join(OUT, f"restart_ref_np{ranks}")
    shutil.rmtree(ref_dir, ignore_errors=True)
    p = npp(ref_dir, RUN, ranks)
    if p.returncode:
        print(p.stdout, p.stderr)
        sys.exit("the uninterrupted run failed")
    check(not os.path.exists(os.path.join(ref_dir, "checkpoint.h5")), f"np{ranks}: a completed run removes its checkpoint")
    ref = result(ref_dir)
    faults = [("jacobian", "jacobian:14"), ("jacobian_late", "jacobian:21"), ("output", "output:3"), ("checkpoint", "checkpoint:3")]
    if ranks == 2:
        faults = [("jacobian_rank1", "jacobian:20:1"), ("checkpoint", "checkpoint:2")]
    for what, fault in faults:
        name = f"np{ranks}_{what}"
        out = os.path.join(OUT, f"restart_{name}")
        shutil.rmtree(out, ignore_errors=True)
        p = npp(out, RUN, ranks, fault)
        killed = p.returncode != 0 and "NPP_FAULT: killed" in p.stderr
        check(killed, f"{name}: the run was killed ({p.returncode})")
        if not killed:
            continue
        valid_series(name, out)
        wait_for_lock(out)
        had = os.path.exists(os.path.join(out, "checkpoint.h5"))
        p = npp(out, RUN, ranks)
        check(p.returncode == 0, f"{name}: the rerun completes ({p.stderr.strip()[-200:]})")
        if p.returncode:
            continue
        check(("continuing the run" in p.stdout) == had, f"{name}: the rerun continues from the checkpoint ({had})")
        same(name, ref, result(out))
        check(not any(f.endswith(".partial") for f in os.listdir(out)), f"{name}: no temporary file left ({sorted(os.listdir(out))})")

# Killed from outside: kill -9 of mpirun (and so of both ranks) once a checkpoint exists
name = "np2_kill_mpirun"
out = os.path.join(OUT, f"restart_{name}")
shutil.rmtree(out, ignore_errors=True)
slow = dict(RUN, checkpoint_every=1)
proc = npp(out, slow, 2, wait=False)
deadline = time.time() + 120
while time.time() < deadline and not os.path.exists(os.path.join(out, "checkpoint.h5")) and proc.poll() is None:
    time.sleep(0.05)
os.killpg(proc.pid, signal.SIGKILL)
proc.wait()
wait_for_lock(out)
check(os.path.exists(os.path.join(out, "checkpoint.h5")), f"{name}: a checkpoint was written before the kill")
p = npp(out, slow, 2)
check(p.returncode == 0 and "continuing the run" in p.stdout, f"{name}: the rerun continues ({p.stderr.strip()[-200:]})")
if p.returncode == 0:
    ref_dir = os.path.join(OUT, "restart_ref_np2_every1")
    shutil.rmtree(ref_dir, ignore_errors=True)
    npp(ref_dir, slow, 2)
    same(name, result(ref_dir), result(out))

# Options: a later end time with -restart; -restart 0; errors
out = os.path.join(OUT, "restart_options")
shutil.rmtree(out, ignore_errors=True)
npp(out, RUN, 1, "jacobian:21")
longer = dict(RUN, time_final=8, time_output_times="2,4,6,8", restart="")
p = npp(out, longer)
check(p.returncode == 0 and "options changed" in p.stdout and "-time_final" in p.stdout, f"restart_longer: -restart with a later -time_final continues and names it ({p.stdout.strip()[-160:]})")
if p.returncode == 0:
    s = nppout.read_summary(out)
    check(s.get("output_times") == [0, 2, 4, 6, 8], f"restart_longer: the output times of both parts {s.get('output_times')}")
    check(s["solver"].get("restarts") == 1, f"restart_longer: the summary counts the restart ({s['solver'].get('restarts')})")
npp(out, RUN, 1, "jacobian:21")
p = npp(out, dict(RUN, region_electrolyte_material="phlp15"))
check(p.returncode == 0 and "starting afresh" in p.stdout, "restart_other_options: a rerun with other options starts afresh and says why")
npp(out, RUN, 1, "jacobian:21")
p = npp(out, dict(RUN, restart=0))
check(p.returncode == 0 and "continuing" not in p.stdout and "replacing the earlier results" in p.stdout, "restart_0: -restart 0 starts afresh")
npp(out, RUN, 1, "jacobian:21")  # a damaged checkpoint (truncated, then not HDF5 at all): one error, nothing replaced
for name, damage in (("restart_truncated", lambda f: os.truncate(f, 3000)), ("restart_garbage", lambda f: open(f, "w").write("garbage"))):
    damage(os.path.join(out, "checkpoint.h5"))
    before = sorted(f for f in os.listdir(out) if f != ".npp.lock")  # the killed run's lock is taken over
    p = npp(out, RUN, 2)
    errs = [l for l in p.stderr.splitlines() if l.startswith("npp: error:")]
    check(p.returncode != 0 and len(errs) == 1 and "damaged" in errs[0] and "PETSC ERROR" not in p.stderr, f"{name}: one npp: error saying the checkpoint is damaged ({errs[:1]})")
    check(sorted(f for f in os.listdir(out) if f != ".npp.lock") == before, f"{name}: nothing replaced")
for name, options in (("restart_none", dict(RUN, restart="")), ("restart_steady", {"restart": "", "time_output_times": None})):
    out = os.path.join(OUT, name)
    shutil.rmtree(out, ignore_errors=True)
    o = {k: v for k, v in options.items() if v is not None}
    if name == "restart_steady":
        o = {"restart": "", "region_electrolyte_material": "phlp"}
    p = npp(out, o)
    errs = [l for l in p.stderr.splitlines() if l.startswith("npp: error:")]
    check(p.returncode != 0 and len(errs) == 1 and "-restart" in errs[0], f"{name}: one npp: error naming -restart ({errs[:1]})")
finish()
