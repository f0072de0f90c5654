#!/usr/bin/env bash
# The same load from the same native client (hey, from apt) against this server and llama.cpp's llama-server, in
# one run: as many slots each (per-slot KV), the same context per slot, 2 threads, the same request, started and
# measured one after the other at each level. Prints generated tokens/s per server and level, and the ratio.
#
# Usage: scripts/compare-llama-server.sh [MODEL.gguf] [MODE] [LEVELS]
#   MODE    greedy (default): 128 new tokens, end-of-generation ignored (/generate here, /completion there)
#           sampled: the same at temperature 0.8, top-k 40, top-p 0.95
#           schema: greedy under a JSON schema (json_schema on both); runs as long as the schema lets it
#           tools: /v1/chat/completions on both (llama-server with --jinja), two tools, tool_choice "required", greedy
#           chat: the same conversation without tools, 128 new tokens (the free baseline for tools)
#           mixed: greedy, two loads at once: half the clients ask for 128 tokens, half for 37 after a longer prompt
#             (three times as many requests), so answers end at different times and requests come and go in every
#             step, as in real traffic; the batch's order and the slots chosen then matter
#   LEVELS  concurrent clients, comma-separated (default 1,16); slots = the largest
# Tokens per request: fixed in greedy/sampled/chat; in schema and tools each server's answer is read once (usage /
# tokens_predicted) and counted for each of its requests, valid since greedy answers are the same every time.
# Needs llama-server: ../shared/tools/build-llama-server.sh (about 10 minutes, once per machine).
# LLAMA_SERVER=path overrides the binary; REQUESTS_PER_CLIENT (default 4) sets the load; CTX (default 1024) the context per slot.
set -euo pipefail
cd "$(dirname "$0")/.."
models="${TAKEOFF_MODELS_DIR:-$(cd .. && pwd)/shared/models}"
M="${1:-$models/stories260K.gguf}"
mode="${2:-greedy}"
levels="${3:-1,16}"
llama="${LLAMA_SERVER:-/tmp/anchors/llama-server/llama-server}"
per_client="${REQUESTS_PER_CLIENT:-4}"
command -v hey > /dev/null || { echo "hey is missing: apt-get install hey"; exit 1; }
[ -x "$llama" ] || { echo "no llama-server at $llama: run ../shared/tools/build-llama-server.sh"; exit 1; }
slots=$(echo "$levels" | tr ',' '\n' | sort -n | tail -1)
ctx=${CTX:-1024}
dotnet build Takeoff.Api -c Release -v quiet -nologo > /dev/null

prompt="Once upon a time"
schema='{"type":"object","properties":{"name":{"type":"string","maxLength":24},"age":{"type":"integer","minimum":0,"maximum":120},"tags":{"type":"array","items":{"type":"string","maxLength":10},"maxItems":3}},"required":["name","age","tags"],"additionalProperties":false}'
tools='[{"type":"function","function":{"name":"get_weather","description":"The weather in a city.","parameters":{"type":"object","properties":{"city":{"type":"string","maxLength":24},"days":{"type":"integer","minimum":1,"maximum":7}},"required":["city","days"],"additionalProperties":false}}},{"type":"function","function":{"name":"search_web","description":"Search the web.","parameters":{"type":"object","properties":{"query":{"type":"string","maxLength":40}},"required":["query"],"additionalProperties":false}}}]'
messages='[{"role":"user","content":"What is the weather in Paris this week?"}]'
case "$mode" in
  greedy)
    TP=/generate; TB="{\"text\":\"$prompt\",\"return_metadata\":true,\"max_new_tokens\":128,\"min_new_tokens\":128}"
    LP=/completion; LB="{\"prompt\":\"$prompt\",\"n_predict\":128,\"ignore_eos\":true,\"temperature\":0,\"top_k\":1}" ;;
  sampled)
    TP=/generate; TB="{\"text\":\"$prompt\",\"return_metadata\":true,\"max_new_tokens\":128,\"min_new_tokens\":128,\"sampling_temperature\":0.8,\"sampling_topk\":40,\"sampling_topp\":0.95}"
    LP=/completion; LB="{\"prompt\":\"$prompt\",\"n_predict\":128,\"ignore_eos\":true,\"temperature\":0.8,\"top_k\":40,\"top_p\":0.95,\"min_p\":0}" ;;
  schema)
    TP=/generate; TB="{\"text\":\"$prompt\",\"max_new_tokens\":128,\"json_schema\":$schema,\"return_metadata\":true}"
    LP=/completion; LB="{\"prompt\":\"$prompt\",\"n_predict\":128,\"temperature\":0,\"top_k\":1,\"json_schema\":$schema}" ;;
  tools)
    TP=/v1/chat/completions; TB="{\"model\":\"m\",\"messages\":$messages,\"tools\":$tools,\"tool_choice\":\"required\",\"max_tokens\":128,\"temperature\":0}"
    LP=/v1/chat/completions; LB="$TB" ;;
  chat)
    TP=/v1/chat/completions; TB="{\"model\":\"m\",\"messages\":$messages,\"max_tokens\":128,\"min_tokens\":128,\"temperature\":0}"
    LP=/v1/chat/completions; LB="{\"model\":\"m\",\"messages\":$messages,\"max_tokens\":128,\"ignore_eos\":true,\"temperature\":0}" ;;
  mixed)
    TP=/generate; TB="{\"text\":\"$prompt\",\"return_metadata\":true,\"max_new_tokens\":128,\"min_new_tokens\":128}"
    LP=/completion; LB="{\"prompt\":\"$prompt\",\"n_predict\":128,\"ignore_eos\":true,\"temperature\":0,\"top_k\":1}"
    TB2="{\"text\":\"$prompt there was\",\"max_new_tokens\":37,\"min_new_tokens\":37}"
    LB2="{\"prompt\":\"$prompt there was\",\"n_predict\":37,\"ignore_eos\":true,\"temperature\":0,\"top_k\":1}" ;;
  *) echo "unknown mode $mode (greedy, sampled, schema, tools, chat, mixed)"; exit 2 ;;
