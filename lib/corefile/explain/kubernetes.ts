/**
 * What the `kubernetes` plugin answers for a name inside its zones, from cluster data passed in: Services (ClusterIP,
 * headless, ExternalName), endpoint names, SRV for named ports, pod names (`pods insecure|verified`), reverse names,
 * `dns-version` and the zone apex. Mirrors plugin/kubernetes (parse.go `parseRequest`, kubernetes.go `Records`/
 * `findServices`/`findPods`, handler.go); NXDOMAIN inside the zone unless `fallthrough` covers the name.
 */
import { parseIPv4, parseIPv6 } from "../keys";
import type { ClusterData, ClusterService, ExplainRecord } from "./types";
import { addressFromReverse, canonicalIp, isIPv4, labelsOf, reverseName, rr } from "./util";

/** The plugin's settings that change answers. */
export type KubernetesSettings = {
  ttl: number;
  podMode: "disabled" | "insecure" | "verified";
  /** Namespaces it exposes (empty: all). */
  namespaces: string[];
  endpointPodNames: boolean;
  ignoreEmptyService: boolean;
};

/** The plugin's answer for one name; `nameError` is NXDOMAIN (before `fallthrough` is considered). */
export type KubernetesAnswer =
  | { kind: "records"; records: ExplainRecord[]; detail: string; cnameTarget?: string }
  | { kind: "nodata"; detail: string }
  | { kind: "nameError"; detail: string }
  | { kind: "refused"; detail: string };

type Request = { podOrSvc: string; namespace: string; service: string; endpoint: string; port: string; protocol: string };

function stripUnderscore(s: string): string {
  return s.startsWith("_") ? s.slice(1) : s;
}

/** plugin/kubernetes parse.go `parseRequest`: the parts of a name below the zone; null for an invalid request. */
function parseRequest(base: string[]): Request | null {
  const r: Request = { podOrSvc: "", namespace: "", service: "", endpoint: "", port: "", protocol: "" };
  let last = base.length - 1;
  if (last < 0) return r;
  r.podOrSvc = base[last] as string;
  if (r.podOrSvc !== "pod" && r.podOrSvc !== "svc") return null;
  last--;
  if (last < 0) return r;
  r.namespace = base[last] as string;
  last--;
  if (last < 0) return r;
  r.service = base[last] as string;
  last--;
  if (last < 0) return r;
  if (last === 0) r.endpoint = base[0] as string;
  else if (last === 1) {
    r.protocol = stripUnderscore(base[1] as string);
    r.port = stripUnderscore(base[0] as string);
  } else return null;
  return r;
}

function isHeadless(s: ClusterService): boolean {
  return s.type !== "ExternalName" && (s.clusterIP === undefined || s.clusterIP === "" || s.clusterIP === "None");
}

function clusterIPs(s: ClusterService): string[] {
  const ips = s.clusterIPs && s.clusterIPs.length > 0 ? s.clusterIPs : s.clusterIP ? [s.clusterIP] : [];
  return ips.map((ip) => canonicalIp(ip)).filter((ip): ip is string => ip !== null);
}

function endpointLabel(ep: { ip: string; hostname?: string; podName?: string }, podNames: boolean): string {
  if (ep.hostname) return ep.hostname.toLowerCase();
  if (podNames && ep.podName) return ep.podName.toLowerCase();
  const ip = canonicalIp(ep.ip) ?? ep.ip;
  return ip.replace(/[.:]/g, "-");
}

function matchPortAndProtocol(reqPort: string, name: string | undefined, reqProto: string, proto: string | undefined): boolean {
  if (reqPort !== "" && reqPort.toLowerCase() !== (name ?? "").toLowerCase()) return false;
  if (reqProto !== "" && reqProto.toLowerCase() !== (proto ?? "TCP").toLowerCase()) return false;
  return true;
}

/** Lookups over one ClusterData object, built once (the same data serves many questions). */
type ClusterIndex = { namespaces: Set<string>; services: Map<string, ClusterService> };
const INDEX = new WeakMap<ClusterData, ClusterIndex>();

