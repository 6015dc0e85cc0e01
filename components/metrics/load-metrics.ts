import "server-only";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { getCollectionStatus, getLatestPodScrapes, getMetricsCollector, readCollectorSettings, type PodScrapeStatus } from "@/lib/metrics/collector";
import { lacksResponsePluginLabel } from "@/lib/metrics/coredns-metrics";
import { getRolloutSummaries, type RolloutStatus } from "@/lib/metrics/rollout";
import { queryStoredMetrics, querySeries, type MetricName, type SeriesQuery, type SeriesResult } from "@/lib/metrics/storage-query";
import { listRevisions, type RevisionSummary } from "@/lib/revisions/revisions";
import { MAX_CHART_POINTS, hasValues, toCacheHitRatioChart, toChart, toErrorShareChart, type ChartData } from "./chart-data";
import type { PodChoice, TimeRange } from "./time-ranges";

/**
 * Loads what the metrics page and the overview show, as plain data for the browser: the charts of one cluster over a
 * time range, the revisions applied in it (with their rollout), the collector's state and the enabled plugins.
 * Reads lib/metrics and lib/revisions only; the shaping lives in ./chart-data.
 */

/** A revision applied within a chart's range, drawn as a marker. */
export type RevisionMarker = {
  revisionId: string;
  number: number;
  /** Seconds since the epoch. */
  time: number;
  label: string;
  description: string;
  tone: "normal" | "bad";
  overall: RolloutStatus["overall"] | null;
};

/** Whether and how metrics are being collected for the cluster. */
export type CollectionView = {
  /** False when this Coredeck process does not scrape (COREDECK_METRICS=off): only stored data is shown. */
  isCollecting: boolean;
  intervalSeconds: number;
  /** Epoch ms of the collector's last round for this cluster; null before the first. */
  lastRoundAt: number | null;
  /** Why the last round could not list the pods. */
  error: string | null;
  pods: PodScrapeStatus[];
};

/** The plugins one server block runs, as `coredns_plugin_enabled` reports them, and on which pods. */
export type PluginRow = { server: string; zone: string; view: string; plugins: string[]; pods: string[] };

export type MetricsDashboardData = {
  from: number;
  to: number;
  charts: ChartData[];
  markers: RevisionMarker[];
  collection: CollectionView;
  plugins: PluginRow[];
  /** Pods known to the collector or present in the data, for the pod picker. */
  pods: string[];
  /** Whether any chart has a value in the range. */
  hasData: boolean;
};

/** At most this many revisions are read to find the ones in a range (30 days of a busy cluster). */
const MAX_REVISIONS_SCANNED = 1000;
const REVISION_PAGE = 200;

/** The revisions created within [from, to], newest first, found by paging the history from the newest. */
export async function listRevisionsBetween(clusterId: string, from: number, to: number): Promise<RevisionSummary[]> {
  const found: RevisionSummary[] = [];
  let cursor: string | null = null;
  for (let scanned = 0; scanned < MAX_REVISIONS_SCANNED; scanned += REVISION_PAGE) {
    const page: Awaited<ReturnType<typeof listRevisions>> = await listRevisions(clusterId, { cursor, limit: REVISION_PAGE });
    for (const revision of page.revisions) {
      const at = revision.createdAt.getTime();
      if (at <= to && at >= from) found.push(revision);
    }
    const oldest = page.revisions.at(-1);
    if (!page.nextCursor || !oldest || oldest.createdAt.getTime() < from) break;
    cursor = page.nextCursor;
  }
  return found;
}

const OVERALL_WORDS: Record<RolloutStatus["overall"], string> = {
  loaded: "loaded by every pod",
  rejected: "rejected by at least one pod",
  waiting: "still rolling out",
  unknown: "rollout unknown",
};

