import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";

/** A context found in the user's kubeconfig. */
export type KubeconfigContext = { name: string; cluster: string; namespace?: string; server?: string; kubeconfigPath: string };

/**
 * The kubeconfig files the user points at: every path of `KUBECONFIG` (colon separated, as kubectl
 * reads it) or `~/.kube/config` when that is unset.
 */
export function listKubeconfigPaths(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const fromEnv = env.KUBECONFIG?.split(path.delimiter).filter(Boolean) ?? [];
  const candidates = fromEnv.length > 0 ? fromEnv : [path.join(env.HOME ?? os.homedir(), ".kube", "config")];
  return candidates.map((candidate) => path.resolve(candidate)).filter((candidate) => existsSync(candidate));
}

/** Lists the contexts of every kubeconfig file the user points at; unreadable files are skipped. */
export function listKubeconfigContexts(env: Readonly<Record<string, string | undefined>> = process.env): KubeconfigContext[] {
  const contexts: KubeconfigContext[] = [];
  for (const kubeconfigPath of listKubeconfigPaths(env)) {
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(kubeconfigPath);
    } catch {
      continue;
    }
    for (const context of kc.getContexts()) {
      const server = kc.getCluster(context.cluster)?.server;
      contexts.push({
        name: context.name,
        cluster: context.cluster,
        ...(context.namespace ? { namespace: context.namespace } : {}),
        ...(server ? { server } : {}),
        kubeconfigPath,
      });
    }
  }
  return contexts;
}

/** Where the kubelet mounts a pod's service account (token, ca.crt, namespace). */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * A folder put in front of {@link SERVICE_ACCOUNT_DIR} (`COREDECK_IN_CLUSTER_PATH_PREFIX`, default none), the way
 * client-node's `loadFromCluster(pathPrefix)` reads it: lets the in-cluster connection be tried outside a pod with
 * a service-account folder of one's own (the tests do). Never needed in a real pod.
 */
export function inClusterPathPrefix(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.COREDECK_IN_CLUSTER_PATH_PREFIX?.replace(/\/+$/, "") ?? "";
}

/**
 * True when running in a pod with a mounted service account (the in-cluster connection): the kubelet's
 * `KUBERNETES_SERVICE_HOST` is set and the service-account token is there.
 */
export function isInCluster(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync(`${inClusterPathPrefix(env)}${SERVICE_ACCOUNT_DIR}/token`);
}
