/**
 * Builds the explainer's {@link ClusterData} from Kubernetes objects as the API returns them (plain JSON: Services,
 * EndpointSlices or Endpoints, Pods, Namespaces). Structural types only, so this stays free of the Kubernetes client.
 */
import type { ClusterData, ClusterEndpoint, ClusterService, ClusterServicePort } from "./types";

type Meta = { name?: string; namespace?: string; labels?: Record<string, string> };

/** The parts of a v1 Service the explainer reads. */
export type ServiceObject = {
  metadata?: Meta;
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalName?: string;
    externalIPs?: string[];
    publishNotReadyAddresses?: boolean;
    ports?: { name?: string; port?: number; protocol?: string }[];
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
};

/** The parts of a discovery.k8s.io/v1 EndpointSlice the explainer reads. */
export type EndpointSliceObject = {
  metadata?: Meta;
  endpoints?: { addresses?: string[]; hostname?: string; conditions?: { ready?: boolean }; targetRef?: { kind?: string; name?: string } }[];
};

/** The parts of a v1 Endpoints object the explainer reads. */
export type EndpointsObject = {
  metadata?: Meta;
  subsets?: { addresses?: { ip?: string; hostname?: string; targetRef?: { kind?: string; name?: string } }[]; notReadyAddresses?: { ip?: string; hostname?: string }[] }[];
};

/** The parts of a v1 Pod the explainer reads. */
export type PodObject = { metadata?: Meta; status?: { podIP?: string; podIPs?: { ip?: string }[] } };

/** Everything {@link clusterDataFromObjects} can use; all optional. */
export type ClusterObjects = {
  services?: readonly ServiceObject[];
  endpointSlices?: readonly EndpointSliceObject[];
  endpoints?: readonly EndpointsObject[];
  pods?: readonly PodObject[];
  namespaces?: readonly { metadata?: Meta }[];
  /** Istio ServiceEntry objects (`spec.hosts`). */
  serviceEntries?: readonly { spec?: { hosts?: string[] } }[];
};

const PROTOCOLS = new Set(["TCP", "UDP", "SCTP"]);

/**
 * The explainer's view of a cluster from its API objects. EndpointSlices are preferred over Endpoints (what CoreDNS
 * watches since 1.8); not-ready addresses are kept with `ready: false` unless the Service publishes them.
 */
export function clusterDataFromObjects(objects: ClusterObjects): ClusterData {
  const key = (ns: string | undefined, name: string | undefined): string => `${ns ?? ""}/${name ?? ""}`;
  const eps = new Map<string, ClusterEndpoint[]>();
  const add = (k: string, e: ClusterEndpoint): void => {
    const list = eps.get(k) ?? [];
    if (!list.some((x) => x.ip === e.ip && x.hostname === e.hostname)) list.push(e);
    eps.set(k, list);
  };
  if (objects.endpointSlices && objects.endpointSlices.length > 0) {
    for (const s of objects.endpointSlices) {
      const svc = s.metadata?.labels?.["kubernetes.io/service-name"];
      if (!svc) continue;
      for (const e of s.endpoints ?? []) {
        for (const ip of e.addresses ?? []) {
          const ep: ClusterEndpoint = { ip, ready: e.conditions?.ready !== false };
          if (e.hostname) ep.hostname = e.hostname;
          if (e.targetRef?.kind === "Pod" && e.targetRef.name) ep.podName = e.targetRef.name;
          add(key(s.metadata?.namespace, svc), ep);
        }
      }
    }
  } else {
    for (const o of objects.endpoints ?? []) {
      const k = key(o.metadata?.namespace, o.metadata?.name);
      for (const sub of o.subsets ?? []) {
        for (const a of sub.addresses ?? []) {
          if (!a.ip) continue;
          const ep: ClusterEndpoint = { ip: a.ip, ready: true };
          if (a.hostname) ep.hostname = a.hostname;
          if (a.targetRef?.kind === "Pod" && a.targetRef.name) ep.podName = a.targetRef.name;
          add(k, ep);
        }
        for (const a of sub.notReadyAddresses ?? []) {
          if (!a.ip) continue;
          const ep: ClusterEndpoint = { ip: a.ip, ready: false };
          if (a.hostname) ep.hostname = a.hostname;
          add(k, ep);
        }
      }
    }
  }
  const services: ClusterService[] = [];
  for (const o of objects.services ?? []) {
    const name = o.metadata?.name;
    const namespace = o.metadata?.namespace;
    if (!name || !namespace) continue;
    const spec = o.spec ?? {};
    const type = spec.type === "ExternalName" || spec.type === "NodePort" || spec.type === "LoadBalancer" ? spec.type : "ClusterIP";
    const s: ClusterService = { name, namespace, type };
    if (spec.clusterIP !== undefined) s.clusterIP = spec.clusterIP;
    if (spec.clusterIPs) s.clusterIPs = spec.clusterIPs.slice();
    if (spec.externalName) s.externalName = spec.externalName;
    const ports: ClusterServicePort[] = [];
    for (const p of spec.ports ?? []) {
      if (typeof p.port !== "number") continue;
      const port: ClusterServicePort = { port: p.port };
      if (p.name) port.name = p.name;
      const proto = (p.protocol ?? "TCP").toUpperCase();
      if (PROTOCOLS.has(proto)) port.protocol = proto as ClusterServicePort["protocol"];
      ports.push(port);
    }
    s.ports = ports;
    const list = eps.get(key(namespace, name));
    if (list) s.endpoints = spec.publishNotReadyAddresses ? list.map((e) => ({ ...e, ready: true })) : list.map((e) => ({ ...e }));
    const external = [...(spec.externalIPs ?? []), ...(o.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? "").filter((ip) => ip !== "")];
    if (external.length > 0) s.externalIPs = external;
    services.push(s);
  }
  const data: ClusterData = { services };
  const pods = (objects.pods ?? []).flatMap((p) => {
    const name = p.metadata?.name;
    const namespace = p.metadata?.namespace;
    if (!name || !namespace) return [];
    const ips = p.status?.podIPs?.map((x) => x.ip ?? "").filter((ip) => ip !== "") ?? (p.status?.podIP ? [p.status.podIP] : []);
    return ips.map((ip) => ({ name, namespace, ip }));
  });
  if (objects.pods) data.pods = pods;
  if (objects.namespaces) data.namespaces = objects.namespaces.map((n) => n.metadata?.name ?? "").filter((n) => n !== "");
  if (objects.serviceEntries) data.serviceEntryHosts = objects.serviceEntries.flatMap((e) => e.spec?.hosts ?? []);
  return data;
}
