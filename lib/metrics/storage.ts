import "server-only";
import Database from "better-sqlite3";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import { runWrite, runWriteTransaction } from "@/lib/revisions/sqlite-write";
import { LABEL_KINDS, capLabelledRows, sumLabelledRows, type LabelledRow } from "./labelled";

/**
 * Stored metrics: the derived series of each CoreDNS pod, at two resolutions (see STORAGE.md for the sizing).
 * - "MetricPoint": one row per pod and scrape round, kept {@link RAW_RETENTION_MS} (24 h).
 * - "MetricRollup": one row per pod and {@link ROLLUP_BUCKET_MS} (5 min), kept {@link ROLLUP_RETENTION_MS} (30 days),
 *   computed from the points by {@link rollUpPoints}.
 * - "MetricReloadObservation": the pod's reload state whenever it changes; rollout verification reads it.
 * - "MetricLabelPoint" / "MetricLabelRollup": the labelled series (zones, answering plugins, upstreams; labelled.ts),
 *   at most 20 label values per pod, kind and round, same resolutions and retention.
 * - One "MetricPod" per cluster with `isClusterSum` ({@link CLUSTER_SUM_POD}) holds the sum over the pods of every
 *   round, written with the round, so that the cluster view reads one row per point (see dashboard-query.ts).
 * Prisma knows these tables, but they are read and written with SQL here: a round is one multi-row INSERT, rollups are
 * computed by SQLite (INSERT ... SELECT ... GROUP BY bucket), and the page's queries read through a read-only
 * better-sqlite3 handle on the same file (see {@link selectMetricRows}), aggregated by SQLite and straight into arrays.
 */

export const RAW_RETENTION_MS = 24 * 3600_000;
export const ROLLUP_BUCKET_MS = 5 * 60_000;
export const ROLLUP_RETENTION_MS = 30 * 24 * 3600_000;
/** A bucket is rolled up once this long has passed after its end, so that the round that straddles it is stored. */
export const ROLLUP_DELAY_MS = 60_000;

/** Per-second rates over the scrape interval. */
const RATE_FIELDS = [
  "qps",
  "qpsA",
  "qpsAaaa",
  "qpsOther",
  "rcodeNoerror",
  "rcodeNxdomain",
  "rcodeServfail",
  "rcodeOther",
  "cacheHits",
  "cacheMisses",
  "forwardRequests",
  "forwardErrors",
  "cpuCores",
] as const;
/** Values at the time of the scrape. */
const GAUGE_FIELDS = ["cacheEntries", "rssBytes"] as const;
/** How many happened during the interval. */
const COUNT_FIELDS = ["reloads", "reloadFailures", "panics", "forwardHealthcheckBroken"] as const;
/** Seconds, from the change of the request-duration histogram over the interval. */
const LATENCY_FIELDS = ["latencyP50", "latencyP90", "latencyP99"] as const;

/** Every numeric column of a point, in table order. */
export const POINT_FIELDS = [...RATE_FIELDS, ...GAUGE_FIELDS, ...COUNT_FIELDS, ...LATENCY_FIELDS] as const;
export type PointField = (typeof POINT_FIELDS)[number];

/** Requests and errors per second sent to one upstream by the forward plugin. */
export type UpstreamRates = { requests: number; errors: number };

/** The derived values of one pod for one interval; null where the scrape could not say (first scrape, restart). */
export type PointValues = Record<PointField, number | null> & { forwardUpstreams: Record<string, UpstreamRates> | null };

/** What a pod published about reloads at one scrape. */
export type ReloadState = {
  /** process_start_time_seconds, in epoch milliseconds. */
  processStartAt: number | null;
  /** coredns_reload_version_info's value label; null when the pod publishes none (no reload since it started). */
  hash: string | null;
  /** coredns_reload_failed_total. */
  failedTotal: number | null;
};

/** A stored reload state, with the time of the scrape that first showed it. */
export type ReloadObservation = ReloadState & { at: number };

/**
 * One pod's part of a scrape round: its derived values (absent when the scrape failed), its labelled series (capped,
 * see labelled.ts) and its reload state.
 */
export type PodRoundRecord = { pod: string; values?: PointValues | null; labelled?: readonly LabelledRow[] | null; reload?: ReloadState | null; scrapedAt?: number };