function indexOf(cluster: ClusterData): ClusterIndex {
  let idx = INDEX.get(cluster);
  if (!idx) {
    const namespaces = new Set<string>();
    if (cluster.namespaces) for (const n of cluster.namespaces) namespaces.add(n.toLowerCase());
    else {
      for (const s of cluster.services) namespaces.add(s.namespace.toLowerCase());
      for (const p of cluster.pods ?? []) namespaces.add(p.namespace.toLowerCase());
      // Every cluster has these.
      for (const n of ["default", "kube-system", "kube-public", "kube-node-lease"]) namespaces.add(n);
    }
    const services = new Map<string, ClusterService>();
    for (const s of cluster.services) {
      const k = `${s.namespace.toLowerCase()}/${s.name.toLowerCase()}`;
      if (!services.has(k)) services.set(k, s);
    }
    idx = { namespaces, services };
    INDEX.set(cluster, idx);
  }
  return idx;
}

function namespacesOf(cluster: ClusterData, extra: readonly string[]): Set<string> {
  const known = indexOf(cluster).namespaces;
  if (cluster.namespaces || extra.every((n) => known.has(n.toLowerCase()))) return known;
  const out = new Set(known);
  for (const n of extra) out.add(n.toLowerCase());
  return out;
}

function addrRecord(name: string, ttl: number, ip: string): ExplainRecord {
  return rr(name, ttl, isIPv4(ip) ? "A" : "AAAA", ip);
}

/** One address/port pair the lookup found (msg.Service), with the name it belongs to. */
type Found = { owner: string; host: string; port: number; cname?: boolean };

/**
 * The answer for `qname` (normalised) of type `qtype` in kubernetes zone `zone`. `extraNamespaces` are namespaces
 * known to exist besides those of the data (the client's).
 */
