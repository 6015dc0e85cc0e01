import "server-only";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { validateCorefile, type CorefileDiagnostic, type ValidateOptions } from "@/lib/corefile/validate";
import { getDb } from "@/lib/db/client";
import type { ApplyIntent as IntentRow, PrismaClient } from "@/lib/db/generated/client";
import type { CorefileLocation } from "@/lib/k8s/corefile-configmap";
import { KubernetesError, toKubernetesError, type KubernetesErrorCode, type KubernetesTarget } from "@/lib/k8s/errors";
import {
  CONFIGMAP_SIZE_LIMIT,
  ConfigMapTooLargeError,
  CorefileConflictError,
  createCorefileConfigMap,
  measureConfigMapSize,
  readCorefileConfigMap,
  staleBaseError,
  updateCorefileConfigMap,
  type CorefileConfigMap,
  type WrittenCorefile,
} from "@/lib/k8s/write-corefile";
import {
  recordIntent,
  releaseIntent,
  settleIntentApplied,
  settleIntentNotApplied,
  settlePendingIntents,
  showsWrite,
  type LiveConfigMap,
} from "./apply-intents";
import { applyInputSchema, type ApplyInput } from "./apply-schema";
import type { Revision } from "./revisions";

/** The Corefile as the cluster holds it now. */
export type LiveCorefileState = { text: string; resourceVersion: string };

/**
 * The outcome of {@link applyCorefile}. Expected failures are values, each with a message for the user:
 * - `INVALID`: CoreDNS would refuse the Corefile (`diagnostics`), or the API server refused the ConfigMap (no diagnostics).
 * - `TOO_LARGE`: the ConfigMap would exceed Kubernetes' 1 MiB limit.
 * - `CONFLICT`: the ConfigMap changed since `baseResourceVersion`; `live` is its text now (null if it could not be read).
 * - `UNCHANGED`: the live Corefile already is this text; nothing was written.
 * - a Kubernetes error code: the write failed. `isOutcomeUnknown` is true when Coredeck cannot tell yet whether the
 *   write reached the cluster; the intent stays pending and {@link reconcilePendingIntents} settles it later.
 */
export type ApplyResult =
  | { ok: true; revision: Revision; resourceVersion: string; text: string }
  | { ok: false; code: "INVALID"; message: string; diagnostics: CorefileDiagnostic[] }
  | { ok: false; code: "TOO_LARGE"; message: string; size: number; limit: number }
  | { ok: false; code: "CONFLICT"; message: string; live: LiveCorefileState | null }
  | { ok: false; code: "UNCHANGED"; message: string; resourceVersion: string }
  | {
      ok: false;
      code: Exclude<KubernetesErrorCode, "INVALID" | "CONFLICT">;
      message: string;
      status?: number;
      isOutcomeUnknown: boolean;
    };

export type ApplyDeps = {
  db?: PrismaClient;
  /** Per Kubernetes call (default: lib/k8s's 10 s). */
  timeoutMs?: number;
  /**
   * Passed to `validateCorefile`; use the options the editor validated with (e.g. the `files` that the Corefile's
   * imports read, such as a mounted coredns-custom ConfigMap), so that the apply enforces what the editor showed.
   */
  validateOptions?: ValidateOptions;
};

/** Where a registered cluster keeps its Corefile. */
export function corefileLocationOf(cluster: ClusterSummary): CorefileLocation {
  return { namespace: cluster.configMapNamespace, name: cluster.configMapName, key: cluster.configMapKey };
}

/**
 * Applies a new Corefile to the cluster, conditional on the ConfigMap still being at `baseResourceVersion`, and
 * records the revision. Nothing is written when CoreDNS would refuse the text (INVALID; warnings are allowed), when
 * it would not fit in the ConfigMap (TOO_LARGE), or when someone else changed the ConfigMap meanwhile (CONFLICT,
 * with the live text). `baseResourceVersion: null` creates the ConfigMap when it does not exist.
 *
 * The write is bracketed by an apply intent (a write-ahead record): recorded before the Kubernetes call, settled
 * after it in one short transaction that also appends the revision. No database transaction is open during the
 * call. When the call's outcome is unknown (timeout, 5xx, connection lost), the ConfigMap is read at once: if it
 * holds this text at a new resourceVersion the write happened and is recorded; if not, the intent fails; if it
 * cannot be read, the intent stays pending for {@link reconcilePendingIntents}. So there is never a revision for a
 * write that did not happen, and never a write by Coredeck without a revision.
 *
 * Throws only on unexpected failures (database errors, an invalid `input`, an unknown `restoredFromId`).
 */
