/**
 * The `/metrics` page of a simulated CoreDNS 1.14.7 pod, in Prometheus text format 0.0.4.
 *
 * Names, label sets, types, help strings and bucket bounds follow CoreDNS 1.14.7's source (see
 * shared corpus `coredns-metric-names.md`): e.g. forward traffic is `coredns_proxy_*` with
 * `proxy_name="forward"`, cache metrics use the `zones` label, everything has `view=""`.
 * Values are synthetic but deterministic: every counter is a fixed share of the number of queries
 * served since the pod started, which is the integral of a gently oscillating query rate. So two
 * scrapes a second apart differ, counters never go down, and tests can compute expectations.
 */
import { summariseCorefile, type ServerBlockSummary } from "./corefile-summary";

export type LoadProfile = { qps: number; errorRatio: number };

export type PodMetricsInput = {
  now: number;
  startedAt: number;
  /** Shifts the oscillation so that two pods do not look identical. */
  phase: number;
  load: LoadProfile;
  corefile: string;
  /** The hash published in coredns_reload_version_info; "" publishes none (a process that has not reloaded yet). */
  reloadHash: string;
  reloadFailures: number;
};

export const COREDNS_VERSION = "1.14.7";
export const GO_VERSION = "go1.25.5";
/** CoreDNS stamps its git revision here; the sandbox is no build of CoreDNS, so it says so. */
export const COREDNS_REVISION = "sandbox";

// plugin.TimeBuckets = ExponentialBuckets(0.00025, 2, 16)
const TIME_BUCKETS = ["0.00025", "0.0005", "0.001", "0.002", "0.004", "0.008", "0.016", "0.032", "0.064", "0.128", "0.256", "0.512", "1.024", "2.048", "4.096", "8.192"];
// plugin.SlimTimeBuckets = ExponentialBuckets(0.00025, 10, 5)
const SLIM_TIME_BUCKETS = ["0.00025", "0.0025", "0.025", "0.25", "2.5"];
const SIZE_BUCKETS = ["0", "100", "200", "300", "400", "511", "1023", "2047", "4095", "8291", "16000", "32000", "48000", "64000"];

// Cumulative shares per bucket: most answers come from the cache or the kubernetes plugin in well under a millisecond.
const DNS_LATENCY_CDF = [0.52, 0.71, 0.8, 0.86, 0.905, 0.94, 0.965, 0.981, 0.99, 0.995, 0.9975, 0.9988, 0.9994, 0.9997, 0.9999, 1];
const UPSTREAM_LATENCY_CDF = [0.01, 0.04, 0.15, 0.38, 0.62, 0.8, 0.9, 0.955, 0.982, 0.993, 0.997, 0.9985, 0.9993, 0.9997, 0.9999, 1];
const HEALTH_LATENCY_CDF = [0.2, 0.97, 0.999, 1, 1];
const REQUEST_SIZE_CDF = [0, 0.985, 0.999, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
const RESPONSE_SIZE_CDF = [0, 0.58, 0.9, 0.97, 0.99, 0.996, 1, 1, 1, 1, 1, 1, 1, 1];

const QUERY_TYPES: [string, number][] = [["A", 0.46], ["AAAA", 0.42], ["SRV", 0.05], ["PTR", 0.04], ["other", 0.03]];
const PROTOS: [string, number][] = [["udp", 0.97], ["tcp", 0.03]];
const CACHE_HIT_RATIO = 0.62;
/** Of the cache misses, the share that is not answered locally (kubernetes plugin) but forwarded. */
const FORWARDED_SHARE = 0.45;

/** Plugins that are configured in a block but are not part of the query chain (no plugin_enabled series). */
const NOT_IN_CHAIN = new Set(["health", "ready", "reload", "bind", "debug", "root", "import", "tls", "timeouts", "pprof"]);

/** Go's `strconv.FormatFloat(v, 'g', -1, 64)`, which the Prometheus client uses: 1.048576e+06, 15018, 0.00025. */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (v === 0) return "0";
  const [mantissa, expText] = v.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return String(v);
}

