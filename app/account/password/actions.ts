"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/audit";
import { findAccountById, setPassword } from "@/lib/auth/accounts";
import { checkActionOrigin, getRequestAuth } from "@/lib/auth/guard";
import { verifyPassword } from "@/lib/auth/secrets";
import { deleteOtherSessions, SESSION_COOKIE } from "@/lib/auth/sessions";

export type ChangePasswordState = { ok: false; code: string; message: string } | null;

const changeSchema = z
  .object({
    current: z.string().min(1, "Enter your current (or one-time) password.").max(1024),
    password: z.string().min(12, "Choose a password of at least 12 characters.").max(1024),
    confirm: z.string(),
  })
  .refine((value) => value.password === value.confirm, { message: "The two new passwords differ. Type the same one twice.", path: ["confirm"] })
  .refine((value) => value.password !== value.current, { message: "Choose a password other than the current one.", path: ["password"] });

/** Replaces the signed-in local user's password (required after a one-time password); ends their other sessions. */
export async function changePasswordAction(_previous: ChangePasswordState, formData: FormData): Promise<ChangePasswordState> {
  const refusal = await checkActionOrigin();
  if (refusal) return refusal;
  // The guard: any signed-in local user, also one who must change a one-time password (which the role guard refuses).
  const auth = await getRequestAuth();
  if (!auth.ok) return { ok: false, code: "UNAUTHENTICATED", message: "Your session ended. Sign in again." };
  if (auth.principal.method !== "local") {
    return { ok: false, code: "NOT_LOCAL", message: "Your password is managed by your identity provider, not by Coredeck." };
  }
  const parsed = changeSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: parsed.error.issues[0]?.message ?? "Check the form." };
  const user = await findAccountById(auth.principal.id);
  if (!user?.passwordHash || !(await verifyPassword(parsed.data.current, user.passwordHash))) {
    await recordAuditEvent({ actor: auth.principal.name, actorId: auth.principal.id, method: "local", action: "password.change", outcome: "failure", address: auth.address, detail: { reason: "wrong current password" } });
    return { ok: false, code: "WRONG_PASSWORD", message: "The current password is not right. Type it again." };
  }
  await setPassword(user.id, parsed.data.password);
  await deleteOtherSessions(user.id, (await cookies()).get(SESSION_COOKIE)?.value ?? null);
  await recordAuditEvent({ actor: auth.principal.name, actorId: auth.principal.id, method: "local", action: "password.change", outcome: "success", address: auth.address });
  revalidatePath("/", "layout");
  redirect("/");
}

