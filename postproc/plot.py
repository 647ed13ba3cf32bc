#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Pictures of npp runs (PNG), from solution.xmf/.h5, electrode_<b>.xmf, electrodes.csv and
summary.json. Needs numpy, h5py, matplotlib (Debian: /usr/bin/python3).

    postproc/plot.py RUN field NAME [--slice x=5e-6] [--arrows] [--streamlines] [--xlim a,b --ylim c,d]
    postproc/plot.py RUN [RUN ...] profile NAME --from x0,y0[,z0] --to x1,y1[,z1] [--n 200] [--csv f.csv]
                                                [--interp cell|linear]
    postproc/plot.py RUN [RUN ...] electrode NAME [--quantity current_density|overpotential|concentration]
    postproc/plot.py RUN [RUN ...] voltage
    postproc/plot.py RUN info                     (mesh, output times, fields, electrodes)
  common: --time T | --step k (default: the last output), --out file.png, --size 800x500, --dpi 100,
          --palette (256-colour PNG, ~3x smaller), --vmin, --vmax, --cmap, --log

NAME (field, profile): c_<species> (mol/m^3), potential, electron_potential (V), charge_density
(C/m^3), region, rank, current_density (magnitude, A/m^2) or current_density_x/_y/_z.
Coordinates on the command line (--slice, --from, --to, --xlim, --ylim) are in metres; the
pictures are in µm. Every picture goes to --out (default <first run>/<what>_<name>.png), of
--size pixels (default 800x500). Cell values are piecewise constant: a profile or a slice shows
the value of the cell containing each point, located exactly (barycentric coordinates of the
cell's simplices, cells assumed convex)."""
import argparse
import csv
import itertools
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import electrode_profile  # noqa: E402  (chain(): the 2-D electrode curve)
import nppout  # noqa: E402  (reading npp's output)

UM = 1e6


# ----------------------------------------------------------------------------- reading a run
class Run:
    """One output directory: the mesh (vertices padded to 3 coordinates, cell vertex lists), the
    output times and, per time, where each cell field lives in the HDF5 file (nppout.Xdmf)."""

    def __init__(self, path):
        self.path = os.path.normpath(path)
        self.name = os.path.basename(self.path)
        try:
            self.summary = nppout.read_summary(path)
        except OSError:
            self.summary = {}
        self.case = self.summary.get("case") or self.name
        self.xdmf = nppout.Xdmf(path)
        self.times = self.xdmf.times
        self.attributes = [g.attributes for g in self.xdmf.grids]
        self.topology = self.xdmf.topology_type
        self.dim = self.xdmf.dim
        self.cells = self.xdmf.cells(0)
        self.xyz = self.xdmf.vertices(0)
        self._locator = None

    def step(self, time=None, step=None):
        """Index of the output closest to time T (s), or step k (negative from the end); default
        the last."""
        if time is not None:
            return int(np.argmin(np.abs(np.array(self.times) - time)))
        k = -1 if step is None else step
        if not -len(self.times) <= k < len(self.times):
            sys.exit(f"{self.path}: no step {k} (it has {len(self.times)} output times)")
        return k % len(self.times)

    def fields(self, k=-1):
        """Names of the cell fields at output k (current_density is a 3-vector)."""
        return list(self.attributes[k])

    def raw(self, name, k):
        """A stored cell field at output k ([n] or [n, 3]), in the cell order of output 0 (a
        restarted run's later outputs are stored in their own)."""
        if name not in self.attributes[k]:
            sys.exit(f"{self.path}: no field {name!r} (have {', '.join(self.fields(k))})")
        return self.xdmf.field(name, k)

    def values(self, name, k):
        """One value per cell: a scalar field, |current_density|, or current_density_x/_y/_z."""
        if name in ("current_density", "current_density_magnitude"):
            return np.linalg.norm(self.raw("current_density", k), axis=1)
        if name.startswith("current_density_") and name[-1] in "xyz":
            return self.raw("current_density", k)[:, "xyz".index(name[-1])]
        return self.raw(name, k)

    def centroids(self):
        """Vertex means of the cells (the centroid for simplices and parallelograms)."""
        return self.xyz[self.cells].mean(axis=1)

    def locator(self):
        """A (cached) CellLocator of this mesh."""
        if self._locator is None:
            self._locator = CellLocator(self.xyz[:, :self.dim], self.cells)
        return self._locator

    def region_names(self):
        """Region names by index, from summary.json."""
        return {r["id"]: r["name"] for r in self.summary.get("regions", []) if "id" in r}


# ----------------------------------------------------------------------------- geometry
class CellLocator:
    """Finds the cell containing each of many points: a uniform grid of buckets over the mesh,
    each listing the cells whose bounding box overlaps it; a candidate cell contains the point
    when the point has non-negative barycentric coordinates in one of the simplices spanned by
    dim + 1 of its vertices (exact for convex cells of any vertex order: triangles and tetrahedra
    directly, quadrilaterals, wedges and hexahedra through all their vertex subsets)."""

    def __init__(self, P, cells, tol=1e-10):
        self.P, self.cells, self.tol = P, cells, tol
        self.dim = P.shape[1]
        box = P[cells]
        self.lo_c, self.hi_c = box.min(axis=1), box.max(axis=1)
        self.lo, hi = P.min(axis=0), P.max(axis=0)
        self.h = max(float(np.mean(np.max(self.hi_c - self.lo_c, axis=1))), 1e-300)
        self.nb = np.clip(np.ceil((hi - self.lo) / self.h).astype(int), 1, None)
        limit = 4 * len(cells) + 1000                    # at most a few buckets per cell
        if np.prod(self.nb.astype(float)) > limit:
            self.h *= (np.prod(self.nb.astype(float)) / limit) ** (1 / self.dim)
            self.nb = np.clip(np.ceil((hi - self.lo) / self.h).astype(int), 1, None)
        self.h_axis = np.maximum((hi - self.lo) / self.nb, 1e-300)
        self.eps = 1e-9 * float(np.max(hi - self.lo))
        self._build()
        simplices = [s for s in itertools.combinations(range(cells.shape[1]), self.dim + 1)]
        self.simplices = np.array(simplices)

    def _bucket(self, x):
        """Bucket indices (per axis, clipped) of coordinates x [..., dim]."""
        return np.clip(np.floor((x - self.lo) / self.h_axis).astype(int), 0, self.nb - 1)

    def _flat(self, idx):
        return np.ravel_multi_index(tuple(idx[..., d] for d in range(self.dim)), self.nb)

    def _build(self):
        """Bucket -> cells lists (CSR) from each cell's slightly enlarged bounding box."""
        ilo, ihi = self._bucket(self.lo_c - self.eps), self._bucket(self.hi_c + self.eps)
        span = ihi - ilo + 1
        pairs_b, pairs_c = [], []
        for off in itertools.product(*[range(m) for m in span.max(axis=0)]):
            off = np.array(off)
            ok = np.all(off < span, axis=1)
            pairs_b.append(self._flat(ilo[ok] + off))
            pairs_c.append(np.nonzero(ok)[0])
        b, c = np.concatenate(pairs_b), np.concatenate(pairs_c)
        order = np.argsort(b, kind="stable")
        self.bucket_cells = c[order]
        self.start = np.searchsorted(b[order], np.arange(np.prod(self.nb) + 1))

    def candidates(self, X):
        """(point index, cell index) pairs whose cell bounding box contains the point."""
        b = self._flat(self._bucket(X))
        n = self.start[b + 1] - self.start[b]
        pi = np.repeat(np.arange(len(X)), n)
        first = np.repeat(self.start[b], n)
        within = np.arange(len(pi)) - np.repeat(np.cumsum(n) - n, n)
        ci = self.bucket_cells[first + within]
        inside = np.all((X[pi] >= self.lo_c[ci] - self.eps) & (X[pi] <= self.hi_c[ci] + self.eps), axis=1)
        return pi[inside], ci[inside]

    def barycentric(self, X, ci, s):
        """Barycentric coordinates [m, dim + 1] of points X [m, dim] in simplex s of cells ci,
        NaN where that simplex is degenerate (e.g. four vertices of a hexahedron's face)."""
        V = self.P[self.cells[ci][:, self.simplices[s]]]          # [m, dim+1, dim]
        A = np.transpose(V[:, 1:] - V[:, :1], (0, 2, 1))          # columns v_k - v_0
        scale = np.max(np.abs(A), axis=(1, 2)) ** self.dim
        det = np.linalg.det(A)
        good = np.abs(det) > 1e-12 * np.maximum(scale, 1e-300)
        A[~good] = np.eye(self.dim)
        lam = np.linalg.solve(A, (X - V[:, 0])[..., None])[..., 0]
        lam = np.hstack([1 - lam.sum(axis=1, keepdims=True), lam])
        lam[~good] = np.nan
        return lam

    def locate(self, X):
        """For points X [n, dim]: the containing cell (-1 outside the mesh), and for
        interpolation the vertices [n, dim + 1] and barycentric weights of a containing simplex."""
        X = np.asarray(X, float)[:, :self.dim]
        cell = np.full(len(X), -1)
        verts = np.zeros((len(X), self.dim + 1), int)
        weights = np.zeros((len(X), self.dim + 1))
        pi, ci = self.candidates(X)
        for s in range(len(self.simplices)):
            todo = cell[pi] < 0
            if not np.any(todo):
                break
            p, c = pi[todo], ci[todo]
            lam = self.barycentric(X[p], c, s)
            hit = np.all(lam >= -self.tol, axis=1)
            # a point on a shared face: keep the first hit of each point
            p, c, lam = p[hit], c[hit], lam[hit]
            p, first = np.unique(p, return_index=True)
            cell[p] = c[first]
            verts[p] = self.cells[c[first]][:, self.simplices[s]]
            weights[p] = lam[first]
        return cell, verts, weights


def polygons_2d(P, cells):
    """Vertex rings [n, k, 2] of 2-D convex cells, ordered by angle about their vertex mean
    (whatever the stored order)."""
    V = P[cells][:, :, :2]
    d = V - V.mean(axis=1, keepdims=True)
    order = np.argsort(np.arctan2(d[..., 1], d[..., 0]), axis=1)
    return np.take_along_axis(V, order[..., None], axis=1)


def convex_hull(pts):
    """Convex hull (counter-clockwise, Andrew's monotone chain) of a few 2-D points."""
    pts = sorted(set(map(tuple, np.round(pts, 30))))
    if len(pts) < 3:
        return np.array(pts)

    def half(seq):
        h = []
        for p in seq:
            while len(h) >= 2 and (h[-1][0] - h[-2][0]) * (p[1] - h[-2][1]) - (h[-1][1] - h[-2][1]) * (p[0] - h[-2][0]) <= 0:
                h.pop()
            h.append(p)
        return h[:-1]
    return np.array(half(pts) + half(pts[::-1]))


def slice_cells(xyz, cells, axis, value):
    """Exact section of 3-D convex cells by the plane x[axis] = value. Vertices on the plane count
    as on its upper side (on its lower side at the mesh's lowest coordinate), so a face lying in
    the plane is drawn once. Returns the cut cells and
    their polygons (list of [m, 2] arrays, in the two other coordinates, counter-clockwise)."""
    plane = [a for a in range(3) if a != axis]
    d = xyz[cells][..., axis] - value                      # [n, k] signed distances
    up = d >= 0 if value > xyz[:, axis].min() else d > 0     # on the lowest face: the cells above
    cut = np.nonzero(up.any(axis=1) & ~up.all(axis=1))[0]
    V, d, up = xyz[cells[cut]], d[cut], up[cut]
    k = cells.shape[1]
    pts = []
    for a, b in itertools.combinations(range(k), 2):      # all vertex pairs: a superset of the edges
        t = d[:, a] / np.where(up[:, a] != up[:, b], d[:, a] - d[:, b], np.nan)
        p = V[:, a] + t[:, None] * (V[:, b] - V[:, a])
        pts.append(p[:, plane])
    pts = np.stack(pts, axis=1)                            # [ncut, pairs, 2], NaN off the plane
    if k == 4:  # tetrahedra: every pair is an edge, every crossing a vertex of the section
        c = np.nanmean(pts, axis=1, keepdims=True)
        ang = np.arctan2(pts[..., 1] - c[..., 1], pts[..., 0] - c[..., 0])
        order = np.argsort(np.where(np.isnan(ang), np.inf, ang), axis=1)
        pts = np.take_along_axis(pts, order[..., None], axis=1)
        count = np.sum(~np.isnan(pts[..., 0]), axis=1)
        polys = [q[:m] for q, m in zip(pts, count)]
    else:       # hexahedra, wedges: crossings of diagonals lie inside, keep the hull
        polys = [convex_hull(q[~np.isnan(q[:, 0])]) for q in pts]
    return cut, polys


def polygon_area(poly):
    """Area of a simple polygon [m, 2] (shoelace)."""
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def parse_slice(text):
    """'x=5e-6' -> (0, 5e-6)."""
    try:
        ax, val = text.split("=")
        return "xyz".index(ax.strip().lower()), float(val)
    except ValueError:
        sys.exit(f"--slice {text!r}: expected x=VALUE, y=VALUE or z=VALUE (m)")


def parse_point(text, dim):
    """'x,y[,z]' (m) -> a point of the mesh dimension (missing trailing coordinates 0)."""
    v = [float(s) for s in text.split(",")]
    if len(v) < dim or any(c != 0 for c in v[dim:]):
        sys.exit(f"{text!r}: need {dim} coordinates for a {dim}-D mesh")
    return np.array((v + [0.0] * 3)[:dim])


def vertex_values(run, v):
    """Cell values [n] or [n, c] averaged onto the vertices (for smooth interpolation)."""
    nv, k = len(run.xyz), run.cells.shape[1]
    v = v.reshape(len(v), -1)
    acc = np.zeros((nv, v.shape[1]))
    cnt = np.zeros(nv)
    for j in range(k):
        np.add.at(acc, run.cells[:, j], v)
        np.add.at(cnt, run.cells[:, j], 1)
    return acc / np.maximum(cnt, 1)[:, None]


def sample_grid(run, plane, lims, n_long, smooth_of=None):
    """Regular grid over the picture (axes plane = the two mesh coordinates shown, the third
    fixed for slices): points, their containing cells (-1 outside) and, if smooth_of (cell
    values [n, c]) is given, its vertex-averaged values interpolated linearly in the containing
    simplex."""
    (a0, a1), (b0, b1) = lims
    na = n_long if (a1 - a0) >= (b1 - b0) else max(int(n_long * (a1 - a0) / (b1 - b0)), 4)
    nb = n_long if (b1 - b0) > (a1 - a0) else max(int(n_long * (b1 - b0) / (a1 - a0)), 4)
    ga, gb = np.linspace(a0, a1, na), np.linspace(b0, b1, nb)
    A, B = np.meshgrid(ga, gb)
    X = np.zeros((A.size, 3))
    axes, fixed = plane
    X[:, axes[0]], X[:, axes[1]] = A.ravel(), B.ravel()
    if fixed is not None:
        X[:, fixed[0]] = fixed[1]
    cell, verts, w = run.locator().locate(X[:, :run.dim])
    vals = None
    if smooth_of is not None:
        vv = vertex_values(run, smooth_of)
        vals = np.einsum("nk,nkc->nc", w, vv[verts])
        vals[cell < 0] = np.nan
        vals = vals.reshape(nb, na, -1)
    return ga, gb, A, B, cell.reshape(A.shape), vals


# ----------------------------------------------------------------------------- styles
UNITS = {"potential": "V", "electron_potential": "V", "charge_density": "C/m³", "current_density": "A/m²",
         "region": "", "rank": ""}


def describe(name):
    """(label with unit, kind) of a field: kind in sequential, diverging, categorical."""
    if name.startswith("c_"):
        return f"{name} (mol/m³)", "sequential"
    if name.startswith("current_density_") and name[-1] in "xyz":
        return f"{name} (A/m²)", "diverging"
    if name in ("current_density", "current_density_magnitude"):
        return "|current density| (A/m²)", "sequential"
    if name in ("region", "rank"):
        return name, "categorical"
    kind = "diverging" if name in ("potential", "electron_potential", "charge_density") else "sequential"
    unit = UNITS.get(name)
    return (f"{name} ({unit})" if unit else name), kind


def colour_scale(values, kind, a):
    """(cmap, norm) for the values: sequential maps for magnitudes, a diverging map centred on 0
    (or on mid-range when all values have one sign) for potentials and charge, a qualitative map
    for regions; --vmin/--vmax/--cmap/--log override."""
    from matplotlib import colors
    v = values[np.isfinite(values)]
    lo = a.vmin if a.vmin is not None else (float(v.min()) if v.size else 0.0)
    hi = a.vmax if a.vmax is not None else (float(v.max()) if v.size else 1.0)
    if hi - lo <= 1e-6 * max(abs(lo), abs(hi)):   # uniform up to round-off: do not colour the noise
        mid, half = 0.5 * (lo + hi), max(abs(lo), abs(hi)) * 1e-3 or 1e-12
        lo, hi = mid - half, mid + half
    if kind == "categorical":
        n = int(round(hi)) + 1
        return a.cmap or "tab10", colors.BoundaryNorm(np.arange(-0.5, n + 0.5), n)
    if kind == "diverging":
        cmap = a.cmap or "RdBu_r"
        if lo < 0 < hi:
            m = max(-lo, hi)
            return cmap, colors.Normalize(-m, m)
        return cmap, colors.Normalize(lo, hi)
    if a.log:
        return a.cmap or "viridis", colors.LogNorm(max(lo, hi * 1e-6) if lo <= 0 else lo, hi)
    return a.cmap or "viridis", colors.Normalize(lo, hi)


def fmt_time(t):
    """'60 s', '2.5 h'."""
    return f"{t / 3600:.4g} h" if t >= 3600 else f"{t:.4g} s"


def figure(a, **kw):
    """A figure of --size pixels at --dpi."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    w, h = (int(s) for s in a.size.lower().split("x"))
    return plt.subplots(figsize=(w / a.dpi, h / a.dpi), dpi=a.dpi, layout="constrained", **kw)


def save(fig, a, default):
    """Writes the figure to --out (or default) at exactly --size pixels."""
    out = a.out or default
    if a.palette:   # 256 colours: a few times smaller, for documents
        import io
        from PIL import Image
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=a.dpi)
        Image.open(buf).convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE).save(out, optimize=True)
    else:
        fig.savefig(out, dpi=a.dpi)
    print(f"wrote {out}")
    return out


# ----------------------------------------------------------------------------- field
def field_geometry(run, a):
    """The polygons to draw and their cells: all 2-D cells, or the section of a 3-D mesh by
    --slice. Returns (cells, polygons, plane = ((axis_h, axis_v), fixed (axis, value) or None))."""
    if run.dim == 2:
        return np.arange(len(run.cells)), polygons_2d(run.xyz, run.cells), ((0, 1), None)
    if run.dim == 3:
        if not a.slice:
            sys.exit(f"{run.path} is 3-D: give --slice x=VALUE (or y=, z=)")
        axis, value = parse_slice(a.slice)
        cut, polys = slice_cells(run.xyz, run.cells, axis, value)
        if not len(cut):
            sys.exit(f"--slice {a.slice}: the plane misses the mesh")
        return cut, polys, (tuple(i for i in range(3) if i != axis), (axis, value))
    sys.exit("field: 1-D runs are profiles: use profile NAME --from x0 --to x1")


def limits(polys, a):
    """Picture limits (m) along its two axes: the polygons' extent, or --xlim/--ylim."""
    allp = polys.reshape(-1, 2) if isinstance(polys, np.ndarray) else np.concatenate(polys)
    lims = [(float(allp[:, i].min()), float(allp[:, i].max())) for i in range(2)]
    for i, txt in enumerate((a.xlim, a.ylim)):
        if txt:
            lims[i] = tuple(float(s) for s in txt.split(","))
    return lims


def visible(polys, lims):
    """Mask of the polygons overlapping the picture's limits (for the colour scale)."""
    if isinstance(polys, np.ndarray):
        lo, hi = polys.min(axis=1), polys.max(axis=1)
    else:
        lo = np.array([np.min(p, axis=0) for p in polys])
        hi = np.array([np.max(p, axis=0) for p in polys])
    return ((hi[:, 0] >= lims[0][0]) & (lo[:, 0] <= lims[0][1]) & (hi[:, 1] >= lims[1][0]) & (lo[:, 1] <= lims[1][1]))


def plot_field(run, a):
    """A cell field on the 2-D mesh or on a slice of the 3-D mesh, with optional arrows or
    streamlines of the in-plane current density."""
    from matplotlib.collections import PolyCollection
    k = run.step(a.time, a.step)
    cells, polys, plane = field_geometry(run, a)
    vals = run.values(a.name, k)[cells]
    label, kind = describe(a.name)
    lims = limits(polys, a)
    cmap, norm = colour_scale(vals[visible(polys, lims)], kind, a)
    fig, ax = figure(a)
    pc = PolyCollection(polys * UM if isinstance(polys, np.ndarray) else [p * UM for p in polys], array=vals, cmap=cmap, norm=norm,
                        edgecolors="face", linewidths=0.3, antialiaseds=False)
    ax.add_collection(pc)
    w_px, h_px = fig.get_size_inches() * fig.dpi
    aspect = (lims[1][1] - lims[1][0]) / max(lims[0][1] - lims[0][0], 1e-300)
    cb = fig.colorbar(pc, ax=ax, label=label, shrink=float(np.clip(aspect * 0.8 * w_px / (0.85 * h_px), 0.35, 1.0)))
    if kind == "categorical" and a.name == "region":
        names = run.region_names()
        ids = sorted(int(i) for i in np.unique(vals))
        cb.set_ticks(ids)
        cb.set_ticklabels([names.get(i, str(i)) for i in ids])
    if a.arrows or a.streamlines:
        vector_overlay(run, k, ax, plane, lims, a)
    ax.set_xlim(*(np.array(lims[0]) * UM))
    ax.set_ylim(*(np.array(lims[1]) * UM))
    ax.set_aspect("equal")
    h, v = ("xyz"[i] for i in plane[0])
    ax.set_xlabel(f"{h} (µm)")
    ax.set_ylabel(f"{v} (µm)")
    where = f", {'xyz'[plane[1][0]]} = {plane[1][1] * UM:.4g} µm" if plane[1] else ""
    ax.set_title(f"{run.case}: {label.split(' (')[0]}{where}, t = {fmt_time(run.times[k])}")
    return save(fig, a, os.path.join(run.path, f"field_{a.name}.png"))


def vector_overlay(run, k, ax, plane, lims, a):
    """Quiver (--arrows: the current density of the cells containing a regular grid of points)
    or streamlines (--streamlines: streamplot of the current density averaged to the vertices
    and interpolated linearly in the cells, masked outside the mesh), in-plane components."""
    j = run.raw("current_density", k)
    axes = plane[0]
    if a.streamlines:
        ga, gb, A, B, cell, v = sample_grid(run, plane, lims, 120, smooth_of=j[:, list(axes)])
        u, w = np.ma.masked_invalid(v[..., 0]), np.ma.masked_invalid(v[..., 1])
        speed = np.ma.sqrt(u * u + w * w)
        lw = 0.5 + 1.5 * (speed / speed.max()).filled(0) if speed.count() else 1.0
        colour = "black" if describe(a.name)[1] == "diverging" else "white"
        span = np.array([ga[-1] - ga[0], gb[-1] - gb[0]])
        density = np.maximum(1.2 * span / span.max(), 0.3)     # even spacing on equal axes
        ax.streamplot(ga * UM, gb * UM, u, w, color=colour, linewidth=lw, density=tuple(density), arrowsize=0.8)
    if a.arrows:
        ga, gb, A, B, cell, _ = sample_grid(run, plane, lims, 24)
        inside = cell >= 0
        jj = j[cell[inside]][:, list(axes)]
        mag = np.linalg.norm(jj, axis=1)
        full = float(np.percentile(np.linalg.norm(j, axis=1), 95))
        ref = max(float(np.percentile(mag, 95)) if len(mag) else 0.0, 1e-6 * full) or 1.0   # round-off: no arrows
        q = ax.quiver(A[inside] * UM, B[inside] * UM, jj[:, 0], jj[:, 1], color="black", pivot="mid",
                      width=0.003, angles="xy", scale_units="xy", scale=ref / (0.9 * (ga[1] - ga[0]) * UM))
        ax.quiverkey(q, 0.02, 0.03, ref, f"{ref:.3g} A/m² (in-plane)", labelpos="E", coordinates="figure", fontproperties={"size": 8})


# ----------------------------------------------------------------------------- profile
def profile_samples(run, a):
    """Sample points [n, 3] along --from..--to, distances s (m), containing cells (-1 outside),
    and the vertices and barycentric weights of a containing simplex (for --interp linear)."""
    p0, p1 = parse_point(a.frm, run.dim), parse_point(a.to, run.dim)
    t = np.linspace(0, 1, a.n)
    X = p0[None] + t[:, None] * (p1 - p0)[None]
    cell, verts, w = run.locator().locate(X)
    Xp = np.hstack([X, np.zeros((len(X), 3 - X.shape[1]))])
    return Xp, t * np.linalg.norm(p1 - p0), cell, verts, w


def plot_profile(runs, a):
    """The value of the cell containing each sample point along a segment (--interp linear: the
    cell values averaged to the vertices, interpolated linearly in the containing simplex), one
    curve per run; --csv writes run, s, x, y, z, cell, value."""
    label, _ = describe(a.name)
    fig, ax = figure(a)
    rows = []
    for run in runs:
        k = run.step(a.time, a.step)
        X, s, cell, verts, w = profile_samples(run, a)
        values = run.values(a.name, k)
        if a.interp == "linear":
            v = np.einsum("nk,nk->n", w, vertex_values(run, values)[verts, 0])
        else:
            v = values[np.maximum(cell, 0)]
        v = np.where(cell >= 0, v, np.nan)
        ax.plot(s * UM, v, label=f"{run.name} (t = {fmt_time(run.times[k])})")
        rows += [(run.name, si, *x, c, vi) for si, x, c, vi in zip(s, X, cell, v)]
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["run", "s_m", "x_m", "y_m", "z_m", "cell", a.name])
            for r in rows:
                w.writerow([r[0]] + [f"{x:.17g}" for x in r[1:5]] + [int(r[5]), f"{r[6]:.17g}"])
        print(f"wrote {a.csv}")
    ax.set_xlabel("distance along the segment (µm)")
    ax.set_ylabel(label)
    ax.set_title(f"{runs[0].case}: {label.split(' (')[0]} from ({a.frm}) to ({a.to}) m")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return save(fig, a, os.path.join(runs[0].path, f"profile_{a.name}.png"))


