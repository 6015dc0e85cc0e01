/**
 * Live query against the sandbox cluster: the pods come from the Kubernetes API (client-node over HTTP), the DNS
 * questions go over real UDP and TCP sockets to the simulated pods on 127.0.0.1.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerCluster } from "@/lib/clusters/clusters";
import { createDriftEnvironment, type DriftEnvironment } from "@/lib/drift/test-environment";
import { eventually } from "@/sandbox/testing";
import { liveQuery, liveQueryInputSchema, type LivePodResult } from "./live-query";

let env: DriftEnvironment;

beforeEach(async () => {
  env = await createDriftEnvironment({ sandbox: { reload: { kubeletSyncMs: 10, pollMs: 3_600_000, jitterMs: 0 } } });
});

afterEach(async () => {
  env.sandbox.faults.reset();
  await env.dispose();
});

const addressesOf = (r: LivePodResult) => r.answers.map((a) => (a.data.kind === "A" ? a.data.address : a.data.kind));
const queriesSeen = () => env.sandbox.pods().reduce((n, p) => n + p.dnsQueries, 0);

describe("liveQuery", () => {
  it("asks every CoreDNS pod over UDP and TCP and returns each one's rcode, flags, answers and latency", async () => {
    const result = await liveQuery(env.cluster, { name: "kubernetes.default.svc.cluster.local", type: "A" });
    expect(result).toMatchObject({ ok: true, cluster: "sandbox", name: "kubernetes.default.svc.cluster.local.", type: "A" });
    if (!result.ok) return;
    const pods = env.sandbox.pods();
    expect(result.results.map((r) => [r.pod, r.transport, r.target])).toEqual(
      pods
        .map((p) => p.name)
        .sort()
        .flatMap((name) => {
          const port = pods.find((p) => p.name === name)!.dnsPort;
          return [
            [name, "udp", `127.0.0.1:${port}`],
            [name, "tcp", `127.0.0.1:${port}`],
          ];
        }),
    );
    for (const r of result.results) {
      expect(r).toMatchObject({ rcode: 0, rcodeName: "NOERROR", flags: { qr: true, aa: true, tc: false } });
      expect(r.error).toBeUndefined();
      expect(addressesOf(r)).toEqual(["10.96.0.1"]);
      expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(queriesSeen()).toBe(4);
  });

  it("reports NXDOMAIN for a missing Service and the Service's address for a seeded one, with one transport if asked", async () => {
    const missing = await liveQuery(env.cluster, { name: "missing.default.svc.cluster.local.", type: "A", transports: ["tcp"] });
    expect(missing.ok && missing.results.map((r) => [r.transport, r.rcodeName, r.authority[0]?.type])).toEqual([
      ["tcp", "NXDOMAIN", 6],
      ["tcp", "NXDOMAIN", 6],
    ]);
    const frontend = await liveQuery(env.cluster, { name: "frontend.default.svc.cluster.local", type: "a", concurrency: 1 });
    expect(frontend.ok && frontend.results.map(addressesOf)).toEqual([["10.96.120.15"], ["10.96.120.15"], ["10.96.120.15"], ["10.96.120.15"]]);
  });

  it("gives a pod that does not answer its own error and still returns the others' answers", async () => {
    await env.writeCorefile(".:53 {\n    forward . 8.8.8.8 {\n        max_fails lots\n    }\n}\n");
    const [broken, healthy] = env.sandbox.pods().map((p) => p.name) as [string, string];
    // Restarted into a Corefile CoreDNS rejects, the pod crash-loops: no process answers on its port.
    expect(await eventually(() => env.sandbox.pods().every((p) => p.mountedCorefile.includes("max_fails")))).toBe(true);
    const replacement = (await env.sandbox.restartPod(broken))!;
    expect(replacement.isReady).toBe(false);

    const result = await liveQuery(env.cluster, { name: "kubernetes.default.svc.cluster.local", type: "A", timeoutMs: 300 });
    if (!result.ok) throw new Error(result.message);
    const byKey = Object.fromEntries(result.results.map((r) => [`${r.pod === healthy ? "healthy" : "broken"}/${r.transport}`, r]));
    expect(byKey["broken/udp"]!.error).toMatchObject({ code: "TIMEOUT" });
    expect(byKey["broken/udp"]!.error!.message).toContain("within 300 ms");
    expect(byKey["broken/tcp"]!.error).toMatchObject({ code: "CLOSED" });
    expect(addressesOf(byKey["healthy/udp"]!)).toEqual(["10.96.0.1"]);
    expect(addressesOf(byKey["healthy/tcp"]!)).toEqual(["10.96.0.1"]);
  });

  it("refuses outside the cluster (a kubeconfig connection) without listing pods or sending a query", async () => {
    const outside = await registerCluster({ name: "remote", connection: "kubeconfig", kubeconfigPath: env.sandbox.kubeconfigPath! }, env.db);
    env.sandbox.faults.failNext({ status: 500, verb: "list" });
    const result = await liveQuery(outside, { name: "kubernetes.default.svc.cluster.local", type: "A" });
    expect(result).toMatchObject({ ok: false, code: "OUT_OF_CLUSTER" });
    expect(!result.ok && result.message).toContain("Only explain is available");
    expect(queriesSeen()).toBe(0);
    // The armed fault is still there: no pod list was requested either.
    const stillArmed = await liveQuery(env.cluster, { name: "kubernetes.default.svc.cluster.local", type: "A" });
    expect(stillArmed).toMatchObject({ ok: false, code: "PODS_UNAVAILABLE", kubernetes: { status: 500 } });
    expect(queriesSeen()).toBe(0);
  });

  it("refuses a name or type that cannot be asked, before anything is sent", async () => {
    expect(await liveQuery(env.cluster, { name: "a..b", type: "A" })).toMatchObject({ ok: false, code: "BAD_QUERY" });
    expect(await liveQuery(env.cluster, { name: "   ", type: "A" })).toMatchObject({ ok: false, code: "BAD_QUERY" });
    expect(await liveQuery(env.cluster, { name: `${"x".repeat(64)}.example`, type: "A" })).toMatchObject({ ok: false, code: "BAD_QUERY" });
    expect(await liveQuery(env.cluster, { name: "example.com", type: "NOPE" })).toMatchObject({ ok: false, code: "BAD_QUERY" });
    expect(queriesSeen()).toBe(0);
  });
});

describe("liveQueryInputSchema", () => {
  it("takes a name and a type only; an address is not part of the input", () => {
    expect(liveQueryInputSchema.parse({ name: " frontend.default.svc.cluster.local ", address: "169.254.169.254" })).toEqual({ name: "frontend.default.svc.cluster.local", type: "A" });
    expect(liveQueryInputSchema.safeParse({ name: "" }).success).toBe(false);
    expect(liveQueryInputSchema.safeParse({ name: "a.example", transports: ["http"] }).success).toBe(false);
  });
});
