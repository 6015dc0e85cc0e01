/**
 * From two consecutive scrapes of one pod to the values stored for the interval between them: rates per second,
 * latency quantiles from the change of the request-duration histogram, gauges, and counts of reloads, failed reloads
 * and panics. The scrape is read by coredns-metrics.ts (old and new metric names). Pure: no I/O.
 */
import { histogramQuantile, increase, rate, rateByKey, subtractHistogram, type CoreDnsMetrics, type Counts, type Histogram } from "./coredns-metrics";
import { capLabelledRows, emptyLabelledRow, type LabelledRow } from "./labelled";
import type { PointValues, ReloadState, UpstreamRates } from "./storage";

/** One pod's scrape as the derivation needs it: when it was taken and what it said. */
export type TimedScrape = { at: number; metrics: CoreDnsMetrics };

/** Plugins whose upstream traffic is the "forward" chart (the proxy plugin of CoreDNS < 1.5 was its predecessor). */
const FORWARDING_PLUGINS = new Set(["forward", "proxy"]);
/** Answers from an upstream that are not errors: an existing name, or a name that does not exist. */
const UPSTREAM_OK_RCODES = new Set(["NOERROR", "NXDOMAIN"]);
const MAIN_RCODES = ["NOERROR", "NXDOMAIN", "SERVFAIL"] as const;

/** What a pod publishes about reloads, plus its process start (to tell a restart from a reload). */
export function readReloadState(metrics: CoreDnsMetrics): ReloadState {
  const start = metrics.process.startTimeSeconds;
  return {
    processStartAt: start === null ? null : Math.round(start * 1000),
    hash: metrics.reload.hash,
    failedTotal: metrics.reload.failedTotal,
  };
}

function sumWhere(counts: Counts, keep: (key: string) => boolean): number {
  let total = 0;
  for (const [key, value] of Object.entries(counts)) if (keep(key)) total += value;
  return total;
}

function quantileOrNull(buckets: Parameters<typeof histogramQuantile>[0], q: number): number | null {
  const value = histogramQuantile(buckets, q);
  return Number.isFinite(value) ? value : null;
}

/** Requests and error answers of each forwarding upstream so far. */
function forwardTotals(metrics: CoreDnsMetrics): Map<string, { requests: number; errors: number }> {
  const totals = new Map<string, { requests: number; errors: number }>();
  for (const upstream of metrics.upstreams) {
    if (!FORWARDING_PLUGINS.has(upstream.plugin)) continue;
    const answered = sumWhere(upstream.responsesByRcode, () => true);
    const requests = upstream.requests ?? (answered > 0 ? answered : upstream.duration?.count ?? 0);
    const errors = sumWhere(upstream.responsesByRcode, (rcode) => !UPSTREAM_OK_RCODES.has(rcode));
    const entry = totals.get(upstream.to) ?? { requests: 0, errors: 0 };
    entry.requests += requests;
    entry.errors += errors;
    totals.set(upstream.to, entry);
  }
  return totals;
}

/**
 * The stored values of the interval between two scrapes of the same pod. Counters follow Prometheus' rules (a counter
 * that went down was reset by a restart and counts from 0). Without a previous scrape only the gauges are known.
 */
export function deriveInterval(previous: TimedScrape | null, current: TimedScrape): PointValues {
  const now = current.metrics;
  const before = previous?.metrics;
  const seconds = previous ? (current.at - previous.at) / 1000 : 0;
  const perSecond = (a: number | null | undefined, b: number | null | undefined) => (before ? rate(a, b, seconds) : null);
  const counted = (a: number | null | undefined, b: number | null | undefined) =>
    before && seconds > 0 && a != null && b != null ? increase(a, b) : null;

  let latency: (number | null)[] = [null, null, null];
  if (before && seconds > 0 && now.requestDuration.all) {
    const interval = subtractHistogram(before.requestDuration.all, now.requestDuration.all);
    latency = [0.5, 0.9, 0.99].map((q) => quantileOrNull(interval.buckets, q));
  }

  let forwardUpstreams: Record<string, UpstreamRates> | null = null;
  let forwardRequests: number | null = null;
  let forwardErrors: number | null = null;
  const forwardNow = forwardTotals(now);
  if (before && seconds > 0 && forwardNow.size > 0) {
    const forwardBefore = forwardTotals(before);
    forwardUpstreams = {};
    forwardRequests = 0;
    forwardErrors = 0;
    for (const [upstream, counts] of forwardNow) {
      const old = forwardBefore.get(upstream) ?? { requests: 0, errors: 0 };
      const rates = { requests: rate(old.requests, counts.requests, seconds) ?? 0, errors: rate(old.errors, counts.errors, seconds) ?? 0 };
      forwardUpstreams[upstream] = rates;
      forwardRequests += rates.requests;
      forwardErrors += rates.errors;
    }
  }

  const byType = (type: string) => now.requests.byType[type] ?? 0;
  const typeBefore = (type: string) => before?.requests.byType[type] ?? 0;
  const otherTypes = (counts: Counts) => sumWhere(counts, (t) => t !== "A" && t !== "AAAA");
  const hasTypes = Object.keys(now.requests.byType).length > 0;
  const rcode = (m: CoreDnsMetrics | undefined, code: string) => m?.responses.byRcode[code] ?? 0;
  const otherRcodes = (m: CoreDnsMetrics | undefined) => (m ? sumWhere(m.responses.byRcode, (c) => !(MAIN_RCODES as readonly string[]).includes(c)) : 0);

  const failures = counted(before?.reload.failedTotal, now.reload.failedTotal);
  // CoreDNS counts no successful reloads: a newly published hash without a failed attempt is one.
  const reloads = before && seconds > 0 ? (before.reload.hash !== now.reload.hash && now.reload.hash !== null && !failures ? 1 : 0) : null;

  return {
    qps: perSecond(before?.requests.total, now.requests.total),
    qpsA: hasTypes ? perSecond(typeBefore("A"), byType("A")) : null,
    qpsAaaa: hasTypes ? perSecond(typeBefore("AAAA"), byType("AAAA")) : null,
    qpsOther: hasTypes ? perSecond(before ? otherTypes(before.requests.byType) : 0, otherTypes(now.requests.byType)) : null,
    rcodeNoerror: perSecond(rcode(before, "NOERROR"), rcode(now, "NOERROR")),
    rcodeNxdomain: perSecond(rcode(before, "NXDOMAIN"), rcode(now, "NXDOMAIN")),
    rcodeServfail: perSecond(rcode(before, "SERVFAIL"), rcode(now, "SERVFAIL")),
    rcodeOther: perSecond(otherRcodes(before), otherRcodes(now)),
    latencyP50: latency[0]!,
    latencyP90: latency[1]!,
    latencyP99: latency[2]!,
    cacheHits: perSecond(before?.cache.hits, now.cache.hits),
    cacheMisses: perSecond(cacheMisses(before), cacheMisses(now)),
    cacheEntries: now.cache.entries,
    forwardRequests,
    forwardErrors,
    forwardUpstreams,
    reloads,
    reloadFailures: failures,
    panics: counted(before?.panics, now.panics),
    forwardHealthcheckBroken: counted(before?.forwardHealthcheckBroken, now.forwardHealthcheckBroken),
    cpuCores: perSecond(before?.process.cpuSecondsTotal, now.process.cpuSecondsTotal),
    rssBytes: now.process.residentMemoryBytes,
  };
}

