// Checks rendered manifests offline: every object validates against the
// Kubernetes OpenAPI schemas (kubernetes-models), and the suite's
// deployment rules hold (security context, probes, resources, budgets,
// policies, secrets documented or supplied).
//
//   kubectl kustomize k8s/overlays/dev | node check.mjs --overlay dev --readme ../README.md
// Prints one line per finding and exits 1 if there is any.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const overlay = option("--overlay");
const readme = option("--readme");
if (!overlay || !readme) {
  console.error("usage: node check.mjs --overlay dev|production --readme FILE < rendered.yaml");
  process.exit(2);
}

const problems = [];
const problem = (object, text) =>
  problems.push(`${object.kind}/${object.metadata?.name}: ${text}`);

const objects = parseAllDocuments(readFileSync(0, "utf8"))
  .map((doc) => doc.toJS())
  .filter(Boolean);

// --- schema -----------------------------------------------------------------
const modulePath = (apiVersion) =>
  apiVersion.includes("/") ? `kubernetes-models/${apiVersion}` : `kubernetes-models/v1`;
for (const object of objects) {
  let models;
  try {
    models = await import(modulePath(object.apiVersion));
  } catch {
    problem(object, `unknown apiVersion ${object.apiVersion}`);
    continue;
  }
  const Model = models[object.kind];
  if (!Model) {
    problem(object, `unknown kind in ${object.apiVersion}`);
    continue;
  }
  // kustomize wraps long base64 values over lines; the API server's
  // decoder skips the line breaks, the schema's "byte" format does not.
  const checked = object.kind === "Secret" && object.data
    ? { ...object, data: Object.fromEntries(Object.entries(object.data).map(([k, v]) => [k, v.replace(/\s+/g, "")])) }
    : object;
  try {
    new Model(checked).validate();
  } catch (error) {
    problem(object, `schema: ${error.message.split("\n").slice(0, 4).join(" | ")}`);
  }
}

// --- the suite's rules ------------------------------------------------------
const byKind = (kind) => objects.filter((o) => o.kind === kind);
const named = (kind, name) => byKind(kind).find((o) => o.metadata.name === name);
const selects = (selector, labels) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);
const documented = readFileSync(readme, "utf8");

const component = (d) => d.spec.template.metadata.labels["app.kubernetes.io/component"];
const services = byKind("Deployment").filter((d) => component(d) === "service");
const consoles = byKind("Deployment").filter((d) => component(d) === "console");
if (services.length !== 3) problems.push(`expected 3 service Deployments, found ${services.length}`);
if (consoles.length !== 1) problems.push(`expected 1 console Deployment, found ${consoles.length}`);
if (!byKind("NetworkPolicy").some((p) => Object.keys(p.spec.podSelector).length === 0 &&
    p.spec.policyTypes.includes("Ingress") && p.spec.policyTypes.includes("Egress") &&
    !p.spec.ingress && !p.spec.egress)) {
  problems.push("no default-deny NetworkPolicy for ingress and egress");
}

const flagValue = (container, flag) => {
  const arg = (container.args ?? []).find((a) => a.startsWith(`--${flag}=`));
  return arg === undefined ? undefined : arg.slice(flag.length + 3);
};

