import "server-only";
import { createHash } from "node:crypto";
import { getDb } from "@/lib/db/client";
import type { Prisma, PrismaClient, Revision as RevisionRow } from "@/lib/db/generated/client";
import { reloadHash } from "@/lib/corefile/reload-hash";
import { countChangedLines } from "@/lib/text/line-diff";

/** Where a revision came from: an apply in Coredeck, a write by someone else, or a rollback in Coredeck. */
/** dashboard: applied in the editor; api: applied through the REST API; external: seen by the drift watch; rollback. */
export type RevisionSource = "dashboard" | "api" | "external" | "rollback";

/** A revision without its text, as history lists show it. Plain data, safe to pass to the browser. */
export type RevisionSummary = {
  id: string;
  clusterId: string;
  /** Position in the cluster's history, from 1. */
  number: number;
  createdAt: Date;
  author: string;
  message: string;
  source: RevisionSource;
  sha256: string;
  /** What CoreDNS's reload plugin reports once a pod runs this text; null when CoreDNS cannot parse it. */
  reloadHash: string | null;
  resourceVersionBefore: string | null;
  resourceVersionAfter: string;
  parentId: string | null;
  restoredFromId: string | null;
  linesAdded: number;
  linesRemoved: number;
};

/** A revision with the Corefile text it recorded. */
export type Revision = RevisionSummary & { text: string };

/** The path CoreDNS reads the Corefile from in Kubernetes; the reload hash depends on it when the Corefile imports files. */
export const COREFILE_PATH = "/etc/coredns/Corefile";

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

const SUMMARY_FIELDS = {
  id: true,
  clusterId: true,
  number: true,
  createdAt: true,
  author: true,
  message: true,
  source: true,
  sha256: true,
  reloadHash: true,
  resourceVersionBefore: true,
  resourceVersionAfter: true,
  parentId: true,
  restoredFromId: true,
  linesAdded: true,
  linesRemoved: true,
} satisfies Prisma.RevisionSelect;

type SummaryRow = Omit<RevisionRow, "text">;

function toSummary(row: SummaryRow): RevisionSummary {
  return {
    id: row.id,
    clusterId: row.clusterId,
    number: row.number,
    createdAt: row.createdAt,
    author: row.author,
    message: row.message,
    source: row.source as RevisionSource,
    sha256: row.sha256,
    reloadHash: row.reloadHash,
    resourceVersionBefore: row.resourceVersionBefore,
    resourceVersionAfter: row.resourceVersionAfter,
    parentId: row.parentId,
    restoredFromId: row.restoredFromId,
    linesAdded: row.linesAdded,
    linesRemoved: row.linesRemoved,
  };
}

/** Maps a stored row to the {@link Revision} the rest of the app sees. */
export function toRevision(row: RevisionRow): Revision {
  return { ...toSummary(row), text: row.text };
}

/** SHA-256 (hex) of a text's UTF-8 bytes: how revisions and intents recognise a Corefile. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** What the history list can be narrowed to. `text` is found in the message, the author or the Corefile. */
export type RevisionFilter = { author?: string; source?: RevisionSource; text?: string };

/** The shortest text the trigram index can look up; shorter searches scan (they are rarely useful anyway). */
const MIN_INDEXED_SEARCH = 3;

/**
 * One page of a cluster's history, newest first, optionally filtered. Pass the returned `nextCursor` (a revision id)
 * as `cursor` for the next page; it is null on the last page. `limit` defaults to 50 (at most 200).
 */
