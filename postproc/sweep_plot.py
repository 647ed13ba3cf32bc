#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Plots of a parametric sweep's results table (DIR/results.csv of postproc/sweep.py).

    postproc/sweep_plot.py DIR/results.csv --y anode.amplification --x region_sei_conductivity
        [--series region_electrolyte_transference_number] [--where KEY=VALUE ...]
        [--logx] [--logy] [--map [--logz]] [--out fig.png]

Line plot: the figure --y against the parameter --x, one curve per value of --series. --map: a
colour map of --y over --x (horizontal) and --series (vertical), one equal cell per value. Only finished runs are
plotted; any other parameter that varies must be fixed with --where KEY=VALUE (else the curves
would mix runs). Axis labels carry units where the name says them (S/m for *conductivity, m
for *thickness/radius/height, A/m^2 for current densities, s for times, ...); the title names
the case (from DIR/sweep.json). Non-numeric parameter values (material names) are placed as
categories. Needs numpy and matplotlib."""
import argparse
import csv
import json
import os
import re
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

# Units by the last meaningful word of an option or figure name, checked from the end of the
# dotted name backwards (anode.current_density.mean -> current_density -> A/m^2). The empty
# units stop the search: an amplification is a ratio, not a current density.
UNITS = [("transference_number", ""), ("amplification", ""), ("fraction", ""), ("ratio", ""),
         ("factor", ""), ("error", ""), ("iterations", ""), ("_number", ""),
         ("exchange_current_density", "A/m^2"), ("current_density", "A/m^2"),
         ("conductivity", "S/m"), ("film_resistance", "Ohm m^2"), ("diffusivity", "m^2/s"),
         ("concentration", "mol/m^3"), ("overpotential", "V"), ("potential", "V"),
         ("voltage", "V"), ("film_drop", "V"), ("temperature", "K"), ("activation_energy", "eV"),
         ("thickness", "m"), ("radius", "m"), ("height", "m"), ("width", "m"), ("length", "m"),
         ("size", "m"), ("pitch", "m"), ("wall_time", "s"), ("_time", "s"), ("time", "s"),
         ("time_final", "s"), ("current", "A")]


def unit(name):
    """The unit of an option or summary figure from its name, '' if unknown or dimensionless."""
    parts = name.split(".")
    if parts[0] == "time" and len(parts) == 2:      # wall time per stage
        return "s"
    for part in reversed(parts):
        for word, u in UNITS:
            if part == word.lstrip("_") or part.endswith(word):
                return u
    return ""


def label(name):
    u = unit(name)
    return f"{name} ({u})" if u else name


def read_table(path):
    """The rows and the parameter columns: results.csv lists them between 'index' and 'status'."""
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        rows = list(r)
        cols = r.fieldnames or []
    if "index" not in cols or "status" not in cols:
        sys.exit(f"sweep_plot.py: {path} is not a sweep results table (no index/status columns)")
    return rows, cols[cols.index("index") + 1:cols.index("status")], cols


def case_title(path, rows):
    """The case name from the sweep manifest next to the table, else the summary's 'case'."""
    manifest = os.path.join(os.path.dirname(os.path.abspath(path)), "sweep.json")
    if os.path.exists(manifest):
        with open(manifest) as f:
            name = json.load(f).get("case_name")
        if name:
            return name
    names = {r.get("case") for r in rows if r.get("case")}
    return names.pop() if len(names) == 1 else "sweep"


