import { readCorefile, type LiveCorefile } from "@/lib/k8s/corefile-configmap";
import { KubernetesError, toErrorView, toKubernetesError, type KubernetesErrorView } from "@/lib/k8s/errors";
import { listCoreDnsPods, type CoreDnsPod } from "@/lib/k8s/pods";
import type { ClusterSummary } from "./cluster-schema";

/** A value read from the cluster, or the reason it could not be read. */
export type Loaded<T> = { ok: true; value: T } | { ok: false; error: KubernetesErrorView };

/** What the overview shows of a cluster: its live Corefile and its CoreDNS pods, each read independently. */
export type ClusterStatus = { corefile: Loaded<LiveCorefile>; pods: Loaded<CoreDnsPod[]> };

async function settle<T>(work: Promise<T>, fallbackTarget: { cluster: string; resource: string; verb: string }): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    const kubernetesError = error instanceof KubernetesError ? error : toKubernetesError(error, fallbackTarget);
    return { ok: false, error: toErrorView(kubernetesError) };
  }
}

/**
 * Reads the live Corefile and the CoreDNS pods of a cluster in parallel. A failure of one does not
 * hide the other: each comes back as a value or as an error the page can explain.
 */
export async function readClusterStatus(cluster: ClusterSummary): Promise<ClusterStatus> {
  const [corefile, pods] = await Promise.all([
    settle(
      readCorefile(cluster, { namespace: cluster.configMapNamespace, name: cluster.configMapName, key: cluster.configMapKey }),
      { cluster: cluster.name, resource: "configmaps", verb: "get" },
    ),
    settle(listCoreDnsPods(cluster, cluster.configMapNamespace, cluster.podLabelSelector), {
      cluster: cluster.name,
      resource: "pods",
      verb: "list",
    }),
  ]);
  return { corefile, pods };
}
