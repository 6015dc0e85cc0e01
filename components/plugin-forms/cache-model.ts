/**
 * The cache editor's state: the maximum TTL and zones, the `success` and `denial` caches (capacity, TTL, minimum TTL),
 * prefetching, serving stale entries and `disable` lines. Other options are kept as written.
 */
import type { FieldMessage, FormValues } from "@/lib/board";
import { guardRoundTrip, joinWords, splitWords, takeOptions, trimPositional, type EditorModel, type OptionLine } from "./options-model";

/** CoreDNS's documented defaults, used to fill a gap when a later value is set (`success 9984 3600 10`). */
export const CACHE_DEFAULTS = {
  capacity: "9984",
  successTtl: "3600",
  denialTtl: "1800",
  minTtl: "5",
  prefetchDuration: "1m",
  prefetchPercentage: "10%",
  serveStale: "1h",
  serveStaleMode: "immediate",
} as const;

export type CacheBucket = { capacity: string; ttl: string; minTtl: string };
export type Prefetch = { amount: string; duration: string; percentage: string };
export type ServeStale = { duration: string; mode: string; /** Further values (timeouts), as typed. */ extra: string };
export type DisableRow = { type: string; zones: string };

export type CacheState = {
  ttl: string;
  zones: string[];
  /** Null: no such line. */
  success: CacheBucket | null;
  denial: CacheBucket | null;
  prefetch: Prefetch | null;
  serveStale: ServeStale | null;
  disable: DisableRow[];
  rest: OptionLine[];
};

const SHOWN = ["success", "denial", "prefetch", "serve_stale"] as const;

function readBucket(args: readonly string[] | undefined): CacheBucket | null | undefined {
  if (!args) return null;
  if (args.length < 1 || args.length > 3) return undefined;
  return { capacity: args[0] ?? "", ttl: args[1] ?? "", minTtl: args[2] ?? "" };
}

function writeBucket(name: string, b: CacheBucket | null, ttlDefault: string): OptionLine[] {
  if (!b) return [];
  const args = trimPositional([b.capacity, b.ttl, b.minTtl], [CACHE_DEFAULTS.capacity, ttlDefault]);
  return [{ name, args: args.length > 0 ? args : [CACHE_DEFAULTS.capacity] }];
}

export const cacheModel: EditorModel<CacheState> = guardRoundTrip({
  check(state: CacheState): FieldMessage[] {
    const ttl = state.ttl.trim();
    // CoreDNS reads a first value that is not a number as a zone, so the validator cannot tell this apart.
    if (ttl === "" || /^\d+$/.test(ttl)) return [];
    return [{ field: "local.ttl", severity: "error", code: "PLUGIN_INVALID_VALUE", message: "The TTL must be a whole number of seconds, e.g. 30." }];
  },
  read(values: FormValues): CacheState | null {
    const rows: DisableRow[] = [];
    const others: OptionLine[] = [];
    for (const o of values.options) {
      if (o.name === "disable" && o.args.length >= 1) rows.push({ type: o.args[0] as string, zones: joinWords(o.args.slice(1)) });
      else others.push(o);
    }
    const { first, rest } = takeOptions(others, SHOWN);
    const success = readBucket(first.get("success"));
    const denial = readBucket(first.get("denial"));
    if (success === undefined || denial === undefined) return null;
    const p = first.get("prefetch");
    if (p && (p.length < 1 || p.length > 3)) return null;
    const s = first.get("serve_stale");
    const hasTtl = /^\d+$/.test(values.args[0] ?? "");
    return {
      ttl: hasTtl ? (values.args[0] as string) : "",
      zones: values.args.slice(hasTtl ? 1 : 0),
      success,
      denial,
      prefetch: p ? { amount: p[0] ?? "", duration: p[1] ?? "", percentage: p[2] ?? "" } : null,
      serveStale: s ? { duration: s[0] ?? "", mode: s[1] ?? "", extra: joinWords(s.slice(2)) } : null,
      disable: rows,
      rest,
    };
  },
  write(state: CacheState): FormValues {
    const zones = state.zones.map((z) => z.trim()).filter((z) => z !== "");
    const ttl = state.ttl.trim();
    const prefetch = state.prefetch
      ? [{ name: "prefetch", args: trimPositional([state.prefetch.amount, state.prefetch.duration, state.prefetch.percentage], [undefined, CACHE_DEFAULTS.prefetchDuration]) }]
      : [];
    const stale = state.serveStale
      ? [
          {
            name: "serve_stale",
            args: trimPositional([state.serveStale.duration, state.serveStale.mode, ...splitWords(state.serveStale.extra)], [CACHE_DEFAULTS.serveStale, CACHE_DEFAULTS.serveStaleMode]),
          },
        ]
      : [];
    return {
      args: [...(ttl ? [ttl] : []), ...zones],
      options: [
        ...writeBucket("success", state.success, CACHE_DEFAULTS.successTtl),
        ...writeBucket("denial", state.denial, CACHE_DEFAULTS.denialTtl),
        ...prefetch,
        ...stale,
        ...state.disable.filter((d) => d.type.trim() !== "" || d.zones.trim() !== "").map((d) => ({ name: "disable", args: [d.type.trim(), ...splitWords(d.zones)] })),
        ...state.rest,
      ],
    };
  },
});
