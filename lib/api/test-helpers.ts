/**
 * Helpers for the REST API tests: requests as a script would send them, and writes to the sandbox cluster made
 * behind Coredeck's back (over the sandbox's Kubernetes HTTP API, as kubectl would).
 */
import { createLocalUser } from "@/lib/auth/accounts";
import type { Role } from "@/lib/auth/roles";
import { createApiToken } from "@/lib/auth/tokens";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { ApplyEnvironment, StoredConfigMap } from "@/lib/revisions/test-environment";

/** The origin the handlers are called on in tests (nothing listens there; handlers get the Request directly). */
export const TEST_ORIGIN = "http://127.0.0.1:3000";

let defaultToken: string | null = null;

/**
 * Creates a local user with `role` on all clusters (or the given scope) and an API token for it, through lib/auth
 * as an admin would; unless `asDefault` is false, {@link apiRequest} sends this token from now on.
 */
export async function createTestToken(
  db: PrismaClient,
  options: { role?: Role; name?: string; tokenRole?: Role; clusters?: string[]; expiresAt?: Date | null; asDefault?: boolean } = {},
): Promise<{ token: string; tokenId: string; userId: string }> {
  const role = options.role ?? "admin";
  const name = options.name ?? `ci ${role}`;
  const user = await createLocalUser({ username: name.replace(/\s+/g, "-"), name, password: "not used in this test", role }, db);
  const created = await createApiToken(
    { userId: user.id, name: `${name} token`, role: options.tokenRole ?? role, clusters: options.clusters ?? ["*"], expiresAt: options.expiresAt ?? null },
    { id: user.id, name, grants: [{ cluster: "*", role }] },
    db,
  );
  if (!created.ok) throw new Error(created.message);
  if (options.asDefault !== false) defaultToken = created.token;
  return { token: created.token, tokenId: created.view.id, userId: user.id };
}

/** Stops sending a default token (anonymous requests). */
export function clearTestToken(): void {
  defaultToken = null;
}

/** A request to `path` as curl would send it: no Origin header, JSON body when given, the test token when one was made. */
export function apiRequest(
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Request {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Request(`${TEST_ORIGIN}${path}`, {
    method,
    headers: {
      host: new URL(TEST_ORIGIN).host,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(defaultToken ? { authorization: `Bearer ${defaultToken}` } : {}),
      ...options.headers,
    },
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
