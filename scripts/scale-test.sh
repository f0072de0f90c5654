#!/usr/bin/env bash
# Scale-out on one machine: three server processes on loopback behind HAProxy (health checks on /health/ready,
# balance leastconn, a 503 or a refused connection retried on another replica), a mixed streamed load through it
# (plain /generate_stream, its SSE form, /v1/chat/completions streamed and not), and mid-load:
#   1. SIGTERM to replica r1: no request fails or is cut off, readiness turns 503, HAProxy marks r1 down within 1 s
#      of that 503 and sends it nothing more, and r1 exits 0 within 2 s of the end of its longest in-flight request;
#   2. r1 started again rejoins: HAProxy marks it up once ready and it serves again;
#   3. the control, SIGKILL to replica r2 while it streams: the cut-off streams are detected (there must be some,
#      all on r2) and the load goes on, on r1 and r3 only.
# Prints requests by kind and by replica and exits 1 if any expectation fails. Traffic stays on 127.0.0.1.
# Usage: [REQUESTS=300] [CLIENTS=12] [TAKEOFF_SERVER_DLL=.../Takeoff.Api.dll] scripts/scale-test.sh
# Without TAKEOFF_SERVER_DLL it builds Takeoff.Api (Release) and runs that. Needs curl and haproxy (apt-get install haproxy).
set -uo pipefail
cd "$(dirname "$0")/.."
models="${TAKEOFF_MODELS_DIR:-$(cd .. && pwd)/shared/models}"
min_requests="${REQUESTS:-300}"
clients="${CLIENTS:-12}"
grace="${SHUTDOWN_GRACE:-30}"
command -v haproxy > /dev/null || { echo "haproxy is not installed (apt-get install haproxy)"; exit 2; }
[ -f "$models/stories260K.gguf" ] || { echo "no stories260K.gguf in $models (set TAKEOFF_MODELS_DIR)"; exit 2; }
dll="${TAKEOFF_SERVER_DLL:-}"
if [ -z "$dll" ]; then
  dotnet build Takeoff.Api -c Release -v quiet -nologo || exit 2
  dll="$PWD/Takeoff.Api/bin/Release/net10.0/Takeoff.Api.dll"
fi

work=$(mktemp -d)
declare -A pid port
haproxy_pid=""
cleanup() {
  touch "$work/stop"
  for r in r1 r2 r3; do [ -n "${pid[$r]:-}" ] && kill -KILL "${pid[$r]}" 2> /dev/null; done
  [ -n "$haproxy_pid" ] && kill "$haproxy_pid" 2> /dev/null
  wait 2> /dev/null
  [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

now() { echo "$EPOCHREALTIME"; }
# Polls a condition (a command) every 50 ms for at most SECONDS; false if it never held.
wait_for() { # seconds, command...
  local deadline=$(($(date +%s) + $1)); shift
  until "$@"; do [ "$(date +%s)" -lt "$deadline" ] || return 1; sleep 0.05; done
}
# Free loopback ports: from a random base below the kernel's ephemeral range (a client socket's port there would
# refuse a bind without answering a probe), skipping any that answer (sets $free; no subshell, so the base moves on).
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2> /dev/null || echo 32768)
next_port=$((10000 + RANDOM % (ephemeral_low - 10500)))
free_port() {
  while (exec 3<> "/dev/tcp/127.0.0.1/$next_port") 2> /dev/null; do next_port=$((next_port + 1)); done
  free=$next_port
  next_port=$((next_port + 1))
}
free_port; lb=$free
free_port; stats=$free
for r in r1 r2 r3; do free_port; port[$r]=$free; free_port; port[$r-mgmt]=$free; done

cat > "$work/models.json" << 'JSON'
{ "models": [
  { "name": "stories260K", "file": "stories260K.gguf", "context_size": 1024, "max_batch_size": 8, "max_queue": 64,
    "chat_template": "chatml", "threads": 1 }
] }
JSON

start_replica() { # name
  local r=$1
  dotnet "$dll" --port "${port[$r]}" --management-port "${port[$r-mgmt]}" --openai-port 0 --models-dir "$models" \
    --models-file "$work/models.json" --shutdown-grace "$grace" --management-read-only true \
    --Logging:LogLevel:Default=Warning >> "$work/$r.log" 2>&1 &
  pid[$r]=$!
}
wait_ready() { # name, seconds
  local r=$1 deadline=$(($(date +%s) + $2))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port[$r]}/health/ready")" = 200 ]; do
    kill -0 "${pid[$r]}" 2> /dev/null || { echo "$r exited while starting:"; grep -v '^   at ' "$work/$r.log" | tail -8; return 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "$r not ready within $2 s"; return 1; }
    sleep 0.1
  done
}
for r in r1 r2 r3; do start_replica $r; done
for r in r1 r2 r3; do
  # Another process may take a port between the probe and the bind: such a replica starts again on new ones.
  for attempt in 1 2 3; do
    wait_ready $r 120 && break
    grep -qi 'address already in use' "$work/$r.log" && [ $attempt -lt 3 ] || exit 1
    free_port; port[$r]=$free; free_port; port[$r-mgmt]=$free
    echo "$r starts again on ports ${port[$r]} and ${port[$r-mgmt]}"
    : > "$work/$r.log"
    start_replica $r
  done
