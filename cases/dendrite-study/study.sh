#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The dendrite-suppression study of cases/dendrite: SEI conductivity x electrolyte transference
# number at 0.5 mA/cm^2 plating, 12 runs, then the plot of the tip amplification (README.md).
#   cases/dendrite-study/study.sh [--jobs N --ranks M] [--out DIR]      on this machine
#   cases/dendrite-study/study.sh --slurm study.sbatch --ranks 4         as a Slurm job array
# Extra sweep.py options pass through; rerunning resumes (finished runs are kept).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=output/dendrite-study
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
status=0
/usr/bin/python3 "$root/postproc/sweep.py" "$root/cases/dendrite" \
  -p region_sei_conductivity=log:2e-7:2e-4:4 \
  -p region_electrolyte_transference_number=0.14,0.43,0.58 \
  --out "$out" "${args[@]}" -- \
  -bc_anode_current_density -5 -time_stop_concentration 10 -output_progress 0 || status=$?
if [ -f "$out/results.csv" ]; then
  /usr/bin/python3 "$root/postproc/sweep_plot.py" "$out/results.csv" --y anode.amplification \
    --x region_sei_conductivity --series region_electrolyte_transference_number --logx \
    --out "$out/amplification.png" || echo "study.sh: no plot (with more parameters, plot a slice: sweep_plot.py --where)"
fi
exit $status
