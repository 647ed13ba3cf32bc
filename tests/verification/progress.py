# SPDX-License-Identifier: BSD-2-Clause
"""Progress lines of transient runs (-output_progress, rank 0 only): with an interval of 0 none;
with a tiny interval one per time step, numbered as the summary's step log, the simulated time and
its share of the end time matching the log, and only rank 0 printing on 2 ranks."""
import os
import re
from npptest import run, check, close, finish

case = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "cases", "ccd")
o = {"time_final": 3600}
s, p = run("progress_off", dict(o, output_progress=0), 1, case=case)
check("npp: step" not in p.stdout, "-output_progress 0: no progress lines")
s, p = run("progress_every_step", dict(o, output_progress=1e-9), 2, case=case)
lines = [l for l in p.stdout.splitlines() if l.startswith("npp: step")]
check(len(lines) == s["solver"]["steps"], f"one line per step on 2 ranks (rank 0 only): {len(lines)} lines, {s['solver']['steps']} steps")
last = re.match(r"npp: step (\d+)  t = (\S+) s \((\S+) % of (\S+) s\)", lines[-1])
check(last is not None and int(last.group(1)) == s["solver"]["steps"], f"the last line: {lines[-1]}")
close(float(last.group(2)), s["solver"]["step_log"][-1][0], 1e-3, "its time is the last step's")
close(float(last.group(3)), 100.0, 1e-3, "at the end: 100 %")
check(all("Newton" in l and "Krylov" in l for l in lines) and "left" in lines[-1], "each line gives the iterations; the ETA once past 1 %")
_, p = run("progress_negative", dict(o, output_progress=-1), 1, case=case, expect_fail=True)
check(p.returncode == 1 and "-output_progress" in p.stderr, "a negative interval is an input error")
finish()
