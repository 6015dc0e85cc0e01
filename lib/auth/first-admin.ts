import "server-only";
import { recordAuditEvent } from "@/lib/audit/audit";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import { createLocalUser, findLocalAccount, needsFirstAdmin, setPassword } from "./accounts";
import { createOneTimePassword } from "./secrets";

/** The local admin's username, created at first run. */
export const FIRST_ADMIN_USERNAME = "admin";

/**
 * COREDECK_ADMIN_PASSWORD: creates the local `admin` account with that password when no local account exists yet
 * (start-up). Without it, the first person to open /signin creates the admin.
 */
export async function ensureAdminFromEnvironment(password: string | null, db: PrismaClient = getDb()): Promise<boolean> {
  if (!password || !(await needsFirstAdmin(db))) return false;
  if (password.length < 12) throw new Error("COREDECK_ADMIN_PASSWORD must be at least 12 characters long.");
  await createLocalUser({ username: FIRST_ADMIN_USERNAME, name: "admin", password, role: "admin", createdBy: "COREDECK_ADMIN_PASSWORD" }, db);
  await recordAuditEvent({ actor: "system", method: "system", action: "user.create", outcome: "success", target: FIRST_ADMIN_USERNAME, detail: { role: "admin", via: "COREDECK_ADMIN_PASSWORD" } }, db);
  return true;
}

/**
 * The demo's admin: creates `admin` with a fresh one-time password, or gives the existing one a fresh one-time
 * password if it never replaced the last one. Returns the password to print, or null when the admin already chose
 * their own (the demo then says to use it).
 */
export async function ensureDemoAdmin(db: PrismaClient = getDb()): Promise<string | null> {
  const existing = await findLocalAccount(FIRST_ADMIN_USERNAME, db);
  if (existing && !existing.mustChangePassword) return null;
  const password = createOneTimePassword();
  if (existing) {
    await setPassword(existing.id, password, db);
    await db.user.update({ where: { id: existing.id }, data: { mustChangePassword: true } });
  } else {
    await createLocalUser({ username: FIRST_ADMIN_USERNAME, name: "admin", password, mustChangePassword: true, role: "admin", createdBy: "npm run demo" }, db);
    await recordAuditEvent({ actor: "system", method: "system", action: "user.create", outcome: "success", target: FIRST_ADMIN_USERNAME, detail: { role: "admin", via: "npm run demo" } }, db);
  }
  return password;
}
