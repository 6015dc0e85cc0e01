import type { V1Service, V1ServicePort } from "@kubernetes/client-node";
import { callOptions, makeCoreApi, type ClusterConnection } from "./connection";
import { toKubernetesError } from "./errors";

/** One port of a Service. */
export type ServicePortView = {
  name?: string;
  port: number;
  protocol: string;
  targetPort?: number | string;
};

/** A service mesh's relation to a Service, when one is recognisable. */
export type MeshHint = {
  mesh: "linkerd" | "istio";
  /** What to know before forwarding to it, in the user's words. */
  note: string;
  /** Linkerd multicluster: the linked cluster the Service mirrors. */
  linkedCluster?: string;
  /** Linkerd multicluster: the name the Service has in the linked cluster. */
  remoteName?: string;
  /** Whether CoreDNS must use TCP to reach it (`force_tcp`). */
  isTcpOnly?: boolean;
};

/** A Service as the forwarding recipe needs it. */
export type ServiceView = {
  name: string;
  namespace: string;
  type: string;
  /** The Service's cluster IPs (two for dual stack); empty for headless and ExternalName Services. */
  clusterIPs: string[];
  ports: ServicePortView[];
  /** `clusterIP: None`: DNS gives the pods' addresses and there is no single address to forward to. */
  isHeadless: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
};

/** A Service that looks like a DNS server. */
export type DnsServiceView = ServiceView & {
  /** The port to forward to (53 when the Service exposes it). */
  dnsPort: number;
  /** The protocols the DNS port is exposed with. */
  dnsProtocols: string[];
  /** Whether `forward` can point at it; when false, `reason` says why. */
  canForward: boolean;
  reason?: string;
  mesh?: MeshHint;
};

/** Port names Services give their DNS ports (Kubernetes' own and Istio's `<protocol>-<suffix>` convention). */
const DNS_PORT_NAMES = new Set(["dns", "dns-tcp", "dns-udp", "tcp-dns", "udp-dns"]);

/**
 * Lists the Services of one namespace, or of the whole cluster when no namespace is given.
 * @throws KubernetesError (a 403 names the missing `list services` permission)
 */
export async function listServices(
  cluster: ClusterConnection,
  options: { namespace?: string; timeoutMs?: number } = {},
): Promise<ServiceView[]> {
  const { namespace } = options;
  try {
    const api = makeCoreApi(cluster);
    const list = namespace
      ? await api.listNamespacedService({ namespace }, callOptions(options.timeoutMs))
      : await api.listServiceForAllNamespaces({}, callOptions(options.timeoutMs));
    return list.items.map(toServiceView).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  } catch (error) {
    throw toKubernetesError(error, { cluster: cluster.name, ...(namespace ? { namespace } : {}), resource: "services", verb: "list" });
  }
}

/**
 * The Services a zone could be forwarded to: those exposing a DNS port (53, or a port named dns/dns-tcp/dns-udp),
 * plus service-mesh DNS Services such as Linkerd multicluster mirrors of a DNS Service and Istio's old istiocoredns.
 * Headless Services are listed but marked: `forward` needs an address, and they have none of their own.
 * @throws KubernetesError
 */
export async function findDnsServices(cluster: ClusterConnection, options: { timeoutMs?: number } = {}): Promise<DnsServiceView[]> {
  const services = await listServices(cluster, options);
  return services.flatMap((s) => {
    const dns = describeDnsService(s);
    return dns ? [dns] : [];
  });
}

/** A Service seen as a DNS server, or null when nothing suggests it is one. Pure, for tests and the UI. */
export function describeDnsService(service: ServiceView): DnsServiceView | null {
  const dnsPorts = service.ports.filter((p) => p.port === 53 || p.targetPort === 53 || (p.name !== undefined && DNS_PORT_NAMES.has(p.name)));
  const mesh = meshHintOf(service);
  if (dnsPorts.length === 0 && !mesh) return null;
  const chosen = dnsPorts.find((p) => p.port === 53) ?? dnsPorts[0];
  const dnsPort = chosen?.port ?? 53;
  const dnsProtocols = [...new Set(dnsPorts.filter((p) => p.port === dnsPort).map((p) => p.protocol))].sort();
  const view: DnsServiceView = { ...service, dnsPort, dnsProtocols, canForward: true };
  if (mesh) view.mesh = mesh;
  if (service.isHeadless) {
    view.canForward = false;
    view.reason = `${service.namespace}/${service.name} is headless (clusterIP: None): it has no address of its own for forward to use. Forward to a ClusterIP Service in front of the same pods, or to the pods' addresses.`;
  } else if (service.clusterIPs.length === 0) {
    view.canForward = false;
    view.reason = `${service.namespace}/${service.name} has no ClusterIP (type ${service.type}), so forward has no address to use.`;
  } else if (dnsPorts.length === 0) {
    view.canForward = false;
    view.reason = `${service.namespace}/${service.name} exposes no DNS port.`;
  }
  return view;
}

function meshHintOf(service: ServiceView): MeshHint | undefined {
  const labels = service.labels;
  if (labels["mirror.linkerd.io/mirrored-service"] === "true") {
    const linkedCluster = labels["mirror.linkerd.io/cluster-name"];
    const remoteName = service.annotations["mirror.linkerd.io/remote-svc-fq-name"];
    return {
      mesh: "linkerd",
      ...(linkedCluster ? { linkedCluster } : {}),
      ...(remoteName ? { remoteName } : {}),
      isTcpOnly: true,
      note: `Linkerd mirror of a Service in the linked cluster${linkedCluster ? ` "${linkedCluster}"` : ""}. Linkerd's multicluster gateway carries TCP only, so the forward needs force_tcp.`,
    };
  }
  if (service.namespace === "istio-system" && service.name === "istiocoredns") {
    return {
      mesh: "istio",
      note: "Istio's older istiocoredns add-on, which answered .global names. Current Istio answers ServiceEntry names in the sidecar with DNS proxying instead.",
    };
  }
  return undefined;
}

function toServiceView(service: V1Service): ServiceView {
  const spec = service.spec;
  const isHeadless = spec?.clusterIP === "None";
  const ips = spec?.clusterIPs?.length ? spec.clusterIPs : spec?.clusterIP ? [spec.clusterIP] : [];
  return {
    name: service.metadata?.name ?? "",
    namespace: service.metadata?.namespace ?? "",
    type: spec?.type ?? "ClusterIP",
    clusterIPs: isHeadless ? [] : ips.filter((ip) => ip !== "" && ip !== "None"),
    ports: (spec?.ports ?? []).map(toPortView),
    isHeadless,
    labels: { ...(service.metadata?.labels ?? {}) },
    annotations: { ...(service.metadata?.annotations ?? {}) },
  };
}

function toPortView(port: V1ServicePort): ServicePortView {
  const view: ServicePortView = { port: port.port, protocol: port.protocol ?? "TCP" };
  if (port.name) view.name = port.name;
  if (port.targetPort !== undefined) view.targetPort = port.targetPort as number | string;
  return view;
}
