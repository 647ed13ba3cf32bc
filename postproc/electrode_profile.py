#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Current density along an electrode of one or more runs (2-D), from electrode_<b>.xmf.

    postproc/electrode_profile.py output/dendrite [output/dendrite-phlp ...] [--electrode anode]
        [--time -1] [--out profile.png]

Plots i / |mean i| against the arc length along the electrode (faces chained through their
shared vertices), one curve per run, with the apex marked. Needs numpy, h5py, matplotlib."""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nppout  # noqa: E402  (reading npp's output)


def load(run, electrode, time_index):
    """The electrode's faces at output time_index: vertices [n, 2, 3] (2-D), fields, time."""
    return nppout.electrode_faces(run, electrode, time_index)


def chain(seg):
    """Orders 2-D segments [n, 2, 3] into a path; returns the order and the arc length of each
    segment's midpoint."""
    key = lambda p: (round(p[0] * 1e12), round(p[1] * 1e12))
    ends = {}
    for k, s in enumerate(seg):
        for e in (0, 1):
            ends.setdefault(key(s[e]), []).append((k, e))
    start = next((k for k, s in enumerate(seg) if len(ends[key(s[0])]) == 1), 0)
    order, used, k, e = [], set(), start, 0
    if len(ends[key(seg[start][0])]) != 1:
        e = 1 if len(ends[key(seg[start][1])]) == 1 else 0
    while k is not None and k not in used:
        used.add(k)
        order.append(k)
        far = key(seg[k][1 - e])
        nxt = [(j, f) for j, f in ends[far] if j != k and j not in used]
        k, e = (nxt[0] if nxt else (None, 0))
    lengths = np.linalg.norm(seg[order, 1] - seg[order, 0], axis=1)
    s = np.cumsum(lengths) - 0.5 * lengths
    return np.array(order), s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", help="output directories")
    ap.add_argument("--electrode", default="anode")
    ap.add_argument("--time", type=int, default=-1, help="index of the output time (default: the last)")
    ap.add_argument("--out", default=None, help="image file (default: <first run>/profile_<electrode>.png)")
    a = ap.parse_args()
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for run in a.runs:
        seg, f, t = load(run, a.electrode, a.time)
        if seg.shape[1] != 2:
            sys.exit(f"{run}: electrode_{a.electrode} is not a curve (a 2-D run is needed for a profile)")
        order, s = chain(seg)
        i = f["current_density"][order]
        mean = np.sum(np.linalg.norm(seg[order, 1] - seg[order, 0], axis=1) * i) / np.sum(np.linalg.norm(seg[order, 1] - seg[order, 0], axis=1))
        label = os.path.basename(os.path.normpath(run))
        try:
            st = next(b for b in nppout.read_summary(run)["boundaries"] if b["name"] == a.electrode)["electrode"]["current_density"]
            label += f" (amplification {st['amplification']:.3f})"
        except (OSError, StopIteration, KeyError):
            pass
        ax.plot(s * 1e6, i / abs(mean), label=label)
    ax.set_xlabel(f"arc length along {a.electrode} (µm)")
    ax.set_ylabel("i / |mean i|  (negative: plating)")
    ax.set_title(f"normal current density on {a.electrode}, t = {t:g} s")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = a.out or os.path.join(a.runs[0], f"profile_{a.electrode}.png")
    fig.savefig(out, dpi=130)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