type Labels = Record<string, string>;
type Sample = { suffix?: string; labels: Labels; value: number };
type Family = { name: string; help: string; type: "counter" | "gauge" | "histogram" | "summary"; samples: Sample[] };

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/** Label names sorted as the Go client prints them, `le`/`quantile` last. */
function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels).filter((k) => k !== "le" && k !== "quantile").sort();
  if ("quantile" in labels) keys.push("quantile");
  if ("le" in labels) keys.push("le");
  if (keys.length === 0) return "";
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(",")}}`;
}

function render(families: Family[]): string {
  return families
    .filter((f) => f.samples.length > 0)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => {
      const lines = [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`];
      // The Go client sorts a family's series by their label values; a histogram's samples stay together.
      const series = new Map<string, Sample[]>();
      for (const s of f.samples) {
        const { le: _le, quantile: _q, ...identity } = s.labels;
        const key = formatLabels(identity);
        series.set(key, [...(series.get(key) ?? []), s]);
      }
      for (const key of [...series.keys()].sort()) {
        for (const s of series.get(key)!) lines.push(`${f.name}${s.suffix ?? ""}${formatLabels(s.labels)} ${goFloat(s.value)}`);
      }
      return lines.join("\n");
    })
    .join("\n")
    .concat("\n");
}

/** Adds `_bucket`, `_sum` and `_count` samples for `count` observations spread per `cdf`. */
function histogram(samples: Sample[], labels: Labels, bounds: string[], cdf: number[], count: number, mean: number): void {
  bounds.forEach((le, i) => samples.push({ suffix: "_bucket", labels: { ...labels, le }, value: Math.floor(count * (cdf[i] ?? 1)) }));
  samples.push({ suffix: "_bucket", labels: { ...labels, le: "+Inf" }, value: count });
  samples.push({ suffix: "_sum", labels, value: Number((count * mean).toFixed(9)) });
  samples.push({ suffix: "_count", labels, value: count });
}

/** Queries served since start: the integral of qps * (1 + 0.25 sin(2πt/600 + phase)). */
export function queriesServed(load: LoadProfile, elapsedSeconds: number, phase: number): number {
  const t = Math.max(0, elapsedSeconds);
  const period = 600;
  const amplitude = 0.25;
  const w = (2 * Math.PI) / period;
  const integral = t + (amplitude / w) * (Math.cos(phase) - Math.cos(w * t + phase));
  return Math.floor(load.qps * integral);
}

const share = (total: number, ratio: number) => Math.floor(total * ratio);

/** A forward upstream fails a health check about this often (the first one shortly after the pod starts). */
const HEALTHCHECK_FAILURE_EVERY_S = 180;
const HEALTHCHECK_FAILURE_STAGGER_S = 70;

