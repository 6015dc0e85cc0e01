import "server-only";
import { listClusters } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import { toKubernetesError } from "@/lib/k8s/errors";
import { readCorefileConfigMap } from "@/lib/k8s/write-corefile";
import { settlePendingIntents, type LiveConfigMap } from "./apply-intents";
import { corefileLocationOf } from "./apply-corefile";
import type { Revision } from "./revisions";

/** What {@link reconcilePendingIntents} did for one cluster. */
export type ReconcileResult = {
  clusterId: string;
  cluster: string;
  /** Revisions recorded for writes that had happened. */
  applied: Revision[];
  /** Intents whose write the cluster does not show. */
  abandoned: string[];
  /** Intents left pending: in flight, too young, or the ConfigMap could not be read. */
  pending: string[];
  /** Why the ConfigMap could not be read, when it could not. */
  error?: string;
};

export type ReconcileDeps = {
  db?: PrismaClient;
  timeoutMs?: number;
  /**
   * Leave intents younger than this alone (default 0). Set it when another process may be applying to the same
   * database: its intents are pending while its write is under way.
   */
  minAgeMs?: number;
};

/**
 * Settles the cluster's pending apply intents, oldest first, against the live ConfigMap: an intent whose text the
 * ConfigMap holds at a resourceVersion other than its base had its write happen, and gets its revision; the others
 * are abandoned. Intents of applies still running in this process are left to them. When the ConfigMap cannot be
 * read, nothing changes and `error` says why. Call at start-up, and whenever an apply reported an unknown outcome.
 */
export async function reconcilePendingIntents(cluster: ClusterSummary, deps: ReconcileDeps = {}): Promise<ReconcileResult> {
  const db = deps.db ?? getDb();
  const result: ReconcileResult = { clusterId: cluster.id, cluster: cluster.name, applied: [], abandoned: [], pending: [] };
  const pending = await db.applyIntent.findMany({ where: { clusterId: cluster.id, status: "pending" }, select: { id: true } });
  if (pending.length === 0) return result;

  const location = corefileLocationOf(cluster);
  let live: LiveConfigMap;
  try {
    const current = await readCorefileConfigMap(cluster, location, { timeoutMs: deps.timeoutMs });
    live = { exists: true, text: current.text, resourceVersion: current.resourceVersion };
  } catch (error) {
    const failure = toKubernetesError(error, {
      cluster: cluster.name,
      namespace: location.namespace,
      resource: "configmaps",
      name: location.name,
      verb: "get",
    });
    if (failure.code !== "NOT_FOUND") return { ...result, pending: pending.map((intent) => intent.id), error: failure.message };
    live = { exists: false };
  }
  const outcome = await settlePendingIntents(db, cluster.id, live, { minAgeMs: deps.minAgeMs });
  return { ...result, applied: outcome.applied, abandoned: outcome.abandoned, pending: outcome.skipped };
}

/**
 * {@link reconcilePendingIntents} for every registered cluster that has pending intents, one cluster after the
 * other; for the server's start-up. A cluster that cannot be reached keeps its intents pending and is reported
 * in its result.
 */
export async function reconcileAllPendingIntents(deps: ReconcileDeps = {}): Promise<ReconcileResult[]> {
  const db = deps.db ?? getDb();
  const rows = await db.applyIntent.findMany({ where: { status: "pending" }, distinct: ["clusterId"], select: { clusterId: true } });
  if (rows.length === 0) return [];
  const clusterIds = new Set(rows.map((row) => row.clusterId));
  const results: ReconcileResult[] = [];
  for (const cluster of await listClusters(db)) {
    if (clusterIds.has(cluster.id)) results.push(await reconcilePendingIntents(cluster, { ...deps, db }));
  }
  return results;
}
