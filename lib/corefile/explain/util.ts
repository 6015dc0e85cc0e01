/**
 * Small helpers of the explainer: source ranges of tokens, Go regular expressions run by JavaScript, DNS name
 * handling, and reverse names.
 */
import type { Token } from "../lexer";
import { checkGoRegexp } from "../plugins/goregexp";
import { parseIPv4, parseIPv6 } from "../keys";
import { ipv6Text } from "../../dns/message";
import type { ExplainRecord, SourceRange } from "./types";

/** The range from the first to the last of `tokens` (the whole directive or option line). */
export function rangeOfTokens(tokens: readonly Token[]): SourceRange | undefined {
  const first = tokens[0];
  if (!first) return undefined;
  // The last token in the same file as the first (imports can splice other files in).
  let last = first;
  for (const t of tokens) if (t.file === first.file && t.caddyFile === first.caddyFile && t.end >= last.end) last = t;
  return {
    file: first.file,
    line: first.line,
    column: first.column,
    endLine: last.endLine,
    endColumn: last.endColumn,
    offset: first.start,
    endOffset: last.end,
    imported: first.caddyFile !== "",
  };
}

/** Lower case and fully qualified, as CoreDNS compares names. */
export function normalizeName(name: string): string {
  const n = name.trim().toLowerCase();
  if (n === "" || n === ".") return ".";
  return n.endsWith(".") ? n : `${n}.`;
}

/** Whether `child` equals `parent` or lies below it (both normalised). */
export function isSubdomain(child: string, parent: string): boolean {
  if (parent === ".") return true;
  if (child === parent) return true;
  return child.length > parent.length && child.endsWith(parent) && child.charCodeAt(child.length - parent.length - 1) === 46;
}

/** CoreDNS's `plugin.Zones.Matches`: the longest zone that contains `name`, or "". */
export function matchZone(zones: readonly string[], name: string): string {
  let best = "";
  for (const z of zones) if (isSubdomain(name, z) && z.length > best.length) best = z;
  return best;
}

/** The labels of a name (without the root). */
export function labelsOf(name: string): string[] {
  return name === "." ? [] : name.replace(/\.$/, "").split(".");
}

/** A miekg/dns `IsDomainName` approximation for rewritten names: no empty labels, labels ≤ 63, name ≤ 255 bytes. */
export function isValidName(name: string): boolean {
  if (name === ".") return true;
  if (name.length > 255 || name.startsWith(".")) return false;
  return labelsOf(name).every((l) => l.length > 0 && l.length < 64);
}

type CompiledRegexp = { re: RegExp } | { error: string };
const regexCache = new Map<string, CompiledRegexp>();

/**
 * A Go (RE2) regular expression as a JavaScript one, for the common syntax (named groups `(?P<n>...)`, leading
 * `(?i)`/`(?s)`/`(?m)` flags, `\A`, `\z`, POSIX classes). `{ error }` when Go would reject it or JavaScript cannot run
 * it the same way.
 */
