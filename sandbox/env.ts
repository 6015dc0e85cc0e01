/**
 * Sandbox options from environment variables, shared by `npm run sandbox` (cli.ts) and the demo
 * script: SANDBOX_PORT, SANDBOX_HOST, SANDBOX_KUBECONFIG, SANDBOX_RELOAD_SCALE, SANDBOX_QPS,
 * SANDBOX_ERROR_RATIO. Unset or empty variables leave the option out (startSandbox's default applies).
 */
import type { SandboxOptions } from "./server";

/** The real timings that SANDBOX_RELOAD_SCALE multiplies. */
export const REAL_RELOAD_TIMING = { kubeletSyncMs: 60_000, pollMs: 30_000, jitterMs: 15_000 };

function numberVar(env: Record<string, string | undefined>, name: string, check: (n: number) => boolean, expected: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value)) throw new Error(`${name} must be ${expected}, got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * Reads the SANDBOX_* variables into SandboxOptions. Throws an Error naming the variable when a
 * value is malformed (e.g. `SANDBOX_ERROR_RATIO=2`).
 */
export function sandboxOptionsFromEnv(env: Record<string, string | undefined>): SandboxOptions {
  const options: SandboxOptions = {};
  const port = numberVar(env, "SANDBOX_PORT", (n) => Number.isInteger(n) && n >= 0 && n <= 65535, "a port number (0 picks a free one)");
  if (port !== undefined) options.port = port;
  if (env.SANDBOX_HOST?.trim()) options.host = env.SANDBOX_HOST.trim();
  if (env.SANDBOX_KUBECONFIG?.trim()) options.kubeconfigPath = env.SANDBOX_KUBECONFIG.trim();
  const scale = numberVar(env, "SANDBOX_RELOAD_SCALE", (n) => n > 0, "a positive factor such as 0.01");
  if (scale !== undefined) {
    options.reload = {
      kubeletSyncMs: REAL_RELOAD_TIMING.kubeletSyncMs * scale,
      pollMs: REAL_RELOAD_TIMING.pollMs * scale,
      jitterMs: REAL_RELOAD_TIMING.jitterMs * scale,
    };
  }
  const qps = numberVar(env, "SANDBOX_QPS", (n) => n >= 0, "a non-negative number");
  const errorRatio = numberVar(env, "SANDBOX_ERROR_RATIO", (n) => n >= 0 && n <= 1, "a number between 0 and 1");
  if (qps !== undefined || errorRatio !== undefined) options.load = { qps: qps ?? 20, errorRatio: errorRatio ?? 0.01 };
  return options;
}
