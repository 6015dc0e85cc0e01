"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/audit";
import { countGlobalAdminBindings, createLocalUser, findLocalAccount, grantRole, revokeRoleBinding, USERNAME_PATTERN } from "@/lib/auth/accounts";
import { authorizeAction } from "@/lib/auth/guard";
import { ROLES } from "@/lib/auth/roles";
import { createOneTimePassword } from "@/lib/auth/secrets";

type Failure = { ok: false; code: string; message: string };
export type AccessState = { ok: true; message: string; oneTimePassword?: string } | Failure | null;

const grantSchema = z.object({
  subjectType: z.enum(["user", "group"]),
  subject: z.string().trim().min(1, "Name the user or group.").max(200),
  cluster: z.string().trim().min(1).max(63).default("*"),
  role: z.enum(ROLES),
});

/** Grants a role to a user or a group on a cluster (or all). Admins only. */
export async function grantRoleAction(_previous: AccessState, formData: FormData): Promise<AccessState> {
  const auth = await authorizeAction({ cluster: "*", role: "admin", audit: "role.grant" });
  if (!auth.ok) return auth;
  const parsed = grantSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: parsed.error.issues[0]?.message ?? "Check the form." };
  await grantRole({ ...parsed.data, createdBy: auth.principal.name });
  await recordAuditEvent({
    actor: auth.principal.name,
    actorId: auth.principal.id,
    method: auth.principal.method,
    action: "role.grant",
    outcome: "success",
    address: auth.address,
    cluster: parsed.data.cluster === "*" ? null : parsed.data.cluster,
    target: `${parsed.data.subjectType}:${parsed.data.subject}`,
    detail: { role: parsed.data.role, cluster: parsed.data.cluster },
  });
  revalidatePath("/settings/access");
  return { ok: true, message: `Granted ${parsed.data.role} on ${parsed.data.cluster === "*" ? "all clusters" : parsed.data.cluster}.` };
}

/** Removes a role binding; the last admin binding on all clusters stays (or nobody could manage access). Admins only. */
export async function revokeRoleAction(input: unknown): Promise<{ ok: true } | Failure> {
  const auth = await authorizeAction({ cluster: "*", role: "admin", audit: "role.revoke" });
  if (!auth.ok) return auth;
  const parsed = z.object({ id: z.string().trim().min(1).max(64), isGlobalAdmin: z.boolean().optional() }).safeParse(input);
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Which binding? The request named none." };
  if (parsed.data.isGlobalAdmin && (await countGlobalAdminBindings()) <= 1) {
    return { ok: false, code: "LAST_ADMIN", message: "This is the last admin binding on all clusters; grant admin to someone else first." };
  }
  const removed = await revokeRoleBinding(parsed.data.id);
  await recordAuditEvent({
    actor: auth.principal.name,
    actorId: auth.principal.id,
    method: auth.principal.method,
    action: "role.revoke",
    outcome: removed ? "success" : "failure",
    address: auth.address,
    target: removed ? `${removed.subjectType}:${removed.subject}` : parsed.data.id,
    detail: removed ? { role: removed.role, cluster: removed.cluster } : { reason: "already removed" },
  });
  revalidatePath("/settings/access");
  return { ok: true };
}

const createUserSchema = z.object({
  username: z.string().trim().regex(USERNAME_PATTERN, "Use letters, digits, dots, dashes or @ (up to 63 characters)."),
  name: z.string().trim().max(200).optional(),
  role: z.enum(ROLES),
});

/** Creates a local account with a one-time password (shown once) and a role on all clusters. Admins only. */
export async function createUserAction(_previous: AccessState, formData: FormData): Promise<AccessState> {
  const auth = await authorizeAction({ cluster: "*", role: "admin", audit: "user.create" });
  if (!auth.ok) return auth;
  const parsed = createUserSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: parsed.error.issues[0]?.message ?? "Check the form." };
  if (await findLocalAccount(parsed.data.username)) {
    return { ok: false, code: "TAKEN", message: `A local account "${parsed.data.username}" exists already. Pick another username.` };
  }
  const password = createOneTimePassword();
  const user = await createLocalUser({ ...parsed.data, password, mustChangePassword: true, createdBy: auth.principal.name });
  await recordAuditEvent({
    actor: auth.principal.name,
    actorId: auth.principal.id,
    method: auth.principal.method,
    action: "user.create",
    outcome: "success",
    address: auth.address,
    target: user.subject,
    detail: { role: parsed.data.role },
  });
  revalidatePath("/settings/access");
  return { ok: true, message: `Created "${parsed.data.username}" (${parsed.data.role} on all clusters).`, oneTimePassword: password };
}
