#!/usr/bin/env bash
# Quantization: the model and each type it is quantized to, side by side: file size, quantize and load time, quality
# (the log-probability of a fixed passage, greedy agreement with the source) and the engine's tokens/s at 1 and 16 streams.
# Prints a markdown table and writes artifacts/quantization-MODEL.json.
# Usage: scripts/bench-quantization.sh [MODEL.gguf] [extra flags, e.g. --types q8_0,q4_0,q4_k_m --threads 2]
set -euo pipefail
cd "$(dirname "$0")/.."
models="${TAKEOFF_MODELS_DIR:-../shared/models}"
model="${1:-$models/stories260K.gguf}"
shift || true
mkdir -p artifacts
dotnet run --project Takeoff.Bench -c Release -- quantization --model "$model" "$@"
