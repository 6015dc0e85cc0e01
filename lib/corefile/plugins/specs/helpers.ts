/**
 * Building blocks shared by the plugin definitions: spec builders and the value checks most plugins repeat
 * (durations, integers, zones, fallthrough, TLS file arguments...). Each check reports with CoreDNS's wording in
 * `corednsMessage` and returns whether the value was acceptable.
 */
import type { Token } from "../../lexer";
import { classifyUpstream, normalizeExact, zoneProblem } from "../coredns";
import type { Dispenser } from "../dispenser";
import { atoi, formatDuration, parseDuration, parseUint, type Parsed } from "../go";
import { Reporter } from "../report";
import type { ArgSpec, OptionSpec, PluginSpec, ValueKind, VersionInfo } from "../types";

/** What a validator gets besides the dispenser and the reporter. */
export interface PluginContext {
  /** Server-block keys as written; undefined when unknown. */
  serverBlockKeys: readonly string[] | undefined;
  /** Targeted CoreDNS version. */
  version: string;
}

export type Validator = (d: Dispenser, r: Reporter, ctx: PluginContext) => void;

/** A catalog entry without the fields the catalog fills in (order, docsUrl). */
export type SpecInput = Omit<PluginSpec, "order" | "docsUrl">;

/** One plugin: its catalog entry and its validator. */
export interface PluginDefinition {
  spec: SpecInput;
  validate: Validator;
}

export function arg(name: string, kind: ValueKind, extra: Partial<ArgSpec> = {}): ArgSpec {
  return { name, kind, ...extra };
}

export function opt(
  name: string,
  args: readonly ArgSpec[],
  help: string,
  extra: { default?: string; repeatable?: boolean; versions?: VersionInfo } = {},
): OptionSpec {
  return { name, args, help, ...extra };
}

/** The standard `fallthrough [ZONES...]` option. */
export function fallthroughOption(extra: { versions?: VersionInfo } = {}): OptionSpec {
  return opt(
    "fallthrough",
    [arg("ZONES", "zones", { optional: true, variadic: true })],
    "When this plugin has no answer (NXDOMAIN or no data), pass the query on to the next plugin instead of " +
      "replying. Limit this to the listed zones; without zones every query may fall through.",
    extra,
  );
}

/** Reads the remaining arguments of the current line as tokens. */
export function rest(d: Dispenser): Token[] {
  return d.remainingArgTokens();
}

/** The last token of a list, or the fallback. */
export function lastOf(toks: readonly Token[], fallback: Token): Token {
  return toks[toks.length - 1] ?? fallback;
}

/** Reports when the line has more arguments than allowed. */
export function tooMany(r: Reporter, toks: readonly Token[], max: number, what: string, corednsMessage?: string): boolean {
  if (toks.length <= max) return false;
  const first = toks[max]!;
  const last = toks[toks.length - 1]!;
  const msg = `Too many arguments: ${what}. Remove ${toks.length - max === 1 ? `'${first.text}'` : `the extra ${toks.length - max} values`}.`;
  if (corednsMessage !== undefined) r.argCountMsg(first, msg, corednsMessage, last);
  else r.argCount(first, msg, last);
  return true;
}

/** Go duration check with optional bounds (nanoseconds). Returns the value or undefined. */
export function duration(
  r: Reporter,
  tok: Token,
  label: string,
  opts: { min?: number; max?: number; positive?: boolean; nonNegative?: boolean; corednsMessage?: (p: Parsed<number>) => string } = {},
): number | undefined {
  const p = parseDuration(tok.text);
  if (!p.ok) {
    r.invalid(
      tok,
      `'${tok.text}' is not a valid duration for ${label}. Write a Go duration such as 30s, 5m or 1h30m (units: ns, us, ms, s, m, h).`,
      opts.corednsMessage ? opts.corednsMessage(p) : p.error,
    );
    return undefined;
  }
  const v = p.value;
  if (opts.positive && v <= 0) {
    r.invalid(tok, `${label} must be a positive duration; '${tok.text}' is not.`, opts.corednsMessage?.(p));
    return undefined;
  }
  if (opts.nonNegative && v < 0) {
    r.invalid(tok, `${label} cannot be negative.`, opts.corednsMessage?.(p));
    return undefined;
  }
  if (opts.min !== undefined && v < opts.min) {
    r.invalid(tok, `${label} must be at least ${formatDuration(opts.min)} (got ${tok.text}).`, opts.corednsMessage?.(p));
    return undefined;
  }
  if (opts.max !== undefined && v > opts.max) {
    r.invalid(tok, `${label} must be at most ${formatDuration(opts.max)} (got ${tok.text}).`, opts.corednsMessage?.(p));
    return undefined;
  }
  return v;
}

