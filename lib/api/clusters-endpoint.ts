import "server-only";
import { listClusters } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { respondSafely, type ApiDeps } from "./lookups";
import { jsonResponse } from "./responses";

/** A registered cluster as the API shows it: where its Corefile lives, never its kubeconfig or credentials. */
export type ClusterJson = {
  name: string;
  connection: ClusterSummary["connection"];
  configMap: { namespace: string; name: string; key: string };
  podLabelSelector: string;
};

/** `GET /api/v1/clusters` → 200 `{ clusters }`. */
export function handleListClusters(_request: Request, deps: ApiDeps = {}): Promise<Response> {
  return respondSafely(async () => {
    const clusters = await listClusters(deps.db);
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
