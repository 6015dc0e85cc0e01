import type { ClusterSummary } from "./cluster-schema";

/** Name of the cookie that remembers the cluster the user last picked. */
export const CLUSTER_COOKIE = "coredeck-cluster";

/**
 * Picks the cluster a page shows: the one named in the URL (`?cluster=`), else the remembered one,
 * else the first registered. Unknown names fall through to the next choice.
 */
export function selectCluster(
  clusters: ClusterSummary[],
  requested: string | undefined,
  remembered: string | undefined,
): ClusterSummary | null {
  for (const name of [requested, remembered]) {
    const match = name ? clusters.find((cluster) => cluster.name === name) : undefined;
    if (match) return match;
  }
  return clusters[0] ?? null;
}
