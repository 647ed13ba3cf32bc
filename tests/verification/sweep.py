# SPDX-License-Identifier: BSD-2-Clause
"""The parametric sweep tool (postproc/sweep.py, postproc/sweep_plot.py) on 1-D slabs between
two potential contacts, where npp's effective conductivity is the slab's conductivity to
round-off whatever its thickness: a 2x3 grid whose results.csv must give back each run's
conductivity and thickness, folder names and manifest that map back to the values, resuming
without redoing finished runs, a failing value recorded with npp's error while the others
succeed, retrying only failed or missing runs, one sweep.py per directory, zipped parameters
on 2 MPI ranks, range parsing, the recorded error of a failed run, the Slurm array script
(printed, and run task by task with stand-ins for srun, squeue and npp: values a shell would run
reach npp unchanged, control characters refused, the launch line, queued and running tasks in
--collect), --collect and the plots. About 25 s on 2 cores. tests/verification/slurm.py runs
the arrays on a real Slurm."""
import csv
import importlib.util
import json
import os
import re
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


def run_sweep(args, extra=SLAB, env=None, npp=EXE, mpiexec=MPIEXEC):
    """sweep.py with this test's npp and MPI launcher (none given: a Slurm script's tasks use
    srun); returns the completed process."""
    cmd = [sys.executable, SWEEP, "--npp", npp] + (["--mpiexec", mpiexec] if mpiexec else []) + args
    return subprocess.run(cmd + (["--"] + extra if extra else []), capture_output=True, text=True, timeout=300, env=env)


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


def fake_slurm():
    """A directory with stand-ins for Slurm's commands, and the environment that puts it first
    on PATH: srun logs its arguments to $FAKE_SRUN_LOG and runs the command after its options;
    squeue prints $FAKE_SQUEUE (lines of %F|%K|%T) when asked for the job name $FAKE_NAME, and
    fails when $FAKE_SQUEUE is 'fail'."""
    fake = os.path.join(ROOT, "bin")
    os.makedirs(fake, exist_ok=True)
    scripts = {"srun": '#!/bin/bash\nprintf "%s\\n" "$*" >> "${FAKE_SRUN_LOG:-/dev/null}"\n'
                       'while [ $# -gt 0 ]; do case $1 in -n) shift 2 ;; -*) shift ;; *) break ;; esac; done\nexec "$@"\n',
               "squeue": '#!/bin/bash\n[ "$FAKE_SQUEUE" = fail ] && { echo "squeue: error: no controller" >&2; exit 1; }\n'
                         'case "$*" in *"--name=$FAKE_NAME"*) printf "%b" "$FAKE_SQUEUE" ;; esac\n'}
    for name, text in scripts.items():
        with open(os.path.join(fake, name), "w") as f:
            f.write(text)
        os.chmod(os.path.join(fake, name), stat.S_IRWXU)
    return dict(os.environ, PATH=fake + os.pathsep + os.environ["PATH"], FAKE_SQUEUE="", FAKE_NAME="none")


def fake_npp():
    """A stand-in npp that records its arguments in OUTPUT_DIR/argv.json and finishes (an empty
    summary.json): what a job script hands npp, without running it."""
    path = os.path.join(ROOT, "bin", "fake-npp")
    with open(path, "w") as f:
        f.write(f"#!{sys.executable}\nimport json, os, sys\nargs = sys.argv[1:]\nout = args[args.index('-output_dir') + 1]\n"
                "os.makedirs(out, exist_ok=True)\njson.dump(args, open(os.path.join(out, 'argv.json'), 'w'))\n"
                "json.dump({}, open(os.path.join(out, 'summary.json'), 'w'))\n")
    os.chmod(path, stat.S_IRWXU)
    return path


def run_task(script, i, env):
    return subprocess.run(["bash", script], env=dict(env, SLURM_ARRAY_TASK_ID=str(i), SLURM_ARRAY_JOB_ID="77"),
                          capture_output=True, text=True, timeout=300)


