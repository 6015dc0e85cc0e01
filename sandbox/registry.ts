/** The resources the sandbox serves under `/api/v1`, as discovery and the handlers describe them. */

export type ResourceDef = {
  /** Plural, lower case: the URL segment. */
  name: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  /** Only ConfigMaps take writes; the other resources are seeded and read-only. */
  writable: boolean;
  categories?: string[];
};

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export const RESOURCES: ResourceDef[] = [
  { name: "configmaps", singularName: "configmap", kind: "ConfigMap", namespaced: true, shortNames: ["cm"], verbs: ALL_VERBS, writable: true },
  // The real server allows writing these; the sandbox keeps them fixed (see README) but lists the real verbs
  // so that kubectl's discovery-based decisions match a real cluster. Writes answer 405.
  { name: "namespaces", singularName: "namespace", kind: "Namespace", namespaced: false, shortNames: ["ns"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], writable: false },
  { name: "pods", singularName: "pod", kind: "Pod", namespaced: true, shortNames: ["po"], verbs: ALL_VERBS, writable: false, categories: ["all"] },
  { name: "services", singularName: "service", kind: "Service", namespaced: true, shortNames: ["svc"], verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], writable: false, categories: ["all"] },
];

/** Subresources listed in discovery (only `pods/proxy` is actually served). */
export const SUBRESOURCES = [{ name: "pods/proxy", singularName: "", kind: "PodProxyOptions", namespaced: true, verbs: ["create", "delete", "get", "patch", "update"] }];

/** Looks a resource up by its plural name. */
export function resourceDef(name: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.name === name);
}
