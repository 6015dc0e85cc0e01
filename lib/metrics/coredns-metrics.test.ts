import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { corpusPath } from "@/lib/testing/corpus";
import { queriesServed, renderPodMetrics, type PodMetricsInput } from "@/sandbox/metrics";
import { coreDnsReloadState, histogramQuantile, rate, rateByKey, readCoreDnsMetrics, subtractHistogram, type CoreDnsMetrics, type HistogramBucket } from "./coredns-metrics";
import { parseExposition } from "./exposition";

const CORPUS = corpusPath("metrics");
const KUBEADM_COREFILE = readFileSync(path.resolve(import.meta.dirname, "../../sandbox/seed/kubeadm-Corefile.conf"), "utf8");

const readCorpus = (relative: string) => readCoreDnsMetrics(parseExposition(readFileSync(path.join(CORPUS, relative), "utf8")));

const POD: PodMetricsInput = {
  now: Date.UTC(2025, 0, 1, 1),
  startedAt: Date.UTC(2025, 0, 1),
  phase: 0,
  load: { qps: 100, errorRatio: 0.03 },
  corefile: KUBEADM_COREFILE,
  reloadHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  reloadFailures: 2,
};
const readSandbox = (input: Partial<PodMetricsInput> = {}) => readCoreDnsMetrics(parseExposition(renderPodMetrics({ ...POD, ...input })));

describe("readCoreDnsMetrics on CoreDNS 1.1.0 (pre-1.7 names, proxy plugin)", () => {
  const m = readCorpus("datadog-integrations-core/metrics.txt");

  it("reads requests from coredns_dns_request_count_total and types from the type counter", () => {
    expect(m.naming).toBe("pre-1.7");
    expect(m.build).toEqual({ version: "1.1.0", revision: "c8d91500", goVersion: "go1.10" });
    expect(m.requests).toEqual({ total: 8219674, byType: { A: 4898455, AAAA: 3321219 }, byZone: { ".": 8219674 }, byServer: { "": 8219674 }, byZoneServer: { ".\u0000": 8219674 }, byProto: { tcp: 4, udp: 8219670 } });
  });

  it("reads responses from coredns_dns_response_rcode_count_total", () => {
    expect(m.responses).toEqual({ total: 8219674, byRcode: { NOERROR: 2011725, NXDOMAIN: 6207949 }, byPlugin: {} });
  });

  it("reads cache size as entries and the proxy plugin's upstream", () => {
    expect(m.cache).toEqual({ hits: 8218792, hitsByType: { denial: 8051403, success: 167389 }, misses: 882, requests: null, entries: 888, entriesByType: { denial: 836, success: 52 } });
    expect(m.upstreams).toHaveLength(1);
    expect(m.upstreams[0]).toMatchObject({ plugin: "proxy", to: "10.205.0.2:53", requests: 2031, responsesByRcode: {}, healthcheckFailures: null });
    expect(m.upstreams[0]!.duration).toMatchObject({ count: 2031, sum: 58.02421483200004 });
  });

  it("reads the request duration histogram and the process", () => {
    expect(m.requestDuration.all!.count).toBe(8219674);
    expect(m.requestDuration.all!.buckets).toHaveLength(17);
    expect(m.requestDuration.all!.buckets[0]).toEqual({ le: 0.00025, count: 7794767 });
    expect(m.requestDuration.all!.buckets.at(-1)).toEqual({ le: Infinity, count: 8219674 });
    expect(Object.keys(m.requestDuration.byServer)).toEqual([""]);
    expect(m.process).toEqual({ cpuSecondsTotal: 4985.38, residentMemoryBytes: 66215936, startTimeSeconds: 1533154018.74 });
    expect(m.reload).toEqual({ hash: null, hashFunction: null, failedTotal: null });
  });
});

