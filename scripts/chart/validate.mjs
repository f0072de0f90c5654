// Validates the objects `helm template` rendered (multi-document YAML files given as arguments) against Kubernetes'
// schemas (kubernetes-models), KEDA's (@kubernetes-models/keda) and prometheus-operator's; checks the
// InferencePool (no schema package exists) by hand against the Gateway API Inference Extension's v1 fields; and
// checks what the chart promises: the drain arithmetic, the probes, the pool's label and the endpoint picker's
// mapping of Takeoff's gauges. Prints one line per object; exits 1 on any failure.
// The schemas check types, enums and required fields; they do not reject unknown fields (Kubernetes' OpenAPI
// schemas allow them; the API server prunes them).
import { readFileSync } from "node:fs";
import { parseAllDocuments, parse } from "yaml";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as policy from "kubernetes-models/policy/v1";
import * as autoscaling from "kubernetes-models/autoscaling/v2";
import * as keda from "@kubernetes-models/keda/keda.sh/v1alpha1";
import * as monitoring from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const models = {
  "v1": core, "apps/v1": apps, "policy/v1": policy, "autoscaling/v2": autoscaling,
  "keda.sh/v1alpha1": keda, "monitoring.coreos.com/v1": monitoring,
};
// The server's own allowance after the grace (HostOptions.ShutdownTimeout = grace + 15 s in TakeoffApp).
const serverTeardownSeconds = 15;
const gauges = {
  queuedRequestsSpec: "takeoff_requests_waiting", runningRequestsSpec: "takeoff_requests_running",
  kvUsageSpec: "takeoff_kv_cache_usage_ratio", cacheInfoSpec: "takeoff_cache_config_info",
};

let failures = 0;
let checked = 0;
const fail = (what, why) => { failures++; console.log(`  FAILED ${what}: ${why}`); };
const expect = (what, condition, why) => { if (!condition) fail(what, why); };

function checkInferencePool(name, pool) {
  const spec = pool.spec ?? {};
  expect(name, pool.apiVersion === "inference.networking.k8s.io/v1", `apiVersion ${pool.apiVersion}`);
  const labels = spec.selector?.matchLabels;
  expect(name, labels && typeof labels === "object" && Object.keys(labels).length > 0, "spec.selector.matchLabels is required");
  expect(name, Object.keys(spec.selector ?? {}).every(k => k === "matchLabels"), "spec.selector takes matchLabels only");
  expect(name, Array.isArray(spec.targetPorts) && spec.targetPorts.length === 1, "spec.targetPorts must hold exactly one port");
  for (const port of spec.targetPorts ?? [])
    expect(name, Number.isInteger(port.number) && port.number >= 1 && port.number <= 65535, `targetPorts number ${port.number}`);
  const picker = spec.endpointPickerRef ?? {};
  expect(name, typeof picker.name === "string" && picker.name.length > 0, "spec.endpointPickerRef.name is required");
  expect(name, picker.portNumber === undefined || Number.isInteger(picker.portNumber), "endpointPickerRef.portNumber must be an integer");
  expect(name, picker.failureMode === undefined || ["FailOpen", "FailClose"].includes(picker.failureMode),
    `endpointPickerRef.failureMode ${picker.failureMode}`);
}

