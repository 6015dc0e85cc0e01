import "server-only";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { LabelKind } from "./labelled";
import { RAW_RETENTION_MS, ROLLUP_BUCKET_MS, selectMetricRows, weightedLatencySql, type PointField } from "./storage";

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
 * With `maxPoints`, a chart whose buckets would be at least this long reads the 5-minute rollups (plus the newest
 * points that no rollup holds yet) instead of 15 s points: a 24 h chart then reads 288 rows per pod, not 5,760.
 */
const ROLLUPS_FROM_BUCKET_MS = 120_000;

/** One table pair and time span to read, at one bucket size. */
type Segment = { table: "MetricPoint" | "MetricRollup"; labelTable: "MetricLabelPoint" | "MetricLabelRollup"; from: number; to: number; bucketMs: number; stepMs: number };

/**
 * Several metrics of a cluster over one range from the local store, in one scan per table: what the metrics page
 * needs for all its charts at once. SQLite reads only the columns the metrics need, from the rows of the pods asked
 * for: the cluster's sum row (written with each round, see storage.ts) for `aggregate`, one pod's rows for `pod`, every
 * pod's otherwise (each a primary-key range), and combines consecutive points into buckets when `maxPoints` asks for
 * fewer points than stored (means of rates and gauges, sums of counts, rate-weighted latency). When the buckets would
 * be 2 minutes or more, the 5-minute rollups serve the range and the 15 s points only its newest minutes (those not
 * rolled up yet). Labelled metrics (zones, plugins, upstreams) come from "MetricLabelPoint"/"Rollup" in a second scan;
 * per-upstream forward rates from the upstream JSON in a third, only when `forward` is asked for.
 */
