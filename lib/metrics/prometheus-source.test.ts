/**
 * The Prometheus source against a stand-in for Prometheus: a tiny HTTP server on 127.0.0.1 that speaks the part of
 * the HTTP API the source uses (POST /api/v1/query_range, form-encoded), records the PromQL it receives and answers
 * matrix results. The pods come from a temporary SQLite store, as Coredeck's discovery records them.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { registerCluster } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { createTestDatabase } from "@/lib/db/test-database";
import { PrometheusQueryError, queryPrometheusRange, readPrometheusSettings } from "./prometheus-source";
import { closeMetricsReaders, recordScrapeRound } from "./storage";
import { querySeries } from "./storage-query";

type Received = { path: string; method: string; query: string; start: number; end: number; step: number };
type Answer = { status?: number; body: unknown };

let database: ReturnType<typeof createTestDatabase>;
let cluster: ClusterSummary;
let server: Server;
let url: string;
let received: Received[];
let answer: (request: Received) => Answer;
const T0 = Date.parse("2026-03-01T12:00:00Z");
const PODS = ["coredns-668d6bf9bc-9wq4d", "coredns-668d6bf9bc-x7k2p"];

/** A matrix series with values at `start + i * step` seconds. */
function matrix(metric: Record<string, string>, start: number, step: number, values: string[]) {
  return { metric, values: values.map((v, i) => [start + i * step, v]) };
}

const success = (result: unknown[]): Answer => ({ body: { status: "success", data: { resultType: "matrix", result } } });

beforeEach(async () => {
  database = createTestDatabase();
  cluster = await registerCluster({ name: "prod", connection: "kubeconfig", kubeconfigPath: "/nowhere" }, database.db);
  // Coredeck's discovery saw both pods: that is how the source knows the cluster's pod names.
  await recordScrapeRound({ clusterId: cluster.id, at: T0 - 3600_000, pods: PODS.map((pod) => ({ pod })) }, database.db);
  await recordScrapeRound({ clusterId: cluster.id, at: T0, pods: PODS.map((pod) => ({ pod })) }, database.db);
  received = [];
  answer = () => success([]);
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const form = new URLSearchParams(body);
      const request: Received = {
        path: req.url ?? "",
        method: req.method ?? "",
        query: form.get("query") ?? "",
        start: Number(form.get("start")),
        end: Number(form.get("end")),
        step: Number(form.get("step")),
      };
      received.push(request);
      const { status = 200, body: payload } = answer(request);
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  vi.stubEnv("PROMETHEUS_URL", url);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await closeMetricsReaders();
  await database.dispose();
});

const POD_MATCHER = `pod=~"coredns-668d6bf9bc-9wq4d|coredns-668d6bf9bc-x7k2p"`;

