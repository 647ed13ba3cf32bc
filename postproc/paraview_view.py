"""Standard view of an npp run for users who have ParaView (pvbatch or pvpython).

    xvfb-run -a pvbatch postproc/paraview_view.py output/composite/solution.xmf view.png [field]

Cuts the domain in half along z, colours the cut by the field (default: current density
magnitude), draws the ceramic regions' outline on the cut, and saves a PNG.
"""
import sys

from paraview.simple import (XDMFReader, Clip, Slice, Threshold, Show, Render, SaveScreenshot, ColorBy,
                             GetActiveViewOrCreate, GetColorTransferFunction, ResetCamera, Outline)

xmf = sys.argv[1]
png = sys.argv[2] if len(sys.argv) > 2 else "view.png"
field = sys.argv[3] if len(sys.argv) > 3 else "current_density"

reader = XDMFReader(FileNames=[xmf])
reader.UpdatePipeline()
bounds = reader.GetDataInformation().GetBounds()
centre = [(bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2, (bounds[4] + bounds[5]) / 2]
three_d = bounds[5] > bounds[4]

view = GetActiveViewOrCreate("RenderView")
view.ViewSize = [900, 700]
view.Background = [1, 1, 1]
view.OrientationAxesVisibility = 0
if three_d:
    cut = Clip(Input=reader)
    cut.ClipType = "Plane"
    cut.ClipType.Origin = centre
    cut.ClipType.Normal = [0, 0, 1]
    shown = Show(cut, view)
    Show(Outline(Input=reader), view).AmbientColor = [0.2, 0.2, 0.2]
else:
    shown = Show(reader, view)
ColorBy(shown, ("CELLS", field, "Magnitude") if field == "current_density" else ("CELLS", field))
lut = GetColorTransferFunction(field)
lut.ApplyPreset("Viridis (matplotlib)", True)
shown.SetScalarBarVisibility(view, True)
bar = lut  # noqa: the scalar bar takes its title from the array
view.CameraPosition = [centre[0] - 1.6 * (bounds[1] - bounds[0]), centre[1] - 1.9 * (bounds[3] - bounds[2]),
                       centre[2] + 2.2 * (bounds[5] - bounds[4]) if three_d else centre[2] + 3 * (bounds[1] - bounds[0])]
view.CameraFocalPoint = centre
view.CameraViewUp = [0, 0, 1] if three_d else [0, 1, 0]
ResetCamera(view)
Render(view)
SaveScreenshot(png, view, ImageResolution=[900, 700])
print(f"wrote {png}")
