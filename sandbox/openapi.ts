/**
 * A minimal OpenAPI v3 for `api/v1`, enough for kubectl 1.32:
 *  - `apply`, `create`, `replace`, `edit` and `patch` check that the server supports server-side
 *    field validation by looking for the `fieldValidation` query parameter on the PATCH operation of
 *    the object's GVK; finding it, kubectl sends `fieldValidation=Strict` instead of validating
 *    client-side (which would need the full `/openapi/v2` document). So `--validate=false` is not needed.
 *  - client-side `apply` reads patch metadata (`x-kubernetes-patch-strategy` ...) from the schema.
 *  - `kubectl explain configmap` works for the described fields.
 * Pods, Services and Namespaces are described loosely (`x-kubernetes-preserve-unknown-fields`).
 */
import { createHash } from "node:crypto";
import { RESOURCES } from "./registry";

const REF = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const CORE = "io.k8s.api.core.v1";
const str = (description: string) => ({ type: "string", description });
const stringMap = (description: string) => ({ type: "object", additionalProperties: { type: "string", default: "" }, description });
const gvk = (kind: string, group = "", version = "v1") => [{ group, kind, version }];

const kindField = str("Kind is a string value representing the REST resource this object represents.");
const apiVersionField = str("APIVersion defines the versioned schema of this representation of an object.");
const metadataField = { allOf: [REF(`${META}.ObjectMeta`)], default: {}, description: "Standard object's metadata." };
const listMetaField = { allOf: [REF(`${META}.ListMeta`)], default: {}, description: "Standard list metadata." };

