import "server-only";
import { readBackgroundTaskSettings, type Environment } from "@/lib/background-task-settings";
import { listClusters } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { BackoffPolicy } from "./backoff";
import { createKubernetesConfigMapSource, type ConfigMapSource, type KubernetesSourceOptions } from "./configmap-source";
import { DriftWatcher, type DriftStatus, type Observation } from "./drift-watcher";
import { recordObservedCorefile } from "./record-observed-corefile";
import { runAsComponent } from "@/lib/k8s/user-agent";

export type { DriftStatus, DriftWatchState } from "./drift-watcher";

export const DEFAULT_RESYNC_SECONDS = 60;
/** How often the Cluster table is read again for clusters registered or removed elsewhere. */
export const DEFAULT_RESCAN_MS = 60_000;

/** Drift capture's settings from the environment (see the configuration table in the README). */
export type DriftSettings = { isEnabled: boolean; resyncMs: number };

/**
 * `COREDECK_DRIFT_WATCH=off` (or `false`, `0`, `no`) turns drift capture off; `COREDECK_DRIFT_RESYNC_SECONDS` sets
 * the fallback re-read interval (default 60). It is always off while `next build` runs.
 */
export function readDriftSettings(env: Environment = process.env): DriftSettings {
  const { isEnabled, periodMs } = readBackgroundTaskSettings(env, {
    switch: "COREDECK_DRIFT_WATCH",
    seconds: "COREDECK_DRIFT_RESYNC_SECONDS",
    defaultSeconds: DEFAULT_RESYNC_SECONDS,
  });
  return { isEnabled, resyncMs: periodMs };
}

export type DriftSupervisorOptions = {
  db?: PrismaClient;
  resyncMs?: number;
  rescanMs?: number;
  backoff?: BackoffPolicy;
  /** Passed to {@link recordObservedCorefile}. */
  intentGraceMs?: number;
  sourceOptions?: KubernetesSourceOptions;
  /** How a cluster's ConfigMap is read (default: its Kubernetes API). */
  createSource?: (cluster: ClusterSummary, options: KubernetesSourceOptions) => ConfigMapSource;
  log?: { info(message: string): void; error(message: string): void };
};

type WatchedCluster = { fingerprint: string; generation: number; watcher: DriftWatcher };

/** The settings a watcher was built from; a change in any of them needs a new watcher. */
function fingerprintOf(cluster: ClusterSummary): string {
  return JSON.stringify([
    cluster.name,
    cluster.connection,
    cluster.kubeconfigPath,
    cluster.kubeconfigContext,
    cluster.configMapNamespace,
    cluster.configMapName,
    cluster.configMapKey,
  ]);
}

/**
 * Runs one {@link DriftWatcher} per registered cluster and records what each observes. Clusters registered or
 * removed later are picked up by {@link ensure} and by a periodic rescan of the Cluster table.
 */
export class DriftSupervisor {
  private readonly options: DriftSupervisorOptions;
  private readonly watched = new Map<string, WatchedCluster>();
  private generation = 0;
  private rescanTimer: NodeJS.Timeout | null = null;
  private starting: Promise<void> | null = null;
  private isStopped = false;

  constructor(options: DriftSupervisorOptions = {}) {
    this.options = options;
  }

  /** Starts a watcher for every registered cluster and the periodic rescan; a second call returns the first one's promise. */
  start(): Promise<void> {
    this.starting ??= this.rescan().finally(() => this.scheduleRescan());
    return this.starting;
  }

  /** Starts watching `cluster` unless it is watched already with the same settings (then nothing happens). */
  async ensure(cluster: ClusterSummary): Promise<void> {
    if (this.isStopped) return;
    const fingerprint = fingerprintOf(cluster);
    const current = this.watched.get(cluster.id);
    if (current?.fingerprint === fingerprint) return;
    const watcher = this.createWatcher(cluster);
    this.watched.set(cluster.id, { fingerprint, generation: ++this.generation, watcher });
    // The watch, its re-reads and resyncs say `(drift-watch)` in their User-Agent, whoever asked for the watcher.
    runAsComponent("drift-watch", () => watcher.start());
    await current?.watcher.stop();
  }

