import "server-only";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import { runWrite, runWriteTransaction } from "@/lib/revisions/sqlite-write";

/**
 * Stored metrics: the derived series of each CoreDNS pod, at two resolutions (see STORAGE.md for the sizing).
 * - "MetricPoint": one row per pod and scrape round, kept {@link RAW_RETENTION_MS} (24 h).
 * - "MetricRollup": one row per pod and {@link ROLLUP_BUCKET_MS} (5 min), kept {@link ROLLUP_RETENTION_MS} (30 days),
 *   computed from the points by {@link rollUpPoints}.
 * - "MetricReloadObservation": the pod's reload state whenever it changes; rollout verification reads it.
 * Prisma knows these tables, but they are read and written with SQL here: a round is one multi-row INSERT, and the
 * page's queries read columns straight into arrays.
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
const COUNT_FIELDS = ["reloads", "reloadFailures", "panics"] as const;
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

/** One pod's part of a scrape round: its derived values (absent when the scrape failed) and its reload state. */
export type PodRoundRecord = { pod: string; values?: PointValues | null; reload?: ReloadState | null; scrapedAt?: number };

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
  const names = [...new Set(round.pods.map((p) => p.pod))];
  await runWriteTransaction(db, async (tx) => {
    // The first statement writes (see STACK.md: a transaction that reads first can meet SQLITE_BUSY_SNAPSHOT).
    for (let i = 0; i < names.length; i += SQL_BATCH_ROWS) {
      const chunk = names.slice(i, i + SQL_BATCH_ROWS);
      await tx.$executeRawUnsafe(
        `INSERT INTO "MetricPod" ("clusterId", "name", "firstSeenAt", "lastSeenAt") VALUES ${chunk.map(() => "(?, ?, ?, ?)").join(", ")}
         ON CONFLICT ("clusterId", "name") DO UPDATE SET "lastSeenAt" = excluded."lastSeenAt"`,
        ...chunk.flatMap((name) => [round.clusterId, name, round.at, round.at]),
      );
    }
    const idRows = await tx.$queryRawUnsafe<{ id: number; name: string }[]>(
      `SELECT "id", "name" FROM "MetricPod" WHERE "clusterId" = ? AND "name" IN (${names.map(() => "?").join(", ")})`,
      round.clusterId,
      ...names,
    );
    const idOf = new Map(idRows.map((row) => [row.name, Number(row.id)]));

    const points = round.pods.filter((p) => p.values);
    for (let i = 0; i < points.length; i += SQL_BATCH_ROWS) {
      const chunk = points.slice(i, i + SQL_BATCH_ROWS);
      await tx.$executeRawUnsafe(
        insertStatement("MetricPoint", chunk.length),
        ...chunk.flatMap((p) => rowParameters(idOf.get(p.pod)!, round.at, p.values!)),
      );
    }

    const withReload = round.pods.filter((p) => p.reload);
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
 * Summarises the points of one pod and bucket: the mean of rates and gauges, the sum of counts, and the latency
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

type PointRow = { podId: number | bigint; name?: string; at: bigint | number; forwardUpstreams: string | null } & Record<PointField, number | null>;

function toValues(row: PointRow): PointValues {
  const values = emptyValues();
  for (const field of POINT_FIELDS) values[field] = row[field] ?? null;
  values.forwardUpstreams = row.forwardUpstreams ? (JSON.parse(row.forwardUpstreams) as Record<string, UpstreamRates>) : null;
  return values;
}

type ColumnName = PointField | "forwardUpstreams";

const selectColumns = (alias: string, columns: readonly ColumnName[] = [...POINT_FIELDS, "forwardUpstreams"]) =>
  columns.map((c) => `${alias}."${c}"`).join(", ");

/**
 * Computes the 5-minute rollups of every bucket that ended at least {@link ROLLUP_DELAY_MS} before `now` and is not
 * rolled up yet (the newest rolled-up bucket is computed again, so a late round is included). Idempotent.
 * Returns how many rollup rows were written.
 */
export async function rollUpPoints(options: { now?: number } = {}, db: PrismaClient = getDb()): Promise<number> {
  const now = options.now ?? Date.now();
  const completeBefore = Math.floor((now - ROLLUP_DELAY_MS) / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  const [newest] = await db.$queryRawUnsafe<{ at: bigint | null }[]>(`SELECT MAX("at") AS "at" FROM "MetricRollup"`);
  const since = newest?.at != null ? Number(newest.at) : Math.floor((now - RAW_RETENTION_MS) / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  if (since >= completeBefore) return 0;
  const rows = await db.$queryRawUnsafe<PointRow[]>(
    `SELECT t."podId", t."at", ${selectColumns("t")} FROM "MetricPoint" t
     WHERE t."podId" IN (SELECT "id" FROM "MetricPod") AND t."at" >= ? AND t."at" < ? ORDER BY t."podId", t."at"`,
    since,
    completeBefore,
  );
  const buckets = new Map<string, { podId: number; at: number; points: PointValues[] }>();
  for (const row of rows) {
    const podId = Number(row.podId);
    const at = Math.floor(Number(row.at) / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
    const key = `${podId}:${at}`;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = { podId, at, points: [] }));
    bucket.points.push(toValues(row));
  }
  const rollups = [...buckets.values()];
  if (rollups.length === 0) return 0;
  await runWriteTransaction(db, async (tx) => {
    for (let i = 0; i < rollups.length; i += SQL_BATCH_ROWS) {
      const chunk = rollups.slice(i, i + SQL_BATCH_ROWS);
      await tx.$executeRawUnsafe(
        insertStatement("MetricRollup", chunk.length),
        ...chunk.flatMap((b) => {
          const { samples, ...values } = summarisePoints(b.points);
          return rowParameters(b.podId, b.at, values, samples);
        }),
      );
    }
  });
  return rollups.length;
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
    const observations = await db.$executeRawUnsafe(
      `DELETE FROM "MetricReloadObservation" WHERE "podId" IN (SELECT "id" FROM "MetricPod") AND "at" < ?
         AND "at" < (SELECT MAX(i."at") FROM "MetricReloadObservation" i WHERE i."podId" = "MetricReloadObservation"."podId")`,
      rollupCutoff,
    );
    const pods = await db.$executeRawUnsafe(`DELETE FROM "MetricPod" WHERE "lastSeenAt" < ?`, rollupCutoff);
    return { points, rollups, observations, pods };
  });
}

/**
 * Reads stored points (or rollups) of a cluster, optionally of one pod, with `from <= at <= to`, oldest first.
 * `columns` limits what is read (the others come back null): a chart needs two or three of them.
 */
export async function readStoredPoints(
  query: { clusterId: string; pod?: string; from: number; to: number; table: "MetricPoint" | "MetricRollup"; columns?: readonly ColumnName[] },
  db: PrismaClient = getDb(),
): Promise<StoredPoint[]> {
  const podFilter = query.pod === undefined ? "" : ` AND "name" = ?`;
  const rows = await db.$queryRawUnsafe<PointRow[]>(
    `SELECT p."name", t."podId", t."at", ${selectColumns("t", query.columns)} FROM "${query.table}" t JOIN "MetricPod" p ON p."id" = t."podId"
     WHERE t."podId" IN (SELECT "id" FROM "MetricPod" WHERE "clusterId" = ?${podFilter}) AND t."at" >= ? AND t."at" <= ?
     ORDER BY t."at", p."name"`,
    ...[query.clusterId, ...(query.pod === undefined ? [] : [query.pod]), query.from, query.to],
  );
  return rows.map((row) => ({ ...toValues(row), pod: row.name ?? "", at: Number(row.at) }));
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
