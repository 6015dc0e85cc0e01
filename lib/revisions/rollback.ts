import "server-only";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { getDb } from "@/lib/db/client";
import { readCorefile } from "@/lib/k8s/corefile-configmap";
import { KubernetesError } from "@/lib/k8s/errors";
import { applyCorefile, corefileLocationOf, toFailure, type ApplyDeps, type ApplyResult } from "./apply-corefile";
import { getRevision } from "./revisions";

export type RollbackRequest = {
  /** The revision whose text is put back. */
  revisionId: string;
  /**
   * The ConfigMap's resourceVersion the user reviewed the rollback against (the confirmation showed the diff to
   * that live text). When someone changed the ConfigMap since, the rollback is a CONFLICT, as an apply would be.
   * Omit it only where there was nothing to review (a script that wants "put revision N back, whatever is live").
   */
  baseResourceVersion?: string | null;
  author: string;
  /** Defaults to "Roll back to revision #N". */
  message?: string;
};

export type RollbackResult = ApplyResult | { ok: false; code: "NOT_FOUND"; message: string };

/**
 * Puts an earlier revision's text back: byte for byte the same text, through the same validation and
 * conflict-safe write as the editor's apply, recorded as a new revision (source `rollback`, pointing at the
 * revision restored). A revision that CoreDNS would now refuse is refused here too (INVALID), and restoring what
 * is already live is UNCHANGED.
 */
export async function rollbackToRevision(
  cluster: ClusterSummary,
  request: RollbackRequest,
  deps: ApplyDeps = {},
): Promise<RollbackResult> {
  const db = deps.db ?? getDb();
  const revision = await getRevision(request.revisionId, db);
  if (!revision || revision.clusterId !== cluster.id) {
    return {
      ok: false,
      code: "NOT_FOUND",
      message: `Cluster "${cluster.name}" has no revision ${request.revisionId}. Pick a revision from its history.`,
    };
  }
  let baseResourceVersion = request.baseResourceVersion;
  if (baseResourceVersion === undefined || baseResourceVersion === null) {
    try {
      baseResourceVersion = (await readCorefile(cluster, corefileLocationOf(cluster), { timeoutMs: deps.timeoutMs })).resourceVersion;
    } catch (error) {
      if (!(error instanceof KubernetesError)) throw error;
      if (error.code !== "NOT_FOUND") {
        return toFailure(error, false);
      }
      baseResourceVersion = null;
    }
  }
  return applyCorefile(
    cluster,
    {
      text: revision.text,
      baseResourceVersion,
      message: request.message?.trim() || `Roll back to revision #${revision.number}`,
      author: request.author,
      source: "rollback",
      restoredFromId: revision.id,
    },
    { ...deps, db },
  );
}
