import type { V1ContainerPort, V1Pod } from "@kubernetes/client-node";
import { callOptions, makeCoreApi, type ClusterConnection } from "./connection";
import { toKubernetesError } from "./errors";

/** A CoreDNS pod as the dashboard shows it. */
export type CoreDnsPod = {
  name: string;
  namespace: string;
  phase: string;
  isReady: boolean;
  podIP?: string;
  nodeName?: string;
  image?: string;
  restarts: number;
  startedAt?: string;
  /**
   * Where the pod's CoreDNS answers DNS, from its container ports: `dns` (UDP) and `dns-tcp` (TCP) as kubeadm and
   * the sandbox name them, else a port 53 of that protocol, else a port of that protocol named like DNS (`udp-53`,
   * `dns-udp`...). Undefined when the pod declares none: CoreDNS then usually still listens on 53.
   */
  dnsPorts: { udp?: number; tcp?: number };
};

/** The port a container declares for DNS over one protocol; see {@link CoreDnsPod.dnsPorts}. */
export function findDnsPort(ports: readonly V1ContainerPort[], protocol: "UDP" | "TCP"): number | undefined {
  const ofProtocol = ports.filter((p) => (p.protocol ?? "TCP").toUpperCase() === protocol);
  const named = protocol === "UDP" ? "dns" : "dns-tcp";
  const chosen =
    ofProtocol.find((p) => p.name === named) ??
    ofProtocol.find((p) => p.containerPort === 53) ??
    ofProtocol.find((p) => /dns|(^|-)53($|-)/i.test(p.name ?? ""));
  return chosen?.containerPort;
}

/** Lists the CoreDNS pods of a cluster by label selector (default `k8s-app=kube-dns`). */
export async function listCoreDnsPods(
  cluster: ClusterConnection,
  namespace: string,
  labelSelector: string,
  options: { timeoutMs?: number } = {},
): Promise<CoreDnsPod[]> {
  try {
    const list = await makeCoreApi(cluster).listNamespacedPod({ namespace, labelSelector }, callOptions(options.timeoutMs));
    return list.items.map(toCoreDnsPod).sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw toKubernetesError(error, { cluster: cluster.name, namespace, resource: "pods", verb: "list" });
  }
}

function toCoreDnsPod(pod: V1Pod): CoreDnsPod {
  const container = pod.status?.containerStatuses?.find((status) => status.name === "coredns") ?? pod.status?.containerStatuses?.[0];
  const specImage = (pod.spec?.containers?.find((spec) => spec.name === "coredns") ?? pod.spec?.containers?.[0])?.image;
  const ready = pod.status?.conditions?.find((condition) => condition.type === "Ready");
  const ports = (pod.spec?.containers?.find((spec) => spec.name === "coredns") ?? pod.spec?.containers?.[0])?.ports ?? [];
  const udp = findDnsPort(ports, "UDP");
  const tcp = findDnsPort(ports, "TCP");
  return {
    name: pod.metadata?.name ?? "",
    namespace: pod.metadata?.namespace ?? "",
    phase: pod.status?.phase ?? "Unknown",
    isReady: ready?.status === "True",
    ...(pod.status?.podIP ? { podIP: pod.status.podIP } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    // The image as the Deployment names it; the status may hold the runtime's normalised form (docker.io/...).
    ...(specImage ?? container?.image ? { image: specImage ?? container?.image } : {}),
    restarts: container?.restartCount ?? 0,
    ...(pod.status?.startTime ? { startedAt: new Date(pod.status.startTime).toISOString() } : {}),
    dnsPorts: { ...(udp !== undefined ? { udp } : {}), ...(tcp !== undefined ? { tcp } : {}) },
  };
}
