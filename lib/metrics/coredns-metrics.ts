/**
 * Reads one parsed CoreDNS scrape (see exposition.ts) into the quantities the dashboard charts, for every CoreDNS
 * release since 1.1: the metric names were renamed in 1.7.0 (`coredns_dns_request_count_total` →
 * `coredns_dns_requests_total`, ...) and the forward plugin's upstream metrics moved to `coredns_proxy_*` with a
 * `proxy_name` label in 1.11. The full old → new table is in coredns-metric-names.md beside this file; `METRIC_NAMES`
 * below lists, per quantity, the names read in order of preference.
 *
 * Counters are the raw cumulative values of one scrape: rates come from two scrapes (`rate`, `rateByKey`,
 * `subtractHistogram`). Conventions: a `Counts` record maps a label value to a number, `""` standing for a sample
 * without that label (e.g. `server` before CoreDNS 1.1.2, or `plugin=""` when no plugin wrote the response). Totals
 * of the core metrics plugin are 0 when CoreDNS has not created the series yet (it does so on first use); quantities
 * of optional plugins (cache, reload, forward) and of the process are null when their metrics are absent.
 *
 * Pure TypeScript, no `node:` imports.
 */
import type { Exposition, MetricFamily, Sample } from "./exposition-types";

export type Counts = Record<string, number>;

/** One cumulative histogram bucket: `count` observations were <= `le` (the last bucket has `le` = Infinity). */
export type HistogramBucket = { le: number; count: number };

export type Histogram = { buckets: HistogramBucket[]; sum: number; count: number };

export type UpstreamMetrics = {
  /** The plugin talking to the upstream: `forward`, `grpc`, or `proxy` (the proxy plugin of CoreDNS < 1.5). */
  plugin: string;
  /** The upstream, `host:port` (the `to` label). */
  to: string;
  requests: number | null;
  responsesByRcode: Counts;
  duration: Histogram | null;
  healthcheckFailures: number | null;
};

export type PluginsEnabled = { server: string; zone: string; view: string; plugins: string[] };

/** Which generation of metric names the scrape uses (1.7.0 renamed most of them). */
export type MetricNaming = "pre-1.7" | "1.7+" | "unknown";

export type CoreDnsMetrics = {
  naming: MetricNaming;
  /** `coredns_build_info`; null when absent. A label missing from the sample is null (e.g. a build without version). */
  build: { version: string | null; revision: string | null; goVersion: string | null } | null;
  /** `byZoneServer` is keyed `<zone>\u0000<server>` (server "" before CoreDNS 1.1.2). */
  requests: { total: number; byType: Counts; byZone: Counts; byServer: Counts; byZoneServer: Counts; byProto: Counts };
  /**
   * `byPlugin`: responses per answering plugin (`""`: no plugin wrote the response, e.g. a SERVFAIL of the server
   * itself). Empty when the release does not set the `plugin` label (none of the corpus scrapes of 1.1.0, 1.5.0,
   * 1.6.9, 1.7.0 and 1.8.5 has it; later ones do).
   */
  responses: { total: number; byRcode: Counts; byPlugin: Counts };
  /** `coredns_dns_request_duration_seconds`, summed over all labels and per `server`. */
  requestDuration: { all: Histogram | null; byServer: Record<string, Histogram> };
  cache: { hits: number | null; hitsByType: Counts; misses: number | null; requests: number | null; entries: number | null; entriesByType: Counts };
  /** Per plugin and upstream, sorted by plugin then `to`. */
  upstreams: UpstreamMetrics[];
  /** Times all upstreams of a forward were unhealthy at once. */
  forwardHealthcheckBroken: number | null;
  reload: { hash: string | null; hashFunction: string | null; failedTotal: number | null };
  panics: number | null;
  pluginsEnabled: PluginsEnabled[];
  process: { cpuSecondsTotal: number | null; residentMemoryBytes: number | null; startTimeSeconds: number | null };
};

