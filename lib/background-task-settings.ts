/** The environment, as the settings readers take it (tests pass their own). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The two settings every background task of the server has: an on/off switch (`off`, `false`, `0` or `no` turn it
 * off; it is always off while `next build` runs) and a period in seconds (at least 1, else the default).
 */
export function readBackgroundTaskSettings(
  env: Environment,
  names: { switch: string; seconds: string; defaultSeconds: number },
): { isEnabled: boolean; periodMs: number } {
  const switchValue = (env[names.switch] ?? "").trim().toLowerCase();
  const isEnabled = !["off", "false", "0", "no"].includes(switchValue) && env.NEXT_PHASE !== "phase-production-build";
  const seconds = Number(env[names.seconds] ?? names.defaultSeconds);
  const periodSeconds = Number.isFinite(seconds) && seconds >= 1 ? seconds : names.defaultSeconds;
  return { isEnabled, periodMs: periodSeconds * 1000 };
}
