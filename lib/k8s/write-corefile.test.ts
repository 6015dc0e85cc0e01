import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CoreV1Api, KubeConfig, type V1ConfigMap } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type KubeObject, type Sandbox } from "@/sandbox/server";
import type { ClusterConnection } from "./connection";
import { KubernetesError } from "./errors";
import {
  CONFIGMAP_SIZE_LIMIT,
  ConfigMapTooLargeError,
  CorefileConflictError,
  createCorefileConfigMap,
  measureConfigMapSize,
  replaceCorefile,
  updateCorefileConfigMap,
  readCorefileConfigMap,
} from "./write-corefile";

const LOCATION = { namespace: "kube-system", name: "coredns", key: "Corefile" };
let sandbox: Sandbox;
let dir: string;
let cluster: ClusterConnection;
let api: CoreV1Api;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "coredeck-write-"));
  sandbox = await startSandbox({ port: 0, kubeconfigPath: path.join(dir, "kubeconfig") });
  cluster = { name: "sandbox", connection: "sandbox", kubeconfigPath: sandbox.kubeconfigPath ?? null };
  const kc = new KubeConfig();
  kc.loadFromFile(path.join(dir, "kubeconfig"));
  api = kc.makeApiClient(CoreV1Api);
});

afterEach(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

type StoredConfigMap = KubeObject & { metadata: KubeObject["metadata"] & { resourceVersion: string } };

function stored(name = LOCATION.name): StoredConfigMap {
  return sandbox.getObject("configmaps", LOCATION.namespace, name) as StoredConfigMap;
}

/** The ConfigMap as client-node reads it (typed for a PUT body). */
function read(name = LOCATION.name): Promise<V1ConfigMap> {
  return api.readNamespacedConfigMap({ name, namespace: LOCATION.namespace });
}

async function caught(work: Promise<unknown>): Promise<KubernetesError> {
  const error = await work.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(KubernetesError);
  return error as KubernetesError;
}

const NEW_COREFILE = ".:53 {\n    errors\n    forward . 1.1.1.1\n    cache 60\n}\n";

describe("replaceCorefile", () => {
  it("replaces only the Corefile key; other keys, binaryData, labels and annotations survive byte for byte", async () => {
    const before = await read();
    const extra = {
      "custom.server": "example.org:53 {\n  forward . 10.0.0.1\n}\n",
      "weird.txt": "tabs\there, trailing spaces   \r\nunicode ünïcødé 🚀\n\n\n",
    };
    const binary = { "blob.bin": Buffer.from([0, 1, 2, 255, 254, 10, 13]).toString("base64") };
    const seeded = await api.replaceNamespacedConfigMap({
      name: LOCATION.name,
      namespace: LOCATION.namespace,
      body: {
        ...before,
        metadata: {
          ...before.metadata,
          labels: { "k8s-app": "kube-dns", team: "platform" },
          annotations: { "note.example.com/owner": "dns team\nsecond line" },
        },
        data: { ...before.data, ...extra },
        binaryData: binary,
      },
    });

    const written = await replaceCorefile(cluster, LOCATION, {
      text: NEW_COREFILE,
      baseResourceVersion: seeded.metadata?.resourceVersion ?? "",
    });

    const after = stored();
    expect(after.data?.Corefile).toBe(NEW_COREFILE);
    expect(written).toEqual({ text: NEW_COREFILE, resourceVersion: after.metadata.resourceVersion });
    expect(Object.keys(after.data ?? {})).toEqual(["Corefile", "custom.server", "weird.txt"]);
    expect(after.data?.["custom.server"]).toBe(extra["custom.server"]);
    expect(after.data?.["weird.txt"]).toBe(extra["weird.txt"]);
    expect(after.binaryData).toEqual(binary);
    expect(after.metadata.labels).toEqual({ "k8s-app": "kube-dns", team: "platform" });
    expect(after.metadata.annotations).toEqual({ "note.example.com/owner": "dns team\nsecond line" });
    const managers = (after.metadata.managedFields as { manager: string }[]).map((entry) => entry.manager);
    expect(managers).toContain("coredeck");
  });

  it("refuses a stale base before writing and carries the live text and resourceVersion", async () => {
    const base = stored().metadata.resourceVersion;
    const moved = await replaceCorefile(cluster, LOCATION, { text: NEW_COREFILE, baseResourceVersion: base });

    const error = await caught(replaceCorefile(cluster, LOCATION, { text: `${NEW_COREFILE}# mine\n`, baseResourceVersion: base }));
    expect(error).toBeInstanceOf(CorefileConflictError);
    expect(error.code).toBe("CONFLICT");
    expect((error as CorefileConflictError).live).toEqual({ text: NEW_COREFILE, resourceVersion: moved.resourceVersion });
    expect(stored().metadata.resourceVersion).toBe(moved.resourceVersion);
  });

  it("sends the base resourceVersion, so a write between its GET and its PUT is a 409", async () => {
    const current = await readCorefileConfigMap(cluster, LOCATION);
    // Someone else writes after our read.
    await api.replaceNamespacedConfigMap({
      name: LOCATION.name,
      namespace: LOCATION.namespace,
      body: { ...current.configMap, data: { ...current.configMap.data, Corefile: "# theirs\n" } },
    });
    const theirs = stored().metadata.resourceVersion;

    const error = await caught(
      updateCorefileConfigMap(cluster, LOCATION, current.configMap, { text: NEW_COREFILE, baseResourceVersion: current.resourceVersion }),
    );
    expect(error).toMatchObject({ code: "CONFLICT", status: 409 });
    expect((error as CorefileConflictError).live).toEqual({ text: "# theirs\n", resourceVersion: theirs });
    expect(stored().data?.Corefile).toBe("# theirs\n");
  });

  it("refuses more than 1 MiB of ConfigMap data before sending anything, counting the other keys too", async () => {
    const before = await read();
    const padding = "x".repeat(600_000);
    const seeded = await api.replaceNamespacedConfigMap({
      name: LOCATION.name,
      namespace: LOCATION.namespace,
      body: { ...before, data: { ...before.data, padding } },
    });
    const base = seeded.metadata?.resourceVersion ?? "";
    const text = `# ${"y".repeat(500_000)}\n`;

    const error = await caught(replaceCorefile(cluster, LOCATION, { text, baseResourceVersion: base }));
    expect(error).toBeInstanceOf(ConfigMapTooLargeError);
    const size = "Corefile".length + text.length + "padding".length + padding.length;
    expect(error).toMatchObject({ code: "INVALID", size, limit: CONFIGMAP_SIZE_LIMIT });
    expect(error.message).toContain(size.toLocaleString("en-US"));
    expect(error.message).toContain("1,048,576 bytes");
    expect(stored().metadata.resourceVersion).toBe(base);
  });

  it("counts UTF-8 bytes and decoded binaryData", () => {
    expect(measureConfigMapSize({ data: { a: "é" } })).toBe(3);
    expect(measureConfigMapSize({ binaryData: { b: Buffer.from([1, 2, 3, 4]).toString("base64") } })).toBe(5);
    expect(measureConfigMapSize({})).toBe(0);
  });

  it("names the missing update verb on a 403 and writes nothing", async () => {
    const base = stored().metadata.resourceVersion;
    sandbox.faults.failNext({ status: 403, method: "PUT" });
    const error = await caught(replaceCorefile(cluster, LOCATION, { text: NEW_COREFILE, baseResourceVersion: base }));
    expect(error).toMatchObject({ code: "FORBIDDEN", status: 403 });
    expect(error.message).toContain('"update" verb on "configmaps"');
    expect(error.message).toContain('namespace "kube-system"');
    expect(stored().metadata.resourceVersion).toBe(base);
  });

  it("names the get verb when the read is forbidden", async () => {
    sandbox.faults.failNext({ status: 403, method: "GET" });
    const error = await caught(replaceCorefile(cluster, LOCATION, { text: NEW_COREFILE, baseResourceVersion: "1" }));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toContain('"get" verb on "configmaps"');
  });

  it("refuses to write an immutable ConfigMap", async () => {
    const before = await read();
    const seeded = await api.replaceNamespacedConfigMap({
      name: LOCATION.name,
      namespace: LOCATION.namespace,
      body: { ...before, immutable: true },
    });
    const error = await caught(
      replaceCorefile(cluster, LOCATION, { text: NEW_COREFILE, baseResourceVersion: seeded.metadata?.resourceVersion ?? "" }),
    );
    expect(error.code).toBe("INVALID");
    expect(error.message).toContain("immutable");
  });

  it("adds the key when the ConfigMap exists without it", async () => {
    const before = await read();
    const seeded = await api.replaceNamespacedConfigMap({
      name: LOCATION.name,
      namespace: LOCATION.namespace,
      body: { ...before, data: { other: "1" } },
    });
    await replaceCorefile(cluster, LOCATION, { text: NEW_COREFILE, baseResourceVersion: seeded.metadata?.resourceVersion ?? "" });
    expect(stored().data).toEqual({ other: "1", Corefile: NEW_COREFILE });
  });
});

describe("createCorefileConfigMap", () => {
  const MISSING = { ...LOCATION, name: "coredns-new" };

  it("reports NOT_FOUND for a missing ConfigMap, then creates it with the Corefile as its only key", async () => {
    const missing = await caught(replaceCorefile(cluster, MISSING, { text: NEW_COREFILE, baseResourceVersion: "1" }));
    expect(missing).toMatchObject({ code: "NOT_FOUND", status: 404 });

    const created = await createCorefileConfigMap(cluster, MISSING, NEW_COREFILE);
    const object = stored(MISSING.name);
    expect(object.data).toEqual({ Corefile: NEW_COREFILE });
    expect(created).toEqual({ text: NEW_COREFILE, resourceVersion: object.metadata.resourceVersion });
    expect((object.metadata.managedFields as { manager: string }[]).map((entry) => entry.manager)).toContain("coredeck");
  });

  it("reports a ConfigMap created meanwhile as CONFLICT with its text", async () => {
    await createCorefileConfigMap(cluster, MISSING, "# first\n");
    const error = await caught(createCorefileConfigMap(cluster, MISSING, NEW_COREFILE));
    expect(error).toBeInstanceOf(CorefileConflictError);
    expect((error as CorefileConflictError).live?.text).toBe("# first\n");
  });

  it("names the create verb on a 403", async () => {
    sandbox.faults.failNext({ status: 403, method: "POST" });
    const error = await caught(createCorefileConfigMap(cluster, MISSING, NEW_COREFILE));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toContain('"create" verb on "configmaps"');
    expect(stored(MISSING.name)).toBeUndefined();
  });
});
