/**
 * The common questions offered as presets on the troubleshoot page: a Service by its full name, a short name from a
 * namespace, a zone the live Corefile forwards (a mesh or linked cluster), and an external name.
 */
import { prepareCorefile, type ClusterData } from "@/lib/corefile";
import type { TroubleshootQuery } from "./query-schema";

export type Preset = { id: string; label: string; description: string; query: TroubleshootQuery };

/** Zones a `forward` (or `grpc`) sends somewhere, other than the root, in the order they appear. */
export function forwardedZones(corefileText: string): string[] {
  const zones: string[] = [];
  const prep = prepareCorefile(corefileText);
  for (const bm of prep.model.blocks) {
    const keyZones = bm.keys.flatMap((k) => k.zones);
    for (const [name, occs] of bm.byName) {
      if (name !== "forward" && name !== "grpc") continue;
      for (const occ of occs) {
        const from = occ.args[0]?.text ?? ".";
        const zs = from === "." ? keyZones : [from.endsWith(".") ? from : `${from}.`];
        for (const z of zs) if (z !== "." && !z.endsWith(".arpa.") && !zones.includes(z)) zones.push(z);
      }
    }
  }
  return zones;
}

/** The presets for a live Corefile and the cluster's Services. */
export function listPresets(liveText: string | undefined, cluster: ClusterData | undefined, clusterDomain = "cluster.local"): Preset[] {
  const out: Preset[] = [];
  const svc = cluster?.services.find((s) => s.namespace === "default" && s.name === "frontend") ?? cluster?.services.find((s) => s.namespace !== "kube-system" && s.type !== "ExternalName");
  const fqdn = svc ? `${svc.name}.${svc.namespace}.svc.${clusterDomain}` : `frontend.default.svc.${clusterDomain}`;
  out.push({ id: "service", label: "A Service", description: `${fqdn}: what the kubernetes plugin answers`, query: { name: fqdn, type: "A", namespace: svc?.namespace ?? "default" } });
  const short = svc?.name ?? "frontend";
  out.push({ id: "short", label: "A short name", description: `${short} from namespace ${svc?.namespace ?? "default"}: the search path expands it`, query: { name: short, type: "A", namespace: svc?.namespace ?? "default" } });
  const zones = liveText ? forwardedZones(liveText) : [];
  // The cluster domain itself is answered by kubernetes first (a forward for it is usually never reached).
  const zone = zones.find((z) => z !== `${clusterDomain}.`) ?? zones[0];
  if (zone) {
    const bare = zone.replace(/\.$/, "");
    // A linked cluster's domain (Linkerd multicluster: west.cluster.local) holds Services; another zone, hosts.
    const name = bare.endsWith(clusterDomain) ? `kube-dns.kube-system.svc.${bare}` : `www.${bare}`;
    out.push({ id: "forwarded", label: "A forwarded zone", description: `${name}: the live Corefile forwards ${zone.replace(/\.$/, "")}`, query: { name, type: "A", namespace: "default" } });
  }
  out.push({ id: "external", label: "An external name", description: "example.com: goes to the upstream resolvers", query: { name: "example.com", type: "A", namespace: "default" } });
  return out;
}