# ----------------------------------------------------------------------------- electrode
def electrode_times(run, name):
    """Output times of electrode_<name>.xmf."""
    if not os.path.exists(os.path.join(run.path, f"electrode_{name}.xmf")):
        have = nppout.electrode_names(run.path)
        sys.exit(f"{run.path}: no electrode {name!r} (have {', '.join(have) or 'none'})")
    return nppout.Xdmf(run.path, f"electrode_{name}.xmf").times


def electrode_step(run, a):
    """Index into electrode_<b>.xmf for --time/--step."""
    times = electrode_times(run, a.name)
    if a.time is not None:
        return int(np.argmin(np.abs(np.array(times) - a.time)))
    return (-1 if a.step is None else a.step) % len(times)


def projection_axes(V):
    """View of a surface (points V [n, 3]) along the normal n of its best-fitting plane (the
    smallest principal direction, snapped to a coordinate axis within 1e-3, oriented towards
    the side the surface bulges to). In-plane axes e1, e2: the two coordinate axes most nearly
    in the plane, in x, y, z order, projected and orthonormalised."""
    c = V - V.mean(axis=0)
    n = np.linalg.svd(c, full_matrices=False)[2][-1]
    i = int(np.argmax(np.abs(n)))
    if abs(n[i]) > 1 - 1e-3:
        n = np.sign(n[i]) * np.eye(3)[i]
    h = c @ n
    if np.max(h) - np.median(h) < np.median(h) - np.min(h):
        n = -n
    g1, g2 = sorted(np.argsort(np.abs(n))[:2])
    e1 = np.eye(3)[g1] - n[g1] * n
    e1 /= np.linalg.norm(e1)
    e2 = np.eye(3)[g2] - n[g2] * n - e1[g2] * e1
    e2 /= np.linalg.norm(e2)
    return n, e1, e2


