# SPDX-License-Identifier: BSD-2-Clause
"""postproc/sweep.py --slurm on a real, stock Slurm: a single-node cluster from Debian's
packages (munge, slurmctld, slurmd, as root, with a slurm.conf written here: MpiDefault=none
as shipped, 2 CPUs) runs generated job arrays of a 2-D composite: 2 runs on 1 rank (submitted
with --submit) and 2 on 2 ranks (sbatch --hold by hand: --collect must report them queued,
exit 3, before they are released), into a sweep directory whose name holds a space and a
quote. Their results equal the same sweeps run locally (1e-10), every row has its wall time;
mpirun inside the allocation (--mpiexec mpirun) works too; --slurm-mpi none fails as a stock
Slurm does, with OpenMPI's cause as the recorded error, and a cancelled task is recorded as
failed with Slurm's CANCELLED line. The daemons are stopped at the end whatever happens. Skipped
(exit 77) when not root, without the packages, or when the daemons do not come up. About 1
minute on 2 cores."""
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
sys.dont_write_bytecode = True
from npptest import EXE, OUT, check, finish  # noqa: E402

SKIP = 77      # ctest SKIP_RETURN_CODE
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT_DIR = os.path.normpath(os.path.join(HERE, "..", ".."))
SWEEP = os.path.join(ROOT_DIR, "postproc", "sweep.py")
CASE = os.path.join(ROOT_DIR, "cases", "composite")
# The 3-D composite made 2-D and coarse: 353 cells, about 2 s a run. The linear solver is
# converged to round-off: at its default tolerance (1e-11) two identical local sweeps on 2 ranks
# differ by 2e-10, and a run whose mesh comes from the sweep's mesh cache differs from one that
# meshed (which of a sweep's runs meshes depends on the order they run in).
COARSE = ["-mesh_dim", "2", "-mesh_particles_box", "20e-6,20e-6", "-mesh_size", "3e-6", "-mesh_interface_size", "1.5e-6",
          "-ksp_rtol", "1e-13"]