def check_slurm(d, done_dir):
    """--dry-run prints the array script and writes nothing; the written script, run task by
    task with a stand-in srun, gives the same folders, and --collect the table with wall times."""
    env = fake_slurm()
    script = os.path.join(ROOT, "array.sh")
    p = run_sweep(GRID + ["--ranks", "3", "--slurm", script, "--slurm-time", "00:10:00", "--slurm-partition", "debug",
                          "--slurm-account", "abc", "--dry-run", "--out", d], mpiexec=None, env=env)
    for want in ("#SBATCH --array=0-5", "#SBATCH --ntasks=3", "LAUNCH=(srun --mpi=pmix -n 3)", "#SBATCH --time=00:10:00",
                 "#SBATCH --partition=debug", "#SBATCH --account=abc", "SLURM_ARRAY_TASK_ID"):
        check(want in p.stdout, f"--slurm --dry-run prints {want}")
    check(p.returncode == 0 and not os.path.exists(script) and not os.path.exists(d), "--dry-run writes nothing")
    p = run_sweep(GRID + ["--slurm", script, "--out", done_dir], mpiexec=None, env=env)
    check(p.returncode == 0 and "nothing to submit" in p.stdout, "--slurm on a finished sweep: nothing to submit")

    args = ["-p", "region_slab_conductivity=2e-3,-1", "-p", "mesh_layers_thickness=1e-5", "--slurm", script, "--out", d]
    p = run_sweep(args, mpiexec=None, env=env)
    check(p.returncode == 0 and os.path.exists(os.path.join(d, "params.txt")), "--slurm writes the script and params.txt")
    rcs = [run_task(script, i, env).returncode for i in range(2)]
    check(rcs == [0, 1], f"array tasks 0 and 1 exit with npp's code ({rcs})")
    p = subprocess.run([sys.executable, SWEEP, "--collect", d], capture_output=True, text=True, env=env)
    rows = results(d)
    check(p.returncode == 1 and [r["status"] for r in rows] == ["done", "failed"] and rows[1]["error"].startswith("npp: error:"),
          "--collect after the array: one done, one failed with npp's error")
    close(float(rows[0]["effective_conductivity"]), 2e-3, RTOL, "array task 0: sigma_eff")
    walls = [r["wall_time"] for r in rows]
    check(all(w and 0 < float(w) < 300 for w in walls), f"wall time of Slurm-run rows from the task's times ({walls})")
    check(manifest(d)["runs"][0].get("slurm_job") == "77_0", "the task's job id is recorded in the manifest")
    p = run_sweep(args + ["--dry-run"], mpiexec=None, env=env)
    check("#SBATCH --array=1\n" in p.stdout, "resubmission: the array holds only the failed run")
    p = run_sweep(args + ["--no-retry-failed", "--dry-run"], mpiexec=None, env=env)
    check("nothing to submit" in p.stdout, "... and nothing with --no-retry-failed")


# Values a shell would take for commands or expand (given as a ;-list: no ; in them)
TRICKY = ["a b", "x' && touch PWNED && '", "$(touch PWNED)", "`touch PWNED`", "c|d&e>f,g", "*", "\\\\n", "\"q\"", "é"]


