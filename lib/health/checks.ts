import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import type { PrismaClient } from "@/lib/db/generated/client";
import { readCorefile } from "@/lib/k8s/corefile-configmap";
import { KubernetesError, type KubernetesErrorCode } from "@/lib/k8s/errors";

/** `ok`: the dependency answered; `fail`: it did not (readiness fails); `skipped`: nothing to check. */
export type CheckStatus = "ok" | "fail" | "skipped";

/**
 * One check as the health endpoint shows it. `message` is always one of our own sentences: the endpoint is
 * reachable without sign-in, so it never carries server addresses, file paths, credentials or stack traces.
 */
export type HealthCheck = {
  status: CheckStatus;
  durationMs: number;
  /** A stable code for monitoring (`TIMEOUT`, `UNREACHABLE`, `FORBIDDEN`, `DB_ERROR`...), on failures and skips. */
  code?: string;
  message?: string;
  /** The cluster checked (a registered cluster's name). */
  cluster?: string;
};

/** Default time each readiness check may take; kubelet's probe timeout must be longer (deploy/ uses 5 s). */
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

class CheckTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** Runs `work` with a deadline; the timer never keeps the process alive. */
async function withDeadline<T>(work: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(timeoutMs)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([work(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}

/**
 * Asks SQLite a trivial question through the Prisma client (`SELECT 1`). `openDb` may throw (a file that
 * cannot be opened): that is a failure of this check, not of the endpoint.
 * @returns the check, and the error behind a failure for the server log (never for the answer)
 */
export async function checkDatabase(
  openDb: () => PrismaClient,
  timeoutMs: number = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<{ check: HealthCheck; error?: unknown }> {
  const started = performance.now();
  try {
    await withDeadline(async () => {
      const rows = await openDb().$queryRawUnsafe<{ ok: number | bigint }[]>("SELECT 1 AS ok");
      if (Number(rows[0]?.ok) !== 1) throw new Error("SELECT 1 did not answer 1");
    }, timeoutMs);
    return { check: { status: "ok", durationMs: elapsedSince(started) } };
  } catch (error) {
    const isTimeout = error instanceof CheckTimeoutError;
    return {
      check: {
        status: "fail",
        durationMs: elapsedSince(started),
        code: isTimeout ? "TIMEOUT" : "DB_ERROR",
        message: isTimeout
          ? `The SQLite database did not answer within ${timeoutMs} ms. Check the volume holding it (disk full, slow storage).`
          : "The SQLite database cannot be queried. Check that its volume is mounted and writable by the container's user (see the server log).",
      },
      error,
    };
  }
}

const KUBERNETES_MESSAGES: Record<Exclude<KubernetesErrorCode, "NOT_FOUND" | "CONFLICT">, string> = {
  UNREACHABLE: "The Kubernetes API server cannot be reached. Check the network path to it and that the cluster is running.",
  TIMEOUT: "The Kubernetes API server did not answer in time.",
  UNAUTHORIZED: "The Kubernetes API server refused Coredeck's credentials (401). Check the service account token or the kubeconfig.",
  FORBIDDEN:
    "Coredeck may not read its Corefile ConfigMap (403). Check the Role and RoleBinding of its service account (deploy/rbac.yaml).",
  INVALID: "The Kubernetes API server refused the read of the Corefile ConfigMap.",
  SERVER_ERROR: "The Kubernetes API server answered with an error. Check the API server's health.",
  CONFIG: "The connection settings of this cluster cannot be loaded. Check them in Settings (or the service account mount).",
};

/**
 * Reads the cluster's Corefile ConfigMap, which needs the network path, the TLS trust, the credentials and the RBAC
 * grant the app itself needs. A missing ConfigMap still proves the API answered, so it is `ok` with a message.
 * With no cluster to check (none registered yet), the check is `skipped` and does not fail readiness.
 */
export async function checkKubernetes(
  cluster: ClusterSummary | null,
  timeoutMs: number = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<{ check: HealthCheck; error?: unknown }> {
  const started = performance.now();
  if (!cluster) {
    return {
      check: {
        status: "skipped",
        durationMs: 0,
        code: "NO_CLUSTER",
        message: "No cluster is registered: set KUBECONFIG, run in a pod with a service account, or add one in Settings.",
      },
    };
  }
  const location = { namespace: cluster.configMapNamespace, name: cluster.configMapName, key: cluster.configMapKey };
  try {
    // The client's own timeout aborts the request; the deadline only guards against a call that ignores it.
    await withDeadline(() => readCorefile(cluster, location, { timeoutMs }), timeoutMs + 500);
    return { check: { status: "ok", durationMs: elapsedSince(started), cluster: cluster.name } };
  } catch (error) {
    const durationMs = elapsedSince(started);
    if (error instanceof KubernetesError && error.code === "NOT_FOUND") {
      return {
        check: {
          status: "ok",
          durationMs,
          cluster: cluster.name,
          code: "COREFILE_NOT_FOUND",
          message: "The API server answered, but the Corefile ConfigMap (or its key) does not exist.",
        },
      };
    }
    const code = error instanceof KubernetesError ? error.code : error instanceof CheckTimeoutError ? "TIMEOUT" : "UNREACHABLE";
    const message =
      code === "NOT_FOUND" || code === "CONFLICT" ? KUBERNETES_MESSAGES.SERVER_ERROR : KUBERNETES_MESSAGES[code];
    return { check: { status: "fail", durationMs, cluster: cluster.name, code, message }, error };
  }
}