def axis_name(e):
    """'y' for (0, 1, 0), else '(0.71, 0.71, 0)'."""
    i = int(np.argmax(np.abs(e)))
    return "xyz"[i] if abs(abs(e[i]) - 1) < 1e-9 else "(" + ", ".join(f"{c:.2g}" for c in e) + ")"


def plot_electrode(runs, a):
    """2-D: the quantity along the electrode curve against arc length (nppout.electrode_faces
    and chain), one curve per run. 3-D: a map of the electrode faces projected onto the plane of
    their mean normal, one panel per run, one colour scale."""
    q = a.quantity
    unit = {"current_density": "A/m²", "overpotential": "V", "concentration": "mol/m³"}.get(q, "")
    data = []
    for run in runs:
        kk = electrode_step(run, a)
        seg, f, t = nppout.electrode_faces(run.path, a.name, kk)
        if q not in f:
            sys.exit(f"{run.path}: electrode_{a.name} has no {q!r} (have {', '.join(f)})")
        data.append((run, seg, f[q], t))
    nverts = data[0][1].shape[1]
    if nverts == 1:
        sys.exit(f"electrode {a.name} is a point (1-D run): use the voltage plot")
    if nverts == 2:
        fig, ax = figure(a)
        for run, seg, v, t in data:
            order, s = electrode_profile.chain(seg)
            ax.plot(s * UM, v[order], label=f"{run.name} (t = {fmt_time(t)})")
        ax.set_xlabel(f"arc length along {a.name} (µm)")
        ax.set_ylabel(f"{q} ({unit})" + ("  (negative: plating)" if q == "current_density" else ""))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        ax.set_title(f"{data[0][0].case}: {q} on {a.name}")
        return save(fig, a, os.path.join(runs[0].path, f"electrode_{a.name}.png"))
    from matplotlib.collections import PolyCollection
    fig, axs = figure(a, ncols=len(data), squeeze=False)
    allv = np.concatenate([d[2] for d in data])
    kind = "diverging" if q == "current_density" and allv.min() < 0 < allv.max() else "sequential"
    cmap, norm = colour_scale(allv, kind, a)
    for ax, (run, seg, v, t) in zip(axs[0], data):
        n, e1, e2 = projection_axes(seg.reshape(-1, 3))
        P = np.stack([seg @ e1, seg @ e2], axis=-1)
        order = np.argsort((seg @ n).mean(axis=1))      # faces nearer the viewer drawn last
        pc = PolyCollection(P[order] * UM, array=v[order], cmap=cmap, norm=norm, edgecolors="face", linewidths=0.2)
        ax.add_collection(pc)
        ax.autoscale_view()
        ax.set_aspect("equal")
        ax.set_xlabel(f"{axis_name(e1)} (µm)")
        ax.set_ylabel(f"{axis_name(e2)} (µm)")
        ax.set_title(f"{run.name}, t = {fmt_time(t)}", fontsize=9)
    fig.colorbar(pc, ax=list(axs[0]), label=f"{q} ({unit})")
    fig.suptitle(f"{data[0][0].case}: {q} on {a.name} (viewed along its mean normal)")
    return save(fig, a, os.path.join(runs[0].path, f"electrode_{a.name}.png"))


