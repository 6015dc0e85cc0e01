import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "@/sandbox/server";
import type { ClusterConnection } from "./connection";
import { readCorefile } from "./corefile-configmap";
import { KubernetesError } from "./errors";
import { listCoreDnsPods } from "./pods";
import { runAsComponent } from "./user-agent";

const LOCATION = { namespace: "kube-system", name: "coredns", key: "Corefile" };
let sandbox: Sandbox;
let dir: string;
let cluster: ClusterConnection;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "coredeck-k8s-"));
  sandbox = await startSandbox({ port: 0, kubeconfigPath: path.join(dir, "kubeconfig") });
  cluster = { name: "sandbox", connection: "sandbox", kubeconfigPath: sandbox.kubeconfigPath ?? null };
});

afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => sandbox.faults.reset());

async function catchKubernetesError(work: Promise<unknown>): Promise<KubernetesError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KubernetesError);
  return error as KubernetesError;
}

describe("readCorefile against the sandbox cluster", () => {
  it("reads the Corefile text byte for byte, with its resourceVersion and the other keys", async () => {
    const live = await readCorefile(cluster, LOCATION);
    const stored = sandbox.getObject("configmaps", "kube-system", "coredns") as {
      data: Record<string, string>;
      metadata: { resourceVersion: string };
    };
    expect(live.text).toBe(stored.data.Corefile);
    expect(live.text).toContain("kubernetes cluster.local in-addr.arpa ip6.arpa");
    expect(live.resourceVersion).toBe(stored.metadata.resourceVersion);
    expect(live.otherKeys).toEqual(Object.keys(stored.data).filter((key) => key !== "Corefile"));
  });

  it("reports a missing key with the keys that exist", async () => {
    const error = await catchKubernetesError(readCorefile(cluster, { ...LOCATION, key: "Corefile.missing" }));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toContain('has no key "Corefile.missing"');
    expect(error.message).toContain("Corefile");
  });

  it("reports a missing ConfigMap as NOT_FOUND with cluster and namespace", async () => {
    const error = await catchKubernetesError(readCorefile(cluster, { ...LOCATION, name: "nope" }));
    expect(error).toMatchObject({ code: "NOT_FOUND", status: 404, cluster: "sandbox", namespace: "kube-system" });
  });

  it("names the missing RBAC permission on a 403", async () => {
    sandbox.faults.failNext({ status: 403, count: 1 });
    const error = await catchKubernetesError(readCorefile(cluster, LOCATION));
    expect(error).toMatchObject({ code: "FORBIDDEN", status: 403, cluster: "sandbox", namespace: "kube-system" });
    expect(error.message).toContain('"get" verb on "configmaps"');
    expect(error.serverMessage).toMatch(/forbidden/);
  });

  it("says in its User-Agent which background part of Coredeck made a call", async () => {
    // The fault refuses only the metrics collector's calls: a page's own read still succeeds.
    sandbox.faults.failNext({ status: 403, count: 1, userAgent: "coredeck/0.1 (metrics)" });
    await expect(readCorefile(cluster, LOCATION)).resolves.toMatchObject({ text: expect.stringContaining("kubernetes") });
    const error = await catchKubernetesError(runAsComponent("metrics", () => readCorefile(cluster, LOCATION)));
    expect(error).toMatchObject({ code: "FORBIDDEN", status: 403 });
  });

  it("turns a 500 into SERVER_ERROR and recovers on the next call", async () => {
    sandbox.faults.failNext({ status: 500, count: 1 });
    const error = await catchKubernetesError(readCorefile(cluster, LOCATION));
    expect(error).toMatchObject({ code: "SERVER_ERROR", status: 500 });
    await expect(readCorefile(cluster, LOCATION)).resolves.toMatchObject({ cluster: "sandbox" });
  });

  it("gives up on a hanging API server after the timeout", async () => {
    sandbox.faults.hangNext({ count: 1 });
    const error = await catchKubernetesError(readCorefile(cluster, LOCATION, { timeoutMs: 300 }));
    expect(error.code).toBe("TIMEOUT");
    expect(error.message).toContain('cluster "sandbox"');
  });

  it("reports an API server that is not running as UNREACHABLE", async () => {
    const freePort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const closed = await startSandbox({ port: freePort, kubeconfigPath: path.join(dir, "closed.kubeconfig") });
    await closed.close();
    const error = await catchKubernetesError(
      readCorefile({ name: "gone", connection: "kubeconfig", kubeconfigPath: path.join(dir, "closed.kubeconfig") }, LOCATION),
    );
    expect(error.code).toBe("UNREACHABLE");
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("reports a kubeconfig that cannot be loaded as CONFIG", async () => {
    const error = await catchKubernetesError(
      readCorefile({ name: "broken", connection: "kubeconfig", kubeconfigPath: path.join(dir, "does-not-exist") }, LOCATION),
    );
    expect(error.code).toBe("CONFIG");
    const wrongContext = await catchKubernetesError(
      readCorefile({ ...cluster, connection: "kubeconfig", kubeconfigContext: "prod" }, LOCATION),
    );
    expect(wrongContext.message).toContain('context "prod"');
  });
});

describe("listCoreDnsPods against the sandbox cluster", () => {
  it("lists the two running CoreDNS pods by label", async () => {
    const pods = await listCoreDnsPods(cluster, "kube-system", "k8s-app=kube-dns");
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod).toMatchObject({ namespace: "kube-system", phase: "Running", isReady: true, image: "coredns/coredns:1.14.7" });
      expect(pod.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
    expect(await listCoreDnsPods(cluster, "kube-system", "k8s-app=something-else")).toEqual([]);
  });

  it("names the list permission on a 403", async () => {
    sandbox.faults.failNext({ status: 403, count: 1 });
    const error = await catchKubernetesError(listCoreDnsPods(cluster, "kube-system", "k8s-app=kube-dns"));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toContain('"list" verb on "pods"');
  });
});
