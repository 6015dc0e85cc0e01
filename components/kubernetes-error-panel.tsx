import type { KubernetesErrorView } from "@/lib/k8s/errors";
import { Alert } from "./ui/alert";

const TITLES: Record<KubernetesErrorView["code"], string> = {
  UNREACHABLE: "Cluster unreachable",
  TIMEOUT: "The cluster did not answer in time",
  UNAUTHORIZED: "Credentials refused",
  FORBIDDEN: "Permission missing",
  NOT_FOUND: "Not found",
  CONFLICT: "Changed by someone else",
  INVALID: "Request refused",
  SERVER_ERROR: "API server error",
  CONFIG: "Connection settings invalid",
};

/** Explains a failed Kubernetes call: what happened, where, and what to do next. */
export function KubernetesErrorPanel({ error }: { error: KubernetesErrorView }) {
  return (
    <Alert tone="error" title={TITLES[error.code]}>
      <p>{error.message}</p>
      <p className="mt-1 text-xs opacity-80">
        Cluster {error.cluster}
        {error.namespace ? `, namespace ${error.namespace}` : ""}, resource {error.resource}
        {error.status ? `, HTTP ${error.status}` : ""}
      </p>
    </Alert>
  );
}
