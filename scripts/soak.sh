#!/usr/bin/env bash
# Soak: MINUTES of mixed traffic (plain, streamed, SSE, /v1 chat/completions/embeddings, JSON-schema and regex
# constrained, cancelled mid-way, bad requests and grammars) from CLIENTS clients against the real server in its own
# process, a HOSTILE share of it (default 0.05) the hardening probes (x-* kinds: a 257-slot reader, a foreign origin,
# a rebound Host, megabytes of prompt, duplicate keys, n=16 with logprobs, 2,049 embedding inputs, constraint bombs);
# prints requests and unexpected answers by kind, p50/p99 latency and the server's RSS at start, every 30 s
# and at the end. Exits 1 on any unexpected answer.
# Usage: MINUTES=15 CLIENTS=64 HOSTILE=0.05 scripts/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
models="${TAKEOFF_MODELS_DIR:-$(cd .. && pwd)/shared/models}"
minutes="${MINUTES:-2}"
clients="${CLIENTS:-64}"
port="${PORT:-8400}"
dotnet build Takeoff.Api -c Release -v quiet -nologo
dotnet build Takeoff.Bench -c Release -v quiet -nologo
mkdir -p artifacts
catalog=$(mktemp --suffix=.json)
cat > "$catalog" <<JSON
{ "models": [
  { "name": "stories260K", "file": "stories260K.gguf", "context_size": 2560, "max_batch_size": 16, "max_queue": 128, "chat_template": "chatml" },
  { "name": "embed", "file": "stories260K.gguf", "model_type": "EMBEDDING", "consumer_group": "embed", "context_size": 512 }
] }
JSON
dotnet Takeoff.Api/bin/Release/net10.0/Takeoff.Api.dll --port "$port" --openai-port 0 --models-dir "$models" \
  --models-file "$catalog" --Logging:LogLevel:Default=Warning > artifacts/soak-server.log 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$catalog"' EXIT
until curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null; do
  kill -0 $server 2>/dev/null || { echo "the server exited; see artifacts/soak-server.log"; exit 1; }
  sleep 0.2
done
dotnet Takeoff.Bench/bin/Release/net10.0/Takeoff.Bench.dll soak --url "http://127.0.0.1:$port" --pid "$server" \
  --minutes "$minutes" --clients "$clients" --hostile "${HOSTILE:-0.05}"
