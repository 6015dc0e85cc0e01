/** Labelled series: the cap on label values, and their derivation from real scrapes (sandbox and corpus). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { corpusPath } from "@/lib/testing/corpus";
import { renderPodMetrics, type PodMetricsInput } from "@/sandbox/metrics";
import { lacksResponsePluginLabel, readCoreDnsMetrics } from "./coredns-metrics";
import { deriveInterval, deriveLabelledRows } from "./derive";
import { parseExposition } from "./exposition";
import { MAX_LABEL_LENGTH, MAX_LABELS_PER_KIND, OTHER_LABEL, capLabelledRows, emptyLabelledRow, sumLabelledRows, type LabelledRow } from "./labelled";

const CORPUS = corpusPath("metrics");
const KUBEADM_COREFILE = readFileSync(path.resolve(import.meta.dirname, "../../sandbox/seed/kubeadm-Corefile.conf"), "utf8");
const readCorpus = (relative: string) => readCoreDnsMetrics(parseExposition(readFileSync(path.join(CORPUS, relative), "utf8")));

const row = (kind: LabelledRow["kind"], label: string, values: Partial<LabelledRow>): LabelledRow => ({ ...emptyLabelledRow(kind, label), ...values });

describe("capLabelledRows", () => {
  it("keeps the 20 largest label values per kind and sums the rest into (other)", () => {
    const zones = Array.from({ length: 25 }, (_, i) => row("zone", `zone${i}.example.`, { value: i + 1 }));
    const capped = capLabelledRows([...zones, row("plugin", "forward", { value: 3 })]);
    const kept = capped.filter((r) => r.kind === "zone");
    expect(kept).toHaveLength(MAX_LABELS_PER_KIND + 1);
    // Values 1..5 are the smallest: their sum goes to (other).
    expect(kept.find((r) => r.label === OTHER_LABEL)!.value).toBe(1 + 2 + 3 + 4 + 5);
    expect(kept.some((r) => r.label === "zone0.example.")).toBe(false);
    expect(kept.some((r) => r.label === "zone24.example.")).toBe(true);
    expect(capped.filter((r) => r.kind === "plugin")).toEqual([row("plugin", "forward", { value: 3 })]);
  });

  it("bounds a hostile scrape: 10,000 upstreams with huge names become 21 rows of bounded labels", () => {
    const hostile = Array.from({ length: 10_000 }, (_, i) => row("upstream", `${i}-${"x".repeat(5000)}:53`, { value: 1, p50: 0.01, p99: 0.1, failures: 1 }));
    const capped = capLabelledRows(hostile);
    expect(capped).toHaveLength(MAX_LABELS_PER_KIND + 1);
    for (const r of capped) expect(r.label.length).toBeLessThanOrEqual(MAX_LABEL_LENGTH);
    // Nothing is lost from the totals.
    const total = capped.reduce((sum, r) => sum + (r.value ?? 0), 0);
    expect(total).toBe(10_000);
    expect(capped.reduce((sum, r) => sum + (r.failures ?? 0), 0)).toBe(10_000);
  });

  it("sums pods per label and weights latency by request rate", () => {
    const summed = sumLabelledRows([
      [row("upstream", "10.0.0.1:53", { value: 10, p50: 0.002, p99: 0.01, failures: 1 })],
      [row("upstream", "10.0.0.1:53", { value: 30, p50: 0.006, p99: 0.03, failures: 0 }), row("zone", ". dns://:53", { value: 5 })],
    ]);
    const upstream = summed.find((r) => r.kind === "upstream")!;
    expect(upstream.value).toBe(40);
    expect(upstream.p50).toBeCloseTo((0.002 * 10 + 0.006 * 30) / 40, 12);
    expect(upstream.failures).toBe(1);
    expect(summed.find((r) => r.kind === "zone")!.value).toBe(5);
  });
});

describe("deriveLabelledRows", () => {
  const POD: PodMetricsInput = {
    now: Date.UTC(2025, 0, 1, 1),
    startedAt: Date.UTC(2025, 0, 1),
    phase: 0,
    load: { qps: 100, errorRatio: 0.03 },
    corefile: KUBEADM_COREFILE,
    reloadHash: "",
    reloadFailures: 0,
  };
  const scrape = (at: number) => ({ at, metrics: readCoreDnsMetrics(parseExposition(renderPodMetrics({ ...POD, now: at }))) });

  it("reads zones, answering plugins and the forward upstream from the sandbox (CoreDNS 1.14 names)", () => {
    const before = scrape(POD.now);
    const after = scrape(POD.now + 15_000);
    const rows = deriveLabelledRows(before, after);
    const qps = deriveInterval(before, after).qps!;
    const zones = rows.filter((r) => r.kind === "zone");
    expect(zones.map((r) => r.label)).toEqual([". dns://:53"]);
    expect(zones[0]!.value).toBeCloseTo(qps, 6);
    const plugins = Object.fromEntries(rows.filter((r) => r.kind === "plugin").map((r) => [r.label, r.value!]));
    expect(Object.keys(plugins).sort()).toEqual(["", "loadbalance"]);
    expect(plugins[""]! + plugins.loadbalance!).toBeCloseTo(qps, 0);
    const [upstream] = rows.filter((r) => r.kind === "upstream");
    expect(upstream).toMatchObject({ label: "172.18.0.1:53" });
    expect(upstream!.value).toBeGreaterThan(0);
    // The sandbox's upstream histogram puts the median between 2 and 4 ms, p99 between 64 and 128 ms.
    expect(upstream!.p50).toBeGreaterThan(0.002);
    expect(upstream!.p50).toBeLessThan(0.004);
    expect(upstream!.p99).toBeGreaterThan(0.064);
    expect(upstream!.p99).toBeLessThan(0.128);
    expect(upstream!.failures).toBe(0);
    // Over three minutes the upstream fails a health check.
    const later = deriveLabelledRows(before, scrape(POD.now + 180_000));
    expect(later.find((r) => r.kind === "upstream")!.failures).toBe(1);
  });

  it("has no answering-plugin rows where CoreDNS does not label responses with the plugin (1.8.5)", () => {
    const metrics = readCorpus("wild/datadog-integrations-core-1.txt");
    expect(metrics.responses.total).toBeGreaterThan(0);
    const rows = deriveLabelledRows({ at: 0, metrics }, { at: 15_000, metrics });
    expect(rows.filter((r) => r.kind === "plugin")).toEqual([]);
    expect(rows.filter((r) => r.kind === "zone").length).toBeGreaterThan(0);
    // What makes the page say "not reported by this CoreDNS version" instead of "no responses".
    expect(lacksResponsePluginLabel(metrics)).toBe(true);
    expect(lacksResponsePluginLabel(readCorpus("wild/icyflame-blog-1.txt"))).toBe(false);
    expect(lacksResponsePluginLabel(scrape(POD.now).metrics)).toBe(false);
    // No responses at all (an idle 1.7.0 pod): nothing to say about the label.
    expect(lacksResponsePluginLabel(readCorpus("netdata-go.d.plugin/version170_no_load.txt"))).toBe(false);
  });

  it("reads zones and upstreams under the pre-1.7 names (1.5.0: coredns_dns_request_count_total, coredns_forward_*)", () => {
    const metrics = readCorpus("elastic-beats/coredns_1.5.0.plain");
    const rows = deriveLabelledRows({ at: 0, metrics }, { at: 15_000, metrics });
    expect(rows.filter((r) => r.kind === "zone").map((r) => r.label).sort()).toEqual([". dns://:53", "my.domain.elastic. dns://:53"]);
    expect(rows.filter((r) => r.kind === "upstream").length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.kind === "plugin")).toEqual([]);
  });

  it("gives nothing without a previous scrape", () => {
    expect(deriveLabelledRows(null, scrape(POD.now))).toEqual([]);
  });
});