/** Markers for the revisions applied in [from, to], red where a pod rejected the revision. */
export async function loadRevisionMarkers(clusterId: string, from: number, to: number): Promise<RevisionMarker[]> {
  const revisions = await listRevisionsBetween(clusterId, from, to);
  if (revisions.length === 0) return [];
  const rollouts = new Map((await getRolloutSummaries(clusterId, revisions.map((r) => r.id))).map((s) => [s.revisionId, s]));
  return revisions
    .map((revision) => {
      const rollout = rollouts.get(revision.id) ?? null;
      const overall = rollout?.overall ?? null;
      const what = revision.message ? `“${revision.message.slice(0, 80)}”` : "(no message)";
      return {
        revisionId: revision.id,
        number: revision.number,
        time: Math.round(revision.createdAt.getTime() / 1000),
        label: `r${revision.number}`,
        description: `r${revision.number}: revision ${revision.number} by ${revision.author} ${what}${overall ? `, ${OVERALL_WORDS[overall]}` : ""}`,
        tone: overall === "rejected" ? ("bad" as const) : ("normal" as const),
        overall,
      };
    })
    .reverse();
}

/** The collector's view of a cluster, whether or not it runs in this process. */
export function readCollectionView(clusterId: string): CollectionView {
  const settings = readCollectorSettings();
  const status = getCollectionStatus(clusterId);
  return {
    isCollecting: getMetricsCollector() !== null,
    intervalSeconds: Math.round(settings.intervalMs / 1000),
    lastRoundAt: status?.lastRoundAt ?? null,
    error: status?.error ?? null,
    pods: status?.pods ?? [],
  };
}

/** The enabled plugins per server block from the latest scrapes, merged across pods. */
export function readEnabledPlugins(clusterId: string): PluginRow[] {
  const rows = new Map<string, PluginRow>();
  for (const scrape of getLatestPodScrapes(clusterId)) {
    for (const entry of scrape.metrics.pluginsEnabled) {
      const plugins = [...entry.plugins].sort();
      const key = [entry.server, entry.zone, entry.view, plugins.join(",")].join("\u0000");
      const row = rows.get(key);
      if (row) row.pods.push(scrape.pod.name);
      else rows.set(key, { server: entry.server, zone: entry.zone, view: entry.view, plugins, pods: [scrape.pod.name] });
    }
  }
  return [...rows.values()].sort((a, b) => a.server.localeCompare(b.server) || a.zone.localeCompare(b.zone));
}

/** Every metric the page charts. */
export const DASHBOARD_METRICS: readonly MetricName[] = [
  "qps",
  "qpsByType",
  "qpsByZone",
  "responsesByRcode",
  "responsesByPlugin",
  "latency",
  "cache",
  "cacheEntries",
  "forward",
  "forwardLatency",
  "healthcheckFailures",
  "reloads",
  "panics",
  "cpu",
  "memory",
];

/**
 * The page's series: from the local store in one scan per table, already reduced to the charts' resolution
 * (queryStoredMetrics), or from Prometheus (one query_range per series) when PROMETHEUS_URL is set.
 */
export async function loadDashboardSeries(query: Omit<SeriesQuery, "metric">): Promise<Record<MetricName, SeriesResult>> {
  if (process.env.PROMETHEUS_URL?.trim()) {
    const results = await Promise.all(DASHBOARD_METRICS.map((metric) => querySeries({ ...query, metric })));
    return Object.fromEntries(DASHBOARD_METRICS.map((metric, i) => [metric, results[i]!])) as Record<MetricName, SeriesResult>;
  }
  return (await queryStoredMetrics({ ...query, metrics: DASHBOARD_METRICS, maxPoints: MAX_CHART_POINTS - 1 })) as Record<MetricName, SeriesResult>;
}

/**
 * Why the answering-plugin chart is empty when the pods do not say: the CoreDNS versions of the latest scrapes that
 * count responses without the `plugin` label. Empty when every pod sets it (or nothing was scraped).
 */
export function listVersionsWithoutPluginLabel(clusterId: string): string[] {
  const versions = new Set<string>();
  for (const scrape of getLatestPodScrapes(clusterId)) {
    if (lacksResponsePluginLabel(scrape.metrics)) versions.add(scrape.metrics.build?.version ?? "unknown version");
  }
  return [...versions].sort();
}

