import type { V1ConfigMap, V1ManagedFieldsEntry } from "@kubernetes/client-node";
import { callOptions, makeCoreApi, type ClusterConnection } from "./connection";
import { KubernetesError, toKubernetesError } from "./errors";

/** Where the Corefile lives: a key of a ConfigMap. */
export type CorefileLocation = { namespace: string; name: string; key: string };

/** The live Corefile as read from the cluster, with what a later conflict-safe write needs. */
export type LiveCorefile = {
  cluster: string;
  location: CorefileLocation;
  /** The Corefile text, byte for byte as stored in the ConfigMap. */
  text: string;
  resourceVersion: string;
  /** The ConfigMap's other data keys (kept untouched by every write). */
  otherKeys: string[];
  /** Field managers that have written this ConfigMap, newest first. */
  managers: { manager: string; operation: string; time?: string }[];
};

/**
 * Reads the cluster's Corefile from its ConfigMap.
 * Throws {@link KubernetesError}: NOT_FOUND when the ConfigMap or the key is missing, FORBIDDEN with
 * the missing RBAC rule, UNREACHABLE/TIMEOUT when the API server cannot be reached.
 */
export async function readCorefile(
  cluster: ClusterConnection,
  location: CorefileLocation,
  options: { timeoutMs?: number } = {},
): Promise<LiveCorefile> {
  const target = {
    cluster: cluster.name,
    namespace: location.namespace,
    resource: "configmaps",
    name: location.name,
    verb: "get",
  };
  let configMap: V1ConfigMap;
  try {
    configMap = await makeCoreApi(cluster).readNamespacedConfigMap(
      { name: location.name, namespace: location.namespace },
      callOptions(options.timeoutMs),
    );
  } catch (error) {
    throw toKubernetesError(error, target);
  }
  const data = configMap.data ?? {};
  const text = data[location.key];
  if (text === undefined) {
    throw new KubernetesError(
      "NOT_FOUND",
      `ConfigMap "${location.namespace}/${location.name}" of cluster "${cluster.name}" has no key "${location.key}" (it has: ${
        Object.keys(data).join(", ") || "no keys"
      }). Set the right key in Settings.`,
      target,
      404,
    );
  }
  return {
    cluster: cluster.name,
    location,
    text,
    resourceVersion: configMap.metadata?.resourceVersion ?? "",
    otherKeys: Object.keys(data).filter((key) => key !== location.key),
    managers: listManagers(configMap.metadata?.managedFields ?? []),
  };
}

function listManagers(entries: V1ManagedFieldsEntry[]) {
  return entries
    .map((entry) => ({
      manager: entry.manager ?? "unknown",
      operation: entry.operation ?? "Update",
      ...(entry.time ? { time: new Date(entry.time).toISOString() } : {}),
    }))
    .sort((a, b) => (b.time ?? "").localeCompare(a.time ?? ""));
}
