/** Writes a kubeconfig that points kubectl and client-node at the sandbox. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";

/** The cluster, user and context name in the written kubeconfig. */
export const SANDBOX_CONTEXT = "sandbox";

/**
 * The kubeconfig text for `serverUrl`. Plain http and no credentials: the sandbox accepts any
 * (or no) Authorization header, and kubectl sends none over http anyway.
 */
export function kubeconfigYaml(serverUrl: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    // client-node 1.4 refuses plain http unless the cluster is marked insecure-skip-tls-verify; kubectl accepts it.
    clusters: [{ name: SANDBOX_CONTEXT, cluster: { server: serverUrl, "insecure-skip-tls-verify": true } }],
    users: [{ name: SANDBOX_CONTEXT, user: {} }],
    contexts: [{ name: SANDBOX_CONTEXT, context: { cluster: SANDBOX_CONTEXT, user: SANDBOX_CONTEXT } }],
    "current-context": SANDBOX_CONTEXT,
    preferences: {},
  });
}

/** Writes the kubeconfig (creating the directory), readable by the owner only like kubectl's own. */
export function writeKubeconfig(filePath: string, serverUrl: string): void {
  mkdirSync(path.dirname(filePath), { recursive: true });
  writeFileSync(filePath, kubeconfigYaml(serverUrl), { mode: 0o600 });
}