/** Metric names per quantity, the current name first, then older ones (see coredns-metric-names.md). */
export const METRIC_NAMES = {
  buildInfo: ["coredns_build_info"],
  requests: ["coredns_dns_requests_total", "coredns_dns_request_count_total"],
  /** Before 1.7 the query type had its own counter; since 1.7 it is the `type` label of the requests counter. */
  requestsByTypeLegacy: ["coredns_dns_request_type_count_total"],
  responses: ["coredns_dns_responses_total", "coredns_dns_response_rcode_count_total"],
  requestDuration: ["coredns_dns_request_duration_seconds"],
  cacheHits: ["coredns_cache_hits_total"],
  cacheMisses: ["coredns_cache_misses_total"],
  cacheRequests: ["coredns_cache_requests_total"],
  cacheEntries: ["coredns_cache_entries", "coredns_cache_size"],
  panics: ["coredns_panics_total", "coredns_panic_count_total"],
  reloadFailed: ["coredns_reload_failed_total", "coredns_reload_failed_count_total"],
  reloadVersion: ["coredns_reload_version_info"],
  pluginEnabled: ["coredns_plugin_enabled"],
  forwardHealthcheckBroken: ["coredns_forward_healthcheck_broken_total", "coredns_forward_healthcheck_broken_count_total"],
  processCpu: ["process_cpu_seconds_total"],
  processResidentMemory: ["process_resident_memory_bytes"],
  processStartTime: ["process_start_time_seconds"],
} as const;

/**
 * Where each plugin's upstream metrics live, per generation. `proxy_*` since 1.11 carries the plugin in
 * `proxy_name` (forward, grpc); the proxy plugin of CoreDNS < 1.5 used the same prefix without that label.
 */
const UPSTREAM_SOURCES: { plugin: string; requests: string[]; responses: string[]; duration: string[]; healthcheckFailures: string[] }[] = [
  {
    plugin: "proxy",
    requests: ["coredns_proxy_request_count_total"],
    responses: [],
    duration: ["coredns_proxy_request_duration_seconds"],
    healthcheckFailures: ["coredns_proxy_healthcheck_failures_total"],
  },
  {
    plugin: "forward",
    requests: ["coredns_forward_requests_total", "coredns_forward_request_count_total"],
    responses: ["coredns_forward_responses_total", "coredns_forward_response_rcode_count_total"],
    duration: ["coredns_forward_request_duration_seconds"],
    healthcheckFailures: ["coredns_forward_healthcheck_failures_total", "coredns_forward_healthcheck_failure_count_total"],
  },
  {
    plugin: "grpc",
    requests: ["coredns_grpc_requests_total", "coredns_grpc_request_count_total"],
    responses: ["coredns_grpc_responses_total", "coredns_grpc_response_rcode_count_total"],
    duration: ["coredns_grpc_request_duration_seconds"],
    healthcheckFailures: [],
  },
];

/** Names only CoreDNS < 1.7 exports, and names only 1.7+ exports, to tell the generations apart. */
const PRE_1_7_NAMES = ["coredns_dns_request_count_total", "coredns_dns_response_rcode_count_total", "coredns_panic_count_total", "coredns_cache_size", "coredns_dns_request_type_count_total"];
const SINCE_1_7_NAMES = ["coredns_dns_requests_total", "coredns_dns_responses_total", "coredns_panics_total", "coredns_cache_entries"];

/** Reads a parsed CoreDNS scrape into the dashboard's quantities (raw cumulative counters; see the module comment). */
export function readCoreDnsMetrics(scrape: Exposition): CoreDnsMetrics {
  return {
    naming: detectNaming(scrape),
    build: readBuildInfo(scrape),
    requests: readRequests(scrape),
    responses: readResponses(scrape),
    requestDuration: readRequestDuration(scrape),
    cache: readCache(scrape),
    upstreams: readUpstreams(scrape),
    forwardHealthcheckBroken: sumOrNull(findFamily(scrape, METRIC_NAMES.forwardHealthcheckBroken)),
    reload: readReload(scrape),
    panics: sumOrNull(findFamily(scrape, METRIC_NAMES.panics)),
    pluginsEnabled: readPluginsEnabled(scrape),
    process: {
      cpuSecondsTotal: firstValue(findFamily(scrape, METRIC_NAMES.processCpu)),
      residentMemoryBytes: firstValue(findFamily(scrape, METRIC_NAMES.processResidentMemory)),
      startTimeSeconds: firstValue(findFamily(scrape, METRIC_NAMES.processStartTime)),
    },
  };
}

