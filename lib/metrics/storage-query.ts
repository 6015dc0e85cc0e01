import "server-only";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import { RAW_RETENTION_MS, ROLLUP_BUCKET_MS, selectMetricRows, weightedLatencySql, type PointField, type UpstreamRates } from "./storage";

/**
 * The charts' query: one metric of a cluster over a time range, per pod or for the whole cluster, in columns
 * (timestamps and one value array per series), which is what uPlot takes.
 */

/** What the metrics page can chart. */
export const METRICS = {
  qps: { unit: "queries/s", series: [["total", "qps"]] },
  qpsByType: { unit: "queries/s", series: [["A", "qpsA"], ["AAAA", "qpsAaaa"], ["other", "qpsOther"]] },
  responsesByRcode: {
    unit: "responses/s",
    series: [["NOERROR", "rcodeNoerror"], ["NXDOMAIN", "rcodeNxdomain"], ["SERVFAIL", "rcodeServfail"], ["other", "rcodeOther"]],
  },
  latency: { unit: "seconds", series: [["p50", "latencyP50"], ["p90", "latencyP90"], ["p99", "latencyP99"]] },
  cache: { unit: "requests/s", series: [["hits", "cacheHits"], ["misses", "cacheMisses"]] },
  cacheEntries: { unit: "entries", series: [["entries", "cacheEntries"]] },
  /** Totals; per upstream series are added from the stored upstream rates ("<upstream> requests", "<upstream> errors"). */
  forward: { unit: "requests/s", series: [["requests", "forwardRequests"], ["errors", "forwardErrors"]] },
  reloads: { unit: "count", series: [["reloads", "reloads"], ["failed reloads", "reloadFailures"]] },
  panics: { unit: "count", series: [["panics", "panics"]] },
  cpu: { unit: "cores", series: [["cpu", "cpuCores"]] },
  memory: { unit: "bytes", series: [["resident memory", "rssBytes"]] },
} as const satisfies Record<string, { unit: string; series: readonly (readonly [string, PointField])[] }>;

export type MetricName = keyof typeof METRICS;

export type Resolution = "15s" | "5m";

export type SeriesQuery = {
  clusterId: string;
  metric: MetricName;
  from: Date | number;
  to: Date | number;
  /** One pod's series. */
  pod?: string;
  /** The cluster's series (sums over pods; latency weighted by each pod's query rate). Without `pod` or `aggregate`: one series per pod. */
  aggregate?: boolean;
  /** Default "auto": 15 s points when the range starts within their 24 h retention, 5-minute rollups otherwise. */
  resolution?: Resolution | "auto";
  /** For "auto" (tests); default Date.now(). */
  now?: number;
};

export type SeriesResult = {
  metric: MetricName;
  unit: string;
  resolution: Resolution;
  /** Nominal distance between points. */
  stepMs: number;
  from: number;
  to: number;
  /** Epoch milliseconds, ascending; each series has one value (or null: no data) per timestamp. */
  timestamps: number[];
  /** `pod` is set on per-pod series. */
  series: { name: string; pod?: string; values: (number | null)[] }[];
};

/** The scrape interval the 15 s points are written at (the default; see collector.ts). */
export const RAW_STEP_MS = 15_000;

/** Which table serves a range: the raw points while they still cover its start, the rollups beyond. */
export function chooseResolution(from: number, now: number): Resolution {
  return from >= now - RAW_RETENTION_MS ? "15s" : "5m";
}

const LATENCY_FIELDS = new Set<PointField>(["latencyP50", "latencyP90", "latencyP99"]);
type LatencyField = "latencyP50" | "latencyP90" | "latencyP99";

/**
 * Reads one metric of a cluster for a chart. Per pod (`pod`), for the cluster (`aggregate`), or one series per pod
 * (neither). The resolution follows the range (see {@link chooseResolution}) unless `resolution` says otherwise.
 * With `PROMETHEUS_URL` set, the series come from that Prometheus (PromQL, see prometheus-source.ts) instead of the
 * local store; the result has the same shape either way.
 */
