import "server-only";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { getDb } from "@/lib/db/client";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { FIELD_MANAGER } from "@/lib/k8s/connection";
import { settlePendingIntents, showsWrite, type LiveConfigMap } from "@/lib/revisions/apply-intents";
import { findNewestRevision, insertRevision, sha256Hex, type Revision, type RevisionHead } from "@/lib/revisions/revisions";
import { runWriteTransaction } from "@/lib/revisions/sqlite-write";
import { findDataKeyWriter, type ObservedConfigMap } from "./observed-configmap";

/** A pending intent of Coredeck whose write this old is no longer waited for; the observer settles it. */
export const INTENT_GRACE_MS = 60_000;

/**
 * What {@link recordObservedCorefile} did with one observed state of the ConfigMap:
 * - `recorded`: the Corefile changed outside Coredeck (or was seen for the first time); `revision` was appended.
 * - `unchanged`: the history already ends with this resourceVersion or this exact text.
 * - `own-write`: the state is the result of Coredeck's own apply, which records it (or it was settled here).
 * - `missing`: the ConfigMap, or its Corefile key, does not exist; nothing to record.
 */
export type ObservedOutcome =
  | { kind: "recorded"; revision: Revision }
  | { kind: "unchanged" }
  | { kind: "own-write"; settled: Revision[] }
  | { kind: "missing"; reason: string };

export type RecordObservedOptions = {
  db?: PrismaClient;
  /** Pending intents younger than this are left to their apply (default {@link INTENT_GRACE_MS}). */
  intentGraceMs?: number;
};

// One promise chain per cluster, so two observations of the same cluster never race to append. On globalThis:
// Next may load this module more than once in a process.
const globalChains = globalThis as unknown as { coredeckDriftChains?: Map<string, Promise<unknown>> };

function runInClusterChain<T>(clusterId: string, work: () => Promise<T>): Promise<T> {
  const chains = (globalChains.coredeckDriftChains ??= new Map());
  const run = (chains.get(clusterId) ?? Promise.resolve()).then(work, work);
  const tail = run.catch(() => undefined);
  chains.set(clusterId, tail);
  void tail.then(() => {
    if (chains.get(clusterId) === tail) chains.delete(clusterId);
  });
  return run;
}

/**
 * Records one observed state of a cluster's Corefile ConfigMap (from a list, a watch event or a re-read) in its
 * history, unless the history already ends with it. A state produced by one of Coredeck's own applies is left to
 * that apply's intent (and settled here once the intent is older than `intentGraceMs` and no apply in this process
 * is still running it). Anything else becomes an `external` revision, its author the field manager that last wrote
 * the Corefile key and its time that manager's time; the very first state seen becomes the cluster's revision 1.
 *
 * Observations of one cluster are recorded one after the other; the unique revision number per cluster guards
 * against a second process recording the same change at the same moment.
 */
export function recordObservedCorefile(
  cluster: ClusterSummary,
  configMap: ObservedConfigMap | null,
  options: RecordObservedOptions = {},
): Promise<ObservedOutcome> {
  return runInClusterChain(cluster.id, () => recordNow(cluster, configMap, options));
}

async function recordNow(cluster: ClusterSummary, configMap: ObservedConfigMap | null, options: RecordObservedOptions): Promise<ObservedOutcome> {
  const db = options.db ?? getDb();
  const graceMs = options.intentGraceMs ?? INTENT_GRACE_MS;
  const where = `ConfigMap "${cluster.configMapNamespace}/${cluster.configMapName}" of cluster "${cluster.name}"`;
  if (configMap === null) return { kind: "missing", reason: `${where} does not exist.` };
  const text = configMap.data?.[cluster.configMapKey];
  if (text === undefined) return { kind: "missing", reason: `${where} has no key "${cluster.configMapKey}".` };
  const live: LiveConfigMap = { exists: true, text, resourceVersion: configMap.metadata?.resourceVersion ?? "" };
  const sha256 = sha256Hex(text);

  // Cheap checks first, outside any transaction; the transaction below repeats them under the write lock.
  if (isRecorded(await findNewestRevision(db, cluster.id), live.resourceVersion, sha256)) return { kind: "unchanged" };
  const own = await findIntentsShowing(db, cluster.id, live);
  if (own.length > 0) {
    const now = Date.now();
    if (!own.some((intent) => now - intent.createdAt.getTime() >= graceMs)) return { kind: "own-write", settled: [] };
    // An intent this old whose apply is not running here was interrupted; what the cluster shows settles it.
    const outcome = await settlePendingIntents(db, cluster.id, live, { minAgeMs: graceMs });
    return { kind: "own-write", settled: outcome.applied };
  }

  const writer = findDataKeyWriter(configMap.metadata?.managedFields, cluster.configMapKey);
  try {
    const revision = await runWriteTransaction(db, async (tx) => {
      // Touching the cluster row is the first statement: it takes SQLite's write lock before anything is read
      // (see STACK.md), and tells whether the cluster still exists. It rewrites a column no foreign key refers
      // to, so no ON UPDATE CASCADE runs.
      const touched = await tx.$executeRaw`UPDATE "Cluster" SET "updatedAt" = "updatedAt" WHERE "id" = ${cluster.id}`;
      if (touched === 0) return null;
      const newest = await findNewestRevision(tx, cluster.id);
      if (isRecorded(newest, live.resourceVersion, sha256)) return null;
      if ((await findIntentsShowing(tx, cluster.id, live)).length > 0) return null;
      return insertRevision(
        tx,
        {
          clusterId: cluster.id,
          author: writer.manager,
          message: describeChange(writer.manager, newest === null),
          source: "external",
          text,
          resourceVersionBefore: newest?.resourceVersionAfter ?? null,
          resourceVersionAfter: live.resourceVersion,
          createdAt: writer.time ?? new Date(),
        },
        newest,
      );
    });
    return revision ? { kind: "recorded", revision } : { kind: "unchanged" };
  } catch (error) {
    // Another process appended the same number first; its record stands, and the next observation compares with it.
    if (isUniqueViolation(error)) return { kind: "unchanged" };
    throw error;
  }
}

function isRecorded(newest: RevisionHead | null, resourceVersion: string, sha256: string): boolean {
  return newest !== null && (newest.resourceVersionAfter === resourceVersion || newest.sha256 === sha256);
}

async function findIntentsShowing(db: Prisma.TransactionClient, clusterId: string, live: LiveConfigMap) {
  const pending = await db.applyIntent.findMany({
    where: { clusterId, status: "pending" },
    select: { id: true, sha256: true, baseResourceVersion: true, createdAt: true },
  });
  return pending.filter((intent) => showsWrite(intent, live));
}

function describeChange(manager: string, isFirst: boolean): string {
  if (isFirst) return `The Corefile as Coredeck first saw it (last written by ${manager})`;
  if (manager === FIELD_MANAGER) return "Written by Coredeck, but not recorded in this database";
  return `Changed outside Coredeck (${manager})`;
}

function isUniqueViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "P2002" || (typeof message === "string" && message.includes("UNIQUE constraint failed"));
}
