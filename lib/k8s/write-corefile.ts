import type { V1ConfigMap } from "@kubernetes/client-node";
import { callOptions, FIELD_MANAGER, makeCoreApi, type ClusterConnection } from "./connection";
import type { CorefileLocation } from "./corefile-configmap";
import { KubernetesError, toKubernetesError, type KubernetesTarget } from "./errors";

/**
 * The API server refuses a ConfigMap whose data is larger than this (1 MiB), counting the keys and values of
 * `data` and `binaryData`.
 */
export const CONFIGMAP_SIZE_LIMIT = 1_048_576;

/** The ConfigMap holding a Corefile, as read for a conditional write. */
export type CorefileConfigMap = {
  /** The object as the API server returned it; a write sends it back with only the Corefile key changed. */
  configMap: V1ConfigMap;
  /** The Corefile text, or undefined when the ConfigMap has no such key yet. */
  text: string | undefined;
  resourceVersion: string;
};

/** A Corefile as stored after a write. */
export type WrittenCorefile = { text: string; resourceVersion: string };

/**
 * The ConfigMap changed since the version the write was based on (or already exists, for a create).
 * Carries the live text and resourceVersion when they could be read, so the user can rebase the edit.
 */
export class CorefileConflictError extends KubernetesError {
  readonly live: WrittenCorefile | null;

  constructor(message: string, target: KubernetesTarget, live: WrittenCorefile | null, status?: number, serverMessage?: string) {
    super("CONFLICT", message, target, status, serverMessage);
    this.name = "CorefileConflictError";
    this.live = live;
  }
}

/**
 * The ConfigMap would exceed the API server's size limit; raised before anything is sent.
 * Its code is INVALID, as the API server's own 422 would be.
 */
export class ConfigMapTooLargeError extends KubernetesError {
  readonly size: number;
  readonly limit: number;

  constructor(target: KubernetesTarget, size: number, limit: number = CONFIGMAP_SIZE_LIMIT) {
    super(
      "INVALID",
      `The ConfigMap "${target.namespace}/${target.name}" of cluster "${target.cluster}" would hold ${formatBytes(size)} of data, over ` +
        `Kubernetes' limit of ${formatBytes(limit)} (1 MiB) per ConfigMap. Shorten the Corefile, or move other keys out of this ConfigMap.`,
      target,
    );
    this.name = "ConfigMapTooLargeError";
    this.size = size;
    this.limit = limit;
  }
}

/**
 * The size the API server checks against {@link CONFIGMAP_SIZE_LIMIT}: every key plus its value, in bytes
 * (UTF-8 for `data`, decoded bytes for the base64 values of `binaryData`).
 */
export function measureConfigMapSize(configMap: Pick<V1ConfigMap, "data" | "binaryData">): number {
  let size = 0;
  for (const [key, value] of Object.entries(configMap.data ?? {})) {
    size += Buffer.byteLength(key, "utf8") + Buffer.byteLength(value, "utf8");
  }
  for (const [key, value] of Object.entries(configMap.binaryData ?? {})) {
    size += Buffer.byteLength(key, "utf8") + Buffer.byteLength(value, "base64");
  }
  return size;
}

function targetOf(cluster: ClusterConnection, location: CorefileLocation, verb: string): KubernetesTarget {
  return { cluster: cluster.name, namespace: location.namespace, resource: "configmaps", name: location.name, verb };
}

/**
 * Reads the whole ConfigMap that holds the Corefile, for a later {@link updateCorefileConfigMap}.
 * Unlike `readCorefile`, a missing key is not an error (a write adds it). Throws {@link KubernetesError}
 * (NOT_FOUND when the ConfigMap does not exist, FORBIDDEN naming the "get" verb, TIMEOUT, ...).
 */
export async function readCorefileConfigMap(
  cluster: ClusterConnection,
  location: CorefileLocation,
  options: { timeoutMs?: number } = {},
): Promise<CorefileConfigMap> {
  let configMap: V1ConfigMap;
  try {
    configMap = await makeCoreApi(cluster).readNamespacedConfigMap(
      { name: location.name, namespace: location.namespace },
      callOptions(options.timeoutMs),
    );
  } catch (error) {
    throw toKubernetesError(error, targetOf(cluster, location, "get"));
  }
  return { configMap, text: configMap.data?.[location.key], resourceVersion: configMap.metadata?.resourceVersion ?? "" };
}

/**
 * Writes `text` into the Corefile key of `current` (a ConfigMap read by {@link readCorefileConfigMap}) with a
 * conditional PUT: `metadata.resourceVersion` is `baseResourceVersion`, so any write since then makes the API
 * server answer 409 and nothing is stored. Every other data key, binaryData, label and annotation is sent back
 * as read. Refuses, before sending, a ConfigMap that would exceed {@link CONFIGMAP_SIZE_LIMIT} or is immutable.
 *
 * Throws {@link ConfigMapTooLargeError}, {@link CorefileConflictError} (with the live text when it can be read),
 * or another {@link KubernetesError} (FORBIDDEN naming the "update" verb, TIMEOUT, SERVER_ERROR, ...).
 */
