/**
 * `npm run bench:metrics-storage`: the stored metrics at the size issue 7 names. A temporary database is seeded with
 * 24 h of 15 s points for 10 pods (57,600 rows) and 30 days of 5-minute rollups (86,400 rows), each with 7 labelled
 * rows (2 zones, 3 answering plugins, 2 upstreams), plus the cluster's sum rows that every round writes; then this
 * prints
 * - the time to write one scrape round (10 and 100 pods) through `recordScrapeRound` (points, labelled rows, the sum);
 * - the first rollup of those 24 h (as after a start with no rollups yet) and a steady-state one;
 * - the metrics page's data load, exactly what `/metrics` runs (`loadMetricsDashboard`: every chart's series in one
 *   scan per table, reduced to the charts' resolution in SQL, the charts shaped, the revision markers), for the cluster
 *   view (the default), one series per pod, and one pod; 15 min, 24 h and 30 days. Target (issue 7, part 7): under
 *   1 s for 24 h of 10 pods.
 * Seeding uses plain SQL (better-sqlite3) because 57,600 rounds through the app's writer would take minutes; the
 * rows are what `recordScrapeRound` writes. BENCH_PODS sets the pod count (default 10).
 */
import Database from "better-sqlite3";
import { registerCluster } from "@/lib/clusters/clusters";
import type { PrismaClient } from "@/lib/db/generated/client";
import { createTestDatabase } from "@/lib/db/test-database";
import { loadMetricsDashboard } from "@/components/metrics/load-metrics";
import { readPodChoice, readTimeRange } from "@/components/metrics/time-ranges";
import {
  CLUSTER_SUM_POD,
  POINT_FIELDS,
  RAW_RETENTION_MS,
  ROLLUP_BUCKET_MS,
  ROLLUP_RETENTION_MS,
  recordScrapeRound,
  rollUpPoints,
  type PointValues,
} from "@/lib/metrics/storage";
import { emptyLabelledRow, type LabelledRow } from "@/lib/metrics/labelled";
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

/** What a kubeadm cluster with one stub domain reports: 2 zones, 3 answering plugins, 2 forward upstreams. */
function randomLabelled(): LabelledRow[] {
  const rate = () => random() * 50;
  return [
    { ...emptyLabelledRow("zone", ". dns://:53"), value: rate() },
    { ...emptyLabelledRow("zone", "corp.example. dns://:53"), value: rate() },
    { ...emptyLabelledRow("plugin", ""), value: rate() },
    { ...emptyLabelledRow("plugin", "loadbalance"), value: rate() },
    { ...emptyLabelledRow("plugin", "forward"), value: rate() },
    ...["10.96.0.10:53", "10.96.0.11:53"].map((to) => ({ ...emptyLabelledRow("upstream", to), value: rate(), errors: random(), p50: random() / 100, p99: random() / 10, failures: random() < 0.01 ? 1 : 0 })),
  ];
}

/**
 * Inserts pods and the cluster's sum row, 24 h of points before `now` and rollups from 30 days to 24 h before `now`,
 * each with its labelled rows, with plain SQL.
 */
