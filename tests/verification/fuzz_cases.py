# SPDX-License-Identifier: BSD-2-Clause
"""A mutation fuzzer over case files: every outcome must be a completed run or exactly one
npp: error line with a non-zero exit -- never a traceback, a signal, a hang or a silent success
of a broken file. A fixed seed and a short budget run in the suite; a long budget by hand:

    NPP_EXE=build/npp /usr/bin/python3 tests/verification/fuzz_cases.py --count 2000 --seed 7

Each failing mutant is kept under <out>/fuzz/failed-<k>/ with its case file and log."""
import argparse
import os
import random
import shutil
import subprocess
from npptest import EXE, LAYERS_CASE, MPIEXEC, OUT, check, finish

ap = argparse.ArgumentParser()
ap.add_argument("--count", type=int, default=40, help="mutants to run")
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--timeout", type=float, default=90, help="seconds a run may take")
a = ap.parse_args()

STEADY = LAYERS_CASE
TRANSIENT = """mesh:
  generator: layers
  dim: 1
  layers:
    thickness: 2e-5
    regions: electrolyte
  size: 1e-6
region:
  names: electrolyte
  electrolyte:
    conductivity: 0.094
    transference_number: 0.4
    li_concentration: 1000
    anion_concentration: 1000
bc:
  names: xmin,xmax
  xmin:
    exchange_current_density: 5
    current_density: 10
  xmax:
    exchange_current_density: 5
    potential: 0
time:
  final: 2
  output_times: 1
"""
TOKENS = ["1e", "abc", "-1", "0", "1e400", "nan", "inf", "", "1.5", "-4294967295", "9999999999", "[1, 2]", "{a: 1}",
          "'x'", "1e-320", "true", "\x01", "\u00e9", "<&\"", "1e-12", "1e12", "-0", "0x10", "1,2,3", "polymer", "xmin", ":", "~"]


def mutate(text, rng):
    lines = text.split("\n")
    k = rng.randrange(len(lines))
    op = rng.randrange(9)
    line = lines[k]
    if op == 0 and ":" in line:  # a value replaced
        key = line.split(":", 1)[0]
        lines[k] = key + ": " + rng.choice(TOKENS)
    elif op == 1:  # a line deleted
        del lines[k]
    elif op == 2:  # a line duplicated
        lines.insert(k, line)
    elif op == 3:  # indentation changed
        lines[k] = ("  " + line) if rng.random() < 0.5 else line[2:]
    elif op == 4 and line.strip():  # a key misspelt
        i = rng.randrange(len(line.strip())) + (len(line) - len(line.lstrip()))
        lines[k] = line[:i] + rng.choice("xyz_") + line[i + 1:]
    elif op == 5:  # a byte inserted
        i = rng.randrange(len(line) + 1)
        lines[k] = line[:i] + rng.choice(["\0", "\t", ":", "#", "\x7f", "\r", "'", '"', "{", "-", "&a", "*a", "!include case.yaml"]) + line[i:]
    elif op == 6:  # truncated
        return text[:rng.randrange(len(text))]
    elif op == 7:  # an unknown or another generator's key
        lines.insert(k, rng.choice(["foo: 1", "mesh_particles_radius: 1e-6", "ksp_rtol: 1e-3", "log_view: :/tmp/x", "$$i: !include case.yaml"]))
    else:  # two mutations
        return mutate(mutate(text, rng), rng)
    return "\n".join(lines)


rng = random.Random(a.seed)
root = os.path.join(OUT, "fuzz")
shutil.rmtree(root, ignore_errors=True)
counts = {"completed": 0, "error": 0, "bad": 0}
for k in range(a.count):
    base = rng.choice([STEADY, TRANSIENT])
    text = mutate(base, rng)
    d = os.path.join(root, f"m{k}")
    os.makedirs(d)
    with open(os.path.join(d, "case.yaml"), "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)
    ranks = 2 if k % 5 == 4 else 1
    cmd = ([MPIEXEC, "-n", "2"] if ranks > 1 else []) + [EXE, d, "-output_dir", os.path.join(d, "out"), "-mesh_max_cells", "2e5"]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=a.timeout, errors="replace")
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        rc, out, err = None, "", "timeout"
    errs = [l for l in err.splitlines() if l.startswith("npp: error:")]
    summary = os.path.join(d, "out", "summary.json")
    if rc == 0:
        ok = os.path.exists(summary) and not errs
        what = "completed"
    else:
        ok = rc is not None and 0 < rc < 128 and len(errs) == 1 and "PETSC ERROR" not in err and "signal" not in err.lower()
        what = "error"
    counts[what if ok else "bad"] += 1
    if not ok:
        keep = os.path.join(root, f"failed-{k}")
        shutil.copytree(d, keep, dirs_exist_ok=True)
        with open(os.path.join(keep, "log.txt"), "w") as f:
            f.write(" ".join(cmd) + f"\nexit {rc}\n--- stdout\n{out}\n--- stderr\n{err}\n")
        check(False, f"mutant {k} ({ranks} rank(s)): exit {rc}, {len(errs)} npp: error lines; kept in {keep}: {(errs or err.splitlines() or [''])[0][:160]}")
    else:
        shutil.rmtree(d)
print(f"fuzz: {a.count} mutants, seed {a.seed}: {counts}")
check(counts["bad"] == 0, f"every mutant completed or gave exactly one clear error ({counts})")
finish()
