#!/usr/bin/env bash
# Benchmark: the real server over loopback HTTP vs the same scheduler in process vs LLamaSharp's StatelessExecutor
# one request at a time, at concurrency 1, 4, 16, 64. Prints a markdown table and writes JSON.
# Usage: scripts/bench.sh [MODEL.gguf] [extra Takeoff.Bench flags, e.g. --concurrency 1,16 --waves 1]
set -euo pipefail
cd "$(dirname "$0")/.."
models="${TAKEOFF_MODELS_DIR:-../shared/models}"
model="${1:-$models/stories260K.gguf}"
shift || true
mkdir -p artifacts
name=$(basename "$model" .gguf)
dotnet run --project Takeoff.Bench -c Release -- --model "$model" --out "artifacts/bench-$name.json" "$@"