function schemas(): Record<string, unknown> {
  const loose = (kind: string, description: string) => ({
    type: "object",
    description,
    properties: {
      apiVersion: apiVersionField,
      kind: kindField,
      metadata: metadataField,
      spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    },
    "x-kubernetes-group-version-kind": gvk(kind),
  });
  const list = (kind: string) => ({
    type: "object",
    required: ["items"],
    properties: { apiVersion: apiVersionField, items: { type: "array", items: { allOf: [REF(`${CORE}.${kind}`)], default: {} } }, kind: kindField, metadata: listMetaField },
    "x-kubernetes-group-version-kind": gvk(`${kind}List`),
  });
  return {
    [`${CORE}.ConfigMap`]: {
      type: "object",
      description: "ConfigMap holds configuration data for pods to consume.",
      properties: {
        apiVersion: apiVersionField,
        binaryData: { type: "object", additionalProperties: { type: "string", format: "byte" }, description: "BinaryData contains the binary data." },
        data: stringMap("Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'."),
        immutable: { type: "boolean", description: "Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated." },
        kind: kindField,
        metadata: metadataField,
      },
      "x-kubernetes-group-version-kind": gvk("ConfigMap"),
    },
    [`${CORE}.ConfigMapList`]: list("ConfigMap"),
    [`${CORE}.Namespace`]: loose("Namespace", "Namespace provides a scope for Names."),
    [`${CORE}.NamespaceList`]: list("Namespace"),
    [`${CORE}.Pod`]: loose("Pod", "Pod is a collection of containers that can run on a host."),
    [`${CORE}.PodList`]: list("Pod"),
    [`${CORE}.Service`]: loose("Service", "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy."),
    [`${CORE}.ServiceList`]: list("Service"),
    [`${META}.ObjectMeta`]: {
      type: "object",
      description: "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
      properties: {
        annotations: stringMap("Annotations is an unstructured key value map stored with a resource."),
        creationTimestamp: { allOf: [REF(`${META}.Time`)], description: "CreationTimestamp is a timestamp representing the server time when this object was created." },
        deletionGracePeriodSeconds: { type: "integer", format: "int64" },
        deletionTimestamp: { allOf: [REF(`${META}.Time`)] },
        finalizers: { type: "array", items: { type: "string", default: "" }, "x-kubernetes-list-type": "set", "x-kubernetes-patch-strategy": "merge" },
        generateName: str("GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."),
        generation: { type: "integer", format: "int64" },
        labels: stringMap("Map of string keys and values that can be used to organize and categorize (scope and select) objects."),
        managedFields: { type: "array", items: { allOf: [REF(`${META}.ManagedFieldsEntry`)], default: {} }, "x-kubernetes-list-type": "atomic" },
        name: str("Name must be unique within a namespace."),
        namespace: str("Namespace defines the space within which each name must be unique."),
        ownerReferences: {
          type: "array",
          items: { allOf: [REF(`${META}.OwnerReference`)], default: {} },
          "x-kubernetes-list-map-keys": ["uid"],
          "x-kubernetes-list-type": "map",
          "x-kubernetes-patch-merge-key": "uid",
          "x-kubernetes-patch-strategy": "merge",
        },
        resourceVersion: str("An opaque value that represents the internal version of this object."),
        selfLink: str("Deprecated: selfLink is a legacy read-only field that is no longer populated by the system."),
        uid: str("UID is the unique in time and space value for this object."),
      },
    },
    [`${META}.ListMeta`]: {
      type: "object",
      properties: { continue: { type: "string" }, remainingItemCount: { type: "integer", format: "int64" }, resourceVersion: { type: "string" }, selfLink: { type: "string" } },
    },
    [`${META}.ManagedFieldsEntry`]: {
      type: "object",
      properties: {
        apiVersion: { type: "string" },
        fieldsType: { type: "string" },
        fieldsV1: { allOf: [REF(`${META}.FieldsV1`)] },
        manager: { type: "string" },
        operation: { type: "string" },
        subresource: { type: "string" },
        time: { allOf: [REF(`${META}.Time`)] },
      },
    },
    [`${META}.FieldsV1`]: { type: "object", description: "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format." },
    [`${META}.OwnerReference`]: {
      type: "object",
      required: ["apiVersion", "kind", "name", "uid"],
      properties: {
        apiVersion: { type: "string", default: "" },
        blockOwnerDeletion: { type: "boolean" },
        controller: { type: "boolean" },
        kind: { type: "string", default: "" },
        name: { type: "string", default: "" },
        uid: { type: "string", default: "" },
      },
      "x-kubernetes-map-type": "atomic",
    },
    [`${META}.Time`]: { type: "string", format: "date-time" },
    [`${META}.Patch`]: { type: "object", description: "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body." },
    [`${META}.Status`]: {
      type: "object",
      properties: { apiVersion: apiVersionField, code: { type: "integer", format: "int32" }, details: { type: "object", "x-kubernetes-preserve-unknown-fields": true }, kind: kindField, message: { type: "string" }, metadata: listMetaField, reason: { type: "string" }, status: { type: "string" } },
      "x-kubernetes-group-version-kind": gvk("Status"),
    },
    [`${META}.DeleteOptions`]: {
      type: "object",
      properties: {
        apiVersion: apiVersionField,
        dryRun: { type: "array", items: { type: "string", default: "" }, "x-kubernetes-list-type": "atomic" },
        gracePeriodSeconds: { type: "integer", format: "int64" },
        kind: kindField,
        preconditions: { type: "object", properties: { resourceVersion: { type: "string" }, uid: { type: "string" } } },
        propagationPolicy: { type: "string" },
      },
    },
    [`${META}.WatchEvent`]: {
      type: "object",
      required: ["type", "object"],
      properties: { object: { type: "object" }, type: { type: "string", default: "" } },
    },
  };
}