describe("readCoreDnsMetrics on CoreDNS 1.5.0 (pre-1.7 names, forward plugin)", () => {
  const m = readCorpus("elastic-beats/coredns_1.5.0.plain");

  it("reads requests by zone and proto, and responses", () => {
    expect(m.requests.total).toBe(83 + 37 + 129 + 1972);
    expect(m.requests.byZone).toEqual({ ".": 212, "my.domain.elastic.": 2009 });
    expect(m.requests.byType).toEqual({ A: 1912 + 89, MX: 104 + 85, SOA: 19 + 12 });
    expect(m.responses.byRcode).toEqual({ NOERROR: 2179, NXDOMAIN: 42 });
    expect(m.panics).toBe(0);
  });

  it("reads coredns_forward_request_count_total and coredns_forward_response_rcode_count_total per upstream", () => {
    expect(m.upstreams.map((u) => [u.plugin, u.to, u.requests, u.responsesByRcode, u.duration?.count])).toEqual([
      ["forward", "8.8.4.4:53", 97, { NOERROR: 77, NXDOMAIN: 20 }, 97],
      ["forward", "8.8.8.8:53", 115, { NOERROR: 93, NXDOMAIN: 22 }, 115],
    ]);
  });

  it("reads the enabled plugins per server block", () => {
    expect(m.pluginsEnabled).toEqual([
      { server: "dns://:53", zone: "my.domain.elastic.", view: "", plugins: ["auto", "cache", "errors", "hosts", "log", "prometheus"] },
      { server: "dns://:53", zone: ".", view: "", plugins: ["errors", "forward", "log", "prometheus"] },
    ]);
  });
});

describe("readCoreDnsMetrics on 1.6.9 / 1.7.0 / 1.8.5 scrapes", () => {
  it("reads the 1.7.0 fixture whose responses sit under the old TYPE header", () => {
    const m = readCorpus("netdata-go.d.plugin/version170_some_load.txt");
    expect(m.naming).toBe("1.7+");
    expect(m.responses.byRcode).toEqual({ NOERROR: 19, REFUSED: 21, SERVFAIL: 42 });
    expect(m.requests.byServer).toEqual({ "": 21, "dns://:53": 24, "dns://:54": 37 });
  });

  it("reads 1.6.9 panics from coredns_panic_count_total and durations per server", () => {
    expect(readCorpus("netdata-go.d.plugin/version169_no_load.txt").panics).toBe(99);
    const m = readCorpus("netdata-go.d.plugin/version169_some_load.txt");
    expect(m.naming).toBe("pre-1.7");
    expect(m.panics).toBe(0);
    expect(Object.keys(m.requestDuration.byServer).sort()).toEqual(["", "dns://:53", "dns://:54"]);
    expect(m.requestDuration.byServer[""]!.count).toBe(21);
  });

  it("reads a build without version label and a scrape with nothing but build info", () => {
    const m = readCorpus("netdata-go.d.plugin/no_version_no_load.txt");
    expect(m.build).toEqual({ version: null, revision: "f59c03d", goVersion: "go1.14.4" });
    expect(m.requests.total).toBe(0);
    expect(m.cache.hits).toBeNull();
    expect(m.requestDuration.all).toBeNull();
  });

  it("reads 1.8.5's forward_* names (1.7 – 1.10) with rcode on the duration histogram", () => {
    const m = readCorpus("wild/datadog-integrations-core-1.txt");
    expect(m.upstreams).toEqual([
      expect.objectContaining({ plugin: "forward", to: "127.0.0.11:53", requests: 1, responsesByRcode: { NOERROR: 1 } }),
    ]);
    expect(m.forwardHealthcheckBroken).toBe(0);
    expect(m.reload.failedTotal).toBe(0);
    // The cache plugin is in use but has not counted a hit yet.
    expect(m.cache).toMatchObject({ hits: 0, misses: 2, requests: 2 });
  });

  it("reads responses by answering plugin (plugin label)", () => {
    const m = readCorpus("wild/icyflame-blog-1.txt");
    expect(m.responses.byPlugin).toEqual({ "": 458, blocker: 5191, forward: 218955 + 2073 + 2232 + 426 });
  });
});

