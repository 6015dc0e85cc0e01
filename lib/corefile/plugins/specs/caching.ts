/**
 * The cache directive.
 */
import type { Token } from "../../lexer";
import type { Dispenser } from "../dispenser";
import { atoi, MINUTE, parseDuration, SECOND } from "../go";
import { arg, checkZoneArgs, eachOption, lastOf, opt, type PluginDefinition, Reporter } from "./helpers";

/** The cache's "unknown option" is a plain ArgErr in CoreDNS. */
function unknown(d: Dispenser, r: Reporter, o: Token): void {
  r.unknownOption(o, Reporter.argErrText(o));
  d.remainingArgTokens();
}

function capacityTtlMin(r: Reporter, o: Token, v: readonly Token[]): void {
  if (v.length === 0) {
    r.argCount(o, `\`${o.text}\` needs a CAPACITY (number of entries), optionally followed by a maximum TTL and a minimum TTL.`);
    return;
  }
  const cap = atoi(v[0]!.text);
  if (!cap.ok) return void r.invalid(v[0]!, "The capacity must be a whole number of entries.", cap.error);
  if (v[1]) {
    const t = atoi(v[1].text);
    if (!t.ok) return void r.invalid(v[1], "The TTL must be a whole number of seconds.", t.error);
    if (t.value <= 0) return void r.invalid(v[1], "The TTL must be at least 1 second.", `cache TTL can not be zero or negative: ${t.value}`);
  }
  if (v[2]) {
    const m = atoi(v[2].text);
    if (!m.ok) return void r.invalid(v[2], "The minimum TTL must be a whole number of seconds.", m.error);
    if (m.value < 0) return void r.invalid(v[2], "The minimum TTL cannot be negative.", `cache min TTL can not be negative: ${m.value}`);
  }
  if (v.length > 3) r.warning("PLUGIN_SUSPICIOUS", v[3]!, `\`${o.text}\` takes at most CAPACITY TTL MINTTL; the rest is ignored.`, undefined, lastOf(v, o));
}

function staleTTL(r: Reporter, t: Token): void {
  const p = parseDuration(t.text);
  if (!p.ok) return void r.invalid(t, "RESPONSE_TTL must be a duration in whole seconds, e.g. 30s.", `invalid serve_stale response TTL: ${p.error}`);
  if (p.value < 0) return void r.invalid(t, "RESPONSE_TTL cannot be negative.", "invalid negative response TTL for serve_stale");
  if (p.value % SECOND !== 0) return void r.invalid(t, "RESPONSE_TTL must be a whole number of seconds.", "serve_stale response TTL must be a whole number of seconds");
  if (p.value / SECOND > 4294967295) r.invalid(t, "RESPONSE_TTL is larger than a DNS TTL can be.", "serve_stale response TTL exceeds the DNS TTL range");
}

function staleRecheck(r: Reporter, t: Token): void {
  const p = parseDuration(t.text);
  if (!p.ok) return void r.invalid(t, "FAILURE_RECHECK must be a duration such as 30s.", `invalid serve_stale failure recheck: ${p.error}`);
  if (p.value < 0) return void r.invalid(t, "FAILURE_RECHECK cannot be negative.", "invalid negative failure recheck for serve_stale");
  if (p.value > 5 * MINUTE) r.invalid(t, "FAILURE_RECHECK cannot exceed 5 minutes.", "serve_stale failure recheck cannot exceed 5 minutes");
}

function serveStale(r: Reporter, o: Token, v: readonly Token[]): void {
  if (v.length > 5) return void r.argCount(v[5]!, "`serve_stale` takes at most DURATION MODE and three more values.", lastOf(v, o));
  if (v[0]) {
    const p = parseDuration(v[0].text);
    if (!p.ok) return void r.invalid(v[0], `'${v[0].text}' is not a duration; write e.g. 1h.`, p.error);
    if (p.value < 0) return void r.invalid(v[0], "The stale duration cannot be negative.", "invalid negative duration for serve_stale");
  }
  let verify = false;
  if (v[1]) {
    const mode = v[1].text.toLowerCase();
    if (mode !== "immediate" && mode !== "verify")
      return void r.invalid(v[1], "The refresh mode must be immediate or verify.", `invalid value for serve_stale refresh mode: ${mode}`);
    verify = mode === "verify";
  }
  if (v.length > 2) {
    if (verify) {
      const p = parseDuration(v[2]!.text);
      if (!p.ok) return void r.invalid(v[2]!, "VERIFY_TIMEOUT must be a duration such as 100ms (0 waits for the upstream).", `invalid serve_stale verify timeout: ${p.error}`);
      if (p.value < 0) return void r.invalid(v[2]!, "VERIFY_TIMEOUT cannot be negative.", "invalid negative timeout for serve_stale verify");
      if (v[3]) staleTTL(r, v[3]);
      if (v[4]) staleRecheck(r, v[4]);
    } else {
      if (v.length > 4) return void r.argCount(v[4]!, "In immediate mode `serve_stale` takes at most DURATION immediate RESPONSE_TTL FAILURE_RECHECK.", lastOf(v, o));
      staleTTL(r, v[2]!);
      if (v[3]) staleRecheck(r, v[3]);
    }
  }
}

