import "server-only";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import { getMetricsCollector } from "./collector";
import { selectMetricRows } from "./storage";
import { METRICS, RAW_STEP_MS, chooseResolution, type MetricName, type SeriesQuery, type SeriesResult } from "./storage-query";

/**
 * The charts' series from a Prometheus the team already runs (`PROMETHEUS_URL`): the path for large fleets, where
 * Prometheus scrapes CoreDNS anyway and Coredeck's own SQLite store would only repeat it. Same contract as
 * {@link querySeries}: one metric of a cluster over a range, per pod, for one pod, or for the cluster, as columns.
 *
 * Each chart series is one PromQL expression over CoreDNS's current metric names (1.7+; forward traffic as
 * `coredns_proxy_*{proxy_name="forward"}` since 1.11), sent to `/api/v1/query_range` (POST, form-encoded, so long pod
 * lists fit) with a timeout and a bound on the answer's size.
 *
 * Which series belong to the cluster: Prometheus knows nothing of Coredeck's clusters, so every selector is filtered
 * to the cluster's CoreDNS pods by one label, `PROMETHEUS_POD_LABEL`:
 * - `pod` (default): the pod's name, as the Prometheus Operator (ServiceMonitor / PodMonitor), kube-prometheus and the
 *   usual `kubernetes_sd_configs` relabelling (`__meta_kubernetes_pod_name` → `pod`) attach it. The names are those
 *   Coredeck has seen in the range (its own discovery records every pod it lists, in "MetricPod") and those listed now.
 * - `instance`: `<pod IP>:<metrics port>`, what a bare `kubernetes_sd_configs` job without relabelling has. Only the
 *   pods listed now have a known IP, so past pods' series drop out of long ranges with this label.
 * `PROMETHEUS_SELECTOR` adds matchers to every selector (for example `cluster="prod"` when one Prometheus or Thanos
 * holds several clusters whose pod names could meet).
 */

export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 10_000;
/** 100 pods × 8,640 points (30 days at 5 minutes) is ~25 MB of JSON for one per-pod query; more is not a chart. */
export const DEFAULT_PROMETHEUS_MAX_BYTES = 32 * 1024 * 1024;
/** The rate window at 15 s steps: four scrapes at the default interval, as Prometheus advises for rate(). */
const RATE_WINDOW_MS = 60_000;
/** The window of the request-duration histogram at 15 s steps: quantiles need more observations than rates. */
const HISTOGRAM_WINDOW_MS = 5 * 60_000;

export type PrometheusSettings = {
  /** Base URL of the Prometheus HTTP API (without `/api/v1`), e.g. `http://prometheus.monitoring:9090`. */
  url: string;
  /** The label that tells CoreDNS pods apart: `pod` or `instance` (see the module comment). */
  podLabel: "pod" | "instance";
  /** Extra label matchers for every selector, PromQL syntax without braces; "" for none. */
  selector: string;
  timeoutMs: number;
  maxBytes: number;
};

/**
 * `PROMETHEUS_URL` (the switch), `PROMETHEUS_POD_LABEL` (`pod` or `instance`, default `pod`), `PROMETHEUS_SELECTOR`
 * (extra matchers) and `PROMETHEUS_TIMEOUT_SECONDS` (default 10). Null when `PROMETHEUS_URL` is unset or empty.
 */
export function readPrometheusSettings(env: Readonly<Record<string, string | undefined>> = process.env): PrometheusSettings | null {
  const url = env.PROMETHEUS_URL?.trim();
  if (!url) return null;
  const seconds = Number(env.PROMETHEUS_TIMEOUT_SECONDS ?? "");
  return {
    url,
    podLabel: env.PROMETHEUS_POD_LABEL?.trim() === "instance" ? "instance" : "pod",
    selector: env.PROMETHEUS_SELECTOR?.trim() ?? "",
    timeoutMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_PROMETHEUS_TIMEOUT_MS,
    maxBytes: DEFAULT_PROMETHEUS_MAX_BYTES,
  };
}

/**
 * Why Prometheus gave no series:
 * - `BAD_URL`: `PROMETHEUS_URL` is not an http(s) URL;
 * - `UNREACHABLE`: no connection (wrong host or port, DNS, refused);
 * - `TIMEOUT`: no complete answer within the timeout;
 * - `TOO_LARGE`: the answer exceeded the size bound (a range or fleet too large for one chart);
 * - `QUERY_REJECTED`: Prometheus answered with an error (bad PromQL, query timeout, too many samples);
 * - `BAD_RESPONSE`: the answer was not the API's JSON (a proxy's login page, another service on that port).
 */
