/**
 * The REST verbs on `/api/v1` resources: get, list, watch, create, update, patch (JSON, merge,
 * strategic, server-side apply), delete and deletecollection, with the API server's semantics for
 * optimistic concurrency, dryRun, field managers, selectors and Status errors.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { contentType, isObject, parseJsonBody, readBody, readBodyBytes, sendJson, wantsTable } from "./http";
import { managedFieldsForCreate, managedFieldsForUpdate, managerFor, serverSideApply } from "./managed-fields";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "./patch";
import { decodeConfigMapProtobuf } from "./protobuf";
import { resourceDef, type ResourceDef } from "./registry";
import type { RequestInfo } from "./request-info";
import { parseFieldSelector, parseLabelSelector } from "./selectors";
import {
  alreadyExists,
  badRequest,
  conflict,
  conflictWithMessage,
  deleted,
  methodNotAllowed,
  notFound,
  pathNotFound,
  unsupportedMediaType,
} from "./status";
import { kubeTime, type KubeObject, type Store } from "./store";
import { toTable } from "./table";
import { decodeConfigMap, fieldValidationMode, validateConfigMap } from "./validation";
import type { WatchHub } from "./watch";

export type ResourceContext = { store: Store; watches: WatchHub };

type WriteOptions = { dryRun: boolean; manager: string; warnings: string[] };

/** Serialises with sorted keys, so that "did anything change?" ignores key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll("dryRun");
  for (const v of values) if (v !== "All") throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  return values.length > 0;
}

function warningHeaders(warnings: string[]): Record<string, string[]> {
  return warnings.length > 0 ? { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) } : {};
}

/** Lists drop `kind`/`apiVersion` from their items, as the real server's JSON does. */
function listItem(o: KubeObject): Omit<KubeObject, "kind" | "apiVersion"> {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = o;
  return rest;
}

/** Dispatches one resource request; throws ApiError for anything the client should see as a Status. */
export async function handleResource(ctx: ResourceContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, query: URLSearchParams): Promise<void> {
  const def = resourceDef(info.resource);
  if (!def) throw pathNotFound();
  if (def.namespaced === false && info.namespace !== undefined) throw pathNotFound();
  if (def.namespaced && info.namespace === undefined && info.name !== undefined) throw pathNotFound();
  if (info.subresource !== undefined) throw pathNotFound();
  const writes = ["create", "update", "patch", "delete", "deletecollection"];
  if (writes.includes(info.verb) && !def.writable) throw methodNotAllowed(def.name);
  if (writes.includes(info.verb) && def.namespaced && info.namespace === undefined) throw pathNotFound();

  switch (info.verb) {
    case "get":
      return getOne(ctx, req, res, def, info, query);
    case "list":
      return list(ctx, req, res, def, info, query);
    case "watch":
      ctx.watches.serve(res, {
        resource: def.name,
        kind: def.kind,
        namespace: info.namespace,
        match: selection(def, query, info.name),
        resourceVersion: query.get("resourceVersion"),
        timeoutSeconds: timeoutSeconds(query.get("timeoutSeconds")),
        allowBookmarks: query.get("allowWatchBookmarks") === "true",
        sendInitialEvents: query.get("sendInitialEvents") === "true",
        table: wantsTable(req),
        includeObject: query.get("includeObject"),
      });
      return;
    case "create":
      return create(ctx, req, res, def, info, query);
    case "update":
      return update(ctx, req, res, def, info, query);
    case "patch":
      return patch(ctx, req, res, def, info, query);
    case "delete":
      return deleteOne(ctx, req, res, def, info, query);
    case "deletecollection":
      return deleteCollection(ctx, res, def, info, query);
    default:
      throw pathNotFound();
  }
}

function timeoutSeconds(value: string | null): number | undefined {
  if (value === null || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`timeoutSeconds: Invalid value: "${value}": must be a non-negative integer`);
  return n;
}

