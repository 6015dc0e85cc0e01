import { describe, expect, it } from "vitest";
import type { SeriesResult } from "@/lib/metrics/storage-query";
import { downsample, round, shortPodName, toCacheHitRatioChart, toChart, toErrorShareChart } from "./chart-data";
import { formatBytes, formatPercent, formatSeconds } from "./format-value";

function result(metric: SeriesResult["metric"], timestamps: number[], series: SeriesResult["series"]): SeriesResult {
  return { metric, unit: "", resolution: "15s", stepMs: 15_000, from: timestamps[0] ?? 0, to: timestamps.at(-1) ?? 0, timestamps, series };
}

describe("downsample", () => {
  it("averages buckets, sums counts, and keeps empty buckets null", () => {
    const columns = { timestamps: [0, 1, 2, 3, 4, 5], series: [{ name: "a", values: [1, 3, null, null, 5, null] }] };
    expect(downsample(columns, 3, "mean")).toEqual({ timestamps: [0, 2, 4], series: [{ name: "a", values: [2, null, 5] }] });
    expect(downsample(columns, 3, "sum").series[0]!.values).toEqual([4, null, 5]);
    expect(downsample(columns, 6, "mean")).toBe(columns);
  });
});

describe("derived charts", () => {
  it("computes the SERVFAIL and NXDOMAIN shares per pod, null without responses", () => {
    const rcodes = result("responsesByRcode", [15_000, 30_000], [
      { name: "NOERROR", pod: "coredns-a-x1", values: [90, 0] },
      { name: "NXDOMAIN", pod: "coredns-a-x1", values: [6, 0] },
      { name: "SERVFAIL", pod: "coredns-a-x1", values: [4, 0] },
      { name: "other", pod: "coredns-a-x1", values: [0, 0] },
    ]);
    const chart = toErrorShareChart(rcodes);
    expect(chart.times).toEqual([15, 30]);
    expect(chart.series).toEqual([
      { label: "x1 SERVFAIL", values: [0.04, null] },
      { label: "x1 NXDOMAIN", values: [0.06, null] },
    ]);
  });

  it("computes the cache hit ratio", () => {
    const cache = result("cache", [0, 15_000], [
      { name: "hits", values: [3, null] },
      { name: "misses", values: [1, null] },
    ]);
    expect(toCacheHitRatioChart(cache).series).toEqual([{ label: "hit ratio", values: [0.75, null] }]);
  });

  it("picks series by name and labels them per pod", () => {
    const latency = result("latency", [0], [
      { name: "p50", pod: "coredns-668d6bf9bc-x7k2p", values: [0.001] },
      { name: "p99", pod: "coredns-668d6bf9bc-x7k2p", values: [0.0123456] },
    ]);
    const chart = toChart(latency, { id: "p99", title: "p99", format: "seconds", emptyNote: "", names: ["p99"] });
    expect(chart.series).toEqual([{ label: "x7k2p p99", values: [0.01235] }]);
    expect(shortPodName("standalone")).toBe("standalone");
  });
});

describe("value formats", () => {
  it("writes units a reader expects", () => {
    expect(formatPercent(0.0125)).toBe("1.3 %");
    expect(formatSeconds(0.0123)).toBe("12.3 ms");
    expect(formatSeconds(0.00085)).toBe("850 µs");
    expect(formatBytes(47.7 * 1024 * 1024)).toBe("48 MiB");
    expect(formatBytes(9.54 * 1024 * 1024)).toBe("9.5 MiB");
  });
});

describe("round", () => {
  it("keeps four significant digits, as toPrecision(4) does, across magnitudes and signs", () => {
    let seed = 5;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let i = 0; i < 20_000; i++) {
      const value = (random() - 0.5) * 10 ** Math.floor(random() * 24 - 12);
      const expected = Number(value.toPrecision(4));
      // The same value, or (at an exact tie of the fifth digit in binary) its neighbour in the fourth digit.
      expect(Math.abs(round(value)! - expected)).toBeLessThanOrEqual(Math.abs(expected) * 1.0001e-3);
    }
    expect([round(0), round(null), round(1234.5678), round(0.00012345678), round(-98765)]).toEqual([0, null, 1235, 0.0001235, -98770]);
  });
});
