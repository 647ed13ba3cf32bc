// SPDX-License-Identifier: BSD-2-Clause
// A 10 um electrolyte cube on a Li anode (the x = 0 face) with a hemispherical protrusion of
// radius 2 um, tetrahedra graded from 0.15 um at the protrusion to 3 um (Gmsh's 3-D Delaunay,
// reproducible). The electrode cells' least-squares stencils are flat: the case that defeated
// GMRES + GAMG (issue 13, tests/verification/electrode_amg.py).
SetFactory("OpenCASCADE");
Box(1) = {0, 0, 0, 10e-6, 10e-6, 10e-6};
Sphere(2) = {0, 5e-6, 5e-6, 2e-6};
BooleanDifference(3) = {Volume{1}; Delete;}{Volume{2}; Delete;};
Physical Volume("electrolyte") = {3};
Physical Surface("anode") = {1, 6, 7};
Physical Surface("counter") = {8};
Mesh.CharacteristicLengthMax = 3e-6;
Field[1] = Distance;
Field[1].SurfacesList = {6, 7};
Field[2] = Threshold;
Field[2].InField = 1;
Field[2].SizeMin = 0.15e-6;
Field[2].SizeMax = 3e-6;
Field[2].DistMin = 0;
Field[2].DistMax = 4e-6;
Background Field = 2;
Mesh.CharacteristicLengthExtendFromBoundary = 0;
