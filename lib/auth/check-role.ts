import "server-only";
import { recordAuditEvent, type AuditAction } from "@/lib/audit/audit";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { Principal } from "./principal";
import { hasRole, roleOn, type Role } from "./roles";

export type GuardFailure = {
  ok: false;
  code: "UNAUTHENTICATED" | "FORBIDDEN" | "CROSS_ORIGIN" | "PASSWORD_CHANGE_REQUIRED";
  message: string;
};

export type ActionAuth = { ok: true; principal: Principal; address: string | null } | GuardFailure;

/** The role check shared by Server Actions and the REST API; records `denied` for audited actions. */
export async function checkRole(
  principal: Principal,
  address: string | null,
  options: { cluster: string; role: Role; audit?: AuditAction; target?: string },
  db?: PrismaClient,
): Promise<ActionAuth> {
  if (principal.mustChangePassword) {
    return { ok: false, code: "PASSWORD_CHANGE_REQUIRED", message: "Set a new password first (your one-time password is only good for that)." };
  }
  if (hasRole(principal.grants, options.cluster, options.role)) return { ok: true, principal, address };
  if (options.audit) {
    await recordAuditEvent({
      actor: principal.name,
      actorId: principal.id,
      method: principal.method,
      action: options.audit,
      outcome: "denied",
      address,
      cluster: options.cluster === "*" ? null : options.cluster,
      target: options.target ?? null,
      detail: { need: options.role, have: roleOn(principal.grants, options.cluster), ...(principal.tokenId ? { tokenId: principal.tokenId } : {}) },
    }, db);
  }
  return { ok: false, code: "FORBIDDEN", message: forbiddenMessage(principal, options.cluster, options.role) };
}

/** "You are a viewer on sandbox: applying needs editor…" — the reason shown on refusals and disabled buttons. */
export function forbiddenMessage(principal: Pick<Principal, "grants">, cluster: string, role: Role): string {
  const have = roleOn(principal.grants, cluster);
  const where = cluster === "*" ? "every cluster" : `cluster "${cluster}"`;
  const what = role === "admin" ? "This needs the admin role" : role === "editor" ? "Applying and rolling back need the editor role" : "Reading needs the viewer role";
  return `${what} on ${where}; you ${have ? `are ${have === "admin" ? "an" : "a"} ${have}` : "have no role"} there. Ask an admin for access.`;
}