done

write_haproxy_config() {
cat > "$work/haproxy.cfg" << CFG
global
  maxconn 1000
defaults
  mode http
  timeout connect 1s
  timeout client 120s
  timeout server 120s
  timeout check 1s
  # A request refused before any answer (the draining replica's 503, a refused or dropped connection) goes to another
  # replica; a response already under way cannot be retried, so a stream cut by a crash reaches the client cut.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response 503
listen stats
  bind 127.0.0.1:$stats
  stats enable
  stats uri /stats
frontend takeoff
  bind 127.0.0.1:$lb
  default_backend replicas
backend replicas
  balance leastconn
  option httpchk GET /health/ready
  http-check expect status 200
  http-response set-header X-Served-By %s
  default-server check inter 200ms fall 1 rise 2
  server r1 127.0.0.1:${port[r1]}
  server r2 127.0.0.1:${port[r2]}
  server r3 127.0.0.1:${port[r3]}
CFG
}
for attempt in 1 2 3; do
  write_haproxy_config
  haproxy -f "$work/haproxy.cfg" -db > "$work/haproxy.log" 2>&1 &
  haproxy_pid=$!
  wait_for 5 curl -sf -o /dev/null "http://127.0.0.1:$stats/stats" && break
  cat "$work/haproxy.log"
  kill "$haproxy_pid" 2> /dev/null; wait "$haproxy_pid" 2> /dev/null; haproxy_pid=""
  [ $attempt -lt 3 ] || { echo "HAProxy did not start"; exit 1; }
  free_port; lb=$free; free_port; stats=$free # a port taken meanwhile: new ones
done
# HAProxy's view of a replica: its status (UP, DOWN...) and the sessions it has been sent, from the stats CSV.
stat() { # name, column (status|stot|scur)
  curl -s "http://127.0.0.1:$stats/stats;csv" | awk -F, -v r="$1" -v col="$2" \
    'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col || $i == "# " col) c = i } $1 == "replicas" && $2 == r { print $c }'
}
for r in r1 r2 r3; do
  deadline=$(($(date +%s) + 10))
  until [ "$(stat $r status)" = UP ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "HAProxy never saw $r up"; cat "$work/haproxy.log"; exit 1; }
    sleep 0.1
  done
done
echo "3 replicas on ports ${port[r1]}, ${port[r2]}, ${port[r3]} behind HAProxy on $lb"

