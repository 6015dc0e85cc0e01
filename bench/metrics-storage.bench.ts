/**
 * `npm run bench:metrics-storage`: the stored metrics at the size issue 7 names. A temporary database is seeded with
 * 24 h of 15 s points for 10 pods (57,600 rows) and 30 days of 5-minute rollups (86,400 rows), then this prints
 * - the time to write one scrape round (10 and 100 pods) through `recordScrapeRound`;
 * - the first rollup of those 24 h (as after a start with no rollups yet) and a steady-state one;
 * - `querySeries` per metric for 15 min, 24 h and 30 days, per pod (one series per pod) and aggregated;
 * - a full metrics page: every chart the page shows, one after the other. Target (issue 7, part 7): under 1 s for
 *   24 h of 10 pods.
 * Seeding uses plain SQL (better-sqlite3) because 57,600 rounds through the app's writer would take minutes; the
 * rows are what `recordScrapeRound` writes. BENCH_PODS sets the pod count (default 10).
 */
import Database from "better-sqlite3";
import { registerCluster } from "@/lib/clusters/clusters";
import { createTestDatabase } from "@/lib/db/test-database";
import { POINT_FIELDS, RAW_RETENTION_MS, ROLLUP_BUCKET_MS, ROLLUP_RETENTION_MS, recordScrapeRound, rollUpPoints, type PointValues } from "@/lib/metrics/storage";
import { METRICS, querySeries, type MetricName } from "@/lib/metrics/storage-query";
import { formatMs, median, printTable } from "./measure";

const PODS = Number(process.env.BENCH_PODS ?? 10);
const STEP_MS = 15_000;
const PAGE_TARGET_MS = 1000;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);

/** A small deterministic random source (mulberry32), so that runs compare. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = createRandom(7);

/** Non-integer values in every column, one forward upstream: the worst case for size and parsing. */
function randomValues(): PointValues {
  const values = {} as PointValues;
  for (const field of POINT_FIELDS) values[field] = random() * 100;
  values.forwardUpstreams = { "10.96.0.10:53": { requests: random() * 10, errors: random() } };
  return values;
}

const podName = (i: number) => `coredns-668d6bf9bc-${String(i).padStart(5, "0")}`;