/** Loads one cluster's charts over a time range, per pod or for the whole cluster. */
export async function loadMetricsDashboard(
  cluster: ClusterSummary,
  options: { range: TimeRange; pod: PodChoice; now?: number },
): Promise<MetricsDashboardData> {
  const to = options.now ?? Date.now();
  const from = to - options.range.ms;
  const base: Omit<SeriesQuery, "metric"> = {
    clusterId: cluster.id,
    from,
    to,
    now: to,
    ...(options.pod.kind === "aggregate" ? { aggregate: true } : {}),
    ...(options.pod.kind === "pod" ? { pod: options.pod.pod } : {}),
  };
  const [r, markers] = await Promise.all([loadDashboardSeries(base), loadRevisionMarkers(cluster.id, from, to)]);
  const results = Object.values(r);
  const withoutPluginLabel = listVersionsWithoutPluginLabel(cluster.id);

  const charts: ChartData[] = [
    toChart(r.qps, { id: "qps", title: "Queries per second", format: "rate", emptyNote: "No queries recorded in this range." }),
    toChart(r.qpsByType, { id: "qps-by-type", title: "Queries per second by type", format: "rate", emptyNote: "No queries recorded in this range." }),
    toChart(r.qpsByZone, {
      id: "qps-by-zone",
      title: "Queries per second by zone and server",
      format: "rate",
      emptyNote: "No queries recorded in this range.",
    }),
    toChart(r.responsesByRcode, { id: "responses-by-rcode", title: "Responses per second by rcode", format: "rate", emptyNote: "No responses recorded in this range." }),
    toChart(r.responsesByPlugin, {
      id: "responses-by-plugin",
      title: "Responses per second by answering plugin",
      format: "rate",
      emptyNote:
        withoutPluginLabel.length > 0
          ? `Not reported by this CoreDNS version (${withoutPluginLabel.join(", ")}): it does not label responses with the plugin that wrote them. Newer releases do.`
          : "No responses recorded in this range.",
    }),
    toErrorShareChart(r.responsesByRcode),
    toChart(r.latency, { id: "latency", title: "Latency p50, p90 and p99", format: "seconds", emptyNote: "No request durations in this range." }),
    toCacheHitRatioChart(r.cache),
    toChart(r.cacheEntries, { id: "cache-entries", title: "Cache entries", format: "count", emptyNote: "No cache size reported (is the cache plugin enabled?)." }),
    toChart(r.forward, {
      id: "forward",
      title: "Forward requests and errors per upstream",
      format: "rate",
      emptyNote: "No forwarded requests in this range (no forward plugin, or every answer came from cache or the cluster).",
    }),
    toChart(r.forwardLatency, {
      id: "forward-latency",
      title: "Forward latency per upstream (p50, p99)",
      format: "seconds",
      emptyNote: "No forwarded requests in this range (no forward plugin, or every answer came from cache or the cluster).",
    }),
    toChart(r.healthcheckFailures, {
      id: "healthcheck-failures",
      title: "Health-check failures per upstream",
      format: "count",
      mode: "sum",
      emptyNote: "No health-check failures reported in this range (CoreDNS publishes the counter from an upstream's first failed check).",
    }),
    toChart(r.reloads, { id: "reloads", title: "Reloads and failed reloads", format: "count", mode: "sum", emptyNote: "No reload counts in this range." }),
    toChart(r.panics, { id: "panics", title: "Panics", format: "count", mode: "sum", emptyNote: "No panic counts in this range." }),
    toChart(r.cpu, { id: "cpu", title: "CPU", format: "cores", emptyNote: "No process CPU reported in this range." }),
    toChart(r.memory, { id: "memory", title: "Resident memory", format: "bytes", emptyNote: "No process memory reported in this range." }),
  ];

  const collection = readCollectionView(cluster.id);
  const pods = new Set<string>(collection.pods.map((p) => p.pod));
  for (const result of results) for (const line of result.series) if (line.pod) pods.add(line.pod);
  if (options.pod.kind === "pod") pods.add(options.pod.pod);

  return {
    from,
    to,
    charts,
    markers,
    collection,
    plugins: readEnabledPlugins(cluster.id),
    pods: [...pods].sort(),
    hasData: charts.some(hasValues),
  };
}