/** Cache misses: requests - hits where CoreDNS has both (1.14 deprecates the misses counter), else the counter. */
function cacheMisses(metrics: CoreDnsMetrics | undefined): number | null {
  if (!metrics) return null;
  const { hits, requests, misses } = metrics.cache;
  return hits !== null && requests !== null ? requests - hits : misses;
}

/** Per forwarding upstream: the summed duration histogram and health-check failures (forward and proxy plugins). */
function forwardDetails(metrics: CoreDnsMetrics): Map<string, { duration: Histogram | null; failures: number | null }> {
  const details = new Map<string, { duration: Histogram | null; failures: number | null }>();
  for (const upstream of metrics.upstreams) {
    if (!FORWARDING_PLUGINS.has(upstream.plugin)) continue;
    const entry = details.get(upstream.to) ?? { duration: null, failures: null };
    if (upstream.duration) entry.duration = entry.duration ? addHistograms(entry.duration, upstream.duration) : upstream.duration;
    if (upstream.healthcheckFailures !== null) entry.failures = (entry.failures ?? 0) + upstream.healthcheckFailures;
    details.set(upstream.to, entry);
  }
  return details;
}

function addHistograms(a: Histogram, b: Histogram): Histogram {
  const counts = new Map(a.buckets.map((bucket) => [bucket.le, bucket.count]));
  for (const bucket of b.buckets) counts.set(bucket.le, (counts.get(bucket.le) ?? 0) + bucket.count);
  return { buckets: [...counts].map(([le, count]) => ({ le, count })).sort((x, y) => x.le - y.le), sum: a.sum + b.sum, count: a.count + b.count };
}

/**
 * The labelled series of the interval between two scrapes of one pod (see labelled.ts): queries per second per zone
 * and server, responses per second per answering plugin (only where CoreDNS sets the `plugin` label), and per forward
 * upstream its requests and errors per second, latency p50/p99 from the change of its duration histogram, and failed
 * health checks. Capped to the largest label values per kind. Empty without a previous scrape.
 */
export function deriveLabelledRows(previous: TimedScrape | null, current: TimedScrape): LabelledRow[] {
  if (!previous) return [];
  const seconds = (current.at - previous.at) / 1000;
  if (!(seconds > 0)) return [];
  const now = current.metrics;
  const before = previous.metrics;
  const rows: LabelledRow[] = [];

  for (const [key, rates] of Object.entries(rateByKey(before.requests.byZoneServer, now.requests.byZoneServer, seconds))) {
    const [zone, server] = key.split("\u0000") as [string, string];
    rows.push({ ...emptyLabelledRow("zone", server ? `${zone} ${server}` : zone), value: rates });
  }
  for (const [plugin, rates] of Object.entries(rateByKey(before.responses.byPlugin, now.responses.byPlugin, seconds))) {
    rows.push({ ...emptyLabelledRow("plugin", plugin), value: rates });
  }

  const totalsNow = forwardTotals(now);
  const totalsBefore = forwardTotals(before);
  const detailsNow = forwardDetails(now);
  const detailsBefore = forwardDetails(before);
  for (const [to, counts] of totalsNow) {
    const old = totalsBefore.get(to) ?? { requests: 0, errors: 0 };
    const row = {
      ...emptyLabelledRow("upstream", to),
      value: rate(old.requests, counts.requests, seconds),
      errors: rate(old.errors, counts.errors, seconds),
    };
    const detail = detailsNow.get(to);
    const oldDetail = detailsBefore.get(to);
    if (detail?.duration) {
      const interval = subtractHistogram(oldDetail?.duration ?? null, detail.duration);
      if (interval.count > 0) {
        row.p50 = quantileOrNull(interval.buckets, 0.5);
        row.p99 = quantileOrNull(interval.buckets, 0.99);
      }
    }
    // CoreDNS creates the failure counter at the first failure: a counter absent before counted from 0.
    if (detail?.failures != null) row.failures = increase(oldDetail?.failures ?? 0, detail.failures);
    rows.push(row);
  }
  return capLabelledRows(rows);
}
