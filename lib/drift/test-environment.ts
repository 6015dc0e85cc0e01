/**
 * A throw-away world for drift tests: a sandbox cluster on 127.0.0.1 (with the sandbox options a test needs, such
 * as a small watch window), a migrated temporary SQLite file, the sandbox registered as a cluster, and helpers to
 * change the ConfigMap behind Coredeck's back and to wait for outcomes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { registerCluster } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { createTestDatabase } from "@/lib/db/test-database";
import { startSandbox, type KubeObject, type SandboxOptions } from "@/sandbox/server";

export type DriftEnvironment = Awaited<ReturnType<typeof createDriftEnvironment>>;

type StoredConfigMap = KubeObject & { data: Record<string, string>; metadata: KubeObject["metadata"] & { resourceVersion: string } };

/** Starts the sandbox (with `sandbox` options) and the database; `dispose()` removes everything. */
export async function createDriftEnvironment(options: { sandbox?: SandboxOptions } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "coredeck-drift-"));
  const kubeconfigPath = path.join(dir, "sandbox.kubeconfig");
  const sandbox = await startSandbox({ port: 0, ...options.sandbox, kubeconfigPath });
  const database = createTestDatabase();
  const cluster: ClusterSummary = await registerCluster({ name: "sandbox", connection: "sandbox", kubeconfigPath }, database.db);
  const configMapPath = `/api/v1/namespaces/${cluster.configMapNamespace}/configmaps/${cluster.configMapName}`;

  /** The stored Corefile ConfigMap, bypassing HTTP. */
  const configMap = (): StoredConfigMap => {
    const object = sandbox.getObject("configmaps", cluster.configMapNamespace, cluster.configMapName);
    if (!object) throw new Error("the Corefile ConfigMap does not exist");
    return object as StoredConfigMap;
  };

  /** PUTs the ConfigMap with `change` applied to its data, as field manager `manager`; returns the new resourceVersion. */
  const changeData = async (change: (data: Record<string, string>) => Record<string, string>, manager: string): Promise<string> => {
    const current = configMap();
    const { managedFields: _managedFields, ...metadata } = current.metadata;
    const body = { ...current, metadata, data: change({ ...current.data }) };
    const response = await fetch(`${sandbox.url}${configMapPath}?fieldManager=${encodeURIComponent(manager)}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as StoredConfigMap;
    if (response.status !== 200) throw new Error(`PUT answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer.metadata.resourceVersion;
  };

  return {
    sandbox,
    db: database.db,
    cluster,
    dir,
    configMap,
    changeData,
    /** Replaces the Corefile key as `manager` (a write made outside Coredeck). */
    writeCorefile: (text: string, manager = "ops-script") =>
      changeData((data) => ({ ...data, [cluster.configMapKey]: text }), manager),
    /** POSTs to one of the sandbox's `/_sandbox/...` endpoints, as a test driving it from outside would. */
    async admin(endpoint: string, body: unknown = {}): Promise<unknown> {
      const response = await fetch(`${sandbox.url}/_sandbox/${endpoint}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.status !== 200) throw new Error(`/_sandbox/${endpoint} answered ${response.status}`);
      return response.json();
    },
    /** The cluster's revisions, oldest first. */
    revisions: () => database.db.revision.findMany({ where: { clusterId: cluster.id }, orderBy: { number: "asc" } }),
    async dispose() {
      await sandbox.close();
      await database.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Polls `check` until it returns a value other than undefined/false, and returns that value; throws with
 * `description` when `timeoutMs` passes first. Tests wait for outcomes with it instead of sleeping.
 */
export async function waitFor<T>(
  description: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
