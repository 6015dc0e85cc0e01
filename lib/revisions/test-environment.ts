/**
 * A throw-away world for apply tests and the apply benchmark: a sandbox cluster on 127.0.0.1, a migrated
 * temporary SQLite file, and the sandbox registered as a cluster. Optionally a proxy in front of the sandbox
 * that can swallow answers after the sandbox has acted on the request (a response lost on the way back).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { registerCluster } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { createTestDatabase } from "@/lib/db/test-database";
import { writeKubeconfig } from "@/sandbox/kubeconfig";
import { startSandbox, type KubeObject, type Sandbox } from "@/sandbox/server";

export type StoredConfigMap = KubeObject & {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  metadata: KubeObject["metadata"] & { resourceVersion: string; labels?: Record<string, string>; annotations?: Record<string, string> };
};

export type LossyProxy = {
  url: string;
  /** The next `count` requests with this method reach the sandbox, which acts on them, but their answer never comes back. */
  swallowResponses(spec: { method: string; count?: number; afterForward?: () => void }): void;
  close(): Promise<void>;
};

export type ApplyEnvironment = Awaited<ReturnType<typeof createApplyEnvironment>>;

/** Starts the sandbox, the database and (with `lossyProxy`) the proxy; `dispose()` removes everything. */
export async function createApplyEnvironment(options: { lossyProxy?: boolean } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "coredeck-apply-"));
  const sandbox: Sandbox = await startSandbox({ port: 0, kubeconfigPath: path.join(dir, "sandbox.kubeconfig") });
  const database = createTestDatabase();
  let proxy: LossyProxy | undefined;
  let kubeconfigPath = path.join(dir, "sandbox.kubeconfig");
  if (options.lossyProxy) {
    proxy = await startLossyProxy(sandbox.url);
    kubeconfigPath = path.join(dir, "proxy.kubeconfig");
    writeKubeconfig(kubeconfigPath, proxy.url);
  }
  const cluster: ClusterSummary = await registerCluster({ name: "sandbox", connection: "sandbox", kubeconfigPath }, database.db);

  return {
    sandbox,
    db: database.db,
    cluster,
    proxy,
    dir,
    /** The stored Corefile ConfigMap, bypassing HTTP. */
    configMap(): StoredConfigMap {
      const object = sandbox.getObject("configmaps", cluster.configMapNamespace, cluster.configMapName);
      if (!object) throw new Error("the Corefile ConfigMap does not exist");
      return object as StoredConfigMap;
    },
    async dispose() {
      await proxy?.close();
      await sandbox.close();
      await database.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An HTTP proxy on 127.0.0.1 in front of `target` (another 127.0.0.1 server). */
export async function startLossyProxy(target: string): Promise<LossyProxy> {
  const swallow: { method: string; remaining: number; afterForward?: () => void }[] = [];
  const open = new Set<ServerResponse>();
  const upstream = new URL(target);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const rule = swallow.find((candidate) => candidate.remaining > 0 && candidate.method === req.method);
    if (rule) rule.remaining--;
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (rule) {
          // The sandbox has acted on the request; its answer is dropped and the client waits until it gives up.
          answer.resume();
          answer.on("end", () => rule.afterForward?.());
          open.add(res);
          res.on("close", () => open.delete(res));
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    swallowResponses(spec) {
      swallow.push({ method: spec.method, remaining: spec.count ?? 1, afterForward: spec.afterForward });
    },
    close() {
      for (const res of open) res.destroy();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
