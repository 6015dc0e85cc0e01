/**
 * `npm run bench:history`: the history list with a large history, and the line diff of two large Corefiles.
 * Targets (issue 5): the history list answers in under 50 ms (p95) with 100,000 revisions in the database; a diff of two
 * 5,000-line Corefiles renders without freezing the page (Monaco computes its diff in a web worker; the plain-text view
 * computes it on the main thread, timed here).
 *
 * The database is seeded with plain SQL (through the same triggers the app's writes fire, so the search index is
 * real) because appending 100,000 revisions one by one through Prisma would take most of an hour here.
 * BENCH_REVISIONS sets the history size (default 100,000).
 */
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { registerCluster } from "@/lib/clusters/clusters";
import { diffLines } from "@/lib/corefile-language/line-diff";
import { createTestDatabase } from "@/lib/db/test-database";
import { listRevisions } from "@/lib/revisions/revisions";
import { formatMs, median, printTable } from "./measure";

const REVISIONS = Number(process.env.BENCH_REVISIONS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const TARGET_P95_MS = 50;
const AUTHORS = ["alice", "bob", "carol", "kubectl-edit", "kubeadm", "argocd-controller"];
const SOURCES = ["dashboard", "external", "rollback"] as const;

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? 0;
}

/** The kubeadm Corefile with a few per-revision differences (TTL, a hosts entry, now and then a stub domain). */
function corefileOf(seed: string, n: number): string {
  let text = seed.replace("cache 30 {", `cache ${30 + (n % 90)} {`);
  text = text.replace("    ready\n", `    ready\n    hosts {\n        10.1.${(n >> 8) & 255}.${n & 255} build-${n}.internal\n        fallthrough\n    }\n`);
  if (n % 1000 === 0) text += `\nlegacy-${n}.corp:53 {\n    forward . 10.9.${(n >> 8) & 255}.${n & 255}\n}\n`;
  return text;
}

function seedHistory(file: string, clusterId: string, seed: string): number {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const insert = db.prepare(
    `INSERT INTO "Revision" ("id","clusterId","number","createdAt","author","message","source","text","sha256","reloadHash",
      "resourceVersionBefore","resourceVersionAfter","parentId","restoredFromId","linesAdded","linesRemoved")
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const start = performance.now();
  const start0 = Date.now() - REVISIONS * 60_000;
  let parentId: string | null = null;
  db.transaction(() => {
    for (let n = 1; n <= REVISIONS; n++) {
      const id = randomUUID();
      const text = corefileOf(seed, n);
      const source = SOURCES[n % 7 === 0 ? 2 : n % 3 === 0 ? 1 : 0] ?? "dashboard";
      insert.run(
        id,
        clusterId,
        n,
        new Date(start0 + n * 60_000).toISOString().replace("Z", "+00:00"),
        AUTHORS[n % AUTHORS.length],
        n % 1000 === 0 ? `stub domain legacy-${n}.corp` : `raise the cache TTL (${n})`,
        source,
        text,
        createHash("sha256").update(text).digest("hex"),
        null,
        n === 1 ? null : String(n),
        String(n + 1),
        parentId,
        null,
        2,
        2,
      );
      parentId = id;
    }
  })();
  db.close();
  return performance.now() - start;
}

const database = createTestDatabase();
try {
  const cluster = await registerCluster({ name: "bench", connection: "in-cluster" }, database.db);
  const seed = readFileSync(path.resolve(import.meta.dirname, "../sandbox/seed/kubeadm-Corefile.conf"), "utf8");
  const seedMs = seedHistory(database.url.slice("file:".length), cluster.id, seed);
  console.log(`History of ${REVISIONS.toLocaleString("en")} revisions seeded in ${(seedMs / 1000).toFixed(1)} s (with the search index).`);

  // A cursor deep in the history, for "page 1,000".
  const deep = await database.db.revision.findFirst({ where: { clusterId: cluster.id, number: Math.max(1, REVISIONS - 50_000) }, select: { id: true } });
  const cases: [string, () => Promise<unknown>][] = [
    ["newest 50", () => listRevisions(cluster.id, { limit: 50 }, database.db)],
    ["50 from the middle (cursor)", () => listRevisions(cluster.id, { limit: 50, cursor: deep?.id }, database.db)],
    ["by author", () => listRevisions(cluster.id, { limit: 50, filter: { author: "kubectl-edit" } }, database.db)],
    ["by source (rollback)", () => listRevisions(cluster.id, { limit: 50, filter: { source: "rollback" } }, database.db)],
    ["text, rare (\"legacy-42000\")", () => listRevisions(cluster.id, { limit: 50, filter: { text: "legacy-42000" } }, database.db)],
    ["text, an IP (\"10.1.3.7 \")", () => listRevisions(cluster.id, { limit: 50, filter: { text: "10.1.3.7 " } }, database.db)],
    ["text, in every revision (\"forward\")", () => listRevisions(cluster.id, { limit: 50, filter: { text: "forward" } }, database.db)],
  ];
  const rows: string[][] = [];
  for (const [name, work] of cases) {
    for (let i = 0; i < 5; i++) await work();
    const samples: number[] = [];
    const rounds = name.includes("every") ? Math.min(ROUNDS, 20) : ROUNDS;
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      await work();
      samples.push(performance.now() - start);
    }
    const p95 = percentile(samples, 0.95);
    rows.push([name, formatMs(median(samples)), formatMs(p95), name.startsWith("newest") || name.includes("middle") ? (p95 < TARGET_P95_MS ? "yes" : "NO") : ""]);
  }
  console.log("");
  console.log(`History list (listRevisions), ${REVISIONS.toLocaleString("en")} revisions, ${ROUNDS} rounds; target p95 < ${TARGET_P95_MS} ms:`);
  printTable(["query", "median", "p95", "meets target"], rows);
} finally {
  await database.dispose();
}

// Two 5,000-line Corefiles that differ here and there: what the plain-text diff view computes on the main thread.
const hostsLines = (shift: number) =>
  Array.from({ length: 4990 }, (_, i) => `        10.2.${(i >> 8) & 255}.${i & 255} node-${i % 97 === 0 ? i + shift : i}.internal`);
const bigCorefile = (shift: number) => `.:53 {\n    errors\n    hosts {\n${hostsLines(shift).join("\n")}\n        fallthrough\n    }\n    forward . /etc/resolv.conf\n}\n`;
const before = bigCorefile(0);
const after = bigCorefile(1);
const samples: number[] = [];
let changed = 0;
for (let i = 0; i < 10; i++) {
  const start = performance.now();
  changed = diffLines(before, after).filter((line) => line.kind !== "same").length;
  samples.push(performance.now() - start);
}
console.log("");
console.log(
  `Line diff of two ${before.split("\n").length - 1}-line Corefiles (${changed} changed lines): median ${formatMs(median(samples))}, worst ${formatMs(Math.max(...samples))}` +
    " on the main thread (the plain-text view); Monaco's diff editor computes in its worker.",
);