def as_number(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def axis_values(values):
    """Sorted distinct values and a position for each: numbers as they are, anything else as
    categories 0, 1, ... (ticks labelled with the text)."""
    distinct = sorted(set(values), key=lambda v: (as_number(v) is None, as_number(v) or 0, v))
    if all(as_number(v) is not None for v in distinct):
        return distinct, {v: as_number(v) for v in distinct}, False
    return distinct, {v: float(i) for i, v in enumerate(distinct)}, True


def select(rows, params, a):
    """Finished runs matching --where; exits naming any other parameter that still varies."""
    used = {a.x} | ({a.series} if a.series else set())
    for name in used:
        if name not in params:
            sys.exit(f"sweep_plot.py: {name} is not a parameter of this sweep ({', '.join(params)})")
    fixed = {}
    for w in a.where:
        k, eq, v = w.partition("=")
        if not eq or k not in params:
            sys.exit(f"sweep_plot.py: --where {w}: give PARAMETER=VALUE with a parameter of the sweep ({', '.join(params)})")
        fixed[k] = v
    sel = [r for r in rows if r["status"] == "done" and all(
        r[k] == v or (as_number(r[k]) is not None and as_number(r[k]) == as_number(v)) for k, v in fixed.items())]
    if not sel:
        sys.exit("sweep_plot.py: no finished run matches")
    if a.y not in sel[0]:
        figs = [c for c in sel[0] if c not in params and c not in ("run", "index", "status", "error")]
        close = [c for c in figs if a.y.split(".")[-1] in c][:8]
        sys.exit(f"sweep_plot.py: no column {a.y} in the table" + (f" (similar: {', '.join(close)})" if close else ""))
    for k in params:
        vals = {r[k] for r in sel}
        if k not in used and k not in fixed and len(vals) > 1:
            sys.exit(f"sweep_plot.py: parameter {k} also varies ({', '.join(sorted(vals))}): fix it with --where {k}=VALUE")
    return sel, fixed


def line_plot(ax, sel, a):
    """One curve of --y against --x per value of --series."""
    xs, xpos, xcat = axis_values([r[a.x] for r in sel])
    groups = axis_values([r[a.series] for r in sel])[0] if a.series else [None]
    for g in groups:
        pts = sorted((xpos[r[a.x]], as_number(r[a.y])) for r in sel if g is None or r[a.series] == g)
        pts = [(x, y) for x, y in pts if y is not None]
        if pts:
            ax.plot(*zip(*pts), "o-", label=g)
    if xcat:
        ax.set_xticks([xpos[v] for v in xs], xs)
    ax.set_xscale("log" if a.logx else "linear")
    ax.set_yscale("log" if a.logy else "linear")
    ax.set_xlabel(label(a.x))
    ax.set_ylabel(label(a.y))
    if a.series:
        ax.legend(title=label(a.series), fontsize="small")
    ax.grid(True, which="both", alpha=0.3)


def map_plot(fig, ax, sel, a):
    """--y as colours over the grid of --x and --series values, one equal cell per value
    (sweeps are usually log or irregular ranges) labelled with the value; missing or failed
    combinations stay blank."""
    xs = axis_values([r[a.x] for r in sel])[0]
    ys = axis_values([r[a.series] for r in sel])[0]
    z = np.full((len(ys), len(xs)), np.nan)
    for r in sel:
        v = as_number(r[a.y])
        if v is not None:
            z[ys.index(r[a.series]), xs.index(r[a.x])] = v
    norm = matplotlib.colors.LogNorm() if a.logz else None
    m = ax.pcolormesh(np.arange(len(xs) + 1) - 0.5, np.arange(len(ys) + 1) - 0.5,
                      np.ma.masked_invalid(z), norm=norm, shading="flat")
    fig.colorbar(m, ax=ax, label=label(a.y))
    ax.set_xticks(range(len(xs)), xs)
    ax.set_yticks(range(len(ys)), ys)
    if len(xs) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    ax.set_xlabel(label(a.x))
    ax.set_ylabel(label(a.series))


def default_out(csv_path, a):
    name = f"{a.y}_vs_{a.x}" + (f"_by_{a.series}" if a.series else "") + ("_map" if a.map else "")
    return os.path.join(os.path.dirname(os.path.abspath(csv_path)), re.sub(r"[^A-Za-z0-9._=-]", "_", name) + ".png")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    ap.add_argument("results", help="a sweep's results.csv (postproc/sweep.py)")
    ap.add_argument("--y", required=True, help="the figure to plot: a column of the table, e.g. effective_conductivity, anode.amplification")
    ap.add_argument("--x", required=True, help="the parameter on the horizontal axis")
    ap.add_argument("--series", help="second parameter: one curve per value, or the vertical axis with --map")
    ap.add_argument("--map", action="store_true", help="colour map of --y over --x and --series")
    ap.add_argument("--where", action="append", default=[], metavar="KEY=VALUE", help="keep only runs with this parameter value (fixes a third parameter); repeatable")
    ap.add_argument("--logx", action="store_true", help="line plot: logarithmic x axis (a map has one equal cell per value)")
    ap.add_argument("--logy", action="store_true", help="line plot: logarithmic y axis")
    ap.add_argument("--logz", action="store_true", help="--map: logarithmic colour scale")
    ap.add_argument("--out", help="PNG (or any matplotlib format) to write (default: next to the table, named from the axes)")
    a = ap.parse_args()
    if a.map and not a.series:
        sys.exit("sweep_plot.py: --map needs --series (the vertical axis)")
    rows, params, _ = read_table(a.results)
    sel, fixed = select(rows, params, a)
    fig, ax = plt.subplots(figsize=(6.4, 4.8), constrained_layout=True)
    if a.map:
        map_plot(fig, ax, sel, a)
    else:
        line_plot(ax, sel, a)
    where = ", ".join(f"{k} = {v}" for k, v in fixed.items())
    ax.set_title(f"{case_title(a.results, rows)}: {a.y}" + (f"\n{where}" if where else ""), fontsize="medium")
    out = a.out or default_out(a.results, a)
    fig.savefig(out, dpi=150)
    print(f"sweep_plot.py: wrote {out} ({len(sel)} runs)")


if __name__ == "__main__":
    main()