export type PrometheusErrorCode = "BAD_URL" | "UNREACHABLE" | "TIMEOUT" | "TOO_LARGE" | "QUERY_REJECTED" | "BAD_RESPONSE";

/** A failed Prometheus query, with a message that says what to check. */
export class PrometheusQueryError extends Error {
  constructor(
    readonly code: PrometheusErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "PrometheusQueryError";
  }
}

/** One chart series as PromQL. */
type SeriesExpression = (context: ExpressionContext) => string;
type ExpressionContext = {
  /** A selector filtered to the cluster's pods: `name{pod=~"a|b",<PROMETHEUS_SELECTOR>,<extra>}`. */
  select: (metric: string, extra?: string) => string;
  /**
   * `sum(inner)` for the cluster or one pod, `sum by (pod) (inner)` per pod (`op` instead of sum: `count`); `extra`
   * labels are kept as well (`le`, `to`).
   */
  group: (op: "sum" | "count", inner: string, ...extra: string[]) => string;
  /** Range of rate(), e.g. `1m`. */
  window: string;
  /** Range of the request-duration histogram's rate(), e.g. `5m`. */
  histogramWindow: string;
  /** Seconds per step, to turn a rate into a count per step. */
  stepSeconds: number;
};

const sumRate = (metric: string, matchers = ""): SeriesExpression => (c) => c.group("sum", `rate(${c.select(metric, matchers)}[${c.window}])`);
const quantile = (q: number): SeriesExpression => (c) =>
  `histogram_quantile(${q}, ${c.group("sum", `rate(${c.select("coredns_dns_request_duration_seconds_bucket")}[${c.histogramWindow}])`, "le")})`;
/** Events per step from a counter: its rate times the step, so that the steps of a range add up to its increase. */
const countPerStep = (metric: string): SeriesExpression => (c) => `${sumRate(metric)(c)} * ${c.stepSeconds}`;
const FORWARD = `proxy_name="forward"`;
const UPSTREAM_ERRORS = `rcode!~"NOERROR|NXDOMAIN"`;

/** PromQL per chart series, in the order of METRICS' series (current CoreDNS names; see coredns-metric-names.md). */
const EXPRESSIONS: Record<MetricName, SeriesExpression[]> = {
  qps: [sumRate("coredns_dns_requests_total")],
  qpsByType: [
    sumRate("coredns_dns_requests_total", `type="A"`),
    sumRate("coredns_dns_requests_total", `type="AAAA"`),
    sumRate("coredns_dns_requests_total", `type!~"A|AAAA"`),
  ],
  responsesByRcode: [
    sumRate("coredns_dns_responses_total", `rcode="NOERROR"`),
    sumRate("coredns_dns_responses_total", `rcode="NXDOMAIN"`),
    sumRate("coredns_dns_responses_total", `rcode="SERVFAIL"`),
    sumRate("coredns_dns_responses_total", `rcode!~"NOERROR|NXDOMAIN|SERVFAIL"`),
  ],
  latency: [quantile(0.5), quantile(0.9), quantile(0.99)],
  cache: [
    sumRate("coredns_cache_hits_total"),
    // CoreDNS 1.14 deprecates the misses counter: misses are requests that were not hits (as derive.ts computes).
    (c) => `${sumRate("coredns_cache_requests_total")(c)} - ${sumRate("coredns_cache_hits_total")(c)}`,
  ],
  cacheEntries: [(c) => c.group("sum", c.select("coredns_cache_entries"))],
  forward: [sumRate("coredns_proxy_request_duration_seconds_count", FORWARD), sumRate("coredns_proxy_request_duration_seconds_count", `${FORWARD},${UPSTREAM_ERRORS}`)],
  reloads: [
    // A reload publishes a new hash: a coredns_reload_version_info series that did not exist one window earlier.
    // It counts in every step of the window after it, hence the scaling to one per window.
    (c) => {
      const info = c.select("coredns_reload_version_info");
      return `${c.group("count", `${info} unless ${info} offset ${c.window}`)} * ${c.stepSeconds} / ${durationSeconds(c.window)}`;
    },
    countPerStep("coredns_reload_failed_total"),
  ],
  panics: [countPerStep("coredns_panics_total")],
  cpu: [sumRate("process_cpu_seconds_total")],
  memory: [(c) => c.group("sum", c.select("process_resident_memory_bytes"))],
  // Labelled metrics: their series are in LABELLED_EXPRESSIONS (one per label value); healthcheckFailures also has
  // the count of complete failures (every upstream down at once), 1.7+ under this name.
  qpsByZone: [],
  responsesByPlugin: [],
  forwardLatency: [],
  healthcheckFailures: [countPerStep("coredns_forward_healthcheck_broken_total")],
};

