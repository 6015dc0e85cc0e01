import "server-only";
import { getDb } from "@/lib/db/client";
import type { AuditEvent, PrismaClient } from "@/lib/db/generated/client";
import { enqueueWrite } from "@/lib/db/write-queue";

/** What the audit trail records. */
export type AuditAction =
  | "signin"
  | "signout"
  | "password.change"
  | "user.create"
  | "role.grant"
  | "role.revoke"
  | "apply"
  | "rollback"
  | "draft.discard"
  | "settings.change"
  | "token.create"
  | "token.revoke"
  | "token.use"
  | "access.denied";

/** success: it happened; failure: it was tried and failed (wrong password, conflict...); denied: not allowed. */
export type AuditOutcome = "success" | "failure" | "denied";

export type AuditEventInput = {
  actor: string;
  actorId?: string | null;
  method?: string | null;
  action: AuditAction;
  outcome: AuditOutcome;
  address?: string | null;
  cluster?: string | null;
  target?: string | null;
  detail?: Record<string, unknown>;
};

export type AuditEventView = {
  id: number;
  at: string;
  actor: string;
  actorId: string | null;
  method: string | null;
  action: string;
  outcome: string;
  address: string | null;
  cluster: string | null;
  target: string | null;
  detail: Record<string, unknown>;
};

/**
 * Appends one event to the audit trail. There is no function to change or remove one: the table's triggers refuse
 * UPDATE and DELETE as well.
 */
export async function recordAuditEvent(event: AuditEventInput, db: PrismaClient = getDb()): Promise<void> {
  await enqueueWrite(() =>
    db.auditEvent.create({
      data: {
        actor: event.actor.slice(0, 200),
        actorId: event.actorId ?? null,
        method: event.method ?? null,
        action: event.action,
        outcome: event.outcome,
        address: event.address ?? null,
        cluster: event.cluster ?? null,
        target: event.target ?? null,
        detail: JSON.stringify(event.detail ?? {}),
      },
    }),
  );
}

export type AuditFilter = {
  actor?: string;
  action?: string;
  outcome?: string;
  /** ISO time, inclusive. */
  from?: Date;
  /** ISO time, exclusive. */
  to?: Date;
  /** Events with an id below this (the next page, newest first). */
  before?: number;
};

/** Newest first, `limit` a page; `nextBefore` continues the listing. */
export async function listAuditEvents(
  filter: AuditFilter,
  limit = 100,
  db: PrismaClient = getDb(),
): Promise<{ events: AuditEventView[]; nextBefore: number | null }> {
  const rows = await db.auditEvent.findMany({
    where: whereOf(filter),
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit).map(toView);
  return { events: page, nextBefore: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** Every matching event, oldest first, in batches (for the JSON-lines export). */
export async function* iterateAuditEvents(filter: AuditFilter, db: PrismaClient = getDb()): AsyncGenerator<AuditEventView> {
  let after = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: { ...whereOf({ ...filter, before: undefined }), id: { gt: after, ...(filter.before ? { lt: filter.before } : {}) } },
      orderBy: { id: "asc" },
      take: 500,
    });
    for (const row of rows) yield toView(row);
    if (rows.length < 500) return;
    after = rows[rows.length - 1]!.id;
  }
}

function whereOf(filter: AuditFilter) {
  return {
    ...(filter.actor ? { actor: { contains: filter.actor } } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
    ...(filter.before ? { id: { lt: filter.before } } : {}),
  };
}

function toView(row: AuditEvent): AuditEventView {
  let detail: Record<string, unknown> = {};
  try {
    detail = JSON.parse(row.detail) as Record<string, unknown>;
  } catch {
    detail = { raw: row.detail };
  }
  return { ...row, at: row.at.toISOString(), detail };
}

/** Counts events matching a filter since a time (sign-in throttling reads the failures). */
export async function countAuditEvents(
  where: { action: AuditAction; outcome: AuditOutcome; target?: string; address?: string; since: Date },
  db: PrismaClient = getDb(),
): Promise<{ count: number; oldest: Date | null }> {
  const rows = await db.auditEvent.findMany({
    where: {
      action: where.action,
      outcome: where.outcome,
      at: { gte: where.since },
      ...(where.target !== undefined ? { target: where.target } : {}),
      ...(where.address !== undefined ? { address: where.address } : {}),
    },
    select: { at: true },
    orderBy: { at: "asc" },
  });
  return { count: rows.length, oldest: rows[0]?.at ?? null };
}
