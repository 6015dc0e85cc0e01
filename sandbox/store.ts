/**
 * The object store: every object the sandbox serves, one global resourceVersion counter, and a bounded
 * log of change events so that watches can resume from a resourceVersion (like the API server's watch
 * cache). It knows nothing about HTTP; `resources.ts` enforces the API semantics on top of it.
 */
import { randomUUID } from "node:crypto";

export type ManagedFieldsEntry = {
  manager: string;
  operation: "Update" | "Apply";
  apiVersion: string;
  time: string;
  fieldsType: "FieldsV1";
  fieldsV1: Record<string, unknown>;
  subresource?: string;
};

export type ObjectMeta = {
  name: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
};

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  /** ConfigMap fields, typed because they are what tests and callers read most. */
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  [key: string]: unknown;
};

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

/** One change. `previous` is the object before the change, so filtered watches can tell enter/leave. */
export type StoreEvent = {
  type: EventType;
  resourceVersion: number;
  resource: string;
  object: KubeObject;
  previous?: KubeObject;
};

export type StoreOptions = {
  /** How many events are kept for watch resume. Older resourceVersions answer 410 Expired. */
  watchCacheSize: number;
  /** Milliseconds since the epoch; injectable so tests need no sleeps. */
  now: () => number;
};

function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

const TOP_ORDER = ["kind", "apiVersion", "metadata"];
const META_ORDER = ["name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "labels", "annotations", "ownerReferences", "finalizers", "managedFields"];

function reorder<T extends Record<string, unknown>>(object: T, order: string[]): T {
  const out: Record<string, unknown> = {};
  for (const k of order) if (object[k] !== undefined) out[k] = object[k];
  for (const [k, v] of Object.entries(object)) if (!(k in out) && v !== undefined) out[k] = v;
  return out as T;
}

/** Puts keys in the order the API server serialises them (kind, apiVersion, metadata{name, namespace, uid, ...}, ...). */
export function canonicalOrder(object: KubeObject): KubeObject {
  const copy = reorder(structuredClone(object), TOP_ORDER);
  copy.metadata = reorder(copy.metadata, META_ORDER);
  return copy;
}

/** Formats a timestamp the way Kubernetes does (RFC 3339, whole seconds, `Z`). */
export function kubeTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export class Store {
  private resourceVersion = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly log: StoreEvent[] = [];
  /** Every event with a resourceVersion greater than this is still in `log`. */
  private windowStart = 0;
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  constructor(private readonly options: StoreOptions) {}

  /** The current global resourceVersion (the last one handed out). */
  get currentResourceVersion(): number {
    return this.resourceVersion;
  }

  /** The oldest resourceVersion a watch may still resume from. */
  get oldestResumable(): number {
    return this.windowStart;
  }

  now(): number {
    return this.options.now();
  }

  /** A deep copy of one object, or undefined. Copies keep callers from mutating stored state. */
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.objects.get(resource)?.get(key(namespace, name));
    return found ? structuredClone(found) : undefined;
  }

  /** Deep copies of all objects of a resource (optionally in one namespace), sorted by namespace then name. */
  list(resource: string, namespace?: string): KubeObject[] {
    const all = [...(this.objects.get(resource)?.values() ?? [])];
    return all
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      // Byte order of the keys, as etcd returns them (list pagination relies on the same order).
      .sort((a, b) => {
        const ka = key(a.metadata.namespace, a.metadata.name);
        const kb = key(b.metadata.namespace, b.metadata.name);
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      })
      .map((o) => structuredClone(o));
  }

  /**
   * Stores a new object: assigns uid, creationTimestamp and the next resourceVersion, records an
   * ADDED event. The caller has already checked that the name is free.
   */
  create(resource: string, object: KubeObject): KubeObject {
    let stored = structuredClone(object);
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationTimestamp ??= kubeTime(this.now());
    stored.metadata.resourceVersion = String(++this.resourceVersion);
    stored = canonicalOrder(stored);
    this.bucket(resource).set(key(stored.metadata.namespace, stored.metadata.name), stored);
    this.record({ type: "ADDED", resourceVersion: this.resourceVersion, resource, object: structuredClone(stored) });
    return structuredClone(stored);
  }

  /** Replaces an existing object with the next resourceVersion and records MODIFIED. */
  update(resource: string, object: KubeObject): KubeObject {
    const k = key(object.metadata.namespace, object.metadata.name);
    const previous = this.bucket(resource).get(k);
    if (!previous) throw new Error(`update of missing ${resource} ${k}`);
    const stored = canonicalOrder(object);
    stored.metadata.resourceVersion = String(++this.resourceVersion);
    this.bucket(resource).set(k, stored);
    this.record({ type: "MODIFIED", resourceVersion: this.resourceVersion, resource, object: structuredClone(stored), previous });
    return structuredClone(stored);
  }

  /** Removes an object; the DELETED event carries its last state with a fresh resourceVersion, as on a real server. */
  delete(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const k = key(namespace, name);
    const previous = this.bucket(resource).get(k);
    if (!previous) return undefined;
    this.bucket(resource).delete(k);
    const gone = structuredClone(previous);
    gone.metadata.resourceVersion = String(++this.resourceVersion);
    this.record({ type: "DELETED", resourceVersion: this.resourceVersion, resource, object: structuredClone(gone), previous });
    return gone;
  }

  /**
   * The events after `resourceVersion`, or `"expired"` when some of them have already been dropped
   * from the window (the caller then answers 410 Gone).
   */
  eventsSince(resourceVersion: number): StoreEvent[] | "expired" {
    if (resourceVersion < this.windowStart) return "expired";
    return this.log.filter((e) => e.resourceVersion > resourceVersion).map((e) => structuredClone(e));
  }

  /** Calls `listener` for every future event; returns the unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let b = this.objects.get(resource);
    if (!b) {
      b = new Map();
      this.objects.set(resource, b);
    }
    return b;
  }

  private record(event: StoreEvent): void {
    this.log.push(event);
    while (this.log.length > this.options.watchCacheSize) {
      const dropped = this.log.shift();
      if (dropped) this.windowStart = dropped.resourceVersion;
    }
    for (const listener of [...this.listeners]) listener(structuredClone(event));
  }
}
