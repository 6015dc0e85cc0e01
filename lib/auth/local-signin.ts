import "server-only";
import { recordAuditEvent } from "@/lib/audit/audit";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import { findLocalAccount, markSignedIn } from "./accounts";
import { verifyPassword } from "./secrets";
import { describeRetryAfter, readSignInThrottle } from "./throttle";

export type LocalSignInResult =
  | { ok: true; user: { id: string; name: string; mustChangePassword: boolean } }
  | { ok: false; code: "INVALID_CREDENTIALS" | "THROTTLED"; message: string };

// Verifying against this when the account does not exist keeps the answer's timing the same as for a wrong password.
const DUMMY_HASH = "scrypt$32768$8$3$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/**
 * Checks a local username and password, throttled per account and per address, and records the attempt in the
 * audit trail (the failures recorded there are what the throttle counts). The message never says whether the
 * account exists.
 */
export async function signInLocally(
  input: { username: string; password: string; address: string | null },
  db: PrismaClient = getDb(),
): Promise<LocalSignInResult> {
  const account = input.username.trim().toLowerCase();
  const throttle = await readSignInThrottle(account, input.address, db);
  if (throttle.isLocked) {
    await recordAuditEvent(
      { actor: account, method: "local", action: "signin", outcome: "denied", address: input.address, target: account, detail: { reason: "throttled", scope: throttle.scope } },
      db,
    );
    const who = throttle.scope === "account" ? "this account" : "your address";
    return {
      ok: false,
      code: "THROTTLED",
      message: `Too many failed sign-ins for ${who}. Try again in ${describeRetryAfter(throttle.retryAfterMs)}.`,
    };
  }
  const user = await findLocalAccount(account, db);
  const isValid = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !isValid || user.isDisabled) {
    await recordAuditEvent(
      {
        actor: account,
        actorId: user?.id ?? null,
        method: "local",
        action: "signin",
        outcome: "failure",
        address: input.address,
        target: account,
        detail: { reason: user?.isDisabled ? "disabled" : "bad credentials" },
      },
      db,
    );
    return { ok: false, code: "INVALID_CREDENTIALS", message: "That username and password do not match. Check both and try again." };
  }
  await markSignedIn(user.id, db);
  await recordAuditEvent(
    { actor: user.name, actorId: user.id, method: "local", action: "signin", outcome: "success", address: input.address, target: account },
    db,
  );
  return { ok: true, user: { id: user.id, name: user.name, mustChangePassword: user.mustChangePassword } };
}