VALUES = "region_ceramic_conductivity=0.026,0.05"
RTOL = 1e-10
DEADLINE = time.time() + 140          # every wait below ends by then, and stopping takes at most 40 s
BINARIES = ("munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "scancel", "scontrol", "sinfo", "srun")
W = os.path.join(OUT, "slurm")


def skip(why):
    print(f"skipped: {why}")
    sys.exit(SKIP)


def remaining(cap):
    """Seconds a wait may take: at most cap, and never past the test's deadline."""
    return max(1.0, min(cap, DEADLINE - time.time()))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path, n=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


class Cluster:
    """munged, slurmctld and slurmd in the foreground as children of this process, all state
    in a temporary directory (their own munge key and socket, ports found free), nothing of
    the machine's own configuration used or changed."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="npp-slurm-")     # short: the munge socket path is limited
        self.procs = {}
        self.node = socket.gethostname().split(".")[0]
        self.conf = os.path.join(self.dir, "slurm.conf")
        self.env = dict(os.environ, SLURM_CONF=self.conf)

    def path(self, *p):
        return os.path.join(self.dir, *p)

    def write_conf(self):
        for d in ("state", "spool", "log"):
            os.makedirs(self.path(d))
        text = f"""ClusterName=npptest
SlurmctldHost={self.node}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.path("munge.socket")}
StateSaveLocation={self.path("state")}
SlurmdSpoolDir={self.path("spool")}
SlurmctldPidFile={self.path("slurmctld.pid")}
SlurmdPidFile={self.path("slurmd.pid")}
SlurmctldLogFile={self.path("log", "slurmctld.log")}
SlurmdLogFile={self.path("log", "slurmd.log")}
MailProg=/bin/true
# no cgroups: containers and CI machines may not delegate them
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# as Debian ships it: srun gives the ranks no PMI unless told (--mpi=pmix)
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=sched_interval=1
ReturnToService=2
KillWait=5
# the node as configured even on a machine with fewer cores
SlurmdParameters=config_overrides
NodeName={self.node} NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes={self.node} Default=YES MaxTime=INFINITE State=UP
"""
        with open(self.conf, "w") as f:
            f.write(text)

    def spawn(self, name, cmd):
        log = open(self.path("log", name + ".out"), "w")
        self.procs[name] = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=self.env)
        log.close()

    def start(self):
        """Returns None when the node is idle, else why it is not."""
        self.write_conf()
        key = self.path("munge.key")
        p = subprocess.run(["mungekey", "--create", f"--keyfile={key}"], capture_output=True, text=True, timeout=30)
        if p.returncode != 0:
            return f"mungekey: {p.stderr.strip()}"
        self.spawn("munged", ["munged", "--foreground", "--force", f"--socket={self.path('munge.socket')}", f"--key-file={key}",
                              f"--pid-file={self.path('munged.pid')}", f"--log-file={self.path('log', 'munged.log')}",
                              f"--seed-file={self.path('munged.seed')}"])
        t0 = time.time()
        while not os.path.exists(self.path("munge.socket")):
            if self.procs["munged"].poll() is not None or time.time() - t0 > remaining(15):
                return "munged did not start:\n" + tail(self.path("log", "munged.out"))
            time.sleep(0.1)
        self.spawn("slurmctld", ["slurmctld", "-D", "-i", "-f", self.conf])
        self.spawn("slurmd", ["slurmd", "-D", "-f", self.conf, "-N", self.node])
        t0 = time.time()
        while True:
            for name, p in self.procs.items():
                if p.poll() is not None:
                    return f"{name} exited with {p.returncode}:\n" + tail(self.path("log", name + ".out"))
            s = subprocess.run(["sinfo", "--noheader", "--format=%T", "--nodes", self.node], capture_output=True, text=True,
                               timeout=remaining(20), env=self.env)
            if s.stdout.strip() == "idle":
                return None
            if time.time() - t0 > remaining(30):
                return (f"node not idle after 30 s (sinfo: {s.stdout.strip() or s.stderr.strip()}):\n"
                        + tail(self.path("log", "slurmctld.log")) + tail(self.path("log", "slurmd.log")))
            time.sleep(0.3)

    def run(self, cmd, **kw):
        return subprocess.run(cmd, capture_output=True, text=True, timeout=remaining(60), env=self.env, **kw)

    def stop(self):
        """Cancels what is left of the jobs, all of them this test's (their step daemons would
        outlive slurmd), then stops the daemons by their process ids, and removes the directory."""
        if "slurmctld" in self.procs and self.procs["slurmctld"].poll() is None:
            try:
                subprocess.run(["scancel", "--full", f"--user={os.getuid()}"], capture_output=True, timeout=10, env=self.env)
                t0 = time.time()
                while time.time() - t0 < 10:
                    q = subprocess.run(["squeue", "--noheader"], capture_output=True, text=True, timeout=5, env=self.env)
                    if q.returncode != 0 or not q.stdout.strip():
                        break
                    time.sleep(0.5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        for name in ("slurmd", "slurmctld", "munged"):
            p = self.procs.get(name)
            if p and p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def sweep(args, env, extra=COARSE):
    cmd = [sys.executable, SWEEP, CASE, "--npp", EXE] + args + ["--"] + extra
    return subprocess.run(cmd, capture_output=True, text=True, timeout=remaining(120), env=env)


def collect(d, env):
    return subprocess.run([sys.executable, SWEEP, "--collect", d], capture_output=True, text=True, timeout=remaining(60), env=env)


def results(d):
    with open(os.path.join(d, "results.csv"), newline="") as f:
        return list(csv.DictReader(f))


def manifest(d):
    with open(os.path.join(d, "sweep.json")) as f:
        return json.load(f)


def submitted(d):
    """The job ids --submit recorded in DIR/sweep.json ([] if none)."""
    try:
        return manifest(d).get("slurm", {}).get("jobs", [])
    except (OSError, ValueError):
        return []


def wait_done(d, env):
    """--collect until Slurm holds none of the sweep's tasks (its exit code is no longer 3)."""
    while True:
        p = collect(d, env)
        if p.returncode != 3 or time.time() > DEADLINE:
            return p
        time.sleep(1)


# Not compared: timings, memory, the solver's iteration counts, and the figures that are zero
# to round-off here (the conservation error, the void fraction of a composite without voids):
# they vary between identical runs.
SKIPPED = ("index", "wall_time", "conservation_error", "microstructure.void_fraction")