/**
 * The Corefile hash a pod has loaded (`coredns_reload_version_info`'s `value` label) and its failed-reload counter.
 * Both are null when the reload plugin is not enabled, or (the hash) before the pod's first reload check.
 */
export function coreDnsReloadState(scrape: Exposition): { hash: string | null; failedTotal: number | null } {
  const { hash, failedTotal } = readReload(scrape);
  return { hash, failedTotal };
}

/**
 * Whether the scrape counts responses without the `plugin` label (releases that do not set it): then no chart of
 * responses by answering plugin can be drawn for this pod, and the page says so.
 */
export function lacksResponsePluginLabel(metrics: CoreDnsMetrics): boolean {
  return metrics.responses.total > 0 && Object.keys(metrics.responses.byPlugin).length === 0;
}

// ---- rates and quantiles ---------------------------------------------------------------------------------------

/**
 * Per-second rate of a counter between two scrapes `seconds` apart. A counter that went down was reset (the process
 * restarted), so the increase is its new value, as Prometheus assumes. Null when either value is missing or not
 * finite, or when `seconds` is not positive.
 */
export function rate(prev: number | null | undefined, next: number | null | undefined, seconds: number): number | null {
  if (prev == null || next == null || !Number.isFinite(prev) || !Number.isFinite(next) || !(seconds > 0)) return null;
  return increase(prev, next) / seconds;
}

/** The increase of a counter from `prev` to `next`, treating a decrease as a reset. */
export function increase(prev: number, next: number): number {
  return next >= prev ? next - prev : next;
}

/**
 * `rate` for every key of `next`. A key missing from `prev` counts from 0: CoreDNS creates a series on its first
 * increment, so a new rcode or query type really went from 0 to its value.
 */
export function rateByKey(prev: Counts, next: Counts, seconds: number): Counts {
  const rates: Counts = {};
  for (const [key, value] of Object.entries(next)) {
    const r = rate(prev[key] ?? 0, value, seconds);
    if (r !== null) rates[key] = r;
  }
  return rates;
}

/**
 * The observations between two scrapes of a cumulative histogram (bucket by bucket), for quantiles over an
 * interval. A reset (the count went down) yields `next` itself. Buckets missing from `prev` count from 0.
 */
export function subtractHistogram(prev: Histogram | null, next: Histogram): Histogram {
  if (prev === null || next.count < prev.count) return next;
  const before = new Map(prev.buckets.map((b) => [b.le, b.count]));
  return {
    buckets: next.buckets.map((b) => ({ le: b.le, count: Math.max(0, b.count - (before.get(b.le) ?? 0)) })),
    sum: next.sum - prev.sum,
    count: next.count - prev.count,
  };
}

/**
 * The q-quantile of a cumulative histogram with Prometheus' `histogram_quantile` semantics: linear interpolation
 * inside the bucket that holds the rank, the lowest bucket starting at 0 (unless its bound is <= 0), and the
 * second-highest bound when the rank falls into the +Inf bucket. NaN without a +Inf bucket, with fewer than two
 * buckets or no observations; -Inf/+Inf for q < 0 / q > 1. Buckets may come in any order; equal bounds are merged
 * and non-monotonic counts are raised to the running maximum, as Prometheus does.
 */
