"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordApplyOutcome } from "@/lib/audit/record-apply";
import { authorizeAction, clusterNameIn } from "@/lib/auth/guard";
import { findCluster } from "@/lib/clusters/clusters";
import { getRolloutStatus, type RolloutStatus } from "@/lib/metrics/rollout";
import { getRevision } from "@/lib/revisions/revisions";
import { rollbackToRevision, type RollbackResult } from "@/lib/revisions/rollback";

type Failure = { ok: false; code: string; message: string };

const clusterNameSchema = z.string().trim().min(1).max(63);
const revisionIdSchema = z.string().trim().min(1).max(64);

/** The text of a revision of the cluster (for "compare with revision …"). */
export async function readRevisionTextAction(
  input: unknown,
): Promise<{ ok: true; id: string; number: number; text: string } | Failure> {
  const auth = await authorizeAction({ cluster: clusterNameIn(input), role: "viewer" });
  if (!auth.ok) return auth;
  const parsed = z.object({ cluster: clusterNameSchema, revisionId: revisionIdSchema }).safeParse(input);
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Pick a revision to compare with." };
  const cluster = await findCluster(parsed.data.cluster);
  const revision = await getRevision(parsed.data.revisionId);
  if (!cluster || !revision || revision.clusterId !== cluster.id) {
    return { ok: false, code: "NOT_FOUND", message: "That revision no longer exists. Reload the page." };
  }
  return { ok: true, id: revision.id, number: revision.number, text: revision.text };
}

const rollbackSchema = z.object({
  cluster: clusterNameSchema,
  revisionId: revisionIdSchema,
  /** The live version the confirmation showed the diff against. */
  baseResourceVersion: z.string().trim().min(1).max(128).nullable(),
  message: z.string().trim().max(2000, "Keep the message under 2,000 characters."),
});

/**
 * Restores a revision after the user confirmed the diff to the live Corefile: same validation and conflict check as
 * an apply from the editor, recorded as a rollback revision.
 */
export async function rollbackAction(input: unknown): Promise<RollbackResult | Failure> {
  const target = typeof input === "object" && input !== null ? String((input as { revisionId?: unknown }).revisionId ?? "") : "";
  const auth = await authorizeAction({ cluster: clusterNameIn(input), role: "editor", audit: "rollback", target });
  if (!auth.ok) return auth;
  const parsed = rollbackSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: parsed.error.issues[0]?.message ?? "Invalid request." };
  const cluster = await findCluster(parsed.data.cluster);
  if (!cluster) return { ok: false, code: "NOT_FOUND", message: "That cluster is not registered any more. Pick another one." };
  const result = await rollbackToRevision(cluster, {
    revisionId: parsed.data.revisionId,
    baseResourceVersion: parsed.data.baseResourceVersion,
    author: auth.principal.name,
    message: parsed.data.message,
  });
  await recordApplyOutcome({
    action: "rollback",
    principal: auth.principal,
    address: auth.address,
    cluster: cluster.name,
    result,
    restoredFromId: parsed.data.revisionId,
  });
  if (result.ok) revalidatePath("/", "layout");
  return result;
}

/**
 * Where a revision stands on each CoreDNS pod (loaded, rejected, waiting, unknown), for the live rollout line of the
 * editor and the revision page, which poll it until every pod has decided.
 */
export async function readRolloutStatusAction(input: unknown): Promise<{ ok: true; status: RolloutStatus } | Failure> {
  const auth = await authorizeAction({ cluster: clusterNameIn(input), role: "viewer" });
  if (!auth.ok) return auth;
  const parsed = z.object({ cluster: clusterNameSchema, revisionId: revisionIdSchema }).safeParse(input);
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Which revision? The request named none." };
  const cluster = await findCluster(parsed.data.cluster);
  if (!cluster) return { ok: false, code: "NOT_FOUND", message: "That cluster is not registered any more. Pick another one." };
  const status = await getRolloutStatus(cluster.id, parsed.data.revisionId);
  if (!status) return { ok: false, code: "NOT_FOUND", message: "That revision no longer exists. Reload the page." };
  return { ok: true, status };
}