# One request of a kind through the balancer; one result line: id kind start end http_code curl_rc replica verdict.
# ok: a complete answer (every token asked for: finish_reason "length" where the kind reports one; a plain stream must
# end its chunked body cleanly); cut: it started but did not end so; failed: no answer, or not 200.
one() { # worker, sequence number
  local id="$1-$2" kinds=(plain sse chat-stream chat) tokens=$((16 + RANDOM % 64))
  local kind=${kinds[$((RANDOM % 4))]} body="$work/body-$1" headers="$work/headers-$1" code rc start end verdict
  [ $((RANDOM % 8)) -eq 0 ] && tokens=300 # some long ones, so a replica always has streams in flight
  local url="http://127.0.0.1:$lb" json
  start=$(now)
  case $kind in
    plain) json="{\"text\":\"Once upon a time\",\"max_new_tokens\":$tokens,\"min_new_tokens\":$tokens}"
      code=$(curl -sS -N --max-time 90 -o "$body" -D "$headers" -w '%{http_code}' -H 'Content-Type: application/json' \
        -d "$json" "$url/generate_stream" 2>> "$work/curl.err") ;;
    sse) json="{\"text\":\"Once upon a time\",\"max_new_tokens\":$tokens,\"min_new_tokens\":$tokens,\"return_metadata\":true}"
      code=$(curl -sS -N --max-time 90 -o "$body" -D "$headers" -w '%{http_code}' -H 'Content-Type: application/json' \
        -H 'Accept: text/event-stream' -d "$json" "$url/generate_stream" 2>> "$work/curl.err") ;;
    chat-stream) json="{\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story.\"}],\"stream\":true,\"max_tokens\":$tokens,\"min_tokens\":$tokens}"
      code=$(curl -sS -N --max-time 90 -o "$body" -D "$headers" -w '%{http_code}' -H 'Content-Type: application/json' \
        -d "$json" "$url/v1/chat/completions" 2>> "$work/curl.err") ;;
    chat) json="{\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story.\"}],\"max_tokens\":$tokens,\"min_tokens\":$tokens}"
      code=$(curl -sS --max-time 90 -o "$body" -D "$headers" -w '%{http_code}' -H 'Content-Type: application/json' \
        -d "$json" "$url/v1/chat/completions" 2>> "$work/curl.err") ;;
  esac
  rc=$?
  end=$(now)
  local replica
  replica=$(tr -d '\r' < "$headers" 2> /dev/null | awk 'tolower($1) == "x-served-by:" { print $2 }' | tail -1)
  if [ "$code" != 200 ]; then
    verdict=failed
  elif [ $rc -ne 0 ]; then
    verdict=cut
  else
    case $kind in
      plain) [ -s "$body" ] && verdict=ok || verdict=cut ;;
      sse) grep -q '^event: metadata' "$body" && grep -q '"finish_reason":"length"' "$body" && ! grep -q '^event: error' "$body" \
        && verdict=ok || verdict=cut ;;
      chat-stream) [ "$(grep '^data: ' "$body" | tail -1 | tr -d '\r')" = 'data: [DONE]' ] && grep -q '"finish_reason":"length"' "$body" \
        && verdict=ok || verdict=cut ;;
      chat) grep -q '"finish_reason":"length"' "$body" && verdict=ok || verdict=cut ;;
    esac
  fi
  echo "$id $kind $start $end ${code:-000} $rc ${replica:--} $verdict" >> "$work/results"
}
worker() { # number: requests until the stop file appears
  local n=0
  while [ ! -e "$work/stop" ]; do n=$((n + 1)); one "$1" $n; done
}
load_start=$(now)
workers=()
for w in $(seq 1 "$clients"); do worker "$w" & workers+=($!); done

problems=0
expect() { # condition-as-exit-status, message
  if [ "$1" -eq 0 ]; then echo "  ok: $2"; else echo "  FAILED: $2"; problems=$((problems + 1)); fi
}
# Times are epoch seconds with microseconds: awk's doubles hold them, but its default output format would not.
float_le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
served() { awk -v r="$1" '$7 == r' "$work/results" 2> /dev/null | wc -l; }
in_flight_at() { [ "$(stat "$1" scur)" -gt 0 ] 2> /dev/null; }
streaming() { [ -s "$1" ]; }
ready_is() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port[$1]}/health/ready")" = "$2" ]; }
status_is() { [ "$(stat "$1" status | cut -d' ' -f1)" = "$2" ]; }
# A long SSE stream straight to one replica, recorded like the balanced ones (kind sse-direct): work in flight that
# a drain must finish, or that a kill must cut. Its body file shows when it has started.
direct() { # replica, tokens, body file
  local start end code rc verdict
  start=$(now)
  code=$(curl -sS -N --max-time 90 -o "$3" -w '%{http_code}' -H 'Content-Type: application/json' -H 'Accept: text/event-stream' \
    -d "{\"text\":\"Once upon a time\",\"max_new_tokens\":$2,\"min_new_tokens\":$2,\"return_metadata\":true}" \
    "http://127.0.0.1:${port[$1]}/generate_stream" 2>> "$work/curl.err")
  rc=$?
  end=$(now)
  if [ "$code" != 200 ]; then verdict=failed
  elif [ $rc -ne 0 ] || ! grep -q '"finish_reason":"length"' "$3"; then verdict=cut
  else verdict=ok; fi
  echo "direct-$1-$(basename "$3") sse-direct $start $end ${code:-000} $rc $1 $verdict" >> "$work/results"
}