describe("readCoreDnsMetrics on the sandbox's CoreDNS 1.14.7", () => {
  const m = readSandbox();
  const served = queriesServed(POD.load, 3600, POD.phase);

  it("reads the same kinds of quantities as on an old release", () => {
    const old = readCorpus("elastic-beats/coredns_1.5.0.plain");
    const kinds = (x: CoreDnsMetrics) => ({
      build: x.build !== null,
      total: x.requests.total > 0,
      byType: Object.keys(x.requests.byType).length > 0,
      byZone: Object.keys(x.requests.byZone).length > 0,
      byProto: Object.keys(x.requests.byProto).length > 0,
      byRcode: Object.keys(x.responses.byRcode).length > 0,
      duration: x.requestDuration.all?.buckets.at(-1)?.le === Infinity,
      cacheHits: x.cache.hits !== null,
      cacheEntries: x.cache.entries !== null,
      forward: x.upstreams.some((u) => u.plugin === "forward" && u.requests !== null && u.duration !== null && Object.keys(u.responsesByRcode).length > 0),
      panics: x.panics !== null,
      plugins: x.pluginsEnabled.length > 0,
      process: x.process.cpuSecondsTotal !== null && x.process.residentMemoryBytes !== null && x.process.startTimeSeconds !== null,
    });
    expect(kinds(m)).toEqual(kinds(old));
    expect(m.naming).toBe("1.7+");
  });

  it("reads values the sandbox derives from the queries served", () => {
    expect(m.build).toEqual({ version: "1.14.7", revision: "sandbox", goVersion: "go1.25.5" });
    expect(m.requestDuration.all!.count).toBe(served);
    expect(m.cache.requests).toBe(served);
    expect(m.cache.hits! + m.cache.misses!).toBe(served);
    expect(Object.keys(m.requests.byType).sort()).toEqual(["A", "AAAA", "PTR", "SRV", "other"]);
    expect(m.responses.byPlugin).toHaveProperty("loadbalance");
    expect(m.process.startTimeSeconds).toBe(POD.startedAt / 1000);
  });

  it("reads the proxy_* upstream metrics (proxy_name=forward): requests from the histogram count", () => {
    expect(m.upstreams).toHaveLength(1);
    const upstream = m.upstreams[0]!;
    expect(upstream).toMatchObject({ plugin: "forward", to: "172.18.0.1:53" });
    const byRcode = upstream.responsesByRcode;
    expect(Object.keys(byRcode).sort()).toEqual(["NOERROR", "NXDOMAIN", "SERVFAIL"]);
    expect(upstream.requests).toBe(byRcode.NOERROR! + byRcode.NXDOMAIN! + byRcode.SERVFAIL!);
    expect(upstream.duration!.count).toBe(upstream.requests);
  });

  it("reads the reload hash and failures", () => {
    expect(m.reload).toEqual({ hash: POD.reloadHash, hashFunction: "sha512", failedTotal: 2 });
    expect(coreDnsReloadState(parseExposition(renderPodMetrics(POD)))).toEqual({ hash: POD.reloadHash, failedTotal: 2 });
  });

  it("gives rates and latency quantiles from two scrapes 15 s apart", () => {
    const later = readSandbox({ now: POD.now + 15_000 });
    const qps = rate(m.requests.total, later.requests.total, 15)!;
    const expected = (queriesServed(POD.load, 3615, 0) - served) / 15;
    expect(qps).toBeGreaterThan(expected * 0.95);
    expect(qps).toBeLessThan(expected * 1.05);
    const p99 = histogramQuantile(subtractHistogram(m.requestDuration.all, later.requestDuration.all!).buckets, 0.99);
    expect(p99).toBeGreaterThan(0);
    expect(p99).toBeLessThan(0.1);
  });
});

describe("coreDnsReloadState", () => {
  it("is null/null without the reload plugin", () => {
    expect(coreDnsReloadState(parseExposition(readFileSync(path.join(CORPUS, "datadog-integrations-core/metrics.txt"), "utf8")))).toEqual({ hash: null, failedTotal: null });
  });

  it("reads coredns_reload_failed_count_total of pre-1.7 releases", () => {
    const text = '# TYPE coredns_reload_failed_count_total counter\ncoredns_reload_failed_count_total 3\ncoredns_reload_version_info{hash="md5",value="abc"} 1\n';
    expect(coreDnsReloadState(parseExposition(text))).toEqual({ hash: "abc", failedTotal: 3 });
  });
});

