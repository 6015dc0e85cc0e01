import "server-only";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { LabelKind } from "./labelled";
import { CLUSTER_SUM_POD, RAW_RETENTION_MS, ROLLUP_BUCKET_MS, selectMetricRows, weightedLatencySql, type PointField } from "./storage";

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
  /** One series per "<zone> <server>" (labelled rows of kind "zone"). */
  qpsByZone: { unit: "queries/s", series: [], labelled: "zone" },
  /** One series per answering plugin ("no plugin" for responses no plugin wrote); none where CoreDNS has no `plugin` label. */
  responsesByPlugin: { unit: "responses/s", series: [], labelled: "plugin" },
  /** "<upstream> p50" and "<upstream> p99" per forward upstream. */
  forwardLatency: { unit: "seconds", series: [], labelled: "upstream" },
  /** Failed health checks per upstream ("<upstream>"), and the times every upstream was down at once. */
  healthcheckFailures: { unit: "count", series: [["all upstreams down", "forwardHealthcheckBroken"]], labelled: "upstream" },
} as const satisfies Record<string, { unit: string; series: readonly (readonly [string, PointField])[]; labelled?: LabelKind }>;

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
  /**
   * At most this many points per series: consecutive points are combined in SQL into buckets of whole steps (means of
   * rates and gauges, sums of counts, rate-weighted latency). Default: every stored point.
   */
  maxPoints?: number;
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
const COUNT_FIELDS = new Set<PointField>(["reloads", "reloadFailures", "panics", "forwardHealthcheckBroken"]);
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

/** {@link querySeries} from the local store: {@link queryStoredMetrics} for one metric. */
export async function queryStoredSeries(query: SeriesQuery, db: PrismaClient = getDb()): Promise<SeriesResult> {
  const { metric, ...rest } = query;
  return (await queryStoredMetrics({ ...rest, metrics: [metric] }, db))[metric]!;
}

export type MetricsQuery = Omit<SeriesQuery, "metric"> & { metrics: readonly MetricName[] };

/**
 * Several metrics of a cluster over one range from the local store, in one scan per table: what the metrics page
 * needs for all its charts at once. SQLite reads only the columns the metrics need, from the rows of the pods asked
 * for: the cluster's sum row (written with each round, see storage.ts) for `aggregate`, one pod's rows for `pod`, every
 * pod's otherwise (each a primary-key range), and combines consecutive points into buckets when `maxPoints` asks for
 * fewer points than stored. Labelled metrics (zones, plugins, upstreams) come from "MetricLabelPoint"/"Rollup" in a
 * second scan; per-upstream forward rates from the points' upstream JSON in a third, only when `forward` is asked for.
 */
