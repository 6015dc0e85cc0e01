import "server-only";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import { enqueueWrite } from "@/lib/db/write-queue";
import { createSecret, sha256Hex } from "./secrets";

/** The session cookie. HttpOnly, SameSite=Lax, Secure when COREDECK_PUBLIC_URL is https. */
export const SESSION_COOKIE = "coredeck_session";

/**
 * Opens a session: a 256-bit random secret goes into the cookie; the database stores only its SHA-256, so a copy of
 * the database does not let anyone sign in.
 */
export async function createSession(
  input: { userId: string; method: "local" | "oidc"; groups: string[]; address: string | null; hours: number },
  db: PrismaClient = getDb(),
): Promise<{ secret: string; expiresAt: Date }> {
  const secret = createSecret();
  const expiresAt = new Date(Date.now() + input.hours * 3600_000);
  await enqueueWrite(() =>
    db.session.create({
      data: {
        id: sha256Hex(secret),
        userId: input.userId,
        method: input.method,
        groups: JSON.stringify(input.groups),
        expiresAt,
        address: input.address,
      },
    }),
  );
  return { secret, expiresAt };
}

/** The live session behind a cookie secret, with its user; null when unknown, expired, or the user is disabled. */
export async function findSession(secret: string, db: PrismaClient = getDb()) {
  if (!secret || secret.length > 200) return null;
  const session = await db.session.findUnique({ where: { id: sha256Hex(secret) }, include: { user: true } });
  if (!session || session.expiresAt.getTime() <= Date.now() || session.user.isDisabled) return null;
  return session;
}

/** Ends a session (sign-out). */
export async function deleteSession(secret: string, db: PrismaClient = getDb()): Promise<void> {
  await enqueueWrite(() => db.session.deleteMany({ where: { id: sha256Hex(secret) } }));
}

/** Ends every session of a user except `keepSecret`'s (after a password change). */
export async function deleteOtherSessions(userId: string, keepSecret: string | null, db: PrismaClient = getDb()): Promise<void> {
  const keep = keepSecret ? sha256Hex(keepSecret) : "";
  await enqueueWrite(() => db.session.deleteMany({ where: { userId, id: { not: keep } } }));
}

/** Removes expired sessions (run at start-up). */
export async function deleteExpiredSessions(db: PrismaClient = getDb()): Promise<number> {
  const { count } = await enqueueWrite(() => db.session.deleteMany({ where: { expiresAt: { lte: new Date() } } }));
  return count;
}
