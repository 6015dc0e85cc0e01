/**
 * Helpers for the REST API tests: requests as a script would send them, and writes to the sandbox cluster made
 * behind Coredeck's back (over the sandbox's Kubernetes HTTP API, as kubectl would).
 */
import type { ApplyEnvironment, StoredConfigMap } from "@/lib/revisions/test-environment";

/** The origin the handlers are called on in tests (nothing listens there; handlers get the Request directly). */
export const TEST_ORIGIN = "http://127.0.0.1:3000";

/** A request to `path` as curl would send it: no Origin header, JSON body when given. */
export function apiRequest(
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Request {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Request(`${TEST_ORIGIN}${path}`, {
    method,
    headers: { host: new URL(TEST_ORIGIN).host, ...(body === undefined ? {} : { "content-type": "application/json" }), ...options.headers },
    body,
  });
}

/** The JSON body of an answer, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readJson(response: Response): Promise<any> {
  return response.json();
}

/** Replaces the Corefile ConfigMap through the sandbox's API (a change made outside Coredeck); returns its new state. */
export async function replaceConfigMapBehindOurBack(
  env: ApplyEnvironment,
  change: (configMap: StoredConfigMap) => StoredConfigMap,
): Promise<StoredConfigMap> {
  const { configMapNamespace: namespace, configMapName: name } = env.cluster;
  const response = await fetch(`${env.sandbox.url}/api/v1/namespaces/${namespace}/configmaps/${name}?fieldManager=kubectl-edit`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(change(env.configMap())),
  });
  if (!response.ok) throw new Error(`the sandbox refused the ConfigMap: ${response.status} ${await response.text()}`);
  return (await response.json()) as StoredConfigMap;
}

/** Arms a sandbox fault over its admin API: the next matching request fails with `status`. */
export async function failNextSandboxRequest(env: ApplyEnvironment, spec: { status: number; method?: string; count?: number }) {
  const response = await fetch(`${env.sandbox.url}/_sandbox/faults/fail`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pathPrefix: "/api/v1/namespaces/kube-system/configmaps", ...spec }),
  });
  if (!response.ok) throw new Error(`the sandbox did not arm the fault: ${response.status}`);
}
