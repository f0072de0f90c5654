#!/usr/bin/env bash
# Builds and runs the server with LLamaSharp's CUDA 12 backend (needs an NVIDIA driver and the CUDA 12 runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project Takeoff.Api -c Release -p:LlamaBackend=Cuda12 -- "$@"
