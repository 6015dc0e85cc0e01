/**
 * The in-cluster connection as a pod sees it: KUBERNETES_SERVICE_HOST/PORT, and a service-account folder with a
 * token, a CA certificate and a namespace. Outside a pod the folder is a temporary one (COREDECK_IN_CLUSTER_PATH_PREFIX)
 * and the "API server" is the sandbox behind a TLS front whose certificate that CA signed, so client-node's real
 * loadFromCluster() path runs: https, CA trust, bearer token from the file.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCluster, registerClustersFromEnvironment } from "@/lib/clusters/clusters";
import { createTestDatabase } from "@/lib/db/test-database";
import { createKubernetesConfigMapSource } from "@/lib/drift/configmap-source";
import { checkReadiness } from "@/lib/health/health";
import { startSandbox, type Sandbox } from "@/sandbox/server";
import { readCorefile } from "./corefile-configmap";
import { isInCluster, SERVICE_ACCOUNT_DIR } from "./contexts";
import { KubernetesError } from "./errors";
import { listCoreDnsPods } from "./pods";

const TOKEN = "in-cluster-test-token";

describe("in-cluster connection (service account)", () => {
  let dir: string;
  let sandbox: Sandbox;
  let front: https.Server;
  let database: ReturnType<typeof createTestDatabase>;
  const authorizations: string[] = [];
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "coredeck-in-cluster-"));
    const accountDir = path.join(dir, SERVICE_ACCOUNT_DIR);
    mkdirSync(accountDir, { recursive: true });
    // A self-signed certificate for 127.0.0.1 plays the cluster CA and the API server's certificate at once.
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=kubernetes", "-addext", "subjectAltName=IP:127.0.0.1",
      "-keyout", path.join(dir, "server.key"), "-out", path.join(accountDir, "ca.crt"),
    ], { stdio: "ignore" });
    writeFileSync(path.join(accountDir, "token"), TOKEN);
    writeFileSync(path.join(accountDir, "namespace"), "coredeck");

    sandbox = await startSandbox({ port: 0 });
    const target = new URL(sandbox.url);
    front = https.createServer(
      { key: readFileSync(path.join(dir, "server.key")), cert: readFileSync(path.join(accountDir, "ca.crt")) },
      (req, res) => {
        authorizations.push(req.headers.authorization ?? "");
        const upstream = http.request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            // A watch answers headers first and events later: pass the headers on at once, as an API server does.
            res.flushHeaders();
            answer.pipe(res);
          },
        );
        upstream.on("error", () => res.destroy());
        req.pipe(upstream);
      },
    );
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));

    process.env.KUBERNETES_SERVICE_HOST = "127.0.0.1";
    process.env.KUBERNETES_SERVICE_PORT = String((front.address() as AddressInfo).port);
    process.env.COREDECK_IN_CLUSTER_PATH_PREFIX = dir;
    database = createTestDatabase();
  });

  afterAll(async () => {
    process.env = savedEnv;
    front.closeAllConnections();
    await new Promise((resolve) => front.close(resolve));
    await sandbox.close();
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is detected only with KUBERNETES_SERVICE_HOST and a token file", () => {
    expect(isInCluster(process.env)).toBe(true);
    expect(isInCluster({ ...process.env, KUBERNETES_SERVICE_HOST: undefined })).toBe(false);
    expect(isInCluster({ ...process.env, COREDECK_IN_CLUSTER_PATH_PREFIX: path.join(dir, "elsewhere") })).toBe(false);
  });

  it("registers the pod's cluster as in-cluster and reads the Corefile over https with the service-account token", async () => {
    const registered = await registerClustersFromEnvironment({ ...process.env, KUBECONFIG: path.join(dir, "none") }, database.db);
    expect(registered.map((c) => [c.name, c.connection])).toEqual([["in-cluster", "in-cluster"]]);
    const cluster = (await findCluster("in-cluster", database.db))!;

    authorizations.length = 0;
    const live = await readCorefile(cluster, { namespace: "kube-system", name: "coredns", key: "Corefile" });
    const stored = sandbox.getObject("configmaps", "kube-system", "coredns") as { data: Record<string, string> };
    expect(live.text).toBe(stored.data.Corefile);
    expect(authorizations).toEqual([`Bearer ${TOKEN}`]);

    const pods = await listCoreDnsPods(cluster, "kube-system", "k8s-app=kube-dns");
    expect(pods.length).toBe(sandbox.pods().length);
  });

  it("opens the drift watch through the same credentials (the raw streamed request)", async () => {
    const cluster = (await findCluster("in-cluster", database.db))!;
    const source = createKubernetesConfigMapSource(cluster);
    const { resourceVersion } = await source.list();
    authorizations.length = 0;
    const controller = new AbortController();
    const opened = new Promise<void>((resolve, reject) => {
      source.watch(resourceVersion, { onOpen: resolve, onEvent: () => undefined }, controller.signal).catch(reject);
    });
    await opened;
    controller.abort();
    expect(authorizations).toEqual([`Bearer ${TOKEN}`]);
  });

  it("passes the readiness check against the pod's cluster", async () => {
    const report = await checkReadiness({ openDb: () => database.db, env: process.env });
    expect(report.status).toBe("ok");
    expect(report.checks.kubernetes).toMatchObject({ status: "ok", cluster: "in-cluster" });
  });

  it("refuses an API server whose certificate the service account's CA did not sign", async () => {
    const otherDir = path.join(dir, "other");
    const otherAccount = path.join(otherDir, SERVICE_ACCOUNT_DIR);
    mkdirSync(otherAccount, { recursive: true });
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=another-ca", "-keyout", path.join(otherDir, "ca.key"), "-out", path.join(otherAccount, "ca.crt"),
    ], { stdio: "ignore" });
    writeFileSync(path.join(otherAccount, "token"), TOKEN);
    process.env.COREDECK_IN_CLUSTER_PATH_PREFIX = otherDir;
    try {
      const error = await readCorefile(
        { name: "in-cluster", connection: "in-cluster" },
        { namespace: "kube-system", name: "coredns", key: "Corefile" },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KubernetesError);
      expect((error as KubernetesError).code).toBe("UNREACHABLE");
    } finally {
      process.env.COREDECK_IN_CLUSTER_PATH_PREFIX = dir;
    }
  });

  it("says it is not in a pod when the kubelet's variables are missing", async () => {
    const port = process.env.KUBERNETES_SERVICE_PORT;
    delete process.env.KUBERNETES_SERVICE_PORT;
    try {
      const error = await readCorefile(
        { name: "in-cluster", connection: "in-cluster" },
        { namespace: "kube-system", name: "coredns", key: "Corefile" },
      ).catch((e: unknown) => e);
      expect((error as KubernetesError).code).toBe("CONFIG");
      expect((error as KubernetesError).message).toMatch(/does not run in a pod/);
    } finally {
      process.env.KUBERNETES_SERVICE_PORT = port;
    }
  });
});