export async function queryStoredMetrics(query: MetricsQuery, db: PrismaClient = getDb()): Promise<Partial<Record<MetricName, SeriesResult>>> {
  const from = Number(query.from);
  const to = Number(query.to);
  const resolution = !query.resolution || query.resolution === "auto" ? chooseResolution(from, query.now ?? Date.now()) : query.resolution;
  const isRaw = resolution === "15s";
  const table = isRaw ? "MetricPoint" : "MetricRollup";
  const labelTable = isRaw ? "MetricLabelPoint" : "MetricLabelRollup";
  const stepMs = isRaw ? RAW_STEP_MS : ROLLUP_BUCKET_MS;
  // A rollup's `at` is its bucket's start: include the bucket that holds `from`.
  const readFrom = isRaw ? from : Math.floor(from / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  const steps = query.maxPoints && query.maxPoints > 0 ? Math.ceil((to - readFrom) / stepMs / query.maxPoints) : 1;
  const bucketMs = Math.max(1, steps) * stepMs;
  const isBucketed = bucketMs > stepMs;

  const results: Partial<Record<MetricName, SeriesResult>> = {};
  for (const metric of query.metrics) {
    results[metric] = { metric, unit: METRICS[metric].unit, resolution, stepMs: bucketMs, from, to, timestamps: [], series: [] };
  }

  // Which MetricPod rows: the cluster's sum, one pod, or every pod.
  const podRows = await selectMetricRows(
    query.pod !== undefined
      ? `SELECT "id", "name" FROM "MetricPod" WHERE "clusterId" = ? AND "isClusterSum" = 0 AND "name" = ?`
      : `SELECT "id", "name" FROM "MetricPod" WHERE "clusterId" = ? AND "isClusterSum" = ? ORDER BY "name"`,
    query.pod !== undefined ? [query.clusterId, query.pod] : [query.clusterId, query.aggregate ? 1 : 0],
    db,
  );
  if (podRows.length === 0) return results;
  const isPerPod = !query.aggregate && query.pod === undefined;
  const podName = new Map(podRows.map((row) => [Number(row[0]), isPerPod ? String(row[1]) : query.pod]));
  const ids = podRows.map((row) => Number(row[0]));
  const idList = ids.map(() => "?").join(", ");
  const bucket = isBucketed ? `(t."at" / ${bucketMs}) * ${bucketMs}` : `t."at"`;

  // 1. The points: every needed column, bucketed.
  const fields = [...new Set(query.metrics.flatMap((metric) => METRICS[metric].series.map(([, field]) => field as PointField)))];
  if (!fields.includes("qps") && fields.some((f) => LATENCY_FIELDS.has(f))) fields.push("qps");
  const aggregates = fields.map((f) => {
    if (LATENCY_FIELDS.has(f)) return isBucketed ? weightedLatencySql("t", f as LatencyField) : `CASE WHEN t."qps" > 0 THEN t."${f}" END`;
    if (!isBucketed) return `t."${f}"`;
    return COUNT_FIELDS.has(f) ? `SUM(t."${f}")` : `AVG(t."${f}")`;
  });
  const where = `t."podId" IN (${idList}) AND t."at" >= ? AND t."at" <= ?`;
  const parameters = [...ids, readFrom, to];
  const rows = await selectMetricRows(
    `SELECT t."podId", ${bucket} AS "b"${aggregates.map((a) => `, ${a}`).join("")} FROM "${table}" t WHERE ${where}${isBucketed ? ` GROUP BY t."podId", "b"` : ""} ORDER BY t."podId", "b"`,
    parameters,
    db,
  );
  const timeline = [...new Set(rows.map((row) => Number(row[1])))].sort((a, b) => a - b);
  const slot = new Map(timeline.map((at, i) => [at, i]));
  const size = timeline.length;
  type PodColumns = { name: string | undefined; columns: Map<string, (number | null)[]> };
  const byPod = new Map<number, PodColumns>();
  const columnsOf = (podId: number) => {
    let pod = byPod.get(podId);
    if (!pod) byPod.set(podId, (pod = { name: podName.get(podId), columns: new Map() }));
    return pod;
  };
  const column = (pod: PodColumns, key: string) => {
    let values = pod.columns.get(key);
    if (!values) pod.columns.set(key, (values = new Array<number | null>(size).fill(null)));
    return values;
  };
  for (const row of rows) {
    const pod = columnsOf(Number(row[0]));
    const at = slot.get(Number(row[1]))!;
    fields.forEach((field, i) => {
      const value = row[i + 2];
      if (typeof value === "number") column(pod, `f:${field}`)[at] = value;
    });
  }

  // 2. Labelled rows, for the labelled metrics asked for.
  const kinds = [...new Set(query.metrics.flatMap((metric) => ("labelled" in METRICS[metric] ? [(METRICS[metric] as { labelled: LabelKind }).labelled] : [])))];
  if (kinds.length > 0 && size > 0) {
    const weighted = (q: "p50" | "p99") =>
      isBucketed
        ? `SUM(CASE WHEN t."value" > 0 THEN t."${q}" * t."value" END) / SUM(CASE WHEN t."value" > 0 AND t."${q}" IS NOT NULL THEN t."value" END)`
        : `t."${q}"`;
    const values = isBucketed ? `AVG(t."value"), AVG(t."errors"), ${weighted("p50")}, ${weighted("p99")}, SUM(t."failures")` : `t."value", t."errors", t."p50", t."p99", t."failures"`;
    const labelRows = await selectMetricRows(
      `SELECT t."podId", t."kind", t."label", ${bucket} AS "b", ${values} FROM "${labelTable}" t
       WHERE t."podId" IN (${idList}) AND t."kind" IN (${kinds.map(() => "?").join(", ")}) AND t."at" >= ? AND t."at" <= ?
       ${isBucketed ? `GROUP BY t."podId", t."kind", t."label", "b"` : ""}`,
      [...ids, ...kinds, readFrom, to],
      db,
    );
    for (const row of labelRows) {
      const at = slot.get(Number(row[3]));
      if (at === undefined) continue;
      const pod = columnsOf(Number(row[0]));
      const key = `${String(row[1])}:${String(row[2])}`;
      ["value", "errors", "p50", "p99", "failures"].forEach((quantity, i) => {
        const value = row[i + 4];
        if (typeof value === "number") column(pod, `l:${key}:${quantity}`)[at] = value;
      });
    }
  }

  // 3. Per-upstream forward rates, from the points' upstream JSON.
  if (query.metrics.includes("forward") && size > 0) {
    const upstreamRows = await selectMetricRows(
      `SELECT t."podId", ${bucket} AS "b", u."key", ${isBucketed ? "AVG" : "TOTAL"}(json_extract(u."value", '$.requests')), ${isBucketed ? "AVG" : "TOTAL"}(json_extract(u."value", '$.errors'))
       FROM "${table}" t, json_each(t."forwardUpstreams") u WHERE ${where} AND t."forwardUpstreams" IS NOT NULL GROUP BY t."podId", "b", u."key"`,
      parameters,
      db,
    );
    for (const row of upstreamRows) {
      const at = slot.get(Number(row[1]));
      if (at === undefined) continue;
      const pod = columnsOf(Number(row[0]));
      if (typeof row[3] === "number") column(pod, `u:${String(row[2])}:requests`)[at] = row[3];
      if (typeof row[4] === "number") column(pod, `u:${String(row[2])}:errors`)[at] = row[4];
    }
  }

  // Every pod gets the same label columns (those any pod has), as the cluster's chart lists them.
  const labelsOf = (prefix: string) =>
    [...new Set([...byPod.values()].flatMap((pod) => [...pod.columns.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length, k.lastIndexOf(":")))))].sort();
  const pods = [...byPod.values()].sort((a, b) => ((a.name ?? "") < (b.name ?? "") ? -1 : (a.name ?? "") > (b.name ?? "") ? 1 : 0));
  const empty = () => new Array<number | null>(size).fill(null);
  for (const metric of query.metrics) {
    const result = results[metric]!;
    const definition = METRICS[metric];
    result.timestamps = timeline;
    const kind = "labelled" in definition ? (definition as { labelled: LabelKind }).labelled : null;
    const labelColumns: [string, string][] = [];
    if (metric === "forward") for (const upstream of labelsOf("u:")) labelColumns.push([`${upstream} requests`, `u:${upstream}:requests`], [`${upstream} errors`, `u:${upstream}:errors`]);
    if (kind) {
      for (const label of labelsOf(`l:${kind}:`)) {
        const key = `l:${kind}:${label}`;
        if (metric === "qpsByZone") labelColumns.push([label, `${key}:value`]);
        if (metric === "responsesByPlugin") labelColumns.push([label === "" ? "no plugin" : label, `${key}:value`]);
        if (metric === "forwardLatency") labelColumns.push([`${label} p50`, `${key}:p50`], [`${label} p99`, `${key}:p99`]);
        if (metric === "healthcheckFailures") labelColumns.push([label, `${key}:failures`]);
      }
    }
    for (const pod of pods) {
      const named = pod.name === undefined ? {} : { pod: pod.name };
      for (const [name, field] of definition.series) result.series.push({ name, ...named, values: pod.columns.get(`f:${field}`) ?? empty() });
      for (const [name, key] of labelColumns) {
        // Keys seen only in another pod's rows, or a quantity this label never had (no failures counter): gaps.
        result.series.push({ name, ...named, values: pod.columns.get(key) ?? empty() });
      }
    }
  }
  return results;
}
