/**
 * The parts of a ConfigMap that drift capture looks at, as they arrive from a list, a watch event or a GET.
 * A list or GET through client-node hands over `Date`s for managedFields times; a raw watch event hands over
 * strings. Both fit these types.
 */
export type ManagedFieldsEntryLike = {
  manager?: string;
  operation?: string;
  time?: string | Date;
  fieldsV1?: unknown;
};

export type ObservedConfigMap = {
  metadata?: { resourceVersion?: string; managedFields?: ManagedFieldsEntryLike[] };
  data?: Record<string, string>;
};

/** Who last wrote a field, and when (null when the entry has no time). */
export type FieldWriter = { manager: string; time: Date | null };

function parseTime(value: string | Date | undefined): Date | null {
  if (value === undefined) return null;
  const time = value instanceof Date ? value : new Date(value);
  return Number.isNaN(time.getTime()) ? null : time;
}

function ownsDataKey(fieldsV1: unknown, key: string): boolean {
  if (typeof fieldsV1 !== "object" || fieldsV1 === null) return false;
  const data = (fieldsV1 as Record<string, unknown>)["f:data"];
  return typeof data === "object" && data !== null && `f:${key}` in data;
}

function newestOf(entries: ManagedFieldsEntryLike[]): ManagedFieldsEntryLike | undefined {
  let newest: ManagedFieldsEntryLike | undefined;
  for (const entry of entries) {
    const time = parseTime(entry.time)?.getTime() ?? -Infinity;
    const best = newest ? (parseTime(newest.time)?.getTime() ?? -Infinity) : undefined;
    if (best === undefined || time > best) newest = entry;
  }
  return newest;
}

/**
 * The field manager that wrote `data.<key>` last, from `metadata.managedFields`: among the entries that own
 * `f:data` → `f:<key>`, the one with the latest time. When none owns the key (an API server that does not
 * track fields), the newest entry of all; with no entries at all, "unknown".
 */
export function findDataKeyWriter(managedFields: ManagedFieldsEntryLike[] | undefined, key: string): FieldWriter {
  const entries = managedFields ?? [];
  const entry = newestOf(entries.filter((candidate) => ownsDataKey(candidate.fieldsV1, key))) ?? newestOf(entries);
  return { manager: entry?.manager || "unknown", time: parseTime(entry?.time) };
}
