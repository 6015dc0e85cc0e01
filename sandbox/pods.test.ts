import { afterEach, describe, expect, it } from "vitest";
import { goFloat, queriesServed } from "./metrics";
import { reloadHash as engineReloadHash } from "@/lib/corefile/reload-hash";
import { sha512 } from "./pods";
import { startSandbox, type Sandbox, type SandboxOptions } from "./server";
import { call, eventually, parseMetrics, sumMetric } from "./testing";

const FAST = { kubeletSyncMs: 50, pollMs: 50, jitterMs: 10 };
const CM = "/api/v1/namespaces/kube-system/configmaps/coredns";

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function start(options: SandboxOptions = {}): Promise<Sandbox> {
  sb = await startSandbox(options);
  return sb;
}

async function scrape(s: Sandbox, pod: string): Promise<{ text: string; contentType: string | null; metrics: Map<string, number> }> {
  const res = await fetch(`${s.url}/api/v1/namespaces/kube-system/pods/${pod}:9153/proxy/metrics`);
  const text = await res.text();
  return { text, contentType: res.headers.get("content-type"), metrics: parseMetrics(text) };
}

function reloadHash(text: string): string | undefined {
  return /^coredns_reload_version_info\{hash="sha512",value="([0-9a-f]+)"\} 1$/m.exec(text)?.[1];
}

const putCorefile = (s: Sandbox, corefile: string) =>
  call(s, "PATCH", CM, { data: { Corefile: corefile } }, { "Content-Type": "application/merge-patch+json" });

const NEW_COREFILE = `.:53 {
    errors
    health
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    reload
}
consul:53 {
    errors
    cache 30
    forward . 10.96.200.53
}
`;

/** The reload hash CoreDNS publishes for a Corefile mounted at /etc/coredns/Corefile. */
function hashAsCoreDns(corefile: string): string {
  const result = engineReloadHash(corefile, { filename: "/etc/coredns/Corefile" });
  if (!result.ok) throw new Error(result.error.message);
  return result.hash;
}

describe("simulated CoreDNS reload", () => {
  it("publishes the new Corefile's hash on both pods after a ConfigMap update", async () => {
    const s = await start({ reload: FAST });
    const pods = s.pods().map((p) => p.name);
    expect(pods).toHaveLength(2);
    const before = await scrape(s, pods[0]!);
    expect(reloadHash(before.text)).toBe(s.pods()[0]!.loadedHash);

    await putCorefile(s, NEW_COREFILE);
    const wanted = hashAsCoreDns(NEW_COREFILE);
    const reloaded = await eventually(async () => {
      const hashes = await Promise.all(pods.map(async (p) => reloadHash((await scrape(s, p)).text)));
      return hashes.every((h) => h === wanted);
    });
    expect(reloaded).toBe(true);
    expect(s.pods().map((p) => [p.loadedCorefile === NEW_COREFILE, p.reloads, p.reloadFailures])).toEqual([
      [true, 1, 0],
      [true, 1, 0],
    ]);

    // The metric labels follow the loaded Corefile: a second server block and its upstream appear.
    const after = await scrape(s, pods[0]!);
    expect(after.text).toContain('coredns_dns_requests_total{family="1",proto="udp",server="dns://:53",type="A",view="",zone="consul."}');
    expect(after.text).toMatch(/coredns_proxy_request_duration_seconds_count\{proxy_name="forward",rcode="NOERROR",to="10\.96\.200\.53:53"\} \d+/);
  });

  it("keeps the old Corefile and counts a failed reload when the validator rejects the new one", async () => {
    const rejectedHash = "f".repeat(128);
    const s = await start({
      reload: FAST,
      corefileValidator: (text) => (text.includes("bogus") ? { ok: false, error: "Unknown directive 'bogus'", hash: rejectedHash } : { ok: true, hash: sha512(text) }),
    });
    const original = s.pods().map((p) => ({ corefile: p.loadedCorefile, hash: p.loadedHash }));
    await putCorefile(s, ".:53 {\n    bogus\n}\n");
    expect(await eventually(() => s.pods().every((p) => p.reloadFailures === 1))).toBe(true);

    for (const [i, pod] of s.pods().entries()) {
      expect(pod.loadedCorefile).toBe(original[i]!.corefile);
      expect(pod.loadedHash).toBe(original[i]!.hash);
      expect(pod.lastReloadError).toBe("Unknown directive 'bogus'");
      const { metrics, text } = await scrape(s, pod.name);
      expect(metrics.get("coredns_reload_failed_total")).toBe(1);
      // Like CoreDNS, the hash of the file it tried last is published even though it failed.
      expect(reloadHash(text)).toBe(rejectedHash);
    }
  });

  it("lets tests run the reload poll directly", async () => {
    const s = await start({ reload: { kubeletSyncMs: 0, pollMs: 3_600_000, jitterMs: 0 } });
    await putCorefile(s, NEW_COREFILE);
    expect(await eventually(() => s.pods().every((p) => p.mountedCorefile === NEW_COREFILE))).toBe(true);
    expect(s.pods().every((p) => p.loadedCorefile !== NEW_COREFILE)).toBe(true);
    s.pollPodsNow();
    expect(s.pods().every((p) => p.loadedCorefile === NEW_COREFILE)).toBe(true);
  });
});

