/**
 * `metadata.managedFields`: which field manager owns which fields, in the FieldsV1 format, and the
 * server-side-apply merge built on it. The product shows "who last changed the Corefile" from these
 * entries, so the manager names follow the API server's rules (query `fieldManager`, else the
 * User-Agent up to its first `/`, e.g. `kubectl-edit/v1.32.4 (linux/amd64) ...` -> `kubectl-edit`).
 *
 * Tracked fields are the ones a ConfigMap-like object has: `metadata.labels.<k>`,
 * `metadata.annotations.<k>`, and every other top-level field except apiVersion/kind/metadata/status
 * (one level deep for maps: `data.<k>`, `binaryData.<k>`; `immutable` as a leaf). That is a deliberate
 * simplification of the structured-merge-diff library, enough for ConfigMaps.
 */
import { conflictWithMessage, type StatusCause } from "./status";
import { isObject } from "./http";
import { kubeTime, type KubeObject, type ManagedFieldsEntry } from "./store";

/** A field path such as `["data", "Corefile"]`; `"."` as last token means "the map itself". */
type FieldPath = string[];
type FieldSet = Map<string, FieldPath>;

const id = (path: FieldPath): string => JSON.stringify(path);

/** The manager name for a write: the `fieldManager` parameter, else the User-Agent's first segment. */
export function managerFor(fieldManager: string | null, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  const prefix = (userAgent ?? "").split("/")[0]!.trim();
  return (prefix || "unknown").slice(0, 128);
}

/**
 * The tracked fields of `object`. With `markers`, each non-empty map also yields its `"."` entry,
 * as the API server records for Update operations.
 */
export function fieldSetOf(object: KubeObject | Record<string, unknown>, markers: boolean): FieldSet {
  const set: FieldSet = new Map();
  const add = (path: FieldPath) => set.set(id(path), path);
  const addMap = (prefix: FieldPath, map: unknown) => {
    if (!isObject(map)) return;
    const keys = Object.keys(map);
    if (keys.length === 0) return;
    if (markers) add([...prefix, "."]);
    for (const k of keys) add([...prefix, k]);
  };
  const meta = (object as KubeObject).metadata as Record<string, unknown> | undefined;
  if (meta) {
    addMap(["metadata", "labels"], meta.labels);
    addMap(["metadata", "annotations"], meta.annotations);
  }
  for (const [k, v] of Object.entries(object)) {
    if (k === "apiVersion" || k === "kind" || k === "metadata" || k === "status" || v === undefined || v === null) continue;
    if (isObject(v)) addMap([k], v);
    else add([k]);
  }
  return set;
}

/** The value at `path` (a `"."` marker reads as whether the map exists), JSON-encoded for comparison. */
function valueAt(object: unknown, path: FieldPath): string | undefined {
  let node: unknown = object;
  for (const token of path) {
    if (token === ".") return isObject(node) && Object.keys(node).length > 0 ? "map" : undefined;
    if (!isObject(node)) return undefined;
    node = node[token];
  }
  return node === undefined ? undefined : JSON.stringify(node);
}

/** FieldsV1 JSON (`{"f:data":{".":{},"f:Corefile":{}}}`) from a field set. */
export function encodeFieldsV1(set: FieldSet): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of set.values()) {
    let node = root;
    for (const token of path) {
      const k = token === "." ? "." : `f:${token}`;
      node[k] ??= {};
      node = node[k] as Record<string, unknown>;
    }
  }
  return root;
}

/** The field set held in a FieldsV1 object. */
export function decodeFieldsV1(fields: unknown): FieldSet {
  const set: FieldSet = new Map();
  const walk = (node: unknown, prefix: FieldPath) => {
    if (!isObject(node)) return;
    const entries = Object.entries(node);
    if (entries.length === 0 && prefix.length > 0) set.set(id(prefix), prefix);
    for (const [k, child] of entries) {
      if (k === ".") set.set(id([...prefix, "."]), [...prefix, "."]);
      else if (k.startsWith("f:")) walk(child, [...prefix, k.slice(2)]);
      // k:/v:/i: keys address list items, which the tracked fields never contain.
    }
  };
  walk(fields, []);
  return set;
}

function intersect(a: FieldSet, b: FieldSet): FieldSet {
  return new Map([...a].filter(([k]) => b.has(k)));
}

function entry(manager: string, operation: "Update" | "Apply", set: FieldSet, now: number): ManagedFieldsEntry {
  return { manager, operation, apiVersion: "v1", time: kubeTime(now), fieldsType: "FieldsV1", fieldsV1: encodeFieldsV1(set) };
}

/** The `.data.Corefile` form of a path that conflict messages use. */
function pathString(path: FieldPath): string {
  return path.map((t) => `.${t}`).join("");
}

/** managedFields for a newly created object: the creating manager owns every field. */
export function managedFieldsForCreate(object: KubeObject, manager: string, now: number): ManagedFieldsEntry[] {
  const set = fieldSetOf(object, true);
  return set.size === 0 ? [] : [entry(manager, "Update", set, now)];
}

/**
 * managedFields after an Update-operation write (PUT, or a JSON/merge/strategic PATCH) by `manager`:
 * the fields the write changed move to that manager; every entry drops fields that no longer exist.
 */
