import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/db/test-database";
import { findCluster, listClusters, registerCluster, registerClustersFromEnvironment, toClusterName } from "./clusters";
import { selectCluster } from "./select-cluster";

let database: ReturnType<typeof createTestDatabase>;
let dir: string;

beforeEach(() => {
  database = createTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), "coredeck-clusters-"));
});

afterEach(async () => {
  await database.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function writeKubeconfig(contexts: string[]): string {
  const file = path.join(dir, "config");
  const yaml = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    ...contexts.flatMap((name) => [`- name: ${name}-cluster`, "  cluster:", `    server: https://127.0.0.1:6443`]),
    "users:",
    "- name: someone",
    "  user:",
    "    token: abc",
    "contexts:",
    ...contexts.flatMap((name) => [`- name: ${name}`, "  context:", `    cluster: ${name}-cluster`, "    user: someone"]),
    `current-context: ${contexts[0]}`,
  ].join("\n");
  writeFileSync(file, yaml);
  return file;
}

describe("registerCluster", () => {
  it("creates, then updates the cluster of the same name", async () => {
    await registerCluster({ name: "sandbox", connection: "sandbox", kubeconfigPath: "/a" }, database.db);
    await registerCluster({ name: "sandbox", connection: "sandbox", kubeconfigPath: "/b", configMapKey: "Corefile.custom" }, database.db);
    const clusters = await listClusters(database.db);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({ name: "sandbox", kubeconfigPath: "/b", configMapKey: "Corefile.custom" });
  });

  it("rejects names that cannot appear in a URL and kubeconfig connections without a path", async () => {
    await expect(registerCluster({ name: "Prod Cluster", connection: "in-cluster" }, database.db)).rejects.toThrow(/lower-case/);
    await expect(registerCluster({ name: "prod", connection: "kubeconfig" }, database.db)).rejects.toThrow(/kubeconfig path/);
    expect(await listClusters(database.db)).toEqual([]);
  });
});

describe("registerClustersFromEnvironment", () => {
  it("registers every context of KUBECONFIG and keeps custom ConfigMap settings on the next start", async () => {
    const kubeconfig = writeKubeconfig(["kind-dev", "gke_acme_europe-west1_prod"]);
    const env = { KUBECONFIG: kubeconfig, HOME: dir };

    const first = await registerClustersFromEnvironment(env, database.db);
    expect(first.map((cluster) => cluster.name).sort()).toEqual(["gke-acme-europe-west1-prod", "kind-dev"]);
    expect(await findCluster("kind-dev", database.db)).toMatchObject({
      connection: "kubeconfig",
      kubeconfigPath: kubeconfig,
      kubeconfigContext: "kind-dev",
    });

    await registerCluster(
      { name: "kind-dev", connection: "kubeconfig", kubeconfigPath: kubeconfig, kubeconfigContext: "kind-dev", configMapName: "coredns-custom" },
      database.db,
    );
    await registerClustersFromEnvironment(env, database.db);
    expect((await findCluster("kind-dev", database.db))?.configMapName).toBe("coredns-custom");
  });

  it("registers nothing when there is no kubeconfig and no service account", async () => {
    expect(await registerClustersFromEnvironment({ HOME: dir }, database.db)).toEqual([]);
  });
});

describe("toClusterName and selectCluster", () => {
  it("makes context names URL-safe", () => {
    expect(toClusterName("arn:aws:eks:eu-west-1:123:cluster/Prod")).toBe("arn-aws-eks-eu-west-1-123-cluster-prod");
    expect(toClusterName("***")).toBe("cluster");
  });

  it("prefers the requested cluster, then the remembered one, then the first", async () => {
    await registerCluster({ name: "a", connection: "in-cluster" }, database.db);
    await registerCluster({ name: "b", connection: "in-cluster" }, database.db);
    const clusters = await listClusters(database.db);
    expect(selectCluster(clusters, "b", "a")?.name).toBe("b");
    expect(selectCluster(clusters, "missing", "b")?.name).toBe("b");
    expect(selectCluster(clusters, undefined, undefined)?.name).toBe("a");
    expect(selectCluster([], "a", "b")).toBeNull();
  });
});