describe("simulated CoreDNS metrics", () => {
  it("grows counters between two scrapes, from an injected clock", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const s = await start({ clock: () => now, load: { qps: 100, errorRatio: 0.1 } });
    const pod = s.pods()[0]!.name;
    const first = (await scrape(s, pod)).metrics;
    now += 10_000;
    const second = (await scrape(s, pod)).metrics;

    const requests = sumMetric(second, "coredns_dns_requests_total") - sumMetric(first, "coredns_dns_requests_total");
    // About qps * 10 s (the rate oscillates by at most ±25 %, and each series rounds down).
    expect(requests).toBeGreaterThan(700);
    expect(requests).toBeLessThan(1300);
    const responses = sumMetric(second, "coredns_dns_responses_total") - sumMetric(first, "coredns_dns_responses_total");
    const errors =
      sumMetric(second, "coredns_dns_responses_total", { rcode: "SERVFAIL" }) +
      sumMetric(second, "coredns_dns_responses_total", { rcode: "NXDOMAIN" }) -
      sumMetric(first, "coredns_dns_responses_total", { rcode: "SERVFAIL" }) -
      sumMetric(first, "coredns_dns_responses_total", { rcode: "NXDOMAIN" });
    expect(errors / responses).toBeGreaterThan(0.08);
    expect(errors / responses).toBeLessThan(0.12);
    for (const family of ["coredns_cache_hits_total", "coredns_cache_misses_total", "coredns_dns_request_duration_seconds_count", "process_cpu_seconds_total"]) {
      expect(sumMetric(second, family), family).toBeGreaterThan(sumMetric(first, family));
    }
  });

  it("speaks Prometheus text 0.0.4 with CoreDNS 1.14.7's families and labels", async () => {
    const s = await start();
    const { text, contentType, metrics } = await scrape(s, s.pods()[1]!.name);
    expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    const types = Object.fromEntries([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
    expect(types).toMatchObject({
      coredns_build_info: "gauge",
      coredns_dns_requests_total: "counter",
      coredns_dns_responses_total: "counter",
      coredns_dns_request_duration_seconds: "histogram",
      coredns_dns_request_size_bytes: "histogram",
      coredns_dns_response_size_bytes: "histogram",
      coredns_cache_hits_total: "counter",
      coredns_cache_misses_total: "counter",
      coredns_cache_entries: "gauge",
      coredns_proxy_request_duration_seconds: "histogram",
      coredns_plugin_enabled: "gauge",
      coredns_reload_version_info: "gauge",
      coredns_reload_failed_total: "counter",
      coredns_panics_total: "counter",
      process_start_time_seconds: "gauge",
      go_goroutines: "gauge",
    });
    // 1.14 has no coredns_forward_requests_total: forward traffic is coredns_proxy_* with proxy_name="forward".
    expect(types.coredns_forward_requests_total).toBeUndefined();
    expect(text).toMatch(/^coredns_build_info\{goversion="go[\d.]+",revision="[^"]*",version="1\.14\.7"\} 1$/m);
    expect(text).toMatch(/^coredns_dns_responses_total\{plugin="loadbalance",rcode="NOERROR",server="dns:\/\/:53",view="",zone="\."\} /m);
    expect(text).toMatch(/^coredns_cache_hits_total\{server="dns:\/\/:53",type="success",view="",zones="\."\} /m);

    const enabled = [...text.matchAll(/^coredns_plugin_enabled\{name="([^"]+)",server="dns:\/\/:53",view="",zone="\."\} 1$/gm)].map((m) => m[1]).sort();
    expect(enabled).toEqual(["cache", "errors", "forward", "kubernetes", "loadbalance", "loop", "prometheus"]);

    // Histogram buckets are cumulative and end with +Inf = _count.
    const buckets = [...text.matchAll(/^coredns_dns_request_duration_seconds_bucket\{server="dns:\/\/:53",view="",zone="\.",le="([^"]+)"\} (\S+)$/gm)];
    expect(buckets.map((b) => b[1])).toEqual(["0.00025", "0.0005", "0.001", "0.002", "0.004", "0.008", "0.016", "0.032", "0.064", "0.128", "0.256", "0.512", "1.024", "2.048", "4.096", "8.192", "+Inf"]);
    const counts = buckets.map((b) => Number(b[2]));
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    expect(counts.at(-1)).toBe(metrics.get('coredns_dns_request_duration_seconds_count{server="dns://:53",view="",zone="."}'));
  });

  it("serves health, readiness and errors through the proxy like a real pod", async () => {
    const s = await start();
    const pod = s.pods()[0]!.name;
    const base = `${s.url}/api/v1/namespaces/kube-system`;
    const get = async (p: string) => {
      const res = await fetch(`${base}/${p}`);
      return { status: res.status, text: await res.text() };
    };
    expect((await get(`pods/${pod}/proxy/metrics`)).text).toContain("coredns_dns_requests_total");
    expect((await get(`pods/http:${pod}:9153/proxy/metrics`)).text).toContain("coredns_dns_requests_total");
    expect((await get(`services/kube-dns:metrics/proxy/metrics`)).text).toContain("coredns_dns_requests_total");
    expect(await get(`pods/${pod}:8080/proxy/health`)).toEqual({ status: 200, text: "OK" });
    expect(await get(`pods/${pod}:8181/proxy/ready`)).toEqual({ status: 200, text: "OK" });
    expect(await get(`pods/${pod}:9153/proxy/nope`)).toEqual({ status: 404, text: "404 page not found\n" });

    const refused = await get(`pods/${pod}:1234/proxy/metrics`);
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.text)).toMatchObject({ kind: "Status", reason: "ServiceUnavailable", code: 503 });
    expect(JSON.parse(refused.text).message).toMatch(/^error trying to reach service: dial tcp 127\.0\.0\.1:1234: connect: connection refused$/);

    const missing = await get("pods/coredns-nope-xxxxx:9153/proxy/metrics");
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).message).toBe('pods "coredns-nope-xxxxx" not found');
  });
});