sleep 3
# r1 gets two long streams of its own beside the balanced load, so the drain always has work to finish.
direct r1 500 "$work/drain-a" & direct r1 500 "$work/drain-b" &
wait_for 30 streaming "$work/drain-a" && wait_for 30 streaming "$work/drain-b" || echo "  (r1's long streams did not start)"
wait_for 10 in_flight_at r1
echo "Phase 1: SIGTERM to r1 with $(stat r1 scur) balanced requests and 2 long direct streams in flight"
term_at=$(now)
kill -TERM "${pid[r1]}"
( wait_for 10 ready_is r1 503 && now > "$work/r1-503" ) &
( wait_for 10 status_is r1 DOWN && { now > "$work/r1-down"; stat r1 stot > "$work/r1-stot-down"; } ) &
wait "${pid[r1]}"
r1_rc=$?
exited_at=$(now)
sleep 1.5 # HAProxy's and the poller's view settle
r1_503=$(cat "$work/r1-503" 2> /dev/null || echo "")
r1_down=$(cat "$work/r1-down" 2> /dev/null || echo "")
stot_down=$(cat "$work/r1-stot-down" 2> /dev/null || echo 0)
stot_after=$(stat r1 stot)
expect $([ "$r1_rc" -eq 0 ]; echo $?) "r1 exited with status $r1_rc (0 expected)"
expect $([ -n "$r1_503" ] && float_le "$(awk -v a="$r1_503" -v b="$term_at" 'BEGIN { print a - b }')" 1; echo $?) \
  "r1's /health/ready answered 503 $(awk -v a="${r1_503:-0}" -v b="$term_at" 'BEGIN { printf "%.2f", a - b }') s after SIGTERM (1 s at most)"
expect $([ -n "$r1_down" ] && [ -n "$r1_503" ] && float_le "$(awk -v a="$r1_down" -v b="$r1_503" 'BEGIN { print a - b }')" 1; echo $?) \
  "HAProxy marked r1 down $(awk -v a="${r1_down:-0}" -v b="${r1_503:-0}" 'BEGIN { printf "%.2f", a - b }') s after its first 503 (1 s at most)"
expect $([ "$stot_after" = "$stot_down" ]; echo $?) "HAProxy sent r1 nothing once it was down ($stot_down sessions then, $stot_after now)"
# Its requests in flight at SIGTERM: the longest of them bounds the exit.
last_end=$(awk -v t="$term_at" '$7 == "r1" && $3 < t && $4 > t && $4 > m { m = $4 } END { printf "%.6f", m }' "$work/results")
in_flight=$(awk -v t="$term_at" '$7 == "r1" && $3 < t && $4 > t' "$work/results" | wc -l)
[ "$in_flight" -eq 0 ] && last_end=$term_at
expect $(float_le "$exited_at" "$(awk -v a="$last_end" 'BEGIN { printf "%.6f", a + 2 }')"; echo $?) \
  "r1 exited $(awk -v a="$exited_at" -v b="$last_end" 'BEGIN { printf "%.2f", a - b }') s after the last of its $in_flight in-flight requests ended (2 s at most)"
expect $([ "$in_flight" -gt 0 ]; echo $?) "r1 had requests in flight that the drain finished ($in_flight)"

echo "Phase 2: r1 started again"
restart_at=$(now)
before=$(served r1)
start_replica r1
wait_ready r1 120 || exit 1
ready_at=$(now)
deadline=$(($(date +%s) + 20))
until status_is r1 UP && [ "$(served r1)" -ge $((before + 5)) ]; do
  [ "$(date +%s)" -lt "$deadline" ] && sleep 0.1 || break