export function answerKubernetes(
  qname: string,
  qtype: string,
  zone: string,
  settings: KubernetesSettings,
  cluster: ClusterData,
  extraNamespaces: readonly string[],
  primaryZone: string = zone,
): KubernetesAnswer {
  const ttl = settings.ttl;
  const zoneLabels = labelsOf(zone).length;
  const all = labelsOf(qname);
  const base = all.slice(0, all.length - zoneLabels);
  const ns = namespacesOf(cluster, extraNamespaces);
  const exposed = (n: string): boolean =>
    ns.has(n) && (settings.namespaces.length === 0 || settings.namespaces.map((x) => x.toLowerCase()).includes(n));

  if (qtype === "AXFR" || qtype === "IXFR") return { kind: "refused", detail: "The kubernetes plugin refuses zone transfers (the transfer plugin serves them)." };
  // SOA is only answered at the apex; below it the plugin does not look the name up (NOERROR, no records).
  if (qtype === "SOA" && qname !== zone) return { kind: "nodata", detail: "SOA records exist only at the zone apex; the plugin does not look the name up." };

  // Reverse lookups: Service cluster IPs and endpoint addresses.
  if (qtype === "PTR") {
    const ip = addressFromReverse(qname);
    if (ip !== null) {
      const names: string[] = [];
      for (const s of cluster.services) {
        if (!exposed(s.namespace.toLowerCase())) continue;
        if (clusterIPs(s).includes(ip)) names.push(`${s.name}.${s.namespace}.svc.${primaryZone}`.toLowerCase());
        for (const ep of s.endpoints ?? []) {
          if (canonicalIp(ep.ip) === ip) names.push(`${endpointLabel(ep, settings.endpointPodNames)}.${s.name}.${s.namespace}.svc.${primaryZone}`.toLowerCase());
        }
      }
      if (names.length === 0) return { kind: "nameError", detail: `No Service or endpoint has the address ${ip}.` };
      return { kind: "records", records: names.map((n) => rr(qname, ttl, "PTR", n)), detail: `${ip} belongs to ${names.join(", ")}.` };
    }
  }

  if (base.length === 0) {
    if (qtype === "NS") return { kind: "records", records: [rr(qname, ttl, "NS", `ns.dns.${zone}`)], detail: "The zone apex: the plugin names itself as the name server." };
    if (qtype === "SOA") {
      return {
        kind: "records",
        records: [rr(qname, ttl, "SOA", `ns.dns.${zone} hostmaster.${zone} <serial> 7200 1800 86400 ${ttl}`)],
        detail: "The zone apex: the plugin's SOA record (the serial changes with the cluster's objects).",
      };
    }
    return { kind: "nodata", detail: "The zone apex exists but has no records of this type." };
  }
  if (qtype === "TXT" && base.length === 1 && base[0] === "dns-version") {
    return { kind: "records", records: [rr(qname, 28800, "TXT", '"1.1.0"')], detail: "The version of the Kubernetes DNS specification the plugin implements." };
  }
  if (base.length === 2 && base[0] === "ns" && base[1] === "dns") {
    const dns = cluster.services.find((s) => s.namespace === "kube-system" && s.name === "kube-dns");
    const ips = dns ? clusterIPs(dns) : [];
    if (qtype !== "A" && qtype !== "AAAA") return { kind: "nodata", detail: "The plugin's own name server name has only address records." };
    return ips.length > 0
      ? { kind: "records", records: ips.filter((ip) => isIPv4(ip) === (qtype === "A")).map((ip) => rr(qname, ttl, qtype, ip)), detail: "The plugin's own name server name: the address of the kube-dns Service." }
      : { kind: "nodata", detail: "The plugin's own name server name: answered with the CoreDNS Service's address (not in the cluster data)." };
  }

  const req = parseRequest(base);
  if (req === null) {
    return {
      kind: "nameError",
      detail: `'${base.join(".")}' is not a Kubernetes name: below the zone a name must end in '.svc' or '.pod' (service.namespace.svc, endpoint.service.namespace.svc, _port._proto.service.namespace.svc, or address.namespace.pod).`,
    };
  }

  if (req.podOrSvc === "pod") return answerPod(qname, qtype, req, settings, cluster, exposed);

  if (req.namespace === "") return { kind: "nodata", detail: "'svc' below the zone exists but has no records." };
  if (!exposed(req.namespace)) {
    const why = ns.has(req.namespace) ? "is not among the namespaces this plugin exposes" : "does not exist in the cluster data";
    return { kind: "nameError", detail: `Namespace '${req.namespace}' ${why}.` };
  }
  if (req.service === "") return { kind: "nodata", detail: `Namespace '${req.namespace}' exists: the name has no records of its own.` };

  const svc = indexOf(cluster).services.get(`${req.namespace}/${req.service}`);
  if (!svc) return { kind: "nameError", detail: `No Service '${req.service}' in namespace '${req.namespace}'.` };
  const svcName = `${req.service}.${req.namespace}.svc.${zone}`;

  const found: Found[] = [];
  if (svc.type === "ExternalName") {
    if (req.endpoint !== "" || req.port !== "" || req.protocol !== "") {
      return { kind: "nameError", detail: `Service ${svc.namespace}/${svc.name} is an ExternalName Service: it has no endpoints or ports.` };
    }
    const target = (svc.externalName ?? "").toLowerCase();
    if (target === "" || parseIPv4(target) || (target.includes(":") && parseIPv6(target))) {
      return { kind: "nameError", detail: `ExternalName Service ${svc.namespace}/${svc.name} has no usable external name.` };
    }
    found.push({ owner: qname, host: target.endsWith(".") ? target : `${target}.`, port: 0, cname: true });
  } else if (isHeadless(svc) || req.endpoint !== "") {
    const ports = svc.ports && svc.ports.length > 0 ? svc.ports : [{ port: -1 }];
    for (const ep of svc.endpoints ?? []) {
      if (ep.ready === false) continue;
      const label = endpointLabel(ep, settings.endpointPodNames);
      if (req.endpoint !== "" && req.endpoint !== label) continue;
      const ip = canonicalIp(ep.ip);
      if (!ip) continue;
      for (const p of ports) {
        if (!matchPortAndProtocol(req.port, "name" in p ? p.name : undefined, req.protocol, "protocol" in p ? p.protocol : undefined)) continue;
        found.push({ owner: `${label}.${svcName}`, host: ip, port: p.port });
      }
    }
  } else {
    for (const p of svc.ports ?? []) {
      if (!matchPortAndProtocol(req.port, p.name, req.protocol, p.protocol)) continue;
      for (const ip of clusterIPs(svc)) found.push({ owner: svcName, host: ip, port: p.port });
    }
    if (settings.ignoreEmptyService && (svc.endpoints ?? []).filter((e) => e.ready !== false).length === 0) {
      return { kind: "nameError", detail: `Service ${svc.namespace}/${svc.name} has no ready endpoints and 'ignore empty_service' is set.` };
    }
  }
  if (found.length === 0) {
    const what =
      req.endpoint !== ""
        ? `no endpoint named '${req.endpoint}'`
        : req.port !== "" || req.protocol !== ""
          ? `no port named '${req.port}' with protocol '${req.protocol}'`
          : isHeadless(svc)
            ? "no ready endpoints (a headless Service with no addresses does not exist in DNS)"
            : "no ports (a Service without ports has no DNS records)";
    return { kind: "nameError", detail: `Service ${svc.namespace}/${svc.name} has ${what}.` };
  }

  const kind = svc.type === "ExternalName" ? "ExternalName" : isHeadless(svc) ? "headless" : "ClusterIP";
  const first = found[0] as Found;
  if (first.cname) {
    if (qtype === "A" || qtype === "AAAA" || qtype === "CNAME") {
      return {
        kind: "records",
        records: [rr(qname, ttl, "CNAME", first.host)],
        detail: `Service ${svc.namespace}/${svc.name} is an ExternalName Service: a CNAME to ${first.host}.`,
        cnameTarget: qtype === "CNAME" ? undefined : first.host,
      };
    }
    return { kind: "nodata", detail: `ExternalName Service ${svc.namespace}/${svc.name} has only a CNAME record.` };
  }

  if (qtype === "A" || qtype === "AAAA") {
    const want = qtype === "A";
    const seen = new Set<string>();
    const records: ExplainRecord[] = [];
    for (const f of found) {
      if (isIPv4(f.host) !== want || seen.has(f.host)) continue;
      seen.add(f.host);
      records.push(rr(qname, ttl, qtype, f.host));
    }
    if (records.length === 0) return { kind: "nodata", detail: `Service ${svc.namespace}/${svc.name} (${kind}) has no ${want ? "IPv4" : "IPv6"} address.` };
    const desc = kind === "headless" ? `the addresses of its ready endpoints` : `its cluster IP`;
    return { kind: "records", records, detail: `Service ${svc.namespace}/${svc.name} (${kind}): ${desc}.` };
  }
  if (qtype === "SRV") {
    const withPorts = found.filter((f) => f.port >= 0);
    if (withPorts.length === 0) return { kind: "nodata", detail: `Service ${svc.namespace}/${svc.name} has no ports for SRV records.` };
    const weight = Math.floor(100 / withPorts.length) || 1;
    const records = withPorts.map((f) => rr(qname, ttl, "SRV", `0 ${weight} ${f.port} ${f.owner}`));
    return { kind: "records", records, detail: `Service ${svc.namespace}/${svc.name} (${kind}): one SRV record per ${kind === "headless" ? "endpoint and " : ""}port.` };
  }
  return { kind: "nodata", detail: `Service ${svc.namespace}/${svc.name} exists but has no ${qtype} records.` };
}

