#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Parametric sweep of an npp case over any of its options, locally or as a Slurm job array.

    postproc/sweep.py [CASE] -p KEY=VALUES [-p KEY=VALUES ...] [--zip] [--out DIR]
        [--jobs N] [--ranks M] [--no-retry-failed] [--dry-run] [-- npp options for every run]
    postproc/sweep.py [CASE] -p ... --slurm FILE [--slurm-time T] [--slurm-partition P] [--slurm-account A]
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

--slurm FILE writes the same runs as a job array (one task per run still to do, --ranks ranks
each through srun) reading DIR/params.txt by SLURM_ARRAY_TASK_ID; submit it with sbatch, then
build the table with --collect DIR. Running as root, the OpenMPI permissions are set for the
children; OMP_NUM_THREADS defaults to 1."""
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

here = os.path.dirname(os.path.abspath(__file__))
PROG = "sweep.py"
MANIFEST = "sweep.json"
RESULTS = "results.csv"
PARAMS_FILE = "params.txt"
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
        for k in ("wall_time", "returncode", "error", "finished"):
            if k in previous.get(r["folder"], {}):
                r[k] = previous[r["folder"]][k]
    m["created"] = old.get("created", m["created"])


def refresh(m):
    """Status of every run from its folder; a failure's recorded error is kept if the folder
    has none (e.g. npp.log deleted)."""
    for r in m["runs"]:
        status, rc, err = folder_state(m["out"], r["folder"])
        r["status"] = status
        if status == "failed":
            r["returncode"] = rc
            r["error"] = err or r.get("error")
        elif status == "done":
            r.pop("error", None)
            r["returncode"] = 0


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
    c = {"done": 0, "failed": 0, "pending": 0, "running": 0}
    for r in m["runs"]:
        c[r["status"]] = c.get(r["status"], 0) + 1
    return c


def collect(out):
    """--collect: statuses from the run folders (after a Slurm array, or to rebuild the table)."""
    m = load_manifest(out)
    if m is None:
        raise SweepError(f"{out}: no {MANIFEST} (not a sweep directory)")
    m["out"] = os.path.abspath(out)
    refresh(m)
    save_manifest(out, m)
    path = write_results(m)
    c = counts(m)
    print(f"{len(m['runs'])} runs: {c['done']} done, {c['failed']} failed, {c['pending']} not run -> {path}")
    for r in m["runs"]:
        if r["status"] == "failed":
            print(f"  failed {r['folder']}: {r.get('error')}")
    return 1 if c["failed"] else 0


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


def command(m, run, folder, mpiexec):
    """The npp command line of one run (mpiexec -n M only for more than one rank)."""
    cmd = [mpiexec, "-n", str(m["ranks"])] if m["ranks"] > 1 else []
    cmd += [m["npp"]] + ([m["case"]] if m["case"] else []) + m["options"] + mesh_cache(m, run) + run_options(run)
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
    if os.path.exists(os.path.join(d, "npp.rc")):     # a failure of an earlier attempt
        os.remove(os.path.join(d, "npp.rc"))
    cmd = command(m, r["params"], r["folder"], mpiexec)
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
    shell-quoted (the task reads them with eval into a bash array)."""
    return "".join(f"{r['folder']}\t{shlex.join(run_options(r['params']))}\n" for r in m["runs"])


def slurm_script(m, indices, a):
    """A job array script: one task per run, --ranks MPI ranks each through srun. A task whose
    run already has its summary.json exits at once; every task records npp.log and npp.rc in
    its folder exactly as a local run does, so `sweep.py --collect DIR` reads both alike."""
    out = m["out"]
    throttle = f"%{a.jobs}" if a.jobs else ""
    lines = ["#!/bin/bash",
             f"#SBATCH --job-name=sweep-{safe(m['case_name'])}",
             f"#SBATCH --array={array_spec(indices)}{throttle}",
             f"#SBATCH --ntasks={m['ranks']}",
             f"#SBATCH --output={out}/slurm-%A_%a.out"]
    for flag, value in (("time", a.slurm_time), ("partition", a.slurm_partition), ("account", a.slurm_account)):
        if value:
            lines.append(f"#SBATCH --{flag}={value}")
    case = shlex.quote(m["case"]) if m["case"] else ""
    lines += ["",
              f"# {len(indices)} of the {len(m['runs'])} runs of the sweep in {out}; afterwards:",
              f"#   {shlex.quote(os.path.join(here, 'sweep.py'))} --collect {shlex.quote(out)}",
              "export OMP_NUM_THREADS=1",
              f"SWEEP={shlex.quote(out)}",
              f"NPP={shlex.quote(m['npp'])}",
              f"CASE=({case})",
              f"EXTRA=({shlex.join(m['options'] + mesh_cache(m, {}))})",
              'line=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" "$SWEEP/' + PARAMS_FILE + '")',
              "folder=${line%%$'\\t'*}",
              "eval \"opts=(${line#*$'\\t'})\"",
              'run="$SWEEP/$folder"',
              'if [ -f "$run/summary.json" ]; then echo "$folder: finished already"; exit 0; fi',
              'mkdir -p "$run"',
              'rm -f "$run/npp.rc"',
              f'srun -n {m["ranks"]} "$NPP" "${{CASE[@]}}" "${{EXTRA[@]}}" "${{opts[@]}}" -output_dir "$run" > "$run/npp.log" 2>&1',
              "rc=$?",
              'echo $rc > "$run/npp.rc"',
              "exit $rc", ""]
    return "\n".join(lines)