def check_slurm_quoting(d):
    """Every value reaches npp as one argument, unchanged, through the #SBATCH lines, the
    script's arrays and params.txt's eval; nothing is run on the way; params.txt has one line
    per run. Run with a stand-in npp that records its arguments."""
    env, npp = fake_slurm(), fake_npp()
    out = d + " it's"
    script = os.path.join(out + ".sh")
    extra = ["-mesh_size", "1e-6 $(touch PWNED)", "-title", "a'b"]
    p = run_sweep(["-p", "region_x=" + ";".join(TRICKY), "--slurm", script, "--out", out, "--slurm-partition", "p q",
                   "--slurm-account", "a'c"], extra=extra, npp=npp, mpiexec=None, env=env)
    check(p.returncode == 0, f"--slurm with values a shell would run: written ({p.stderr.strip()})")
    with open(script) as f:
        text = f.read()
    check("#SBATCH --partition='p q'\n" in text and "#SBATCH --account='a'\"'\"'c'\n" in text,
          "#SBATCH values shell-quoted (sbatch's parser takes both quotes)")
    check(subprocess.run(["bash", "-n", script]).returncode == 0, "the script is valid bash")
    with open(os.path.join(out, "params.txt")) as f:
        lines = f.read().split("\n")
    check(len(lines) == len(TRICKY) + 1 and lines[-1] == "" and all(ln.count("\t") == 1 for ln in lines[:-1]),
          f"params.txt: one line per run ({len(lines) - 1} for {len(TRICKY)})")
    log = os.path.join(ROOT, "srun.log")
    env = dict(env, FAKE_SRUN_LOG=log)
    cwd = os.path.join(ROOT, "cwd")
    os.makedirs(cwd, exist_ok=True)
    rcs = [subprocess.run(["bash", script], cwd=cwd, env=dict(env, SLURM_ARRAY_TASK_ID=str(i), SLURM_ARRAY_JOB_ID="5"),
                          capture_output=True, text=True, timeout=60).returncode for i in range(len(TRICKY))]
    check(rcs == [0] * len(TRICKY), f"every task ran ({rcs})")
    got = []
    for r in manifest(out)["runs"]:
        with open(os.path.join(out, r["folder"], "argv.json")) as f:
            argv = json.load(f)
        got.append(argv[argv.index("-region_x") + 1])
        check(argv[argv.index("-mesh_size") + 1] == extra[1] and argv[argv.index("-title") + 1] == "a'b"
              and argv[argv.index("-output_dir") + 1] == os.path.join(out, r["folder"]), f"{r['folder']}: options after -- and output_dir intact")
    check(got == TRICKY, f"every value reached npp unchanged ({got})")
    check(not any("PWNED" in names for _, _, names in os.walk(ROOT)) and not os.path.exists(os.path.join(cwd, "PWNED")),
          "nothing in the values was run")
    with open(log) as f:
        launches = f.read().splitlines()
    check(len(launches) == len(TRICKY) and all(ln.startswith("--mpi=pmix -n 1 ") for ln in launches),
          "srun --mpi=pmix -n 1 by default, even on one rank")
    p = subprocess.run([sys.executable, SWEEP, "--collect", out], capture_output=True, text=True, env=env)
    check(p.returncode == 0 and f"{len(TRICKY)} done" in p.stdout, f"--collect: all done, exit 0 ({p.stdout.strip()})")
    forged = {"runs": [{"folder": "f", "params": {"x": "1\n2"}}]}
    try:
        sweep.params_text(forged)
        check(False, "params.txt refuses a run that would take two lines")
    except AssertionError as e:
        check(True, f"params.txt refuses a run that would take two lines: {e}")


def check_slurm_refusals(d):
    """A newline or other control character in a value, --out, an option after -- or a
    --slurm-* option: exit 2 with one error line, nothing written."""
    env = fake_slurm()
    script = d + ".sh"
    base = ["-p", "region_slab_conductivity=1,2", "--slurm", script]
    cases = [("newline in a -p value", ["-p", "mesh_layers_thickness=1e-5;2e-5\ntouch PWNED", "--out", d], SLAB),
             ("U+2028 in a -p value", ["-p", "mesh_layers_thickness=1e-5\u20282", "--out", d], SLAB),
             ("newline in --out", ["--out", d + "\nx"], SLAB),
             ("newline in --slurm-time", ["--out", d, "--slurm-time", "1:00\ntouch PWNED"], SLAB),
             ("escape in --slurm-partition", ["--out", d, "--slurm-partition", "a\x1b[2Jb"], SLAB),
             ("tab in --slurm-account", ["--out", d, "--slurm-account", "a\tb"], SLAB),
             ("backslash in --slurm-account", ["--out", d, "--slurm-account", "a\\b"], SLAB),
             ("tab after --", ["--out", d], SLAB + ["-title", "a\tb"]),
             ("% in --out", ["--out", d + "%j"], SLAB),
             ("--slurm-mpi with spaces", ["--out", d, "--slurm-mpi", "pmix; x"], SLAB)]
    for what, args, extra in cases:
        p = run_sweep(base + args, extra=extra, mpiexec=None, env=env)
        err = p.stderr.strip()
        check(p.returncode == 2 and err.startswith("sweep.py: error:") and len(err.splitlines()) == 1
              and not os.path.exists(script) and not os.path.exists(d) and not os.path.exists(d + "\nx"),
              f"{what}: refused, nothing written ({err!r})")
    p = run_sweep(base + ["--out", d, "--slurm-mpi", "pmi2", "--mpiexec", "mpirun"], mpiexec=None, env=env)
    check(p.returncode == 2 and "give one of them" in p.stderr, "--slurm-mpi with --mpiexec: refused")


