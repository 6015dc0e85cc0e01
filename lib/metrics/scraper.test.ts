/**
 * Discovery and scraping against the sandbox cluster over HTTP: the pods come from the API's pod list, the port from
 * the live Corefile, and every page through the API server's pod proxy. Faults are armed on the sandbox.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDriftEnvironment, type DriftEnvironment } from "@/lib/drift/test-environment";
import { discoverScrapeTargets, findMetricsEndpoint } from "./discovery";
import { scrapePods, type ScrapeResult } from "./scraper";

let env: DriftEnvironment;

beforeEach(async () => {
  env = await createDriftEnvironment();
});

afterEach(async () => {
  env.sandbox.faults.reset();
  await env.dispose();
});

function byPod(results: ScrapeResult[]): Record<string, ScrapeResult> {
  return Object.fromEntries(results.map((r) => [r.pod, r]));
}

describe("findMetricsEndpoint", () => {
  it("takes the first address the pod IP answers on, in file order", () => {
    expect(findMetricsEndpoint(".:53 {\n    prometheus :9153\n}\n")).toEqual({ port: 9153, source: "found" });
    const corefile = "example.org:53 {\n    prometheus localhost:9300\n}\n.:53 {\n    prometheus 0.0.0.0:9254\n}\nconsul:53 {\n    prometheus :9999\n}\n";
    expect(findMetricsEndpoint(corefile)).toEqual({ port: 9254, source: "found" });
    expect(findMetricsEndpoint(".:53 {\n    prometheus [::]:9155\n}\n").port).toBe(9155);
  });

  it("reports metrics that only loopback can reach, and a Corefile without prometheus", () => {
    expect(findMetricsEndpoint(".:53 {\n    prometheus\n    forward . 1.1.1.1\n}\n")).toMatchObject({ port: 9153, source: "loopback-only" });
    expect(findMetricsEndpoint(".:53 {\n    prometheus 127.0.0.1:9200\n}\n")).toMatchObject({ port: 9200, source: "loopback-only" });
    expect(findMetricsEndpoint(".:53 {\n    forward . 1.1.1.1\n}\n")).toMatchObject({ port: 9153, source: "absent" });
  });
});

describe("discoverScrapeTargets", () => {
  it("lists the CoreDNS pods by the cluster's label selector and reads the port from the live Corefile", async () => {
    const discovery = await discoverScrapeTargets(env.cluster);
    expect(discovery.endpoint).toEqual({ port: 9153, source: "found" });
    expect(discovery.targets.map((t) => [t.pod.name, t.pod.podIP, t.port])).toEqual(
      env.sandbox
        .pods()
        .map((p) => [p.name, p.ip, 9153])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });
});

describe("scrapePods through the pod proxy", () => {
  it("scrapes both pods", async () => {
    const { targets } = await discoverScrapeTargets(env.cluster);
    const results = await scrapePods(env.cluster, targets);
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result).toMatchObject({ ok: true });
      if (result.ok) expect(result.text).toContain("coredns_dns_requests_total");
    }
  });

  it("reports a hung pod and a slow pod as timeouts without failing the other pod", async () => {
    const { targets } = await discoverScrapeTargets(env.cluster);
    const [hung, healthy] = targets.map((t) => t.pod.name) as [string, string];
    env.sandbox.faults.hangNext({ pathPrefix: `/api/v1/namespaces/kube-system/pods/${hung}:9153/proxy`, count: 1 });
    let results = byPod(await scrapePods(env.cluster, targets, { timeoutMs: 300 }));
    expect(results[hung]).toMatchObject({ ok: false, code: "TIMEOUT" });
    expect(results[healthy]).toMatchObject({ ok: true });

    await env.admin("faults/delay", { ms: 1500, pathPrefix: `/api/v1/namespaces/kube-system/pods/${healthy}:9153/proxy` });
    results = byPod(await scrapePods(env.cluster, targets, { timeoutMs: 300 }));
    expect(results[healthy]).toMatchObject({ ok: false, code: "TIMEOUT" });
    expect(results[hung]).toMatchObject({ ok: true });
  });

  it("aborts a page larger than the size limit and says so", async () => {
    const { targets } = await discoverScrapeTargets(env.cluster);
    const results = await scrapePods(env.cluster, targets, { maxBytes: 4096 });
    expect(results.map((r) => (r.ok ? "ok" : r.code))).toEqual(["TOO_LARGE", "TOO_LARGE"]);
    expect(results[0]!.ok ? "" : results[0]!.message).toMatch(/larger than 4096 bytes/);
  });

  it("limits how many pods are scraped at once", async () => {
    const { targets } = await discoverScrapeTargets(env.cluster);
    // Each page is delayed; one at a time, two pages take at least two delays.
    await env.admin("faults/delay", { ms: 200, pathPrefix: "/api/v1/namespaces/kube-system/pods/" });
    const results = await scrapePods(env.cluster, targets, { concurrency: 1 });
    const [first, second] = [...results].sort((a, b) => a.startedAt - b.startedAt);
    expect(second!.startedAt - first!.startedAt).toBeGreaterThanOrEqual(first!.durationMs - 5);
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it("reports a pod deleted since the list as gone", async () => {
    const { targets } = await discoverScrapeTargets(env.cluster);
    const [gone, kept] = targets.map((t) => t.pod.name) as [string, string];
    await env.sandbox.restartPod(gone);
    const results = byPod(await scrapePods(env.cluster, targets));
    expect(results[gone]).toMatchObject({ ok: false, code: "POD_GONE" });
    expect(results[kept]).toMatchObject({ ok: true });
    const again = await discoverScrapeTargets(env.cluster);
    expect(again.targets.map((t) => t.pod.name)).not.toContain(gone);
    expect(again.targets).toHaveLength(2);
  });
});
