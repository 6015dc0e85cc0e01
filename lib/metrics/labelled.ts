/**
 * Labelled series: the quantities whose label values differ from cluster to cluster (zones and servers, answering
 * plugins, forward upstreams). One row per pod, kind, label value and interval, stored in "MetricLabelPoint" (see
 * storage.ts and STORAGE.md). The number of label values kept per pod, kind and interval is capped, so a scrape with
 * thousands of zones or upstreams (a hostile or broken exporter) cannot grow the database: the largest
 * {@link MAX_LABELS_PER_KIND} are kept, the others are summed into {@link OTHER_LABEL}. Pure: no I/O.
 */

/**
 * - `zone`: queries per second of one server block zone, label `<zone> <server>` (`value`);
 * - `plugin`: responses per second by the plugin that wrote them, label the plugin (`""` for none) (`value`);
 * - `upstream`: one forward upstream, label `host:port`: requests/s (`value`), error answers/s (`errors`), latency
 *   quantiles in seconds (`p50`, `p99`) and failed health checks in the interval (`failures`).
 */
export type LabelKind = "zone" | "plugin" | "upstream";

export const LABEL_KINDS: readonly LabelKind[] = ["zone", "plugin", "upstream"];

export type LabelledRow = {
  kind: LabelKind;
  label: string;
  value: number | null;
  errors: number | null;
  p50: number | null;
  p99: number | null;
  failures: number | null;
};

/** Label values kept per pod, kind and interval; the rest become {@link OTHER_LABEL}. */
export const MAX_LABELS_PER_KIND = 20;
/** Where the label values beyond the cap are summed. Parentheses: no zone, plugin or `host:port` looks like this. */
export const OTHER_LABEL = "(other)";
/** Longer label values are cut (a zone name is at most 253 characters; anything longer is not a zone). */
export const MAX_LABEL_LENGTH = 260;

/** A row with every quantity unknown. */
export function emptyLabelledRow(kind: LabelKind, label: string): LabelledRow {
  return { kind, label: label.slice(0, MAX_LABEL_LENGTH), value: null, errors: null, p50: null, p99: null, failures: null };
}

const addNullable = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : a + b);

/**
 * Sums rows of the same kind and label: rates and failures add up, latency quantiles become the request-weighted
 * mean (an approximation, as for the cluster's latency: exact quantiles would need the histograms).
 */
export function mergeLabelledRows(kind: LabelKind, label: string, rows: readonly LabelledRow[]): LabelledRow {
  const merged = emptyLabelledRow(kind, label);
  const weighted = { p50: 0, p99: 0 };
  const weights = { p50: 0, p99: 0 };
  for (const row of rows) {
    merged.value = addNullable(merged.value, row.value);
    merged.errors = addNullable(merged.errors, row.errors);
    merged.failures = addNullable(merged.failures, row.failures);
    for (const q of ["p50", "p99"] as const) {
      const latency = row[q];
      if (latency === null || row.value === null || !(row.value > 0)) continue;
      weighted[q] += latency * row.value;
      weights[q] += row.value;
    }
  }
  merged.p50 = weights.p50 > 0 ? weighted.p50 / weights.p50 : null;
  merged.p99 = weights.p99 > 0 ? weighted.p99 / weights.p99 : null;
  return merged;
}

/**
 * Keeps, per kind, the {@link MAX_LABELS_PER_KIND} label values with the largest `value` (then the most failures, then
 * by name, so the choice is stable) and sums the others into one {@link OTHER_LABEL} row. Label values are cut to
 * {@link MAX_LABEL_LENGTH}; rows with the same kind and label are merged first.
 */
export function capLabelledRows(rows: readonly LabelledRow[], limit = MAX_LABELS_PER_KIND): LabelledRow[] {
  const capped: LabelledRow[] = [];
  for (const kind of LABEL_KINDS) {
    const byLabel = new Map<string, LabelledRow[]>();
    for (const row of rows) {
      if (row.kind !== kind) continue;
      const label = row.label.slice(0, MAX_LABEL_LENGTH);
      const list = byLabel.get(label);
      if (list) list.push(row);
      else byLabel.set(label, [row]);
    }
    const merged = [...byLabel].map(([label, list]) => (list.length === 1 && list[0]!.label === label ? list[0]! : mergeLabelledRows(kind, label, list)));
    if (merged.length <= limit) {
      capped.push(...merged);
      continue;
    }
    merged.sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || (b.failures ?? -1) - (a.failures ?? -1) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    const kept = merged.slice(0, limit).filter((row) => row.label !== OTHER_LABEL);
    const rest = merged.filter((row) => !kept.includes(row));
    capped.push(...kept, mergeLabelledRows(kind, OTHER_LABEL, rest));
  }
  return capped;
}

/** The cluster's rows of one round: every pod's rows summed per kind and label, then capped again. */
export function sumLabelledRows(perPod: readonly (readonly LabelledRow[])[], limit = MAX_LABELS_PER_KIND): LabelledRow[] {
  const groups = new Map<string, LabelledRow[]>();
  for (const rows of perPod) {
    for (const row of rows) {
      const key = `${row.kind}\u0000${row.label}`;
      const list = groups.get(key);
      if (list) list.push(row);
      else groups.set(key, [row]);
    }
  }
  const summed = [...groups.values()].map((list) => mergeLabelledRows(list[0]!.kind, list[0]!.label, list));
  return capLabelledRows(summed, limit);
}
