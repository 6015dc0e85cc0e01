import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { getPrincipal, requirePageRole } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/roles";
import { listClusters } from "@/lib/clusters/clusters";
import { CLUSTER_COOKIE, selectCluster } from "@/lib/clusters/select-cluster";

/**
 * The signed-in person, the registered clusters they may see and the one this request shows (from `?cluster=`, which
 * proxy.ts copies into the cookie, or the remembered choice). Cached per request so layout and page share one query.
 * Every page that calls this requires sign-in (anonymous visitors are sent to /signin) and a role on some cluster.
 */
export const loadClusterContext = cache(async () => {
  const principal = await requirePageRole("any", "viewer");
  return { principal, ...(await loadVisibleClusters(principal.grants)) };
});

/** The same for the layout, without redirecting: null when nobody is signed in. */
export const loadShellContext = cache(async () => {
  const principal = await getPrincipal();
  if (!principal || principal.mustChangePassword) return null;
  return { principal, ...(await loadVisibleClusters(principal.grants)) };
});

async function loadVisibleClusters(grants: Parameters<typeof hasRole>[0]) {
  // Reading the cookie first also marks every page as dynamic: nothing is prerendered at build time.
  const remembered = (await cookies()).get(CLUSTER_COOKIE)?.value;
  const clusters = (await listClusters()).filter((cluster) => hasRole(grants, cluster.name, "viewer"));
  return { clusters, current: selectCluster(clusters, undefined, remembered) };
}
