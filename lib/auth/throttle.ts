import "server-only";
import { countAuditEvents } from "@/lib/audit/audit";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";

/** Failed sign-ins counted per account and per address, over this window. */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
/** Failures per account within the window before the account is locked for the rest of it. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** Failures per address (all accounts) within the window; higher, as several people may share one address. */
export const MAX_FAILURES_PER_ADDRESS = 20;

export type ThrottleState = { isLocked: false } | { isLocked: true; retryAfterMs: number; scope: "account" | "address" };

/**
 * Whether a sign-in for `account` from `address` must wait. The failures are the audit trail's `signin` failures:
 * the trail is the one record of them, and it survives restarts.
 */
export async function readSignInThrottle(
  account: string,
  address: string | null,
  db: PrismaClient = getDb(),
  now = Date.now(),
): Promise<ThrottleState> {
  const since = new Date(now - THROTTLE_WINDOW_MS);
  const byAccount = await countAuditEvents({ action: "signin", outcome: "failure", target: account, since }, db);
  if (byAccount.count >= MAX_FAILURES_PER_ACCOUNT && byAccount.oldest) {
    return { isLocked: true, scope: "account", retryAfterMs: byAccount.oldest.getTime() + THROTTLE_WINDOW_MS - now };
  }
  if (address) {
    const byAddress = await countAuditEvents({ action: "signin", outcome: "failure", address, since }, db);
    if (byAddress.count >= MAX_FAILURES_PER_ADDRESS && byAddress.oldest) {
      return { isLocked: true, scope: "address", retryAfterMs: byAddress.oldest.getTime() + THROTTLE_WINDOW_MS - now };
    }
  }
  return { isLocked: false };
}

/** "try again in 14 minutes" / "in 1 minute" / "in 40 seconds". */
export function describeRetryAfter(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