describe("rate", () => {
  it("divides the increase by the interval", () => {
    expect(rate(100, 160, 30)).toBe(2);
    expect(rate(5, 5, 10)).toBe(0);
  });

  it("treats a decrease as a counter reset", () => {
    expect(rate(100, 40, 20)).toBe(2);
  });

  it("is null without two values or a positive interval", () => {
    expect(rate(null, 5, 10)).toBeNull();
    expect(rate(5, undefined, 10)).toBeNull();
    expect(rate(1, 2, 0)).toBeNull();
    expect(rate(1, NaN, 10)).toBeNull();
  });

  it("by key, counting new keys from zero", () => {
    expect(rateByKey({ A: 10, gone: 4 }, { A: 20, B: 5 }, 5)).toEqual({ A: 2, B: 1 });
  });
});

describe("histogramQuantile", () => {
  const buckets: HistogramBucket[] = [
    { le: 0.1, count: 10 },
    { le: 0.5, count: 30 },
    { le: 1, count: 40 },
    { le: Infinity, count: 40 },
  ];

  it("interpolates linearly inside the bucket holding the rank", () => {
    expect(histogramQuantile(buckets, 0.5)).toBeCloseTo(0.3, 12); // rank 20: 0.1 + 0.4 * (10 / 20)
    expect(histogramQuantile(buckets, 0.25)).toBeCloseTo(0.1, 12); // rank 10: 0 + 0.1 * (10 / 10)
    expect(histogramQuantile(buckets, 0.99)).toBeCloseTo(0.98, 12); // rank 39.6: 0.5 + 0.5 * (9.6 / 10)
    expect(histogramQuantile(buckets, 0)).toBe(0);
  });

  it("returns the second-highest bound when the rank is in the +Inf bucket", () => {
    expect(histogramQuantile([{ le: 1, count: 5 }, { le: Infinity, count: 10 }], 0.9)).toBe(1);
  });

  it("returns the lowest bound when it is <= 0 and holds the rank", () => {
    expect(histogramQuantile([{ le: -1, count: 5 }, { le: Infinity, count: 10 }], 0.1)).toBe(-1);
  });

  it("sorts, merges equal bounds and fixes non-monotonic counts", () => {
    expect(histogramQuantile([...buckets].reverse(), 0.5)).toBeCloseTo(0.3, 12);
    const broken = [{ le: 0.1, count: 10 }, { le: 0.5, count: 8 }, { le: 1, count: 20 }, { le: Infinity, count: 20 }];
    expect(histogramQuantile(broken, 0.5)).toBeCloseTo(0.1, 12); // counts become 10, 10, 20, 20
    const split = [{ le: 0.1, count: 4 }, { le: 0.1, count: 6 }, { le: Infinity, count: 20 }];
    expect(histogramQuantile(split, 0.25)).toBeCloseTo(0.05, 12); // merged 0.1 → 10; rank 5
  });

  it("is NaN without +Inf, with one bucket or no observations; ±Inf outside [0, 1]", () => {
    expect(histogramQuantile([{ le: 1, count: 1 }, { le: 2, count: 2 }], 0.5)).toBeNaN();
    expect(histogramQuantile([{ le: Infinity, count: 3 }], 0.5)).toBeNaN();
    expect(histogramQuantile([{ le: 1, count: 0 }, { le: Infinity, count: 0 }], 0.5)).toBeNaN();
    expect(histogramQuantile([], 0.5)).toBeNaN();
    expect(histogramQuantile(buckets, -0.1)).toBe(-Infinity);
    expect(histogramQuantile(buckets, 1.1)).toBe(Infinity);
    expect(histogramQuantile(buckets, NaN)).toBeNaN();
  });
});

describe("subtractHistogram", () => {
  const prev = { buckets: [{ le: 1, count: 5 }, { le: Infinity, count: 8 }], sum: 4, count: 8 };
  const next = { buckets: [{ le: 1, count: 9 }, { le: Infinity, count: 14 }], sum: 10, count: 14 };

  it("subtracts bucket by bucket", () => {
    expect(subtractHistogram(prev, next)).toEqual({ buckets: [{ le: 1, count: 4 }, { le: Infinity, count: 6 }], sum: 6, count: 6 });
  });

  it("returns next after a reset or without a previous scrape", () => {
    const restarted = { buckets: [{ le: 1, count: 1 }, { le: Infinity, count: 2 }], sum: 0.5, count: 2 };
    expect(subtractHistogram(prev, restarted)).toBe(restarted);
    expect(subtractHistogram(null, next)).toBe(next);
  });
});
