import "server-only";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import { RAW_RETENTION_MS, ROLLUP_BUCKET_MS, readStoredPoints, type PointField, type StoredPoint } from "./storage";

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

const RAW_STEP_MS = 15_000;

/** Which table serves a range: the raw points while they still cover its start, the rollups beyond. */
export function chooseResolution(from: number, now: number): Resolution {
  return from >= now - RAW_RETENTION_MS ? "15s" : "5m";
}

const LATENCY_FIELDS = new Set<PointField>(["latencyP50", "latencyP90", "latencyP99"]);

/** Combines the pods' values at one timestamp into the cluster's: sums, except latency (query-rate-weighted mean). */
function aggregateField(points: readonly StoredPoint[], field: PointField): number | null {
  if (LATENCY_FIELDS.has(field)) {
    let weighted = 0;
    let weight = 0;
    for (const p of points) {
      const value = p[field];
      if (value === null || p.qps === null || p.qps <= 0) continue;
      weighted += value * p.qps;
      weight += p.qps;
    }
    return weight > 0 ? weighted / weight : null;
  }
  const values = points.map((p) => p[field]).filter((v): v is number => v !== null);
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
}

function upstreamValue(points: readonly StoredPoint[], upstream: string, kind: "requests" | "errors"): number | null {
  const values = points.map((p) => p.forwardUpstreams?.[upstream]?.[kind]).filter((v): v is number => typeof v === "number");
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
}

/**
 * Reads one metric of a cluster for a chart. Per pod (`pod`), for the cluster (`aggregate`), or one series per pod
 * (neither). The resolution follows the range (see {@link chooseResolution}) unless `resolution` says otherwise.
 */
export async function querySeries(query: SeriesQuery, db: PrismaClient = getDb()): Promise<SeriesResult> {
  const from = Number(query.from);
  const to = Number(query.to);
  const resolution = !query.resolution || query.resolution === "auto" ? chooseResolution(from, query.now ?? Date.now()) : query.resolution;
  const definition = METRICS[query.metric];
  const points = await readStoredPoints(
    {
      clusterId: query.clusterId,
      ...(query.pod === undefined ? {} : { pod: query.pod }),
      // A rollup's `at` is its bucket's start: include the bucket that holds `from`.
      from: resolution === "5m" ? Math.floor(from / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS : from,
      to,
      table: resolution === "15s" ? "MetricPoint" : "MetricRollup",
      columns: [
        ...new Set<PointField | "forwardUpstreams">([
          ...definition.series.map(([, field]) => field),
          // Latency is weighted by the query rate; upstreams are in their own column.
          ...(query.metric === "latency" ? (["qps"] as const) : []),
          ...(query.metric === "forward" ? (["forwardUpstreams"] as const) : []),
        ]),
      ],
    },
    db,
  );

  const byTime = new Map<number, StoredPoint[]>();
  for (const point of points) {
    const list = byTime.get(point.at);
    if (list) list.push(point);
    else byTime.set(point.at, [point]);
  }
  const timestamps = [...byTime.keys()].sort((a, b) => a - b);
  const upstreams = query.metric === "forward" ? [...new Set(points.flatMap((p) => Object.keys(p.forwardUpstreams ?? {})))].sort() : [];

  type Column = { name: string; pod?: string; read: (atTime: readonly StoredPoint[]) => number | null };
  const columns: Column[] = [];
  const addColumns = (pod: string | undefined, select: (atTime: readonly StoredPoint[]) => readonly StoredPoint[]) => {
    for (const [name, field] of definition.series) {
      columns.push({ name, ...(pod ? { pod } : {}), read: (atTime) => aggregateField(select(atTime), field) });
    }
    for (const upstream of upstreams) {
      for (const kind of ["requests", "errors"] as const) {
        columns.push({ name: `${upstream} ${kind}`, ...(pod ? { pod } : {}), read: (atTime) => upstreamValue(select(atTime), upstream, kind) });
      }
    }
  };
  if (query.aggregate || query.pod !== undefined) {
    addColumns(query.pod, (atTime) => atTime);
  } else {
    for (const pod of [...new Set(points.map((p) => p.pod))].sort()) {
      addColumns(pod, (atTime) => atTime.filter((p) => p.pod === pod));
    }
  }
  return {
    metric: query.metric,
    unit: definition.unit,
    resolution,
    stepMs: resolution === "15s" ? RAW_STEP_MS : ROLLUP_BUCKET_MS,
    from,
    to,
    timestamps,
    series: columns.map((column) => ({
      name: column.name,
      ...(column.pod ? { pod: column.pod } : {}),
      values: timestamps.map((at) => column.read(byTime.get(at)!)),
    })),
  };
}
