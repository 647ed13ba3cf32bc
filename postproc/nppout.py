# SPDX-License-Identifier: BSD-2-Clause
"""Reading npp's output: the one reader shared by postproc/ and the tests (tests/verification
put this folder on sys.path). Needs numpy and h5py (Debian: /usr/bin/python3).

A run's output directory holds
    summary.json          the run summary (read_summary)
    solution.xmf + .h5    cell fields per output time, the mesh, region and rank (Xdmf, read_xdmf)
    electrode_<b>.xmf     each electrode's faces with per-face data per output time (Xdmf,
                          electrode_faces, read_electrode)
    electrodes.csv        the electrodes' time series of a transient run (read_electrodes_csv)

The .xmf files are followed as written: each time is a grid whose DataItems name 'file.h5:/path'
datasets, so whatever npp writes there is found without knowing its HDF5 layout.

    import nppout
    x = nppout.Xdmf("output/composite")                 # solution.xmf
    x.times, x.fields(-1)["potential"], x.centroids()
    xc, steps = nppout.read_xdmf("output/composite")    # centroids, [(t, {field: array}), ...]
"""
import csv
import json
import os
import xml.etree.ElementTree as ET

import numpy as np

DIM_OF_TOPOLOGY = {"Polyline": 1, "Triangle": 2, "Quadrilateral": 2, "Tetrahedron": 3, "Wedge": 3, "Hexahedron": 3}


def read_summary(run):
    """summary.json of a run as a dict."""
    with open(os.path.join(run, "summary.json")) as f:
        return json.load(f)


class DataItem:
    """An XDMF DataItem: its Dimensions and, for an HDF reference 'file.h5:/path', the file and
    dataset (a Function item, e.g. the zero y and z of a 1-D geometry, has function set and
    file/path None)."""

    def __init__(self, xdmf, e):
        self.xdmf = xdmf
        self.dims = [int(d) for d in e.get("Dimensions", "").split()]
        self.function = e.get("Function") if e.get("ItemType") == "Function" else None
        self.file = self.path = None
        if self.function is None:
            self.file, self.path = e.text.strip().split(":")

    def read(self):
        """The dataset behind an HDF reference, as stored."""
        if self.function is not None:
            raise ValueError(f"DataItem Function={self.function!r}: not a stored dataset")
        return self.xdmf.read(self)


class Grid:
    """One output time of a temporal collection: time, topology (type, number of elements,
    the cells' vertex lists), geometry (type, its DataItems) and the attributes by name."""

    def __init__(self, xdmf, g):
        t = g.find("Time")
        self.name = g.get("Name")
        self.time = float(t.get("Value")) if t is not None else 0.0
        topo = g.find("Topology")
        self.topology_type = topo.get("TopologyType")
        self.number_of_elements = int(topo.get("NumberOfElements"))
        self.cells = DataItem(xdmf, topo.find("DataItem"))
        geo = g.find("Geometry")
        self.geometry_type = geo.get("GeometryType")
        self.geometry = [DataItem(xdmf, e) for e in geo.findall("DataItem")]
        self.attributes = {a.get("Name"): DataItem(xdmf, a.find("DataItem")) for a in g.findall("Attribute")}


