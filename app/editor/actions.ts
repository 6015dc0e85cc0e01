"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/audit";
import { recordApplyOutcome } from "@/lib/audit/record-apply";
import { authorizeAction, clusterNameIn } from "@/lib/auth/guard";
import { findCluster } from "@/lib/clusters/clusters";
import { discardDraft, saveDraft } from "@/lib/drafts/drafts";
import { draftInputSchema } from "@/lib/drafts/draft-schema";
import { readCorefile } from "@/lib/k8s/corefile-configmap";
import { KubernetesError } from "@/lib/k8s/errors";
import { applyCorefile, corefileLocationOf, type ApplyResult } from "@/lib/revisions/apply-corefile";

type Failure = { ok: false; code: string; message: string };

const clusterNameSchema = z.string().trim().min(1).max(63);

async function requireCluster(name: unknown) {
  const parsed = clusterNameSchema.safeParse(name);
  if (!parsed.success) return null;
  return findCluster(parsed.data);
}

const NO_CLUSTER: Failure = { ok: false, code: "NOT_FOUND", message: "That cluster is not registered any more. Pick another one." };

const saveDraftSchema = draftInputSchema.extend({ cluster: clusterNameSchema });

/** Saves the user's work in progress for the cluster (called as they type, debounced). */
export async function saveDraftAction(input: unknown): Promise<{ ok: true; savedAt: string } | Failure> {
  const auth = await authorizeAction({ cluster: clusterNameIn(input), role: "editor" });
  if (!auth.ok) return auth;
  const parsed = saveDraftSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "INVALID", message: parsed.error.issues[0]?.message ?? "Invalid draft." };
  const cluster = await requireCluster(parsed.data.cluster);
  if (!cluster) return NO_CLUSTER;
  const draft = await saveDraft(cluster.id, auth.principal.id, {
    text: parsed.data.text,
    baseText: parsed.data.baseText,
    baseResourceVersion: parsed.data.baseResourceVersion,
  });
  return { ok: true, savedAt: draft.updatedAt.toISOString() };
}

/** Throws the draft away (explicitly, from the editor's "Discard draft"). */
export async function discardDraftAction(input: unknown): Promise<{ ok: true } | Failure> {
  const auth = await authorizeAction({ cluster: clusterNameIn(input), role: "editor", audit: "draft.discard" });
  if (!auth.ok) return auth;
  const cluster = await requireCluster((input as { cluster?: unknown } | null)?.cluster);
  if (!cluster) return NO_CLUSTER;
  await discardDraft(cluster.id, auth.principal.id);
  await recordAuditEvent({
    actor: auth.principal.name,
    actorId: auth.principal.id,
    method: auth.principal.method,
    action: "draft.discard",
    outcome: "success",
    address: auth.address,
    cluster: cluster.name,
  });
  revalidatePath("/editor");
  return { ok: true };
}

/** The live Corefile now (for "Pull live into draft" and after a conflict). */
export async function readLiveCorefileAction(
  input: unknown,
): Promise<{ ok: true; text: string; resourceVersion: string } | Failure> {
  const auth = await authorizeAction({ cluster: clusterNameIn(input), role: "viewer" });
  if (!auth.ok) return auth;
  const cluster = await requireCluster((input as { cluster?: unknown } | null)?.cluster);
  if (!cluster) return NO_CLUSTER;
  try {
    const live = await readCorefile(cluster, corefileLocationOf(cluster));
    return { ok: true, text: live.text, resourceVersion: live.resourceVersion };
  } catch (error) {
    if (error instanceof KubernetesError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

const applySchema = z.object({
  cluster: clusterNameSchema,
  text: z.string(),
  baseResourceVersion: z.string().trim().min(1).max(128).nullable(),
  message: z.string().trim().max(2000, "Keep the message under 2,000 characters."),
});

/**
 * Applies the draft: re-validated on the server, written with the resourceVersion the draft was based
 * on, recorded as a revision. Every failure comes back as a value and the draft stays as it is.
 */
export async function applyCorefileAction(input: unknown): Promise<ApplyResult | Failure> {
  const auth = await authorizeAction({ cluster: clusterNameIn(input), role: "editor", audit: "apply" });
  if (!auth.ok) return auth;
  const parsed = applySchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: parsed.error.issues[0]?.message ?? "Invalid request." };
  const cluster = await requireCluster(parsed.data.cluster);
  if (!cluster) return NO_CLUSTER;
  const result = await applyCorefile(cluster, {
    text: parsed.data.text,
    baseResourceVersion: parsed.data.baseResourceVersion,
    message: parsed.data.message,
    author: auth.principal.name,
    source: "dashboard",
  });
  await recordApplyOutcome({ action: "apply", principal: auth.principal, address: auth.address, cluster: cluster.name, result });
  if (result.ok) {
    await discardDraft(cluster.id, auth.principal.id);
    revalidatePath("/", "layout");
  }
  return result;
}
