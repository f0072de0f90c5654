#!/usr/bin/env bash
# The same load from the same native client (hey, from apt) against this server and llama.cpp's llama-server, in
# one run: 64 slots each, per-slot KV, 192 tokens per slot, 2 threads, greedy, exactly 128 new tokens per request
# (/generate here, /completion with ignore_eos there). Prints aggregate generated tokens/s per server and level.
# Needs llama-server: ../shared/tools/build-llama-server.sh (about 10 minutes, once per machine).
# Usage: scripts/compare-llama-server.sh [MODEL.gguf]   (LLAMA_SERVER=path overrides the binary)
set -euo pipefail
cd "$(dirname "$0")/.."
models="${TAKEOFF_MODELS_DIR:-$(cd .. && pwd)/shared/models}"
M="${1:-$models/stories260K.gguf}"
llama="${LLAMA_SERVER:-/tmp/anchors/llama-server/llama-server}"
command -v hey > /dev/null || { echo "hey is missing: apt-get install hey"; exit 1; }
[ -x "$llama" ] || { echo "no llama-server at $llama: run ../shared/tools/build-llama-server.sh"; exit 1; }
dotnet build Takeoff.Api -c Release -v quiet -nologo > /dev/null
catalog=$(mktemp --suffix=.json)
echo "{ \"models\": [ { \"name\": \"m\", \"file\": \"$(basename "$M")\", \"context_size\": 192, \"max_batch_size\": 64, \"max_queue\": 256 } ] }" > "$catalog"
dotnet Takeoff.Api/bin/Release/net10.0/Takeoff.Api.dll --port 8600 --openai-port 0 --models-dir "$(dirname "$M")" \
  --models-file "$catalog" --Logging:LogLevel:Default=Warning > /dev/null 2>&1 &
T=$!
"$llama" -m "$M" -c $((192*64)) -np 64 -no-kvu -t 2 -tb 2 --host 127.0.0.1 --port 8610 --log-disable > /dev/null 2>&1 &
L=$!
trap 'kill $T $L 2>/dev/null; rm -f "$catalog"' EXIT
until curl -sf localhost:8600/health/ready >/dev/null && curl -sf localhost:8610/health >/dev/null; do sleep 0.3; done
TB='{"text":"Once upon a time","max_new_tokens":128,"min_new_tokens":128}'
LB='{"prompt":"Once upon a time","n_predict":128,"ignore_eos":true,"temperature":0,"top_k":1}'
hey -n 64 -c 16 -m POST -T application/json -d "$TB" http://127.0.0.1:8600/generate >/dev/null
hey -n 64 -c 16 -m POST -T application/json -d "$LB" http://127.0.0.1:8610/completion >/dev/null
for c in 1 16 64; do
  n=$(( c < 8 ? 32 : c * 4 ))
  for which in takeoff llama; do
    if [ $which = takeoff ]; then url=http://127.0.0.1:8600/generate; body=$TB; else url=http://127.0.0.1:8610/completion; body=$LB; fi
    out=$(hey -n $n -c $c -m POST -T application/json -d "$body" $url)
    total=$(echo "$out" | awk '/Total:/{print $2}')
    ok=$(echo "$out" | grep -E '^\s+\[200\]' | awk '{print $2}')
    echo "$which c=$c requests=$n ok=$ok seconds=$total tokens/s=$(python3 -c "print(round(${ok:-0}*128/$total))")"
  done
done
