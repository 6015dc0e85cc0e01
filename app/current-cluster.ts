import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { listClusters } from "@/lib/clusters/clusters";
import { CLUSTER_COOKIE, selectCluster } from "@/lib/clusters/select-cluster";

/**
 * The registered clusters and the one this request shows (from `?cluster=`, which proxy.ts copies
 * into the cookie, or the remembered choice). Cached per request so layout and page share one query.
 */
export const loadClusterContext = cache(async () => {
  // Reading the cookie first also marks every page as dynamic: nothing is prerendered at build time.
  const remembered = (await cookies()).get(CLUSTER_COOKIE)?.value;
  const clusters = await listClusters();
  return { clusters, current: selectCluster(clusters, undefined, remembered) };
});
