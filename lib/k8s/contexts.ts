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

/** True when running in a pod with a mounted service account (the in-cluster connection). */
export function isInCluster(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync("/var/run/secrets/kubernetes.io/serviceaccount/token");
}