def compare(slurm_dir, local_dir, what):
    """Every other numeric figure of results.csv of the Slurm sweep against the local one;
    returns the largest relative difference."""
    worst = 0.0
    rows_s, rows_l = results(slurm_dir), results(local_dir)
    check([r["run"] for r in rows_s] == [r["run"] for r in rows_l], f"{what}: same runs in Slurm and local")
    for rs, rl in zip(rows_s, rows_l):
        compared = 0
        for k, vl in rl.items():
            if k in SKIPPED or k.startswith(("time.", "memory.", "solver.")):
                continue
            try:
                a, b = float(rs.get(k, "")), float(vl)
            except ValueError:
                continue
            scale = max(abs(a), abs(b))
            diff = abs(a - b) / scale if scale > 0 else 0.0
            worst = max(worst, diff)
            compared += 1
            if diff > RTOL:
                check(False, f"{what} {rs['run']}: {k} = {a!r} on Slurm, {b!r} locally")
        check(compared > 40 and rs["status"] == "done", f"{what} {rs['run']}: {compared} figures equal to the local run's")
    return worst


def main():
    if os.geteuid() != 0:
        skip("the single-node Slurm of this test runs its daemons as root")
    missing = [b for b in BINARIES if not shutil.which(b)]
    if missing:
        skip(f"no {', '.join(missing)} (Debian packages slurmctld slurmd slurm-client munge)")
    cluster = Cluster()
    # ctest's timeout and Ctrl-C end the test through the finally below, daemons stopped
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        why = cluster.start()
        if why:
            skip(f"the single-node Slurm did not start: {why}")
        print(f"Slurm up on node {cluster.node} in {cluster.dir}")
        run_checks(cluster)
    finally:
        cluster.stop()
        print("Slurm daemons stopped")