export async function applyCorefile(cluster: ClusterSummary, input: ApplyInput, deps: ApplyDeps = {}): Promise<ApplyResult> {
  const db = deps.db ?? getDb();
  const { timeoutMs } = deps;
  const request = applyInputSchema.parse(input);
  const location = corefileLocationOf(cluster);
  const target = (verb: string): KubernetesTarget => ({
    cluster: cluster.name,
    namespace: location.namespace,
    resource: "configmaps",
    name: location.name,
    verb,
  });

  const validation = validateCorefile(request.text, deps.validateOptions);
  if (!validation.ok) {
    const first = validation.diagnostics.find((d) => d.severity === "error");
    return {
      ok: false,
      code: "INVALID",
      message: `CoreDNS would refuse this Corefile${first ? ` (line ${first.line}: ${first.message})` : ""}. Nothing was applied; fix the errors and apply again.`,
      diagnostics: validation.diagnostics,
    };
  }
  const ownSize = measureConfigMapSize({ data: { [location.key]: request.text } });
  if (ownSize > CONFIGMAP_SIZE_LIMIT) return tooLarge(new ConfigMapTooLargeError(target("update"), ownSize));

  if (request.restoredFromId) {
    const restored = await db.revision.findFirst({ where: { id: request.restoredFromId, clusterId: cluster.id }, select: { id: true } });
    if (!restored) throw new Error(`Revision ${request.restoredFromId} of cluster "${cluster.name}" does not exist; nothing to restore.`);
  }

  let current: CorefileConfigMap | null;
  try {
    current = await readCorefileConfigMap(cluster, location, { timeoutMs });
  } catch (error) {
    const failure = toKubernetesError(error, target("get"));
    if (failure.code !== "NOT_FOUND" || request.baseResourceVersion !== null) return toFailure(failure, false);
    current = null;
  }

  // An earlier apply that crashed or lost its answer is settled against what the cluster holds now, before
  // this write can bury the evidence.
  await settlePendingIntents(db, cluster.id, liveOf(current));

  if (current !== null && request.baseResourceVersion === null) {
    return {
      ok: false,
      code: "CONFLICT",
      message: `The ConfigMap "${location.namespace}/${location.name}" of cluster "${cluster.name}" exists now (someone created it meanwhile). Review its Corefile, merge your edit into it and apply again.`,
      live: { text: current.text ?? "", resourceVersion: current.resourceVersion },
    };
  }
  if (current !== null && request.baseResourceVersion !== null) {
    if (current.resourceVersion !== request.baseResourceVersion) {
      const conflict = staleBaseError(cluster, location, current, request.baseResourceVersion);
      return { ok: false, code: "CONFLICT", message: conflict.message, live: conflict.live };
    }
    if (current.text === request.text) {
      return {
        ok: false,
        code: "UNCHANGED",
        message: "The cluster already runs exactly this Corefile; nothing was applied.",
        resourceVersion: current.resourceVersion,
      };
    }
    const size = measureConfigMapSize({
      data: { ...current.configMap.data, [location.key]: request.text },
      binaryData: current.configMap.binaryData,
    });
    if (size > CONFIGMAP_SIZE_LIMIT) return tooLarge(new ConfigMapTooLargeError(target("update"), size));
  }
  // Here either the ConfigMap is at the base version, or it is absent and the apply creates it.

  const intent = await recordIntent(db, {
    clusterId: cluster.id,
    author: request.author,
    message: request.message,
    source: request.source,
    text: request.text,
    baseResourceVersion: current?.resourceVersion ?? null,
    baseText: current?.text ?? "",
    restoredFromId: request.restoredFromId ?? null,
  });
  try {
    let written: WrittenCorefile;
    try {
      written = current
        ? await updateCorefileConfigMap(cluster, location, current.configMap, {
            text: request.text,
            baseResourceVersion: current.resourceVersion,
            timeoutMs,
          })
        : await createCorefileConfigMap(cluster, location, request.text, { timeoutMs });
    } catch (error) {
      return await settleFailedWrite(db, cluster, location, intent, toKubernetesError(error, target(current ? "update" : "create")), timeoutMs);
    }
    const revision = await settleIntentApplied(db, intent, written);
    return { ok: true, revision, resourceVersion: written.resourceVersion, text: written.text };
  } finally {
    releaseIntent(intent.id);
  }
}