/** Renders the full metrics page of one simulated pod at `input.now`. */
export function renderPodMetrics(input: PodMetricsInput): string {
  const elapsed = (input.now - input.startedAt) / 1000;
  const total = queriesServed(input.load, elapsed, input.phase);
  const blocks = summariseCorefile(input.corefile);
  const f = (name: string, type: Family["type"], help: string): Family => ({ name, type, help, samples: [] });

  const requests = f("coredns_dns_requests_total", "counter", "Counter of DNS requests made per zone, protocol and family.");
  const responses = f("coredns_dns_responses_total", "counter", "Counter of response status codes.");
  const duration = f("coredns_dns_request_duration_seconds", "histogram", "Histogram of the time (in seconds) each request took per zone.");
  const reqSize = f("coredns_dns_request_size_bytes", "histogram", "Size of the EDNS0 UDP buffer in bytes (64K for TCP) per zone and protocol.");
  const respSize = f("coredns_dns_response_size_bytes", "histogram", "Size of the returned response in bytes.");
  const enabled = f("coredns_plugin_enabled", "gauge", "A metric that indicates whether a plugin is enabled on per server and zone basis.");
  const cacheEntries = f("coredns_cache_entries", "gauge", "The number of elements in the cache.");
  const cacheHits = f("coredns_cache_hits_total", "counter", "The count of cache hits.");
  const cacheMisses = f("coredns_cache_misses_total", "counter", "The count of cache misses. Deprecated, derive misses from cache hits/requests counters.");
  const cacheRequests = f("coredns_cache_requests_total", "counter", "The count of cache requests.");
  const proxyDuration = f("coredns_proxy_request_duration_seconds", "histogram", "Histogram of the time each request took.");
  const connHits = f("coredns_proxy_conn_cache_hits_total", "counter", "Counter of connection cache hits per upstream and protocol.");
  const connMisses = f("coredns_proxy_conn_cache_misses_total", "counter", "Counter of connection cache misses per upstream and protocol.");
  const healthFailures = f("coredns_proxy_healthcheck_failures_total", "counter", "Counter of the number of failed healthchecks.");
  const families: Family[] = [
    requests, responses, duration, reqSize, respSize, enabled, cacheEntries, cacheHits, cacheMisses, cacheRequests, proxyDuration, connHits, connMisses, healthFailures,
  ];
  const failedChecks = new Map<string, number>();

  // Most traffic goes to the root block; any other blocks (stub domains) share a tenth.
  const rootIndex = Math.max(0, blocks.findIndex((b) => b.zones.includes(".")));
  const blockShare = (i: number) => (blocks.length === 1 ? 1 : i === rootIndex ? 0.9 : 0.1 / (blocks.length - 1));
  const nx = input.load.errorRatio * (2 / 3);
  const servfail = input.load.errorRatio - nx;
  let anyForward = false;
  let anyHealth = false;

  blocks.forEach((block: ServerBlockSummary, i) => {
    const blockTotal = share(total, blockShare(i));
    const has = (p: string) => block.plugins.includes(p);
    anyForward ||= has("forward");
    anyHealth ||= has("health");
    for (const zone of block.zones) {
      const zoneTotal = share(blockTotal, 1 / block.zones.length);
      const base = { server: block.server, view: "", zone };
      for (const [proto, protoShare] of PROTOS) {
        for (const [type, typeShare] of QUERY_TYPES) {
          requests.samples.push({ labels: { ...base, proto, family: "1", type }, value: share(zoneTotal, protoShare * typeShare) });
        }
        const protoTotal = share(zoneTotal, protoShare);
        histogram(reqSize.samples, { ...base, proto }, SIZE_BUCKETS, REQUEST_SIZE_CDF, protoTotal, 48);
        histogram(respSize.samples, { ...base, proto }, SIZE_BUCKETS, RESPONSE_SIZE_CDF, protoTotal, 112);
      }
      const answeredBy = has("loadbalance") ? "loadbalance" : has("forward") ? "forward" : "";
      responses.samples.push({ labels: { ...base, rcode: "NOERROR", plugin: answeredBy }, value: share(zoneTotal, 1 - input.load.errorRatio) });
      responses.samples.push({ labels: { ...base, rcode: "NXDOMAIN", plugin: answeredBy }, value: share(zoneTotal, nx) });
      responses.samples.push({ labels: { ...base, rcode: "SERVFAIL", plugin: "" }, value: share(zoneTotal, servfail) });
      histogram(duration.samples, base, TIME_BUCKETS, DNS_LATENCY_CDF, zoneTotal, 0.0021);

      for (const plugin of new Set(block.plugins)) {
        if (!NOT_IN_CHAIN.has(plugin)) enabled.samples.push({ labels: { ...base, name: plugin }, value: 1 });
      }

      let misses = zoneTotal;
      if (has("cache")) {
        const hits = share(zoneTotal, CACHE_HIT_RATIO);
        misses = zoneTotal - hits;
        const cacheBase = { server: block.server, view: "", zones: zone };
        cacheHits.samples.push({ labels: { ...cacheBase, type: "success" }, value: share(hits, 0.7) });
        cacheHits.samples.push({ labels: { ...cacheBase, type: "denial" }, value: hits - share(hits, 0.7) });
        cacheMisses.samples.push({ labels: cacheBase, value: misses });
        cacheRequests.samples.push({ labels: cacheBase, value: zoneTotal });
        const wobble = Math.sin(elapsed / 120 + input.phase);
        cacheEntries.samples.push({ labels: { ...cacheBase, type: "success" }, value: Math.round(Math.min(zoneTotal, 340 + 90 * wobble)) });
        cacheEntries.samples.push({ labels: { ...cacheBase, type: "denial" }, value: Math.round(Math.min(zoneTotal, 130 + 40 * wobble)) });
      }
      if (has("forward") && block.forwardTo.length > 0) {
        const forwarded = share(misses, has("kubernetes") ? FORWARDED_SHARE : 1);
        for (const to of block.forwardTo) {
          const perUpstream = share(forwarded, 1 / block.forwardTo.length);
          const up = { proxy_name: "forward", to };
          histogram(proxyDuration.samples, { ...up, rcode: "NOERROR" }, TIME_BUCKETS, UPSTREAM_LATENCY_CDF, share(perUpstream, 1 - input.load.errorRatio), 0.0093);
          histogram(proxyDuration.samples, { ...up, rcode: "NXDOMAIN" }, TIME_BUCKETS, UPSTREAM_LATENCY_CDF, share(perUpstream, nx), 0.0088);
          histogram(proxyDuration.samples, { ...up, rcode: "SERVFAIL" }, TIME_BUCKETS, UPSTREAM_LATENCY_CDF, share(perUpstream, servfail), 0.41);
          connHits.samples.push({ labels: { ...up, proto: "udp" }, value: share(perUpstream, 0.985) });
          connMisses.samples.push({ labels: { ...up, proto: "udp" }, value: perUpstream - share(perUpstream, 0.985) });
          // An occasional failed health check (one every few minutes, staggered per upstream), counted once per
          // upstream even when several zones forward to it. CoreDNS creates the series at the first failure.
          if (!failedChecks.has(to)) {
            const offset = failedChecks.size * HEALTHCHECK_FAILURE_STAGGER_S;
            failedChecks.set(to, 1 + Math.floor((Math.max(0, elapsed) + offset) / HEALTHCHECK_FAILURE_EVERY_S));
            healthFailures.samples.push({ labels: up, value: failedChecks.get(to)! });
          }
        }
      }
    }
  });

  if (anyForward) {
    families.push(
      { name: "coredns_forward_healthcheck_broken_total", type: "counter", help: "Counter of the number of complete failures of the healthchecks.", samples: [{ labels: {}, value: 0 }] },
      { name: "coredns_forward_max_concurrent_rejects_total", type: "counter", help: "Counter of the number of queries rejected because the concurrent queries were at maximum.", samples: [{ labels: {}, value: 0 }] },
    );
  }
  if (anyHealth) {
    // The health plugin probes itself once a second.
    const probes = Math.floor(Math.max(0, elapsed));
    const h = f("coredns_health_request_duration_seconds", "histogram", "Histogram of the time (in seconds) each request took.");
    histogram(h.samples, {}, SLIM_TIME_BUCKETS, HEALTH_LATENCY_CDF, probes, 0.00042);
    families.push(h, { name: "coredns_health_request_failures_total", type: "counter", help: "The number of times the health check failed.", samples: [{ labels: {}, value: 0 }] });
  }

  const startSeconds = Math.floor(input.startedAt / 1000);
  families.push(
    { name: "coredns_build_info", type: "gauge", help: "A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.", samples: [{ labels: { version: COREDNS_VERSION, revision: COREDNS_REVISION, goversion: GO_VERSION }, value: 1 }] },
    { name: "coredns_panics_total", type: "counter", help: "A metrics that counts the number of panics.", samples: [{ labels: {}, value: 0 }] },
    { name: "coredns_reload_failed_total", type: "counter", help: "Counter of the number of failed reload attempts.", samples: [{ labels: {}, value: input.reloadFailures }] },
    { name: "coredns_reload_version_info", type: "gauge", help: "A metric with a constant '1' value labeled by hash, and value which type of hash generated.", samples: input.reloadHash ? [{ labels: { hash: "sha512", value: input.reloadHash }, value: 1 }] : [] },
    { name: "go_goroutines", type: "gauge", help: "Number of goroutines that currently exist.", samples: [{ labels: {}, value: 38 + (total % 7) }] },
    { name: "go_threads", type: "gauge", help: "Number of OS threads created.", samples: [{ labels: {}, value: 12 }] },
    { name: "go_info", type: "gauge", help: "Information about the Go environment.", samples: [{ labels: { version: GO_VERSION }, value: 1 }] },
    { name: "go_memstats_alloc_bytes", type: "gauge", help: "Number of bytes allocated in heap and currently in use. Equals to /memory/classes/heap/objects:bytes.", samples: [{ labels: {}, value: 9_437_184 + (total % 1_048_576) }] },
    { name: "go_memstats_heap_inuse_bytes", type: "gauge", help: "Number of heap bytes that are in use. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes", samples: [{ labels: {}, value: 12_582_912 }] },
    { name: "go_memstats_sys_bytes", type: "gauge", help: "Number of bytes obtained from system. Equals to /memory/classes/total:byte.", samples: [{ labels: {}, value: 32_315_408 }] },
    { name: "process_cpu_seconds_total", type: "counter", help: "Total user and system CPU time spent in seconds.", samples: [{ labels: {}, value: Number((elapsed * 0.004 + total * 0.00002).toFixed(2)) }] },
    { name: "process_max_fds", type: "gauge", help: "Maximum number of open file descriptors.", samples: [{ labels: {}, value: 1_048_576 }] },
    { name: "process_open_fds", type: "gauge", help: "Number of open file descriptors.", samples: [{ labels: {}, value: 15 }] },
    { name: "process_resident_memory_bytes", type: "gauge", help: "Resident memory size in bytes.", samples: [{ labels: {}, value: 48_627_712 }] },
    { name: "process_start_time_seconds", type: "gauge", help: "Start time of the process since unix epoch in seconds.", samples: [{ labels: {}, value: startSeconds }] },
    { name: "process_virtual_memory_bytes", type: "gauge", help: "Virtual memory size in bytes.", samples: [{ labels: {}, value: 1_310_851_072 }] },
  );
  return render(families);
}

/** The Content-Type a Prometheus client library sends for text format 0.0.4. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
