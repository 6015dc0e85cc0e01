/**
 * Discovery documents: `/version`, `/api`, `/apis`, `/api/v1`. Legacy (non-aggregated) discovery
 * only: kubectl 1.32 asks for aggregated discovery first (an `Accept` of
 * `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,...,application/json`) and
 * falls back to these documents when the response's Content-Type is plain `application/json`.
 */
import { RESOURCES, SUBRESOURCES } from "./registry";

/** A plausible v1.32 server version; `kubectl version` prints it and clients may read major/minor. */
export const SERVER_VERSION = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.4",
  // Not a real commit: the sandbox is no build of Kubernetes.
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2025-04-22T16:02:27Z",
  goVersion: "go1.23.8",
  compiler: "gc",
  platform: "linux/amd64",
};

/** `/api`: the legacy group's versions. */
export function apiVersions(serverAddress: string): unknown {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

/** `/apis`: no named groups are served. */
export function apiGroupList(): unknown {
  return { kind: "APIGroupList", apiVersion: "v1", groups: [] };
}

/** `/api/v1`: the resources, their verbs and short names. */
export function coreResourceList(): unknown {
  const resources = [
    ...RESOURCES.map((r) => {
      const entry: Record<string, unknown> = {
        name: r.name,
        singularName: r.singularName,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
        shortNames: r.shortNames,
      };
      if (r.categories) entry.categories = r.categories;
      return entry;
    }),
    ...SUBRESOURCES.map((s) => ({ name: s.name, singularName: s.singularName, namespaced: s.namespaced, kind: s.kind, verbs: s.verbs })),
  ].sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return { kind: "APIResourceList", groupVersion: "v1", resources };
}
