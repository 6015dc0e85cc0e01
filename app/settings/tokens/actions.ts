"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/audit";
import { authorizeAction } from "@/lib/auth/guard";
import { ROLES } from "@/lib/auth/roles";
import { createApiToken, revokeApiToken } from "@/lib/auth/tokens";

export type CreateTokenState =
  | { ok: true; token: string; name: string }
  | { ok: false; code: string; message: string }
  | null;

const createTokenSchema = z.object({
  name: z.string().trim().min(1, "Give the token a name that says where it is used (e.g. ci-deploy).").max(100),
  role: z.enum(ROLES),
  clusters: z.array(z.string().trim().min(1).max(63)).min(1, "Pick at least one cluster, or all clusters."),
  expiresInDays: z.coerce.number().int().min(0).max(3650),
  userId: z.string().trim().max(64).optional(),
});

/**
 * Creates an API token and returns its secret once. Anyone signed in with a role may create one for themselves (not
 * above their own role); admins for anyone. The guard is the viewer role on some cluster; createApiToken enforces the rest.
 */
export async function createTokenAction(_previous: CreateTokenState, formData: FormData): Promise<CreateTokenState> {
  const auth = await authorizeAction({ cluster: "*", role: "viewer", anyCluster: true });
  if (!auth.ok) return auth;
  const parsed = createTokenSchema.safeParse({
    name: formData.get("name"),
    role: formData.get("role"),
    clusters: formData.getAll("clusters"),
    expiresInDays: formData.get("expiresInDays"),
    userId: formData.get("userId") || undefined,
  });
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: parsed.error.issues[0]?.message ?? "Check the form." };
  const { name, role, clusters, expiresInDays } = parsed.data;
  const userId = parsed.data.userId ?? auth.principal.id;
  const result = await createApiToken(
    { userId, name, role, clusters, expiresAt: expiresInDays === 0 ? null : new Date(Date.now() + expiresInDays * 86_400_000) },
    auth.principal,
  );
  await recordAuditEvent({
    actor: auth.principal.name,
    actorId: auth.principal.id,
    method: auth.principal.method,
    action: "token.create",
    outcome: result.ok ? "success" : result.code === "FORBIDDEN" ? "denied" : "failure",
    address: auth.address,
    target: result.ok ? result.view.id : null,
    detail: { name, role, clusters, expiresInDays, forUser: userId, ...(result.ok ? {} : { message: result.message }) },
  });
  if (!result.ok) return result;
  revalidatePath("/settings/tokens");
  return { ok: true, token: result.token, name };
}

/** Revokes a token: one's own, or anyone's for an admin. */
export async function revokeTokenAction(input: unknown): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  const auth = await authorizeAction({ cluster: "*", role: "viewer", anyCluster: true });
  if (!auth.ok) return auth;
  const parsed = z.object({ id: z.string().trim().min(1).max(64) }).safeParse(input);
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Which token? The request named none." };
  const result = await revokeApiToken(parsed.data.id, auth.principal);
  await recordAuditEvent({
    actor: auth.principal.name,
    actorId: auth.principal.id,
    method: auth.principal.method,
    action: "token.revoke",
    outcome: result.ok ? "success" : result.code === "FORBIDDEN" ? "denied" : "failure",
    address: auth.address,
    target: parsed.data.id,
  });
  if (!result.ok) return result;
  revalidatePath("/settings/tokens");
  return { ok: true };
}