/** `strconv.Atoi` with optional inclusive bounds. */
export function integer(
  r: Reporter,
  tok: Token,
  label: string,
  opts: { min?: number; max?: number; corednsMessage?: string; rangeMessage?: string } = {},
): number | undefined {
  const p = atoi(tok.text);
  if (!p.ok) {
    r.invalid(tok, `${label} must be a whole number; '${tok.text}' is not.`, opts.corednsMessage ?? p.error);
    return undefined;
  }
  const v = p.value;
  if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
    const range =
      opts.min !== undefined && opts.max !== undefined
        ? `between ${opts.min} and ${opts.max}`
        : opts.min !== undefined
          ? `at least ${opts.min}`
          : `at most ${opts.max}`;
    r.invalid(tok, `${label} must be ${range} (got ${v}).`, opts.rangeMessage);
    return undefined;
  }
  return v;
}

/** `strconv.ParseUint(s, base, bits)`. */
export function unsigned(r: Reporter, tok: Token, label: string, base: number, bits: number): number | undefined {
  const p = parseUint(tok.text, base, bits);
  if (!p.ok) {
    const max = bits >= 64 ? "2^64-1" : String(2 ** bits - 1);
    r.invalid(tok, `${label} must be a whole number from 0 to ${max}; '${tok.text}' is not.`, p.error);
    return undefined;
  }
  return p.value;
}

/**
 * Zone arguments that CoreDNS would silently drop (`OriginsFromArgsOrServerBlock` ignores values that are not valid
 * names): a warning, since CoreDNS starts anyway but the plugin will not serve them.
 */
export function checkZoneArgs(r: Reporter, toks: readonly Token[]): void {
  for (const t of toks) {
    const problem = zoneProblem(t.text);
    if (problem) {
      r.warning(
        "PLUGIN_SUSPICIOUS",
        t,
        `'${t.text}' is not a usable zone (${problem}); CoreDNS silently ignores it. Write a domain name such as example.org. or a CIDR such as 10.0.0.0/8.`,
      );
    }
  }
}

/** The standard `fallthrough [ZONES...]` handling: zones that do not normalise are dropped silently by CoreDNS. */
export function checkFallthrough(r: Reporter, zones: readonly Token[]): void {
  for (const t of zones) {
    if (normalizeExact(t.text).length === 0) {
      r.warning(
        "PLUGIN_SUSPICIOUS",
        t,
        `'${t.text}' is not a valid zone, so CoreDNS ignores it in fallthrough. Write a domain name such as example.org.`,
      );
    }
  }
}

/** `tls [CERT KEY [CA]]`-style arguments for pkg/tls.NewTLSConfigFromArgs (files are not checked). */
export function checkTLSArgs(r: Reporter, optTok: Token, toks: readonly Token[]): void {
  if (toks.length > 3) {
    r.argCountMsg(
      toks[3]!,
      `'${optTok.text}' takes at most three files: CERT KEY [CA] (or just CA, or nothing). Remove the extra values.`,
      `maximum of three arguments allowed for TLS config, found ${toks.length}`,
      toks[toks.length - 1],
    );
  }
}

/** The standard unknown-property error: `unknown property 'x'`. */
export function unknownProperty(r: Reporter, tok: Token, extra?: readonly string[], format: "quote" | "q" = "quote"): void {
  r.unknownOption(tok, format === "q" ? `unknown property ${JSON.stringify(tok.text)}` : `unknown property '${tok.text}'`, extra);
}

/** caddy ArgErr for an option with missing values. */
export function missingArgs(r: Reporter, tok: Token, what: string): void {
  r.argCount(tok, `'${tok.text}' needs ${what}.`);
}

/** Consumes the rest of a line (after an error). */
export function skipLine(d: Dispenser): void {
  d.remainingArgTokens();
}

/** Loops over the block of the current line like `for c.NextBlock()`, calling `fn` with the option token. */
export function eachOption(d: Dispenser, fn: (opt: Token) => void): void {
  while (d.nextBlock()) fn(d.token());
}

/** Checks an upstream address as parse.HostPortOrFile would, statically (files and hostnames cannot be confirmed). */
export function upstreamProblem(h: string): string | null {
  const u = classifyUpstream(h);
  return u.kind === "invalid" ? u.error : null;
}

export { Reporter };
