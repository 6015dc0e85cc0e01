import "server-only";
import { getDb } from "@/lib/db/client";
import type { Draft as DraftRow, PrismaClient } from "@/lib/db/generated/client";
import { runWrite } from "@/lib/revisions/sqlite-write";
import { draftInputSchema, draftKeySchema, type Draft, type DraftInput } from "./draft-schema";

function toDraft(row: DraftRow): Draft {
  return {
    id: row.id,
    clusterId: row.clusterId,
    userId: row.userId,
    text: row.text,
    baseText: row.baseText,
    baseResourceVersion: row.baseResourceVersion,
    updatedAt: row.updatedAt,
  };
}

/**
 * Saves the user's draft for the cluster, replacing the previous one. Input is validated (at most 1 MiB of text);
 * an invalid input throws a ZodError, so actions `safeParse` with `draftInputSchema` first.
 */
export async function saveDraft(
  clusterId: string,
  userId: string,
  input: DraftInput,
  db: PrismaClient = getDb(),
): Promise<Draft> {
  const key = draftKeySchema.parse({ clusterId, userId });
  const data = draftInputSchema.parse(input);
  const row = await runWrite(() =>
    db.draft.upsert({ where: { clusterId_userId: key }, create: { ...key, ...data }, update: data }),
  );
  return toDraft(row);
}

/** The user's draft for the cluster, or null. */
export async function getDraft(clusterId: string, userId: string, db: PrismaClient = getDb()): Promise<Draft | null> {
  const key = draftKeySchema.parse({ clusterId, userId });
  const row = await db.draft.findUnique({ where: { clusterId_userId: key } });
  return row ? toDraft(row) : null;
}

/** Deletes the user's draft for the cluster; true when there was one. */
export async function discardDraft(clusterId: string, userId: string, db: PrismaClient = getDb()): Promise<boolean> {
  const key = draftKeySchema.parse({ clusterId, userId });
  const { count } = await runWrite(() => db.draft.deleteMany({ where: key }));
  return count > 0;
}
