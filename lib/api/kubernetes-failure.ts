import type { KubernetesError, KubernetesErrorCode } from "@/lib/k8s/errors";
import { errorResponse } from "./responses";

/**
 * The HTTP status the API answers for a failed Kubernetes call. The cluster's API server sits behind Coredeck, so
 * its outages are gateway errors (502 unreachable or failing, 503 overloaded or unavailable, 504 timed out), and a
 * 401 from the cluster (Coredeck's own credentials) is a 502 too: the caller could not fix it by authenticating.
 */
export function statusForKubernetesFailure(code: KubernetesErrorCode, clusterStatus?: number): number {
  switch (code) {
    case "FORBIDDEN":
      return 403;
    case "NOT_FOUND":
      return 404;
    case "CONFLICT":
      return 409;
    case "INVALID":
      return 422;
    case "TIMEOUT":
      return 504;
    case "SERVER_ERROR":
      if (clusterStatus === 503 || clusterStatus === 429) return 503;
      if (clusterStatus === 504) return 504;
      return 502;
    case "UNREACHABLE":
    case "UNAUTHORIZED":
      return 502;
    case "CONFIG":
      return 500;
  }
}

/** The answer for a {@link KubernetesError} thrown by a read. */
export function respondToKubernetesError(error: KubernetesError): Response {
  return errorResponse(statusForKubernetesFailure(error.code, error.status), error.code, error.message);
}
