/** How long to wait before the next reconnect: doubling from `initialMs`, capped at `maxMs`. */
export type BackoffPolicy = { initialMs: number; maxMs: number };

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000 };

/**
 * The pause before reconnect attempt `failures` (1 for the first failure): the doubled delay, capped, of which a
 * random half is kept ("equal jitter"), so that many Coredeck processes losing the same API server do not come back
 * in step, yet none retries faster than half the nominal delay.
 */
export function computeBackoffMs(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const nominal = Math.min(policy.initialMs * 2 ** exponent, policy.maxMs);
  return Math.round(nominal / 2 + (random() * nominal) / 2);
}