export async function listRevisions(
  clusterId: string,
  page: { cursor?: string | null; limit?: number; filter?: RevisionFilter } = {},
  db: PrismaClient = getDb(),
): Promise<{ revisions: RevisionSummary[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  let before: number | undefined;
  if (page.cursor) {
    const cursor = await db.revision.findFirst({ where: { id: page.cursor, clusterId }, select: { number: true } });
    if (!cursor) return { revisions: [], nextCursor: null };
    before = cursor.number;
  }
  const author = page.filter?.author?.trim() || undefined;
  const source = page.filter?.source;
  const text = page.filter?.text?.trim() || undefined;
  const where: Prisma.RevisionWhereInput = {
    clusterId,
    ...(before === undefined ? {} : { number: { lt: before } }),
    ...(author ? { author } : {}),
    ...(source ? { source } : {}),
  };
  let rows: SummaryRow[];
  if (text === undefined) {
    rows = await db.revision.findMany({ where, orderBy: { number: "desc" }, take: limit + 1, select: SUMMARY_FIELDS });
  } else {
    const ids = await searchRevisionIds(db, { clusterId, before, author, source, text, take: limit + 1 });
    rows = await db.revision.findMany({ where: { id: { in: ids } }, orderBy: { number: "desc" }, select: SUMMARY_FIELDS });
  }
  const hasMore = rows.length > limit;
  const revisions = rows.slice(0, limit).map(toSummary);
  return { revisions, nextCursor: hasMore ? (revisions.at(-1)?.id ?? null) : null };
}

/** Ids of the newest revisions whose message, author or text contains `text` (case-insensitive), newest first. */
async function searchRevisionIds(
  db: PrismaClient,
  query: { clusterId: string; before?: number; author?: string; source?: RevisionSource; text: string; take: number },
): Promise<string[]> {
  const conditions = ['r."clusterId" = ?'];
  const params: unknown[] = [query.clusterId];
  if (query.before !== undefined) {
    conditions.push('r."number" < ?');
    params.push(query.before);
  }
  if (query.author) {
    conditions.push('r."author" = ?');
    params.push(query.author);
  }
  if (query.source) {
    conditions.push('r."source" = ?');
    params.push(query.source);
  }
  let sql: string;
  if (query.text.length >= MIN_INDEXED_SEARCH) {
    // The index returns matches newest first (a search row shares its revision's rowid, and a cluster's revisions
    // are inserted in number order), so a search that matches most of the history still stops after one page.
    sql = `SELECT r."id" AS id FROM "RevisionSearch" s JOIN "Revision" r ON r."id" = s."revisionId"
      WHERE "RevisionSearch" MATCH ? AND ${conditions.join(" AND ")} ORDER BY s."rowid" DESC LIMIT ?`;
    params.unshift(`"${query.text.replaceAll('"', '""')}"`);
  } else {
    const pattern = `%${query.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(`(r."message" LIKE ? ESCAPE '\\' OR r."author" LIKE ? ESCAPE '\\' OR r."text" LIKE ? ESCAPE '\\')`);
    params.push(pattern, pattern, pattern);
    sql = `SELECT r."id" AS id FROM "Revision" r WHERE ${conditions.join(" AND ")} ORDER BY r."number" DESC LIMIT ?`;
  }
  params.push(query.take);
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(sql, ...params);
  return rows.map((row) => row.id);
}

/** The authors of a cluster's revisions, for the history filter. */
export async function listRevisionAuthors(clusterId: string, db: PrismaClient = getDb()): Promise<string[]> {
  const rows = await db.revision.findMany({ where: { clusterId }, distinct: ["author"], select: { author: true }, orderBy: { author: "asc" } });
  return rows.map((row) => row.author);
}

/** The revision with this id, with its text, or null. */
export async function getRevision(id: string, db: PrismaClient = getDb()): Promise<Revision | null> {
  const row = await db.revision.findUnique({ where: { id } });
  return row ? toRevision(row) : null;
}

/** The newest revision of a cluster, with its text, or null when none was recorded yet. */
export async function getLatestRevision(clusterId: string, db: PrismaClient = getDb()): Promise<Revision | null> {
  const row = await db.revision.findFirst({ where: { clusterId }, orderBy: { number: "desc" } });
  return row ? toRevision(row) : null;
}

/** The newest revision of a cluster, as much of it as appending after it needs. */
export type RevisionHead = { id: string; number: number; resourceVersionAfter: string; sha256: string; intent: { id: string } | null };

/** The head of the cluster's history, or null when it has none; pass it to {@link insertRevision} to save a query. */
export async function findNewestRevision(tx: Prisma.TransactionClient, clusterId: string): Promise<RevisionHead | null> {
  return tx.revision.findFirst({
    where: { clusterId },
    orderBy: { number: "desc" },
    select: { id: true, number: true, resourceVersionAfter: true, sha256: true, intent: { select: { id: true } } },
  });
}

/** What it takes to append a revision to a cluster's history. */
export type NewRevision = {
  clusterId: string;
  author: string;
  message: string;
  source: RevisionSource;
  text: string;
  resourceVersionBefore: string | null;
  resourceVersionAfter: string;
  restoredFromId?: string | null;
  /** When the change happened (an external change: the time its field manager recorded); default now. */
  createdAt?: Date;
  /**
   * The text this change replaced (stored at `resourceVersionBefore`). The line counts compare with the parent's
   * text; when the parent is that same version, or there is no parent, this saves reading it back.
   */
  baseText?: string;
};

/**
 * Appends a revision to the cluster's history inside the caller's transaction: the parent is the newest revision
 * (`newest`, when the caller has just read it), the number follows it, and the hashes and line counts are computed
 * here. The transaction must already have written (it then holds SQLite's write lock, so no other writer can append
 * in between).
 */
export async function insertRevision(
  tx: Prisma.TransactionClient,
  input: NewRevision,
  newest?: RevisionHead | null,
): Promise<Revision> {
  const parent = newest === undefined ? await findNewestRevision(tx, input.clusterId) : newest;
  // The text a write replaced is its parent's when nothing happened in between; only otherwise is it read back.
  let parentText = input.baseText;
  if (parent && (parentText === undefined || parent.resourceVersionAfter !== input.resourceVersionBefore)) {
    parentText = (await tx.revision.findUniqueOrThrow({ where: { id: parent.id }, select: { text: true } })).text;
  }
  const lines = countChangedLines(parentText ?? "", input.text);
  const hash = reloadHash(input.text, { filename: COREFILE_PATH });
  const row = await tx.revision.create({
    data: {
      clusterId: input.clusterId,
      number: (parent?.number ?? 0) + 1,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
      author: input.author,
      message: input.message,
      source: input.source,
      text: input.text,
      sha256: sha256Hex(input.text),
      reloadHash: hash.ok ? hash.hash : null,
      resourceVersionBefore: input.resourceVersionBefore,
      resourceVersionAfter: input.resourceVersionAfter,
      parentId: parent?.id ?? null,
      restoredFromId: input.restoredFromId ?? null,
      linesAdded: lines.added,
      linesRemoved: lines.removed,
    },
  });
  return toRevision(row);
}