# ----------------------------------------------------------------------------- voltage
def read_electrodes_csv(run):
    """electrodes.csv as {column: float array} (empty cells NaN)."""
    if not os.path.exists(os.path.join(run.path, "electrodes.csv")):
        sys.exit(f"{run.path}: no electrodes.csv (transient runs with electrodes only)")
    return nppout.read_electrodes_csv(run.path)


def plot_voltage(runs, a):
    """Cell voltage against time and, below, each electrode's mean kinetic overpotential;
    one colour per run, time in s or h."""
    cols = [read_electrodes_csv(r) for r in runs]
    tmax = max(float(np.nanmax(c["time_s"])) for c in cols)
    unit, div = ("h", 3600.0) if tmax >= 3600 else ("s", 1.0)
    has_eta = any(k.endswith("_overpotential_V") for c in cols for k in c)
    fig, axs = figure(a, nrows=2 if has_eta else 1, sharex=True, squeeze=False)
    axs = axs[:, 0]
    styles = ["-", "--", ":", "-."]
    for i, (run, c) in enumerate(zip(runs, cols)):
        colour = f"C{i}"
        axs[0].plot(c["time_s"] / div, c["cell_voltage_V"], color=colour, label=run.name)
        if has_eta:
            etas = [k for k in c if k.endswith("_overpotential_V")]
            for j, kname in enumerate(etas):
                axs[1].plot(c["time_s"] / div, c[kname] * 1e3, color=colour, ls=styles[j % 4],
                            label=f"{run.name}: {kname[:-len('_overpotential_V')]}")
    axs[0].set_ylabel("cell voltage (V)")
    axs[0].set_title(f"{runs[0].case}: cell voltage" + (" and overpotentials" if has_eta else ""))
    if has_eta:
        axs[1].set_ylabel("mean overpotential (mV)")
        axs[1].legend(fontsize=7)
    for ax in axs:
        ax.grid(alpha=0.3)
    axs[0].legend(fontsize=8)
    axs[-1].set_xlabel(f"time ({unit})")
    return save(fig, a, os.path.join(runs[0].path, "voltage.png"))


