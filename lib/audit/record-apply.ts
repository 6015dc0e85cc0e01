import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { Principal } from "@/lib/auth/principal";
import type { ApplyResult } from "@/lib/revisions/apply-corefile";
import type { RollbackResult } from "@/lib/revisions/rollback";
import { recordAuditEvent } from "./audit";

/**
 * Records an apply or a rollback, whatever came of it: the revision and its diff size when it was written, the code
 * and message when not (a conflict, an invalid Corefile, an unreachable cluster).
 */
export async function recordApplyOutcome(
  input: {
    action: "apply" | "rollback";
    principal: Principal;
    address: string | null;
    cluster: string;
    result: ApplyResult | RollbackResult;
    /** For a rollback: the revision restored. */
    restoredFromId?: string;
  },
  db?: PrismaClient,
): Promise<void> {
  const { result, principal } = input;
  const via = principal.tokenId ? { tokenId: principal.tokenId } : {};
  const restored = input.restoredFromId ? { restoredFromId: input.restoredFromId } : {};
  await recordAuditEvent(
    {
      actor: principal.name,
      actorId: principal.id,
      method: principal.method,
      action: input.action,
      outcome: result.ok ? "success" : "failure",
      address: input.address,
      cluster: input.cluster,
      target: result.ok ? result.revision.id : (input.restoredFromId ?? null),
      detail: result.ok
        ? {
            revision: result.revision.number,
            linesAdded: result.revision.linesAdded,
            linesRemoved: result.revision.linesRemoved,
            resourceVersion: result.resourceVersion,
            ...restored,
            ...via,
          }
        : { code: result.code, message: result.message, ...restored, ...via },
    },
    db,
  );
}