  /** Reads the Cluster table: watches new clusters, restarts changed ones, stops those no longer registered. */
  async rescan(): Promise<void> {
    if (this.isStopped) return;
    const listedAfter = this.generation;
    let clusters: ClusterSummary[];
    try {
      clusters = await listClusters(this.db);
    } catch (error) {
      this.logError(`could not read the registered clusters: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    await Promise.all(clusters.map((cluster) => this.ensure(cluster)));
    const registered = new Set(clusters.map((cluster) => cluster.id));
    const removed = [...this.watched].filter(([id, entry]) => !registered.has(id) && entry.generation <= listedAfter);
    for (const [id] of removed) this.watched.delete(id);
    await Promise.all(removed.map(([, entry]) => entry.watcher.stop()));
  }

  /** Stops every watcher and the rescan. */
  async stop(): Promise<void> {
    this.isStopped = true;
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    const watchers = [...this.watched.values()].map((entry) => entry.watcher);
    this.watched.clear();
    await Promise.all(watchers.map((watcher) => watcher.stop()));
  }

  /** The drift status of a cluster, or null when it is not watched. */
  getStatus(clusterId: string): DriftStatus | null {
    return this.watched.get(clusterId)?.watcher.getStatus() ?? null;
  }

  /** Ids of the clusters being watched. */
  listWatchedClusterIds(): string[] {
    return [...this.watched.keys()];
  }

  private get db(): PrismaClient {
    return this.options.db ?? getDb();
  }

  private scheduleRescan(): void {
    if (this.isStopped) return;
    this.rescanTimer = setTimeout(() => void this.rescan().finally(() => this.scheduleRescan()), this.options.rescanMs ?? DEFAULT_RESCAN_MS);
    this.rescanTimer.unref();
  }

  private createWatcher(cluster: ClusterSummary): DriftWatcher {
    const createSource = this.options.createSource ?? createKubernetesConfigMapSource;
    return new DriftWatcher({
      source: createSource(cluster, this.options.sourceOptions ?? {}),
      onObservation: this.createRecorder(cluster),
      resyncMs: this.options.resyncMs ?? DEFAULT_RESYNC_SECONDS * 1000,
      backoff: this.options.backoff,
      log: (message) => this.logError(`drift watch of cluster "${cluster.name}": ${message}`),
    });
  }

  /** Records each observation of one cluster; says once (not on every event) that the ConfigMap is missing. */
  private createRecorder(cluster: ClusterSummary): (observation: Observation) => Promise<void> {
    let isMissingReported = false;
    return async ({ configMap }) => {
      const outcome = await recordObservedCorefile(cluster, configMap, { db: this.db, intentGraceMs: this.options.intentGraceMs });
      if (outcome.kind === "missing") {
        if (!isMissingReported) this.logInfo(`drift watch: ${outcome.reason} Nothing is recorded until it appears.`);
        isMissingReported = true;
        return;
      }
      isMissingReported = false;
      if (outcome.kind === "recorded") {
        const { number, author } = outcome.revision;
        this.logInfo(`drift watch: recorded revision ${number} of cluster "${cluster.name}" (${author})`);
      }
    };
  }

  private logInfo(message: string): void {
    (this.options.log?.info ?? console.log)(`coredeck: ${message}`);
  }

  private logError(message: string): void {
    (this.options.log?.error ?? console.error)(`coredeck: ${message}`);
  }
}

// One supervisor per process, however often Next loads this module and however many tabs are open.
const globalDrift = globalThis as unknown as { coredeckDriftSupervisor?: DriftSupervisor };

/**
 * Starts drift capture for every registered cluster, once per process (later calls return the running
 * supervisor). Returns null, and starts nothing, when the environment turns it off. Called by `prepareServer`.
 */
export function startDriftWatch(
  options: DriftSupervisorOptions = {},
  env: Environment = process.env,
): DriftSupervisor | null {
  const settings = readDriftSettings(env);
  if (!settings.isEnabled) return null;
  const supervisor = (globalDrift.coredeckDriftSupervisor ??= new DriftSupervisor({ resyncMs: settings.resyncMs, ...options }));
  void supervisor.start();
  return supervisor;
}

/**
 * Watches a cluster that was just registered or changed, without waiting for the next rescan. Does nothing when
 * drift capture is not running in this process (turned off, or outside the server).
 */
export async function ensureDriftWatch(cluster: ClusterSummary): Promise<void> {
  await globalDrift.coredeckDriftSupervisor?.ensure(cluster);
}

/** Stops drift capture in this process (tests, shutdown); a later {@link startDriftWatch} starts afresh. */
export async function stopDriftWatch(): Promise<void> {
  const supervisor = globalDrift.coredeckDriftSupervisor;
  globalDrift.coredeckDriftSupervisor = undefined;
  await supervisor?.stop();
}

/** The drift status of a cluster for the UI, or null when drift capture does not watch it. */
export function getDriftStatus(clusterId: string): DriftStatus | null {
  return globalDrift.coredeckDriftSupervisor?.getStatus(clusterId) ?? null;
}
