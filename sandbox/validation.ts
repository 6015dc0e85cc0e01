/**
 * Decoding and validation of written ConfigMaps: unknown fields per `fieldValidation`
 * (Strict -> 400, Warn -> `Warning` header, Ignore), type errors (400) and the API server's
 * ConfigMap validation rules (422 Invalid), including `immutable`.
 */
import { badRequest, invalid } from "./status";
import { isObject } from "./http";
import type { KubeObject } from "./store";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

const CONFIGMAP_FIELDS = new Set(["apiVersion", "kind", "metadata", "data", "binaryData", "immutable"]);
const META_FIELDS = new Set([
  "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
  "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
]);

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_CONFIGMAP_BYTES = 1024 * 1024;

/** Reads the `fieldValidation` query parameter; the server default is Warn. */
export function fieldValidationMode(value: string | null): FieldValidation {
  if (value === null || value === "") return "Warn";
  if (value === "Strict" || value === "Warn" || value === "Ignore") return value;
  throw badRequest(`fieldValidation: Invalid value: "${value}": must be one of Ignore, Warn, or Strict`);
}

/**
 * Checks the shape of a ConfigMap body and drops unknown fields. Returns the cleaned object and the
 * warnings to send (Warn mode). Strict mode turns unknown fields into a 400, as kubectl requests.
 */
export function decodeConfigMap(body: unknown, mode: FieldValidation): { object: KubeObject; warnings: string[] } {
  if (!isObject(body)) throw badRequest("json: cannot unmarshal array into Go value of type v1.ConfigMap");
  if (body.apiVersion !== undefined && body.apiVersion !== "v1") {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (v1)`);
  }
  if (body.kind !== undefined && body.kind !== "ConfigMap") {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (ConfigMap)`);
  }
  const object = structuredClone(body);
  const unknown: string[] = [];
  for (const k of Object.keys(object)) {
    if (!CONFIGMAP_FIELDS.has(k)) {
      unknown.push(k);
      delete object[k];
    }
  }
  if (object.metadata === undefined) object.metadata = {};
  if (!isObject(object.metadata)) throw badRequest("json: cannot unmarshal into Go struct field ConfigMap.metadata of type v1.ObjectMeta");
  for (const k of Object.keys(object.metadata)) {
    if (!META_FIELDS.has(k)) {
      unknown.push(`metadata.${k}`);
      delete object.metadata[k];
    }
  }
  for (const field of ["data", "binaryData"] as const) {
    const map = object[field];
    if (map === undefined || map === null) {
      delete object[field];
      continue;
    }
    if (!isObject(map)) throw badRequest(`json: cannot unmarshal ${typeof map} into Go struct field ConfigMap.${field} of type map[string]string`);
    for (const v of Object.values(map)) {
      if (typeof v !== "string") throw badRequest(`json: cannot unmarshal ${v === null ? "null" : typeof v} into Go struct field ConfigMap.${field} of type string`);
    }
  }
  for (const field of ["labels", "annotations"] as const) {
    const map = object.metadata[field];
    if (map === undefined || map === null) {
      delete object.metadata[field];
      continue;
    }
    if (!isObject(map) || Object.values(map).some((v) => typeof v !== "string")) {
      throw badRequest(`json: cannot unmarshal into Go struct field ObjectMeta.metadata.${field} of type map[string]string`);
    }
  }
  if (object.immutable !== undefined && object.immutable !== null && typeof object.immutable !== "boolean") {
    throw badRequest("json: cannot unmarshal into Go struct field ConfigMap.immutable of type bool");
  }
  if (object.immutable === null) delete object.immutable;
  if (unknown.length > 0 && mode === "Strict") {
    throw badRequest(`strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(", ")}`);
  }
  object.apiVersion = "v1";
  object.kind = "ConfigMap";
  return { object: object as KubeObject, warnings: mode === "Warn" ? unknown.map((u) => `unknown field "${u}"`) : [] };
}

/** The API server's ConfigMap validation (name, keys, size, immutability); throws 422 Invalid. */
export function validateConfigMap(object: KubeObject, previous?: KubeObject): void {
  const name = object.metadata.name;
  const causes: { field: string; message: string }[] = [];
  if (!name) {
    causes.push({ field: "metadata.name", message: "Required value: name or generateName is required" });
  } else if (!SUBDOMAIN.test(name) || name.length > 253) {
    causes.push({
      field: "metadata.name",
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    });
  }
  const data = (object.data ?? {}) as Record<string, string>;
  const binary = (object.binaryData ?? {}) as Record<string, string>;
  let size = 0;
  for (const [field, map] of [["data", data], ["binaryData", binary]] as const) {
    for (const [k, v] of Object.entries(map)) {
      size += k.length + v.length;
      if (!CONFIG_KEY.test(k) || k.length > 253) {
        causes.push({
          field: `${field}[${k}]`,
          message: `Invalid value: "${k}": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
        });
      }
      if (field === "binaryData" && k in data) causes.push({ field: `data[${k}]`, message: `Invalid value: "${k}": duplicate of key present in binaryData` });
    }
  }
  if (size > MAX_CONFIGMAP_BYTES) causes.push({ field: "[]", message: `Too long: must have at most ${MAX_CONFIGMAP_BYTES} bytes` });
  if (previous?.immutable === true) {
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
    if (object.immutable !== true) causes.push({ field: "immutable", message: "Forbidden: field is immutable when `immutable` is set" });
    if (!same(previous.data, object.data)) causes.push({ field: "data", message: "Forbidden: field is immutable when `immutable` is set" });
    if (!same(previous.binaryData, object.binaryData)) causes.push({ field: "binaryData", message: "Forbidden: field is immutable when `immutable` is set" });
  }
  if (causes.length > 0) throw invalid("ConfigMap", name ?? "", causes);
}
