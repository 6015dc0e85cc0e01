import "server-only";
import { randomUUID } from "node:crypto";
import type { ApplyIntent as IntentRow, PrismaClient } from "@/lib/db/generated/client";
import { findNewestRevision, insertRevision, sha256Hex, toRevision, type NewRevision, type Revision } from "./revisions";
import { runWrite, runWriteTransaction } from "./sqlite-write";

/**
 * Apply intents are the write-ahead log of Corefile writes: one is recorded (pending) before each Kubernetes write
 * and settled afterwards. `applied` has its revision; `failed` means the write certainly did not happen;
 * `abandoned` means a later check found the cluster without this change (after a crash or a lost response).
 */
export type IntentStatus = "pending" | "applied" | "failed" | "abandoned";

/** What the cluster holds now, as far as settling an intent is concerned. */
export type LiveConfigMap = { exists: true; text: string | undefined; resourceVersion: string } | { exists: false };

const globalState = globalThis as unknown as { coredeckIntentsInFlight?: Set<string> };

/**
 * Intents whose Kubernetes write this process is making right now. Reconciliation leaves them alone: their
 * apply settles them itself. Kept on `globalThis` because Next may load this module once per bundle.
 */
function intentsInFlight(): Set<string> {
  globalState.coredeckIntentsInFlight ??= new Set();
  return globalState.coredeckIntentsInFlight;
}

/** The fields of an intent, as recorded before the write. */
export type NewIntent = {
  clusterId: string;
  author: string;
  message: string;
  source: "dashboard" | "api" | "rollback";
  text: string;
  baseResourceVersion: string | null;
  baseText: string;
  restoredFromId: string | null;
};

/**
 * Records a pending intent and marks it in flight; call {@link releaseIntent} once the apply has settled it (or
 * given up on settling it). The id is made here, so the intent is in flight before any other caller can see it.
 */
export async function recordIntent(db: PrismaClient, intent: NewIntent): Promise<IntentRow> {
  const id = randomUUID();
  intentsInFlight().add(id);
  try {
    return await runWrite(() => db.applyIntent.create({ data: { id, ...intent, sha256: sha256Hex(intent.text), status: "pending" } }));
  } catch (error) {
    intentsInFlight().delete(id);
    throw error;
  }
}

/** Lets reconciliation see the intent again. */
export function releaseIntent(id: string): void {
  intentsInFlight().delete(id);
}

/** Settles a pending intent whose write did not happen (`failed`) or cannot be found in the cluster (`abandoned`). */
export async function settleIntentNotApplied(
  db: PrismaClient,
  id: string,
  status: "failed" | "abandoned",
  reason: string,
): Promise<void> {
  await runWrite(() =>
    db.applyIntent.updateMany({ where: { id, status: "pending" }, data: { status, error: reason, settledAt: new Date() } }),
  );
}

/**
 * Settles an intent whose write happened: in one short transaction, marks it applied and appends its revision.
 * Idempotent: an intent that already has a revision returns it. A revision someone else recorded for the same
 * write (same resourceVersion and text, not yet tied to an intent) is taken over instead of duplicated.
 */
export async function settleIntentApplied(
  db: PrismaClient,
  intent: IntentRow,
  written: { resourceVersion: string },
): Promise<Revision> {
  return runWriteTransaction(db, async (tx) => {
    // The first statement writes, so the transaction holds the write lock before it reads (see STACK.md).
    const claimed = await tx.applyIntent.updateMany({
      where: { id: intent.id, revisionId: null },
      data: { status: "applied", error: null, settledAt: new Date() },
    });
    if (claimed.count === 0) {
      const settled = await tx.applyIntent.findUnique({ where: { id: intent.id }, include: { revision: true } });
      if (settled?.revision) return toRevision(settled.revision);
      throw new Error(`Apply intent ${intent.id} no longer exists; its write (resourceVersion ${written.resourceVersion}) is unrecorded.`);
    }
    // Someone else (a watch of the ConfigMap) may have recorded this very write already; it would be the newest.
    const newest = await findNewestRevision(tx, intent.clusterId);
    const recorded =
      newest && newest.intent === null && newest.resourceVersionAfter === written.resourceVersion && newest.sha256 === intent.sha256
        ? newest
        : null;
    const revision = recorded
      ? toRevision(
          await tx.revision.update({
            where: { id: recorded.id },
            data: {
              author: intent.author,
              message: intent.message,
              source: intent.source,
              restoredFromId: intent.restoredFromId,
              resourceVersionBefore: intent.baseResourceVersion,
            },
          }),
        )
      : await insertRevision(tx, revisionOf(intent, written.resourceVersion), newest);
    await tx.applyIntent.update({ where: { id: intent.id }, data: { revisionId: revision.id } });
    return revision;
  });
}

function revisionOf(intent: IntentRow, resourceVersionAfter: string): NewRevision {
  return {
    clusterId: intent.clusterId,
    author: intent.author,
    message: intent.message,
    source: intent.source === "rollback" || intent.source === "api" ? intent.source : "dashboard",
    text: intent.text,
    resourceVersionBefore: intent.baseResourceVersion,
    resourceVersionAfter,
    restoredFromId: intent.restoredFromId,
    baseText: intent.baseText,
  };
}

/**
 * Whether the cluster shows that an intent's write happened: the live Corefile is the intent's text and the
 * ConfigMap has moved on from the base version (a conditional write that did not happen leaves it there).
 */
export function showsWrite(intent: Pick<IntentRow, "sha256" | "baseResourceVersion">, live: LiveConfigMap): boolean {
  return (
    live.exists &&
    live.text !== undefined &&
    live.resourceVersion !== intent.baseResourceVersion &&
    sha256Hex(live.text) === intent.sha256
  );
}

export type SettleOutcome = { applied: Revision[]; abandoned: string[]; skipped: string[] };

/**
 * Settles the cluster's pending intents, oldest first, against one reading of the live ConfigMap: the one whose
 * write the cluster shows becomes applied (with its revision), the others abandoned. Intents in flight in this
 * process, and those younger than `minAgeMs` (in flight in another process, perhaps), are skipped.
 */
export async function settlePendingIntents(
  db: PrismaClient,
  clusterId: string,
  live: LiveConfigMap,
  options: { minAgeMs?: number } = {},
): Promise<SettleOutcome> {
  const outcome: SettleOutcome = { applied: [], abandoned: [], skipped: [] };
  const pending = await db.applyIntent.findMany({ where: { clusterId, status: "pending" }, orderBy: { createdAt: "asc" } });
  const now = Date.now();
  for (const intent of pending) {
    if (intentsInFlight().has(intent.id) || now - intent.createdAt.getTime() < (options.minAgeMs ?? 0)) {
      outcome.skipped.push(intent.id);
      continue;
    }
    // Only one write can have produced the live version; later intents with the same text did not.
    if (outcome.applied.length === 0 && live.exists && showsWrite(intent, live)) {
      outcome.applied.push(await settleIntentApplied(db, intent, { resourceVersion: live.resourceVersion }));
      continue;
    }
    await settleIntentNotApplied(
      db,
      intent.id,
      "abandoned",
      live.exists
        ? `The cluster does not hold this change (found resourceVersion ${live.resourceVersion} with other text); the write did not happen or was overwritten.`
        : "The ConfigMap does not exist; the write did not happen.",
    );
    outcome.abandoned.push(intent.id);
  }
  return outcome;
}
