# SPDX-License-Identifier: BSD-2-Clause
"""The parametric sweep tool (postproc/sweep.py, postproc/sweep_plot.py) on 1-D slabs between
two potential contacts, where npp's effective conductivity is the slab's conductivity to
round-off whatever its thickness: a 2x3 grid whose results.csv must give back each run's
conductivity and thickness, folder names and manifest that map back to the values, resuming
without redoing finished runs, a failing value recorded with npp's error while the others
succeed, retrying only failed or missing runs, one sweep.py per directory, zipped parameters
on 2 MPI ranks, range parsing, the Slurm array script (printed, and run task by task with a
stand-in srun), --collect and the plots. About 20 s on 2 cores."""
import csv
import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
sys.dont_write_bytecode = True   # nothing written into the source tree, also outside ctest
from npptest import EXE, MPIEXEC, OUT, check, close, finish  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
POSTPROC = os.path.normpath(os.path.join(HERE, "..", "..", "postproc"))
SWEEP = os.path.join(POSTPROC, "sweep.py")
PLOT = os.path.join(POSTPROC, "sweep_plot.py")

def load_tool():
    """postproc/sweep.py as a module (its range parser is tested directly), by path: this test
    has the same file name."""
    spec = importlib.util.spec_from_file_location("sweep_tool", SWEEP)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sweep = load_tool()

ROOT = os.path.join(OUT, "sweep")
# a 1-D slab between two potential contacts: sigma_eff = sigma, length = thickness
SLAB = ["-mesh_generator", "layers", "-mesh_dim", "1", "-mesh_layers_regions", "slab", "-mesh_size", "1e-6",
        "-region_names", "slab", "-bc_names", "xmin,xmax", "-bc_xmin_potential", "0", "-bc_xmax_potential", "0.01"]
# The scheme is exact for a uniform slab; what remains is the linear solver's tolerance (up to
# 1e-10 relative seen on 30 cells), so the tool's bookkeeping is checked at 1e-8.
RTOL = 1e-8
GRID = ["-p", "region_slab_conductivity=1e-3,1e-2", "-p", "mesh_layers_thickness=lin:1e-5:3e-5:3"]


def run_sweep(args, extra=SLAB, env=None):
    """sweep.py with this test's npp and MPI launcher; returns the completed process."""
    cmd = [sys.executable, SWEEP, "--npp", EXE, "--mpiexec", MPIEXEC] + args + (["--"] + extra if extra else [])
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)


def manifest(d):
    with open(os.path.join(d, "sweep.json")) as f:
        return json.load(f)


def results(d):
    with open(os.path.join(d, "results.csv"), newline="") as f:
        return list(csv.DictReader(f))


def mtimes(d, name):
    """{folder: mtime of folder/name} over the runs of a sweep."""
    return {r["folder"]: os.stat(os.path.join(d, r["folder"], name)).st_mtime_ns
            for r in manifest(d)["runs"] if os.path.exists(os.path.join(d, r["folder"], name))}


def check_ranges():
    """lin:/log: ranges include both ends; lists by commas or semicolons; bad specs are errors."""
    got = [float(v) for v in sweep.parse_values("lin:0.1:0.9:5")]
    check(len(got) == 5 and all(abs(g - w) < 1e-12 for g, w in zip(got, [0.1, 0.3, 0.5, 0.7, 0.9])), f"lin:0.1:0.9:5 -> {got}")
    got = [float(v) for v in sweep.parse_values("log:1e-8:1e-4:5")]
    check(len(got) == 5 and all(abs(g / w - 1) < 1e-12 for g, w in zip(got, [1e-8, 1e-7, 1e-6, 1e-5, 1e-4])), f"log:1e-8:1e-4:5 -> {got}")
    check(sweep.parse_values("1e-7, 1e-6,1e-5") == ["1e-7", "1e-6", "1e-5"], "comma list kept as given")
    check(sweep.parse_values("1,1;2,2") == ["1,1", "2,2"], "semicolon list of comma values")
    for bad in ("lin:0:1", "log:-1:1:3", "lin:0:1:x", "1,,2"):
        try:
            sweep.parse_values(bad)
            check(False, f"{bad} rejected")
        except sweep.SweepError as e:
            check(True, f"{bad} rejected: {e}")
    p = run_sweep(["-p", "region_slab_conductivity=log:0:1:3", "--out", os.path.join(ROOT, "bad")])
    check(p.returncode == 2 and p.stderr.strip().startswith("sweep.py: error:") and len(p.stderr.strip().splitlines()) == 1,
          f"bad range on the command line: exit 2 with one error line ({p.stderr.strip()!r})")