done
rejoined=$(awk -v t="$ready_at" '$7 == "r1" && $3 > t' "$work/results" | wc -l)
early=$(awk -v a="$exited_at" -v b="$ready_at" '$7 == "r1" && $3 > a + 1 && $3 < b' "$work/results" | wc -l)
expect $([ "$rejoined" -ge 5 ]; echo $?) "r1 took traffic again once ready ($rejoined requests so far; 5 expected)"
expect $([ "$early" -eq 0 ]; echo $?) "r1 got no traffic between its exit and its readiness ($early requests)"

echo "Phase 3 (control): SIGKILL to r2 while it streams"
direct r2 500 "$work/kill-a" &
wait_for 30 streaming "$work/kill-a" || echo "  (r2's long stream did not start)"
wait_for 10 in_flight_at r2
kill_in_flight=$(( $(stat r2 scur) + 1 ))
kill_at=$(now)
kill -KILL "${pid[r2]}"
wait "${pid[r2]}" 2> /dev/null
pid[r2]=""
# The load goes on on r1 and r3 for a few seconds, and until it has made its count.
sleep 3
deadline=$(($(date +%s) + 120))
while [ "$(wc -l < "$work/results")" -lt "$min_requests" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
touch "$work/stop"
wait "${workers[@]}"
load_end=$(now)

cut_r2=$(awk -v t="$kill_at" '$8 != "ok" && $7 == "r2" && $4 >= t' "$work/results" | wc -l)
unexpected=$(awk -v t="$kill_at" '$8 != "ok" && !($7 == "r2" && $4 >= t)' "$work/results" | wc -l)
after_kill_r2=$(awk -v t="$kill_at" '$7 == "r2" && $3 > t + 1' "$work/results" | wc -l)
after_kill_ok=$(awk -v t="$kill_at" '$8 == "ok" && $3 > t + 1' "$work/results" | wc -l)
total=$(wc -l < "$work/results")
cut_balanced=$(awk -v t="$kill_at" '$8 != "ok" && $7 == "r2" && $4 >= t && $2 != "sse-direct"' "$work/results" | wc -l)
expect $([ "$cut_r2" -gt 0 ]; echo $?) \
  "the SIGKILL cut $cut_r2 of r2's streams ($cut_balanced through the balancer), and the script saw them ($kill_in_flight in flight at the kill)"
expect $([ "$after_kill_r2" -eq 0 ] && [ "$after_kill_ok" -gt 0 ]; echo $?) \
  "after the kill the balancer routed around r2 ($after_kill_ok complete answers from the others, $after_kill_r2 from r2)"
expect $([ "$unexpected" -eq 0 ]; echo $?) "no request failed or was cut off other than r2's at its SIGKILL ($unexpected)"
expect $([ "$total" -ge "$min_requests" ]; echo $?) "$total requests in $(awk -v a="$load_end" -v b="$load_start" 'BEGIN { printf "%.1f", a - b }') s ($min_requests at least)"
if [ "$unexpected" -gt 0 ]; then
  echo "Unexpected (id kind start end code curl_rc replica verdict):"
  awk -v t="$kill_at" '$8 != "ok" && !($7 == "r2" && $4 >= t)' "$work/results" | head -20
  tail -5 "$work/curl.err" 2> /dev/null
fi

echo "By kind:"
awk '{ n[$2]++; v[$2 " " $8]++ } END { for (k in n) printf "  %-12s %4d requests: %4d ok, %3d cut, %3d failed\n", k, n[k], v[k " ok"], v[k " cut"], v[k " failed"] }' \
  "$work/results" | sort
echo "By replica:"
awk '{ n[$7]++; v[$7 " " $8]++ } END { for (r in n) printf "  %-3s %4d requests: %4d ok, %3d cut, %3d failed\n", r, n[r], v[r " ok"], v[r " cut"], v[r " failed"] }' \
  "$work/results" | sort
if [ "$problems" -gt 0 ]; then
  echo "scale test: $problems expectation(s) failed"
  for r in r1 r2 r3; do echo "--- $r log"; tail -10 "$work/$r.log"; done
  exit 1
fi
echo "scale test: every expectation held"