def write_slurm(m, indices, a):
    """Writes the script, DIR/params.txt and the manifest; submitting is the user's call."""
    with open(os.path.join(m["out"], PARAMS_FILE), "w") as f:
        f.write(params_text(m))
    with open(a.slurm, "w") as f:
        f.write(slurm_script(m, indices, a))
    os.chmod(a.slurm, 0o755)
    save_manifest(m["out"], m)
    print(f"sweep: wrote {a.slurm} ({len(indices)} array tasks x {m['ranks']} ranks) and {m['out']}/{PARAMS_FILE}")
    print(f"  submit: sbatch {a.slurm}")
    print(f"  then:   {os.path.join(here, 'sweep.py')} --collect {m['out']}")


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
    ap.add_argument("--collect", metavar="DIR", help="only (re)build DIR/results.csv and the statuses in DIR/sweep.json from the run folders")
    ap.add_argument("--npp", default=os.environ.get("NPP_EXE", os.path.join(here, "..", "build", "npp")),
                    help="the npp executable (default $NPP_EXE or build/npp next to postproc/)")
    ap.add_argument("--mpiexec", default=os.environ.get("NPP_MPIEXEC", "mpiexec"), help="MPI launcher for --ranks > 1 (default $NPP_MPIEXEC or mpiexec)")
    ap.add_argument("--slurm", metavar="FILE", help="write a Slurm job-array script FILE (and DIR/params.txt, DIR/sweep.json) instead of running")
    ap.add_argument("--slurm-time", metavar="T", help="#SBATCH --time per array task, e.g. 01:00:00")
    ap.add_argument("--slurm-partition", metavar="P", help="#SBATCH --partition")
    ap.add_argument("--slurm-account", metavar="A", help="#SBATCH --account")
    a = ap.parse_args(argv[:cut])
    a.extra = argv[cut + 1:]
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
    refresh(m)
    return m


def to_do(m, retry_failed):
    return [r for r in m["runs"] if r["status"] == "pending" or (r["status"] == "failed" and retry_failed)]


def print_plan(m, todo, mpiexec):
    """--dry-run: every run with its status and, if it would run, its command."""
    ids = {r["index"] for r in todo}
    print(f"sweep: {len(m['runs'])} runs ({m['mode']}) in {m['out']}, {len(todo)} to run")
    for r in m["runs"]:
        what = "run " if r["index"] in ids else "skip"
        print(f"{r['index']:4d} {what} [{r['status']}] {r['folder']}")
        if r["index"] in ids:
            print("       " + shlex.join(command(m, r["params"], r["folder"], mpiexec)))


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    if a.collect:
        return collect(a.collect)
    params = check_args(a)
    m = plan(a, params)
    todo = to_do(m, a.retry_failed)
    if a.slurm:
        if not todo:
            failed = counts(m)["failed"]
            print(f"sweep: {len(m['runs']) - failed} of {len(m['runs'])} runs finished"
                  + (f", {failed} failed (not retried)" if failed else "")
                  + f"; nothing to submit. Collect: {PROG} --collect {m['out']}")
            return 0
        if a.dry_run:
            print(slurm_script(m, [r["index"] for r in todo], a))
            print_plan(m, todo, "srun")
            return 0
        os.makedirs(m["out"], exist_ok=True)
        write_slurm(m, [r["index"] for r in todo], a)
        return 0
    if a.dry_run:
        print_plan(m, todo, a.mpiexec)
        return 0
    os.makedirs(m["out"], exist_ok=True)
    held = lock(m["out"])
    try:
        c = counts(m)
        print(f"sweep: {len(m['runs'])} runs in {m['out']}: {c['done']} finished already, "
              f"{len(todo)} to run" + ("" if a.retry_failed else f", {c['failed']} failed (not retried)"), flush=True)
        save_manifest(m["out"], m)
        if todo:
            execute(m, todo, a.jobs or max(1, (os.cpu_count() or 1) // a.ranks), a.mpiexec, a.timeout)
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