export const cache: PluginDefinition = {
  spec: {
    name: "cache",
    summary: "Caches positive and negative answers (up to a maximum TTL) so repeated queries are answered without asking the next plugin.",
    group: "caching",
    repeatable: false,
    canAnswer: true,
    canFallthrough: false,
    forwards: false,
    args: [
      arg("TTL", "integer", { optional: true, min: 1, help: "Maximum time in seconds an answer is cached (default 3600 for answers, 1800 for denials)." }),
      arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones to cache; defaults to the server block's zones." }),
    ],
    options: [
      opt(
        "success",
        [arg("CAPACITY", "integer"), arg("TTL", "integer", { optional: true, min: 1 }), arg("MINTTL", "integer", { optional: true, min: 0, default: "5" })],
        "Size of the cache for positive answers, and optionally its maximum and minimum TTL in seconds.",
        { default: "9984 entries" },
      ),
      opt(
        "denial",
        [arg("CAPACITY", "integer"), arg("TTL", "integer", { optional: true, min: 1 }), arg("MINTTL", "integer", { optional: true, min: 0, default: "5" })],
        "Size of the cache for NXDOMAIN/NODATA answers, and optionally its maximum and minimum TTL in seconds.",
        { default: "9984 entries" },
      ),
      opt(
        "prefetch",
        [arg("AMOUNT", "integer", { min: 0 }), arg("DURATION", "duration", { optional: true, default: "1m" }), arg("PERCENTAGE%", "string", { optional: true, default: "10%", help: "10% to 90%" })],
        "Refresh popular entries before they expire: entries asked AMOUNT times without a gap longer than DURATION are re-fetched when PERCENTAGE of their TTL is left.",
      ),
      opt(
        "serve_stale",
        [
          arg("DURATION", "duration", { optional: true, default: "1h" }),
          arg("MODE", "enum", { optional: true, values: ["immediate", "verify"], default: "immediate" }),
          arg("VERIFY_TIMEOUT|RESPONSE_TTL", "duration", { optional: true }),
          arg("RESPONSE_TTL|FAILURE_RECHECK", "duration", { optional: true }),
          arg("FAILURE_RECHECK", "duration", { optional: true }),
        ],
        "Serve expired entries (up to DURATION past expiry) when the upstream cannot be reached; `verify` checks the upstream first. RFC 8767 suggests a 30s response TTL.",
        { versions: { added: "1.6.6" } },
      ),
      opt("serve_stale_policy", [arg("POLICY", "enum", { values: ["prefer_positive"] })], "With serve_stale: prefer a cached positive answer over a cached negative one. Needs serve_stale.", {
        versions: { added: "1.14.7" },
      }),
      opt("servfail", [arg("DURATION", "duration", { help: "0 to 5m" })], "How long SERVFAIL answers are cached (0 disables; at most 5m).", { default: "5s", versions: { added: "1.9.4" } }),
      opt("disable", [arg("TYPE", "enum", { values: ["success", "denial"] }), arg("ZONES", "zones", { optional: true, variadic: true })], "Do not cache positive (success) or negative (denial) answers for these zones (default: all).", {
        repeatable: true,
        versions: { added: "1.9.4" },
      }),
      opt("keepttl", [], "Return the original TTL instead of the remaining one (only sensible for authoritative data).", { versions: { added: "1.10.1" } }),
    ],
    block: "optional",
    syntax: "cache [TTL] [ZONES...] { success CAP [TTL] [MINTTL]; denial CAP [TTL] [MINTTL]; prefetch N [D] [P%]; serve_stale [D]; servfail D; disable success|denial [ZONES]; keepttl }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    let j = 0;
    while (d.next()) {
      const name = d.token();
      if (j++ > 0) {
        r.once(name);
        break;
      }
      let args = d.remainingArgTokens();
      if (args[0]) {
        const ttl = atoi(args[0].text);
        if (ttl.ok) {
          if (ttl.value <= 0) r.invalid(args[0], "The cache TTL must be at least 1 second.", `cache TTL can not be zero or negative: ${ttl.value}`);
          args = args.slice(1);
        }
      }
      checkZoneArgs(r, args);
      let staleSeen = false;
      let policy: Token | undefined;
      eachOption(d, (o) => {
        r.optionVersion(o);
        switch (o.text) {
          case "success":
          case "denial":
            capacityTtlMin(r, o, d.remainingArgTokens());
            break;
          case "prefetch": {
            const v = d.remainingArgTokens();
            if (v.length === 0 || v.length > 3) {
              r.argCount(v[3] ?? o, "`prefetch` takes AMOUNT [DURATION [PERCENTAGE%]].", lastOf(v, o));
              break;
            }
            const n = atoi(v[0]!.text);
            if (!n.ok) {
              r.invalid(v[0]!, "The prefetch amount must be a whole number.", n.error);
              break;
            }
            if (n.value < 0) {
              r.invalid(v[0]!, "The prefetch amount cannot be negative.", `prefetch amount should be positive: ${n.value}`);
              break;
            }
            if (v[1]) {
              const p = parseDuration(v[1].text);
              if (!p.ok) {
                r.invalid(v[1], `'${v[1].text}' is not a duration; write e.g. 1m.`, p.error);
                break;
              }
            }
            if (v[2]) {
              const pct = v[2].text;
              if (!pct.endsWith("%")) {
                r.invalid(v[2], "The percentage must end with %, e.g. 10%.", `last character of percentage should be \`%\`, but is: '${pct[pct.length - 1] ?? ""}'`);
                break;
              }
              const num = atoi(pct.slice(0, -1));
              if (!num.ok) r.invalid(v[2], "The percentage must be a whole number followed by %.", num.error);
              else if (num.value < 10 || num.value > 90) r.invalid(v[2], "The percentage must be between 10% and 90%.", `percentage should fall in range [10, 90]: ${num.value}`);
            }
            break;
          }
          case "serve_stale":
            staleSeen = true;
            serveStale(r, o, d.remainingArgTokens());
            break;
          case "serve_stale_policy": {
            if (policy) r.error("OPTION_DUPLICATE", o, "`serve_stale_policy` can only be given once.", "serve_stale_policy can only be specified once");
            policy = o;
            const v = d.remainingArgTokens();
            if (v.length !== 1) r.argCount(v[1] ?? o, "`serve_stale_policy` takes one policy: prefer_positive.");
            else if (v[0]!.text.toLowerCase() !== "prefer_positive")
              r.invalid(v[0]!, "The only serve_stale_policy is prefer_positive.", `invalid serve_stale_policy: ${v[0]!.text}`);
            break;
          }
          case "servfail": {
            const v = d.remainingArgTokens();
            if (v.length !== 1) {
              r.argCount(v[1] ?? o, "`servfail` takes one duration (0 disables, at most 5m).", lastOf(v, o));
              break;
            }
            const p = parseDuration(v[0]!.text);
            if (!p.ok) r.invalid(v[0]!, `'${v[0]!.text}' is not a duration; write e.g. 5s.`, p.error);
            else if (p.value < 0) r.invalid(v[0]!, "The SERVFAIL cache time cannot be negative.", "invalid negative ttl for servfail");
            else if (p.value > 5 * MINUTE) r.invalid(v[0]!, "SERVFAIL answers may be cached for at most 5 minutes.", "caching SERVFAIL responses over 5 minutes is not permitted");
            break;
          }
          case "disable": {
            const v = d.remainingArgTokens();
            if (v.length < 1) {
              r.argCount(o, "`disable` needs success or denial, optionally followed by zones.");
              break;
            }
            if (v[0]!.text !== "success" && v[0]!.text !== "denial")
              r.invalid(v[0]!, "`disable` takes success or denial.", 'cache type for disable must be "success" or "denial"');
            break;
          }
          case "keepttl": {
            const v = d.remainingArgTokens();
            if (v.length) r.argCount(v[0]!, "`keepttl` takes no arguments.", lastOf(v, o));
            break;
          }
          default:
            unknown(d, r, o);
        }
      });
      if (policy && !staleSeen)
        r.error("PLUGIN_MISSING_OPTION", policy, "`serve_stale_policy` only works together with `serve_stale`; add a serve_stale line.", "serve_stale_policy requires serve_stale");
    }
  },
};