function checkDeployment(name, deployment, all) {
  const pod = deployment.spec.template.spec;
  const container = pod.containers.find(c => c.name === "takeoff");
  expect(name, container, "no takeoff container");
  if (!container) return;
  const env = Object.fromEntries((container.env ?? []).map(e => [e.name, e.value]));
  const sleep = Number(container.lifecycle?.preStop?.exec?.command?.[1]);
  const grace = Number(env.TAKEOFF_SHUTDOWN_GRACE);
  expect(name, Number.isFinite(sleep) && sleep > 0, "a preStop sleep");
  expect(name, pod.terminationGracePeriodSeconds >= sleep + grace + serverTeardownSeconds,
    `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} < preStop ${sleep} + drain ${grace} + teardown ${serverTeardownSeconds}`);
  expect(name, container.startupProbe?.httpGet?.path === "/health/ready", "startup probe on /health/ready");
  expect(name, container.readinessProbe?.httpGet?.path === "/health/ready", "readiness probe on /health/ready");
  expect(name, container.livenessProbe?.httpGet?.path === "/health/live", "liveness probe on /health/live");
  const startupSeconds = container.startupProbe.periodSeconds * container.startupProbe.failureThreshold;
  expect(name, startupSeconds >= 300, `the startup probe allows only ${startupSeconds} s for a model load`);
  expect(name, env.TAKEOFF_MANAGEMENT_READ_ONLY === "true", "the pool's replicas run --management-read-only");
  expect(name, env.TAKEOFF_HOST === "0.0.0.0", "the server must listen beyond the pod's loopback");
  expect(name, env.TAKEOFF_ALLOWED_HOSTS, "Host names served: probes and scrapers come by pod IP, clients by other names");
  expect(name, pod.securityContext?.runAsNonRoot === true, "runs as non-root");
  const catalog = all.find(o => o.kind === "ConfigMap" && o.metadata.name === pod.volumes.find(v => v.name === "catalog")?.configMap?.name);
  expect(name, catalog, "the models.json ConfigMap it mounts is rendered");
  if (catalog) {
    const json = JSON.parse(catalog.data["models.json"]);
    expect(name, Array.isArray(json.models) && json.models.every(m => m.name && m.file), "models.json has named models with files");
  }
  expect(name, deployment.spec.template.metadata.labels["llm-d.ai/engine-type"], "the engine-type label the endpoint picker reads");
}

function checkPickerConfig(name, configMap, engineType) {
  const config = parse(configMap.data["config.yaml"]);
  expect(name, config.kind === "EndpointPickerConfig", `kind ${config.kind}`);
  const extractor = (config.plugins ?? []).find(p => p.type === "model-server-protocol-metrics");
  expect(name, extractor, "a model-server-protocol-metrics plugin");
  const parameters = extractor?.parameters ?? {};
  expect(name, parameters.enableMultiEngine === true && parameters.engineLabelKey === "llm-d.ai/engine-type",
    "multi-engine by the llm-d.ai/engine-type label");
  const entry = (parameters.engineConfigs ?? []).find(e => e.name === engineType);
  expect(name, entry, `an engineConfigs entry for ${engineType}`);
  for (const [field, metric] of Object.entries(gauges))
    expect(name, entry?.[field] === metric, `${field} must be ${metric}, is ${entry?.[field]}`);
  const source = (config.data?.sources ?? []).find(s => s.pluginRef === "metrics-data-source");
  expect(name, source?.extractors?.some(e => e.pluginRef === (extractor?.name ?? extractor?.type)),
    "the data layer feeds the metrics data source to the extractor");
  expect(name, (config.featureGates ?? []).includes("dataLayer"), "the dataLayer feature gate is on");
  const refs = [...(config.schedulingProfiles ?? []).flatMap(p => p.plugins.map(r => r.pluginRef)),
    ...(config.data?.sources ?? []).flatMap(s => [s.pluginRef, ...(s.extractors ?? []).map(e => e.pluginRef)])];
  const defined = (config.plugins ?? []).map(p => p.name ?? p.type);
  for (const ref of refs) expect(name, defined.includes(ref), `profile refers to undefined plugin ${ref}`);
}

for (const file of process.argv.slice(2)) {
  console.log(`${file}:`);
  const objects = parseAllDocuments(readFileSync(file, "utf8")).map(d => d.toJS()).filter(Boolean);
  if (objects.length === 0) fail(file, "no objects rendered");
  for (const object of objects) {
    const name = `${object.kind}/${object.metadata?.name}`;
    checked++;
    const before = failures;
    try {
      if (object.kind === "InferencePool") {
        checkInferencePool(name, object);
      } else {
        const model = models[object.apiVersion]?.[object.kind];
        if (!model) { fail(name, `no schema for ${object.apiVersion} ${object.kind}`); continue; }
        new model(object).validate();
      }
      if (object.kind === "Deployment") checkDeployment(name, object, objects);
      if (object.kind === "ConfigMap" && object.data?.["config.yaml"]) {
        const deployment = objects.find(o => o.kind === "Deployment");
        checkPickerConfig(name, object, deployment?.spec.template.metadata.labels["llm-d.ai/engine-type"]);
      }
    } catch (error) {
      fail(name, error.message.split("\n").slice(0, 5).join("; "));
    }
    if (failures === before)
      console.log(`  ok ${name} (${object.kind === "InferencePool" ? "checked by hand: no schema package" : object.apiVersion})`);
  }
}
console.log(`${checked} objects, ${failures} problems`);
process.exit(failures === 0 ? 0 : 1);
