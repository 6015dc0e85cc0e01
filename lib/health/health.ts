import { listClusters } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import { isInCluster } from "@/lib/k8s/contexts";
import { checkDatabase, checkKubernetes, DEFAULT_CHECK_TIMEOUT_MS, type HealthCheck } from "./checks";

export type Probe = "live" | "ready";

/** What `/api/health` answers: 200 when `status` is `ok`, 503 when `fail`. */
export type HealthReport = {
  status: "ok" | "fail";
  probe: Probe;
  checks: Record<string, HealthCheck>;
};

export type HealthOptions = {
  /** The Prisma client to ask (default: the app's own). */
  openDb?: () => PrismaClient;
  env?: Readonly<Record<string, string | undefined>>;
  /** Per check (default 2 s). */
  timeoutMs?: number;
  /** Receives the real error behind a failed check, for the server log. */
  onFailure?: (name: string, check: HealthCheck, error: unknown) => void;
};

const STARTED_AT = Date.now();

/** Liveness: the process runs its event loop and answers; nothing outside it is asked. */
export function checkLiveness(): HealthReport {
  return {
    status: "ok",
    probe: "live",
    checks: { process: { status: "ok", durationMs: 0, message: `up ${Math.round((Date.now() - STARTED_AT) / 1000)} s` } },
  };
}

/** The in-cluster connection with the default ConfigMap location, for when the database cannot say more. */
function defaultInClusterSummary(): ClusterSummary {
  return {
    id: "",
    name: "in-cluster",
    connection: "in-cluster",
    kubeconfigPath: null,
    kubeconfigContext: null,
    configMapNamespace: "kube-system",
    configMapName: "coredns",
    configMapKey: "Corefile",
    podLabelSelector: "k8s-app=kube-dns",
  };
}

/**
 * The cluster whose API the readiness check asks: the pod's own cluster when registered (the deployed shape),
 * otherwise the first registered cluster (the sandbox in the demo). When the database cannot be read but the
 * process runs in a pod, the pod's cluster with the default ConfigMap location is still checked.
 */
export async function pickHealthCluster(
  db: () => PrismaClient,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<{ cluster: ClusterSummary | null; lookupFailed: boolean }> {
  try {
    const clusters = await listClusters(db());
    return { cluster: clusters.find((c) => c.connection === "in-cluster") ?? clusters[0] ?? null, lookupFailed: false };
  } catch {
    return { cluster: isInCluster(env) ? defaultInClusterSummary() : null, lookupFailed: true };
  }
}

/**
 * Readiness: the SQLite database answers a query through Prisma and the Kubernetes API of the pod's cluster (or
 * the first registered one) answers a read of the Corefile ConfigMap, each within the timeout.
 */
export async function checkReadiness(options: HealthOptions = {}): Promise<HealthReport> {
  const openDb = options.openDb ?? getDb;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const [database, picked] = await Promise.all([checkDatabase(openDb, timeoutMs), pickHealthCluster(openDb, options.env)]);
  const kubernetes =
    picked.cluster === null && picked.lookupFailed
      ? {
          check: {
            status: "skipped",
            durationMs: 0,
            code: "NO_CLUSTER",
            message: "The cluster to check is recorded in the database, which cannot be read.",
          } satisfies HealthCheck,
        }
      : await checkKubernetes(picked.cluster, timeoutMs);
  const results = { database, kubernetes };
  for (const [name, result] of Object.entries(results)) {
    if (result.check.status === "fail") options.onFailure?.(name, result.check, "error" in result ? result.error : undefined);
  }
  const checks = { database: database.check, kubernetes: kubernetes.check };
  const status = Object.values(checks).some((check) => check.status === "fail") ? "fail" : "ok";
  return { status, probe: "ready", checks };
}

/** The HTTP status of a report: 200 or 503. */
export function healthStatusCode(report: HealthReport): 200 | 503 {
  return report.status === "ok" ? 200 : 503;
}
