/**
 * The three client-computed patch formats: JSON Patch (RFC 6902), JSON Merge Patch (RFC 7386) and
 * Kubernetes strategic merge patch. A ConfigMap has only maps and scalars (plus two metadata lists),
 * so strategic merge behaves like merge patch apart from its `$patch` / `$retainKeys` /
 * `$setElementOrder` / `$deleteFromPrimitiveList` directives, which are honoured for maps or dropped.
 */
import { badRequest, unprocessable } from "./status";
import { isObject } from "./http";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Decodes one JSON-pointer token (`~1` is `/`, `~0` is `~`). */
function unescapeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function parsePointer(pointer: unknown): string[] {
  if (typeof pointer !== "string") throw badRequest("json patch: operation has no string \"path\"");
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw unprocessable(`the server rejected our request due to an error in our request: invalid JSON pointer "${pointer}"`);
  return pointer.slice(1).split("/").map(unescapeToken);
}

function arrayIndex(arr: Json[], token: string, forInsert: boolean): number {
  if (forInsert && token === "-") return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw unprocessable(`json patch: invalid array index "${token}"`);
  const idx = Number(token);
  if (idx > arr.length || (!forInsert && idx === arr.length)) throw unprocessable(`json patch: array index ${idx} out of bounds`);
  return idx;
}

/** Walks to the container that holds the last path token. */
function parentOf(doc: Json, path: string[], pointer: string): { parent: Json; last: string } {
  let node = doc;
  for (const token of path.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, false)]!;
    else if (isObject(node) && token in node) node = (node as Record<string, Json>)[token]!;
    else throw unprocessable(`the server rejected our request due to an error in our request: json patch path "${pointer}": missing parent`);
  }
  return { parent: node, last: path[path.length - 1]! };
}

function getAt(doc: Json, pointer: string): Json {
  let node = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, false)]!;
    else if (isObject(node) && token in node) node = (node as Record<string, Json>)[token]!;
    else throw unprocessable(`the server rejected our request due to an error in our request: json patch: path "${pointer}" does not exist`);
  }
  return node;
}

function removeAt(doc: Json, pointer: string): Json {
  const path = parsePointer(pointer);
  if (path.length === 0) throw unprocessable("json patch: cannot remove the whole document");
  const { parent, last } = parentOf(doc, path, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, last, false), 1)[0]!;
  if (isObject(parent) && last in parent) {
    const obj = parent as Record<string, Json>;
    const value = obj[last]!;
    delete obj[last];
    return value;
  }
  throw unprocessable(`the server rejected our request due to an error in our request: json patch: unable to remove nonexistent key: ${last}: missing value`);
}

function addAt(doc: Json, pointer: string, value: Json, replace: boolean): Json {
  const path = parsePointer(pointer);
  if (path.length === 0) return value;
  const { parent, last } = parentOf(doc, path, pointer);
  if (Array.isArray(parent)) {
    const idx = arrayIndex(parent, last, !replace);
    if (replace) parent[idx] = value;
    else parent.splice(idx, 0, value);
  } else if (isObject(parent)) {
    const obj = parent as Record<string, Json>;
    if (replace && !(last in obj)) {
      throw unprocessable(`the server rejected our request due to an error in our request: json patch: replace operation does not apply: doc is missing key: ${pointer}: missing value`);
    }
    obj[last] = value;
  } else {
    throw unprocessable(`json patch: path "${pointer}" has no container`);
  }
  return doc;
}

/** Applies an RFC 6902 patch document to a copy of `target`. Malformed patches are 400, failing ones 422. */
export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let doc = structuredClone(target) as Json;
  for (const raw of patch) {
    if (!isObject(raw)) throw badRequest("json patch: each operation must be an object");
    const op = raw.op;
    const value = structuredClone(raw.value) as Json;
    switch (op) {
      case "add":
        if (!("value" in raw)) throw badRequest('json patch: "add" operation has no "value"');
        doc = addAt(doc, raw.path as string, value, false);
        break;
      case "replace":
        if (!("value" in raw)) throw badRequest('json patch: "replace" operation has no "value"');
        doc = addAt(doc, raw.path as string, value, true);
        break;
      case "remove":
        removeAt(doc, raw.path as string);
        break;
      case "move": {
        const moved = removeAt(doc, raw.from as string);
        doc = addAt(doc, raw.path as string, moved, false);
        break;
      }
      case "copy":
        doc = addAt(doc, raw.path as string, structuredClone(getAt(doc, raw.from as string)), false);
        break;
      case "test": {
        const actual = getAt(doc, raw.path as string);
        if (JSON.stringify(actual) !== JSON.stringify(value)) {
          throw unprocessable(`the server rejected our request due to an error in our request: testing value ${String(raw.path)} failed: test failed`);
        }
        break;
      }
      default:
        throw badRequest(`json patch: unexpected kind of operation: ${String(op)}`);
    }
  }
  return doc;
}

/** RFC 7386: objects merge recursively, `null` deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = applyMergePatch(result[k], v);
  }
  return result;
}

/**
 * Strategic merge patch for types whose fields are maps and scalars. Directives: `$patch: replace`
 * replaces the map, `$patch: delete` removes it, `$retainKeys` keeps only the listed keys;
 * `$setElementOrder/...` and `$deleteFromPrimitiveList/...` only concern lists, which a ConfigMap's
 * data does not have, and are dropped.
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw badRequest("strategic merge patch: the patch must be a JSON object");
  return smp(target, patch);
}

function smp(target: unknown, patch: Record<string, unknown>): unknown {
  const directive = patch.$patch;
  if (directive === "delete") return undefined;
  let result: Record<string, unknown> = isObject(target) && directive !== "replace" ? structuredClone(target) : {};
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    result = Object.fromEntries(Object.entries(result).filter(([k]) => retain.includes(k)));
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$")) continue; // $patch, $retainKeys, $setElementOrder/..., $deleteFromPrimitiveList/...
    if (v === null) {
      delete result[k];
    } else if (isObject(v)) {
      const merged = smp(result[k], v);
      if (merged === undefined) delete result[k];
      else result[k] = merged;
    } else {
      result[k] = structuredClone(v);
    }
  }
  return result;
}