# The log of a 2-rank run that srun started without a PMI OpenMPI understands (Slurm 22.05 with
# MpiDefault=none, Debian's OpenMPI 4.1), shortened: the cause is the help message, the last
# lines only the abort that followed.
PMI_LOG = """[vm:22947] OPAL ERROR: Unreachable in file ext3x_client.c at line 112
--------------------------------------------------------------------------
The application appears to have been direct launched using "srun",
but OMPI was not built with SLURM's PMI support and therefore cannot
execute. There are several options for building PMI support under
SLURM, depending upon the SLURM version you are using:

  version 16.05 or later: you can use SLURM's PMIx support.
--------------------------------------------------------------------------
*** An error occurred in MPI_Init_thread
*** on a NULL communicator
[vm:22947] Local abort before MPI_INIT completed completed successfully, but am not able to aggregate error messages
srun: error: vm: task 1: Exited with exit code 1
"""


def check_error_line():
    """A failed run's recorded error: the first `npp: error:` line; else the launcher's first
    help message or error line, never the abort lines at the end."""
    got = sweep.error_line("npp: starting\nnpp: error: first\nnpp: error: second\nlast\n", 1)
    check(got == "npp: error: first", f"first npp: error: line ({got!r})")
    got = sweep.error_line(PMI_LOG, 1)
    check(got.startswith("exit code 1: The application appears to have been direct launched using \"srun\", but OMPI was not "
                         "built with SLURM's PMI support and therefore cannot execute.") and "--slurm-mpi" in got,
          f"OpenMPI's help message, first sentence, with the hint ({got!r})")
    got = sweep.error_line("npp: mesh\nsrun: error: vm: task 0: Exited with exit code 2\nsrun: error: later\n", 2)
    check(got == "exit code 2: srun: error: vm: task 0: Exited with exit code 2", f"the launcher's first error line ({got!r})")
    got = sweep.error_line("[0]PETSC ERROR: --------- Error Message -----------\n[0]PETSC ERROR: Out of memory\nend\n", 1)
    check(got == "exit code 1: [0]PETSC ERROR: Out of memory", f"separator lines are not the error ({got!r})")
    check(sweep.error_line("a\nb\n", 9) == "exit code 9: b" and sweep.error_line("", 9) == "exit code 9: no output",
          "no error line: the last line, or 'no output'")


def check_grid(d):
    """2x3 grid: every run finished, sigma_eff and length equal the swept values, folders and
    manifest map back to the values, in grid order (first parameter slowest)."""
    p = run_sweep(GRID + ["--jobs", "2", "--out", d])
    check(p.returncode == 0, f"grid sweep exit code {p.returncode}")
    check("6/6 done, 0 failed, 0 running" in p.stdout and "ETA" in p.stdout, "progress lines with done/failed/running/ETA")
    rows = results(d)
    check(len(rows) == 6 and all(r["status"] == "done" for r in rows), f"6 runs done ({[r['status'] for r in rows]})")
    want = [(s, t) for s in (1e-3, 1e-2) for t in (1e-5, 2e-5, 3e-5)]
    for r, (s, t) in zip(rows, want):
        check(abs(float(r["region_slab_conductivity"]) / s - 1) < 1e-12 and abs(float(r["mesh_layers_thickness"]) / t - 1) < 1e-12,
              f"run {r['index']} values in grid order ({s:g}, {t:g})")
        close(float(r["effective_conductivity"]), s, RTOL, f"{r['run']}: effective_conductivity = sigma")
        close(float(r["length"]), t, 1e-10, f"{r['run']}: length = thickness")
        check("xmin.current" in r and "regions.slab.conductivity" in r, "boundary and region figures flattened by name")
    m = manifest(d)
    short = {q["short"]: q["name"] for q in m["parameters"]}
    folders = [r["folder"] for r in m["runs"]]
    check(len(set(folders)) == 6, "six distinct folders")
    for r in m["runs"]:
        back = dict(kv.split("=", 1) for kv in r["folder"].split(","))
        values = {short[k]: v for k, v in back.items()}
        check(values == r["params"] and os.path.exists(os.path.join(d, r["folder"], "summary.json")),
              f"folder {r['folder']} maps back to {r['params']}")
        check(all(c.isalnum() or c in "._+-=," for c in r["folder"]), f"folder {r['folder']} is filesystem-safe")
    return rows