export async function querySeries(query: SeriesQuery, db: PrismaClient = getDb()): Promise<SeriesResult> {
  if (process.env.PROMETHEUS_URL?.trim()) {
    // Loaded only when configured (and no static import cycle: the Prometheus source reads METRICS from here).
    const { queryPrometheusSeries, readPrometheusSettings } = await import("./prometheus-source");
    return queryPrometheusSeries(query, readPrometheusSettings()!, db);
  }
  return queryStoredSeries(query, db);
}

/**
 * {@link querySeries} from the local store. SQLite does the work: it reads only the chart's columns of the cluster's
 * pods (a primary-key range per pod), and for the cluster or one pod sums per timestamp (GROUP BY "at"; latency
 * weighted by query rate), so JavaScript only copies columns into arrays.
 */
export async function queryStoredSeries(query: SeriesQuery, db: PrismaClient = getDb()): Promise<SeriesResult> {
  const from = Number(query.from);
  const to = Number(query.to);
  const resolution = !query.resolution || query.resolution === "auto" ? chooseResolution(from, query.now ?? Date.now()) : query.resolution;
  const definition = METRICS[query.metric];
  const table = resolution === "15s" ? "MetricPoint" : "MetricRollup";
  // A rollup's `at` is its bucket's start: include the bucket that holds `from`.
  const readFrom = resolution === "5m" ? Math.floor(from / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS : from;
  const fields = definition.series.map(([, field]) => field as PointField);
  const hasUpstreams = query.metric === "forward";
  const podFilter = `t."podId" IN (SELECT "id" FROM "MetricPod" WHERE "clusterId" = ?${query.pod === undefined ? "" : ` AND "name" = ?`})`;
  const parameters = [query.clusterId, ...(query.pod === undefined ? [] : [query.pod]), readFrom, to];
  const where = `${podFilter} AND t."at" >= ? AND t."at" <= ?`;
  const result: SeriesResult = {
    metric: query.metric,
    unit: definition.unit,
    resolution,
    stepMs: resolution === "15s" ? RAW_STEP_MS : ROLLUP_BUCKET_MS,
    from,
    to,
    timestamps: [],
    series: [],
  };

  if (query.aggregate || query.pod !== undefined) {
    const sums = fields.map((f) => (LATENCY_FIELDS.has(f) ? weightedLatencySql("t", f as LatencyField) : `SUM(t."${f}")`));
    const rows = await selectMetricRows(`SELECT t."at", ${sums.join(", ")} FROM "${table}" t WHERE ${where} GROUP BY t."at" ORDER BY t."at"`, parameters, db);
    result.timestamps = rows.map((row) => Number(row[0]));
    const pod = query.pod === undefined ? {} : { pod: query.pod };
    result.series = definition.series.map(([name], i) => ({ name, ...pod, values: rows.map((row) => (row[i + 1] as number | null) ?? null) }));
    if (hasUpstreams) {
      const upstreamRows = await selectMetricRows(
        `SELECT t."at", u."key", SUM(json_extract(u."value", '$.requests')), SUM(json_extract(u."value", '$.errors'))
         FROM "${table}" t, json_each(t."forwardUpstreams") u WHERE ${where} AND t."forwardUpstreams" IS NOT NULL GROUP BY t."at", u."key"`,
        parameters,
        db,
      );
      const index = new Map(result.timestamps.map((at, i) => [at, i]));
      result.series.push(...upstreamSeries(upstreamRows, (row) => index.get(Number(row[0])), result.timestamps.length, 1, pod));
    }
    return result;
  }

  // One series per pod. SQLite reads each pod's rows in key order (no sort) and hands over one JSON array per column
  // and pod (SQLite 3.43+ prints REALs so that they read back exactly): far cheaper than a JavaScript row per point.
  const columns = [
    `json_group_array(t."at")`,
    ...fields.map((f) => `json_group_array(${LATENCY_FIELDS.has(f) ? `CASE WHEN t."qps" > 0 THEN t."${f}" END` : `t."${f}"`})`),
    ...(hasUpstreams ? [`json_group_array(json(t."forwardUpstreams"))`] : []),
  ];
  const [rows, podRows] = await Promise.all([
    selectMetricRows(`SELECT t."podId", ${columns.join(", ")} FROM "${table}" t WHERE ${where} GROUP BY t."podId"`, parameters, db),
    selectMetricRows(`SELECT "id", "name" FROM "MetricPod" WHERE "clusterId" = ?`, [query.clusterId], db),
  ]);
  const names = new Map(podRows.map((row) => [Number(row[0]), String(row[1])]));
  const pods = rows
    .map((row) => {
      const [times, ...values] = row.slice(1).map((json) => JSON.parse(json as string) as unknown[]);
      return { name: names.get(Number(row[0])) ?? "", ...inTimeOrder(times as number[], values) };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const union = new Set<number>();
  for (const pod of pods) for (const at of pod.times) union.add(at);
  result.timestamps = [...union].sort((a, b) => a - b);
  const index = new Map(result.timestamps.map((at, i) => [at, i]));
  const size = result.timestamps.length;
  const position = (pod: { times: number[] }) => (size === pod.times.length ? null : pod.times.map((at) => index.get(at)!));
  // Every pod gets a column per upstream any pod used, as the cluster's chart lists them.
  const upstreamNames = hasUpstreams
    ? [...new Set(pods.flatMap((pod) => (pod.values[fields.length] as (Record<string, UpstreamRates> | null)[]).flatMap((u) => (u ? Object.keys(u) : []))))].sort()
    : [];
  for (const pod of pods) {
    // Each pod's points in the shared timeline (a pod that missed rounds has gaps).
    const at = position(pod);
    const spread = (values: readonly (number | null)[]) => {
      if (!at) return values.map((v) => (typeof v === "number" ? v : null));
      const out = new Array<number | null>(size).fill(null);
      for (let i = 0; i < values.length; i++) out[at[i]!] = typeof values[i] === "number" ? values[i]! : null;
      return out;
    };
    result.series.push(...definition.series.map(([name], i) => ({ name, pod: pod.name, values: spread(pod.values[i] as (number | null)[]) })));
    if (hasUpstreams) {
      const perPoint = pod.values[fields.length] as (Record<string, UpstreamRates> | null)[];
      for (const upstream of upstreamNames) {
        for (const kind of ["requests", "errors"] as const) {
          result.series.push({ name: `${upstream} ${kind}`, pod: pod.name, values: spread(perPoint.map((u) => u?.[upstream]?.[kind] ?? null)) });
        }
      }
    }
  }
  return result;
}

/**
 * A pod's timestamps and value columns, ascending by time. SQLite hands them over in key order; should a future
 * query plan not, they are sorted here rather than charted out of order.
 */
function inTimeOrder(times: number[], values: unknown[][]): { times: number[]; values: unknown[][] } {
  let isSorted = true;
  for (let i = 1; i < times.length && isSorted; i++) isSorted = times[i - 1]! < times[i]!;
  if (isSorted) return { times, values };
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
  return { times: order.map((i) => times[i]!), values: values.map((column) => order.map((i) => column[i])) };
}

/** "<upstream> requests" and "<upstream> errors" columns from rows of [at, upstream, requests, errors], upstreams sorted by name. */
function upstreamSeries(
  rows: readonly unknown[][],
  position: (row: readonly unknown[]) => number | undefined,
  size: number,
  offset: number,
  pod: { pod?: string },
): SeriesResult["series"] {
  const columns = new Map<string, { requests: (number | null)[]; errors: (number | null)[] }>();
  for (const name of [...new Set(rows.map((row) => String(row[offset])))].sort()) {
    columns.set(name, { requests: new Array<number | null>(size).fill(null), errors: new Array<number | null>(size).fill(null) });
  }
  for (const row of rows) {
    const at = position(row);
    const column = columns.get(String(row[offset]));
    if (at === undefined || !column) continue;
    column.requests[at] = typeof row[offset + 1] === "number" ? (row[offset + 1] as number) : null;
    column.errors[at] = typeof row[offset + 2] === "number" ? (row[offset + 2] as number) : null;
  }
  return [...columns].flatMap(([upstream, column]) => [
    { name: `${upstream} requests`, ...pod, values: column.requests },
    { name: `${upstream} errors`, ...pod, values: column.errors },
  ]);
}