esac

catalog=$(mktemp --suffix=.json)
echo "{ \"models\": [ { \"name\": \"m\", \"file\": \"$(basename "$M")\", \"context_size\": $ctx, \"max_batch_size\": $slots, \"max_queue\": $((slots * 8)), \"threads\": 2 } ] }" > "$catalog"
dotnet Takeoff.Api/bin/Release/net10.0/Takeoff.Api.dll --port 8600 --openai-port 0 --models-dir "$(dirname "$M")" \
  --models-file "$catalog" --Logging:LogLevel:Default=Warning > /dev/null 2>&1 &
T=$!
"$llama" -m "$M" -c $((ctx * slots)) -np "$slots" -no-kvu -t 2 -tb 2 --jinja --host 127.0.0.1 --port 8610 --log-disable > /dev/null 2>&1 &
L=$!
trap 'kill $T $L 2>/dev/null; rm -f "$catalog" "$catalog.long" "$catalog.short"' EXIT
until curl -sf localhost:8600/health/ready >/dev/null && curl -sf localhost:8610/health >/dev/null; do sleep 0.3; done

post() { curl -s -X POST -H 'Content-Type: application/json' -d "$2" "$1"; }
# Tokens one answer generates, and (tools) whether it is a call.
tokens_of() { # URL BODY
  post "$1" "$2" | python3 -c '
import json, sys
a = json.load(sys.stdin)
if "usage" in a:
    c = a["choices"][0]
    print(a["usage"]["completion_tokens"], c["finish_reason"])
elif "metadata" in a:
    m = a["metadata"][0] if isinstance(a["metadata"], list) else a["metadata"]
    print(m["generated_tokens"], m["finish_reason"])
else:
    print(a["tokens_predicted"], a.get("stop_type", "?"))'
}
read -r t_tokens t_finish < <(tokens_of "http://127.0.0.1:8600$TP" "$TB")
read -r l_tokens l_finish < <(tokens_of "http://127.0.0.1:8610$LP" "$LB")
echo "mode=$mode model=$(basename "$M") slots=$slots cpu=\"$(lscpu | sed -n 's/^Model name: *//p')\""
echo "one answer: takeoff $t_tokens tokens ($t_finish), llama-server $l_tokens tokens ($l_finish)"

# Warm both (threads, caches), then measure.
hey -t 0 -n $((slots * 2)) -c "$slots" -m POST -T application/json -d "$TB" "http://127.0.0.1:8600$TP" > /dev/null
hey -t 0 -n $((slots * 2)) -c "$slots" -m POST -T application/json -d "$LB" "http://127.0.0.1:8610$LP" > /dev/null
for c in ${levels//,/ }; do
  n=$((c * per_client))
  declare -A rate=()
  for which in takeoff llama; do
    if [ $which = takeoff ]; then url="http://127.0.0.1:8600$TP"; body=$TB; body2=${TB2:-}; per=$t_tokens
    else url="http://127.0.0.1:8610$LP"; body=$LB; body2=${LB2:-}; per=$l_tokens; fi
    if [ "$mode" = mixed ] && [ "$c" -gt 1 ]; then
      # The two loads at once, timed together; tokens are the 128- and 37-token answers that came back.
      start=$(date +%s.%N)
      hey -t 0 -n $(((c + 1) / 2 * per_client)) -c $(((c + 1) / 2)) -m POST -T application/json -d "$body" "$url" > "$catalog.long" &
      long=$!
      hey -t 0 -n $((c / 2 * per_client * 3)) -c $((c / 2)) -m POST -T application/json -d "$body2" "$url" > "$catalog.short" &
      wait $long $!
      total=$(python3 -c "print(round($(date +%s.%N) - $start, 4))")
      ok=$(grep -E '^\s+\[200\]' "$catalog.long" | awk '{print $2}' || true)
      ok2=$(grep -E '^\s+\[200\]' "$catalog.short" | awk '{print $2}' || true)
      rate[$which]=$(python3 -c "print(round((${ok:-0}*128+${ok2:-0}*37)/$total))")
      echo "$which c=$c requests=$(((c + 1) / 2 * per_client))+$((c / 2 * per_client * 3)) ok=${ok:-0}+${ok2:-0} seconds=$total tokens/s=${rate[$which]}"
      continue
    fi
    # -t 0: no client timeout (hey's default, 20 s, is shorter than a 16-client forced tool call).
    out=$(hey -t 0 -n $n -c "$c" -m POST -T application/json -d "$body" "$url")
    total=$(echo "$out" | awk '/Total:/{print $2}')
    ok=$(echo "$out" | grep -E '^\s+\[200\]' | awk '{print $2}' || true)
    rate[$which]=$(python3 -c "print(round(${ok:-0}*$per/$total))")
    echo "$which c=$c requests=$n ok=${ok:-0} seconds=$total tokens/s=${rate[$which]}"
  done
  echo "ratio c=$c takeoff/llama-server=$(python3 -c "print(round(${rate[takeoff]}/max(${rate[llama]},1),2))")"
done