def check_slurm_launch(d):
    """--slurm-mpi is srun's --mpi; --mpiexec, given, replaces srun inside the allocation (none
    on one rank, as locally)."""
    env = fake_slurm()
    base = GRID + ["--slurm", d + ".sh", "--out", d, "--dry-run"]
    for args, mpiexec, want in ((["--ranks", "2"], None, "LAUNCH=(srun --mpi=pmix -n 2)\n"),
                                (["--ranks", "2", "--slurm-mpi", "none"], None, "LAUNCH=(srun --mpi=none -n 2)\n"),
                                (["--ranks", "2"], "mpirun", "LAUNCH=(mpirun -n 2)\n"),
                                (["--ranks", "1"], "mpirun", "LAUNCH=()\n")):
        p = run_sweep(base + args, mpiexec=mpiexec, env=env)
        srun = [ln for ln in p.stdout.splitlines() if "srun" in ln and not ln.startswith("#")]
        check(p.returncode == 0 and want in p.stdout and (mpiexec is None or not srun),
              f"{' '.join(args)}{' --mpiexec ' + mpiexec if mpiexec else ''}: {want.strip()}")


def check_slurm_queue(d):
    """--collect asks squeue for the array by its name: queued and running tasks are reported
    as such (exit 3), not as not run; a task that started and left no exit code is failed once
    Slurm no longer holds it, 'started' when squeue cannot be asked; writing or running the
    sweep again while Slurm holds tasks is refused."""
    env, npp = fake_slurm(), fake_npp()
    args = ["-p", "region_x=1,2,3,4", "--slurm", d + ".sh", "--out", d]
    p = run_sweep(args, extra=None, npp=npp, mpiexec=None, env=env)
    name = manifest(d)["slurm"]["job_name"]
    check(p.returncode == 0 and re.fullmatch(r"sweep-command-line_case-[0-9a-f]{6}", name), f"the array's name recorded: {name}")
    with open(d + ".sh") as f:
        check(f"#SBATCH --job-name={name}\n" in f.read(), "... and in the script")
    run_task(d + ".sh", 0, env)                  # task 0 finished
    started = manifest(d)["runs"][1]["folder"]   # task 1 started and was killed (no end, no npp.rc)
    os.makedirs(os.path.join(d, started))
    with open(os.path.join(d, started, "slurm.task"), "w") as f:
        f.write("job=77_1\nnode=n\nstart=1000.5\n")
    env = dict(env, FAKE_NAME=name)
    for queue, want_rc, want in (("77|2|RUNNING\\n77|3|PENDING\\n", 3, "1 done, 1 failed, 1 queued, 1 running, 0 not run (Slurm job 77)"),
                                 ("77|[2-3%1]|PENDING\\n", 3, "1 done, 1 failed, 2 queued, 0 running, 0 not run"),
                                 ("", 1, "1 done, 1 failed, 0 queued, 0 running, 2 not run"),
                                 ("fail", 3, "1 done, 0 failed, 0 queued, 0 running, 1 started, 2 not run")):
        p = subprocess.run([sys.executable, SWEEP, "--collect", d], capture_output=True, text=True, env=dict(env, FAKE_SQUEUE=queue))
        check(p.returncode == want_rc and want in p.stdout, f"squeue {queue!r}: {want}, exit {want_rc} ({p.returncode}: {p.stdout.strip()})")
    p = subprocess.run([sys.executable, SWEEP, "--collect", d], capture_output=True, text=True, env=env)
    check("failed " + started + ": no exit code: Slurm task 77_1 stopped" in p.stdout, "a killed task: failed, no exit code")
    rows = {r["index"]: r for r in results(d)}
    check(rows["2"]["status"] == "pending" and rows["1"]["status"] == "failed", "results.csv: statuses pending and failed")
    env = dict(env, FAKE_SQUEUE="77|2|RUNNING\\n")
    p = run_sweep(args, extra=None, npp=npp, mpiexec=None, env=env)
    check(p.returncode == 2 and "0 queued and 1 running tasks of this sweep in Slurm (job 77)" in p.stderr,
          f"--slurm again while a task runs: refused ({p.stderr.strip()})")
    p = run_sweep(args[:2] + ["--out", d], extra=None, npp=npp, env=env)
    check(p.returncode == 2 and "running tasks of this sweep in Slurm" in p.stderr, "a local run meanwhile: refused")


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
check_slurm_quoting(os.path.join(ROOT, "quoting"))
check_slurm_refusals(os.path.join(ROOT, "refused"))
check_slurm_launch(os.path.join(ROOT, "launch"))
check_slurm_queue(os.path.join(ROOT, "queue"))
check_collect_and_plot(grid, rows)
finish()
