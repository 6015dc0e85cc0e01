/** The sandbox driven by the real @kubernetes/client-node 1.4, as the product uses it. */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ApiException, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, Watch } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "./server";

let sb: Sandbox;
let dir: string;
let kc: KubeConfig;
let api: CoreV1Api;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "sandbox-client-"));
  sb = await startSandbox({ kubeconfigPath: path.join(dir, "kubeconfig") });
  kc = new KubeConfig();
  kc.loadFromFile(sb.kubeconfigPath!);
  api = kc.makeApiClient(CoreV1Api);
});
afterEach(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("@kubernetes/client-node against the sandbox", () => {
  it("loads the written kubeconfig (context sandbox) and reads the coredns ConfigMap", async () => {
    expect(kc.getCurrentContext()).toBe("sandbox");
    expect(kc.getCurrentCluster()?.server).toBe(sb.url);
    const cm = await api.readNamespacedConfigMap({ name: "coredns", namespace: "kube-system" });
    expect(cm.data?.Corefile).toContain("kubernetes cluster.local in-addr.arpa ip6.arpa");
    expect(cm.metadata?.resourceVersion).toMatch(/^\d+$/);
  });

  it("rejects a replace with a stale resourceVersion as ApiException 409", async () => {
    const cm = await api.readNamespacedConfigMap({ name: "coredns", namespace: "kube-system" });
    await api.replaceNamespacedConfigMap({ name: "coredns", namespace: "kube-system", body: { ...cm, data: { Corefile: "first" } } });
    const stale = api.replaceNamespacedConfigMap({ name: "coredns", namespace: "kube-system", body: { ...cm, data: { Corefile: "second" } } });
    const error = await stale.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiException);
    const apiError = error as ApiException<string>;
    expect(apiError.code).toBe(409);
    const status = JSON.parse(apiError.body) as { reason: string; message: string };
    expect(status.reason).toBe("Conflict");
    expect(status.message).toContain("the object has been modified");
  });

  it("merge-patches with setHeaderOptions and records the field manager", async () => {
    const patched = await api.patchNamespacedConfigMap(
      { name: "coredns", namespace: "kube-system", body: { data: { extra: "1" } }, fieldManager: "coredeck" },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(patched.data?.extra).toBe("1");
    expect(patched.metadata?.managedFields?.map((m) => m.manager)).toContain("coredeck");
  });

  it("delivers a MODIFIED event to the Watch class", async () => {
    const cm = await api.readNamespacedConfigMap({ name: "coredns", namespace: "kube-system" });
    const watch = new Watch(kc);
    const received = new Promise<{ type: string; object: { data?: Record<string, string> } }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no MODIFIED event within 5 s")), 5000);
      void watch
        .watch(
          "/api/v1/namespaces/kube-system/configmaps",
          { fieldSelector: "metadata.name=coredns", resourceVersion: cm.metadata!.resourceVersion },
          (type, object) => {
            if (type === "MODIFIED") {
              clearTimeout(timer);
              resolve({ type, object });
            }
          },
          (err) => {
            if (err) reject(err);
          },
        )
        .then(async (controller) => {
          await api.patchNamespacedConfigMap(
            { name: "coredns", namespace: "kube-system", body: { data: { watched: "yes" } } },
            setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
          );
          void received.finally(() => controller.abort());
        });
    });
    const event = await received;
    expect(event.object.data?.watched).toBe("yes");
  });

  it("hands a 410 Expired ERROR event to the Watch callback for a too-old resourceVersion", async () => {
    await sb.close();
    sb = await startSandbox({ kubeconfigPath: path.join(dir, "kubeconfig"), watchCacheSize: 1 });
    kc.loadFromFile(sb.kubeconfigPath!);
    api = kc.makeApiClient(CoreV1Api);
    const first = await api.readNamespacedConfigMap({ name: "coredns", namespace: "kube-system" });
    for (const v of ["1", "2"]) {
      await api.patchNamespacedConfigMap(
        { name: "coredns", namespace: "kube-system", body: { data: { v } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
    }
    const event = await new Promise<{ type: string; object: { code?: number; reason?: string } }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no event within 5 s")), 5000);
      void new Watch(kc).watch(
        "/api/v1/namespaces/kube-system/configmaps",
        { resourceVersion: first.metadata!.resourceVersion },
        (type, object) => {
          clearTimeout(timer);
          resolve({ type, object });
        },
        () => undefined,
      );
    });
    expect(event).toMatchObject({ type: "ERROR", object: { code: 410, reason: "Expired" } });
  });

  it("lists the CoreDNS pods by label and reads metrics through the pod proxy", async () => {
    const pods = await api.listNamespacedPod({ namespace: "kube-system", labelSelector: "k8s-app=kube-dns" });
    expect(pods.items).toHaveLength(2);
    const name = pods.items[0]!.metadata!.name!;
    const metrics = await api.connectGetNamespacedPodProxyWithPath({ name: `${name}:9153`, namespace: "kube-system", path: "metrics" });
    expect(metrics).toContain('coredns_build_info{goversion="');
    expect(metrics).toContain('version="1.14.7"');
  });
});
