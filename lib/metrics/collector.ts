import "server-only";
import { listClusters } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { CoreDnsPod } from "@/lib/k8s/pods";
import { readCoreDnsMetrics, type CoreDnsMetrics } from "./coredns-metrics";
import { deriveInterval, deriveLabelledRows, readReloadState, type TimedScrape } from "./derive";
import { discoverScrapeTargets, type Discovery, type MetricsEndpoint } from "./discovery";
import { parseExposition } from "./exposition";
import type { Exposition } from "./exposition-types";
import { readBackgroundTaskSettings, type Environment } from "@/lib/background-task-settings";
import { scrapePods, type ScrapeErrorCode, type ScrapeOptions } from "./scraper";
import { pruneMetrics, recordScrapeRound, rollUpPoints, type PodRoundRecord } from "./storage";
import { runAsComponent } from "@/lib/k8s/user-agent";

export const DEFAULT_SCRAPE_INTERVAL_SECONDS = 15;
/** How often finished 5-minute buckets are rolled up and old rows pruned. */
export const DEFAULT_MAINTENANCE_MS = 60_000;

/** Metrics collection's settings from the environment (see the configuration table in the README). */
export type CollectorSettings = { isEnabled: boolean; intervalMs: number };

/**
 * `COREDECK_METRICS=off` (or `false`, `0`, `no`) turns collection off; `COREDECK_SCRAPE_INTERVAL_SECONDS` sets the
 * scrape interval (default 15, at least 1). Always off while `next build` runs.
 */
export function readCollectorSettings(env: Environment = process.env): CollectorSettings {
  const { isEnabled, periodMs } = readBackgroundTaskSettings(env, {
    switch: "COREDECK_METRICS",
    seconds: "COREDECK_SCRAPE_INTERVAL_SECONDS",
    defaultSeconds: DEFAULT_SCRAPE_INTERVAL_SECONDS,
  });
  return { isEnabled, intervalMs: periodMs };
}

/** The newest successful scrape of a pod, parsed, for the overview and metrics pages. */
export type LatestPodScrape = {
  pod: CoreDnsPod;
  /** When the scrape started, epoch milliseconds. */
  scrapedAt: number;
  exposition: Exposition;
  /** The scrape read into CoreDNS's quantities (raw cumulative counters). */
  metrics: CoreDnsMetrics;
};

/** How the last scrapes of one pod went. */
export type PodScrapeStatus = {
  pod: string;
  lastScrapeAt: number | null;
  lastSuccessAt: number | null;
  durationMs: number | null;
  bytes: number | null;
  /** Lines of the page the parser skipped. */
  skippedLines: number;
  error: { code: ScrapeErrorCode | "NOT_RUNNING"; message: string } | null;
};

/** Collection status of one cluster. */
export type ClusterCollectionStatus = {
  clusterId: string;
  cluster: string;
  lastRoundAt: number | null;
  lastRoundDurationMs: number | null;
  /** Why the last round could not list the pods (the pods' statuses then keep their previous values). */
  error: string | null;
  endpoint: MetricsEndpoint | null;
  pods: PodScrapeStatus[];
};

export type CollectorOptions = {
  db?: PrismaClient;
  intervalMs?: number;
  maintenanceMs?: number;
  scrape?: ScrapeOptions;
  /** Turns a page into families (default: lib/metrics/exposition's parser). */
  parse?: (text: string) => Exposition;
  now?: () => number;
  log?: { info(message: string): void; error(message: string): void };
};

type PodState = { latest: LatestPodScrape | null; previous: TimedScrape | null; status: PodScrapeStatus };

/** Scrapes one cluster's pods each round and keeps what the UI reads between rounds. */
class ClusterCollector {
  readonly pods = new Map<string, PodState>();
  listedPods: CoreDnsPod[] = [];
  lastRoundAt: number | null = null;
  lastRoundDurationMs: number | null = null;
  error: string | null = null;
  endpoint: MetricsEndpoint | null = null;

  constructor(
    public cluster: ClusterSummary,
    private readonly options: CollectorOptions,
  ) {}

