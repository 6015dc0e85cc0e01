import {
  CoreV1Api,
  KubeConfig,
  Observable,
  type ConfigurationOptions,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
} from "@kubernetes/client-node";
import { inClusterPathPrefix } from "./contexts";
import { KubernetesError } from "./errors";
import { userAgent } from "./user-agent";

/** How Coredeck reaches a cluster: the fields of a registered Cluster that matter to Kubernetes calls. */
export type ClusterConnection = {
  name: string;
  connection: "sandbox" | "kubeconfig" | "in-cluster";
  kubeconfigPath?: string | null;
  kubeconfigContext?: string | null;
};

/** Default time a single API call may take before it is reported as a timeout. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Field manager recorded in `managedFields` for every write Coredeck makes. */
export const FIELD_MANAGER = "coredeck";

/**
 * Builds the KubeConfig for a cluster: the pod's service account in-cluster, otherwise the
 * kubeconfig file (the sandbox writes one) and, when given, a context inside it.
 */
export function loadKubeConfig(cluster: ClusterConnection): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (cluster.connection === "in-cluster") {
      // KUBERNETES_SERVICE_HOST/PORT (set by the kubelet) and the mounted token, CA and namespace. The token file
      // is read again as the kubelet rotates it.
      if (!process.env.KUBERNETES_SERVICE_HOST || !process.env.KUBERNETES_SERVICE_PORT) {
        throw new Error("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: this process does not run in a pod");
      }
      kc.loadFromCluster(inClusterPathPrefix());
      return kc;
    }
    if (!cluster.kubeconfigPath) {
      throw new Error("no kubeconfig path is set");
    }
    kc.loadFromFile(cluster.kubeconfigPath);
    if (cluster.kubeconfigContext) {
      if (!kc.getContexts().some((context) => context.name === cluster.kubeconfigContext)) {
        throw new Error(`context "${cluster.kubeconfigContext}" is not in ${cluster.kubeconfigPath}`);
      }
      kc.setCurrentContext(cluster.kubeconfigContext);
    }
    if (!kc.getCurrentCluster()) {
      throw new Error(`the kubeconfig ${cluster.kubeconfigPath} has no current context`);
    }
    return kc;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new KubernetesError(
      "CONFIG",
      `Cannot load the connection settings of cluster "${cluster.name}": ${detail}. Fix the kubeconfig path or context in Settings.`,
      { cluster: cluster.name, resource: "kubeconfig", verb: "load" },
    );
  }
}

/** A CoreV1Api client for the cluster. */
export function makeCoreApi(cluster: ClusterConnection): CoreV1Api {
  return loadKubeConfig(cluster).makeApiClient(CoreV1Api);
}

/**
 * Per-call options for client-node's promise API: a timeout (AbortSignal) and our User-Agent, so
 * that a hung API server becomes a clear error instead of a spinner that never ends.
 */
export function callOptions(timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS): ConfigurationOptions {
  const middleware: ObservableMiddleware = {
    pre: (context: RequestContext) => {
      context.setSignal(AbortSignal.timeout(timeoutMs));
      context.setHeaderParam("User-Agent", userAgent());
      return new Observable(Promise.resolve(context));
    },
    post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: "append" };
}