/** `a or b`: the current name or the old one, whichever the pods export. */
const either = (a: string, b: string) => `(${a} or ${b})`;

/**
 * The labelled metrics' series, grouped by their label(s); `name` makes the series name from the labels. Old names are
 * read with `or`: requests before 1.7, the forward plugin's own histogram and health-check counter before 1.11.
 */
const LABELLED_EXPRESSIONS: Partial<Record<MetricName, { expression: SeriesExpression; name: (labels: Record<string, string>) => string }[]>> = {
  qpsByZone: [
    {
      expression: (c) =>
        c.group(
          "sum",
          either(`rate(${c.select("coredns_dns_requests_total")}[${c.window}])`, `rate(${c.select("coredns_dns_request_count_total")}[${c.window}])`),
          "zone",
          "server",
        ),
      name: (labels) => (labels.server ? `${labels.zone ?? ""} ${labels.server}` : (labels.zone ?? "")),
    },
  ],
  responsesByPlugin: [
    {
      // Only where CoreDNS sets the plugin label (an absent label reads as ""): some series must carry a plugin name.
      expression: (c) =>
        `${c.group("sum", `rate(${c.select("coredns_dns_responses_total")}[${c.window}])`, "plugin")} and on() (count(${c.select("coredns_dns_responses_total", `plugin!=""`)}) > 0)`,
      name: (labels) => (labels.plugin ? labels.plugin : "no plugin"),
    },
  ],
  forwardLatency: ([0.5, 0.99] as const).map((q) => ({
    expression: (c: ExpressionContext) =>
      `histogram_quantile(${q}, ${c.group(
        "sum",
        either(
          `rate(${c.select("coredns_proxy_request_duration_seconds_bucket", FORWARD)}[${c.histogramWindow}])`,
          `rate(${c.select("coredns_forward_request_duration_seconds_bucket")}[${c.histogramWindow}])`,
        ),
        "to",
        "le",
      )})`,
    name: (labels: Record<string, string>) => `${labels.to ?? ""} ${q === 0.5 ? "p50" : "p99"}`,
  })),
  healthcheckFailures: [
    {
      expression: (c) =>
        `${c.group(
          "sum",
          either(`rate(${c.select("coredns_proxy_healthcheck_failures_total", FORWARD)}[${c.window}])`, `rate(${c.select("coredns_forward_healthcheck_failures_total")}[${c.window}])`),
          "to",
        )} * ${c.stepSeconds}`,
      name: (labels) => labels.to ?? "",
    },
  ],
};

/** The forward chart's per-upstream series: grouped by `to` as well. */
const UPSTREAM_EXPRESSIONS: [kind: "requests" | "errors", expression: SeriesExpression][] = [
  ["requests", (c) => c.group("sum", `rate(${c.select("coredns_proxy_request_duration_seconds_count", FORWARD)}[${c.window}])`, "to")],
  ["errors", (c) => c.group("sum", `rate(${c.select("coredns_proxy_request_duration_seconds_count", `${FORWARD},${UPSTREAM_ERRORS}`)}[${c.window}])`, "to")],
];

/** A PromQL duration: `1m`, `5m`, `90s`. */
function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

function durationSeconds(duration: string): number {
  return duration.endsWith("m") ? Number(duration.slice(0, -1)) * 60 : Number(duration.slice(0, -1));
}

/** A PromQL string literal. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** RE2 with its metacharacters escaped, so that a pod name matches only itself. */
function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

type PodIdentity = { name: string; value: string };

/**
 * The cluster's CoreDNS pods as the pod label's values: names Coredeck saw in the range (its store) and those listed
 * now; for `instance`, `<pod IP>:<port>` of the pods listed now.
 */
async function listPodIdentities(query: SeriesQuery, settings: PrometheusSettings, from: number, to: number, db: PrismaClient): Promise<PodIdentity[]> {
  if (query.pod !== undefined && settings.podLabel === "pod") return [{ name: query.pod, value: query.pod }];
  const collector = getMetricsCollector();
  const listed = collector?.getListedPods(query.clusterId) ?? [];
  const pods = new Map<string, PodIdentity>();
  if (settings.podLabel === "instance") {
    const port = collector?.getStatus(query.clusterId)?.endpoint?.port ?? 9153;
    for (const pod of listed) {
      if (!pod.podIP) continue;
      const host = pod.podIP.includes(":") ? `[${pod.podIP}]` : pod.podIP;
      pods.set(pod.name, { name: pod.name, value: `${host}:${port}` });
    }
  } else {
    const stored = await selectMetricRows(
      `SELECT "name" FROM "MetricPod" WHERE "clusterId" = ? AND "isClusterSum" = 0 AND "lastSeenAt" >= ? AND "firstSeenAt" <= ?`,
      [query.clusterId, from, to],
      db,
    );
    for (const [name] of stored) pods.set(String(name), { name: String(name), value: String(name) });
    for (const pod of listed) pods.set(pod.name, { name: pod.name, value: pod.name });
  }
  const all = [...pods.values()];
  return query.pod === undefined ? all : all.filter((p) => p.name === query.pod);
}