  /** Discovers, scrapes, parses, derives and stores one round. Never throws. */
  async collectRound(): Promise<void> {
    const now = this.options.now ?? Date.now;
    const at = now();
    const started = performance.now();
    let discovery: Discovery;
    try {
      discovery = await discoverScrapeTargets(this.cluster, { timeoutMs: this.options.scrape?.timeoutMs });
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      this.lastRoundAt = at;
      return;
    }
    this.error = null;
    this.endpoint = discovery.endpoint;
    this.listedPods = discovery.pods;
    // Pods the API no longer lists are forgotten: their scrapes, their status.
    const listed = new Set(discovery.pods.map((p) => p.name));
    for (const name of [...this.pods.keys()]) if (!listed.has(name)) this.pods.delete(name);

    const results = await scrapePods(this.cluster, discovery.targets, { ...this.options.scrape, now });
    const parse = this.options.parse ?? parseExposition;
    const records: PodRoundRecord[] = [];
    for (const pod of discovery.pods) {
      const state = this.stateOf(pod.name);
      if (!discovery.targets.some((t) => t.pod.name === pod.name)) {
        state.status.error = { code: "NOT_RUNNING", message: `Pod ${pod.name} is ${pod.phase}${pod.podIP ? "" : " with no IP"}; it is not scraped.` };
      }
    }
    for (const [index, result] of results.entries()) {
      const pod = discovery.targets[index]!.pod;
      const state = this.stateOf(pod.name);
      state.status.lastScrapeAt = result.startedAt;
      state.status.durationMs = result.durationMs;
      if (!result.ok) {
        state.status.error = { code: result.code, message: result.message };
        if (result.code === "POD_GONE") this.pods.delete(pod.name);
        continue;
      }
      const exposition = parse(result.text);
      const metrics = readCoreDnsMetrics(exposition);
      const current: TimedScrape = { at: result.startedAt, metrics };
      const values = deriveInterval(state.previous, current);
      const labelled = deriveLabelledRows(state.previous, current);
      state.previous = current;
      state.latest = { pod, scrapedAt: result.startedAt, exposition, metrics };
      Object.assign(state.status, { lastSuccessAt: result.startedAt, bytes: result.bytes, skippedLines: exposition.skipped, error: null });
      records.push({ pod: pod.name, values, labelled, reload: readReloadState(metrics), scrapedAt: result.startedAt });
    }
    try {
      await recordScrapeRound({ clusterId: this.cluster.id, at, pods: records }, this.options.db ?? getDb());
    } catch (error) {
      this.error = `Storing the metrics failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.lastRoundAt = at;
    this.lastRoundDurationMs = Math.round(performance.now() - started);
  }

  status(): ClusterCollectionStatus {
    return {
      clusterId: this.cluster.id,
      cluster: this.cluster.name,
      lastRoundAt: this.lastRoundAt,
      lastRoundDurationMs: this.lastRoundDurationMs,
      error: this.error,
      endpoint: this.endpoint,
      pods: [...this.pods.values()].map((s) => ({ ...s.status })).sort((a, b) => a.pod.localeCompare(b.pod)),
    };
  }

  latestScrapes(): LatestPodScrape[] {
    return [...this.pods.values()].flatMap((s) => (s.latest ? [s.latest] : [])).sort((a, b) => a.pod.name.localeCompare(b.pod.name));
  }

  private stateOf(name: string): PodState {
    let state = this.pods.get(name);
    if (!state) {
      state = {
        latest: null,
        previous: null,
        status: { pod: name, lastScrapeAt: null, lastSuccessAt: null, durationMs: null, bytes: null, skippedLines: 0, error: null },
      };
      this.pods.set(name, state);
    }
    return state;
  }
}

/**
 * Collects the metrics of every registered cluster every interval, and rolls up and prunes the stored series in the
 * background. Clusters registered or removed are noticed at the next round (the Cluster table is read each round).
 */
export class MetricsCollector {
  private readonly clusters = new Map<string, ClusterCollector>();
  private roundTimer: NodeJS.Timeout | null = null;
  private maintenanceTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private isStopped = false;

  constructor(private readonly options: CollectorOptions = {}) {}

  /** Runs a first round now and schedules the next ones and the maintenance. */
  start(): void {
    if (this.roundTimer || this.running || this.isStopped) return;
    // Every call of the rounds scheduled from here says `(metrics)` in its User-Agent.
    runAsComponent("metrics", () => {
      this.scheduleRound(0);
      this.scheduleMaintenance();
    });
  }

  /** One round for every registered cluster (tests call it directly instead of waiting for the timer). */
  collectNow(): Promise<void> {
    this.running ??= this.runRound().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Rolls up finished buckets and prunes old rows (the background job; tests call it directly). */
  async maintainNow(): Promise<void> {
    const db = this.db;
    const now = (this.options.now ?? Date.now)();
    try {
      await rollUpPoints({ now }, db);
      await pruneMetrics({ now }, db);
    } catch (error) {
      this.logError(`metrics maintenance failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    if (this.roundTimer) clearTimeout(this.roundTimer);
    if (this.maintenanceTimer) clearTimeout(this.maintenanceTimer);
    await this.running;
  }

  getStatus(clusterId: string): ClusterCollectionStatus | null {
    return this.clusters.get(clusterId)?.status() ?? null;
  }

  getLatestPodScrapes(clusterId: string): LatestPodScrape[] {
    return this.clusters.get(clusterId)?.latestScrapes() ?? [];
  }

  /** The pods the last round listed (running or not), or null when the cluster has not been collected yet. */
  getListedPods(clusterId: string): CoreDnsPod[] | null {
    const collector = this.clusters.get(clusterId);
    return collector?.lastRoundAt == null ? null : collector.listedPods;
  }

  private get db(): PrismaClient {
    return this.options.db ?? getDb();
  }

  private async runRound(): Promise<void> {
    let clusters: ClusterSummary[];
    try {
      clusters = await listClusters(this.db);
    } catch (error) {
      this.logError(`could not read the registered clusters: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const registered = new Set(clusters.map((c) => c.id));
    for (const id of [...this.clusters.keys()]) if (!registered.has(id)) this.clusters.delete(id);
    await Promise.all(
      clusters.map((cluster) => {
        let collector = this.clusters.get(cluster.id);
        if (!collector) this.clusters.set(cluster.id, (collector = new ClusterCollector(cluster, this.options)));
        collector.cluster = cluster;
        return collector.collectRound();
      }),
    );
  }

  private scheduleRound(delayMs: number): void {
    if (this.isStopped) return;
    this.roundTimer = setTimeout(() => {
      const started = Date.now();
      void this.collectNow().finally(() => {
        const interval = this.options.intervalMs ?? DEFAULT_SCRAPE_INTERVAL_SECONDS * 1000;
        this.scheduleRound(Math.max(0, interval - (Date.now() - started)));
      });
    }, delayMs);
    this.roundTimer.unref();
  }

  private scheduleMaintenance(): void {
    if (this.isStopped) return;
    this.maintenanceTimer = setTimeout(() => {
      void this.maintainNow().finally(() => this.scheduleMaintenance());
    }, this.options.maintenanceMs ?? DEFAULT_MAINTENANCE_MS);
    this.maintenanceTimer.unref();
  }

  private logError(message: string): void {
    (this.options.log?.error ?? console.error)(`coredeck: ${message}`);
  }
}

// One collector per process, however often Next loads this module.
const globalMetrics = globalThis as unknown as { coredeckMetricsCollector?: MetricsCollector };

/**
 * Starts metrics collection for every registered cluster, once per process (later calls return the running
 * collector). Returns null, and starts nothing, when the environment turns it off. Called by `prepareServer`.
 */
export function startMetricsCollection(
  options: CollectorOptions = {},
  env: Environment = process.env,
): MetricsCollector | null {
  const settings = readCollectorSettings(env);
  if (!settings.isEnabled) return null;
  const collector = (globalMetrics.coredeckMetricsCollector ??= new MetricsCollector({ intervalMs: settings.intervalMs, ...options }));
  collector.start();
  return collector;
}

/** Stops collection in this process (tests, shutdown). */
export async function stopMetricsCollection(): Promise<void> {
  const collector = globalMetrics.coredeckMetricsCollector;
  globalMetrics.coredeckMetricsCollector = undefined;
  await collector?.stop();
}

/** The running collector of this process, or null (collection off, or outside the server). */
export function getMetricsCollector(): MetricsCollector | null {
  return globalMetrics.coredeckMetricsCollector ?? null;
}

/** The newest parsed scrape of each pod of a cluster (empty when collection is off or has not reached the cluster yet). */
export function getLatestPodScrapes(clusterId: string): LatestPodScrape[] {
  return getMetricsCollector()?.getLatestPodScrapes(clusterId) ?? [];
}

/** Collection status of a cluster for the UI, or null when collection does not cover it. */
export function getCollectionStatus(clusterId: string): ClusterCollectionStatus | null {
  return getMetricsCollector()?.getStatus(clusterId) ?? null;
}
