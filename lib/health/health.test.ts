import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerCluster } from "@/lib/clusters/clusters";
import { createDb } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/db/test-database";
import { startSandbox, type Sandbox } from "@/sandbox/server";
import { createHealthEndpoint } from "./health-endpoint";
import type { HealthReport } from "./health";

/**
 * The health endpoint against the real Prisma client on a temporary SQLite file and the sandbox cluster over HTTP:
 * the API up, the API failing (sandbox faults), hanging, gone, and a database that cannot be opened.
 */
describe("/api/health", () => {
  let dir: string;
  let sandbox: Sandbox;
  let database: ReturnType<typeof createTestDatabase>;
  let logged: string[];

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "coredeck-health-"));
    sandbox = await startSandbox({ port: 0, kubeconfigPath: path.join(dir, "sandbox.kubeconfig") });
    database = createTestDatabase();
    await registerCluster({ name: "sandbox", connection: "sandbox", kubeconfigPath: sandbox.kubeconfigPath! }, database.db);
    logged = [];
  });

  afterEach(async () => {
    await sandbox.close();
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const endpoint = (options: Parameters<typeof createHealthEndpoint>[0] = {}) =>
    createHealthEndpoint({ openDb: () => database.db, env: {}, timeoutMs: 1_000, reuseMs: 0, log: (line) => logged.push(line), ...options });

  async function ask(handler: (request: Request) => Promise<Response>, query = ""): Promise<{ status: number; body: HealthReport; text: string }> {
    const response = await handler(new Request(`http://127.0.0.1/api/health${query}`));
    const text = await response.text();
    expect(response.headers.get("cache-control")).toBe("no-store");
    return { status: response.status, body: JSON.parse(text) as HealthReport, text };
  }

  /** Nothing in an answer may name the database file, the API server's address or the kubeconfig. */
  function expectNoInternals(text: string) {
    expect(text).not.toContain(dir);
    expect(text).not.toContain(database.dir);
    expect(text).not.toContain(sandbox.url);
    expect(text).not.toContain(String(sandbox.port));
    expect(text).not.toMatch(/\n\s+at |Error:|kubeconfig\b/);
  }

  it("answers 200 when the database and the sandbox's API answer", async () => {
    const { status, body, text } = await ask(endpoint());
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.probe).toBe("ready");
    expect(body.checks.database!.status).toBe("ok");
    expect(body.checks.kubernetes).toMatchObject({ status: "ok", cluster: "sandbox" });
    expectNoInternals(text);
    expect(logged).toEqual([]);
  });

  it("answers 503 naming the API server's error when the API fails (sandbox fault over HTTP), and recovers", async () => {
    const armed = await fetch(`${sandbox.url}/_sandbox/faults/fail`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ status: 503, verb: "get", pathPrefix: "/api/v1/namespaces/kube-system/configmaps/coredns" }),
    });
    expect(armed.status).toBe(200);
    const handler = endpoint();
    const failed = await ask(handler);
    expect(failed.status).toBe(503);
    expect(failed.body.status).toBe("fail");
    expect(failed.body.checks.database!.status).toBe("ok");
    expect(failed.body.checks.kubernetes).toMatchObject({ status: "fail", code: "SERVER_ERROR", cluster: "sandbox" });
    expectNoInternals(failed.text);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/health check "kubernetes" failed \(SERVER_ERROR\)/);

    const recovered = await ask(handler);
    expect(recovered.status).toBe(200);
    expect(logged[1]).toMatch(/health check "kubernetes" recovered/);
  });

  it("reports a 403 as a missing RBAC grant, without the API server's own message", async () => {
    sandbox.faults.failNext({ status: 403, verb: "get" });
    const { status, body, text } = await ask(endpoint());
    expect(status).toBe(503);
    expect(body.checks.kubernetes).toMatchObject({ status: "fail", code: "FORBIDDEN" });
    expect(body.checks.kubernetes!.message).toMatch(/Role and RoleBinding/);
    expect(text).not.toContain("system:serviceaccount");
  });

  it("answers 503 with TIMEOUT when the API server hangs, within the check timeout", async () => {
    sandbox.faults.hangNext({ verb: "get" });
    const started = Date.now();
    const { status, body } = await ask(endpoint({ timeoutMs: 300 }));
    expect(status).toBe(503);
    expect(body.checks.kubernetes).toMatchObject({ status: "fail", code: "TIMEOUT" });
    // Generous bound: the point is that the probe does not wait for client-node's 10 s default.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("answers 503 with UNREACHABLE when the API server is gone", async () => {
    await sandbox.close();
    const { status, body, text } = await ask(endpoint());
    expect(status).toBe(503);
    expect(body.checks.database!.status).toBe("ok");
    expect(body.checks.kubernetes).toMatchObject({ status: "fail", code: "UNREACHABLE" });
    expectNoInternals(text);
  });

  it("answers 503 with DB_ERROR when the database cannot be opened, while liveness stays 200", async () => {
    const missing = path.join(dir, "no-such-folder", "coredeck.db");
    const broken = createDb(`file:${missing}`);
    try {
      const handler = endpoint({ openDb: () => broken });
      const { status, body, text } = await ask(handler);
      expect(status).toBe(503);
      expect(body.checks.database).toMatchObject({ status: "fail", code: "DB_ERROR" });
      // Outside a pod the cluster to check is only known from the database.
      expect(body.checks.kubernetes).toMatchObject({ status: "skipped", code: "NO_CLUSTER" });
      expect(text).not.toContain(missing);
      expectNoInternals(text);
      expect(logged.join("\n")).toMatch(/health check "database" failed \(DB_ERROR\)/);

      const live = await ask(handler, "?probe=live");
      expect(live.status).toBe(200);
      expect(live.body).toMatchObject({ status: "ok", probe: "live" });
      expect(Object.keys(live.body.checks)).toEqual(["process"]);
    } finally {
      await broken.$disconnect().catch(() => undefined);
    }
  });

  it("refuses an unknown probe with 400", async () => {
    const response = await endpoint()(new Request("http://127.0.0.1/api/health?probe=deep"));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("INVALID_REQUEST");
  });

  it("skips the Kubernetes check when no cluster is registered", async () => {
    await database.db.cluster.deleteMany({});
    const { status, body } = await ask(endpoint());
    expect(status).toBe(200);
    expect(body.checks.kubernetes).toMatchObject({ status: "skipped", code: "NO_CLUSTER" });
  });

  it("shares one run between concurrent requests", async () => {
    let opened = 0;
    const handler = endpoint({
      reuseMs: 60_000,
      openDb: () => {
        opened++;
        return database.db;
      },
    });
    const answers = await Promise.all([ask(handler), ask(handler), ask(handler)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    // One readiness run opens the client twice: the SELECT 1 and the cluster lookup.
    expect(opened).toBe(2);
  });

  it("the route module answers through the app's own database (DATABASE_URL)", async () => {
    process.env.DATABASE_URL = database.url;
    try {
      const route = await import("@/app/api/health/route");
      const response = await route.GET(new Request("http://127.0.0.1/api/health"));
      expect(response.status).toBe(200);
      expect(((await response.json()) as HealthReport).checks.kubernetes!.cluster).toBe("sandbox");
      expect(readFileSync(path.join(process.cwd(), "app/api/health/route.ts"), "utf8")).not.toMatch(/prisma|client-node/i);
    } finally {
      delete process.env.DATABASE_URL;
    }
  });
});