export async function updateCorefileConfigMap(
  cluster: ClusterConnection,
  location: CorefileLocation,
  current: V1ConfigMap,
  change: { text: string; baseResourceVersion: string; timeoutMs?: number },
): Promise<WrittenCorefile> {
  const target = targetOf(cluster, location, "update");
  const data = { ...current.data, [location.key]: change.text };
  const size = measureConfigMapSize({ data, binaryData: current.binaryData });
  if (size > CONFIGMAP_SIZE_LIMIT) throw new ConfigMapTooLargeError(target, size);
  if (current.immutable === true) {
    throw new KubernetesError(
      "INVALID",
      `The ConfigMap "${location.namespace}/${location.name}" of cluster "${cluster.name}" is immutable, so its Corefile cannot be changed. ` +
        "Replace the ConfigMap with a mutable one (delete and create it) first.",
      target,
    );
  }
  // managedFields are left out: the API server keeps its own record when the field is absent.
  const { managedFields: _managedFields, ...metadata } = current.metadata ?? {};
  const body: V1ConfigMap = {
    ...current,
    metadata: { ...metadata, resourceVersion: change.baseResourceVersion },
    data,
  };
  let written: V1ConfigMap;
  try {
    written = await makeCoreApi(cluster).replaceNamespacedConfigMap(
      { name: location.name, namespace: location.namespace, body, fieldManager: FIELD_MANAGER },
      callOptions(change.timeoutMs),
    );
  } catch (error) {
    const mapped = toKubernetesError(error, target);
    if (mapped.code !== "CONFLICT") throw mapped;
    throw new CorefileConflictError(
      mapped.message,
      target,
      await readLiveQuietly(cluster, location, change.timeoutMs),
      mapped.status,
      mapped.serverMessage,
    );
  }
  return { text: written.data?.[location.key] ?? change.text, resourceVersion: written.metadata?.resourceVersion ?? "" };
}

/**
 * Replaces the Corefile in its ConfigMap if, and only if, the ConfigMap is still at `baseResourceVersion`:
 * GET, compare, then a conditional PUT ({@link updateCorefileConfigMap}) so that a write in between is a 409 too.
 * Throws {@link CorefileConflictError} carrying the live text and resourceVersion when the ConfigMap moved on.
 */
export async function replaceCorefile(
  cluster: ClusterConnection,
  location: CorefileLocation,
  change: { text: string; baseResourceVersion: string; timeoutMs?: number },
): Promise<WrittenCorefile> {
  const current = await readCorefileConfigMap(cluster, location, { timeoutMs: change.timeoutMs });
  if (current.resourceVersion !== change.baseResourceVersion) {
    throw staleBaseError(cluster, location, current, change.baseResourceVersion);
  }
  return updateCorefileConfigMap(cluster, location, current.configMap, change);
}

/** The conflict raised when the ConfigMap read before a write is no longer at the version the edit started from. */
export function staleBaseError(
  cluster: ClusterConnection,
  location: CorefileLocation,
  current: CorefileConfigMap,
  baseResourceVersion: string,
): CorefileConflictError {
  return new CorefileConflictError(
    `The Corefile in ConfigMap "${location.namespace}/${location.name}" of cluster "${cluster.name}" was changed by someone else ` +
      `since you started editing (resourceVersion ${baseResourceVersion} is now ${current.resourceVersion}). ` +
      "Review their change, merge it into your edit and apply again.",
    targetOf(cluster, location, "update"),
    { text: current.text ?? "", resourceVersion: current.resourceVersion },
  );
}

/**
 * Creates the ConfigMap with the Corefile as its only key, for a cluster whose ConfigMap does not exist.
 * Throws {@link CorefileConflictError} when it exists already (created by someone else meanwhile),
 * {@link ConfigMapTooLargeError}, or another {@link KubernetesError} (FORBIDDEN naming the "create" verb, ...).
 */
export async function createCorefileConfigMap(
  cluster: ClusterConnection,
  location: CorefileLocation,
  text: string,
  options: { timeoutMs?: number } = {},
): Promise<WrittenCorefile> {
  const target = targetOf(cluster, location, "create");
  const data = { [location.key]: text };
  const size = measureConfigMapSize({ data });
  if (size > CONFIGMAP_SIZE_LIMIT) throw new ConfigMapTooLargeError(target, size);
  let created: V1ConfigMap;
  try {
    created = await makeCoreApi(cluster).createNamespacedConfigMap(
      {
        namespace: location.namespace,
        body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: location.name, namespace: location.namespace }, data },
        fieldManager: FIELD_MANAGER,
      },
      callOptions(options.timeoutMs),
    );
  } catch (error) {
    const mapped = toKubernetesError(error, target);
    if (mapped.code !== "CONFLICT") throw mapped;
    throw new CorefileConflictError(
      `The ConfigMap "${location.namespace}/${location.name}" of cluster "${cluster.name}" was created by someone else meanwhile (409). ` +
        "Reload it, merge your edit into its Corefile and apply again.",
      target,
      await readLiveQuietly(cluster, location, options.timeoutMs),
      mapped.status,
      mapped.serverMessage,
    );
  }
  return { text: created.data?.[location.key] ?? text, resourceVersion: created.metadata?.resourceVersion ?? "" };
}

/** The live Corefile after a conflict, or null when it cannot be read (the conflict is reported either way). */
async function readLiveQuietly(
  cluster: ClusterConnection,
  location: CorefileLocation,
  timeoutMs: number | undefined,
): Promise<WrittenCorefile | null> {
  try {
    const live = await readCorefileConfigMap(cluster, location, { timeoutMs });
    return { text: live.text ?? "", resourceVersion: live.resourceVersion };
  } catch {
    return null;
  }
}

function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString("en-US")} bytes`;
}