function seed(file: string, clusterId: string, now: number): { points: number; rollups: number; labelled: number } {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const columns = ["podId", "at", ...POINT_FIELDS, "forwardUpstreams"];
  const insertPod = db.prepare(`INSERT INTO "MetricPod" ("clusterId", "name", "firstSeenAt", "lastSeenAt", "isClusterSum") VALUES (?, ?, ?, ?, ?)`);
  const insertPoint = db.prepare(`INSERT INTO "MetricPoint" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
  const rollupColumns = ["podId", "at", "samples", ...POINT_FIELDS, "forwardUpstreams"];
  const insertRollup = db.prepare(
    `INSERT INTO "MetricRollup" (${rollupColumns.map((c) => `"${c}"`).join(", ")}) VALUES (${rollupColumns.map(() => "?").join(", ")})`,
  );
  const row = (values: PointValues) => [...POINT_FIELDS.map((f) => values[f]), JSON.stringify(values.forwardUpstreams)];
  const labelColumns = `"podId", "kind", "at", "label", "value", "errors", "p50", "p99", "failures"`;
  const insertLabelPoint = db.prepare(`INSERT INTO "MetricLabelPoint" (${labelColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertLabelRollup = db.prepare(`INSERT INTO "MetricLabelRollup" (${labelColumns}, "samples") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 20)`);
  const labelRows = (statement: Database.Statement, podId: number, at: number) => {
    for (const r of randomLabelled()) statement.run(podId, r.kind, at, r.label, r.value, r.errors, r.p50, r.p99, r.failures);
    labelled += 7;
  };
  let points = 0;
  let rollups = 0;
  let labelled = 0;
  const firstPoint = Math.ceil((now - RAW_RETENTION_MS) / STEP_MS) * STEP_MS;
  const rawStart = Math.floor((now - RAW_RETENTION_MS) / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  db.transaction(() => {
    // The pods, and the cluster's sum (last): its rows are what recordScrapeRound writes for the cluster view.
    for (let i = 0; i <= PODS; i++) {
      const name = i === PODS ? CLUSTER_SUM_POD : podName(i);
      const podId = Number(insertPod.run(clusterId, name, now - ROLLUP_RETENTION_MS, now, i === PODS ? 1 : 0).lastInsertRowid);
      for (let at = firstPoint; at <= now; at += STEP_MS, points++) {
        insertPoint.run(podId, at, ...row(randomValues()));
        labelRows(insertLabelPoint, podId, at);
      }
      // Older than the points: what earlier rollups left (the rollup of the last 24 h is timed below).
      for (let at = rawStart - ROLLUP_RETENTION_MS + RAW_RETENTION_MS; at < rawStart; at += ROLLUP_BUCKET_MS, rollups++) {
        insertRollup.run(podId, at, 20, ...row(randomValues()));
        labelRows(insertLabelRollup, podId, at);
      }
    }
  })();
  db.close();
  return { points, rollups, labelled };
}

const database = createTestDatabase();
// The page's loader reads through the app's client (getDb): make it this database.
(globalThis as { coredeckPrisma?: PrismaClient }).coredeckPrisma = database.db;
try {
  const cluster = await registerCluster({ name: "bench", connection: "in-cluster" }, database.db);
  const now = Math.floor(Date.now() / STEP_MS) * STEP_MS;
  const seedStart = performance.now();
  const seeded = seed(database.url.slice("file:".length), cluster.id, now);
  console.log(
    `Seeded ${PODS} pods and the cluster's sum: ${seeded.points.toLocaleString("en")} points (24 h), ${seeded.rollups.toLocaleString("en")} rollups (30 days) and ${seeded.labelled.toLocaleString("en")} labelled rows in ${((performance.now() - seedStart) / 1000).toFixed(1)} s.`,
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
        labelled: randomLabelled(),
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

  const queryNow = now + 20 * STEP_MS;
  // What the page does for a request, wall clock and this process's CPU time.
  const load = async (range: string, pod: string | undefined) => {
    const cpu = process.cpuUsage();
    const begin = performance.now();
    const data = await loadMetricsDashboard(cluster, { range: readTimeRange(range), pod: readPodChoice(pod), now: queryNow });
    const used = process.cpuUsage(cpu);
    return { wall: performance.now() - begin, cpu: (used.user + used.system) / 1000, points: Math.max(...data.charts.map((c) => c.times.length)), charts: data.charts.length };
  };
  const views: [string, string | undefined][] = [
    ["cluster (default)", undefined],
    ["one series per pod", "*"],
    ["one pod", podName(0)],
  ];
  const rows: string[][] = [];
  let charts = 0;
  let target = "";
  for (const range of ["15m", "24h", "30d"]) {
    for (const [label, pod] of views) {
      await load(range, pod);
      const samples = [];
      for (let i = 0; i < REPEAT; i++) samples.push(await load(range, pod));
      const wall = median(samples.map((s) => s.wall));
      const cpu = median(samples.map((s) => s.cpu));
      charts = samples[0]!.charts;
      rows.push([readTimeRange(range).label, label, formatMs(wall), formatMs(cpu), formatMs(Math.max(...samples.map((s) => s.wall))), String(samples[0]!.points)]);
      if (range === "24h") target += `${label}: ${wall < PAGE_TARGET_MS ? "yes" : "NO"} (${formatMs(wall)}); `;
    }
  }
  console.log("");
  console.log(`The metrics page's data load (loadMetricsDashboard: ${charts} charts, markers), ${PODS} pods, median of ${REPEAT}:`);
  printTable(["range", "view", "wall", "CPU", "worst wall", "points per chart"], rows);
  console.log(`Target < ${PAGE_TARGET_MS} ms for 24 h: ${target}`);
  const os = await import("node:os");
  console.log(`(load average while measuring: ${os.loadavg()[0]?.toFixed(1)} on ${os.availableParallelism()} cores; wall times grow with it, CPU times much less.)`);
} finally {
  await database.dispose();
}
