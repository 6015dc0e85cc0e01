import { z } from "zod";
import type { AuditFilter } from "./audit";

/** The audit page's and the export's query: every field optional; empty fields count as absent. */
export const auditQuerySchema = z.object({
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().max(40).optional(),
  outcome: z.enum(["success", "failure", "denied"]).optional(),
  from: z.iso.datetime({ local: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ local: true }).or(z.iso.date()).optional(),
  before: z.coerce.number().int().positive().optional(),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Reads the query (URL search parameters), dropping empty values; null when a value is malformed. */
export function readAuditQuery(params: Record<string, string | string[] | undefined>): AuditQuery | null {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const single = Array.isArray(value) ? value[0] : value;
    if (single !== undefined && single.trim() !== "") cleaned[key] = single;
  }
  const parsed = auditQuerySchema.safeParse(cleaned);
  return parsed.success ? parsed.data : null;
}

/** Times in the query are UTC (the page shows UTC). */
export function toAuditFilter(query: AuditQuery): AuditFilter {
  return {
    actor: query.actor,
    action: query.action,
    outcome: query.outcome,
    from: query.from ? new Date(withZone(query.from)) : undefined,
    to: query.to ? new Date(withZone(query.to)) : undefined,
    before: query.before,
  };
}

function withZone(value: string): string {
  return /[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}${value.length === 10 ? "T00:00:00" : ""}Z`;
}

/** The actions the filter offers. */
export const AUDIT_ACTIONS = [
  "signin",
  "signout",
  "password.change",
  "user.create",
  "role.grant",
  "role.revoke",
  "apply",
  "rollback",
  "draft.discard",
  "settings.change",
  "token.create",
  "token.revoke",
  "token.use",
] as const;
