"use server";

import { cookies, headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/audit";
import { createLocalUser, needsFirstAdmin, USERNAME_PATTERN } from "@/lib/auth/accounts";
import { createAddressMatcher, readClientAddress } from "@/lib/auth/address";
import { checkActionOrigin } from "@/lib/auth/guard";
import { signInLocally } from "@/lib/auth/local-signin";
import { getAuthConfig } from "@/lib/auth/principal";
import { createSession } from "@/lib/auth/sessions";
import { safeNextPath, sessionCookie } from "@/lib/auth/session-cookie";

export type SignInState = { ok: false; code: string; message: string; username?: string } | null;

const signInSchema = z.object({
  username: z.string().trim().min(1, "Enter your username.").max(64),
  password: z.string().min(1, "Enter your password.").max(1024),
  next: z.string().max(2000).optional(),
});

async function requestAddress(): Promise<string | null> {
  const config = getAuthConfig();
  return readClientAddress(await headers(), createAddressMatcher(config.proxy.trustedAddresses));
}

/** Local sign-in (public: the origin check is its guard). On success opens a session and goes where the person was headed. */
export async function signInAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const refusal = await checkActionOrigin();
  if (refusal) return refusal;
  const config = getAuthConfig();
  if (!config.methods.includes("local")) {
    return { ok: false, code: "DISABLED", message: "Local accounts are turned off here (COREDECK_AUTH). Use single sign-on." };
  }
  const parsed = signInSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: parsed.error.issues[0]?.message ?? "Enter your username and password." };
  const address = await requestAddress();
  const result = await signInLocally({ username: parsed.data.username, password: parsed.data.password, address });
  if (!result.ok) return { ...result, username: parsed.data.username };
  const session = await createSession({ userId: result.user.id, method: "local", groups: [], address, hours: config.sessionHours });
  (await cookies()).set(sessionCookie(session.secret, session.expiresAt, config));
  revalidatePath("/", "layout");
  redirect(result.user.mustChangePassword ? "/account/password" : safeNextPath(parsed.data.next));
}

const firstAdminSchema = z
  .object({
    username: z.string().trim().regex(USERNAME_PATTERN, "Use letters, digits, dots, dashes or @ (up to 63 characters)."),
    password: z.string().min(12, "Choose a password of at least 12 characters.").max(1024),
    confirm: z.string(),
  })
  .refine((value) => value.password === value.confirm, { message: "The two passwords differ. Type the same one twice.", path: ["confirm"] });

/**
 * First run: creates the first local admin, only while no local account exists (public: anyone who reaches a fresh
 * install could; set COREDECK_ADMIN_PASSWORD to create it at start-up instead).
 */
export async function createFirstAdminAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const refusal = await checkActionOrigin();
  if (refusal) return refusal;
  const config = getAuthConfig();
  if (!config.methods.includes("local") || config.adminPassword || !(await needsFirstAdmin())) {
    return { ok: false, code: "ALREADY_SET_UP", message: "An admin exists already. Sign in instead." };
  }
  const parsed = firstAdminSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: parsed.error.issues[0]?.message ?? "Check the form." };
  const address = await requestAddress();
  const user = await createLocalUser({ username: parsed.data.username, password: parsed.data.password, role: "admin", createdBy: "first run" });
  await recordAuditEvent({ actor: user.name, actorId: user.id, method: "local", action: "user.create", outcome: "success", address, target: user.subject, detail: { role: "admin", via: "first run" } });
  const session = await createSession({ userId: user.id, method: "local", groups: [], address, hours: config.sessionHours });
  (await cookies()).set(sessionCookie(session.secret, session.expiresAt, config));
  revalidatePath("/", "layout");
  redirect("/");
}