export function compileGoRegexp(pattern: string): CompiledRegexp {
  const hit = regexCache.get(pattern);
  if (hit) return hit;
  let result: CompiledRegexp;
  const check = checkGoRegexp(pattern);
  if (!check.ok) result = { error: `CoreDNS rejects this regular expression: ${check.error}` };
  else {
    let src = pattern;
    let flags = "";
    const lead = /^\(\?([imsU]+)\)/.exec(src);
    if (lead) {
      const f = lead[1] as string;
      if (f.includes("U")) src = "(?U)"; // not runnable here: reported below
      if (f.includes("i")) flags += "i";
      if (f.includes("s")) flags += "s";
      if (f.includes("m")) flags += "m";
      if (src !== "(?U)") src = src.slice(lead[0].length);
    }
    src = src
      .replace(/\(\?P</g, "(?<")
      .replace(/\\A/g, "^")
      .replace(/\\z/g, "$(?![\\s\\S])")
      .replace(/\[:alpha:\]/g, "A-Za-z")
      .replace(/\[:digit:\]/g, "0-9")
      .replace(/\[:alnum:\]/g, "A-Za-z0-9")
      .replace(/\[:lower:\]/g, "a-z")
      .replace(/\[:upper:\]/g, "A-Z")
      .replace(/\[:space:\]/g, "\\s")
      .replace(/\[:word:\]/g, "\\w")
      .replace(/\[:xdigit:\]/g, "0-9A-Fa-f")
      .replace(/\[:punct:\]/g, "!-\\/:-@\\[-`{-~");
    if (/\(\?[a-zA-Z]/.test(src)) result = { error: "inline flags inside the expression are not supported by the explainer" };
    else {
      try {
        result = { re: new RegExp(src, flags) };
      } catch (e) {
        result = { error: `the explainer cannot run this expression (${e instanceof Error ? e.message : String(e)})` };
      }
    }
  }
  if (regexCache.size > 1000) regexCache.clear();
  regexCache.set(pattern, result);
  return result;
}

/** The IP address a reverse name stands for (`4.3.2.1.in-addr.arpa.` → `1.2.3.4`), or null. */
export function addressFromReverse(name: string): string | null {
  const n = normalizeName(name);
  if (n.endsWith(".in-addr.arpa.")) {
    const parts = labelsOf(n.slice(0, -".in-addr.arpa.".length));
    if (parts.length !== 4) return null;
    const ip = parts.reverse().join(".");
    return parseIPv4(ip) ? ip : null;
  }
  if (n.endsWith(".ip6.arpa.")) {
    const nibbles = labelsOf(n.slice(0, -".ip6.arpa.".length));
    if (nibbles.length !== 32 || !nibbles.every((x) => /^[0-9a-f]$/.test(x))) return null;
    const hex = nibbles.reverse().join("");
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4));
    return canonicalIp(groups.join(":"));
  }
  return null;
}

/** The reverse name of an IP address, or null when it is not one. */
export function reverseName(ip: string): string | null {
  const v4 = parseIPv4(ip);
  if (v4) return `${v4.slice().reverse().join(".")}.in-addr.arpa.`;
  const v6 = ip.includes(":") ? parseIPv6(ip) : null;
  if (!v6) return null;
  const nibbles: string[] = [];
  for (const b of v6) nibbles.push((b >> 4).toString(16), (b & 0xf).toString(16));
  return `${nibbles.reverse().join(".")}.ip6.arpa.`;
}

/** An IP address in canonical text (IPv6 compressed), or null. */
export function canonicalIp(ip: string): string | null {
  const v4 = parseIPv4(ip);
  if (v4) return v4.join(".");
  const v6 = ip.includes(":") ? parseIPv6(ip.replace(/%.*$/, "")) : null;
  if (!v6) return null;
  if (v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return v6.slice(12).join(".");
  return ipv6Text(Uint8Array.from(v6));
}

/** Whether an address is IPv4 (after canonicalisation, v4-mapped IPv6 counts as IPv4). */
export function isIPv4(ip: string): boolean {
  return parseIPv4(ip) !== null;
}

/** Whether `ip` lies in `cidr` (`10.0.0.0/8`, `2001:db8::/32`, or a bare address). */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.includes("/") ? (cidr.split("/") as [string, string]) : [cidr, ""];
  const a = parseIPv4(ip) ?? (ip.includes(":") ? parseIPv6(ip) : null);
  const b = parseIPv4(net) ?? (net.includes(":") ? parseIPv6(net) : null);
  if (!a || !b || a.length !== b.length) return false;
  const ones = bits === "" ? a.length * 8 : Number(bits);
  if (!Number.isInteger(ones) || ones < 0 || ones > a.length * 8) return false;
  for (let i = 0; i < a.length; i++) {
    const keep = Math.max(0, Math.min(8, ones - i * 8));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if (((a[i] as number) & mask) !== ((b[i] as number) & mask)) return false;
  }
  return true;
}

/** A record in presentation form. */
export function rr(name: string, ttl: number, type: string, data: string, cls = "IN"): ExplainRecord {
  return { name, ttl, class: cls, type, data };
}

/** One line of text per record (`name ttl class type data`). */
export function formatRecord(r: ExplainRecord): string {
  return `${r.name} ${r.ttl} ${r.class} ${r.type} ${r.data}`;
}

/** `a, b and c`. */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
