/** Storage of derived series in a temporary SQLite file: batched rounds, rollups, retention and the chart query. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerCluster } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { createTestDatabase } from "@/lib/db/test-database";
import {
  POINT_FIELDS,
  RAW_RETENTION_MS,
  ROLLUP_BUCKET_MS,
  ROLLUP_RETENTION_MS,
  pruneMetrics,
  readReloadObservations,
  recordScrapeRound,
  rollUpPoints,
  summarisePoints,
  type PointValues,
} from "./storage";
import { chooseResolution, querySeries } from "./storage-query";

let database: ReturnType<typeof createTestDatabase>;
let cluster: ClusterSummary;
const T0 = Date.parse("2026-03-01T12:00:00Z");

beforeEach(async () => {
  database = createTestDatabase();
  cluster = await registerCluster({ name: "prod", connection: "kubeconfig", kubeconfigPath: "/nowhere" }, database.db);
});

afterEach(async () => {
  await database.dispose();
});

function point(values: Partial<PointValues>): PointValues {
  const full = { forwardUpstreams: null } as PointValues;
  for (const field of POINT_FIELDS) full[field] = null;
  return { ...full, ...values };
}

const count = async (table: string) => Number((await database.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT COUNT(*) AS n FROM "${table}"`))[0]!.n);

describe("recordScrapeRound", () => {
  it("writes a round of many pods in one go and a reload observation only when the state changes", async () => {
    const pods = Array.from({ length: 120 }, (_, i) => `coredns-${String(i).padStart(3, "0")}`);
    const reload = { hash: "a".repeat(128), failedTotal: 0, processStartAt: T0 - 3600_000 };
    for (let round = 0; round < 3; round++) {
      await recordScrapeRound(
        {
          clusterId: cluster.id,
          at: T0 + round * 15_000,
          pods: pods.map((pod) => ({ pod, values: point({ qps: 10 + round }), reload: round === 2 && pod.endsWith("7") ? { ...reload, hash: "b".repeat(128) } : reload })),
        },
        database.db,
      );
    }
    expect(await count("MetricPod")).toBe(120);
    expect(await count("MetricPoint")).toBe(360);
    // 120 first sightings, then the 12 pods whose name ends in 7 changed hash in round 3.
    expect(await count("MetricReloadObservation")).toBe(132);
    const history = await readReloadObservations({ clusterId: cluster.id, pods: ["coredns-007"], since: 0 }, database.db);
    expect(history.get("coredns-007")!.map((o) => [o.at - T0, o.hash![0]])).toEqual([
      [0, "a"],
      [30_000, "b"],
    ]);
  });
});

describe("summarisePoints", () => {
  it("averages rates and gauges, sums counts and weights latency by query rate (hand-computed)", () => {
    const summary = summarisePoints([
      point({ qps: 10, latencyP99: 0.002, rssBytes: 100, reloads: 0, panics: 0, forwardUpstreams: { "1.1.1.1:53": { requests: 4, errors: 1 } } }),
      point({ qps: 30, latencyP99: 0.006, rssBytes: 300, reloads: 1, panics: 2, forwardUpstreams: { "1.1.1.1:53": { requests: 8, errors: 0 } } }),
      point({ qps: null, latencyP99: null, rssBytes: 200, reloads: null }),
    ]);
    expect(summary.samples).toBe(3);
    expect(summary.qps).toBe(20);
    // (0.002 * 10 + 0.006 * 30) / 40 = 0.005
    expect(summary.latencyP99).toBeCloseTo(0.005, 12);
    expect(summary.rssBytes).toBe(200);
    expect(summary.reloads).toBe(1);
    expect(summary.panics).toBe(2);
    expect(summary.cacheHits).toBeNull();
    expect(summary.forwardUpstreams).toEqual({ "1.1.1.1:53": { requests: 6, errors: 0.5 } });
  });
});

describe("rollUpPoints and pruneMetrics", () => {
  async function writePoints(pod: string, from: number, values: number[]) {
    for (const [i, qps] of values.entries()) {
      await recordScrapeRound({ clusterId: cluster.id, at: from + i * 15_000, pods: [{ pod, values: point({ qps, reloadFailures: i === 0 ? 1 : 0 }) }] }, database.db);
    }
  }

  it("rolls up finished 5-minute buckets only, once, and matches hand-computed means", async () => {
    const bucket = Math.floor(T0 / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
    // 20 points fill the first bucket (qps 1..20), 4 points start the next one.
    await writePoints("coredns-a", bucket, [...Array.from({ length: 20 }, (_, i) => i + 1), 100, 100, 100, 100]);
    expect(await rollUpPoints({ now: bucket + ROLLUP_BUCKET_MS + 30_000 }, database.db)).toBe(0);
    expect(await rollUpPoints({ now: bucket + ROLLUP_BUCKET_MS + 61_000 }, database.db)).toBe(1);
    const rows = await database.db.$queryRawUnsafe<{ at: bigint; samples: number; qps: number; reloadFailures: number }[]>(
      `SELECT "at", "samples", "qps", "reloadFailures" FROM "MetricRollup"`,
    );
    expect(rows.map((r) => ({ ...r, at: Number(r.at) }))).toEqual([{ at: bucket, samples: 20, qps: 10.5, reloadFailures: 1 }]);
    // Running again recomputes the newest bucket and adds nothing.
    await rollUpPoints({ now: bucket + ROLLUP_BUCKET_MS + 120_000 }, database.db);
    expect(await count("MetricRollup")).toBe(1);
  });

  it("prunes points after 24 h, rollups after 30 days, and keeps each pod's newest reload observation", async () => {
    await recordScrapeRound(
      { clusterId: cluster.id, at: T0, pods: [{ pod: "coredns-a", values: point({ qps: 1 }), reload: { hash: "x", failedTotal: 0, processStartAt: 1 } }] },
      database.db,
    );
    await recordScrapeRound({ clusterId: cluster.id, at: T0 + RAW_RETENTION_MS, pods: [{ pod: "coredns-a", values: point({ qps: 2 }) }] }, database.db);
    await rollUpPoints({ now: T0 + RAW_RETENTION_MS }, database.db);
    expect(await count("MetricRollup")).toBeGreaterThan(0);

    let pruned = await pruneMetrics({ now: T0 + RAW_RETENTION_MS + 1 }, database.db);
    expect(pruned).toMatchObject({ points: 1, rollups: 0, observations: 0, pods: 0 });
    pruned = await pruneMetrics({ now: T0 + RAW_RETENTION_MS + ROLLUP_RETENTION_MS + 1 }, database.db);
    expect(pruned.rollups).toBeGreaterThan(0);
    expect(pruned.pods).toBe(1);
    expect(await count("MetricReloadObservation")).toBe(0);
  });
});

describe("querySeries", () => {
  beforeEach(async () => {
    for (let i = 0; i < 4; i++) {
      await recordScrapeRound(
        {
          clusterId: cluster.id,
          at: T0 + i * 15_000,
          pods: [
            { pod: "coredns-a", values: point({ qps: 10, latencyP99: 0.001, forwardUpstreams: { "8.8.8.8:53": { requests: 2, errors: 0 } } }) },
            { pod: "coredns-b", values: point({ qps: 30, latencyP99: 0.005, forwardUpstreams: { "8.8.8.8:53": { requests: 3, errors: 1 } } }) },
          ],
        },
        database.db,
      );
    }
    await rollUpPoints({ now: T0 + 3600_000 }, database.db);
  });

  it("picks 15 s points inside their retention and 5-minute rollups beyond", async () => {
    expect(chooseResolution(T0, T0 + RAW_RETENTION_MS)).toBe("15s");
    expect(chooseResolution(T0, T0 + RAW_RETENTION_MS + 1)).toBe("5m");
    const recent = await querySeries({ clusterId: cluster.id, metric: "qps", aggregate: true, from: T0, to: T0 + 3600_000, now: T0 + 3600_000 }, database.db);
    expect(recent.resolution).toBe("15s");
    expect(recent.timestamps).toEqual([T0, T0 + 15_000, T0 + 30_000, T0 + 45_000]);
    expect(recent.series).toEqual([{ name: "total", values: [40, 40, 40, 40] }]);

    const old = await querySeries({ clusterId: cluster.id, metric: "qps", aggregate: true, from: T0, to: T0 + 3600_000, now: T0 + 2 * RAW_RETENTION_MS }, database.db);
    expect(old.resolution).toBe("5m");
    expect(old.stepMs).toBe(ROLLUP_BUCKET_MS);
    expect(old.timestamps).toEqual([Math.floor(T0 / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS]);
    expect(old.series[0]!.values).toEqual([40]);
  });

  it("answers per pod, for one pod, and aggregates latency by query rate", async () => {
    const range = { clusterId: cluster.id, from: T0, to: T0 + 60_000, now: T0 + 60_000 };
    const perPod = await querySeries({ ...range, metric: "qps" }, database.db);
    expect(perPod.series.map((s) => [s.pod, s.values[0]])).toEqual([
      ["coredns-a", 10],
      ["coredns-b", 30],
    ]);
    const one = await querySeries({ ...range, metric: "latency", pod: "coredns-b" }, database.db);
    expect(one.series.find((s) => s.name === "p99")!.values[0]).toBe(0.005);
    const cluster99 = await querySeries({ ...range, metric: "latency", aggregate: true }, database.db);
    // (0.001 * 10 + 0.005 * 30) / 40 = 0.004
    expect(cluster99.series.find((s) => s.name === "p99")!.values[0]).toBeCloseTo(0.004, 12);
    const forward = await querySeries({ ...range, metric: "forward", aggregate: true }, database.db);
    expect(forward.series.map((s) => [s.name, s.values[0]])).toEqual([
      ["requests", null],
      ["errors", null],
      ["8.8.8.8:53 requests", 5],
      ["8.8.8.8:53 errors", 1],
    ]);
  });
});
