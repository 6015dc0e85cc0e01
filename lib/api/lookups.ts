import "server-only";
import { findCluster } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import type { PrismaClient } from "@/lib/db/generated/client";
import { KubernetesError } from "@/lib/k8s/errors";
import { getRevision, type Revision } from "@/lib/revisions/revisions";
import { respondToKubernetesError } from "./kubernetes-failure";
import { errorResponse } from "./responses";

/** What the handlers take besides the request; tests pass a temporary database and short timeouts. */
export type ApiDeps = {
  db?: PrismaClient;
  /** Per Kubernetes call (default: lib/k8s's 10 s). */
  timeoutMs?: number;
};

/** The route parameters of `/api/v1/clusters/{cluster}/...`. */
export type ClusterParams = { cluster: string };

/** The route parameters of `/api/v1/clusters/{cluster}/revisions/{id}/...`. */
export type RevisionParams = ClusterParams & { id: string };

/** Something looked up for a request, or the error answer to send instead. */
export type Lookup<T> = { ok: true; value: T } | { ok: false; response: Response };

/** The registered cluster named in the URL, or a 404 (CLUSTER_NOT_FOUND). */
export async function lookUpCluster(name: string, db: PrismaClient | undefined): Promise<Lookup<ClusterSummary>> {
  const cluster = await findCluster(name, db);
  if (cluster) return { ok: true, value: cluster };
  return {
    ok: false,
    response: errorResponse(
      404,
      "CLUSTER_NOT_FOUND",
      `No cluster named "${name}" is registered. GET /api/v1/clusters lists the registered clusters.`,
    ),
  };
}

/** The revision `id` of `cluster` (with its text), or a 404 (REVISION_NOT_FOUND), also when it belongs to another cluster. */
export async function lookUpRevision(cluster: ClusterSummary, id: string, db: PrismaClient | undefined): Promise<Lookup<Revision>> {
  const revision = await getRevision(id, db);
  if (revision && revision.clusterId === cluster.id) return { ok: true, value: revision };
  return { ok: false, response: revisionNotFound(cluster, id) };
}

/** The 404 for a revision that the cluster's history does not hold. */
export function revisionNotFound(cluster: ClusterSummary, id: string): Response {
  return errorResponse(
    404,
    "REVISION_NOT_FOUND",
    `Cluster "${cluster.name}" has no revision "${id}". GET /api/v1/clusters/${cluster.name}/revisions lists its history.`,
  );
}

/**
 * Runs a handler and turns what it throws into a JSON answer: a Kubernetes failure into its mapped status, anything
 * else into a 500 whose message carries no internals (the server log has them).
 */
export async function respondSafely(handle: () => Promise<Response>): Promise<Response> {
  try {
    return await handle();
  } catch (error) {
    if (error instanceof KubernetesError) return respondToKubernetesError(error);
    console.error("coredeck: the REST API failed unexpectedly", error);
    return errorResponse(
      500,
      "INTERNAL",
      "Coredeck failed unexpectedly while handling this request. The server log has the details; retry, and if it persists, report it.",
    );
  }
}
