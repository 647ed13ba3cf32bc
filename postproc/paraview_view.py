# SPDX-License-Identifier: BSD-2-Clause
"""Standard view of an npp run for users who have ParaView (pvbatch or pvpython).

    xvfb-run -a pvbatch postproc/paraview_view.py output/composite/solution.xmf view.png [field]

3-D: cuts the domain in half along z and colours the cut by the field (default: current
density magnitude, range clipped to the 0.5-99.5 percentiles so that a few sliver cells do not
wash out the picture), with the box outline. 2-D: colours the whole mesh. A trailing --log puts
a concentration (c_<species>) on a log scale (ParaView 5.11 then speckles some cells: linear is
the default). Saves a PNG.
"""
import sys

import numpy as np
from paraview import servermanager
from paraview.simple import (XDMFReader, Clip, Show, Render, SaveScreenshot, ColorBy, Outline,
                             GetActiveViewOrCreate, GetColorTransferFunction, GetScalarBar, ResetCamera)
from vtk.numpy_interface import dataset_adapter as dsa

xmf = sys.argv[1]
png = sys.argv[2] if len(sys.argv) > 2 else "view.png"
field = sys.argv[3] if len(sys.argv) > 3 else "current_density"

reader = XDMFReader(FileNames=[xmf])
reader.UpdatePipeline()
b = reader.GetDataInformation().GetBounds()
centre = [(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2]
three_d = b[5] > b[4]

data = dsa.WrapDataObject(servermanager.Fetch(reader))
values = np.asarray(data.CellData[field])
if isinstance(values, dsa.VTKCompositeDataArray):
    values = np.concatenate([np.asarray(a) for a in values.Arrays])
if values.ndim > 1:
    values = np.linalg.norm(values, axis=1)
lo, hi = np.percentile(values, [0.5, 99.5])

view = GetActiveViewOrCreate("RenderView")
view.ViewSize = [720, 560]
view.UseColorPaletteForBackground = 0
view.Background = [1, 1, 1]
view.OrientationAxesVisibility = 0
if three_d:
    cut = Clip(Input=reader)
    cut.ClipType = "Plane"
    cut.ClipType.Origin = centre
    cut.ClipType.Normal = [0, 0, 1]
    shown = Show(cut, view)
    outline = Show(Outline(Input=reader), view)
    outline.AmbientColor = outline.DiffuseColor = [0.2, 0.2, 0.2]
    view.CameraPosition = [centre[0] + 1.3 * (b[1] - b[0]), centre[1] - 1.8 * (b[3] - b[2]), centre[2] + 1.6 * (b[5] - b[4])]
    view.CameraViewUp = [0, 0, 1]
else:
    shown = Show(reader, view)
    shown.Ambient, shown.Diffuse, shown.Specular = 1.0, 0.0, 0.0  # a flat 2-D mesh: no shading (it renders black otherwise)
    view.CameraPosition = [centre[0], centre[1], centre[2] + 3 * (b[1] - b[0])]
    view.CameraViewUp = [0, 1, 0]
view.CameraFocalPoint = centre
ColorBy(shown, ("CELLS", field, "Magnitude") if values.ndim and field == "current_density" else ("CELLS", field))
lut = GetColorTransferFunction(field)
lut.ApplyPreset("Viridis (matplotlib)", True)
lut.RescaleTransferFunction(float(lo), float(hi))
if field.startswith("c_") and lo > 0 and "--log" in sys.argv:
    lut.UseLogScale = 1  # concentrations across space-charge layers vary by orders of magnitude
shown.SetScalarBarVisibility(view, True)
bar = GetScalarBar(lut, view)
bar.Title = {"current_density": "|current density| (A/m^2)", "potential": "potential (V)"}.get(field, field + " (mol/m^3)" if field.startswith("c_") else field)
bar.ComponentTitle = ""
bar.TitleColor = bar.LabelColor = [0.1, 0.1, 0.1]
ResetCamera(view)
view.CameraParallelScale = 0
Render(view)
SaveScreenshot(png, view, ImageResolution=[720, 560])
print(f"wrote {png}")
