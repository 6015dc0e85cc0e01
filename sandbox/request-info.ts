/**
 * Turns a `/api/v1/...` request into the API server's "request info" (verb, resource, namespace,
 * name, subresource). Routing, RBAC-style fault messages and the watch decision all read it.
 */

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection" | "proxy";

export type RequestInfo = {
  verb: Verb;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** For `pods/<name>/proxy/<rest>`: the part after `proxy/` (no leading slash). */
  proxyPath?: string;
};

function isWatchParam(value: string | null): boolean {
  return value === "true" || value === "1";
}

/**
 * Parses the path segments after `/api/v1/` (already URI-decoded) plus the query.
 * Returns undefined for shapes the API does not have.
 */
export function parseRequestInfo(method: string, segments: string[], query: URLSearchParams): RequestInfo | undefined {
  let parts = segments;
  let legacyWatch = false;
  if (parts[0] === "watch") {
    // The deprecated `/api/v1/watch/...` prefix, still served by real clusters.
    legacyWatch = true;
    parts = parts.slice(1);
  }
  let namespace: string | undefined;
  if (parts[0] === "namespaces" && parts.length >= 3) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [resource, name, subresource, ...rest] = parts;
  if (!resource) return undefined;
  if (subresource === "proxy") {
    if (method !== "GET" && method !== "HEAD" && method !== "POST") return undefined;
    return { verb: "proxy", resource, namespace, name, subresource, proxyPath: rest.join("/") };
  }
  if (rest.length > 0) return undefined;
  const collection = name === undefined;
  const watch = legacyWatch || (method === "GET" && isWatchParam(query.get("watch")));
  let verb: Verb;
  switch (method) {
    case "GET":
    case "HEAD":
      verb = watch ? "watch" : collection ? "list" : "get";
      break;
    case "POST":
      if (!collection) return undefined;
      verb = "create";
      break;
    case "PUT":
      verb = "update";
      break;
    case "PATCH":
      verb = "patch";
      break;
    case "DELETE":
      verb = collection ? "deletecollection" : "delete";
      break;
    default:
      return undefined;
  }
  if (legacyWatch && verb !== "watch") return undefined;
  return { verb, resource, namespace, name, subresource };
}