describe("metric helpers", () => {
  it("formats floats like Go's strconv 'g' formatting in the Prometheus client", () => {
    expect(goFloat(15018)).toBe("15018");
    expect(goFloat(999999)).toBe("999999");
    expect(goFloat(1048576)).toBe("1.048576e+06");
    expect(goFloat(0.00025)).toBe("0.00025");
    expect(goFloat(0.00001)).toBe("1e-05");
    expect(goFloat(0)).toBe("0");
    expect(goFloat(Infinity)).toBe("+Inf");
  });

  it("counts queries monotonically from the load profile", () => {
    const load = { qps: 20, errorRatio: 0 };
    let previous = -1;
    for (let t = 0; t < 1200; t += 7) {
      const n = queriesServed(load, t, 0.5);
      expect(n).toBeGreaterThanOrEqual(previous);
      previous = n;
    }
    expect(queriesServed(load, 600, 0)).toBe(12000);
  });

});

describe("simulated CoreDNS reload, decided by the Corefile engine", () => {
  it("rejects what CoreDNS rejects, with CoreDNS's error, and still publishes the rejected file's hash", async () => {
    const s = await start({ reload: FAST });
    const original = s.pods().map((p) => p.loadedHash);
    const broken = ".:53 {\n    forward . 8.8.8.8 {\n        max_fails lots\n    }\n    reload\n}\n";
    await putCorefile(s, broken);
    expect(await eventually(() => s.pods().every((p) => p.reloadFailures === 1))).toBe(true);
    for (const [i, pod] of s.pods().entries()) {
      expect(pod.loadedHash).toBe(original[i]);
      expect(pod.lastReloadError).toMatch(/max_fails|ParseUint/);
      const { metrics, text } = await scrape(s, pod.name);
      expect(metrics.get("coredns_reload_failed_total")).toBe(1);
      expect(reloadHash(text)).toBe(hashAsCoreDns(broken));
    }
  });

  it("ignores a comment-only change: the parsed Corefile, and so its hash, is the same", async () => {
    const s = await start({ reload: { kubeletSyncMs: 0, pollMs: 3_600_000, jitterMs: 0 } });
    const before = s.pods().map((p) => [p.loadedHash, p.reloads]);
    const seeded = s.pods()[0]!.loadedCorefile;
    const commented = seeded.replace("errors", "errors # logged to stdout");
    await putCorefile(s, commented);
    expect(await eventually(() => s.pods().every((p) => p.mountedCorefile === commented))).toBe(true);
    s.pollPodsNow();
    expect(s.pods().map((p) => [p.loadedHash, p.reloads])).toEqual(before);
  });

  it("does not count a file that does not even parse as a failed reload (CoreDNS only warns)", async () => {
    const s = await start({ reload: { kubeletSyncMs: 0, pollMs: 3_600_000, jitterMs: 0 } });
    await putCorefile(s, ".:53 {\n    errors\n");
    expect(await eventually(() => s.pods().every((p) => p.mountedCorefile.endsWith("errors\n")))).toBe(true);
    s.pollPodsNow();
    for (const pod of s.pods()) {
      expect(pod.reloadFailures).toBe(0);
      expect(pod.lastReloadError).toMatch(/Syntax error/);
    }
  });

  it("stops noticing changes once it loaded a Corefile without reload", async () => {
    const s = await start({ reload: { kubeletSyncMs: 0, pollMs: 3_600_000, jitterMs: 0 } });
    const withoutReload = ".:53 {\n    errors\n    forward . 10.96.200.53\n}\n";
    await putCorefile(s, withoutReload);
    expect(await eventually(() => s.pods().every((p) => p.mountedCorefile === withoutReload))).toBe(true);
    s.pollPodsNow();
    expect(s.pods().every((p) => p.loadedCorefile === withoutReload && !p.reloadActive)).toBe(true);

    await putCorefile(s, NEW_COREFILE);
    expect(await eventually(() => s.pods().every((p) => p.mountedCorefile === NEW_COREFILE))).toBe(true);
    s.pollPodsNow();
    expect(s.pods().every((p) => p.loadedCorefile === withoutReload)).toBe(true);
  });
});
