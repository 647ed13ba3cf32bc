# SPDX-License-Identifier: BSD-2-Clause
"""The user guide's option tables (docs/user-guide.md, "## Options") and `npp -help` list the
same keys of npp, and where the guide gives a plain default (a number, true/false or a `name`),
npp's default is that value."""
import os
import re
import subprocess
from npptest import EXE, check, finish

OURS = ("mesh_", "region_", "bc_", "output_", "fv_", "case_", "mms_", "species_", "physics_", "time_", "solver_", "materials")

# npp -help: "  -key <value : default>: meaning (unit)", "  -key: <TRUE : TRUE> ...", "  -key <now x : formerly y> ..." or "  -key <default>: ..."
p = subprocess.run([EXE, "-help"], capture_output=True, text=True, timeout=60)
check(p.returncode == 0, f"npp -help exits 0 ({p.returncode})")
helpdefaults = {}
for line in p.stdout.splitlines():
    m = re.match(r"^  -(\S+?):? <(?:now )?(.*?)>", line)
    if m and m.group(1).startswith(OURS):  # <default> or <value : default>
        helpdefaults.setdefault("-" + m.group(1), set()).add(m.group(2).split(" : ")[-1].replace("formerly ", "").strip())
check(len(helpdefaults) > 100, f"npp -help lists {len(helpdefaults)} keys of npp")

# the guide: rows "| `-key`, `-key2` | meaning | default |" of the tables under "## Options"
page = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "user-guide.md")
text = open(page).read()
section = text[text.index("\n## Options"):]
section = section[:section.index("\n## ", 1)]
guide = {}
header = []
for line in section.splitlines():
    if not line.startswith("|"):
        header = []
        continue
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if not header:
        header = [c.lower() for c in cells]
        continue
    if set(cells[0]) <= set("-: "):
        continue
    keys = re.findall(r"`(-[^`]+)`", cells[0])
    default = cells[header.index("default")] if "default" in header and len(cells) > header.index("default") else None
    for i, k in enumerate(keys):
        d = default
        if d is not None and len(keys) > 1:  # one default per key: `a`, `b`
            names = re.findall(r"`([^`]+)`", d)
            d = names[i] if len(names) == len(keys) else None
        guide[k] = d

only_help = sorted(set(helpdefaults) - set(guide))
only_guide = sorted(set(guide) - set(helpdefaults))
check(not only_help, "every key of npp -help is in the user guide" + (f"; missing there: {', '.join(only_help)}" if only_help else ""))
check(not only_guide, "every key of the user guide is in npp -help" + (f"; unknown to npp: {', '.join(only_guide)}" if only_guide else ""))


def literal(cell):
    """The plain default of a guide cell (before any parenthesis), or None."""
    if cell is None:
        return None
    c = re.sub(r"\s*\(.*$", "", cell).strip()
    m = re.fullmatch(r"`([^`<]*)`", c)
    if m:
        return m.group(1)
    if re.fullmatch(r"[-+0-9.eE,]+|true|false", c):
        return c
    return None


def same(a, b):
    a, b = a.split(","), b.split(",")
    try:
        x, y = [float(v) for v in a], [float(v) for v in b]
        if len(x) == 1 and len(y) > 1:  # "2e-5": every entry
            x = x * len(y)
        return len(x) == len(y) and all(abs(u - v) <= 1e-12 * max(abs(u), abs(v), 1e-300) for u, v in zip(x, y))
    except ValueError:
        return [v.lower() for v in a] == [v.lower() for v in b]


compared, wrong = 0, []
for k, cell in sorted(guide.items()):
    want = literal(cell)
    if want is None or k not in helpdefaults or len(helpdefaults[k]) != 1:
        continue
    got = next(iter(helpdefaults[k]))
    compared += 1
    if not same(want, got):
        wrong.append(f"{k}: guide {want}, npp {got}")
check(compared > 40, f"{compared} defaults compared")
check(not wrong, "the guide's defaults are npp's" + (f": {'; '.join(wrong)}" if wrong else ""))
finish()
