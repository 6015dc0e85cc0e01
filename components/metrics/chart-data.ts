/**
 * Turns stored series (lib/metrics/storage-query's columns) into what the charts draw: fewer points for long ranges,
 * the shares and ratios computed from their parts, labels per pod, times in seconds. Pure, no I/O.
 */
import type { SeriesResult } from "@/lib/metrics/storage-query";

/** How a chart's values are written on its axis and in its legend (functions cannot cross to the browser). */
export type ValueFormat = "rate" | "percent" | "seconds" | "count" | "cores" | "bytes";

export type ChartLine = { label: string; values: (number | null)[] };

/** One chart, as plain data for the browser. */
export type ChartData = {
  id: string;
  title: string;
  format: ValueFormat;
  /** Seconds since the epoch. */
  times: number[];
  series: ChartLine[];
  /** Shown instead of the chart when it has no value in the range. */
  emptyNote: string;
};

/** At most this many points per chart: a 24 h range of 15 s points (5,760) is averaged into ~3-minute buckets. */
export const MAX_CHART_POINTS = 720;

type Columns = { timestamps: number[]; series: SeriesResult["series"] };

/**
 * Averages consecutive points into buckets so a chart holds at most `maxPoints` (counts are summed: "reloads in the
 * bucket"). A bucket with no value stays null, so gaps stay visible. The bucket's time is its first point's.
 */
export function downsample(columns: Columns, maxPoints: number, mode: "mean" | "sum"): Columns {
  const n = columns.timestamps.length;
  if (n <= maxPoints) return columns;
  const size = Math.ceil(n / maxPoints);
  const timestamps: number[] = [];
  for (let i = 0; i < n; i += size) timestamps.push(columns.timestamps[i]!);
  const series = columns.series.map((line) => {
    const values: (number | null)[] = [];
    for (let i = 0; i < n; i += size) {
      let sum = 0;
      let count = 0;
      for (let j = i; j < Math.min(n, i + size); j++) {
        const value = line.values[j];
        if (value === null || value === undefined) continue;
        sum += value;
        count++;
      }
      values.push(count === 0 ? null : mode === "sum" ? sum : sum / count);
    }
    return { ...line, values };
  });
  return { timestamps, series };
}

/** The distinctive end of a generated pod name (`coredns-668d6bf9bc-x7k2p` → `x7k2p`), for legends. */
export function shortPodName(pod: string): string {
  const parts = pod.split("-");
  return parts.length >= 3 ? parts.at(-1)! : pod;
}

function labelOf(name: string, pod: string | undefined): string {
  return pod === undefined ? name : `${shortPodName(pod)} ${name}`;
}

/**
 * Four significant digits are plenty for a chart and keep the page small. Arithmetic rather than `toPrecision` (a
 * string round trip): a page of one series per pod rounds a few hundred thousand values.
 */
export function round(value: number | null): number | null {
  if (value === null || !Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.abs(value);
  const exponent = Math.floor(Math.log10(magnitude));
  if (exponent < -300 || exponent > 300) return value;
  // Halves away from zero, as toPrecision does; dividing by an exact power of ten (rather than multiplying by its
  // inverse) gives the nearest double to the result.
  const rounded = exponent < 3 ? Math.round(magnitude * 10 ** (3 - exponent)) / 10 ** (3 - exponent) : Math.round(magnitude / 10 ** (exponent - 3)) * 10 ** (exponent - 3);
  return value < 0 ? -rounded : rounded;
}

function toSeconds(timestamps: readonly number[]): number[] {
  return timestamps.map((ms) => Math.round(ms / 1000));
}

/** Groups a result's series by pod (one group, `undefined`, for a cluster or a single pod). */
function byPod(result: Columns): Map<string | undefined, Map<string, (number | null)[]>> {
  const groups = new Map<string | undefined, Map<string, (number | null)[]>>();
  for (const line of result.series) {
    let group = groups.get(line.pod);
    if (!group) groups.set(line.pod, (group = new Map()));
    group.set(line.name, line.values);
  }
  return groups;
}

/** A chart of a stored metric as it is, one line per series (and per pod when the result has several). */
export function toChart(
  result: SeriesResult,
  chart: { id: string; title: string; format: ValueFormat; emptyNote: string; names?: readonly string[]; mode?: "mean" | "sum" },
  maxPoints = MAX_CHART_POINTS,
): ChartData {
  const wanted = chart.names ? new Set(chart.names) : null;
  const picked = { timestamps: result.timestamps, series: result.series.filter((line) => !wanted || wanted.has(line.name)) };
  const { timestamps, series } = downsample(picked, maxPoints, chart.mode ?? "mean");
  return {
    id: chart.id,
    title: chart.title,
    format: chart.format,
    emptyNote: chart.emptyNote,
    times: toSeconds(timestamps),
    series: series.map((line) => ({ label: labelOf(line.name, line.pod), values: line.values.map(round) })),
  };
}

function ratio(part: number | null | undefined, whole: number | null): number | null {
  if (part === null || part === undefined || whole === null || whole <= 0) return null;
  return part / whole;
}

function sumAt(values: readonly ((number | null)[] | undefined)[], index: number): number | null {
  let sum = 0;
  let isPresent = false;
  for (const line of values) {
    const value = line?.[index];
    if (value === null || value === undefined) continue;
    sum += value;
    isPresent = true;
  }
  return isPresent ? sum : null;
}

/**
 * SERVFAIL and NXDOMAIN as shares of all responses (0..1), from `responsesByRcode`. No responses in an interval is
 * no share (null), not 0 %.
 */
export function toErrorShareChart(result: SeriesResult, maxPoints = MAX_CHART_POINTS): ChartData {
  const { timestamps, series } = downsample(result, maxPoints, "mean");
  const lines: ChartLine[] = [];
  for (const [pod, group] of byPod({ timestamps, series })) {
    const parts = ["NOERROR", "NXDOMAIN", "SERVFAIL", "other"].map((name) => group.get(name));
    const totals = timestamps.map((_, i) => sumAt(parts, i));
    for (const name of ["SERVFAIL", "NXDOMAIN"]) {
      const values = group.get(name) ?? [];
      lines.push({ label: labelOf(name, pod), values: totals.map((total, i) => round(ratio(values[i], total))) });
    }
  }
  return {
    id: "error-share",
    title: "SERVFAIL and NXDOMAIN share",
    format: "percent",
    emptyNote: "No responses in this range.",
    times: toSeconds(timestamps),
    series: lines,
  };
}

/** Cache hits as a share of cache lookups (0..1), from `cache`. */
export function toCacheHitRatioChart(result: SeriesResult, maxPoints = MAX_CHART_POINTS): ChartData {
  const { timestamps, series } = downsample(result, maxPoints, "mean");
  const lines: ChartLine[] = [];
  for (const [pod, group] of byPod({ timestamps, series })) {
    const hits = group.get("hits") ?? [];
    const misses = group.get("misses") ?? [];
    lines.push({ label: labelOf("hit ratio", pod), values: timestamps.map((_, i) => round(ratio(hits[i], sumAt([hits, misses], i)))) });
  }
  return {
    id: "cache-hit-ratio",
    title: "Cache hit ratio",
    format: "percent",
    emptyNote: "No cache lookups in this range (is the cache plugin enabled?).",
    times: toSeconds(timestamps),
    series: lines,
  };
}

/** Whether a chart has at least one value to draw. */
export function hasValues(chart: Pick<ChartData, "series">): boolean {
  return chart.series.some((line) => line.values.some((value) => value !== null));
}

/** The last non-null value of a line, or null. */
export function lastValue(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const value = values[i];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}