/** The object in a POST/PUT body: JSON, or protobuf as kubectl's typed clients send it. */
async function readObjectBody(req: IncomingMessage): Promise<unknown> {
  const bytes = await readBodyBytes(req);
  if (contentType(req) === "application/vnd.kubernetes.protobuf") return decodeConfigMapProtobuf(bytes);
  return parseJsonBody(bytes.toString("utf8"));
}

/** Label and field selectors combined; a watch on `/.../configmaps/<name>` is a name field selector. */
function selection(def: ResourceDef, query: URLSearchParams, name?: string) {
  const labels = parseLabelSelector(query.get("labelSelector"));
  const fields = parseFieldSelector(def.name, query.get("fieldSelector"));
  return (o: KubeObject) => labels(o) && fields(o) && (name === undefined || o.metadata.name === name);
}

function getOne(ctx: ResourceContext, req: IncomingMessage, res: ServerResponse, def: ResourceDef, info: RequestInfo, query: URLSearchParams): void {
  const object = ctx.store.get(def.name, info.namespace, info.name!);
  if (!object) throw notFound(def.name, info.name!);
  if (wantsTable(req)) {
    sendJson(res, 200, toTable(def.name, [object], ctx.store.now(), object.metadata.resourceVersion, query.get("includeObject")));
  } else {
    sendJson(res, 200, object);
  }
}

function list(ctx: ResourceContext, req: IncomingMessage, res: ServerResponse, def: ResourceDef, info: RequestInfo, query: URLSearchParams): void {
  const match = selection(def, query);
  let items = ctx.store.list(def.name, info.namespace).filter(match);
  const resourceVersion = String(ctx.store.currentResourceVersion);

  // Pagination: the continue token is the key of the last item returned (opaque to clients).
  const token = query.get("continue");
  if (token) {
    let after: string;
    try {
      after = Buffer.from(token, "base64url").toString("utf8");
    } catch {
      throw badRequest("continue key is not valid");
    }
    items = items.filter((o) => `${o.metadata.namespace ?? ""}/${o.metadata.name}` > after);
  }
  const limit = Number(query.get("limit") ?? "0");
  const metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion };
  if (limit > 0 && items.length > limit) {
    const last = items[limit - 1]!;
    metadata.continue = Buffer.from(`${last.metadata.namespace ?? ""}/${last.metadata.name}`).toString("base64url");
    metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  if (wantsTable(req)) {
    const table = toTable(def.name, items, ctx.store.now(), resourceVersion, query.get("includeObject"));
    if (metadata.continue) table.metadata.continue = metadata.continue;
    sendJson(res, 200, table);
    return;
  }
  sendJson(res, 200, { kind: `${def.kind}List`, apiVersion: "v1", metadata, items: items.map(listItem) });
}

/** The namespace must exist before anything is created in it. */
function requireNamespace(ctx: ResourceContext, namespace: string): void {
  if (!ctx.store.get("namespaces", undefined, namespace)) throw notFound("namespaces", namespace);
}