class Xdmf:
    """An XDMF file of a run (solution.xmf or electrode_<b>.xmf) and the HDF5 data it names.
    Grids are the output times, in order; k indexes them (negative from the end). HDF5 files
    are opened on first use and kept open until close() (or the end of a with block)."""

    def __init__(self, run, name="solution.xmf"):
        self.run = run
        root = ET.parse(os.path.join(run, name)).getroot()
        coll = root.find("Domain/Grid")
        self.name = coll.get("Name")
        self.collection_type = coll.get("CollectionType")
        self.grids = [Grid(self, g) for g in coll.findall("Grid")]
        self._h5 = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        for f in self._h5.values():
            f.close()
        self._h5 = {}

    def read(self, item):
        """The array of a DataItem (an HDF reference)."""
        import h5py
        if item.file not in self._h5:
            self._h5[item.file] = h5py.File(os.path.join(self.run, item.file), "r")
        return self._h5[item.file][item.path][...]

    @property
    def times(self):
        return [g.time for g in self.grids]

    @property
    def topology_type(self):
        return self.grids[0].topology_type

    @property
    def dim(self):
        """Dimension of the cells (1 for a polyline, ...)."""
        return DIM_OF_TOPOLOGY[self.topology_type]

    def cells(self, k=0):
        """Vertex indices of each cell [n, nodes]."""
        return self.read(self.grids[k].cells).astype(int)

    def vertices(self, k=0):
        """Vertex coordinates padded to 3 [nv, 3]; npp's 1-D geometry (X_Y_Z) stores x alone."""
        g = self.grids[k]
        xyz = self.read(g.geometry[0])
        if g.geometry_type == "X_Y_Z":
            return np.stack([xyz, 0 * xyz, 0 * xyz], axis=1)
        xyz = xyz.reshape(len(xyz), -1)
        return np.hstack([xyz, np.zeros((len(xyz), 3 - xyz.shape[1]))])

    def centroids(self, k=0):
        """Vertex means of the cells [n, 3] (the centroid of simplices and parallelograms)."""
        return self.vertices(k)[self.cells(k)].mean(axis=1)

    def order(self, k):
        """Indices that put output k's cells in output 0's order. A run continued from a
        checkpoint writes the outputs it adds on its own partition (its own mesh file, cells in
        another order); cells are matched by their centroids. None when the orders agree."""
        g0, g = self.grids[0], self.grids[k]
        if g.cells.file == g0.cells.file:
            return None
        if not hasattr(self, "_orders"):
            self._orders = {}
        if g.cells.file not in self._orders:
            a, b = self.centroids(0), self.centroids(k)
            scale = max(np.ptp(a), 1e-300)
            ka, kb = (np.round(x / scale * 1e9) for x in (a, b))
            ia, ib = np.lexsort(ka.T[::-1]), np.lexsort(kb.T[::-1])
            if not np.array_equal(ka[ia], kb[ib]):
                raise ValueError(f"{g.cells.file}: not the mesh of {g0.cells.file}")
            perm = np.empty(len(ia), dtype=int)
            perm[ia] = ib  # output 0's cell ia[j] is output k's cell ib[j]
            self._orders[g.cells.file] = perm
        return self._orders[g.cells.file]

    def field(self, name, k=-1, aligned=True):
        """One attribute at output k ([n], or [n, 3] for current_density), in output 0's cell
        order (aligned=False: as stored)."""
        v = self.read(self.grids[k].attributes[name])
        p = self.order(k % len(self.grids)) if aligned else None
        return v if p is None else v[p]

    def fields(self, k=-1, aligned=True):
        """Every attribute at output k: {name: array}, in output 0's cell order."""
        return {n: self.field(n, k, aligned) for n in self.grids[k].attributes}


def read_xdmf(out, name="solution.xmf"):
    """Reads every time of a run's XDMF file (solution.xmf, or an electrode_<b>.xmf) following
    its HDF5 paths: returns (centroids [ncells, 3], [(time, {field: array}), ...])."""
    with Xdmf(out, name) as x:
        return x.centroids(0), [(g.time, x.fields(k)) for k, g in enumerate(x.grids)]


def electrode_faces(out, name, k=-1):
    """An electrode's faces at output k of electrode_<name>.xmf: the vertices of each face
    [n, nodes, 3], the face fields {field: array [n]} and the time."""
    with Xdmf(out, f"electrode_{name}.xmf") as x:
        return x.vertices(k)[x.cells(k)], x.fields(k, aligned=False), x.grids[k].time


def face_measures(p):
    """Length (2-D) or area (3-D; triangles or planar quadrilaterals) of faces given by their
    vertices p [n, nodes, 3]; 1 for the point faces of a 1-D mesh."""
    if p.shape[1] == 1:
        return np.ones(len(p))
    if p.shape[1] == 2:
        return np.linalg.norm(p[:, 1] - p[:, 0], axis=1)
    a = 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1)
    if p.shape[1] == 4:   # quadrilaterals: two triangles
        a += 0.5 * np.linalg.norm(np.cross(p[:, 2] - p[:, 0], p[:, 3] - p[:, 0]), axis=1)
    return a


def read_electrode(out, name):
    """An electrode's faces from electrode_<name>.xmf: (centroids [n, 3], measures [n] (length in
    2-D, area in 3-D, 1 in 1-D), [(time, {field: array}), ...])."""
    xc, steps = read_xdmf(out, f"electrode_{name}.xmf")
    p, _, _ = electrode_faces(out, name, 0)
    return xc, face_measures(p), steps


def electrode_names(out):
    """Names of the electrodes that have an electrode_<b>.xmf in a run, sorted."""
    return sorted(f[10:-4] for f in os.listdir(out) if f.startswith("electrode_") and f.endswith(".xmf"))


def read_electrodes_csv(out):
    """electrodes.csv of a transient run as {column: float array} (empty cells NaN)."""
    with open(os.path.join(out, "electrodes.csv")) as f:
        rows = list(csv.reader(f))
    head, body = rows[0], rows[1:]
    return {h: np.array([float(r[i]) if i < len(r) and r[i] != "" else np.nan for r in body]) for i, h in enumerate(head)}


def read_electrodes_csv_rows(out):
    """electrodes.csv as one {column: float} per step (empty cells NaN)."""
    cols = read_electrodes_csv(out)
    return [dict(zip(cols, (float(v) for v in vals))) for vals in zip(*cols.values())]
