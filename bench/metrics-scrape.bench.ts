/**
 * `npm run bench:metrics-scrape`: what collecting the metrics of 100 CoreDNS pods costs this process. Target (issue 7,
 * part 7): under 5% of one core at the default 15 s interval.
 *
 * The pods are the sandbox's simulated CoreDNS 1.14.7 pods (`coreDnsPods: 100`), served by a sandbox in a child
 * process, so that rendering their pages is not counted here. This process runs the real collector (lib/metrics/
 * collector.ts): discovery through the Kubernetes API, scraping through the API server's pod proxy, parsing, deriving
 * and storing in a temporary SQLite file, plus the minute's rollup and pruning. The sandbox's clock is moved 15 s per
 * round, so counters and rates look like a live cluster's, and rounds run back to back.
 * Printed: this process's CPU time per round (process.cpuUsage: user + system), split by stage, and the share of one
 * core at a 15 s interval. BENCH_PODS (default 100) and BENCH_ROUNDS (default 20) change the size.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const PODS = Number(process.env.BENCH_PODS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const INTERVAL_MS = 15_000;
const TARGET_SHARE = 0.05;

type ToSandbox = { type: "clock"; now: number } | { type: "stop" };
type FromSandbox = { type: "ready"; url: string } | { type: "clock-set" };

if (process.argv.includes("--sandbox")) {
  // The child: a sandbox with many pods whose clock the parent moves.
  const { startSandbox } = await import("@/sandbox/server");
  let now = Number(process.env.BENCH_CLOCK_START);
  const sandbox = await startSandbox({ kubeconfigPath: process.env.BENCH_KUBECONFIG, coreDnsPods: PODS, clock: () => now, seed: true });
  process.on("message", (message: ToSandbox) => {
    if (message.type === "clock") {
      now = message.now;
      process.send?.({ type: "clock-set" } satisfies FromSandbox);
    } else {
      void sandbox.close().then(() => process.exit(0));
    }
  });
  process.send?.({ type: "ready", url: sandbox.url } satisfies FromSandbox);
} else {
  await runBenchmark();
}

async function runBenchmark(): Promise<void> {
  const { registerCluster } = await import("@/lib/clusters/clusters");
  const { createTestDatabase } = await import("@/lib/db/test-database");
  const { MetricsCollector } = await import("@/lib/metrics/collector");
  const { parseExposition } = await import("@/lib/metrics/exposition");
  const { readCoreDnsMetrics } = await import("@/lib/metrics/coredns-metrics");
  const { deriveInterval } = await import("@/lib/metrics/derive");
  const { formatMs, median, printTable } = await import("./measure");

  const dir = mkdtempSync(path.join(os.tmpdir(), "coredeck-scrape-bench-"));
  const kubeconfig = path.join(dir, "sandbox.kubeconfig");
  let virtualNow = Math.floor(Date.now() / INTERVAL_MS) * INTERVAL_MS;
  const child = fork(import.meta.filename, ["--sandbox"], {
    execArgv: process.execArgv,
    env: { ...process.env, BENCH_KUBECONFIG: kubeconfig, BENCH_CLOCK_START: String(virtualNow), BENCH_PODS: String(PODS) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let exited: Error | null = null;
  child.once("exit", (code) => (exited = new Error(`the sandbox exited (${code})`)));
  const next = (type: FromSandbox["type"]) =>
    new Promise<FromSandbox>((resolve, reject) => {
      if (exited) return reject(exited);
      const onMessage = (message: FromSandbox) => {
        if (message.type !== type) return;
        child.off("message", onMessage);
        resolve(message);
      };
      child.on("message", onMessage);
    });
  const setClock = async (now: number) => {
    const answered = next("clock-set");
    child.send({ type: "clock", now } satisfies ToSandbox);
    await answered;
  };

  const database = createTestDatabase();
  try {
    await next("ready");
    await registerCluster({ name: "bench", connection: "sandbox", kubeconfigPath: kubeconfig }, database.db);
    // Stage timings come from wrapping the parser; the collector's other stages are timed below from the same pages.
    let parseCpuMs = 0;
    const collector = new MetricsCollector({
      db: database.db,
      now: () => virtualNow,
      parse: (text) => {
        const cpu = process.cpuUsage();
        const exposition = parseExposition(text);
        const used = process.cpuUsage(cpu);
        parseCpuMs += (used.user + used.system) / 1000;
        return exposition;
      },
      log: { info: () => {}, error: (message) => console.error(message) },
    });

    // Two warm-up rounds: the first has no rates yet; both warm the JIT and the connections.
    for (let round = 0; round < 2; round++) {
      await collector.collectNow();
      virtualNow += INTERVAL_MS;
      await setClock(virtualNow);
    }
    const status = collector.getStatus((await database.db.cluster.findFirstOrThrow()).id);
    const failed = status?.pods.filter((p) => p.error) ?? [];
    if (!status || status.pods.length !== PODS || failed.length > 0) {
      throw new Error(`expected ${PODS} scraped pods, got ${status?.pods.length ?? 0} (${failed.length} failed: ${failed[0]?.error?.message ?? status?.error})`);
    }
    const pageBytes = status.pods.reduce((sum, p) => sum + (p.bytes ?? 0), 0) / status.pods.length;

    const rounds: { cpu: number; wall: number; parse: number; maintenance: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      parseCpuMs = 0;
      const cpu = process.cpuUsage();
      const start = performance.now();
      await collector.collectNow();
      const wall = performance.now() - start;
      // The background job runs every minute: every fourth round, counted in that round.
      let maintenance = 0;
      if (round % 4 === 3) {
        const before = process.cpuUsage();
        await collector.maintainNow();
        const used = process.cpuUsage(before);
        maintenance = (used.user + used.system) / 1000;
      }
      const used = process.cpuUsage(cpu);
      rounds.push({ cpu: (used.user + used.system) / 1000, wall, parse: parseCpuMs, maintenance });
      virtualNow += INTERVAL_MS;
      await setClock(virtualNow);
    }

    // Deriving, timed apart on the pods' latest scrapes (it is pure and cheap; the collector does not expose it).
    const scrapes = collector.getLatestPodScrapes(status.clusterId);
    const deriveStart = process.cpuUsage();
    for (const scrape of scrapes) deriveInterval({ at: scrape.scrapedAt - INTERVAL_MS, metrics: scrape.metrics }, { at: scrape.scrapedAt, metrics: scrape.metrics });
    const deriveUsed = process.cpuUsage(deriveStart);
    const readStart = process.cpuUsage();
    for (const scrape of scrapes) readCoreDnsMetrics(scrape.exposition);
    const readUsed = process.cpuUsage(readStart);

    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const cpuPerRound = mean(rounds.map((r) => r.cpu));
    const share = cpuPerRound / INTERVAL_MS;
    console.log(`Scraping ${PODS} simulated CoreDNS 1.14.7 pods (~${Math.round(pageBytes / 1024)} KB pages) through the pod proxy, ${ROUNDS} rounds:`);
    printTable(
      ["", "per round"],
      [
        ["CPU time, mean (this process, user + system)", formatMs(cpuPerRound)],
        ["CPU time, median", formatMs(median(rounds.map((r) => r.cpu)))],
        ["  parsing the pages", formatMs(mean(rounds.map((r) => r.parse)))],
        ["  reading CoreDNS quantities + deriving (timed apart)", formatMs((readUsed.user + readUsed.system + deriveUsed.user + deriveUsed.system) / 1000)],
        ["  rollup + pruning (every 4th round, spread)", formatMs(mean(rounds.map((r) => r.maintenance)))],
        ["  the rest: discovery, HTTP, storing a round", formatMs(cpuPerRound - mean(rounds.map((r) => r.parse + r.maintenance)))],
        ["wall clock, median", formatMs(median(rounds.map((r) => r.wall)))],
      ],
    );
    console.log(
      `Share of one core at a ${INTERVAL_MS / 1000} s interval: ${(share * 100).toFixed(2)}% (target < ${TARGET_SHARE * 100}%: ${share < TARGET_SHARE ? "yes" : "NO"}).`,
    );
    console.log(`(load average while measuring: ${os.loadavg()[0]?.toFixed(1)} on ${os.availableParallelism()} cores.)`);
  } finally {
    child.send({ type: "stop" } satisfies ToSandbox);
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
