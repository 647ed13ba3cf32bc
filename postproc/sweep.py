#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Parametric sweep of an npp case over any of its options, locally or as a Slurm job array.

    postproc/sweep.py [CASE] -p KEY=VALUES [-p KEY=VALUES ...] [--zip] [--out DIR]
        [--jobs N] [--ranks M] [--no-retry-failed] [--dry-run] [-- npp options for every run]
    postproc/sweep.py [CASE] -p ... --slurm FILE [--submit] [--slurm-mpi TYPE | --mpiexec LAUNCHER]
        [--slurm-time T] [--slurm-partition P] [--slurm-account A]
    postproc/sweep.py --collect DIR

VALUES is a comma list (1e-7,1e-6,1e-5; a semicolon list when the values themselves hold
commas: 1,1;2,2), a linear range lin:START:STOP:N or a log range log:START:STOP:N (N points,
both ends included). The runs are the full grid of all parameters (the first -p varies
slowest), or with --zip the parameters taken pairwise (all lists of the same length).

Each run writes to its own folder DIR/<name>, the name built from its values with short option
names (region_sei_conductivity=1e-06 -> sei_cond=1e-06), filesystem-safe and stable: the same
values give the same folder. DIR/sweep.json (the manifest) maps every folder to its options and
records its status, wall time and, for a failed run, the `npp: error:` line; npp's output is in
DIR/<name>/npp.log. A run whose summary.json exists is finished and never redone, so rerunning
the same command resumes an interrupted sweep; failed runs are retried unless --no-retry-failed.
At the end (and with --collect) DIR/results.csv gets one row per run: its parameters, status
and every scalar figure of its summary.json, flattened (effective_conductivity, cell_voltage,
anode.current_density.mean, anode.amplification, regions.sei.conductivity, time.solve, ...).
The exit code is 1 if any run failed. Plot the table with postproc/sweep_plot.py.

