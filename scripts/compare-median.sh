#!/usr/bin/env bash
# The README's speed table: scripts/compare-llama-server.sh RUNS times for each model and mode, then the median of
# each server's tokens/s and of the ratio per level, as markdown. Every run starts both servers afresh.
#
# Usage: scripts/compare-median.sh [RUNS] [MODES] [MODELS] [LEVELS]
#   RUNS    runs per model and mode (default 3)
#   MODES   comma-separated (default greedy,sampled,schema; see compare-llama-server.sh for the others)
#   MODELS  comma-separated file names in TAKEOFF_MODELS_DIR (default bench-qwen2-vocab-q8_0.gguf,stories260K.gguf)
#   LEVELS  concurrent clients (default 1,16)
set -euo pipefail
cd "$(dirname "$0")/.."
models_dir="${TAKEOFF_MODELS_DIR:-$(cd .. && pwd)/shared/models}"
runs="${1:-3}"
modes="${2:-greedy,sampled,schema}"
models="${3:-bench-qwen2-vocab-q8_0.gguf,stories260K.gguf}"
levels="${4:-1,16}"
log=$(mktemp)
for model in ${models//,/ }; do
  for mode in ${modes//,/ }; do
    for run in $(seq 1 "$runs"); do
      echo "== $model $mode run $run" >&2
      scripts/compare-llama-server.sh "$models_dir/$model" "$mode" "$levels" | sed "s|^|$model $mode |" | tee -a "$log" >&2
    done
  done
done
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; median of $runs runs"
python3 - "$log" <<'PY'
import re, statistics, sys
from collections import defaultdict
rates = defaultdict(list)
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) (\S+) (takeoff|llama) c=(\d+) .* tokens/s=(\d+)", line)
    if m:
        model, mode, which, c, rate = m.groups()
        rates[(model, mode, int(c), which)].append(int(rate))
print("\n| model | mode | clients | this server tok/s | llama-server tok/s | ratio (median) | ratios |")
print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
for (model, mode, c) in sorted({k[:3] for k in rates}, key=lambda k: (k[0], k[1], k[2])):
    ours, theirs = rates[(model, mode, c, "takeoff")], rates[(model, mode, c, "llama")]
    ratios = [round(o / max(t, 1), 2) for o, t in zip(ours, theirs)]
    print(f"| {model} | {mode} | {c} | {statistics.median(ours):.0f} | {statistics.median(theirs):.0f} "
          f"| {statistics.median(ratios):.2f}x | {' '.join(f'{r:.2f}' for r in ratios)} |")
PY
rm -f "$log"
