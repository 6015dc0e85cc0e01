/** Storage of derived series in a temporary SQLite file: batched rounds, rollups, retention and the chart query. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerCluster } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { createTestDatabase } from "@/lib/db/test-database";
import {
  POINT_FIELDS,
  closeMetricsReaders,
  readStoredPoints,
  RAW_RETENTION_MS,
  ROLLUP_BUCKET_MS,
  ROLLUP_RETENTION_MS,
  pruneMetrics,
  readReloadObservations,
  recordScrapeRound,
  rollUpPoints,
  summarisePoints,
  type PointField,
  type PointValues,
  type StoredPoint,
} from "./storage";
import { emptyLabelledRow, type LabelledRow } from "./labelled";
import { METRICS, chooseResolution, queryStoredMetrics, querySeries, type MetricName, type SeriesResult } from "./storage-query";

let database: ReturnType<typeof createTestDatabase>;
let cluster: ClusterSummary;
const T0 = Date.parse("2026-03-01T12:00:00Z");

beforeEach(async () => {
  database = createTestDatabase();
  cluster = await registerCluster({ name: "prod", connection: "kubeconfig", kubeconfigPath: "/nowhere" }, database.db);
});

afterEach(async () => {
  await closeMetricsReaders();
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
    // 120 pods and the cluster's sum, which has a point per round too.
    expect(await count("MetricPod")).toBe(121);
    expect(await count("MetricPoint")).toBe(363);
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
    // The pod's bucket and the cluster's sum's (the same values: one pod).
    expect(await rollUpPoints({ now: bucket + ROLLUP_BUCKET_MS + 61_000 }, database.db)).toBe(2);
    const rows = await database.db.$queryRawUnsafe<{ at: bigint; samples: number; qps: number; reloadFailures: number }[]>(
      `SELECT r."at", r."samples", r."qps", r."reloadFailures" FROM "MetricRollup" r JOIN "MetricPod" p ON p."id" = r."podId" WHERE p."isClusterSum" = 0`,
    );
    expect(rows.map((r) => ({ ...r, at: Number(r.at) }))).toEqual([{ at: bucket, samples: 20, qps: 10.5, reloadFailures: 1 }]);
    // Running again recomputes the newest bucket and adds nothing.
    await rollUpPoints({ now: bucket + ROLLUP_BUCKET_MS + 120_000 }, database.db);
    expect(await count("MetricRollup")).toBe(2);
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
    // The pod's first point and the cluster's sum of that round.
    expect(pruned).toMatchObject({ points: 2, rollups: 0, observations: 0, pods: 0 });
    pruned = await pruneMetrics({ now: T0 + RAW_RETENTION_MS + ROLLUP_RETENTION_MS + 1 }, database.db);
    expect(pruned.rollups).toBeGreaterThan(0);
    expect(pruned.pods).toBe(2);
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

/**
 * The chart query as it was computed in JavaScript from every stored row (before SQLite did the aggregation): the
 * reference the SQL must match, on data with gaps, nulls, idle pods and varying upstreams.
 */