// Rules every deployable (the services and the console) follows.
for (const d of [...services, ...consoles]) {
  const pod = d.spec.template.spec;
  const labels = d.spec.template.metadata.labels;
  const name = d.metadata.name;
  if (d.spec.strategy?.rollingUpdate?.maxUnavailable !== 0) problem(d, "maxUnavailable is not 0");
  if (overlay === "production" && !(d.spec.replicas >= 2)) problem(d, "fewer than 2 replicas");
  if (pod.securityContext?.runAsNonRoot !== true) problem(d, "pod may run as root");
  if (pod.securityContext?.seccompProfile?.type !== "RuntimeDefault") problem(d, "no RuntimeDefault seccomp");
  if (pod.automountServiceAccountToken !== false) problem(d, "mounts a service account token");
  if (!(pod.topologySpreadConstraints?.length > 0)) problem(d, "no topology spread");
  const containers = [...(pod.initContainers ?? []), ...pod.containers];
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) problem(d, `${c.name}: privilege escalation allowed`);
    if (sc.readOnlyRootFilesystem !== true) problem(d, `${c.name}: writable root filesystem`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) problem(d, `${c.name}: capabilities not dropped`);
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory) {
      problem(d, `${c.name}: requests (cpu, memory) and a memory limit are required`);
    }
    const [, tag] = c.image.split(/:(?=[^/]+$)/);
    if (overlay === "production" && (!tag || tag === "latest")) problem(d, `${c.name}: image ${c.image} is not pinned`);
  }
  if (!byKind("PodDisruptionBudget").some((p) => selects(p.spec.selector, labels))) problem(d, "no PodDisruptionBudget");
  if (!byKind("HorizontalPodAutoscaler").some((h) => h.spec.scaleTargetRef.name === name)) problem(d, "no HorizontalPodAutoscaler");
  if (!byKind("NetworkPolicy").some((p) => p.spec.policyTypes.includes("Ingress") && p.spec.ingress &&
      Object.keys(p.spec.podSelector.matchLabels ?? {}).length > 0 && selects(p.spec.podSelector, labels))) {
    problem(d, "no ingress NetworkPolicy of its own");
  }
  if (!byKind("Service").some((s) => selects({ matchLabels: s.spec.selector }, labels))) problem(d, "no Service");

  // Every Secret it uses exists (dev) or is documented for the operator.
  const secrets = new Set();
  for (const c of containers) {
    for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) secrets.add(e.valueFrom.secretKeyRef.name);
  }
  for (const v of pod.volumes ?? []) if (v.secret) secrets.add(v.secret.secretName);
  for (const secret of secrets) {
    const base = secret.replace(/-[a-z0-9]{10}$/, "");
    if (overlay === "dev" && !named("Secret", secret)) problem(d, `Secret ${secret} is not supplied`);
    if (!documented.includes(`\`${base}\``)) problem(d, `Secret ${base} is not documented in ${readme}`);
  }
  for (const c of containers) {
    for (const ref of [...(c.envFrom ?? []).map((e) => e.configMapRef?.name),
                       ...(c.env ?? []).map((e) => e.valueFrom?.configMapKeyRef?.name)]) {
      if (ref && !named("ConfigMap", ref)) problem(d, `ConfigMap ${ref} is missing`);
    }
  }
}

for (const d of services) {
  const pod = d.spec.template.spec;
  const labels = d.spec.template.metadata.labels;
  const migrate = (pod.initContainers ?? []).find((c) => (c.args ?? []).includes("--migrate_only"));
  if (!migrate) problem(d, "no migration init container (--migrate_only)");
  else if (!flagValue(migrate, "grant_to")) problem(d, "the migration does not grant the runtime account");
  const main = pod.containers[0];
  for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
    if (!main[probe]?.grpc) problem(d, `${probe} is not a native gRPC probe`);
  }
  const healthPort = main.readinessProbe?.grpc?.port;
  const listen = flagValue(main, "listen") ?? "";
  if (healthPort !== undefined && listen.endsWith(`:${healthPort}`)) {
    problem(d, "probes hit the TLS port (kubelet's gRPC probe speaks no TLS)");
  }
  if (flagValue(main, "health_listen")?.split(":").pop() !== String(healthPort)) {
    problem(d, "the probe port is not the --health_listen port");
  }
  const drain = Number(flagValue(main, "shutdown_drain_seconds") ?? 0);
  const grace = Number(flagValue(main, "shutdown_grace_seconds") ?? 10);
  if (!(pod.terminationGracePeriodSeconds > drain + grace)) {
    problem(d, `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} does not cover drain ${drain} s + grace ${grace} s`);
  }
  // Metrics: a port named metrics that --metrics_listen serves, announced
  // to Prometheus, and reachable from Prometheus in the monitoring
  // namespace only.
  const metricsPort = (main.ports ?? []).find((p) => p.name === "metrics")?.containerPort;
  if (metricsPort === undefined) problem(d, "no container port named metrics");
  else {
    if (flagValue(main, "metrics_listen")?.split(":").pop() !== String(metricsPort)) {
      problem(d, "the metrics port is not the --metrics_listen port");
    }
    const annotations = d.spec.template.metadata.annotations ?? {};
    if (annotations["prometheus.io/scrape"] !== "true" ||
        annotations["prometheus.io/port"] !== String(metricsPort)) {
      problem(d, "pods lack the prometheus.io/scrape and prometheus.io/port annotations");
    }
    const rules = byKind("NetworkPolicy")
      .filter((p) => p.spec.policyTypes.includes("Ingress") && selects(p.spec.podSelector, labels))
      .flatMap((p) => (p.spec.ingress ?? []).map((rule) => ({ policy: p, rule })));
    const opens = (rule) => !rule.ports || rule.ports.some((p) => p.port === metricsPort || p.port === "metrics");
    const fromPrometheus = (peer) =>
      peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "monitoring" &&
      peer.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "prometheus";
    const metricsRules = rules.filter(({ rule }) => opens(rule));
    if (!metricsRules.some(({ rule }) => (rule.from ?? []).length > 0 && rule.from.every(fromPrometheus))) {
      problem(d, `no NetworkPolicy rule lets Prometheus (namespace monitoring) reach metrics port ${metricsPort}`);
    }
    for (const { policy, rule } of metricsRules) {
      if (!(rule.from ?? []).length || !rule.from.every(fromPrometheus)) {
        problem(d, `NetworkPolicy ${policy.metadata.name} opens metrics port ${metricsPort} to more than Prometheus`);
      }
    }
  }
}

