import "server-only";
import { listClusters } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { hasRole } from "@/lib/auth/roles";
import { authorizeApiRequest } from "./authorize";
import { respondSafely, type ApiDeps } from "./lookups";
import { jsonResponse } from "./responses";

/** A registered cluster as the API shows it: where its Corefile lives, never its kubeconfig or credentials. */
export type ClusterJson = {
  name: string;
  connection: ClusterSummary["connection"];
  configMap: { namespace: string; name: string; key: string };
  podLabelSelector: string;
};

/** `GET /api/v1/clusters` → 200 `{ clusters }`: the clusters the caller may read (any role on them). */
export function handleListClusters(request: Request, deps: ApiDeps = {}): Promise<Response> {
  return respondSafely(async () => {
    // Any signed-in caller may ask; the answer holds only the clusters they have a role on.
    const auth = await authorizeApiRequest(request, { cluster: null, role: "viewer" }, deps);
    if (!auth.ok) return auth.response;
    const { grants } = auth.value.principal;
    const clusters = (await listClusters(deps.db)).filter((cluster) => hasRole(grants, cluster.name, "viewer"));
    return jsonResponse({ clusters: clusters.map(toClusterJson) });
  });
}

function toClusterJson(cluster: ClusterSummary): ClusterJson {
  return {
    name: cluster.name,
    connection: cluster.connection,
    configMap: { namespace: cluster.configMapNamespace, name: cluster.configMapName, key: cluster.configMapKey },
    podLabelSelector: cluster.podLabelSelector,
  };
}