function liveOf(current: CorefileConfigMap | null): LiveConfigMap {
  return current ? { exists: true, text: current.text, resourceVersion: current.resourceVersion } : { exists: false };
}

/**
 * After a failed write: a definite refusal fails the intent; an unknown outcome is resolved by reading the
 * ConfigMap at once (applied, failed, or left pending when even the read fails).
 */
async function settleFailedWrite(
  db: PrismaClient,
  cluster: ClusterSummary,
  location: CorefileLocation,
  intent: IntentRow,
  failure: KubernetesError,
  timeoutMs: number | undefined,
): Promise<ApplyResult> {
  if (failure instanceof CorefileConflictError) {
    await settleIntentNotApplied(db, intent.id, "failed", failure.message);
    return { ok: false, code: "CONFLICT", message: failure.message, live: failure.live };
  }
  if (failure instanceof ConfigMapTooLargeError) {
    await settleIntentNotApplied(db, intent.id, "failed", failure.message);
    return tooLarge(failure);
  }
  if (!isOutcomeUncertain(failure)) {
    await settleIntentNotApplied(db, intent.id, "failed", failure.message);
    return toFailure(failure, false);
  }

  let after: LiveConfigMap;
  try {
    after = liveOf(await readCorefileConfigMap(cluster, location, { timeoutMs }));
  } catch (error) {
    const readFailure = toKubernetesError(error, { ...failure.target, verb: "get" });
    if (readFailure.code !== "NOT_FOUND") {
      return toFailure(
        failure,
        true,
        `${describeWriteFailure(cluster, location, failure)} Coredeck could not read the ConfigMap afterwards either, so it cannot tell yet whether your change was applied; it checks again later and records it if it was. Reload the Corefile before you edit further.`,
      );
    }
    after = { exists: false };
  }
  if (after.exists && showsWrite(intent, after)) {
    const revision = await settleIntentApplied(db, intent, { resourceVersion: after.resourceVersion });
    return { ok: true, revision, resourceVersion: after.resourceVersion, text: after.text ?? intent.text };
  }
  const message = `${describeWriteFailure(cluster, location, failure)} The ConfigMap shows that your change was not applied; apply it again.`;
  await settleIntentNotApplied(db, intent.id, "failed", message);
  return toFailure(failure, false, message);
}

/**
 * Whether a failed write may still have been stored: the request may have reached the API server before the
 * answer was lost (timeout, dropped connection) or the server failed after storing (5xx). A refusal (4xx, 429)
 * or a connection that was never made is certain.
 */
function isOutcomeUncertain(error: KubernetesError): boolean {
  switch (error.code) {
    case "TIMEOUT":
      return true;
    case "SERVER_ERROR":
      return error.status === undefined || error.status >= 500;
    case "UNREACHABLE":
      return !/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/.test(error.message);
    default:
      return false;
  }
}

function describeWriteFailure(cluster: ClusterSummary, location: CorefileLocation, failure: KubernetesError): string {
  if (failure.code === "TIMEOUT") {
    return `The API server of cluster "${cluster.name}" did not answer the write of ConfigMap "${location.namespace}/${location.name}" in time.`;
  }
  return failure.message;
}

function tooLarge(error: ConfigMapTooLargeError): ApplyResult {
  return { ok: false, code: "TOO_LARGE", message: error.message, size: error.size, limit: error.limit };
}

/** A Kubernetes failure as an {@link ApplyResult}. */
export function toFailure(error: KubernetesError, isOutcomeUnknown: boolean, message: string = error.message): ApplyResult {
  if (error.code === "INVALID") return { ok: false, code: "INVALID", message, diagnostics: [] };
  if (error.code === "CONFLICT") {
    return { ok: false, code: "CONFLICT", message, live: error instanceof CorefileConflictError ? error.live : null };
  }
  return { ok: false, code: error.code, message, ...(error.status === undefined ? {} : { status: error.status }), isOutcomeUnknown };
}
