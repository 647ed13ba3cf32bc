# SPDX-License-Identifier: BSD-2-Clause
"""docs/materials.md shows the material library as the code holds it: the table in the page is
exactly the output of `npp -materials`."""
import os
import subprocess
from npptest import EXE, check, finish

page = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "materials.md")
with open(page) as f:
    table = [l for l in f.read().splitlines() if l.startswith("|")]
p = subprocess.run([EXE, "-materials"], capture_output=True, text=True)
check(p.returncode == 0, "npp -materials runs")
out = [l for l in p.stdout.splitlines() if l.startswith("|")]
check(len(out) > 20, f"npp -materials lists {len(out) - 2} presets")
diff = [(a, b) for a, b in zip(table, out) if a != b]
same = len(table) == len(out) and not diff
check(same, "docs/materials.md table = npp -materials" + ("" if same else f" ({len(table)} vs {len(out)} lines; first difference: {diff[:1]})"))
finish()