type MatrixSeries = { metric: Record<string, string>; values: [number, string][] };

/**
 * Runs one range query. Every failure is a {@link PrometheusQueryError} whose message names the URL and says what to
 * check.
 */
export async function queryPrometheusRange(
  settings: PrometheusSettings,
  request: { query: string; start: number; end: number; stepSeconds: number },
): Promise<MatrixSeries[]> {
  let endpoint: URL;
  try {
    endpoint = new URL("api/v1/query_range", settings.url.endsWith("/") ? settings.url : `${settings.url}/`);
    if (endpoint.protocol !== "http:" && endpoint.protocol !== "https:") throw new Error("not http(s)");
  } catch {
    throw new PrometheusQueryError("BAD_URL", `PROMETHEUS_URL "${settings.url}" is not an http(s) URL; set it to Prometheus' address, e.g. http://prometheus.monitoring:9090.`);
  }
  const where = `Prometheus at ${settings.url}`;
  const seconds = Math.round(settings.timeoutMs / 1000);
  const body = new URLSearchParams({
    query: request.query,
    start: String(request.start / 1000),
    end: String(request.end / 1000),
    step: String(request.stepSeconds),
    // Prometheus stops evaluating too; without it a heavy query would run on after we gave up.
    timeout: `${Math.max(1, seconds)}s`,
  });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
  let status: number;
  let text: string;
  try {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body,
      signal: controller.signal,
    });
    status = response.status;
    text = await readBounded(response, settings.maxBytes, where);
  } catch (error) {
    if (error instanceof PrometheusQueryError) throw error;
    if (controller.signal.aborted) {
      throw new PrometheusQueryError("TIMEOUT", `${where} did not answer within ${seconds} s. Check that it is up and not overloaded, or shorten the time range.`);
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    throw new PrometheusQueryError(
      "UNREACHABLE",
      `Cannot reach ${where} (${detail}). Check PROMETHEUS_URL, or unset it to chart Coredeck's own scrapes.`,
    );
  } finally {
    clearTimeout(timer);
  }
  let answer: { status?: string; error?: string; errorType?: string; data?: { resultType?: string; result?: unknown } };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    throw new PrometheusQueryError(
      "BAD_RESPONSE",
      `${where} answered ${status} with something other than the Prometheus API's JSON; is PROMETHEUS_URL Prometheus' own address (not a UI or a login page)?`,
      status,
    );
  }
  if (answer.status !== "success") {
    const reason = answer.error ? `${answer.errorType ? `${answer.errorType}: ` : ""}${answer.error}` : `HTTP ${status}`;
    throw new PrometheusQueryError("QUERY_REJECTED", `${where} rejected the query (${reason.slice(0, 300)}).`, status);
  }
  if (answer.data?.resultType !== "matrix" || !Array.isArray(answer.data.result)) {
    throw new PrometheusQueryError("BAD_RESPONSE", `${where} answered a ${answer.data?.resultType ?? "missing"} result where a range query gives a matrix.`, status);
  }
  return answer.data.result as MatrixSeries[];
}

