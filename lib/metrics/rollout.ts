import "server-only";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { CoreDnsPod } from "@/lib/k8s/pods";
import { getMetricsCollector, type MetricsCollector } from "./collector";
import { readReloadState } from "./derive";
import { assessPodRollout, type PodRollout, type RolloutRevision } from "./rollout-assess";
import { readReloadObservations, type ReloadObservation } from "./storage";

export type { PodRollout, PodRolloutState, RolloutReason } from "./rollout-assess";

/** Where a revision stands across the pods of its cluster. */
export type RolloutStatus = {
  revisionId: string;
  revisionNumber: number;
  reloadHash: string | null;
  appliedAt: number;
  /** `loaded` when every pod loaded it, `rejected` when any pod rejected it, else `waiting` or `unknown`. */
  overall: "loaded" | "rejected" | "waiting" | "unknown";
  pods: PodRollout[];
  /** False when metrics collection does not run in this process: `pods` then come from stored history only. */
  isCollecting: boolean;
};

export type RolloutDeps = { db?: PrismaClient; collector?: MetricsCollector | null; now?: number };

/** A pod recently stored is taken as still present when the collector cannot say (collection off). */
const RECENT_POD_MS = 5 * 60_000;

function summarise(pods: readonly PodRollout[]): RolloutStatus["overall"] {
  if (pods.some((p) => p.state === "rejected")) return "rejected";
  if (pods.length > 0 && pods.every((p) => p.state === "loaded")) return "loaded";
  if (pods.some((p) => p.state === "waiting")) return "waiting";
  return "unknown";
}

/** The pods to report on: the collector's last listing, or the pods stored recently when it has none. */
async function currentPods(clusterId: string, deps: RolloutDeps, db: PrismaClient, now: number): Promise<{ pods: { name: string; pod?: CoreDnsPod }[]; isCollecting: boolean }> {
  const collector = deps.collector === undefined ? getMetricsCollector() : deps.collector;
  const listed = collector?.getListedPods(clusterId);
  if (listed) return { pods: listed.map((pod) => ({ name: pod.name, pod })), isCollecting: true };
  const rows = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT "name" FROM "MetricPod" WHERE "clusterId" = ? AND "isClusterSum" = 0 AND "lastSeenAt" >= ? ORDER BY "name"`,
    clusterId,
    now - RECENT_POD_MS,
  );
  return { pods: rows.map((row) => ({ name: row.name })), isCollecting: Boolean(collector) };
}

/** Adds the latest in-memory scrape to the stored history when it is newer and says something new. */
function withLatest(history: ReloadObservation[], latest: ReloadObservation | undefined): ReloadObservation[] {
  const last = history.at(-1);
  if (!latest || (last && latest.at <= last.at)) return history;
  if (last && last.hash === latest.hash && last.failedTotal === latest.failedTotal && last.processStartAt === latest.processStartAt) return history;
  return [...history, latest];
}

/**
 * Per pod and overall: has this revision been loaded, rejected, is it on its way, or can the metrics not tell?
 * Reads the revisions around it (their times bound the evidence), the pods' stored reload history and the latest
 * scrapes. See {@link assessPodRollout} for the rules. Null when the revision is not one of the cluster's.
 */
export async function getRolloutStatus(clusterId: string, revisionId: string, deps: RolloutDeps = {}): Promise<RolloutStatus | null> {
  const [status] = await getRolloutSummaries(clusterId, [revisionId], deps);
  return status ?? null;
}

/** {@link getRolloutStatus} for several revisions (the history list), with one read of the pods' history. */
export async function getRolloutSummaries(clusterId: string, revisionIds: readonly string[], deps: RolloutDeps = {}): Promise<RolloutStatus[]> {
  const db = deps.db ?? getDb();
  const now = deps.now ?? Date.now();
  const revisions = await db.revision.findMany({
    where: { clusterId, id: { in: [...revisionIds] } },
    select: { id: true, number: true, reloadHash: true, createdAt: true },
  });
  if (revisions.length === 0) return [];
  const numbers = revisions.flatMap((r) => [r.number - 1, r.number + 1]);
  const neighbours = await db.revision.findMany({ where: { clusterId, number: { in: numbers } }, select: { number: true, createdAt: true } });
  const timeOf = new Map(neighbours.map((r) => [r.number, r.createdAt.getTime()]));

  const { pods, isCollecting } = await currentPods(clusterId, deps, db, now);
  const history = await readReloadObservations({ clusterId, pods: pods.map((p) => p.name), since: 0 }, db);
  const collector = deps.collector === undefined ? getMetricsCollector() : deps.collector;
  const latest = new Map((collector?.getLatestPodScrapes(clusterId) ?? []).map((s) => [s.pod.name, { at: s.scrapedAt, ...readReloadState(s.metrics) }]));

  const byId = new Map(revisions.map((r) => [r.id, r]));
  return revisionIds.flatMap((id) => {
    const revision = byId.get(id);
    if (!revision) return [];
    const target: RolloutRevision = {
      reloadHash: revision.reloadHash,
      appliedAt: revision.createdAt.getTime(),
      previousAppliedAt: timeOf.get(revision.number - 1) ?? null,
      nextAppliedAt: timeOf.get(revision.number + 1) ?? null,
    };
    const podStates = pods.map(({ name, pod }) =>
      assessPodRollout({
        pod: name,
        revision: target,
        observations: withLatest(history.get(name) ?? [], latest.get(name)),
        podStartedAt: pod?.startedAt ? Date.parse(pod.startedAt) : null,
        isReady: pod?.isReady ?? null,
        restarts: pod?.restarts ?? null,
        now,
      }),
    );
    return [
      {
        revisionId: revision.id,
        revisionNumber: revision.number,
        reloadHash: revision.reloadHash,
        appliedAt: target.appliedAt,
        overall: summarise(podStates),
        pods: podStates,
        isCollecting,
      },
    ];
  });
}