function answerPod(
  qname: string,
  qtype: string,
  req: Request,
  settings: KubernetesSettings,
  cluster: ClusterData,
  exposed: (ns: string) => boolean,
): KubernetesAnswer {
  if (settings.podMode === "disabled") {
    return { kind: "nameError", detail: "Pod names are off ('pods disabled' is the default): every name under '.pod' is NXDOMAIN." };
  }
  if (req.namespace === "" || req.service === "") return { kind: "nodata", detail: "This part of the pod tree has no records." };
  if (req.endpoint !== "" || req.port !== "") return { kind: "nameError", detail: "Pod names have the form <address-with-dashes>.<namespace>.pod." };
  const label = req.service;
  const ip = canonicalIp(label.includes("--") || label.split("-").length > 4 ? label.replace(/-/g, ":") : label.replace(/-/g, "."));
  if (!ip) return { kind: "nameError", detail: `'${label}' is not an address written with dashes.` };
  if (settings.podMode === "verified") {
    const pod = (cluster.pods ?? []).find((p) => p.namespace.toLowerCase() === req.namespace && canonicalIp(p.ip) === ip);
    if (!pod) return { kind: "nameError", detail: `'pods verified': no pod with address ${ip} in namespace '${req.namespace}' in the cluster data.` };
  } else if (!exposed(req.namespace)) {
    return { kind: "nameError", detail: `Namespace '${req.namespace}' does not exist or is not exposed.` };
  }
  const want = qtype === "A" ? true : qtype === "AAAA" ? false : null;
  if (want === null || isIPv4(ip) !== want) return { kind: "nodata", detail: `The pod name exists but has no ${qtype} record.` };
  const mode = settings.podMode === "verified" ? "a pod with that address exists ('pods verified')" : "'pods insecure' answers any address without checking";
  return { kind: "records", records: [addrRecord(qname, settings.ttl, ip)], detail: `The address is read from the name: ${mode}.` };
}

/** The reverse name of a Service's cluster IP (for proposing names). */
export function serviceReverseName(s: ClusterService): string | null {
  const ip = clusterIPs(s)[0];
  return ip ? reverseName(ip) : null;
}