export function managedFieldsForUpdate(previous: KubeObject, next: KubeObject, manager: string, now: number): ManagedFieldsEntry[] {
  const before = fieldSetOf(previous, true);
  const after = fieldSetOf(next, true);
  const changed: FieldSet = new Map();
  for (const [k, path] of [...before, ...after]) {
    if (valueAt(previous, path) !== valueAt(next, path)) changed.set(k, path);
  }
  const result: ManagedFieldsEntry[] = [];
  let mine: ManagedFieldsEntry | undefined;
  for (const e of previous.metadata.managedFields ?? []) {
    const owned = decodeFieldsV1(e.fieldsV1);
    if (e.manager === manager && e.operation === "Update" && !e.subresource) {
      mine = e;
      continue;
    }
    for (const k of changed.keys()) owned.delete(k);
    const kept = intersect(owned, after);
    if (kept.size > 0) result.push({ ...e, fieldsV1: encodeFieldsV1(kept) });
  }
  const ownedBefore = mine ? decodeFieldsV1(mine.fieldsV1) : new Map<string, FieldPath>();
  const owned = intersect(new Map([...ownedBefore, ...changed]), after);
  if (owned.size > 0) {
    // The timestamp only moves when this manager's ownership actually changed, as on a real server.
    const same = mine && owned.size === ownedBefore.size && [...owned.keys()].every((k) => ownedBefore.has(k)) && changed.size === 0;
    result.push(same && mine ? { ...mine, fieldsV1: encodeFieldsV1(owned) } : entry(manager, "Update", owned, now));
  }
  return result;
}

/**
 * Server-side apply of `applied` by `manager` onto `live` (undefined when creating).
 * Fields whose applied value differs from the live one and that another manager owns are conflicts:
 * a 409 unless `force`, which moves ownership. Fields this manager applied before but no longer
 * applies are removed when nobody else owns them. Returns the merged object (managedFields set).
 */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  force: boolean,
  now: number,
  resource: string,
): KubeObject {
  const appliedSet = fieldSetOf(applied, false);
  const base: KubeObject = live ? structuredClone(live) : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: { name: applied.metadata.name, namespace: applied.metadata.namespace } };
  const entries = live?.metadata.managedFields ?? [];
  const isMine = (e: ManagedFieldsEntry) => e.manager === manager && e.operation === "Apply";

  // 1. Conflicts: another manager owns a field this apply would change.
  const conflicts: { manager: string; path: FieldPath }[] = [];
  for (const e of entries) {
    if (isMine(e)) continue;
    for (const [k, path] of decodeFieldsV1(e.fieldsV1)) {
      if (appliedSet.has(k) && valueAt(applied, path) !== valueAt(base, path)) conflicts.push({ manager: e.manager, path });
    }
  }
  if (conflicts.length > 0 && !force) throw applyConflict(resource, applied.metadata.name, conflicts);

  // 2. Remove fields this manager applied last time but not now, unless someone else still owns them.
  const previous = entries.find(isMine);
  const othersOwn = new Set(entries.filter((e) => !isMine(e)).flatMap((e) => [...decodeFieldsV1(e.fieldsV1).keys()]));
  if (previous) {
    for (const [k, path] of decodeFieldsV1(previous.fieldsV1)) {
      if (!appliedSet.has(k) && !othersOwn.has(k)) deletePath(base, path);
    }
  }

  // 3. Merge the applied values.
  for (const path of appliedSet.values()) setPath(base, path, readPath(applied, path));

  // 4. Ownership: this manager owns exactly what it applied; forced conflicts leave their old owners.
  const lost = new Set(conflicts.map((c) => id(c.path)));
  const present = fieldSetOf(base, true);
  const result: ManagedFieldsEntry[] = [];
  for (const e of entries) {
    if (isMine(e)) continue;
    const owned = decodeFieldsV1(e.fieldsV1);
    for (const k of lost) owned.delete(k);
    const kept = intersect(owned, present);
    if (kept.size > 0) result.push({ ...e, fieldsV1: encodeFieldsV1(kept) });
  }
  if (appliedSet.size > 0) result.push(entry(manager, "Apply", appliedSet, now));
  base.metadata.managedFields = result;
  return base;
}

function applyConflict(resource: string, name: string, conflicts: { manager: string; path: FieldPath }[]): Error {
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), pathString(c.path)]);
  const n = conflicts.length;
  let message = `Apply failed with ${n} conflict${n === 1 ? "" : "s"}: `;
  if (n === 1) {
    const only = conflicts[0]!;
    message += `conflict with "${only.manager}" using v1: ${pathString(only.path)}`;
  } else {
    message += [...byManager].map(([m, paths]) => `conflicts with "${m}" using v1:\n${paths.map((p) => `- ${p}`).join("\n")}`).join("\n");
  }
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with "${c.manager}" using v1`,
    field: pathString(c.path),
  }));
  return conflictWithMessage(resource, name, message, causes);
}

function readPath(object: unknown, path: FieldPath): unknown {
  let node: unknown = object;
  for (const token of path) node = isObject(node) ? node[token] : undefined;
  return structuredClone(node);
}

function setPath(object: Record<string, unknown>, path: FieldPath, value: unknown): void {
  let node = object;
  for (const token of path.slice(0, -1)) {
    if (!isObject(node[token])) node[token] = {};
    node = node[token] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function deletePath(object: Record<string, unknown>, path: FieldPath): void {
  if (path[path.length - 1] === ".") return;
  const parents: Record<string, unknown>[] = [];
  let node: unknown = object;
  for (const token of path.slice(0, -1)) {
    if (!isObject(node)) return;
    parents.push(node);
    node = node[token];
  }
  if (!isObject(node)) return;
  delete node[path[path.length - 1]!];
  // Drop maps that became empty (an applied `data` that lost its last key disappears, as in SSA).
  if (Object.keys(node).length === 0 && parents.length > 0 && path.length >= 2) {
    const parent = parents[parents.length - 1]!;
    if (path[0] !== "metadata" || path.length === 3) delete parent[path[path.length - 2]!];
  }
}
