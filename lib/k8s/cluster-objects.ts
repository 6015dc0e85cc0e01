import type { V1Endpoints, V1Namespace, V1Pod, V1Service } from "@kubernetes/client-node";
import { callOptions, makeCoreApi, type ClusterConnection } from "./connection";
import { toKubernetesError } from "./errors";

/** The objects the query explainer reads about a cluster, as the API returns them (plain JSON). */
export type ClusterObjectLists = {
  services: V1Service[];
  endpoints: V1Endpoints[];
  pods: V1Pod[];
  namespaces: V1Namespace[];
  /** Lists that could not be read (the explainer then works without them), in plain words. */
  missing: string[];
};

/**
 * Lists what the `kubernetes` plugin answers from: Services (required), and Endpoints, Pods and Namespaces when the
 * credentials allow (each one missing is noted instead of failing the whole call).
 * @throws KubernetesError when the Services cannot be listed
 */
export async function listClusterObjects(cluster: ClusterConnection, options: { timeoutMs?: number } = {}): Promise<ClusterObjectLists> {
  const api = makeCoreApi(cluster);
  const opts = callOptions(options.timeoutMs);
  const missing: string[] = [];
  const optional = async <T>(resource: string, list: () => Promise<{ items: T[] }>): Promise<T[]> => {
    try {
      return (await list()).items;
    } catch (error) {
      const e = toKubernetesError(error, { cluster: cluster.name, resource, verb: "list" });
      // 404: the server does not serve this resource (the sandbox serves no Endpoints): nothing to say.
      if (e.status !== 404) missing.push(e.message);
      return [];
    }
  };
  const [services, endpoints, pods, namespaces] = await Promise.all([
    api.listServiceForAllNamespaces({}, opts).then(
      (l) => l.items,
      (error: unknown) => {
        throw toKubernetesError(error, { cluster: cluster.name, resource: "services", verb: "list" });
      },
    ),
    optional("endpoints", () => api.listEndpointsForAllNamespaces({}, opts)),
    optional("pods", () => api.listPodForAllNamespaces({}, opts)),
    optional("namespaces", () => api.listNamespace({}, opts)),
  ]);
  return { services, endpoints, pods, namespaces, missing };
}