export function histogramQuantile(buckets: readonly HistogramBucket[], q: number): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = mergeEqualBounds([...buckets].sort((a, b) => a.le - b.le));
  if (sorted.length === 0 || sorted[sorted.length - 1]!.le !== Infinity) return NaN;
  raiseToRunningMaximum(sorted);
  if (sorted.length < 2) return NaN;
  const observations = sorted[sorted.length - 1]!.count;
  if (!(observations > 0)) return NaN;

  let rank = q * observations;
  let b = 0;
  while (b < sorted.length - 1 && sorted[b]!.count < rank) b++;
  if (b === sorted.length - 1) return sorted[sorted.length - 2]!.le;
  if (b === 0 && sorted[0]!.le <= 0) return sorted[0]!.le;

  let start = 0;
  let count = sorted[b]!.count;
  if (b > 0) {
    start = sorted[b - 1]!.le;
    count -= sorted[b - 1]!.count;
    rank -= sorted[b - 1]!.count;
  }
  return start + (sorted[b]!.le - start) * (rank / count);
}

function mergeEqualBounds(sorted: HistogramBucket[]): HistogramBucket[] {
  const merged: HistogramBucket[] = [];
  for (const bucket of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.le === bucket.le) last.count += bucket.count;
    else merged.push({ le: bucket.le, count: bucket.count });
  }
  return merged;
}

function raiseToRunningMaximum(sorted: HistogramBucket[]): void {
  let max = -Infinity;
  for (const bucket of sorted) {
    if (bucket.count < max) bucket.count = max;
    else max = bucket.count;
  }
}

// ---- readers ---------------------------------------------------------------------------------------------------

/** The first of `names` that has samples in the scrape (a HELP/TYPE header alone does not count). */
function findFamily(scrape: Exposition, names: readonly string[]): MetricFamily | null {
  for (const name of names) {
    const family = scrape.families.get(name);
    if (family !== undefined && family.samples.length > 0) return family;
  }
  return null;
}

/** Samples named exactly like the family (not its `_bucket`/`_sum`/`_count`). */
function ownSamples(family: MetricFamily | null): Sample[] {
  return family === null ? [] : family.samples.filter((s) => s.name === family.name);
}

function sumOrNull(family: MetricFamily | null): number | null {
  const samples = ownSamples(family);
  return samples.length === 0 ? null : samples.reduce((sum, s) => sum + s.value, 0);
}

function firstValue(family: MetricFamily | null): number | null {
  return ownSamples(family)[0]?.value ?? null;
}

function add(counts: Counts, key: string | undefined, value: number): void {
  const k = key ?? "";
  counts[k] = (counts[k] ?? 0) + value;
}

function detectNaming(scrape: Exposition): MetricNaming {
  if (findFamily(scrape, PRE_1_7_NAMES) !== null) return "pre-1.7";
  if (findFamily(scrape, SINCE_1_7_NAMES) !== null) return "1.7+";
  return "unknown";
}

function readBuildInfo(scrape: Exposition): CoreDnsMetrics["build"] {
  const sample = ownSamples(findFamily(scrape, METRIC_NAMES.buildInfo))[0];
  if (sample === undefined) return null;
  return { version: sample.labels.version ?? null, revision: sample.labels.revision ?? null, goVersion: sample.labels.goversion ?? null };
}

function readRequests(scrape: Exposition): CoreDnsMetrics["requests"] {
  const requests = { total: 0, byType: {} as Counts, byZone: {} as Counts, byServer: {} as Counts, byZoneServer: {} as Counts, byProto: {} as Counts };
  const family = findFamily(scrape, METRIC_NAMES.requests);
  for (const { labels, value } of ownSamples(family)) {
    requests.total += value;
    add(requests.byZone, labels.zone, value);
    add(requests.byServer, labels.server, value);
    add(requests.byZoneServer, `${labels.zone ?? ""}\u0000${labels.server ?? ""}`, value);
    add(requests.byProto, labels.proto, value);
    if (labels.type !== undefined) add(requests.byType, labels.type, value);
  }
  if (Object.keys(requests.byType).length === 0) {
    for (const { labels, value } of ownSamples(findFamily(scrape, METRIC_NAMES.requestsByTypeLegacy))) add(requests.byType, labels.type, value);
  }
  return requests;
}

function readResponses(scrape: Exposition): CoreDnsMetrics["responses"] {
  const responses = { total: 0, byRcode: {} as Counts, byPlugin: {} as Counts };
  for (const { labels, value } of ownSamples(findFamily(scrape, METRIC_NAMES.responses))) {
    responses.total += value;
    add(responses.byRcode, labels.rcode, value);
    if (labels.plugin !== undefined) add(responses.byPlugin, labels.plugin, value);
  }
  return responses;
}