/** The response body, aborting as soon as it exceeds `maxBytes`. */
async function readBounded(response: Response, maxBytes: number, where: string): Promise<string> {
  const tooLarge = () =>
    new PrometheusQueryError("TOO_LARGE", `${where} answered more than ${Math.round(maxBytes / 1048576)} MB for one chart; choose a shorter range or one pod.`);
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A sample value as a chart value: NaN and ±Inf (an empty histogram, a division by zero) are gaps. */
function toValue(text: string): number | null {
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/**
 * {@link querySeries} answered by Prometheus: the same resolution choice as the local store (15 s steps within 24 h,
 * 5 minutes beyond), timestamps aligned to the step, NaN as null. Throws {@link PrometheusQueryError} on failure.
 */
export async function queryPrometheusSeries(query: SeriesQuery, settings: PrometheusSettings, db: PrismaClient = getDb()): Promise<SeriesResult> {
  const from = Number(query.from);
  const to = Number(query.to);
  const resolution = !query.resolution || query.resolution === "auto" ? chooseResolution(from, query.now ?? Date.now()) : query.resolution;
  const stepMs = resolution === "15s" ? RAW_STEP_MS : 5 * 60_000;
  const definition = METRICS[query.metric];
  const result: SeriesResult = { metric: query.metric, unit: definition.unit, resolution, stepMs, from, to, timestamps: [], series: [] };

  const pods = await listPodIdentities(query, settings, from, to, db);
  if (pods.length === 0) return result;
  const isPerPod = !query.aggregate && query.pod === undefined;
  const label = settings.podLabel;
  const podMatcher = pods.length === 1 ? `${label}=${quote(pods[0]!.value)}` : `${label}=~${quote(pods.map((p) => escapeRegex(p.value)).join("|"))}`;
  const context: ExpressionContext = {
    select: (metric, extra = "") => `${metric}{${[podMatcher, settings.selector, extra].filter(Boolean).join(",")}}`,
    group: (op, inner, ...extra) => {
      const labels = [...(isPerPod ? [label] : []), ...extra];
      return labels.length === 0 ? `${op}(${inner})` : `${op} by (${labels.join(", ")}) (${inner})`;
    },
    window: formatDuration(Math.max(RATE_WINDOW_MS, stepMs)),
    histogramWindow: formatDuration(Math.max(HISTOGRAM_WINDOW_MS, stepMs)),
    stepSeconds: stepMs / 1000,
  };
  const start = Math.floor(from / stepMs) * stepMs;
  const range = { start, end: to, stepSeconds: stepMs / 1000 };

  const expressions = EXPRESSIONS[query.metric];
  const upstreams = query.metric === "forward" ? UPSTREAM_EXPRESSIONS : [];
  const labelled = LABELLED_EXPRESSIONS[query.metric] ?? [];
  const answers = await Promise.all([
    ...expressions.map((expression) => queryPrometheusRange(settings, { ...range, query: expression(context) })),
    ...upstreams.map(([, expression]) => queryPrometheusRange(settings, { ...range, query: expression(context) })),
    ...labelled.map(({ expression }) => queryPrometheusRange(settings, { ...range, query: expression(context) })),
  ]);

  // Series keyed by pod (per-pod form) and name, values by timestamp; laid out on the union of timestamps.
  const nameOf = new Map(pods.map((p) => [p.value, p.name]));
  const podOf = (metric: Record<string, string>) => (isPerPod ? (nameOf.get(metric[label] ?? "") ?? metric[label] ?? "") : query.pod);
  const collected = new Map<string | undefined, Map<string, Map<number, number | null>>>();
  const times = new Set<number>();
  const add = (pod: string | undefined, name: string, values: [number, string][]) => {
    let byName = collected.get(pod);
    if (!byName) collected.set(pod, (byName = new Map()));
    let points = byName.get(name);
    if (!points) byName.set(name, (points = new Map()));
    for (const [at, text] of values) {
      const ms = Math.round(at * 1000);
      times.add(ms);
      points.set(ms, toValue(text));
    }
  };
  const upstreamNames = new Set<string>();
  expressions.forEach((_, i) => {
    for (const series of answers[i]!) add(podOf(series.metric), definition.series[i]![0], series.values);
  });
  upstreams.forEach(([kind], i) => {
    for (const series of answers[expressions.length + i]!) {
      const upstream = series.metric.to ?? "";
      upstreamNames.add(upstream);
      add(podOf(series.metric), `${upstream} ${kind}`, series.values);
    }
  });

  const labelledNames = new Set<string>();
  labelled.forEach(({ name }, i) => {
    for (const series of answers[expressions.length + upstreams.length + i]!) {
      const seriesName = name(series.metric);
      labelledNames.add(seriesName);
      add(podOf(series.metric), seriesName, series.values);
    }
  });

  result.timestamps = [...times].sort((a, b) => a - b);
  const names = [
    ...definition.series.map(([name]) => name),
    ...[...upstreamNames].sort().flatMap((u) => [`${u} requests`, `${u} errors`]),
    ...[...labelledNames].sort(),
  ];
  const podKeys = isPerPod ? [...collected.keys()].filter((p): p is string => p !== undefined).sort() : [query.pod];
  for (const pod of podKeys) {
    const byName = collected.get(pod);
    for (const name of names) {
      const points = byName?.get(name);
      result.series.push({ name, ...(pod === undefined ? {} : { pod }), values: result.timestamps.map((at) => points?.get(at) ?? null) });
    }
  }
  return result;
}
