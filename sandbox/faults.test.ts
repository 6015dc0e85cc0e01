import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sandboxOptionsFromEnv } from "./env";
import { startSandbox, type Sandbox } from "./server";
import { call, collectWatch } from "./testing";

const CM = "/api/v1/namespaces/kube-system/configmaps";
let sb: Sandbox;
beforeEach(async () => {
  sb = await startSandbox();
});
afterEach(async () => {
  await sb.close();
});

describe("fault injection", () => {
  it("fails the next N matching requests with 500, then recovers", async () => {
    sb.faults.failNext({ count: 2, pathPrefix: `${CM}/coredns` });
    expect((await call(sb, "GET", "/api/v1/namespaces")).status).toBe(200); // does not match
    const first = await call(sb, "GET", `${CM}/coredns`);
    expect(first.status).toBe(500);
    expect(first.body).toMatchObject({ kind: "Status", status: "Failure", reason: "InternalError", code: 500 });
    expect((await call(sb, "GET", `${CM}/coredns`)).status).toBe(500);
    expect((await call(sb, "GET", `${CM}/coredns`)).status).toBe(200);
  });

  it("fails with a 403 worded like RBAC, naming the verb, resource and namespace", async () => {
    sb.faults.failNext({ status: 403, verb: "update" });
    const current = (await call(sb, "GET", `${CM}/coredns`)).body;
    const res = await call(sb, "PUT", `${CM}/coredns`, current);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      reason: "Forbidden",
      code: 403,
      details: { name: "coredns", kind: "configmaps" },
      message:
        'configmaps "coredns" is forbidden: User "system:serviceaccount:coredeck:coredeck" cannot update resource "configmaps" in API group "" in the namespace "kube-system"',
    });
    sb.faults.failNext({ status: 403, method: "GET", user: "jane" });
    const list = await call(sb, "GET", "/api/v1/namespaces");
    expect(list.body.message).toBe('namespaces is forbidden: User "jane" cannot list resource "namespaces" in API group "" at the cluster scope');
  });

  it("can match only the requests of one exact User-Agent", async () => {
    sb.faults.failNext({ status: 403, userAgent: "coredeck/0.1", pathPrefix: CM });
    expect((await call(sb, "GET", `${CM}/coredns`, undefined, { "User-Agent": "coredeck/0.1 (metrics)" })).status).toBe(200);
    expect((await call(sb, "GET", `${CM}/coredns`)).status).toBe(200);
    expect((await call(sb, "GET", `${CM}/coredns`, undefined, { "User-Agent": "coredeck/0.1" })).status).toBe(403);
    expect((await call(sb, "GET", `${CM}/coredns`, undefined, { "User-Agent": "coredeck/0.1" })).status).toBe(200);
  });

  it("hangs a request until the client gives up", async () => {
    sb.faults.hangNext({ method: "GET", pathPrefix: `${CM}/coredns` });
    const hung = fetch(`${sb.url}${CM}/coredns`, { signal: AbortSignal.timeout(300) });
    await expect(hung).rejects.toThrow();
    expect((await call(sb, "GET", `${CM}/coredns`)).status).toBe(200);
  });

  it("delays responses until reset", async () => {
    sb.faults.delay({ ms: 5000, pathPrefix: `${CM}/coredns` });
    const slow = fetch(`${sb.url}${CM}/coredns`, { signal: AbortSignal.timeout(200) });
    await expect(slow).rejects.toThrow();
    sb.faults.reset();
    expect((await call(sb, "GET", `${CM}/coredns`)).status).toBe(200);
  });

  it("is driven over HTTP under /_sandbox", async () => {
    const armed = await call(sb, "POST", "/_sandbox/faults/fail", { status: 503, count: 1, verb: "list" });
    expect(armed.body.fails).toEqual([{ status: 503, count: 1, verb: "list" }]);
    const failed = await call(sb, "GET", CM);
    expect(failed.status).toBe(503);
    expect(failed.body.reason).toBe("ServiceUnavailable");

    await call(sb, "POST", "/_sandbox/faults/hang", { verb: "get" });
    await call(sb, "POST", "/_sandbox/reset");
    expect((await call(sb, "GET", `${CM}/coredns`)).status).toBe(200);

    const watching = collectWatch(sb, `${CM}?watch=true`, { timeoutMs: 5000 });
    await expect.poll(() => sb.openWatches()).toBe(1);
    expect((await call(sb, "POST", "/_sandbox/watches/end")).body).toEqual({ ended: 1 });
    expect((await watching).ended).toBe(true);

    const state = await call(sb, "GET", "/_sandbox/state");
    expect(state.body.pods).toHaveLength(2);
    expect(state.body.resourceVersion).toBe(sb.resourceVersion());
    expect((await call(sb, "GET", "/_sandbox/nope")).status).toBe(404);
  });

  it("ends hanging requests when the sandbox closes", async () => {
    sb.faults.hangNext();
    const hung = fetch(`${sb.url}${CM}/coredns`);
    await new Promise((r) => setTimeout(r, 50));
    await sb.close();
    await expect(hung).rejects.toThrow();
  });
});

describe("sandboxOptionsFromEnv", () => {
  it("reads the SANDBOX_* variables", () => {
    expect(
      sandboxOptionsFromEnv({ SANDBOX_PORT: "0", SANDBOX_HOST: "127.0.0.2", SANDBOX_RELOAD_SCALE: "0.01", SANDBOX_QPS: "5", SANDBOX_ERROR_RATIO: "0.2", SANDBOX_KUBECONFIG: "/tmp/k" }),
    ).toEqual({
      port: 0,
      host: "127.0.0.2",
      kubeconfigPath: "/tmp/k",
      reload: { kubeletSyncMs: 600, pollMs: 300, jitterMs: 150 },
      load: { qps: 5, errorRatio: 0.2 },
    });
    expect(sandboxOptionsFromEnv({})).toEqual({});
    expect(() => sandboxOptionsFromEnv({ SANDBOX_ERROR_RATIO: "2" })).toThrow(/SANDBOX_ERROR_RATIO/);
  });
});
