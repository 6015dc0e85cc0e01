/** The time ranges the metrics page offers, in the URL as `?range=<id>`. Pure: used by the page and its toolbar. */
export const TIME_RANGES = [
  { id: "15m", label: "15 min", ms: 15 * 60_000 },
  { id: "1h", label: "1 h", ms: 3600_000 },
  { id: "6h", label: "6 h", ms: 6 * 3600_000 },
  { id: "24h", label: "24 h", ms: 24 * 3600_000 },
  { id: "7d", label: "7 d", ms: 7 * 24 * 3600_000 },
  { id: "30d", label: "30 d", ms: 30 * 24 * 3600_000 },
] as const;

export type TimeRangeId = (typeof TIME_RANGES)[number]["id"];
export type TimeRange = (typeof TIME_RANGES)[number];

export const DEFAULT_TIME_RANGE: TimeRangeId = "1h";

/** The range a URL asks for; the default for anything else. */
export function readTimeRange(value: string | undefined): TimeRange {
  return TIME_RANGES.find((range) => range.id === value) ?? TIME_RANGES.find((range) => range.id === DEFAULT_TIME_RANGE)!;
}

/**
 * Which pods the charts show, in the URL as `?pod=`: absent for the cluster's sum, `*` for one series per pod, or a
 * pod's name.
 */
export type PodChoice = { kind: "aggregate" } | { kind: "each" } | { kind: "pod"; pod: string };

export const EACH_POD = "*";

export function readPodChoice(value: string | undefined): PodChoice {
  const trimmed = value?.trim().slice(0, 253);
  if (!trimmed) return { kind: "aggregate" };
  if (trimmed === EACH_POD) return { kind: "each" };
  return { kind: "pod", pod: trimmed };
}