function referenceSeries(points: StoredPoint[], metric: MetricName, mode: { pod?: string; aggregate?: boolean }): Pick<SeriesResult, "timestamps" | "series"> {
  const definition = METRICS[metric];
  const latency = new Set<PointField>(["latencyP50", "latencyP90", "latencyP99"]);
  const combine = (atTime: StoredPoint[], field: PointField) => {
    if (latency.has(field)) {
      let weighted = 0;
      let weight = 0;
      for (const p of atTime) {
        if (p[field] === null || p.qps === null || p.qps <= 0) continue;
        weighted += p[field]! * p.qps;
        weight += p.qps;
      }
      return weight > 0 ? weighted / weight : null;
    }
    const values = atTime.map((p) => p[field]).filter((v): v is number => v !== null);
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
  };
  const upstreamValue = (atTime: StoredPoint[], upstream: string, kind: "requests" | "errors") => {
    const values = atTime.map((p) => p.forwardUpstreams?.[upstream]?.[kind]).filter((v): v is number => typeof v === "number");
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
  };
  const timestamps = [...new Set(points.map((p) => p.at))].sort((a, b) => a - b);
  const upstreams = metric === "forward" ? [...new Set(points.flatMap((p) => Object.keys(p.forwardUpstreams ?? {})))].sort() : [];
  const columns = (select: (at: number) => StoredPoint[], pod?: string) => [
    ...definition.series.map(([name, field]) => ({ name, ...(pod ? { pod } : {}), values: timestamps.map((at) => combine(select(at), field)) })),
    ...upstreams.flatMap((u) =>
      (["requests", "errors"] as const).map((kind) => ({ name: `${u} ${kind}`, ...(pod ? { pod } : {}), values: timestamps.map((at) => upstreamValue(select(at), u, kind)) })),
    ),
  ];
  const atTime = (at: number) => points.filter((p) => p.at === at);
  if (mode.aggregate || mode.pod !== undefined) return { timestamps, series: columns(atTime, mode.pod) };
  const pods = [...new Set(points.map((p) => p.pod))].sort();
  return { timestamps, series: pods.flatMap((pod) => columns((at) => atTime(at).filter((p) => p.pod === pod), pod)) };
}

function expectSameSeries(actual: Pick<SeriesResult, "timestamps" | "series">, expected: Pick<SeriesResult, "timestamps" | "series">) {
  expect(actual.timestamps).toEqual(expected.timestamps);
  expect(actual.series.map((s) => [s.name, s.pod])).toEqual(expected.series.map((s) => [s.name, s.pod]));
  for (const [i, series] of expected.series.entries()) {
    const values = actual.series[i]!.values;
    series.values.forEach((value, j) => {
      if (value === null) expect(values[j]).toBeNull();
      else expect(values[j]).toBeCloseTo(value, 9);
    });
  }
}