def run_checks(cluster):
    env = cluster.env
    shutil.rmtree(W, ignore_errors=True)
    os.makedirs(W)
    t0 = time.time()

    # 1 rank, --submit: the job id is recorded; a sweep directory with a space and a quote
    one = os.path.join(W, "one rank's sweep")
    p = sweep(["-p", VALUES, "--ranks", "1", "--out", one, "--slurm", one + ".sh", "--submit"], env)
    jobs = submitted(one)
    check(p.returncode == 0 and len(jobs) == 1, f"--submit: submitted, job id recorded ({p.stdout.strip()} {p.stderr.strip()})")

    # 2 ranks, sbatch --hold by hand: --collect finds the array by its name and reports it queued
    two = os.path.join(W, "two ranks")
    p = sweep(["-p", VALUES, "--ranks", "2", "--out", two, "--slurm", two + ".sh"], env)
    check(p.returncode == 0 and "srun --mpi=pmix -n 2" in p.stdout, f"--slurm --ranks 2: written with srun --mpi=pmix ({p.stdout.strip()})")
    s = cluster.run(["sbatch", "--parsable", "--hold", two + ".sh"])
    held = s.stdout.strip().split(";")[0]
    jobs.append(held)
    p = collect(two, env)
    check(s.returncode == 0 and p.returncode == 3 and "2 queued, 0 running, 0 not run" in p.stdout,
          f"held array: --collect reports 2 queued, exit 3 ({p.returncode}: {p.stdout.strip()})")
    p = sweep(["-p", VALUES, "--ranks", "2", "--out", two, "--slurm", two + ".sh"], env)
    check(p.returncode == 2 and "2 queued and 0 running tasks" in p.stderr, "writing the array again meanwhile: refused")
    cluster.run(["scontrol", "release", held])

    # mpirun inside the allocation instead of srun; and srun with a stock Slurm's MPI type, none
    mpirun = os.path.join(W, "mpirun")
    p = sweep(["-p", "region_ceramic_conductivity=0.05", "--ranks", "2", "--mpiexec", "mpirun", "--out", mpirun,
               "--slurm", mpirun + ".sh", "--submit"], env)
    check(p.returncode == 0 and "mpirun -n 2" in p.stdout, f"--mpiexec mpirun: the tasks use mpirun ({p.stdout.strip()})")
    jobs += submitted(mpirun)
    none = os.path.join(W, "mpi-none")
    p = sweep(["-p", "region_ceramic_conductivity=0.05", "--ranks", "2", "--slurm-mpi", "none", "--out", none,
               "--slurm", none + ".sh", "--submit"], env)
    check(p.returncode == 0, f"--slurm-mpi none: submitted ({p.stderr.strip()})")
    jobs += submitted(none)

    # the same sweeps on this machine, meanwhile
    local = {}
    for ranks in (1, 2):
        local[ranks] = os.path.join(W, f"local-{ranks}")
        p = sweep(["-p", VALUES, "--ranks", str(ranks), "--jobs", "1", "--out", local[ranks]], env)
        check(p.returncode == 0, f"local sweep on {ranks} ranks ({p.stdout.strip()[-200:]})")

    for d in (one, two, mpirun, none):
        p = wait_done(d, env)
        print(f"{os.path.basename(d)}: {p.stdout.strip()}")
    print(f"arrays and local sweeps finished after {time.time() - t0:.1f} s")

    worst = 0.0
    for d, ranks in ((one, 1), (two, 2)):
        p = collect(d, env)
        rows = results(d)
        check(p.returncode == 0 and "2 done, 0 failed, 0 queued, 0 running, 0 not run" in p.stdout,
              f"{os.path.basename(d)}: both runs done, exit 0 ({p.stdout.strip()})")
        check(all(r["ranks"] == str(ranks) for r in rows), f"{os.path.basename(d)}: the runs ran on {ranks} ranks")
        walls = [r["wall_time"] for r in rows]
        check(all(w and 0 < float(w) < 120 for w in walls), f"{os.path.basename(d)}: wall time on every row ({walls})")
        check(all(r.get("slurm_job", "").split("_")[0] in jobs for r in manifest(d)["runs"]),
              f"{os.path.basename(d)}: each run's Slurm task recorded")
        worst = max(worst, compare(d, local[ranks], os.path.basename(d)))
    print(f"largest relative difference Slurm vs local: {worst:.3g}")
    rows = results(mpirun)
    check(rows[0]["status"] == "done" and rows[0]["ranks"] == "2", "mpirun inside the allocation: done on 2 ranks")
    got = float(rows[0]["effective_conductivity"])
    want = float(results(local[2])[1]["effective_conductivity"])
    check(abs(got - want) <= RTOL * abs(want), f"... effective conductivity {got!r}, locally {want!r}")
    rows = results(none)
    check(rows[0]["status"] == "failed" and "OMPI was not built with SLURM's PMI support" in rows[0]["error"]
          and "--slurm-mpi" in rows[0]["error"], f"--slurm-mpi none fails in MPI_Init, cause recorded: {rows[0]['error']!r}")

    # a cancelled task (a stand-in npp that only sleeps) is recorded as failed
    sleeper = os.path.join(W, "sleeper")
    with open(sleeper, "w") as f:
        f.write("#!/bin/sh\nexec sleep 100\n")
    os.chmod(sleeper, 0o755)
    cancel = os.path.join(W, "cancelled")
    p = subprocess.run([sys.executable, SWEEP, "--npp", sleeper, "-p", "x=1", "--out", cancel, "--slurm", cancel + ".sh", "--submit"],
                       capture_output=True, text=True, timeout=remaining(60), env=env)
    job = (submitted(cancel) or ["none submitted"])[0]
    log = os.path.join(cancel, "x=1", "npp.log")    # written once the task launches its run
    while not os.path.exists(log) and time.time() < DEADLINE:
        time.sleep(0.2)
    time.sleep(1)                                   # srun has started the step
    cluster.run(["scancel", job])
    p = wait_done(cancel, env)
    rows = results(cancel)
    check(p.returncode == 1 and rows[0]["status"] == "failed" and rows[0]["wall_time"]
          and ("CANCELLED" in rows[0]["error"] or "stopped by SIGTERM" in rows[0]["error"]),
          f"scancel: the task is recorded as failed with Slurm's line and a wall time ({rows[0]['error']!r})")
    print(f"checks done after {time.time() - t0:.1f} s")


main()
finish()