export async function queryStoredMetrics(query: MetricsQuery, db: PrismaClient = getDb()): Promise<Partial<Record<MetricName, SeriesResult>>> {
  const from = Number(query.from);
  const to = Number(query.to);
  const resolution = !query.resolution || query.resolution === "auto" ? chooseResolution(from, query.now ?? Date.now()) : query.resolution;
  const results: Partial<Record<MetricName, SeriesResult>> = {};
  for (const metric of query.metrics) {
    results[metric] = { metric, unit: METRICS[metric].unit, resolution, stepMs: resolution === "15s" ? RAW_STEP_MS : ROLLUP_BUCKET_MS, from, to, timestamps: [], series: [] };
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

  // What to read: the points, the rollups, or the rollups and then the newest points.
  const bucketFor = (stepMs: number, start: number) =>
    stepMs * Math.max(1, query.maxPoints && query.maxPoints > 0 ? Math.ceil((to - start) / stepMs / query.maxPoints) : 1);
  const rollupFrom = Math.floor(from / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  const rawBucket = bucketFor(RAW_STEP_MS, from);
  const segments: Segment[] = [];
  if (resolution === "15s" && rawBucket < ROLLUPS_FROM_BUCKET_MS) {
    segments.push({ table: "MetricPoint", labelTable: "MetricLabelPoint", from, to, bucketMs: rawBucket, stepMs: RAW_STEP_MS });
  } else {
    const rollupBucket = bucketFor(ROLLUP_BUCKET_MS, rollupFrom);
    // The newest rolled-up bucket of these pods (one primary-key seek each); later rounds are only in the points.
    const [[newest]] = (await selectMetricRows(
      `SELECT MAX((SELECT MAX(r."at") FROM "MetricRollup" r WHERE r."podId" = p."id")) FROM "MetricPod" p WHERE p."id" IN (${idList})`,
      ids,
      db,
    )) as [[number | null]];
    const rolledUpTo = newest === null ? rollupFrom : Math.max(rollupFrom, Number(newest) + ROLLUP_BUCKET_MS);
    if (rolledUpTo > rollupFrom) {
      segments.push({ table: "MetricRollup", labelTable: "MetricLabelRollup", from: rollupFrom, to: Math.min(to, rolledUpTo - 1), bucketMs: rollupBucket, stepMs: ROLLUP_BUCKET_MS });
    }
    if (rolledUpTo <= to) {
      const tailFrom = Math.max(from, rolledUpTo);
      segments.push({ table: "MetricPoint", labelTable: "MetricLabelPoint", from: tailFrom, to, bucketMs: Math.min(rollupBucket, rawBucket), stepMs: RAW_STEP_MS });
    }
  }
  for (const result of Object.values(results)) result.stepMs = segments[0]?.bucketMs ?? result.stepMs;

  // Per pod, per column, value by time.
  type PodColumns = { name: string | undefined; columns: Map<string, Map<number, number>> };
  const byPod = new Map<number, PodColumns>();
  const put = (podId: number, key: string, at: number, value: unknown) => {
    if (typeof value !== "number") return;
    let pod = byPod.get(podId);
    if (!pod) byPod.set(podId, (pod = { name: podName.get(podId), columns: new Map() }));
    let column = pod.columns.get(key);
    if (!column) pod.columns.set(key, (column = new Map()));
    column.set(at, value);
  };
  const times = new Set<number>();

  const fields = [...new Set(query.metrics.flatMap((metric) => METRICS[metric].series.map(([, field]) => field as PointField)))];
  if (!fields.includes("qps") && fields.some((f) => LATENCY_FIELDS.has(f))) fields.push("qps");
  const kinds = [...new Set(query.metrics.flatMap((metric) => ("labelled" in METRICS[metric] ? [(METRICS[metric] as { labelled: LabelKind }).labelled] : [])))];

  for (const segment of segments) {
    const isBucketed = segment.bucketMs > segment.stepMs;
    const bucket = isBucketed ? `(t."at" / ${segment.bucketMs}) * ${segment.bucketMs}` : `t."at"`;
    const where = `t."podId" IN (${idList}) AND t."at" >= ? AND t."at" <= ?`;
    const parameters = [...ids, segment.from, segment.to];

    // 1. The points: every needed column, bucketed.
    const aggregates = fields.map((f) => {
      if (LATENCY_FIELDS.has(f)) return isBucketed ? weightedLatencySql("t", f as LatencyField) : `CASE WHEN t."qps" > 0 THEN t."${f}" END`;
      if (!isBucketed) return `t."${f}"`;
      return COUNT_FIELDS.has(f) ? `SUM(t."${f}")` : `AVG(t."${f}")`;
    });
    const rows = await selectMetricRows(
      `SELECT t."podId", ${bucket} AS "b"${aggregates.map((a) => `, ${a}`).join("")} FROM "${segment.table}" t WHERE ${where}${isBucketed ? ` GROUP BY t."podId", "b"` : ""}`,
      parameters,
      db,
    );
    for (const row of rows) {
      const at = Number(row[1]);
      times.add(at);
      fields.forEach((field, i) => put(Number(row[0]), `f:${field}`, at, row[i + 2]));
    }

    // 2. Labelled rows, for the labelled metrics asked for.
    if (kinds.length > 0 && rows.length > 0) {
      const weighted = (q: "p50" | "p99") =>
        isBucketed
          ? `SUM(CASE WHEN t."value" > 0 THEN t."${q}" * t."value" END) / SUM(CASE WHEN t."value" > 0 AND t."${q}" IS NOT NULL THEN t."value" END)`
          : `t."${q}"`;
      const values = isBucketed ? `AVG(t."value"), AVG(t."errors"), ${weighted("p50")}, ${weighted("p99")}, SUM(t."failures")` : `t."value", t."errors", t."p50", t."p99", t."failures"`;
      const labelRows = await selectMetricRows(
        `SELECT t."podId", t."kind", t."label", ${bucket} AS "b", ${values} FROM "${segment.labelTable}" t
         WHERE t."podId" IN (${idList}) AND t."kind" IN (${kinds.map(() => "?").join(", ")}) AND t."at" >= ? AND t."at" <= ?
         ${isBucketed ? `GROUP BY t."podId", t."kind", t."label", "b"` : ""}`,
        [...ids, ...kinds, segment.from, segment.to],
        db,
      );
      for (const row of labelRows) {
        const at = Number(row[3]);
        if (!times.has(at)) continue;
        const key = `l:${String(row[1])}:${String(row[2])}`;
        ["value", "errors", "p50", "p99", "failures"].forEach((quantity, i) => put(Number(row[0]), `${key}:${quantity}`, at, row[i + 4]));
      }
    }

    // 3. Per-upstream forward rates, from the upstream JSON.
    if (query.metrics.includes("forward") && rows.length > 0) {
      const upstreamRows = await selectMetricRows(
        `SELECT t."podId", ${bucket} AS "b", u."key", ${isBucketed ? "AVG" : "TOTAL"}(json_extract(u."value", '$.requests')), ${isBucketed ? "AVG" : "TOTAL"}(json_extract(u."value", '$.errors'))
         FROM "${segment.table}" t, json_each(t."forwardUpstreams") u WHERE ${where} AND t."forwardUpstreams" IS NOT NULL GROUP BY t."podId", "b", u."key"`,
        parameters,
        db,
      );
      for (const row of upstreamRows) {
        const at = Number(row[1]);
        if (!times.has(at)) continue;
        put(Number(row[0]), `u:${String(row[2])}:requests`, at, row[3]);
        put(Number(row[0]), `u:${String(row[2])}:errors`, at, row[4]);
      }
    }
  }

  const timeline = [...times].sort((a, b) => a - b);
  // Every pod gets the same label columns (those any pod has), as the cluster's chart lists them.
  const labelsOf = (prefix: string) =>
    [...new Set([...byPod.values()].flatMap((pod) => [...pod.columns.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length, k.lastIndexOf(":")))))].sort();
  const pods = [...byPod.values()].sort((a, b) => ((a.name ?? "") < (b.name ?? "") ? -1 : (a.name ?? "") > (b.name ?? "") ? 1 : 0));
  const valuesOf = (pod: PodColumns, key: string) => {
    const column = pod.columns.get(key);
    return timeline.map((at) => column?.get(at) ?? null);
  };
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
      for (const [name, field] of definition.series) result.series.push({ name, ...named, values: valuesOf(pod, `f:${field}`) });
      // A label seen only in another pod's rows, or a quantity this label never had (no failures counter): gaps.
      for (const [name, key] of labelColumns) result.series.push({ name, ...named, values: valuesOf(pod, key) });
    }
  }
  return results;
}