const param = (name: string, description: string, type = "string") => ({ name, in: "query", description, schema: { type, uniqueItems: true } });
const P = {
  dryRun: param("dryRun", "When present, indicates that modifications should not be persisted."),
  fieldManager: param("fieldManager", "fieldManager is a name associated with the actor or entity that is making these changes."),
  fieldValidation: param("fieldValidation", "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (default), Strict."),
  force: param("force", "Force is going to \"force\" Apply requests.", "boolean"),
  pretty: param("pretty", "If 'true', then the output is pretty printed."),
  labelSelector: param("labelSelector", "A selector to restrict the list of returned objects by their labels."),
  fieldSelector: param("fieldSelector", "A selector to restrict the list of returned objects by their fields."),
  resourceVersion: param("resourceVersion", "resourceVersion sets a constraint on what resource versions a request may be served from."),
  watch: param("watch", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.", "boolean"),
  timeoutSeconds: param("timeoutSeconds", "Timeout for the list/watch call.", "integer"),
  allowWatchBookmarks: param("allowWatchBookmarks", "allowWatchBookmarks requests watch events with type \"BOOKMARK\".", "boolean"),
  limit: param("limit", "limit is a maximum number of responses to return for a list call.", "integer"),
  continue: param("continue", "The continue option should be set when retrieving more results from the server."),
};
const pathParam = (name: string, description: string) => ({ name, in: "path", description, required: true, schema: { type: "string", uniqueItems: true } });

function jsonBody(schema: unknown, types = ["application/json"]) {
  return { content: Object.fromEntries(types.map((t) => [t, { schema }])), required: true };
}

function ok(schema: unknown, code = "200") {
  return { [code]: { description: "OK", content: { "application/json": { schema } } }, "401": { description: "Unauthorized" } };
}

function paths(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of RESOURCES) {
    const kindRef = REF(`${CORE}.${r.kind}`);
    const listRef = REF(`${CORE}.${r.kind}List`);
    const ext = (action: string) => ({ "x-kubernetes-action": action, "x-kubernetes-group-version-kind": { group: "", kind: r.kind, version: "v1" } });
    const op = (id: string, action: string, extra: Record<string, unknown>) => ({ tags: ["core_v1"], operationId: id, ...extra, ...ext(action) });
    const collectionPath = r.namespaced ? `/api/v1/namespaces/{namespace}/${r.name}` : `/api/v1/${r.name}`;
    const scope = r.namespaced ? "Namespaced" : "";
    const common = r.namespaced ? [pathParam("namespace", "object name and auth scope, such as for teams and projects"), P.pretty] : [P.pretty];
    out[collectionPath] = {
      get: op(`listCore${"V1"}${scope}${r.kind}`, "list", {
        parameters: [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.timeoutSeconds, P.watch],
        responses: ok(listRef),
      }),
      post: op(`createCoreV1${scope}${r.kind}`, "post", {
        parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
        requestBody: jsonBody(kindRef),
        responses: { ...ok(kindRef), ...ok(kindRef, "201"), ...ok(kindRef, "202") },
      }),
      parameters: common,
    };
    out[`${collectionPath}/{name}`] = {
      get: op(`readCoreV1${scope}${r.kind}`, "get", { responses: ok(kindRef) }),
      put: op(`replaceCoreV1${scope}${r.kind}`, "put", {
        parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
        requestBody: jsonBody(kindRef),
        responses: { ...ok(kindRef), ...ok(kindRef, "201") },
      }),
      delete: op(`deleteCoreV1${scope}${r.kind}`, "delete", {
        parameters: [P.dryRun],
        requestBody: { content: { "application/json": { schema: REF(`${META}.DeleteOptions`) } } },
        responses: { ...ok(REF(`${META}.Status`)), ...ok(REF(`${META}.Status`), "202") },
      }),
      patch: op(`patchCoreV1${scope}${r.kind}`, "patch", {
        parameters: [P.dryRun, P.fieldManager, P.fieldValidation, P.force],
        requestBody: jsonBody(REF(`${META}.Patch`), ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"]),
        responses: { ...ok(kindRef), ...ok(kindRef, "201") },
      }),
      parameters: [pathParam("name", `name of the ${r.kind}`), ...common],
    };
    if (r.namespaced) {
      out[`/api/v1/${r.name}`] = {
        get: op(`listCoreV1${r.kind}ForAllNamespaces`, "list", { responses: ok(listRef) }),
        parameters: [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.pretty, P.resourceVersion, P.timeoutSeconds, P.watch],
      };
    }
  }
  return out;
}

let cached: { text: string; hash: string } | undefined;

/** The `api/v1` OpenAPI v3 document (as JSON text) and its hash for the discovery root. */
export function coreV1OpenApi(): { text: string; hash: string } {
  if (!cached) {
    const doc = {
      openapi: "3.0.0",
      info: { title: "Kubernetes", version: "v1.32.4" },
      paths: paths(),
      components: { schemas: schemas(), securitySchemes: { BearerToken: { type: "apiKey", description: "Bearer Token authentication", name: "authorization", in: "header" } } },
    };
    const text = JSON.stringify(doc);
    cached = { text, hash: createHash("sha512").update(text).digest("hex").toUpperCase() };
  }
  return cached;
}

/** `/openapi/v3`: the discovery root that points at the per-group-version documents. */
export function openApiRoot(): unknown {
  return { paths: { "api/v1": { serverRelativeURL: `/openapi/v3/api/v1?hash=${coreV1OpenApi().hash}` } } };
}
