import "server-only";
import { z } from "zod";
import { rollbackToRevision } from "@/lib/revisions/rollback";
import { recordApplyOutcome } from "@/lib/audit/record-apply";
import { authorizeApiRequest } from "./authorize";
import { respondToApplyResult } from "./apply-response";
import { refuseCrossOriginWrite } from "./cross-origin";
import { lookUpCluster, lookUpRevision, respondSafely, type ApiDeps, type RevisionParams } from "./lookups";
import { readJsonBody } from "./request-body";

/** The optional body of `POST .../revisions/{id}/rollback`. */
export const rollbackBodySchema = z.strictObject({
  baseResourceVersion: z
    .string({ error: '"baseResourceVersion" must be the resourceVersion from GET .../corefile.' })
    .trim()
    .min(1, "baseResourceVersion is empty; send the resourceVersion from GET .../corefile, or leave it out.")
    .max(128)
    .nullish(),
  message: z.string({ error: '"message" must be a string.' }).trim().max(2000, "Keep the message under 2,000 characters.").optional(),
});

/**
 * `POST /api/v1/clusters/{cluster}/revisions/{id}/rollback` with an optional `{ baseResourceVersion, message }`:
 * puts the revision's exact text back through the same validated, conflict-safe apply, recorded as a `rollback`
 * revision pointing at it (`restoredFromId`). Without `baseResourceVersion` it rolls back over whatever is live.
 * Answers as `PUT .../corefile` does, plus 404 for a revision the cluster does not have.
 */
export function handleRollbackRevision(request: Request, params: RevisionParams, deps: ApiDeps = {}): Promise<Response> {
  return respondSafely(async () => {
    const refusal = refuseCrossOriginWrite(request);
    if (refusal) return refusal;
    const auth = await authorizeApiRequest(request, { cluster: params.cluster, role: "editor", audit: "rollback", target: params.id }, deps);
    if (!auth.ok) return auth.response;
    const cluster = await lookUpCluster(params.cluster, deps.db);
    if (!cluster.ok) return cluster.response;
    const revision = await lookUpRevision(cluster.value, params.id, deps.db);
    if (!revision.ok) return revision.response;
    const body = await readJsonBody(request, rollbackBodySchema, { isOptional: true });
    if (!body.ok) return body.response;

    const result = await rollbackToRevision(
      cluster.value,
      {
        revisionId: revision.value.id,
        baseResourceVersion: body.data.baseResourceVersion,
        message: body.data.message,
        author: auth.value.principal.name,
      },
      { db: deps.db, timeoutMs: deps.timeoutMs },
    );
    await recordApplyOutcome(
      { action: "rollback", ...auth.value, cluster: cluster.value.name, result, restoredFromId: revision.value.id },
      deps.db,
    );
    return respondToApplyResult(result);
  });
}