function readRequestDuration(scrape: Exposition): CoreDnsMetrics["requestDuration"] {
  const family = findFamily(scrape, METRIC_NAMES.requestDuration);
  const all = readHistograms(family, () => "").get("") ?? null;
  const byServer = Object.fromEntries(readHistograms(family, (labels) => labels.server ?? ""));
  return { all, byServer };
}

function readCache(scrape: Exposition): CoreDnsMetrics["cache"] {
  const hitsFamily = findFamily(scrape, METRIC_NAMES.cacheHits);
  const entriesFamily = findFamily(scrape, METRIC_NAMES.cacheEntries);
  const cache = {
    hits: sumOrNull(hitsFamily),
    hitsByType: countBy(hitsFamily, "type"),
    misses: sumOrNull(findFamily(scrape, METRIC_NAMES.cacheMisses)),
    requests: sumOrNull(findFamily(scrape, METRIC_NAMES.cacheRequests)),
    entries: sumOrNull(entriesFamily),
    entriesByType: countBy(entriesFamily, "type"),
  };
  // With the cache plugin in use (any of its series exists), a missing hit/miss/entry series has simply not been
  // created yet. `requests` stays null when absent: older releases do not export coredns_cache_requests_total.
  const isInUse = cache.hits !== null || cache.misses !== null || cache.entries !== null || cache.requests !== null;
  if (!isInUse) return cache;
  return { ...cache, hits: cache.hits ?? 0, misses: cache.misses ?? 0, entries: cache.entries ?? 0 };
}

function countBy(family: MetricFamily | null, label: string): Counts {
  const counts: Counts = {};
  for (const { labels, value } of ownSamples(family)) add(counts, labels[label], value);
  return counts;
}

function readReload(scrape: Exposition): CoreDnsMetrics["reload"] {
  const versions = ownSamples(findFamily(scrape, METRIC_NAMES.reloadVersion));
  const current = versions.find((s) => s.value === 1) ?? versions[0];
  return {
    hash: current?.labels.value ?? null,
    hashFunction: current?.labels.hash ?? null,
    failedTotal: sumOrNull(findFamily(scrape, METRIC_NAMES.reloadFailed)),
  };
}

function readPluginsEnabled(scrape: Exposition): PluginsEnabled[] {
  const byBlock = new Map<string, PluginsEnabled>();
  for (const { labels, value } of ownSamples(findFamily(scrape, METRIC_NAMES.pluginEnabled))) {
    if (!(value > 0) || labels.name === undefined) continue;
    const server = labels.server ?? "";
    const zone = labels.zone ?? "";
    const view = labels.view ?? "";
    const key = `${server}\u0000${zone}\u0000${view}`;
    let block = byBlock.get(key);
    if (block === undefined) {
      block = { server, zone, view, plugins: [] };
      byBlock.set(key, block);
    }
    if (!block.plugins.includes(labels.name)) block.plugins.push(labels.name);
  }
  return [...byBlock.values()];
}

/**
 * Cumulative histograms of a histogram family, `_bucket` counts summed per `le` over all series in the same group
 * (Prometheus' `sum by (group, le)`), with `_sum` and `_count` summed alike.
 */
function readHistograms(family: MetricFamily | null, groupOf: (labels: Readonly<Record<string, string>>) => string): Map<string, Histogram> {
  type Partial = { buckets: Map<number, number>; sum: number; count: number };
  const groups = new Map<string, Partial>();
  if (family === null) return new Map();
  const bucketName = `${family.name}_bucket`;
  const sumName = `${family.name}_sum`;
  const countName = `${family.name}_count`;
  for (const { name, labels, value } of family.samples) {
    const key = groupOf(labels);
    let group = groups.get(key);
    if (group === undefined) {
      group = { buckets: new Map(), sum: 0, count: 0 };
      groups.set(key, group);
    }
    if (name === bucketName) {
      const le = parseBound(labels.le);
      if (le !== null) group.buckets.set(le, (group.buckets.get(le) ?? 0) + value);
    } else if (name === sumName) {
      group.sum += value;
    } else if (name === countName) {
      group.count += value;
    }
  }
  const histograms = new Map<string, Histogram>();
  for (const [key, group] of groups) {
    const buckets = [...group.buckets].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
    histograms.set(key, { buckets, sum: group.sum, count: group.count });
  }
  return histograms;
}