/** Checks that the body's namespace/name agree with the URL and fills the namespace in. */
function bindToUrl(object: KubeObject, info: RequestInfo): void {
  if (object.metadata.namespace !== undefined && object.metadata.namespace !== "" && object.metadata.namespace !== info.namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  object.metadata.namespace = info.namespace;
  if (info.name !== undefined && object.metadata.name !== info.name) {
    throw badRequest(`the name of the object (${object.metadata.name ?? ""}) does not match the name on the URL (${info.name})`);
  }
}

async function create(ctx: ResourceContext, req: IncomingMessage, res: ServerResponse, def: ResourceDef, info: RequestInfo, query: URLSearchParams): Promise<void> {
  const dryRun = dryRunOf(query);
  const { object, warnings } = decodeConfigMap(await readObjectBody(req), fieldValidationMode(query.get("fieldValidation")));
  bindToUrl(object, info);
  requireNamespace(ctx, info.namespace!);
  if (!object.metadata.name && object.metadata.generateName) {
    object.metadata.name = `${object.metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
  }
  // Server-owned fields in a create body are ignored, as on a real server.
  for (const k of ["uid", "resourceVersion", "creationTimestamp", "managedFields", "selfLink", "generation"]) delete object.metadata[k];
  validateConfigMap(object);
  if (ctx.store.get(def.name, info.namespace, object.metadata.name)) throw alreadyExists(def.name, object.metadata.name);
  const manager = managerFor(query.get("fieldManager"), req.headers["user-agent"]);
  object.metadata.managedFields = managedFieldsForCreate(object, manager, ctx.store.now());
  const result = dryRun ? dryRunCreated(ctx, object) : ctx.store.create(def.name, object);
  sendJson(res, 201, result, warningHeaders(warnings));
}

/** What a create would store, without storing it: no resourceVersion is used up. */
function dryRunCreated(ctx: ResourceContext, object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  copy.metadata.uid = randomUUID();
  copy.metadata.creationTimestamp = kubeTime(ctx.store.now());
  return copy;
}

async function update(ctx: ResourceContext, req: IncomingMessage, res: ServerResponse, def: ResourceDef, info: RequestInfo, query: URLSearchParams): Promise<void> {
  const dryRun = dryRunOf(query);
  const { object, warnings } = decodeConfigMap(await readObjectBody(req), fieldValidationMode(query.get("fieldValidation")));
  bindToUrl(object, info);
  // ConfigMaps do not allow create-on-update: a PUT to a missing object is a 404.
  const current = ctx.store.get(def.name, info.namespace, info.name!);
  if (!current) throw notFound(def.name, info.name!);
  const manager = managerFor(query.get("fieldManager"), req.headers["user-agent"]);
  const result = commit(ctx, def, current, object, "Update", { dryRun, manager, warnings });
  sendJson(res, 200, result, warningHeaders(warnings));
}

async function patch(ctx: ResourceContext, req: IncomingMessage, res: ServerResponse, def: ResourceDef, info: RequestInfo, query: URLSearchParams): Promise<void> {
  const dryRun = dryRunOf(query);
  const type = contentType(req);
  const mode = fieldValidationMode(query.get("fieldValidation"));
  const text = await readBody(req);
  const current = ctx.store.get(def.name, info.namespace, info.name!);
  const userAgent = req.headers["user-agent"];

  if (type === "application/apply-patch+yaml") {
    const fieldManager = query.get("fieldManager");
    if (!fieldManager) throw badRequest("PATCH, application/apply-patch+yaml: fieldManager is required for apply requests");
    const force = query.get("force") === "true";
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!isObject(parsed) || parsed.apiVersion === undefined || parsed.kind === undefined) {
      throw badRequest("invalid object type: /, Kind=");
    }
    const { object: applied, warnings } = decodeConfigMap(parsed, mode);
    bindToUrl(applied, info);
    // A resourceVersion in an applied configuration is a precondition, as for the other writes.
    const wanted = applied.metadata.resourceVersion;
    if (current && wanted && wanted !== current.metadata.resourceVersion) throw conflict(def.name, info.name!);
    delete applied.metadata.resourceVersion;
    const merged = serverSideApply(current, applied, fieldManager, force, ctx.store.now(), def.name);
    if (!current) {
      requireNamespace(ctx, info.namespace!);
      validateConfigMap(merged);
      const created = dryRun ? dryRunCreated(ctx, merged) : ctx.store.create(def.name, merged);
      sendJson(res, 201, created, warningHeaders(warnings));
      return;
    }
    const result = commit(ctx, def, current, merged, "Apply", { dryRun, manager: fieldManager, warnings });
    sendJson(res, 200, result, warningHeaders(warnings));
    return;
  }

  let patched: unknown;
  const body = parseJsonBody(text);
  if (!current) throw notFound(def.name, info.name!);
  switch (type) {
    case "application/json-patch+json":
      patched = applyJsonPatch(current, body);
      break;
    case "application/merge-patch+json":
      if (!isObject(body)) throw badRequest("json: cannot unmarshal into Go value of type map[string]interface {}");
      patched = applyMergePatch(current, body);
      break;
    case "application/strategic-merge-patch+json":
      patched = applyStrategicMergePatch(current, body);
      break;
    default:
      throw unsupportedMediaType();
  }
  const { object, warnings } = decodeConfigMap(patched, mode);
  bindToUrl(object, info);
  const manager = managerFor(query.get("fieldManager"), userAgent);
  const result = commit(ctx, def, current, object, "Update", { dryRun, manager, warnings });
  sendJson(res, 200, result, warningHeaders(warnings));
}

/**
 * The shared tail of PUT and PATCH: resourceVersion precondition, server-owned fields, managedFields,
 * validation, and the write itself (skipped when nothing changed, or on dryRun).
 */
function commit(ctx: ResourceContext, def: ResourceDef, current: KubeObject, candidate: KubeObject, operation: "Update" | "Apply", opts: WriteOptions): KubeObject {
  const wanted = candidate.metadata.resourceVersion;
  if (wanted !== undefined && wanted !== "" && wanted !== current.metadata.resourceVersion) throw conflict(def.name, current.metadata.name);
  const next = structuredClone(candidate);
  next.metadata.uid = current.metadata.uid;
  next.metadata.creationTimestamp = current.metadata.creationTimestamp;
  next.metadata.resourceVersion = current.metadata.resourceVersion;
  if (current.metadata.generateName !== undefined) next.metadata.generateName = current.metadata.generateName;
  if (operation === "Update") next.metadata.managedFields = managedFieldsForUpdate(current, next, opts.manager, ctx.store.now());
  if (next.metadata.managedFields?.length === 0) delete next.metadata.managedFields;
  validateConfigMap(next, current);
  // A write that changes nothing is not stored and keeps its resourceVersion (no event either).
  if (canonical(next) === canonical(current)) return current;
  if (opts.dryRun) return next;
  return ctx.store.update(def.name, next);
}

async function deleteOne(ctx: ResourceContext, req: IncomingMessage, res: ServerResponse, def: ResourceDef, info: RequestInfo, query: URLSearchParams): Promise<void> {
  let dryRun = dryRunOf(query);
  const text = await readBody(req);
  // DeleteOptions may come as protobuf from typed clients; only JSON preconditions are honoured.
  const options = text.trim() === "" || contentType(req) === "application/vnd.kubernetes.protobuf" ? {} : parseJsonBody(text);
  const current = ctx.store.get(def.name, info.namespace, info.name!);
  if (!current) throw notFound(def.name, info.name!);
  if (isObject(options)) {
    if (Array.isArray(options.dryRun) && options.dryRun.includes("All")) dryRun = true;
    const pre = isObject(options.preconditions) ? options.preconditions : {};
    const message = (what: string, want: unknown, have: unknown) =>
      `Operation cannot be fulfilled on ${def.name} "${info.name}": Precondition failed: ${what} in precondition: ${String(want)}, ${what} in object meta: ${String(have)}`;
    if (pre.uid !== undefined && pre.uid !== current.metadata.uid) {
      throw conflictWithMessage(def.name, info.name!, message("UID", pre.uid, current.metadata.uid));
    }
    if (pre.resourceVersion !== undefined && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw conflictWithMessage(def.name, info.name!, message("ResourceVersion", pre.resourceVersion, current.metadata.resourceVersion));
    }
  }
  if (!dryRun) ctx.store.delete(def.name, info.namespace, info.name!);
  sendJson(res, 200, deleted(def.name, info.name!, current.metadata.uid ?? ""));
}

function deleteCollection(ctx: ResourceContext, res: ServerResponse, def: ResourceDef, info: RequestInfo, query: URLSearchParams): void {
  const dryRun = dryRunOf(query);
  const victims = ctx.store.list(def.name, info.namespace).filter(selection(def, query));
  if (!dryRun) for (const v of victims) ctx.store.delete(def.name, v.metadata.namespace, v.metadata.name);
  sendJson(res, 200, {
    kind: `${def.kind}List`,
    apiVersion: "v1",
    metadata: { resourceVersion: String(ctx.store.currentResourceVersion) },
    items: victims.map(listItem),
  });
}