def check_resume(d):
    """Rerunning the same command redoes nothing; a run whose folder vanished is redone alone."""
    before, walls = mtimes(d, "summary.json"), {r["folder"]: r["wall_time"] for r in manifest(d)["runs"]}
    p = run_sweep(GRID + ["--jobs", "2", "--out", d])
    check(p.returncode == 0 and "6 finished already, 0 to run" in p.stdout, f"rerun: nothing to run ({p.stdout.splitlines()[:1]})")
    check(mtimes(d, "summary.json") == before, "rerun: no summary.json rewritten")
    check({r["folder"]: r["wall_time"] for r in manifest(d)["runs"]} == walls, "rerun: recorded wall times unchanged")
    with open(os.path.join(d, ".sweep.lock"), "w") as f:     # a live sweep.py holds the directory
        f.write(f"{os.getpid()}\n")
    p = run_sweep(GRID + ["--out", d])
    check(p.returncode == 2 and "in use by another sweep.py" in p.stderr, "a second sweep.py on a busy directory is refused")
    dead = subprocess.Popen(["true"])
    dead.wait()
    with open(os.path.join(d, ".sweep.lock"), "w") as f:     # ... a dead one's lock is taken over
        f.write(f"{dead.pid}\n")
    p = run_sweep(GRID + ["--out", d])
    check(p.returncode == 0 and not os.path.exists(os.path.join(d, ".sweep.lock")), "a stale lock is taken over and released")
    gone = manifest(d)["runs"][4]["folder"]
    shutil.rmtree(os.path.join(d, gone))
    p = run_sweep(GRID + ["--jobs", "2", "--out", d])
    after = mtimes(d, "summary.json")
    check(p.returncode == 0 and "5 finished already, 1 to run" in p.stdout and gone in after,
          "a missing run is redone")
    check(all(after[k] == v for k, v in before.items() if k != gone), "... and only that one")


def check_failure(d):
    """A negative conductivity fails in npp: recorded with its error line, the others succeed;
    --no-retry-failed leaves it alone, the default retries it and only it."""
    args = ["-p", "region_slab_conductivity=1e-2,-1e-2,1e-3", "-p", "mesh_layers_thickness=1e-5", "--jobs", "2", "--out", d]
    p = run_sweep(args)
    check(p.returncode == 1, f"a failed run gives exit code 1 (got {p.returncode})")
    runs = {r["params"]["region_slab_conductivity"]: r for r in manifest(d)["runs"]}
    bad = runs["-1e-2"]
    check(bad["status"] == "failed" and bad.get("error", "").startswith("npp: error:") and "must be positive" in bad["error"],
          f"failure recorded with npp's error: {bad.get('error')!r}")
    check(not os.path.exists(os.path.join(d, bad["folder"], "summary.json")), "no summary.json for the failed run")
    rows = {r["region_slab_conductivity"]: r for r in results(d)}
    check(rows["-1e-2"]["status"] == "failed" and rows["-1e-2"]["error"] == bad["error"], "results.csv: failed row with the error")
    for v in ("1e-2", "1e-3"):
        check(rows[v]["status"] == "done", f"conductivity {v}: done despite the failure")
        close(float(rows[v]["effective_conductivity"]), float(v), RTOL, f"conductivity {v}: effective_conductivity")
    done = {k: v for k, v in mtimes(d, "summary.json").items()}
    log = mtimes(d, "npp.log")[bad["folder"]]
    p = run_sweep(args + ["--no-retry-failed"])
    check(p.returncode == 1 and "0 to run" in p.stdout and mtimes(d, "npp.log")[bad["folder"]] == log,
          "--no-retry-failed: the failed run is not retried")
    p = run_sweep(args)
    check(p.returncode == 1 and "2 finished already, 1 to run" in p.stdout and mtimes(d, "npp.log")[bad["folder"]] != log,
          "default: the failed run is retried")
    check(mtimes(d, "summary.json") == done, "... and the finished ones are not")


def check_zip(d):
    """--zip pairs the values (2 runs, not 4), here on 2 MPI ranks each through mpiexec."""
    p = run_sweep(["-p", "region_slab_conductivity=1e-3,1e-2", "-p", "mesh_layers_thickness=1e-5,2e-5", "--zip",
                   "--ranks", "2", "--jobs", "1", "--out", d])
    rows = results(d)
    pairs = [(r["region_slab_conductivity"], r["mesh_layers_thickness"]) for r in rows]
    check(p.returncode == 0 and pairs == [("1e-3", "1e-5"), ("1e-2", "2e-5")], f"--zip pairs the values: {pairs}")
    check(all(r["ranks"] == "2" for r in rows), "--ranks 2: runs on 2 MPI ranks")
    for r in rows:
        close(float(r["effective_conductivity"]), float(r["region_slab_conductivity"]), RTOL, f"zip {r['run']}: sigma_eff")
    p = run_sweep(["-p", "region_slab_conductivity=1e-3,1e-2", "-p", "mesh_layers_thickness=1e-5", "--zip", "--out", d + "-bad"])
    check(p.returncode == 2 and "--zip needs lists of the same length" in p.stderr, "--zip with unequal lists is an error")