/** Inserts pods, 24 h of points before `now` and rollups from 30 days to 24 h before `now`, with plain SQL. */
function seed(file: string, clusterId: string, now: number): { points: number; rollups: number } {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const columns = ["podId", "at", ...POINT_FIELDS, "forwardUpstreams"];
  const insertPod = db.prepare(`INSERT INTO "MetricPod" ("clusterId", "name", "firstSeenAt", "lastSeenAt") VALUES (?, ?, ?, ?)`);
  const insertPoint = db.prepare(`INSERT INTO "MetricPoint" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
  const rollupColumns = ["podId", "at", "samples", ...POINT_FIELDS, "forwardUpstreams"];
  const insertRollup = db.prepare(
    `INSERT INTO "MetricRollup" (${rollupColumns.map((c) => `"${c}"`).join(", ")}) VALUES (${rollupColumns.map(() => "?").join(", ")})`,
  );
  const row = (values: PointValues) => [...POINT_FIELDS.map((f) => values[f]), JSON.stringify(values.forwardUpstreams)];
  let points = 0;
  let rollups = 0;
  const firstPoint = Math.ceil((now - RAW_RETENTION_MS) / STEP_MS) * STEP_MS;
  const rawStart = Math.floor((now - RAW_RETENTION_MS) / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  db.transaction(() => {
    for (let i = 0; i < PODS; i++) {
      const podId = Number(insertPod.run(clusterId, podName(i), now - ROLLUP_RETENTION_MS, now).lastInsertRowid);
      for (let at = firstPoint; at <= now; at += STEP_MS, points++) insertPoint.run(podId, at, ...row(randomValues()));
      // Older than the points: what earlier rollups left (the rollup of the last 24 h is timed below).
      for (let at = rawStart - ROLLUP_RETENTION_MS + RAW_RETENTION_MS; at < rawStart; at += ROLLUP_BUCKET_MS, rollups++) {
        insertRollup.run(podId, at, 20, ...row(randomValues()));
      }
    }
  })();
  db.close();
  return { points, rollups };
}

const database = createTestDatabase();
try {
  const cluster = await registerCluster({ name: "bench", connection: "in-cluster" }, database.db);
  const now = Math.floor(Date.now() / STEP_MS) * STEP_MS;
  const seedStart = performance.now();
  const seeded = seed(database.url.slice("file:".length), cluster.id, now);
  console.log(
    `Seeded ${PODS} pods: ${seeded.points.toLocaleString("en")} points (24 h) and ${seeded.rollups.toLocaleString("en")} rollups (30 days) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s.`,
  );

  // Writing rounds: the newest points, after the seeded ones.
  const writeRows: string[][] = [];
  for (const pods of [PODS, 100]) {
    const samples: number[] = [];
    for (let round = 1; round <= 20; round++) {
      const at = now + round * STEP_MS + (pods === PODS ? 0 : 10 * STEP_MS * 20);
      const records = Array.from({ length: pods }, (_, i) => ({
        pod: podName(i),
        values: randomValues(),
        reload: { hash: "a".repeat(128), failedTotal: 0, processStartAt: now - 86_400_000 },
        scrapedAt: at,
      }));
      const start = performance.now();
      await recordScrapeRound({ clusterId: cluster.id, at, pods: records }, database.db);
      samples.push(performance.now() - start);
    }
    writeRows.push([`${pods} pods`, formatMs(median(samples.slice(2))), formatMs(Math.max(...samples.slice(2)))]);
  }
  console.log("");
  console.log("Writing a scrape round (recordScrapeRound, 18 rounds after 2 warm-up):");
  printTable(["round", "median", "worst"], writeRows);

  // The first rollup: 24 h of points, no rollup of them yet. Then a steady-state one, a minute later.
  let start = performance.now();
  const firstRows = await rollUpPoints({ now }, database.db);
  const firstMs = performance.now() - start;
  start = performance.now();
  const nextRows = await rollUpPoints({ now: now + 5 * 60_000 }, database.db);
  const nextMs = performance.now() - start;
  console.log("");
  console.log(`Rollup: first run over 24 h of ${PODS} pods ${formatMs(firstMs)} (${firstRows.toLocaleString("en")} rollups); next run ${formatMs(nextMs)} (${nextRows} rollups).`);

  const ranges: [string, number][] = [
    ["15 min", 15 * 60_000],
    ["24 h", RAW_RETENTION_MS],
    ["30 d", ROLLUP_RETENTION_MS],
  ];
  const metrics = Object.keys(METRICS) as MetricName[];
  const queryNow = now + 20 * STEP_MS;
  const time = async (work: () => Promise<unknown>) => {
    await work();
    const samples: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const begin = performance.now();
      await work();
      samples.push(performance.now() - begin);
    }
    return median(samples);
  };
  const pageRows: string[][] = [];
  for (const [label, span] of ranges) {
    const rows: string[][] = [];
    const totals = { perPod: 0, aggregate: 0 };
    let points = 0;
    for (const metric of metrics) {
      const base = { clusterId: cluster.id, metric, from: queryNow - span, to: queryNow, now: queryNow };
      const perPod = await time(() => querySeries(base, database.db));
      const aggregate = await time(() => querySeries({ ...base, aggregate: true }, database.db));
      const sample = await querySeries({ ...base, aggregate: true }, database.db);
      points = Math.max(points, sample.timestamps.length);
      totals.perPod += perPod;
      totals.aggregate += aggregate;
      rows.push([metric, formatMs(perPod), formatMs(aggregate)]);
    }
    console.log("");
    console.log(`querySeries over ${label} (${points.toLocaleString("en")} timestamps), wall clock, median of ${REPEAT}:`);
    printTable(["metric", "per pod", "aggregate"], rows);
    // As the page loads them: every chart at once (Promise.all), wall clock and this process's CPU time.
    const page = async (aggregate: boolean) => {
      const cpu = process.cpuUsage();
      const begin = performance.now();
      await Promise.all(metrics.map((metric) => querySeries({ clusterId: cluster.id, metric, from: queryNow - span, to: queryNow, now: queryNow, aggregate }, database.db)));
      const used = process.cpuUsage(cpu);
      return { wall: performance.now() - begin, cpu: (used.user + used.system) / 1000 };
    };
    const samples = { perPod: [] as { wall: number; cpu: number }[], aggregate: [] as { wall: number; cpu: number }[] };
    for (let i = 0; i < 3; i++) {
      samples.perPod.push(await page(false));
      samples.aggregate.push(await page(true));
    }
    const wall = (list: { wall: number }[]) => median(list.map((s) => s.wall));
    const cpu = (list: { cpu: number }[]) => median(list.map((s) => s.cpu));
    pageRows.push([
      label,
      formatMs(wall(samples.perPod)),
      formatMs(cpu(samples.perPod)),
      formatMs(wall(samples.aggregate)),
      formatMs(cpu(samples.aggregate)),
      label === "24 h" ? (Math.max(wall(samples.perPod), wall(samples.aggregate)) < PAGE_TARGET_MS ? "yes" : "NO") : "",
    ]);
  }
  console.log("");
  console.log(`Full metrics page (${metrics.length} charts: ${metrics.join(", ")}), ${PODS} pods; target < ${PAGE_TARGET_MS} ms for 24 h:`);
  printTable(["range", "per pod (wall)", "per pod (CPU)", "aggregate (wall)", "aggregate (CPU)", "meets target"], pageRows);
  const [load] = (await import("node:os")).loadavg();
  console.log(`(load average while measuring: ${load?.toFixed(1)} on ${(await import("node:os")).availableParallelism()} cores; wall times grow with it, CPU times much less.)`);
} finally {
  await database.dispose();
}
