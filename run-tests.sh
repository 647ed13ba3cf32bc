#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Quick start, step 2: build if needed and run the whole test suite (unit, verification,
# MPI-consistency and bad-input tests) with ctest.
set -euo pipefail
cd "$(dirname "$0")"
./setup-and-run.sh --build-only
cd build
exec ctest --output-on-failure --timeout 900 "$@"