// The console: HTTPS probes on its --console_listen port; it reaches each
// service's gRPC port (its egress and the service's ingress both allow
// it); only its HTTPS port is open; the development sign-in only in dev,
// the identity proxy's header in production.
const settings = (container) => {
  const merged = {};
  for (const e of container.envFrom ?? []) Object.assign(merged, named("ConfigMap", e.configMapRef?.name)?.data ?? {});
  for (const e of container.env ?? []) if (e.value !== undefined) merged[e.name] = e.value;
  return merged;
};
const rulesFor = (type, labels) => byKind("NetworkPolicy")
  .filter((p) => p.spec.policyTypes.includes(type) && selects(p.spec.podSelector, labels))
  .flatMap((p) => (type === "Ingress" ? p.spec.ingress : p.spec.egress) ?? []);
const opensPort = (rule, port) => (rule.ports ?? []).some((p) => p.port === port);
for (const d of consoles) {
  const labels = d.spec.template.metadata.labels;
  const main = d.spec.template.spec.containers[0];
  const httpsPort = (main.ports ?? []).find((p) => p.name === "https")?.containerPort;
  if (httpsPort === undefined || flagValue(main, "console_listen")?.split(":").pop() !== String(httpsPort)) {
    problem(d, "the https port is not the --console_listen port");
  }
  for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
    const get = main[probe]?.httpGet;
    if (!get || get.scheme !== "HTTPS" || get.path !== "/healthz" || (get.port !== httpsPort && get.port !== "https")) {
      problem(d, `${probe} is not HTTPS GET /healthz on the console port`);
    }
  }
  for (const svc of services) {
    const svcLabels = svc.spec.template.metadata.labels;
    const port = (svc.spec.template.spec.containers[0].ports ?? []).find((p) => p.name === "grpc")?.containerPort;
    const out = rulesFor("Egress", labels).some((rule) => opensPort(rule, port) &&
      (rule.to ?? []).some((peer) => !peer.namespaceSelector && selects(peer.podSelector, svcLabels)));
    if (!out) problem(d, `no NetworkPolicy lets it reach ${svc.metadata.name}'s gRPC port ${port}`);
    const admitted = rulesFor("Ingress", svcLabels).some((rule) => opensPort(rule, port) &&
      (rule.from ?? []).some((peer) => !peer.namespaceSelector && peer.podSelector?.matchLabels &&
        selects(peer.podSelector, labels)));
    if (!admitted) problem(d, `${svc.metadata.name}'s ingress does not admit it on gRPC port ${port}`);
  }
  const ingress = rulesFor("Ingress", labels);
  if (!ingress.some((rule) => opensPort(rule, httpsPort))) problem(d, `no NetworkPolicy lets anyone reach its HTTPS port ${httpsPort}`);
  if (ingress.some((rule) => !rule.ports || rule.ports.some((p) => p.port !== httpsPort))) {
    problem(d, `a NetworkPolicy opens more than its HTTPS port ${httpsPort}`);
  }
  const config = settings(main);
  const devKey = flagValue(main, "dev_signing_key_file") ?? config.UNIONHUB_DEV_SIGNING_KEY_FILE;
  const header = flagValue(main, "identity_header") ?? config.UNIONHUB_IDENTITY_HEADER;
  if (overlay === "production") {
    if (devKey) problem(d, "the development sign-in is on in production");
    if (!header) problem(d, "no identity proxy header (UNIONHUB_IDENTITY_HEADER) in production");
    else if (header.toLowerCase() === "authorization") {
      problem(d, "the identity proxy must not use Authorization (a forged cross-site request would pass as an integrator's)");
    }
  } else if (!devKey) {
    problem(d, "the development sign-in (--dev_signing_key_file) is off in dev");
  }
}

for (const p of problems) console.log(p);
const counts = {};
for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
console.log(`${overlay}: ${objects.length} objects (${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ")}), ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