/** An `le` label as a number (`+Inf` → Infinity); null when it is not a number. */
function parseBound(le: string | undefined): number | null {
  if (le === undefined) return null;
  const lower = le.trim().toLowerCase();
  if (lower === "+inf" || lower === "inf") return Infinity;
  if (lower === "-inf") return -Infinity;
  const value = Number(le);
  return le.trim() === "" || Number.isNaN(value) ? null : value;
}

function readUpstreams(scrape: Exposition): UpstreamMetrics[] {
  const upstreams = new Map<string, UpstreamMetrics>();
  const upstreamOf = (plugin: string, labels: Readonly<Record<string, string>>): UpstreamMetrics => {
    const to = labels.to ?? "";
    const name = plugin === "proxy" ? labels.proxy_name || "proxy" : plugin;
    const key = `${name}\u0000${to}`;
    let upstream = upstreams.get(key);
    if (upstream === undefined) {
      upstream = { plugin: name, to, requests: null, responsesByRcode: {}, duration: null, healthcheckFailures: null };
      upstreams.set(key, upstream);
    }
    return upstream;
  };

  for (const source of UPSTREAM_SOURCES) {
    for (const { labels, value } of ownSamples(findFamily(scrape, source.requests))) {
      const upstream = upstreamOf(source.plugin, labels);
      upstream.requests = (upstream.requests ?? 0) + value;
    }
    for (const { labels, value } of ownSamples(findFamily(scrape, source.responses))) add(upstreamOf(source.plugin, labels).responsesByRcode, labels.rcode, value);
    for (const { labels, value } of ownSamples(findFamily(scrape, source.healthcheckFailures))) {
      const upstream = upstreamOf(source.plugin, labels);
      upstream.healthcheckFailures = (upstream.healthcheckFailures ?? 0) + value;
    }
    readUpstreamDurations(findFamily(scrape, source.duration), (labels) => upstreamOf(source.plugin, labels));
  }
  return [...upstreams.values()].sort((a, b) => (a.plugin === b.plugin ? compare(a.to, b.to) : compare(a.plugin, b.plugin)));
}

/**
 * Duration histograms per upstream. Since 1.11 they are the only per-upstream traffic metric: the requests are the
 * histogram's count, and the responses per rcode its `_count` per `rcode` label.
 */
function readUpstreamDurations(family: MetricFamily | null, upstreamOf: (labels: Readonly<Record<string, string>>) => UpstreamMetrics): void {
  if (family === null) return;
  const keyOf = (labels: Readonly<Record<string, string>>) => `${labels.proxy_name ?? ""}\u0000${labels.to ?? ""}`;
  const representative = new Map<string, Readonly<Record<string, string>>>();
  const countsByRcode = new Map<string, Counts>();
  const countName = `${family.name}_count`;
  for (const { name, labels, value } of family.samples) {
    const key = keyOf(labels);
    if (!representative.has(key)) representative.set(key, labels);
    if (name === countName && labels.rcode !== undefined) {
      const counts = countsByRcode.get(key) ?? {};
      add(counts, labels.rcode, value);
      countsByRcode.set(key, counts);
    }
  }
  for (const [key, histogram] of readHistograms(family, keyOf)) {
    const upstream = upstreamOf(representative.get(key)!);
    upstream.duration = histogram;
    if (upstream.requests === null) upstream.requests = histogram.count;
    const byRcode = countsByRcode.get(key);
    if (Object.keys(upstream.responsesByRcode).length === 0 && byRcode !== undefined) upstream.responsesByRcode = byRcode;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