# ----------------------------------------------------------------------------- command line
def info(run):
    """Prints the mesh, the output times and the fields of a run."""
    print(f"{run.path}: case {run.case}, {run.dim}-D, {len(run.cells)} {run.topology} cells")
    print("times (s): " + ", ".join(f"{t:g}" for t in run.times))
    print("fields: " + ", ".join(run.fields()))
    el = nppout.electrode_names(run.path)
    print("electrodes: " + (", ".join(el) or "none"))


def parse_args(argv):
    """RUN [RUN ...] WHAT [NAME] [options]: the runs are the arguments before the first word
    naming a picture."""
    whats = ("field", "profile", "electrode", "voltage", "info")
    pos = next((i for i, s in enumerate(argv) if s in whats), None)
    if pos is None or pos == 0:
        sys.exit(__doc__)
    ap = argparse.ArgumentParser(prog="plot.py RUN [RUN ...]", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=whats)
    ap.add_argument("name", nargs="?", default=None, help="field or electrode name")
    ap.add_argument("--out", help="PNG file")
    ap.add_argument("--time", type=float, help="output time closest to T (s)")
    ap.add_argument("--step", type=int, help="output index (default -1, the last)")
    ap.add_argument("--slice", help="3-D: plane x=VALUE, y=VALUE or z=VALUE (m)")
    ap.add_argument("--arrows", action="store_true", help="field: quiver of the in-plane current density")
    ap.add_argument("--streamlines", action="store_true", help="field: streamlines of the in-plane current density")
    ap.add_argument("--xlim", help="horizontal picture range lo,hi (m)")
    ap.add_argument("--ylim", help="vertical picture range lo,hi (m)")
    ap.add_argument("--from", dest="frm", help="profile start x,y[,z] (m)")
    ap.add_argument("--to", help="profile end x,y[,z] (m)")
    ap.add_argument("--n", type=int, default=200, help="profile samples")
    ap.add_argument("--csv", help="profile: also write the samples to this CSV")
    ap.add_argument("--interp", choices=("cell", "linear"), default="cell",
                    help="profile: the containing cell's value (default) or vertex averages interpolated linearly")
    ap.add_argument("--quantity", default="current_density", help="electrode: current_density, overpotential or concentration")
    ap.add_argument("--vmin", type=float)
    ap.add_argument("--vmax", type=float)
    ap.add_argument("--cmap")
    ap.add_argument("--log", action="store_true", help="logarithmic colour scale (sequential fields)")
    ap.add_argument("--size", default="800x500", help="picture size in pixels WxH")
    ap.add_argument("--dpi", type=int, default=100)
    ap.add_argument("--palette", action="store_true", help="write a 256-colour PNG (smaller)")
    a = ap.parse_args(argv[pos:])
    a.runs = argv[:pos]
    if a.what in ("field", "profile", "electrode") and not a.name:
        ap.error(f"{a.what} needs a NAME")
    if a.what == "field" and len(a.runs) > 1:
        ap.error("field takes one run")
    if a.what == "profile" and not (a.frm and a.to):
        ap.error("profile needs --from and --to")
    return a


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    if a.what == "voltage":
        class Plain:   # electrodes.csv and summary.json only: no mesh needed
            def __init__(self, p):
                self.path, self.name = os.path.normpath(p), os.path.basename(os.path.normpath(p))
                try:
                    self.case = nppout.read_summary(p).get("case") or self.name
                except OSError:
                    self.case = self.name
        return plot_voltage([Plain(r) for r in a.runs], a)
    runs = [Run(r) for r in a.runs]
    if a.what == "info":
        for r in runs:
            info(r)
        return None
    if a.what == "field":
        return plot_field(runs[0], a)
    if a.what == "profile":
        return plot_profile(runs, a)
    return plot_electrode(runs, a)


if __name__ == "__main__":
    main()
