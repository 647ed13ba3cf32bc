#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Quick start, step 1: install the Debian 12 packages npp needs (skipping those present),
# build it, and run the default case (a 3-D particle composite) on 2 MPI ranks.
#   ./setup-and-run.sh                 install, build, run cases/composite
#   ./setup-and-run.sh --build-only    install and build
#   ./setup-and-run.sh cases/X [-key value ...]   run another case, with overrides
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES="build-essential cmake pkg-config petsc-dev libhdf5-openmpi-dev openmpi-bin hdf5-tools
          libgmsh-dev gmsh python3 python3-numpy python3-h5py python3-matplotlib"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "npp: installing Debian packages:$missing"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > build.log 2>&1 || { cat build.log; exit 1; }
cmake --build build -j "$(nproc)" >> build.log 2>&1 || { tail -50 build.log; exit 1; }
echo "npp: built build/npp"
[ "${1:-}" = "--build-only" ] && exit 0

# OpenMPI refuses to run as root unless told; CI and containers run as root.
if [ "$(id -u)" -eq 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl_vader_single_copy_mechanism=none OMP_NUM_THREADS=1
case_dir="${1:-cases/composite}"
[ $# -gt 0 ] && shift
exec mpirun -n "${NPP_RANKS:-2}" build/npp "$case_dir" "$@"