--slurm FILE writes the same runs as a job array (one task per run still to do) reading
DIR/params.txt by SLURM_ARRAY_TASK_ID; submit it with sbatch FILE, or give --submit. A task
starts its --ranks ranks with srun --mpi=pmix (--slurm-mpi TYPE for another PMI: a stock Slurm's
default, none, cannot start OpenMPI's ranks), or with --mpiexec LAUNCHER if given (mpirun inside
the allocation). Values with a newline or another control character are refused. --collect DIR
builds the table, and for a Slurm sweep asks squeue for the array's tasks still queued or
running; it exits with 0 when every run is done, 3 while tasks are queued or running, else 1.
Running as root, the OpenMPI permissions are set for the children; OMP_NUM_THREADS defaults to 1."""
import argparse
import csv
import hashlib
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import unicodedata

here = os.path.dirname(os.path.abspath(__file__))
PROG = "sweep.py"
MANIFEST = "sweep.json"
RESULTS = "results.csv"
PARAMS_FILE = "params.txt"
SLURM_TASK = "slurm.task"    # in a run folder: its array task's job id, node, start and end time
MAX_FOLDER = 120          # characters; longer names are cut and made unique by a hash
# Environment for the children: OpenMPI refuses to run as root without these, and more ranks
# than cores (jobs x ranks) needs oversubscription.
ROOT_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
            "OMPI_MCA_rmaps_base_oversubscribe": "1", "OMPI_MCA_btl_vader_single_copy_mechanism": "none"}
# Folder names: the option group is implied by the rest of the name, and a few long words have
# well-known short forms. Only used where the short names stay distinct.
GROUP_PREFIXES = ("region_", "bc_", "mesh_", "physics_", "species_", "time_")
ABBREVIATIONS = [("exchange_current_density", "i0"), ("transference_number", "tplus"),
                 ("current_density", "j"), ("conductivity", "cond"), ("concentration", "conc"),
                 ("thickness", "thick"), ("volume_fraction", "vf"), ("temperature", "T")]


class SweepError(Exception):
    """A user error: reported as one `sweep.py: error:` line and exit code 2."""


# ---------------------------------------------------------------- parameters and runs

def number(text, what):
    """A float from the command line, with an error naming where it came from."""
    try:
        return float(text)
    except ValueError:
        raise SweepError(f"{what}: '{text}' is not a number")


def format_number(x):
    """Generated values in a short, exact-enough form (12 digits hides 0.30000000000000004),
    integers without a decimal point so that integer options accept them."""
    return f"{x:.12g}"


def parse_values(spec, what="values"):
    """The values of one parameter as the strings given to npp: lin:/log: ranges or a list."""
    kind = spec.split(":", 1)[0]
    if kind in ("lin", "log"):
        parts = spec.split(":")
        if len(parts) != 4:
            raise SweepError(f"{what}: '{spec}': a range is {kind}:START:STOP:N")
        a, b = number(parts[1], what), number(parts[2], what)
        try:
            n = int(parts[3])
        except ValueError:
            raise SweepError(f"{what}: '{spec}': N = '{parts[3]}' is not an integer")
        if n < 1:
            raise SweepError(f"{what}: '{spec}': N must be at least 1")
        if kind == "log":
            if a <= 0 or b <= 0:
                raise SweepError(f"{what}: '{spec}': a log range needs positive ends")
            a, b = math.log10(a), math.log10(b)
        xs = [a] if n == 1 else [a + (b - a) * i / (n - 1) for i in range(n)]
        return [format_number(10 ** x if kind == "log" else x) for x in xs]
    sep = ";" if ";" in spec else ","
    values = [v.strip() for v in spec.split(sep)]
    if not spec.strip() or any(v == "" for v in values):
        raise SweepError(f"{what}: '{spec}': empty value in the list")
    return values


def parse_param(text):
    """'-p KEY=VALUES' -> (option name without the dash, its values)."""
    key, eq, spec = text.partition("=")
    key = key.strip().lstrip("-")
    if not eq or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", key):
        raise SweepError(f"-p {text}: give KEY=VALUES, e.g. region_sei_conductivity=1e-7,1e-6 or log:1e-8:1e-4:5")
    if key == "output_dir":
        raise SweepError("-p output_dir: the sweep sets each run's output directory")
    return key, parse_values(spec, f"-p {key}")


def build_runs(params, zipped):
    """The runs as {option: value} dicts: the full grid (first parameter slowest) or zipped."""
    names = [k for k, _ in params]
    if zipped:
        lengths = {k: len(v) for k, v in params}
        if len(set(lengths.values())) > 1:
            raise SweepError("--zip needs lists of the same length: " + ", ".join(f"{k} {n}" for k, n in lengths.items()))
        return [dict(zip(names, vals)) for vals in zip(*(v for _, v in params))]
    runs = [{}]
    for k, values in params:
        runs = [dict(r, **{k: v}) for r in runs for v in values]
    return runs


def short_names(names):
    """Readable short forms of the option names for the folder names; any that would clash
    (with each other or after the shortening) keep their full name."""
    def shorten(n):
        for p in GROUP_PREFIXES:
            if n.startswith(p) and len(n) > len(p):
                n = n[len(p):]
                break
        for long, short in ABBREVIATIONS:
            n = re.sub(rf"(^|_){long}($|_)", rf"\g<1>{short}\g<2>", n)
        return n
    short = {n: shorten(n) for n in names}
    clash = {s for s in short.values() if list(short.values()).count(s) > 1}
    return {n: (n if s in clash else s) for n, s in short.items()}


def safe(text):
    """A value as it may appear in a folder name: '=' and ',' separate, '/' and spaces must go."""
    return re.sub(r"[^A-Za-z0-9._+-]", "_", text)


def folder_names(runs, shorts):
    """One folder name per run, from its values: stable (a function of the values only) and
    unique (long or clashing names get a hash of the full option list)."""
    def digest(run):
        return hashlib.sha1(json.dumps(run, sort_keys=True).encode()).hexdigest()[:8]
    names = []
    for run in runs:
        name = ",".join(f"{shorts[k]}={safe(v)}" for k, v in run.items())
        if len(name) > MAX_FOLDER:
            name = name[:MAX_FOLDER - 9] + "~" + digest(run)
        names.append(name)
    for i, name in enumerate(names):
        if names.count(name) > 1:   # different values that sanitise alike
            names[i] = name[:MAX_FOLDER - 9] + "~" + digest(runs[i])
    return names


def run_options(run):
    """{option: value} -> ['-option', 'value', ...] for npp."""
    return [x for k, v in run.items() for x in ("-" + k, v)]


def case_name(case):
    """The name npp gives the case (its directory, or the YAML file's), for titles and job names."""
    if not case:
        return "command-line case"
    path = os.path.abspath(case)
    if os.path.isdir(path) or os.path.basename(path) == "case.yaml":
        return os.path.basename(path if os.path.isdir(path) else os.path.dirname(path))
    return os.path.splitext(os.path.basename(path))[0]


# ---------------------------------------------------------------- manifest and run folders

def load_manifest(out):
    path = os.path.join(out, MANIFEST)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def save_manifest(out, m):
    """Written under a temporary name and renamed, so that an interrupted sweep never leaves a
    half-written manifest behind."""
    m["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    path = os.path.join(out, MANIFEST)
    with open(path + ".tmp", "w") as f:
        json.dump(m, f, indent=1)
    os.replace(path + ".tmp", path)


def error_line(log_text, returncode):
    """Why a run failed, in one line. npp's first `npp: error:` line; else the launcher's first
    error: the first paragraph of its first help message (OpenMPI frames them in dashed lines,
    and they hold the cause, where the last lines only report the abort that followed), else
    its first line that reports an error; else the last line of the output."""
    lines = [ln.strip() for ln in log_text.splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith("npp: error:"):
            return ln
    cause = help_message(log_text) or next((ln for ln in lines if is_error_line(ln)), None)
    if cause is None:
        cause = lines[-1] if lines else "no output"
    if "PMI support" in cause:      # OpenMPI's words when srun gave it no PMI it understands
        cause += " [srun's MPI type does not suit this MPI: see --slurm-mpi, or use --mpiexec mpirun]"
    return f"exit code {returncode}: {cause}"


def is_error_line(line):
    """A line that reports an error: srun's and slurmstepd's `error:` lines, OpenMPI's
    `*** An error occurred`, `ORTE_ERROR_LOG`, ... but not a separator (`[0]PETSC ERROR: ----`)."""
    return re.search(r"error", line, re.IGNORECASE) is not None and not re.search(r"-{5,}", line)


def help_message(log_text):
    """The first sentence of the first OpenMPI help message (text between two lines of dashes),
    joined into one line, or None."""
    m = re.search(r"^-{20,}[ \t]*\n(.*?)^-{20,}[ \t]*$", log_text, re.MULTILINE | re.DOTALL)
    if not m:
        return None
    paragraph = " ".join(m.group(1).strip().split("\n\n")[0].split())
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph)[0]
    return sentence[:300] or None


def folder_state(out, folder):
    """(status, returncode, error) of a run from its folder alone, so that local runs, Slurm
    tasks and --collect agree: done = summary.json exists; failed = npp.rc holds an exit code
    but there is no summary; pending otherwise (not run yet, running, or killed)."""
    d = os.path.join(out, folder)
    if os.path.exists(os.path.join(d, "summary.json")):
        return "done", 0, None
    rc_path = os.path.join(d, "npp.rc")
    if not os.path.exists(rc_path):
        return "pending", None, None
    with open(rc_path) as f:
        text = f.read().strip()
    rc = int(text) if re.fullmatch(r"-?\d+", text) else None
    log = ""
    if os.path.exists(os.path.join(d, "npp.log")):
        with open(os.path.join(d, "npp.log"), errors="replace") as f:
            log = f.read()
    if rc == 0:
        return "failed", rc, "exit code 0 but no summary.json"
    return "failed", rc, error_line(log, rc)


def new_manifest(a, case, npp, extra, params, runs, folders, shorts):
    """The sweep's description: enough to rerun it, to collect it, and to map folders back to values."""
    return {"tool": "postproc/sweep.py", "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "case": case, "case_name": case_name(case), "npp": npp, "options": extra,
            "mode": "zip" if a.zip else "grid", "ranks": a.ranks,
            "parameters": [{"name": k, "short": shorts[k], "values": v} for k, v in params],
            "runs": [{"index": i, "folder": f, "params": r, "status": "pending"}
                     for i, (r, f) in enumerate(zip(runs, folders))]}


def merge_previous(m, old):
    """Carries over what an earlier invocation recorded (wall times, errors) for the same
    folders; refuses a directory that holds a sweep of another case or other npp options,
    whose finished runs would silently be taken for this one's."""
    if old is None:
        return
    if old.get("case") != m["case"]:
        raise SweepError(f"{m['out']}/{MANIFEST} is a sweep of another case ({old.get('case')}, now {m['case']}): use another --out")
    if old.get("options") != m["options"]:
        raise SweepError(f"{m['out']}/{MANIFEST} is a sweep with other npp options after -- "
                         f"('{shlex.join(old.get('options') or [])}', now '{shlex.join(m['options'])}'): use another --out")
    previous = {r["folder"]: r for r in old.get("runs", [])}
    for r in m["runs"]:
        for k in ("wall_time", "returncode", "error", "finished", "slurm_job"):
            if k in previous.get(r["folder"], {}):
                r[k] = previous[r["folder"]][k]
    m["created"] = old.get("created", m["created"])
    if "slurm" in old:          # the array's name and job ids: --collect asks squeue by them
        m["slurm"] = old["slurm"]


def read_task(out, folder):
    """The record a Slurm array task keeps in its run folder (slurm.task: job=, node=, start=,
    end= as lines of key=value, times in seconds since the epoch), {} for a run not run by Slurm."""
    path = os.path.join(out, folder, SLURM_TASK)
    if not os.path.exists(path):
        return {}
    with open(path, errors="replace") as f:
        return dict(ln.strip().split("=", 1) for ln in f if "=" in ln)


def task_times(task):
    """(start, end) of a Slurm task's record as floats, None where missing or unreadable."""
    def seconds(key):
        try:
            return float(task[key])
        except (KeyError, ValueError):
            return None
    return seconds("start"), seconds("end")


def refresh(m, queue=None):
    """Status of every run from its folder and, for a Slurm sweep, from Slurm's queue ({run
    index: (state, job)} of the tasks Slurm still holds; None when squeue cannot be asked).
    A task Slurm holds is 'queued' or 'running', whatever an earlier attempt left in its folder.
    A task that started (slurm.task) but left no exit code was killed if Slurm no longer holds
    it, and is 'started' (running, or killed: unknown) if squeue cannot tell. A Slurm run's
    wall time is its task's end minus start. A failure's recorded error is kept if the folder
    has none (e.g. npp.log deleted)."""
    for r in m["runs"]:
        status, rc, err = folder_state(m["out"], r["folder"])
        task = read_task(m["out"], r["folder"])
        start, end = task_times(task)
        if task.get("job"):
            r["slurm_job"] = task["job"]
        if start is not None and end is not None:
            r["wall_time"] = round(end - start, 3)
            r["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(end))
        held = (queue or {}).get(r["index"])
        if held and status != "done":
            status = held[0]
            r["slurm_job"] = f"{held[1]}_{r['index']}"
        elif status == "pending" and start is not None and end is None:
            if queue is None:
                status = "started"
            else:
                status, rc = "failed", None
                err = (f"no exit code: Slurm task {task.get('job', '?')} stopped without recording one "
                       f"(killed, or its node failed); see {m['out']}/slurm-{task.get('job', '*')}.out")
        r["status"] = status
        if status == "failed":
            r["returncode"] = rc
            r["error"] = err or r.get("error")
        elif status == "done":
            r.pop("error", None)
            r["returncode"] = 0
        else:                   # not finished: an earlier attempt's failure is not its state
            r.pop("error", None)
            r.pop("returncode", None)


# ---------------------------------------------------------------- results table

def flatten(obj, prefix, row):
    """Scalar figures of a summary as dotted column names. Lists of named objects are keyed by
    name; numeric arrays (step_log, output_times, apex_point) are left out."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            flatten(v, f"{prefix}.{k}" if prefix else k, row)
    elif isinstance(obj, list):
        if obj and all(isinstance(x, dict) and "name" in x for x in obj):
            for x in obj:
                flatten({k: v for k, v in x.items() if k != "name"}, f"{prefix}.{x['name']}", row)
    elif isinstance(obj, bool):
        row[prefix] = "true" if obj else "false"
    elif obj is not None:
        row[prefix] = obj


def summary_figures(summary):
    """A run's summary.json as one flat row. Boundaries are keyed by their name alone
    (anode.current, anode.overpotential) with their electrode block merged in; the
    dimensionless tip figures come up one level (anode.amplification,
    anode.area_fraction_above_twice_mean) rather than posing as current densities."""
    row = {}
    s = dict(summary)
    boundaries = s.pop("boundaries", [])
    flatten(s, "", row)
    for b in boundaries:
        b = dict(b)
        name = b.pop("name")
        electrode = dict(b.pop("electrode", None) or {})
        cd = dict(electrode.get("current_density") or {})
        for k in ("amplification", "area_fraction_above_twice_mean"):
            if k in cd:
                electrode[k] = cd.pop(k)
        if cd:
            electrode["current_density"] = cd
        for k, v in electrode.items():
            b[k if k not in b else "electrode." + k] = v
        flatten(b, name, row)
    return row


def write_results(m):
    """DIR/results.csv: run, index, the parameters, status, error, wall_time, then the summary
    figures (the union over the runs, in order of first appearance)."""
    out = m["out"]
    pnames = [p["name"] for p in m["parameters"]]
    rows, figures = [], {}
    for r in m["runs"]:
        row = {"run": r["folder"], "index": r["index"], **r["params"], "status": r["status"],
               "error": r.get("error", ""), "wall_time": r.get("wall_time", "")}
        path = os.path.join(out, r["folder"], "summary.json")
        if r["status"] == "done" and os.path.exists(path):
            with open(path) as f:
                fig = summary_figures(json.load(f))
            for k in fig:
                figures.setdefault(k, None)
            row.update({k: v for k, v in fig.items() if k not in row})
        rows.append(row)
    head = ["run", "index"] + pnames + ["status", "error", "wall_time"]
    columns = head + [k for k in figures if k not in head]
    path = os.path.join(out, RESULTS)
    with open(path + ".tmp", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, restval="")
        w.writeheader()
        w.writerows(rows)
    os.replace(path + ".tmp", path)
    return path


def counts(m):
    c = {"done": 0, "failed": 0, "pending": 0, "queued": 0, "running": 0, "started": 0}
    for r in m["runs"]:
        c[r["status"]] = c.get(r["status"], 0) + 1
    return c


def collect(out):
    """--collect: statuses from the run folders and, for a Slurm sweep, from squeue. Exit code
    0 when every run is done, 3 while Slurm still holds some of the tasks (queued or running,
    or started where squeue cannot be asked), else 1 (runs failed, or were never run)."""
    m = load_manifest(out)
    if m is None:
        raise SweepError(f"{out}: no {MANIFEST} (not a sweep directory)")
    m["out"] = os.path.abspath(out)
    queue = slurm_queue(m)
    refresh(m, queue)
    save_manifest(out, m)
    path = write_results(m)
    c = counts(m)
    jobs = sorted({job for _, job in (queue or {}).values()})
    print(f"{len(m['runs'])} runs: {c['done']} done, {c['failed']} failed, {c['queued']} queued, {c['running']} running, "
          + (f"{c['started']} started, " if c["started"] else "") + f"{c['pending']} not run"
          + (f" (Slurm job {', '.join(jobs)})" if jobs else "") + f" -> {path}")
    if queue is None:
        print("  squeue cannot be asked here: tasks still queued count as not run, and tasks without an exit code as started")
    for r in m["runs"]:
        if r["status"] == "failed":
            print(f"  failed {r['folder']}: {r.get('error')}")
    if c["queued"] or c["running"] or c["started"]:
        return 3
    return 1 if c["failed"] or c["pending"] else 0


# ---------------------------------------------------------------- local execution

def child_env():
    """The runs' environment: OpenMPI's root permissions when we are root, one thread per rank."""
    env = dict(os.environ)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        for k, v in ROOT_ENV.items():
            env.setdefault(k, v)
    env.setdefault("OMP_NUM_THREADS", "1")
    return env


def mesh_cache(m, run):
    """The runs share generated meshes: a run stores its mesh in DIR/mesh-cache, named by its
    mesh keys, and the runs with the same keys load it instead of meshing (npp -mesh_cache)."""
    if "-mesh_cache" in m["options"] or "mesh_cache" in run:
        return []
    return ["-mesh_cache", os.path.join(m["out"], "mesh-cache")]


def mpiexec_launch(m, mpiexec):
    """mpiexec -n M, or nothing for one rank (npp starts as an MPI singleton)."""
    return [mpiexec, "-n", str(m["ranks"])] if m["ranks"] > 1 else []


def command(m, run, folder, launch):
    """The npp command line of one run behind the launcher `launch` (a list, maybe empty)."""
    cmd = list(launch) + [m["npp"]] + ([m["case"]] if m["case"] else []) + m["options"] + mesh_cache(m, run) + run_options(run)
    return cmd + ["-output_dir", os.path.join(m["out"], folder)]


def fmt_seconds(s):
    s = int(round(s))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class Progress:
    """One status line: rewritten in place on a terminal, a plain line per change otherwise
    (logs and CI keep a readable history)."""

    def __init__(self, total):
        self.total, self.tty, self.last, self.width = total, sys.stdout.isatty(), None, 0

    def show(self, done, failed, running, eta):
        line = (f"sweep: {done}/{self.total} done, {failed} failed, {running} running, "
                f"ETA {fmt_seconds(eta) if eta is not None else '?'}")
        if self.tty:
            if line != self.last:
                sys.stdout.write("\r" + line.ljust(self.width))
                self.width = len(line)
                sys.stdout.flush()
            self.last = line
        elif (done, failed, running) != self.last:
            print(line, flush=True)
            self.last = (done, failed, running)

    def note(self, text):
        """A message on its own line (a failure) without garbling the status line."""
        if self.tty:
            sys.stdout.write("\r" + " " * self.width + "\r")
            self.width, self.last = 0, None
        print(text, flush=True)

    def end(self):
        if self.tty:
            sys.stdout.write("\n")


def eta(durations, todo, running_elapsed, jobs):
    """Remaining time: the mean duration of the runs finished so far over the work left,
    spread over the concurrent jobs."""
    if not durations:
        return None
    mean = sum(durations) / len(durations)
    work = todo * mean + sum(max(mean - e, 0.0) for e in running_elapsed)
    return work / max(1, min(jobs, todo + len(running_elapsed)))


def start(m, r, mpiexec, env):
    """Launches one run with its output in DIR/<folder>/npp.log (files, not pipes: nothing can
    block however much npp prints)."""
    d = os.path.join(m["out"], r["folder"])
    os.makedirs(d, exist_ok=True)
    for stale in ("npp.rc", SLURM_TASK):     # an earlier attempt's failure, a Slurm task's times
        if os.path.exists(os.path.join(d, stale)):
            os.remove(os.path.join(d, stale))
    cmd = command(m, r["params"], r["folder"], mpiexec_launch(m, mpiexec))
    r["command"] = shlex.join(cmd)
    log = open(os.path.join(d, "npp.log"), "w")
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    log.close()
    return p


def finish_run(m, r, rc, elapsed):
    """Records a finished process: npp.rc in its folder, then the status from the folder."""
    with open(os.path.join(m["out"], r["folder"], "npp.rc"), "w") as f:
        f.write(f"{rc}\n")
    r["wall_time"] = round(elapsed, 3)
    r["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    status, code, err = folder_state(m["out"], r["folder"])
    r["status"], r["returncode"] = status, code
    if status == "failed":
        r["error"] = err
    else:
        r.pop("error", None)


def lock(out):
    """One sweep process per directory: two would start the same runs and overwrite each
    other's manifest. A lock left by a process that no longer exists is taken over."""
    path = os.path.join(out, ".sweep.lock")
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                with open(path) as f:
                    pid = int(f.read().strip() or 0)
                os.kill(pid, 0)
            except (ValueError, ProcessLookupError, FileNotFoundError):
                if os.path.exists(path):
                    os.remove(path)
                continue
            except PermissionError:
                pass
            raise SweepError(f"{out} is in use by another sweep.py (pid {pid}); wait for it or stop it")
        os.write(fd, f"{os.getpid()}\n".encode())
        os.close(fd)
        return path
    raise SweepError(f"{out}: cannot take {path}")


def execute(m, todo, jobs, mpiexec, timeout):
    """Runs the pending runs, `jobs` at a time, keeping the manifest current after every
    change; on Ctrl-C the running ones are stopped and left pending for the next invocation."""
    env = child_env()
    queue, running = list(todo), {}
    # earlier runs' wall times seed the estimate until this invocation finishes its own
    durations = [r["wall_time"] for r in m["runs"] if r["status"] == "done" and isinstance(r.get("wall_time"), (int, float))]
    progress = Progress(len(m["runs"]))
    try:
        while queue or running:
            while queue and len(running) < jobs:
                r = queue.pop(0)
                running[r["index"]] = (r, start(m, r, mpiexec, env), time.time())
                r["status"] = "running"
                save_manifest(m["out"], m)
            for i, (r, p, t0) in list(running.items()):
                rc = p.poll()
                if rc is None and timeout and time.time() - t0 > timeout:
                    p.kill()
                    rc = p.wait()
                    with open(os.path.join(m["out"], r["folder"], "npp.log"), "a") as f:
                        f.write(f"\nsweep.py: killed after {timeout:g} s (--timeout)\n")
                if rc is None:
                    continue
                del running[i]
                finish_run(m, r, rc, time.time() - t0)
                if r["status"] == "done":
                    durations.append(time.time() - t0)
                else:
                    progress.note(f"sweep: failed {r['folder']}: {r['error']}")
                save_manifest(m["out"], m)
            c = counts(m)
            now = time.time()
            progress.show(c["done"], c["failed"], len(running),
                          eta(durations, len(queue), [now - t0 for _, _, t0 in running.values()], jobs))
            if running:
                time.sleep(0.2)
    except KeyboardInterrupt:
        for r, p, _ in running.values():
            p.terminate()
        for r, p, _ in running.values():
            p.wait()
            r["status"] = "pending"
        progress.end()
        save_manifest(m["out"], m)
        write_results(m)
        print(f"sweep: interrupted; rerun the same command to resume ({m['out']})")
        sys.exit(130)
    progress.end()


# ---------------------------------------------------------------- Slurm

def array_spec(indices):
    """[0,1,2,4] -> '0-2,4' for #SBATCH --array."""
    parts, i = [], 0
    while i < len(indices):
        j = i
        while j + 1 < len(indices) and indices[j + 1] == indices[j] + 1:
            j += 1
        parts.append(str(indices[i]) if i == j else f"{indices[i]}-{indices[j]}")
        i = j + 1
    return ",".join(parts)


def params_text(m):
    """DIR/params.txt: line k+1 is run k (array task k): its folder, a tab, its npp options
    shell-quoted (the task reads them with eval into a bash array). The values hold no control
    characters (check_slurm_values), so each run is exactly one line: checked here, because a
    stray line would hand every later task another run's options."""
    text = "".join(f"{r['folder']}\t{shlex.join(run_options(r['params']))}\n" for r in m["runs"])
    lines = text.split("\n")
    if len(lines) != len(m["runs"]) + 1 or any(ln.count("\t") != 1 for ln in lines[:-1]):
        raise AssertionError(f"{PARAMS_FILE}: {len(lines) - 1} lines for {len(m['runs'])} runs")
    return text


def job_name(m):
    """The array's name in Slurm: the case and a hash of the sweep directory, so that squeue
    finds this sweep's tasks, and no other's, by name (whoever ran sbatch)."""
    return f"sweep-{safe(m['case_name'])}-{hashlib.sha1(m['out'].encode()).hexdigest()[:6]}"


def sbatch_options(m, indices, a):
    """The #SBATCH lines' options and values; --jobs N throttles the array to N tasks at once."""
    opts = [("job-name", job_name(m)),
            ("array", array_spec(indices) + (f"%{a.jobs}" if a.jobs else "")),
            ("ntasks", str(m["ranks"])),
            ("output", os.path.join(m["out"], "slurm-%A_%a.out"))]
    return opts + [(flag, value) for flag, value in (("time", a.slurm_time), ("partition", a.slurm_partition),
                                                     ("account", a.slurm_account)) if value]


def slurm_launch(m, a):
    """How a task starts its ranks inside the allocation. By default srun --mpi=TYPE: a stock
    Slurm's MpiDefault is none, under which srun gives OpenMPI no PMI and every rank dies in
    MPI_Init, so the type is always named (pmix unless --slurm-mpi: Debian's OpenMPI and
    Slurm both speak PMIx). With --mpiexec the user's launcher instead (mpirun reads the
    allocation from Slurm), and as in local runs none for one rank."""
    if a.mpiexec:
        return mpiexec_launch(m, a.mpiexec)
    return ["srun", f"--mpi={a.slurm_mpi or 'pmix'}", "-n", str(m["ranks"])]


def one_line(what, text):
    """Refuses a value with a control character (newline, tab, ...): the script and params.txt
    hold one value per line, and a newline would make the rest a command of the job script."""
    for c in text:
        if unicodedata.category(c) in ("Cc", "Zl", "Zp"):
            raise SweepError(f"{what}: {text!r} holds the control character U+{ord(c):04X}, "
                             "which a Slurm job script cannot carry: give it without")


def check_slurm_values(m, indices, a):
    """Every value the job script or params.txt takes from the user, before anything is
    written. The #SBATCH values are read by sbatch's own parser, which takes a backslash for
    an escape even inside quotes and expands % in --output's file name."""
    for p in m["parameters"]:
        for v in p["values"]:
            one_line(f"-p {p['name']}", v)
    for what, value in (("--out", m["out"]), ("--slurm", a.slurm), ("--npp", m["npp"]), ("case", m["case"] or ""),
                        ("--mpiexec", a.mpiexec or ""), ("--slurm-mpi", a.slurm_mpi or "")):
        one_line(what, value)
    for x in m["options"]:
        one_line("option after --", x)
    for flag, value in sbatch_options(m, indices, a):
        one_line(f"--slurm-{flag}" if flag in ("time", "partition", "account") else f"#SBATCH --{flag}", value)
        if "\\" in value:
            raise SweepError(f"#SBATCH --{flag}={value}: sbatch reads a backslash as an escape; give the value without")
    if "%" in m["out"]:
        raise SweepError(f"--out {m['out']}: sbatch would expand the % in the Slurm log's file name; choose a directory without")
    if a.slurm_mpi and not re.fullmatch(r"[A-Za-z0-9_.-]+", a.slurm_mpi):
        raise SweepError(f"--slurm-mpi {a.slurm_mpi!r}: an MPI plugin type of srun (pmix, pmi2, none, ...; srun --mpi=list)")


def slurm_script(m, indices, a):
    """A job array script: one task per run. Every value is shell-quoted. A task whose run
    already has its summary.json exits at once; every task records npp.log and npp.rc in its
    folder exactly as a local run does, so `sweep.py --collect DIR` reads both alike, and also
    slurm.task (its job id, node, start and end time: the wall time)."""
    out, q = m["out"], shlex.quote
    root_env = " ".join(f'{k}="${{{k}:-{v}}}"' for k, v in ROOT_ENV.items())
    case = q(m["case"]) if m["case"] else ""
    lines = ["#!/bin/bash"] + [f"#SBATCH --{flag}={q(value)}" for flag, value in sbatch_options(m, indices, a)]
    lines += ["",
              f"# {len(indices)} of the {len(m['runs'])} runs of the sweep in {q(out)} (postproc/sweep.py); afterwards:",
              f"#   {q(os.path.join(here, 'sweep.py'))} --collect {q(out)}",
              "export OMP_NUM_THREADS=1",
              "# as for local runs: OpenMPI's launchers refuse root without these",
              f'if [ "$(id -u)" -eq 0 ]; then export {root_env}; fi',
              f"SWEEP={q(out)}",
              f"NPP={q(m['npp'])}",
              f"CASE=({case})",
              f"EXTRA=({shlex.join(m['options'] + mesh_cache(m, {}))})",
              f"LAUNCH=({shlex.join(slurm_launch(m, a))})",
              'line=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" "$SWEEP/' + PARAMS_FILE + '")',
              "case $line in *$'\\t'*) ;; *) echo \"sweep: no run $SLURM_ARRAY_TASK_ID in $SWEEP/" + PARAMS_FILE
              + "\" >&2; exit 2 ;; esac",
              "folder=${line%%$'\\t'*}",
              "eval \"opts=(${line#*$'\\t'})\"",
              'run="$SWEEP/$folder"',
              'if [ -f "$run/summary.json" ]; then echo "$folder: finished already"; exit 0; fi',
              'mkdir -p "$run" && rm -f "$run/npp.rc"',
              'finish() { echo "end=$(date +%s.%N)" >> "$run/' + SLURM_TASK + '"; echo "$1" > "$run/npp.rc"; exit "$1"; }',
              "# a time limit or scancel sends TERM, then KILL: the run is recorded as failed meanwhile",
              "trap 'echo \"sweep: task stopped by SIGTERM (time limit, scancel or shutdown)\" >> \"$run/npp.log\"; finish 143' TERM",
              'printf "job=%s_%s\\nnode=%s\\nstart=%s\\n" "$SLURM_ARRAY_JOB_ID" "$SLURM_ARRAY_TASK_ID" "$(hostname)" "$(date +%s.%N)" > "$run/'
              + SLURM_TASK + '"',
              '"${LAUNCH[@]}" "$NPP" "${CASE[@]}" "${EXTRA[@]}" "${opts[@]}" -output_dir "$run" > "$run/npp.log" 2>&1',
              "finish $?", ""]
    return "\n".join(lines)


def task_ids(spec):
    """squeue's array task ids: '3', '0-2,5', '[4-7%2]' -> [3], [0, 1, 2, 5], [4, 5, 6, 7]; 'N/A' -> []."""
    ids = []
    for part in spec.strip("[]").split("%")[0].split(","):
        lo, _, hi = part.partition("-")
        if lo.isdigit() and (not hi or hi.isdigit()):
            ids += range(int(lo), int(hi or lo) + 1)
    return ids


def slurm_queue(m):
    """This sweep's array tasks that Slurm still holds, {run index: ('queued' | 'running', job
    id)}, asked of squeue by the array's name: {} for a sweep never written for Slurm, None
    when squeue cannot be asked (not installed here, no controller)."""
    name = (m.get("slurm") or {}).get("job_name")
    if not name:
        return {}
    try:
        p = subprocess.run(["squeue", "--noheader", "--array", f"--name={name}", "--format=%F|%K|%T"],
                           capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if p.returncode != 0:
        return None
    tasks = {}
    for ln in p.stdout.splitlines():
        fields = ln.strip().split("|")
        if len(fields) == 3:
            job, ids, state = fields
            for i in task_ids(ids):     # PENDING and its holds are queued; the rest has started
                tasks[i] = ("queued" if state.startswith(("PENDING", "REQUEUE", "RESV_DEL_HOLD")) else "running", job)
    return tasks


def submit(m, script):
    """sbatch SCRIPT, and its job id into the manifest."""
    try:
        p = subprocess.run(["sbatch", "--parsable", script], capture_output=True, text=True, timeout=120,
                           stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise SweepError(f"sbatch {script}: {e}")
    if p.returncode != 0:
        why = (p.stderr.strip().splitlines() or ["no message"])[0]
        raise SweepError(f"sbatch {script} failed (exit code {p.returncode}): {why}")
    job = p.stdout.strip().split(";")[0]
    m["slurm"]["jobs"].append(job)
    save_manifest(m["out"], m)
    print(f"sweep: submitted job {job}; follow it with {PROG} --collect {m['out']}")


def write_slurm(m, indices, a):
    """Writes DIR/params.txt, the script and the manifest (with the array's name, by which
    --collect asks squeue for the tasks); submits it with --submit."""
    with open(os.path.join(m["out"], PARAMS_FILE), "w") as f:
        f.write(params_text(m))
    with open(a.slurm, "w") as f:
        f.write(slurm_script(m, indices, a))
    os.chmod(a.slurm, 0o755)
    previous = m.get("slurm") or {}
    m["slurm"] = {"job_name": job_name(m), "script": os.path.abspath(a.slurm),
                  "launch": shlex.join(slurm_launch(m, a)), "jobs": previous.get("jobs", [])}
    save_manifest(m["out"], m)
    print(f"sweep: wrote {a.slurm} ({len(indices)} array tasks x {m['ranks']} ranks, {m['slurm']['launch']}) and {m['out']}/{PARAMS_FILE}")
    if a.submit:
        submit(m, os.path.abspath(a.slurm))
        return
    print(f"  submit: sbatch {shlex.quote(a.slurm)}")
    print(f"  then:   {os.path.join(here, 'sweep.py')} --collect {shlex.quote(m['out'])}")


# ---------------------------------------------------------------- command line

def parse_args(argv):
    cut = argv.index("--") if "--" in argv else len(argv)
    ap = argparse.ArgumentParser(
        prog=PROG, description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]) + "\n\nExample:\n  postproc/sweep.py cases/dendrite "
               "-p region_sei_conductivity=log:1e-7:1e-5:3 -p region_electrolyte_transference_number=0.3,0.6 "
               "--jobs 2 --out output/sei-sweep -- -time_final 60 -time_output_times 60")
    ap.add_argument("case", nargs="?", help="case directory or YAML file (none: the case is given by the npp options after --)")
    ap.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUES",
                    help="an npp option (without the dash) and its values: a,b,c | a;b;c | lin:START:STOP:N | log:START:STOP:N; repeat for more parameters")
    ap.add_argument("--zip", action="store_true", help="pair the parameters' values (same-length lists) instead of the full grid")
    ap.add_argument("--out", default=None, metavar="DIR", help="sweep directory: run folders, sweep.json, results.csv (default output/sweep-<case>)")
    ap.add_argument("--jobs", type=int, default=None, metavar="N", help="concurrent runs (default: cores / ranks); with --slurm: at most this many array tasks at once (default: no limit)")
    ap.add_argument("--ranks", type=int, default=1, metavar="M", help="MPI ranks per run, through mpiexec (srun with --slurm); 1: npp without mpiexec (default 1)")
    ap.add_argument("--retry-failed", action=argparse.BooleanOptionalAction, default=True,
                    help="rerun runs that failed before (default: yes; --no-retry-failed keeps their recorded failure)")
    ap.add_argument("--timeout", type=float, default=0, metavar="S", help="kill a run after this many seconds and record it as failed (default 0: none)")
    ap.add_argument("--dry-run", action="store_true", help="print the runs (and with --slurm the script) and do nothing else")
    ap.add_argument("--collect", metavar="DIR", help="only (re)build DIR/results.csv and the statuses in DIR/sweep.json from the run folders "
                                                    "and, for a Slurm sweep, squeue (exit code 0: all done, 3: tasks queued or running, 1: otherwise)")
    ap.add_argument("--npp", default=os.environ.get("NPP_EXE", os.path.join(here, "..", "build", "npp")),
                    help="the npp executable (default $NPP_EXE or build/npp next to postproc/)")
    ap.add_argument("--mpiexec", default=None, metavar="LAUNCHER",
                    help="MPI launcher for --ranks > 1 (default $NPP_MPIEXEC or mpiexec); with --slurm only if given: "
                         "the tasks start their ranks with it (e.g. mpirun) instead of srun")
    ap.add_argument("--slurm", metavar="FILE", help="write a Slurm job-array script FILE (and DIR/params.txt, DIR/sweep.json) instead of running")
    ap.add_argument("--slurm-mpi", metavar="TYPE", help="srun --mpi=TYPE, the PMI through which the ranks start: pmix (default), pmi2, none, ... (srun --mpi=list)")
    ap.add_argument("--submit", action="store_true", help="with --slurm: submit the script with sbatch and record its job id in DIR/sweep.json")
    ap.add_argument("--slurm-time", metavar="T", help="#SBATCH --time per array task, e.g. 01:00:00")
    ap.add_argument("--slurm-partition", metavar="P", help="#SBATCH --partition")
    ap.add_argument("--slurm-account", metavar="A", help="#SBATCH --account")
    a = ap.parse_args(argv[:cut])
    a.extra = argv[cut + 1:]
    # local runs always have a launcher for more than one rank; a Slurm task only the one given
    a.local_mpiexec = a.mpiexec or os.environ.get("NPP_MPIEXEC", "mpiexec")
    return a


def check_args(a):
    """Errors that would otherwise surface once per run, or in the middle of a sweep."""
    if not a.param:
        raise SweepError("give at least one -p KEY=VALUES (or --collect DIR)")
    if a.ranks < 1 or (a.jobs is not None and a.jobs < 1):
        raise SweepError("--ranks and --jobs must be at least 1")
    if a.case and not os.path.exists(a.case):
        raise SweepError(f"{a.case}: no such case directory or file")
    if os.sep not in a.npp and shutil.which(a.npp):     # a bare name: the one on PATH
        a.npp = shutil.which(a.npp)
    if not a.dry_run and not a.slurm and not os.access(a.npp, os.X_OK):
        raise SweepError(f"{a.npp}: not an executable (build npp, or give --npp)")
    if "-output_dir" in a.extra:
        raise SweepError("-output_dir after --: the sweep sets each run's output directory (use --out)")
    if (a.slurm_mpi or a.submit) and not a.slurm:
        raise SweepError("--slurm-mpi and --submit go with --slurm FILE")
    if a.slurm_mpi and a.mpiexec:
        raise SweepError(f"--slurm-mpi is srun's MPI type, and with --mpiexec {a.mpiexec} the tasks do not use srun: give one of them")
    params = [parse_param(p) for p in a.param]
    keys = [k for k, _ in params]
    for k in keys:
        if keys.count(k) > 1:
            raise SweepError(f"-p {k} given twice")
        if "-" + k in a.extra:
            raise SweepError(f"-{k} is both a sweep parameter and an option after --")
    return params


def plan(a, params):
    """The manifest of this invocation, merged with what DIR already holds."""
    runs = build_runs(params, a.zip)
    shorts = short_names([k for k, _ in params])
    folders = folder_names(runs, shorts)
    case = os.path.abspath(a.case) if a.case else None
    npp = os.path.abspath(a.npp)
    out = os.path.abspath(a.out or os.path.join("output", "sweep-" + safe(case_name(a.case)).replace("_", "-")))
    m = new_manifest(a, case, npp, a.extra, params, runs, folders, shorts)
    m["out"] = out
    merge_previous(m, load_manifest(out))
    refresh(m, slurm_queue(m))
    return m


def check_not_in_slurm(m):
    """Refuses to run or resubmit while Slurm holds tasks of this sweep: they would run twice,
    and a rewritten params.txt could hand the queued ones other runs' options."""
    active = [r for r in m["runs"] if r["status"] in ("queued", "running", "started")]
    if not active:
        return
    c = counts(m)
    jobs = ", ".join(sorted({r.get("slurm_job", "?").split("_")[0] for r in active}))
    if c["started"]:
        raise SweepError(f"{c['started']} runs of {m['out']} started in Slurm without an exit code yet, and squeue cannot be "
                         f"asked whether they still run: run this where squeue works, or, if they do not run, remove their "
                         f"{SLURM_TASK} (e.g. {m['out']}/{next(r['folder'] for r in active if r['status'] == 'started')}/{SLURM_TASK})")
    raise SweepError(f"{c['queued']} queued and {c['running']} running tasks of this sweep in Slurm"
                     + (f" (job {jobs})" if jobs else "") + f": wait for them ({PROG} --collect {m['out']}) or scancel them")


def to_do(m, retry_failed):
    return [r for r in m["runs"] if r["status"] == "pending" or (r["status"] == "failed" and retry_failed)]


def print_plan(m, todo, launch):
    """--dry-run: every run with its status and, if it would run, its command."""
    ids = {r["index"] for r in todo}
    print(f"sweep: {len(m['runs'])} runs ({m['mode']}) in {m['out']}, {len(todo)} to run")
    for r in m["runs"]:
        what = "run " if r["index"] in ids else "skip"
        print(f"{r['index']:4d} {what} [{r['status']}] {r['folder']}")
        if r["index"] in ids:
            print("       " + shlex.join(command(m, r["params"], r["folder"], launch)))


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    if a.collect:
        return collect(a.collect)
    params = check_args(a)
    m = plan(a, params)
    todo = to_do(m, a.retry_failed)
    if not a.dry_run:
        check_not_in_slurm(m)
    if a.slurm:
        if not todo:
            failed = counts(m)["failed"]
            print(f"sweep: {len(m['runs']) - failed} of {len(m['runs'])} runs finished"
                  + (f", {failed} failed (not retried)" if failed else "")
                  + f"; nothing to submit. Collect: {PROG} --collect {m['out']}")
            return 0
        indices = [r["index"] for r in todo]
        check_slurm_values(m, indices, a)        # before anything is written or printed
        if a.dry_run:
            print(slurm_script(m, indices, a))
            print_plan(m, todo, slurm_launch(m, a))
            return 0
        os.makedirs(m["out"], exist_ok=True)
        write_slurm(m, indices, a)
        return 0
    if a.dry_run:
        print_plan(m, todo, mpiexec_launch(m, a.local_mpiexec))
        return 0
    os.makedirs(m["out"], exist_ok=True)
    held = lock(m["out"])
    try:
        c = counts(m)
        print(f"sweep: {len(m['runs'])} runs in {m['out']}: {c['done']} finished already, "
              f"{len(todo)} to run" + ("" if a.retry_failed else f", {c['failed']} failed (not retried)"), flush=True)
        save_manifest(m["out"], m)
        if todo:
            execute(m, todo, a.jobs or max(1, (os.cpu_count() or 1) // a.ranks), a.local_mpiexec, a.timeout)
        path = write_results(m)
    finally:
        os.remove(held)
    c = counts(m)
    print(f"sweep: {c['done']} done, {c['failed']} failed of {len(m['runs'])} -> {path}")
    return 1 if c["failed"] else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SweepError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        sys.exit(2)