describe("querySeries with PROMETHEUS_URL", () => {
  it("sends the cluster's QPS as PromQL over its CoreDNS pods and reads the matrix into the chart's columns", async () => {
    const from = T0 - 15 * 60_000;
    answer = (r) => success([matrix({}, r.start, r.step, ["12.5", "13", "NaN", "14"])]);
    const result = await querySeries({ clusterId: cluster.id, metric: "qps", aggregate: true, from, to: T0, now: T0 }, database.db);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ path: "/api/v1/query_range", method: "POST", query: `sum(rate(coredns_dns_requests_total{${POD_MATCHER}}[1m]))`, step: 15 });
    expect(received[0]!.start).toBe(Math.floor(from / 15_000) * 15);
    expect(received[0]!.end).toBe(T0 / 1000);
    expect(result).toMatchObject({ metric: "qps", unit: "queries/s", resolution: "15s", stepMs: 15_000, from, to: T0 });
    const start = Math.floor(from / 15_000) * 15_000;
    expect(result.timestamps).toEqual([start, start + 15_000, start + 30_000, start + 45_000]);
    // NaN (no data in the window) is a gap.
    expect(result.series).toEqual([{ name: "total", values: [12.5, 13, null, 14] }]);
  });

  it("asks for latency quantiles from the request-duration histogram, per pod, and beyond 24 h at 5-minute steps", async () => {
    answer = (r) => {
      const q = /histogram_quantile\(([\d.]+)/.exec(r.query)![1]!;
      return success(PODS.map((pod, i) => matrix({ pod }, r.start, r.step, [String(Number(q) * (i + 1)), String(Number(q) * (i + 1))])));
    };
    const result = await querySeries({ clusterId: cluster.id, metric: "latency", from: T0 - 2 * 86_400_000, to: T0, now: T0 }, database.db);
    expect(received.map((r) => r.query).sort()).toEqual(
      [0.5, 0.9, 0.99].map((q) => `histogram_quantile(${q}, sum by (pod, le) (rate(coredns_dns_request_duration_seconds_bucket{${POD_MATCHER}}[5m])))`).sort(),
    );
    expect(received.every((r) => r.step === 300)).toBe(true);
    expect(result.resolution).toBe("5m");
    expect(result.series.map((s) => [s.pod, s.name, s.values[0]])).toEqual([
      [PODS[0], "p50", 0.5],
      [PODS[0], "p90", 0.9],
      [PODS[0], "p99", 0.99],
      [PODS[1], "p50", 1],
      [PODS[1], "p90", 1.8],
      [PODS[1], "p99", 1.98],
    ]);
  });

  it("answers the labelled charts by zone and server, answering plugin and upstream, with the old names as fallbacks", async () => {
    answer = (r) => {
      if (r.query.includes("by (zone, server)")) return success([matrix({ zone: "cluster.local.", server: "dns://:53" }, r.start, r.step, ["12"])]);
      if (r.query.includes("by (plugin)")) return success([matrix({ plugin: "" }, r.start, r.step, ["1"]), matrix({ plugin: "kubernetes" }, r.start, r.step, ["5"])]);
      if (r.query.startsWith("histogram_quantile(0.99")) return success([matrix({ to: "10.0.0.1:53" }, r.start, r.step, ["0.02"])]);
      if (r.query.startsWith("histogram_quantile(0.5")) return success([matrix({ to: "10.0.0.1:53" }, r.start, r.step, ["0.003"])]);
      if (r.query.includes("by (to)")) return success([matrix({ to: "10.0.0.1:53" }, r.start, r.step, ["2"])]);
      return success([matrix({}, r.start, r.step, ["0"])]);
    };
    const range = { clusterId: cluster.id, aggregate: true, from: T0 - 60_000, to: T0, now: T0 };
    const zones = await querySeries({ ...range, metric: "qpsByZone" }, database.db);
    expect(zones.series.map((s) => [s.name, s.values[0]])).toEqual([["cluster.local. dns://:53", 12]]);
    expect(received.at(-1)!.query).toBe(
      `sum by (zone, server) ((rate(coredns_dns_requests_total{${POD_MATCHER}}[1m]) or rate(coredns_dns_request_count_total{${POD_MATCHER}}[1m])))`,
    );
    const plugins = await querySeries({ ...range, metric: "responsesByPlugin" }, database.db);
    expect(plugins.series.map((s) => [s.name, s.values[0]])).toEqual([
      ["kubernetes", 5],
      ["no plugin", 1],
    ]);
    // Only when some series carries a plugin name: an absent label (CoreDNS without it) would read as "".
    expect(received.at(-1)!.query).toContain(`and on() (count(coredns_dns_responses_total{${POD_MATCHER},plugin!=""}) > 0)`);
    const latency = await querySeries({ ...range, metric: "forwardLatency" }, database.db);
    expect(latency.series.map((s) => [s.name, s.values[0]])).toEqual([
      ["10.0.0.1:53 p50", 0.003],
      ["10.0.0.1:53 p99", 0.02],
    ]);
    expect(received.map((r) => r.query)).toContain(
      `histogram_quantile(0.99, sum by (to, le) ((rate(coredns_proxy_request_duration_seconds_bucket{${POD_MATCHER},proxy_name="forward"}[5m]) or rate(coredns_forward_request_duration_seconds_bucket{${POD_MATCHER}}[5m]))))`,
    );
    const health = await querySeries({ ...range, metric: "healthcheckFailures" }, database.db);
    // Failures per step: the rate times the 15 s step.
    expect(health.series.map((s) => [s.name, s.values[0]])).toEqual([
      ["all upstreams down", 0],
      ["10.0.0.1:53", 2],
    ]);
    expect(received.map((r) => r.query)).toContain(
      `sum by (to) ((rate(coredns_proxy_healthcheck_failures_total{${POD_MATCHER},proxy_name="forward"}[1m]) or rate(coredns_forward_healthcheck_failures_total{${POD_MATCHER}}[1m]))) * 15`,
    );
  });

  it("queries one pod by its label and adds the forward chart's upstreams, with a configurable label and selector", async () => {
    vi.stubEnv("PROMETHEUS_SELECTOR", `cluster="prod"`);
    answer = (r) =>
      success(r.query.includes("by (to)") ? [matrix({ to: "10.0.0.1:53" }, r.start, r.step, [r.query.includes("rcode!~") ? "0.5" : "7"])] : [matrix({}, r.start, r.step, ["9"])]);
    const result = await querySeries({ clusterId: cluster.id, metric: "forward", pod: PODS[1], from: T0 - 60_000, to: T0, now: T0 }, database.db);
    expect(received.map((r) => r.query)).toContain(
      `sum by (to) (rate(coredns_proxy_request_duration_seconds_count{pod="${PODS[1]}",cluster="prod",proxy_name="forward",rcode!~"NOERROR|NXDOMAIN"}[1m]))`,
    );
    expect(result.series.map((s) => [s.name, s.pod, s.values[0]])).toEqual([
      ["requests", PODS[1], 9],
      ["errors", PODS[1], 9],
      ["10.0.0.1:53 requests", PODS[1], 7],
      ["10.0.0.1:53 errors", PODS[1], 0.5],
    ]);
    expect(readPrometheusSettings({ PROMETHEUS_URL: url, PROMETHEUS_POD_LABEL: "instance" })).toMatchObject({ podLabel: "instance" });
    expect(readPrometheusSettings({ PROMETHEUS_URL: " " })).toBeNull();
  });

  it("says clearly when Prometheus rejects the query or answers something else", async () => {
    answer = () => ({ status: 400, body: { status: "error", errorType: "bad_data", error: "1:6: parse error: unexpected \"}\"" } });
    const query = { clusterId: cluster.id, metric: "cpu" as const, aggregate: true, from: T0 - 60_000, to: T0, now: T0 };
    await expect(querySeries(query, database.db)).rejects.toMatchObject({
      code: "QUERY_REJECTED",
      status: 400,
      message: expect.stringContaining(`Prometheus at ${url} rejected the query (bad_data: 1:6: parse error`),
    });
    answer = () => ({ body: "<html>Sign in</html>" });
    await expect(querySeries(query, database.db)).rejects.toMatchObject({ code: "BAD_RESPONSE" });
  });

  it("bounds the answer's size", async () => {
    answer = (r) => success([matrix({}, r.start, r.step, Array.from({ length: 5000 }, () => "1.5"))]);
    const settings = { ...readPrometheusSettings()!, maxBytes: 10_000 };
    await expect(queryPrometheusRange(settings, { query: "up", start: T0 - 3600_000, end: T0, stepSeconds: 15 })).rejects.toMatchObject({
      code: "TOO_LARGE",
      message: expect.stringContaining("choose a shorter range or one pod"),
    });
  });
});

describe("an unreachable Prometheus", () => {
  it("fails with a message that names the address and what to check", async () => {
    // A port that was just free: nothing listens on it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    vi.stubEnv("PROMETHEUS_URL", `http://127.0.0.1:${port}`);
    const error = await querySeries({ clusterId: cluster.id, metric: "qps", aggregate: true, from: T0 - 60_000, to: T0, now: T0 }, database.db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusQueryError);
    expect(error).toMatchObject({
      code: "UNREACHABLE",
      message: `Cannot reach Prometheus at http://127.0.0.1:${port} (ECONNREFUSED). Check PROMETHEUS_URL, or unset it to chart Coredeck's own scrapes.`,
    });
  });

  it("times out when Prometheus does not answer", async () => {
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    const settings = { ...readPrometheusSettings({ PROMETHEUS_URL: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}` })!, timeoutMs: 200 };
    try {
      await expect(queryPrometheusRange(settings, { query: "up", start: T0 - 60_000, end: T0, stepSeconds: 15 })).rejects.toMatchObject({ code: "TIMEOUT" });
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });
});
