/**
 * What the Prometheus text-format parser (exposition.ts) returns: the contract between the parser and everything
 * that reads scrapes (derived series, rollout verification, the sandbox checks). Plain data, safe in the browser.
 */

export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

/** One sample line: `name{labels} value [timestamp]`. */
export type Sample = {
  /** The sample's own name: for histograms `x_bucket`, `x_sum`, `x_count`. */
  name: string;
  labels: Readonly<Record<string, string>>;
  /** NaN, +Inf and -Inf included. */
  value: number;
  /** Milliseconds since the epoch, when the line carried one. */
  timestampMs?: number;
};

/** A metric family: the samples of one metric name (with its `_bucket`/`_sum`/`_count` for histograms and summaries). */
export type MetricFamily = {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
};

/**
 * Why a line was skipped (documented with the situation that raises each in exposition.ts, `SKIP_REASONS`).
 */
export type SkipCode =
  | "INVALID_METRIC_NAME"
  | "INVALID_LABEL_NAME"
  | "INVALID_LABEL_SET"
  | "DUPLICATE_LABEL"
  | "INVALID_VALUE"
  | "INVALID_TIMESTAMP"
  | "TRAILING_TEXT"
  | "INVALID_HELP"
  | "INVALID_TYPE"
  | "DUPLICATE_HELP"
  | "DUPLICATE_TYPE"
  | "TYPE_AFTER_SAMPLES"
  | "MISSING_LE"
  | "MISSING_QUANTILE";

/** A line the parser could not read: skipped, counted and reported, never fatal. */
export type SkippedLine = {
  /** 1-based line number. */
  line: number;
  /** Machine-readable reason; tests and callers branch on this. */
  code: SkipCode;
  /** The same in words, for logs and the UI. */
  reason: string;
};

export type Exposition = {
  /** Families by name, in order of first appearance. */
  families: Map<string, MetricFamily>;
  /** How many lines were skipped, with the first few reasons (bounded). */
  skipped: number;
  skippedLines: SkippedLine[];
};