/** The name of each cluster's sum row in "MetricPod" (Kubernetes names cannot hold parentheses: never a real pod). */
export const CLUSTER_SUM_POD = "(cluster)";

/** A point or rollup as read back. */
export type StoredPoint = PointValues & { pod: string; at: number };

const SQL_BATCH_ROWS = 400;

function emptyValues(): PointValues {
  const values = { forwardUpstreams: null } as PointValues;
  for (const field of POINT_FIELDS) values[field] = null;
  return values;
}

function finite(value: number | null | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The SQL parameters of one row: podId, at, [samples], the numeric fields, the upstreams' JSON. */
function rowParameters(podId: number, at: number, values: PointValues, samples?: number): unknown[] {
  const row: unknown[] = [podId, at];
  if (samples !== undefined) row.push(samples);
  for (const field of POINT_FIELDS) row.push(finite(values[field]));
  row.push(values.forwardUpstreams ? JSON.stringify(values.forwardUpstreams) : null);
  return row;
}

function insertStatement(table: "MetricPoint" | "MetricRollup", rows: number): string {
  const columns = ["podId", "at", ...(table === "MetricRollup" ? ["samples"] : []), ...POINT_FIELDS, "forwardUpstreams"];
  const placeholders = `(${columns.map(() => "?").join(", ")})`;
  return `INSERT OR REPLACE INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${Array(rows).fill(placeholders).join(", ")}`;
}

/**
 * The cluster's values for one round: the pods' values summed (rates, gauges and counts), latency quantiles weighted
 * by each pod's query rate, upstream rates summed per upstream; null where no pod had a value. The same as summing
 * the pods' rows per timestamp in SQL, done once at write time.
 */
export function sumPointValues(pods: readonly PointValues[]): PointValues {
  const sum = emptyValues();
  for (const field of [...RATE_FIELDS, ...GAUGE_FIELDS, ...COUNT_FIELDS]) {
    let total: number | null = null;
    for (const pod of pods) {
      const value = finite(pod[field]);
      if (value !== null) total = (total ?? 0) + value;
    }
    sum[field] = total;
  }
  for (const field of LATENCY_FIELDS) sum[field] = weightedLatency(pods, field);
  for (const pod of pods) {
    if (!pod.forwardUpstreams) continue;
    sum.forwardUpstreams ??= {};
    for (const [upstream, rates] of Object.entries(pod.forwardUpstreams)) {
      const total = (sum.forwardUpstreams[upstream] ??= { requests: 0, errors: 0 });
      total.requests += rates.requests;
      total.errors += rates.errors;
    }
  }
  return sum;
}

const LABEL_COLUMNS = ["value", "errors", "p50", "p99", "failures"] as const;

/**
 * Inserts labelled rows passed as one JSON array of `[podId, kind, label, value, errors, p50, p99, failures]`: one
 * parameter instead of nine per row (a round of 100 pods has ~700 rows, and binding each value costs more than SQLite's
 * JSON reading).
 */
const LABEL_INSERT_SQL = `INSERT OR REPLACE INTO "MetricLabelPoint" ("podId", "kind", "at", "label", ${LABEL_COLUMNS.map((c) => `"${c}"`).join(", ")})
  SELECT json_extract(j."value", '$[0]'), json_extract(j."value", '$[1]'), ?, json_extract(j."value", '$[2]'),
    ${LABEL_COLUMNS.map((_, i) => `json_extract(j."value", '$[${i + 3}]')`).join(", ")}
  FROM json_each(?) j`;

function sameReloadState(a: ReloadState, b: ReloadState): boolean {
  return a.hash === b.hash && a.failedTotal === b.failedTotal && a.processStartAt === b.processStartAt;
}

/**
 * Stores one scrape round of a cluster in one short transaction: the pods (created or marked seen), a point per pod
 * with values, and a reload observation for each pod whose reload state differs from its last stored one. `at` is
 * the round's start, shared by every pod, so that aggregates line up.
 */
export async function recordScrapeRound(
  round: { clusterId: string; at: number; pods: PodRoundRecord[] },
  db: PrismaClient = getDb(),
): Promise<void> {
  if (round.pods.length === 0) return;
  // The cap on label values holds whatever the caller passes (derive.ts caps already; this is the storage's bound).
  const pods = round.pods.filter((p) => p.pod !== CLUSTER_SUM_POD).map((p) => (p.labelled ? { ...p, labelled: capLabelledRows(p.labelled) } : p));
  const points = pods.filter((p) => p.values);
  // The cluster's sum, computed here once rather than by every chart that reads the range.
  const clusterSum: PodRoundRecord | null =
    points.length === 0
      ? null
      : { pod: CLUSTER_SUM_POD, values: sumPointValues(points.map((p) => p.values!)), labelled: sumLabelledRows(points.map((p) => p.labelled ?? [])) };
  const names = [...new Set(pods.map((p) => p.pod))];
  await runWriteTransaction(db, async (tx) => {
    // The first statement writes (see STACK.md: a transaction that reads first can meet SQLITE_BUSY_SNAPSHOT).
    const podRows = [...names.map((name) => [name, false] as const), ...(clusterSum ? [[CLUSTER_SUM_POD, true] as const] : [])];
    for (let i = 0; i < podRows.length; i += SQL_BATCH_ROWS) {
      const chunk = podRows.slice(i, i + SQL_BATCH_ROWS);
      await tx.$executeRawUnsafe(
        `INSERT INTO "MetricPod" ("clusterId", "name", "firstSeenAt", "lastSeenAt", "isClusterSum") VALUES ${chunk.map(() => "(?, ?, ?, ?, ?)").join(", ")}
         ON CONFLICT ("clusterId", "name") DO UPDATE SET "lastSeenAt" = excluded."lastSeenAt"`,
        ...chunk.flatMap(([name, isSum]) => [round.clusterId, name, round.at, round.at, isSum ? 1 : 0]),
      );
    }
    if (names.length === 0) return;
    const lookup = clusterSum ? [...names, CLUSTER_SUM_POD] : names;
    const idRows = await tx.$queryRawUnsafe<{ id: number; name: string }[]>(
      `SELECT "id", "name" FROM "MetricPod" WHERE "clusterId" = ? AND "name" IN (${lookup.map(() => "?").join(", ")})`,
      round.clusterId,
      ...lookup,
    );
    const idOf = new Map(idRows.map((row) => [row.name, Number(row.id)]));

    const written = clusterSum ? [...points, clusterSum] : points;
    for (let i = 0; i < written.length; i += SQL_BATCH_ROWS) {
      const chunk = written.slice(i, i + SQL_BATCH_ROWS);
      await tx.$executeRawUnsafe(
        insertStatement("MetricPoint", chunk.length),
        ...chunk.flatMap((p) => rowParameters(idOf.get(p.pod)!, round.at, p.values!)),
      );
    }
    const labelled = written.flatMap((p) => (p.labelled ?? []).map((row) => [idOf.get(p.pod)!, row.kind, row.label, ...LABEL_COLUMNS.map((c) => finite(row[c]))]));
    if (labelled.length > 0) await tx.$executeRawUnsafe(LABEL_INSERT_SQL, round.at, JSON.stringify(labelled));

    const withReload = pods.filter((p) => p.reload);
    if (withReload.length === 0) return;
    const ids = withReload.map((p) => idOf.get(p.pod)!);
    const latest = await tx.$queryRawUnsafe<{ podId: number; processStartAt: bigint | null; hash: string | null; failedTotal: number | null }[]>(
      `SELECT o."podId", o."processStartAt", o."hash", o."failedTotal" FROM "MetricReloadObservation" o
       WHERE o."podId" IN (${ids.map(() => "?").join(", ")})
         AND o."at" = (SELECT MAX(i."at") FROM "MetricReloadObservation" i WHERE i."podId" = o."podId")`,
      ...ids,
    );
    const previous = new Map(
      latest.map((row) => [
        Number(row.podId),
        { hash: row.hash, failedTotal: row.failedTotal, processStartAt: row.processStartAt === null ? null : Number(row.processStartAt) },
      ]),
    );
    const changed = withReload.filter((p) => {
      const before = previous.get(idOf.get(p.pod)!);
      return !before || !sameReloadState(before, p.reload!);
    });
    if (changed.length === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT OR REPLACE INTO "MetricReloadObservation" ("podId", "at", "processStartAt", "hash", "failedTotal") VALUES ${changed.map(() => "(?, ?, ?, ?, ?)").join(", ")}`,
      ...changed.flatMap((p) => [idOf.get(p.pod)!, p.scrapedAt ?? round.at, p.reload!.processStartAt, p.reload!.hash, finite(p.reload!.failedTotal)]),
    );
  });
}

/**
 * Summarises the points of one pod and bucket (what {@link rollUpPoints} computes in SQL; this is its reference): the mean of rates and gauges, the sum of counts, and the latency
 * quantiles as request-weighted means of the points' quantiles (an approximation: exact quantiles of the bucket would
 * need the histogram buckets, which are not stored). Upstreams: per upstream, its rates summed over the points that
 * had upstream data, divided by their number.
 */
export function summarisePoints(points: readonly PointValues[]): PointValues & { samples: number } {
  const summary = { ...emptyValues(), samples: points.length };
  const mean = (field: PointField) => {
    const values = points.map((p) => finite(p[field])).filter((v): v is number => v !== null);
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
  };
  for (const field of [...RATE_FIELDS, ...GAUGE_FIELDS]) summary[field] = mean(field);
  for (const field of COUNT_FIELDS) {
    const values = points.map((p) => finite(p[field])).filter((v): v is number => v !== null);
    summary[field] = values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
  }
  for (const field of LATENCY_FIELDS) summary[field] = weightedLatency(points, field);
  const withUpstreams = points.filter((p) => p.forwardUpstreams);
  if (withUpstreams.length > 0) {
    const totals: Record<string, UpstreamRates> = {};
    for (const point of withUpstreams) {
      for (const [upstream, rates] of Object.entries(point.forwardUpstreams!)) {
        const total = (totals[upstream] ??= { requests: 0, errors: 0 });
        total.requests += rates.requests;
        total.errors += rates.errors;
      }
    }
    for (const rates of Object.values(totals)) {
      rates.requests /= withUpstreams.length;
      rates.errors /= withUpstreams.length;
    }
    summary.forwardUpstreams = totals;
  }
  return summary;
}

/** Mean of a latency quantile weighted by each point's query rate; points without queries do not count. */
function weightedLatency(points: readonly PointValues[], field: (typeof LATENCY_FIELDS)[number]): number | null {
  let weighted = 0;
  let weight = 0;
  for (const point of points) {
    const value = finite(point[field]);
    const qps = finite(point.qps);
    if (value === null || qps === null || qps <= 0) continue;
    weighted += value * qps;
    weight += qps;
  }
  return weight > 0 ? weighted / weight : null;
}

/** A column of the points and rollups tables that a query can read. */
export type ColumnName = PointField | "forwardUpstreams";

const selectColumns = (alias: string, columns: readonly ColumnName[] = [...POINT_FIELDS, "forwardUpstreams"]) =>
  columns.map((c) => `${alias}."${c}"`).join(", ");

/** How many 5-minute buckets one rollup statement covers: an hour, so that no statement holds the write lock long. */
const ROLLUP_CHUNK_BUCKETS = 12;

/**
 * The SQL expression of a request-weighted latency mean over the grouped rows of `alias` (null when no row had
 * queries): what {@link summarisePoints} computes for a bucket, and the cluster's latency from its pods'.
 */
export function weightedLatencySql(alias: string, field: (typeof LATENCY_FIELDS)[number]): string {
  const latency = `${alias}."${field}"`;
  const qps = `${alias}."qps"`;
  return `SUM(CASE WHEN ${qps} > 0 THEN ${latency} * ${qps} END) / SUM(CASE WHEN ${qps} > 0 AND ${latency} IS NOT NULL THEN ${qps} END)`;
}

/**
 * The rollup statement for the buckets in `[from, to)`: SQLite groups the points by pod and bucket and computes what
 * {@link summarisePoints} computes (means, sums, request-weighted latency, upstream rates per point with upstreams),
 * so no point travels to JavaScript.
 */
const ROLLUP_SQL = (() => {
  const aggregates = [
    ...RATE_FIELDS.map((f) => `AVG(t."${f}") AS "${f}"`),
    ...GAUGE_FIELDS.map((f) => `AVG(t."${f}") AS "${f}"`),
    ...COUNT_FIELDS.map((f) => `SUM(t."${f}") AS "${f}"`),
    ...LATENCY_FIELDS.map((f) => `${weightedLatencySql("t", f)} AS "${f}"`),
  ];
  const upstreams = `CASE WHEN g."withUpstreams" > 0 THEN (
      SELECT json_group_object(x."upstream", json_object('requests', x."requests" * 1.0 / g."withUpstreams", 'errors', x."errors" * 1.0 / g."withUpstreams"))
      FROM (
        SELECT u."key" AS "upstream", TOTAL(json_extract(u."value", '$.requests')) AS "requests", TOTAL(json_extract(u."value", '$.errors')) AS "errors"
        FROM "MetricPoint" p, json_each(p."forwardUpstreams") u
        WHERE p."podId" = g."podId" AND p."at" >= g."bucket" AND p."at" < g."bucket" + ${ROLLUP_BUCKET_MS} AND p."forwardUpstreams" IS NOT NULL
        GROUP BY u."key" ORDER BY u."key"
      ) x
    ) END`;
  return `INSERT OR REPLACE INTO "MetricRollup" ("podId", "at", "samples", ${POINT_FIELDS.map((f) => `"${f}"`).join(", ")}, "forwardUpstreams")
    SELECT g."podId", g."bucket", g."samples", ${POINT_FIELDS.map((f) => `g."${f}"`).join(", ")}, ${upstreams}
    FROM (
      SELECT t."podId", (t."at" / ${ROLLUP_BUCKET_MS}) * ${ROLLUP_BUCKET_MS} AS "bucket", COUNT(*) AS "samples",
        COUNT(t."forwardUpstreams") AS "withUpstreams", ${aggregates.join(", ")}
      FROM "MetricPoint" t
      WHERE t."podId" IN (SELECT "id" FROM "MetricPod") AND t."at" >= ? AND t."at" < ?
      GROUP BY t."podId", "bucket"
    ) g`;
})();

/** The labelled rows' rollup for the buckets in `[from, to)`: mean rates, value-weighted quantiles, summed failures. */
const LABEL_ROLLUP_SQL = (() => {
  const weighted = (q: "p50" | "p99") =>
    `SUM(CASE WHEN t."value" > 0 THEN t."${q}" * t."value" END) / SUM(CASE WHEN t."value" > 0 AND t."${q}" IS NOT NULL THEN t."value" END)`;
  return `INSERT OR REPLACE INTO "MetricLabelRollup" ("podId", "kind", "at", "label", "samples", ${LABEL_COLUMNS.map((c) => `"${c}"`).join(", ")})
    SELECT t."podId", t."kind", (t."at" / ${ROLLUP_BUCKET_MS}) * ${ROLLUP_BUCKET_MS} AS "bucket", t."label", COUNT(*),
      AVG(t."value"), AVG(t."errors"), ${weighted("p50")}, ${weighted("p99")}, SUM(t."failures")
    FROM "MetricLabelPoint" t
    WHERE t."podId" IN (SELECT "id" FROM "MetricPod") AND t."kind" IN (${LABEL_KINDS.map((k) => `'${k}'`).join(", ")}) AND t."at" >= ? AND t."at" < ?
    GROUP BY t."podId", t."kind", "bucket", t."label"`;
})();

/**
 * Computes the 5-minute rollups of every bucket that ended at least {@link ROLLUP_DELAY_MS} before `now` and is not
 * rolled up yet (the newest rolled-up bucket is computed again, so a late round is included). Idempotent.
 * Incremental: SQLite computes the rollups from the points (nothing is read into JavaScript), an hour of buckets per
 * statement, each its own short write, so a first run over 24 h never holds the write lock for long.
 * Returns how many rollup rows were written.
 */
export async function rollUpPoints(options: { now?: number } = {}, db: PrismaClient = getDb()): Promise<number> {
  const now = options.now ?? Date.now();
  const completeBefore = Math.floor((now - ROLLUP_DELAY_MS) / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  // The newest bucket over all pods, one primary-key seek per pod (MAX over the whole table would scan it).
  const [newest] = await db.$queryRawUnsafe<{ at: bigint | number | null }[]>(
    `SELECT MAX((SELECT MAX(r."at") FROM "MetricRollup" r WHERE r."podId" = p."id")) AS "at" FROM "MetricPod" p`,
  );
  const oldest = Math.floor((now - RAW_RETENTION_MS) / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  const since = newest?.at != null ? Math.max(Number(newest.at), oldest) : oldest;
  let written = 0;
  for (let from = since; from < completeBefore; from += ROLLUP_CHUNK_BUCKETS * ROLLUP_BUCKET_MS) {
    const to = Math.min(completeBefore, from + ROLLUP_CHUNK_BUCKETS * ROLLUP_BUCKET_MS);
    written += await runWrite(async () => {
      const rows = await db.$executeRawUnsafe(ROLLUP_SQL, from, to);
      await db.$executeRawUnsafe(LABEL_ROLLUP_SQL, from, to);
      return rows;
    });
  }
  return written;
}

/**
 * Deletes what is past retention: points older than 24 h, rollups older than 30 days, reload observations older than
 * 30 days (except each pod's newest, which still says what the pod runs), and pods not seen for 30 days.
 */
export async function pruneMetrics(
  options: { now?: number } = {},
  db: PrismaClient = getDb(),
): Promise<{ points: number; rollups: number; observations: number; pods: number }> {
  const now = options.now ?? Date.now();
  const rawCutoff = now - RAW_RETENTION_MS;
  const rollupCutoff = now - ROLLUP_RETENTION_MS;
  return runWrite(async () => {
    const points = await db.$executeRawUnsafe(`DELETE FROM "MetricPoint" WHERE "podId" IN (SELECT "id" FROM "MetricPod") AND "at" < ?`, rawCutoff);
    const rollups = await db.$executeRawUnsafe(`DELETE FROM "MetricRollup" WHERE "podId" IN (SELECT "id" FROM "MetricPod") AND "at" < ?`, rollupCutoff);
    const kinds = LABEL_KINDS.map((k) => `'${k}'`).join(", ");
    await db.$executeRawUnsafe(`DELETE FROM "MetricLabelPoint" WHERE "podId" IN (SELECT "id" FROM "MetricPod") AND "kind" IN (${kinds}) AND "at" < ?`, rawCutoff);
    await db.$executeRawUnsafe(`DELETE FROM "MetricLabelRollup" WHERE "podId" IN (SELECT "id" FROM "MetricPod") AND "kind" IN (${kinds}) AND "at" < ?`, rollupCutoff);
    const observations = await db.$executeRawUnsafe(
      `DELETE FROM "MetricReloadObservation" WHERE "podId" IN (SELECT "id" FROM "MetricPod") AND "at" < ?
         AND "at" < (SELECT MAX(i."at") FROM "MetricReloadObservation" i WHERE i."podId" = "MetricReloadObservation"."podId")`,
      rollupCutoff,
    );
    const pods = await db.$executeRawUnsafe(`DELETE FROM "MetricPod" WHERE "lastSeenAt" < ?`, rollupCutoff);
    return { points, rollups, observations, pods };
  });
}

/** A read-only connection to the database file behind a Prisma client, with its prepared statements. */
type MetricsReader = { connection: Database.Database; statements: Map<string, Database.Statement> };

/** How much of the database file the read-only handle maps into memory (SQLite's mmap_size). */
const READER_MMAP_BYTES = 256 * 1024 * 1024;

const readers = new WeakMap<PrismaClient, Promise<MetricsReader | null>>();
const openReaders = new Set<MetricsReader>();

/**
 * The read-only better-sqlite3 handle on `db`'s file, opened on first use (null when the database is not a file, or
 * cannot be opened read-only: then reads go through Prisma). Reading through it skips Prisma's per-row work, which
 * made a 24 h chart take seconds. In WAL mode it reads the last committed state without blocking the writer.
 */
function openReader(db: PrismaClient): Promise<MetricsReader | null> {
  let reader = readers.get(db);
  if (!reader) {
    reader = (async () => {
      try {
        const files = await db.$queryRawUnsafe<{ name: string; file: string }[]>(`PRAGMA database_list`);
        const file = files.find((f) => f.name === "main")?.file;
        if (!file) return null;
        const connection = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
        // A 24 h chart of 10 pods scans ~15 MB: map the file rather than copy its pages through read() on every query.
        connection.pragma(`mmap_size = ${READER_MMAP_BYTES}`);
        // GROUP BY sorts in memory up to the cache size (2 MB by default, then it spills to temporary files).
        connection.pragma("cache_size = -32768");
        connection.pragma("temp_store = MEMORY");
        const opened = { connection, statements: new Map<string, Database.Statement>() };
        openReaders.add(opened);
        return opened;
      } catch {
        return null;
      }
    })();
    readers.set(db, reader);
  }
  return reader;
}

/** Closes the read-only handles (tests, shutdown); the next read opens a new one. */
export async function closeMetricsReaders(): Promise<void> {
  for (const reader of openReaders) reader.connection.close();
  openReaders.clear();
}

/**
 * Runs a SELECT on the metrics tables and returns its rows as arrays, in the SELECT's column order; integers come
 * back as numbers. Reads through {@link openReader}'s handle, or through Prisma when there is none.
 */
export async function selectMetricRows(sql: string, parameters: readonly unknown[], db: PrismaClient = getDb()): Promise<unknown[][]> {
  let reader = await openReader(db);
  if (reader && !reader.connection.open) {
    // Closed by closeMetricsReaders: open a new one.
    readers.delete(db);
    reader = await openReader(db);
  }
  if (reader) {
    let statement = reader.statements.get(sql);
    if (!statement) {
      statement = reader.connection.prepare(sql).raw(true);
      reader.statements.set(sql, statement);
    }
    return statement.all(...parameters) as unknown[][];
  }
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...parameters);
  return rows.map((row) => Object.values(row).map((value) => (typeof value === "bigint" ? Number(value) : value)));
}

/**
 * Reads stored points (or rollups) of a cluster, optionally of one pod, with `from <= at <= to`, oldest first.
 * `columns` limits what is read (the others come back null): a chart needs two or three of them.
 */
export async function readStoredPoints(
  query: { clusterId: string; pod?: string; from: number; to: number; table: "MetricPoint" | "MetricRollup"; columns?: readonly ColumnName[] },
  db: PrismaClient = getDb(),
): Promise<StoredPoint[]> {
  const podFilter = query.pod === undefined ? ` AND "isClusterSum" = 0` : ` AND "name" = ?`;
  const columns: readonly ColumnName[] = query.columns ?? [...POINT_FIELDS, "forwardUpstreams"];
  const rows = await selectMetricRows(
    `SELECT p."name", t."at", ${selectColumns("t", columns)} FROM "${query.table}" t JOIN "MetricPod" p ON p."id" = t."podId"
     WHERE t."podId" IN (SELECT "id" FROM "MetricPod" WHERE "clusterId" = ?${podFilter}) AND t."at" >= ? AND t."at" <= ?
     ORDER BY t."at", p."name"`,
    [query.clusterId, ...(query.pod === undefined ? [] : [query.pod]), query.from, query.to],
    db,
  );
  return rows.map((row) => {
    const values = emptyValues();
    for (const [i, column] of columns.entries()) {
      const value = row[i + 2];
      if (column === "forwardUpstreams") values.forwardUpstreams = value ? (JSON.parse(value as string) as Record<string, UpstreamRates>) : null;
      else values[column] = (value as number | null) ?? null;
    }
    return { ...values, pod: String(row[0]), at: Number(row[1]) };
  });
}

/** A pod's stored reload observations with `at >= since` (and the one just before, the state at `since`), oldest first. */
export async function readReloadObservations(
  query: { clusterId: string; pods: readonly string[]; since: number },
  db: PrismaClient = getDb(),
): Promise<Map<string, ReloadObservation[]>> {
  const result = new Map<string, ReloadObservation[]>(query.pods.map((pod) => [pod, []]));
  if (query.pods.length === 0) return result;
  const rows = await db.$queryRawUnsafe<{ name: string; at: bigint; processStartAt: bigint | null; hash: string | null; failedTotal: number | null }[]>(
    `SELECT p."name", o."at", o."processStartAt", o."hash", o."failedTotal" FROM "MetricReloadObservation" o
     JOIN "MetricPod" p ON p."id" = o."podId"
     WHERE p."clusterId" = ? AND p."name" IN (${query.pods.map(() => "?").join(", ")})
       AND o."at" >= COALESCE((SELECT MAX(b."at") FROM "MetricReloadObservation" b WHERE b."podId" = o."podId" AND b."at" <= ?), ?)
     ORDER BY o."at"`,
    query.clusterId,
    ...query.pods,
    query.since,
    query.since,
  );
  for (const row of rows) {
    result.get(row.name)?.push({
      at: Number(row.at),
      processStartAt: row.processStartAt === null ? null : Number(row.processStartAt),
      hash: row.hash,
      failedTotal: row.failedTotal,
    });
  }
  return result;
}
