import { NO_STORE_HEADERS } from "@/lib/api/responses";
import type { HealthCheck } from "./checks";
import { checkLiveness, checkReadiness, healthStatusCode, type HealthOptions, type HealthReport } from "./health";

export type HealthEndpointOptions = HealthOptions & {
  /**
   * A readiness answer is reused for this long, and concurrent requests share one run (default 1 s), so that a
   * flood of requests to this unauthenticated endpoint cannot turn into a flood of API server calls.
   */
  reuseMs?: number;
  log?: (line: string) => void;
};

/**
 * The `/api/health` handler. `?probe=live` checks only the process (for the liveness probe: a slow API
 * server must not get the pod restarted); no parameter or `?probe=ready` runs the readiness checks. Answers
 * 200 or 503 with a {@link HealthReport}; an unknown probe is a 400. Reachable without sign-in.
 */
export function createHealthEndpoint(options: HealthEndpointOptions = {}): (request: Request) => Promise<Response> {
  const reuseMs = options.reuseMs ?? 1_000;
  const log = options.log ?? ((line: string) => console.error(line));
  const lastStatus = new Map<string, HealthCheck["status"]>();
  let cached: { at: number; report: Promise<HealthReport> } | undefined;

  // Logged when a check starts failing or recovers, not on every probe.
  const onFailure = (name: string, check: HealthCheck, error: unknown) => {
    if (lastStatus.get(name) === "fail") return;
    const detail = error instanceof Error ? error.message : error === undefined ? "" : String(error);
    log(`coredeck: health check "${name}" failed (${check.code ?? "?"}): ${detail || check.message}`);
  };

  const runReadiness = async (): Promise<HealthReport> => {
    const report = await checkReadiness({ ...options, onFailure });
    for (const [name, check] of Object.entries(report.checks)) {
      if (check.status !== "fail" && lastStatus.get(name) === "fail") log(`coredeck: health check "${name}" recovered`);
      lastStatus.set(name, check.status);
    }
    return report;
  };

  return async (request) => {
    const probe = new URL(request.url).searchParams.get("probe") ?? "ready";
    if (probe !== "live" && probe !== "ready") {
      return Response.json(
        { error: { code: "INVALID_REQUEST", message: 'Use ?probe=live (the process only) or ?probe=ready (the default).' } },
        { status: 400, headers: NO_STORE_HEADERS },
      );
    }
    let report: HealthReport;
    if (probe === "live") {
      report = checkLiveness();
    } else {
      const now = Date.now();
      if (!cached || now - cached.at > reuseMs) {
        const run = runReadiness();
        cached = { at: now, report: run };
        // A run that throws (it should not) is not reused.
        run.catch(() => {
          if (cached?.report === run) cached = undefined;
        });
      }
      try {
        report = await cached.report;
      } catch (error) {
        log(`coredeck: the health check itself failed: ${error instanceof Error ? error.message : String(error)}`);
        report = { status: "fail", probe: "ready", checks: {} };
      }
    }
    return Response.json(report, { status: healthStatusCode(report), headers: NO_STORE_HEADERS });
  };
}