describe("querySeries and rollUpPoints in SQL", () => {
  const bucket = Math.floor(T0 / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  let seed = 11;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const pods = ["coredns-b", "coredns-a", "coredns-c"];

  beforeEach(async () => {
    // 50 rounds over 3 buckets: pod c misses every third round, values are sometimes null or 0, upstreams vary.
    for (let round = 0; round < 50; round++) {
      const records = pods
        .filter((pod, i) => !(i === 2 && round % 3 === 0))
        .map((pod) => {
          const values: Partial<PointValues> = {};
          for (const field of POINT_FIELDS) values[field] = random() < 0.1 ? null : Math.round(random() * 1000) / 10;
          if (random() < 0.15) values.qps = 0;
          const upstreams: Record<string, { requests: number; errors: number }> = {};
          if (random() < 0.8) upstreams["10.0.0.1:53"] = { requests: random() * 5, errors: random() };
          if (pod !== "coredns-a" && random() < 0.5) upstreams["[fd00::1]:53"] = { requests: 2, errors: 0 };
          return { pod, values: point({ ...values, forwardUpstreams: Object.keys(upstreams).length > 0 ? upstreams : null }) };
        });
      await recordScrapeRound({ clusterId: cluster.id, at: bucket + 7_000 + round * 15_000, pods: records }, database.db);
    }
  });

  it("gives what the JavaScript computation gave, for every metric, per pod, one pod and the cluster", async () => {
    const range = { clusterId: cluster.id, from: bucket, to: bucket + 3600_000, now: bucket + 3600_000 };
    const points = await readStoredPoints({ clusterId: cluster.id, from: range.from, to: range.to, table: "MetricPoint" }, database.db);
    expect(points).toHaveLength(50 * 3 - 17);
    for (const metric of Object.keys(METRICS) as MetricName[]) {
      for (const mode of [{}, { aggregate: true }, { pod: "coredns-c" }]) {
        const actual = await querySeries({ ...range, ...mode, metric }, database.db);
        const pointsOf = "pod" in mode ? points.filter((p) => p.pod === mode.pod) : points;
        expectSameSeries(actual, referenceSeries(pointsOf, metric, mode));
      }
    }
  });

  it("rolls up in SQL what summarisePoints computes, and charts the rollups like the points", async () => {
    const now = bucket + 4 * ROLLUP_BUCKET_MS;
    // 3 pods and the cluster's sum, 3 buckets each.
    expect(await rollUpPoints({ now }, database.db)).toBe(12);
    const points = await readStoredPoints({ clusterId: cluster.id, from: bucket, to: now, table: "MetricPoint" }, database.db);
    const rollups = await readStoredPoints({ clusterId: cluster.id, from: bucket, to: now, table: "MetricRollup" }, database.db);
    for (const rollup of rollups) {
      const inBucket = points.filter((p) => p.pod === rollup.pod && p.at >= rollup.at && p.at < rollup.at + ROLLUP_BUCKET_MS);
      const { samples, ...expected } = summarisePoints(inBucket);
      expect(samples).toBeGreaterThan(0);
      for (const field of POINT_FIELDS) {
        if (expected[field] === null) expect(rollup[field], field).toBeNull();
        else expect(rollup[field], field).toBeCloseTo(expected[field]!, 9);
      }
      expect(Object.keys(rollup.forwardUpstreams ?? {}).sort()).toEqual(Object.keys(expected.forwardUpstreams ?? {}).sort());
      for (const [upstream, rates] of Object.entries(expected.forwardUpstreams ?? {})) {
        expect(rollup.forwardUpstreams![upstream]!.requests).toBeCloseTo(rates.requests, 9);
        expect(rollup.forwardUpstreams![upstream]!.errors).toBeCloseTo(rates.errors, 9);
      }
    }
    const charted = await querySeries({ clusterId: cluster.id, metric: "forward", from: bucket, to: now, resolution: "5m" }, database.db);
    expectSameSeries(charted, referenceSeries(rollups, "forward", {}));
  });
});

describe("labelled series, the cluster's sum and the page's query (queryStoredMetrics)", () => {
  const bucket = Math.floor(T0 / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  const labelled = (scale: number, zones = 1): LabelledRow[] => [
    ...Array.from({ length: zones }, (_, i) => ({ ...emptyLabelledRow("zone", i === 0 ? ". dns://:53" : `zone${i}.example. dns://:53`), value: 10 * scale + i / 1000 })),
    { ...emptyLabelledRow("plugin", "forward"), value: 4 * scale },
    { ...emptyLabelledRow("upstream", "10.0.0.1:53"), value: 2 * scale, errors: 0, p50: 0.001 * scale, p99: 0.01 * scale, failures: 1 },
  ];
  async function writeRounds(rounds: number, zones = 1) {
    for (let round = 0; round < rounds; round++) {
      await recordScrapeRound(
        {
          clusterId: cluster.id,
          at: bucket + round * 15_000,
          pods: [
            { pod: "coredns-a", values: point({ qps: 10, forwardHealthcheckBroken: round === 3 ? 1 : 0 }), labelled: labelled(1, zones) },
            { pod: "coredns-b", values: point({ qps: 30, forwardHealthcheckBroken: 0 }), labelled: labelled(3, zones) },
          ],
        },
        database.db,
      );
    }
  }
  const names = (result: SeriesResult | undefined) => result!.series.map((s) => [s.pod ?? null, s.name, s.values[0]]);

  it("stores each pod's labelled rows and the cluster's sum, and answers per pod and for the cluster", async () => {
    await writeRounds(4);
    const range = { clusterId: cluster.id, from: bucket, to: bucket + 60_000, now: bucket + 60_000 };
    const metrics = ["qpsByZone", "responsesByPlugin", "forwardLatency", "healthcheckFailures"] as const;
    const cluster99 = await queryStoredMetrics({ ...range, aggregate: true, metrics }, database.db);
    expect(cluster99.qpsByZone!.timestamps).toHaveLength(4);
    expect(names(cluster99.qpsByZone)).toEqual([[null, ". dns://:53", 40]]);
    expect(names(cluster99.responsesByPlugin)).toEqual([[null, "forward", 16]]);
    // p50 weighted by each pod's requests: (0.001 * 2 + 0.003 * 6) / 8.
    expect(cluster99.forwardLatency!.series.map((s) => s.name)).toEqual(["10.0.0.1:53 p50", "10.0.0.1:53 p99"]);
    expect(cluster99.forwardLatency!.series[0]!.values[0]).toBeCloseTo(0.0025, 12);
    expect(cluster99.healthcheckFailures!.series.map((s) => [s.name, s.values.reduce<number>((a, b) => a + (b ?? 0), 0)])).toEqual([
      ["all upstreams down", 1],
      ["10.0.0.1:53", 8],
    ]);
    const perPod = await queryStoredMetrics({ ...range, metrics: ["qpsByZone"] }, database.db);
    expect(names(perPod.qpsByZone)).toEqual([
      ["coredns-a", ". dns://:53", 10],
      ["coredns-b", ". dns://:53", 30],
    ]);
    const one = await queryStoredMetrics({ ...range, pod: "coredns-b", metrics: ["forwardLatency"] }, database.db);
    expect(names(one.forwardLatency)).toEqual([
      ["coredns-b", "10.0.0.1:53 p50", 0.003],
      ["coredns-b", "10.0.0.1:53 p99", 0.03],
    ]);
  });

  it("keeps at most 20 zones per pod and round, however many a scrape reports", async () => {
    await writeRounds(2, 60);
    const rows = await database.db.$queryRawUnsafe<{ podId: number; at: bigint; n: bigint }[]>(
      `SELECT "podId", "at", COUNT(*) AS n FROM "MetricLabelPoint" WHERE "kind" = 'zone' GROUP BY "podId", "at"`,
    );
    expect(rows).toHaveLength(3 * 2);
    // 20 zones and "(other)" (the cluster's sum can keep "(other)" among its 20 largest: then 20 rows).
    for (const row of rows) expect(Number(row.n)).toBeGreaterThanOrEqual(20);
    for (const row of rows) expect(Number(row.n)).toBeLessThanOrEqual(21);
    const result = await queryStoredMetrics({ clusterId: cluster.id, from: bucket, to: bucket + 60_000, now: bucket + 60_000, aggregate: true, metrics: ["qpsByZone"] }, database.db);
    expect(result.qpsByZone!.series.map((s) => s.name)).toContain("(other)");
  });

  it("combines points into the chart's buckets in SQL, and reads rollups plus the newest points for long ranges", async () => {
    await writeRounds(40);
    const range = { clusterId: cluster.id, from: bucket, to: bucket + 40 * 15_000, now: bucket + 40 * 15_000 };
    const bucketed = await queryStoredMetrics({ ...range, aggregate: true, maxPoints: 5, metrics: ["qps", "reloads", "healthcheckFailures"] }, database.db);
    // 10 minutes in at most 5 points: 2-minute buckets (8 rounds each), the last holding the 41st boundary.
    expect(bucketed.qps!.stepMs).toBe(120_000);
    expect(bucketed.qps!.timestamps.length).toBeLessThanOrEqual(6);
    expect(bucketed.qps!.series[0]!.values.every((v) => v === 40)).toBe(true);
    // Counts add up in a bucket: the one failure of round 4, and 2 pods x 8 rounds of one failed health check.
    expect(bucketed.healthcheckFailures!.series[0]!.values[0]).toBe(1);
    expect(bucketed.healthcheckFailures!.series[1]!.values[1]).toBe(16);

    // The first bucket rolled up; a long-range chart reads it and then the points after it.
    await rollUpPoints({ now: bucket + ROLLUP_BUCKET_MS + 61_000 }, database.db);
    const long = await queryStoredMetrics({ ...range, aggregate: true, resolution: "5m", metrics: ["qps", "qpsByZone"] }, database.db);
    expect(long.qps!.timestamps[0]).toBe(bucket);
    expect(long.qps!.timestamps.slice(1)).toEqual(Array.from({ length: 20 }, (_, i) => bucket + ROLLUP_BUCKET_MS + i * 15_000));
    expect(long.qps!.series[0]!.values.every((v) => v === 40)).toBe(true);
    expect(long.qpsByZone!.series[0]!.values.every((v) => v === 40)).toBe(true);
  });
});