def check_slurm(d, done_dir):
    """--dry-run prints the array script and writes nothing; the written script, run task by
    task with a stand-in srun (drops -n M), gives the same folders, and --collect the table."""
    script = os.path.join(ROOT, "array.sh")
    p = run_sweep(GRID + ["--ranks", "3", "--slurm", script, "--slurm-time", "00:10:00", "--slurm-partition", "debug",
                          "--slurm-account", "abc", "--dry-run", "--out", d])
    for want in ("#SBATCH --array=0-5", "#SBATCH --ntasks=3", "srun -n 3", "#SBATCH --time=00:10:00",
                 "#SBATCH --partition=debug", "#SBATCH --account=abc", "SLURM_ARRAY_TASK_ID"):
        check(want in p.stdout, f"--slurm --dry-run prints {want}")
    check(p.returncode == 0 and not os.path.exists(script) and not os.path.exists(d), "--dry-run writes nothing")
    p = run_sweep(GRID + ["--slurm", script, "--out", done_dir])
    check(p.returncode == 0 and "nothing to submit" in p.stdout, "--slurm on a finished sweep: nothing to submit")

    args = ["-p", "region_slab_conductivity=2e-3,-1", "-p", "mesh_layers_thickness=1e-5", "--slurm", script, "--out", d]
    p = run_sweep(args)
    check(p.returncode == 0 and os.path.exists(os.path.join(d, "params.txt")), "--slurm writes the script and params.txt")
    fake = os.path.join(ROOT, "bin")
    os.makedirs(fake, exist_ok=True)
    with open(os.path.join(fake, "srun"), "w") as f:
        f.write('#!/bin/bash\nshift 2\nexec "$@"\n')
    os.chmod(os.path.join(fake, "srun"), stat.S_IRWXU)
    env = dict(os.environ, PATH=fake + os.pathsep + os.environ["PATH"])
    rcs = [subprocess.run(["bash", script], env=dict(env, SLURM_ARRAY_TASK_ID=str(i)), capture_output=True, text=True).returncode
           for i in range(2)]
    check(rcs == [0, 1], f"array tasks 0 and 1 exit with npp's code ({rcs})")
    p = subprocess.run([sys.executable, SWEEP, "--collect", d], capture_output=True, text=True)
    rows = results(d)
    check(p.returncode == 1 and [r["status"] for r in rows] == ["done", "failed"] and rows[1]["error"].startswith("npp: error:"),
          "--collect after the array: one done, one failed with npp's error")
    close(float(rows[0]["effective_conductivity"]), 2e-3, RTOL, "array task 0: sigma_eff")
    p = run_sweep(args + ["--dry-run"])
    check("#SBATCH --array=1\n" in p.stdout, "resubmission: the array holds only the failed run")
    p = run_sweep(args + ["--no-retry-failed", "--dry-run"])
    check("nothing to submit" in p.stdout, "... and nothing with --no-retry-failed")


def check_collect_and_plot(d, rows):
    """--collect rebuilds the same table; sweep_plot.py writes line plots and colour maps."""
    os.remove(os.path.join(d, "results.csv"))
    p = subprocess.run([sys.executable, SWEEP, "--collect", d], capture_output=True, text=True)
    check(p.returncode == 0 and results(d) == rows, "--collect rebuilds results.csv identically")
    for extra, name in ((["--series", "region_slab_conductivity", "--logy"], "line.png"),
                        (["--series", "region_slab_conductivity", "--map"], "map.png"),
                        (["--where", "region_slab_conductivity=0.01"], "where.png")):
        out = os.path.join(ROOT, name)
        p = subprocess.run([sys.executable, PLOT, os.path.join(d, "results.csv"), "--y", "effective_conductivity",
                            "--x", "mesh_layers_thickness", "--out", out] + extra, capture_output=True, text=True)
        ok = p.returncode == 0 and os.path.exists(out) and os.path.getsize(out) > 1000
        if ok:
            with open(out, "rb") as f:
                ok = f.read(8) == b"\x89PNG\r\n\x1a\n"
        check(ok, f"sweep_plot.py {' '.join(extra)}: non-empty PNG {name} {p.stderr.strip()}")
    p = subprocess.run([sys.executable, PLOT, os.path.join(d, "results.csv"), "--y", "effective_conductivity",
                        "--x", "mesh_layers_thickness"], capture_output=True, text=True)
    check(p.returncode != 0 and "also varies" in p.stderr, "sweep_plot.py refuses to mix runs of another varying parameter")


shutil.rmtree(ROOT, ignore_errors=True)
os.makedirs(ROOT)
check_ranges()
check_error_line()
grid = os.path.join(ROOT, "grid")
rows = check_grid(grid)
check_resume(grid)
rows = results(grid)
check_failure(os.path.join(ROOT, "fail"))
check_zip(os.path.join(ROOT, "zip"))
check_slurm(os.path.join(ROOT, "slurm"), grid)
check_collect_and_plot(grid, rows)
finish()
