/**
 * Re-implementations of the Go standard-library and miekg/dns parsing functions that CoreDNS plugins call while they
 * read their configuration (strconv, time.ParseDuration, net.ParseIP/ParseCIDR/SplitHostPort, dns.IsDomainName, the
 * DNS name tables...). Each one accepts exactly what the Go function accepts, so that a value we call invalid is one
 * CoreDNS refuses too. All functions are pure and allocation-light: they run on every keystroke.
 *
 * Go strings are byte strings: wherever Go counts length, these functions count UTF-8 bytes.
 */

/** A successful parse or an error message (worded like Go's). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** Length of `s` in UTF-8 bytes (Go's `len(s)`). */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Go's `strconv.Quote`-like rendering used in messages: `"text"`. */
export function q(s: string): string {
  return JSON.stringify(s);
}

// ---------------------------------------------------------------------------------------------------------------------
// strconv

const MAX_INT64 = 9223372036854775807;
const MAX_UINT64 = 18446744073709551615;

function digitVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 97 + 10;
  if (c >= 65 && c <= 90) return c - 65 + 10;
  return 99;
}

/** Go's `underscoreOK`: underscores only between digits or after a base prefix. */
function underscoreOK(s: string): boolean {
  let saw = "^";
  let i = 0;
  if (s.length >= 1 && (s[0] === "-" || s[0] === "+")) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === "0") {
    const l = s[1]!.toLowerCase();
    if (l === "b" || l === "o" || l === "x") {
      hex = l === "x";
      i = 2;
      saw = "0";
    }
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= "0" && c <= "9") || (hex && /[a-fA-F]/.test(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

function uintSyntax(s: string): Parsed<number> {
  return fail(`strconv.ParseUint: parsing ${q(s)}: invalid syntax`);
}

/**
 * Go's `strconv.ParseUint(s, base, bitSize)`. `base` 0 honours the 0x/0o/0b/0 prefixes and underscores.
 * Values above 2^53 lose precision, which only matters for 64-bit limits (checked approximately).
 */
export function parseUint(s0: string, base: number, bitSize: number): Parsed<number> {
  let s = s0;
  if (s === "") return uintSyntax(s0);
  const base0 = base === 0;
  if (base === 0) {
    base = 10;
    if (s[0] === "0") {
      const l = s.length >= 3 ? s[1]!.toLowerCase() : "";
      if (l === "b") {
        base = 2;
        s = s.slice(2);
      } else if (l === "o") {
        base = 8;
        s = s.slice(2);
      } else if (l === "x") {
        base = 16;
        s = s.slice(2);
      } else {
        base = 8;
        s = s.slice(1);
      }
    }
  }
  const max = bitSize >= 64 ? MAX_UINT64 : 2 ** bitSize - 1;
  let n = 0;
  let underscores = false;
  let range = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 95 && base0) {
      underscores = true;
      continue;
    }
    const d = digitVal(c);
    if (d >= base) return uintSyntax(s0);
    n = n * base + d;
    if (n > max) range = true;
  }
  if (underscores && !underscoreOK(s0)) return uintSyntax(s0);
  if (range) return fail(`strconv.ParseUint: parsing ${q(s0)}: value out of range`);
  return ok(n);
}

function intError(s: string, why: string): Parsed<number> {
  return fail(`strconv.ParseInt: parsing ${q(s)}: ${why}`);
}

/** Go's `strconv.ParseInt(s, base, bitSize)`. */
export function parseInt64(s: string, base: number, bitSize: number): Parsed<number> {
  if (s === "") return intError(s, "invalid syntax");
  let neg = false;
  let body = s;
  if (s[0] === "+") body = s.slice(1);
  else if (s[0] === "-") {
    neg = true;
    body = s.slice(1);
  }
  const u = parseUint(body, base, 64);
  if (!u.ok) return intError(s, u.error.includes("range") ? "value out of range" : "invalid syntax");
  const cutoff = bitSize >= 64 ? MAX_INT64 + 1 : 2 ** (bitSize - 1);
  if (!neg && u.value >= cutoff) return intError(s, "value out of range");
  if (neg && u.value > cutoff) return intError(s, "value out of range");
  return ok(neg ? -u.value : u.value);
}

const DECIMAL_INT = /^[+-]?[0-9]+$/;

/** Go's `strconv.Atoi`: an optional sign and decimal digits, within int64. */
export function atoi(s: string): Parsed<number> {
  if (!DECIMAL_INT.test(s)) return fail(`strconv.Atoi: parsing ${q(s)}: invalid syntax`);
  if (s.length <= 15) return ok(Number(s));
  const r = parseInt64(s, 10, 64);
  if (!r.ok) return fail(`strconv.Atoi: parsing ${q(s)}: value out of range`);
  return r;
}

const FLOAT_SPECIAL = /^[+-]?(inf|infinity|nan)$/i;
const FLOAT_DEC = /^[+-]?(?=[.]?[0-9])[0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9_]+)?$/;
const FLOAT_HEX = /^[+-]?0[xX](?=[.]?[0-9a-fA-F_])[0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([pP][+-]?[0-9_]+)?$/;

/** Go's `strconv.ParseFloat(s, bitSize)` (decimal, hexadecimal, inf/nan, underscores between digits). */
export function parseFloat64(s: string, bitSize: 32 | 64): Parsed<number> {
  const fn = `strconv.ParseFloat: parsing ${s.length < 64 ? q(s) : "..."}`;
  if (FLOAT_SPECIAL.test(s)) {
    const neg = s[0] === "-";
    const l = s.toLowerCase();
    return ok(l.includes("nan") ? NaN : neg ? -Infinity : Infinity);
  }
  let value: number;
  if (FLOAT_HEX.test(s)) {
    if (!/[pP]/.test(s)) return fail(`${fn}: invalid syntax`);
    if (s.includes("_") && !underscoreOK(s)) return fail(`${fn}: invalid syntax`);
    const clean = s.replace(/_/g, "");
    const m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(clean);
    if (!m) return fail(`${fn}: invalid syntax`);
    const intPart = m[2] ?? "";
    const frac = m[3] ?? "";
    let mant = 0;
    for (const c of intPart + frac) mant = mant * 16 + digitVal(c.charCodeAt(0));
    value = mant * 2 ** (Number(m[4]) - 4 * frac.length);
    if (m[1] === "-") value = -value;
  } else if (FLOAT_DEC.test(s)) {
    if (s.includes("_") && !underscoreOK(s)) return fail(`${fn}: invalid syntax`);
    value = Number(s.replace(/_/g, ""));
    if (Number.isNaN(value)) return fail(`${fn}: invalid syntax`);
  } else {
    return fail(`${fn}: invalid syntax`);
  }
  const limit = bitSize === 32 ? 3.4028234663852886e38 : Number.MAX_VALUE;
  if (!Number.isFinite(value) || Math.abs(value) > limit) return fail(`${fn}: value out of range`);
  return ok(value);
}

const BOOL_TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const BOOL_FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** Go's `strconv.ParseBool`. */
export function parseBool(s: string): Parsed<boolean> {
  if (BOOL_TRUE.has(s)) return ok(true);
  if (BOOL_FALSE.has(s)) return ok(false);
  return fail(`strconv.ParseBool: parsing ${q(s)}: invalid syntax`);
}

// ---------------------------------------------------------------------------------------------------------------------
// time

export const NANOSECOND = 1;
export const MICROSECOND = 1e3;
export const MILLISECOND = 1e6;
export const SECOND = 1e9;
export const MINUTE = 60e9;
export const HOUR = 3600e9;

const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  "µs": 1e3,
  "μs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const TWO63 = 9223372036854775808;

function invalidDuration(orig: string): Parsed<number> {
  return fail(`time: invalid duration ${q(orig)}`);
}

/**
 * Go's `time.ParseDuration`: a sequence of decimal numbers, each with an optional fraction and a unit
 * (ns, us, µs, ms, s, m, h), with an optional sign; `0` alone needs no unit. Returns nanoseconds.
 */
export function parseDuration(orig: string): Parsed<number> {
  let s = orig;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return ok(0);
  if (s === "") return invalidDuration(orig);
  let d = 0;
  let i = 0;
  const n = s.length;
  while (i < n) {
    let c = s.charCodeAt(i);
    if (!(c === 46 || (c >= 48 && c <= 57))) return invalidDuration(orig);
    let v = 0;
    const start = i;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      if (v > TWO63) return invalidDuration(orig);
      i++;
    }
    const pre = i !== start;
    let f = 0;
    let scale = 1;
    let post = false;
    if (i < n && s.charCodeAt(i) === 46) {
      i++;
      const fs = i;
      let overflow = false;
      while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
        if (!overflow) {
          if (f > 9.2e17) overflow = true;
          else {
            f = f * 10 + (c - 48);
            scale *= 10;
          }
        }
        i++;
      }
      post = i !== fs;
    }
    if (!pre && !post) return invalidDuration(orig);
    const us = i;
    while (i < n) {
      c = s.charCodeAt(i);
      if (c === 46 || (c >= 48 && c <= 57)) break;
      i++;
    }
    if (i === us) return fail(`time: missing unit in duration ${q(orig)}`);
    const u = s.slice(us, i);
    const unit = UNITS[u];
    if (unit === undefined) return fail(`time: unknown unit ${q(u)} in duration ${q(orig)}`);
    if (v > TWO63 / unit) return invalidDuration(orig);
    v *= unit;
    if (f > 0) {
      v += Math.floor(f * (unit / scale));
      if (v > TWO63) return invalidDuration(orig);
    }
    d += v;
    if (d > TWO63) return invalidDuration(orig);
  }
  if (neg) return ok(-d);
  if (d > TWO63 - 1) return invalidDuration(orig);
  return ok(d);
}

/** Formats nanoseconds roughly like Go's `Duration.String` (for messages). */
export function formatDuration(ns: number): string {
  if (ns === 0) return "0s";
  const neg = ns < 0;
  let v = Math.abs(ns);
  let out = "";
  if (v < SECOND) {
    if (v < MICROSECOND) out = `${v}ns`;
    else if (v < MILLISECOND) out = `${v / MICROSECOND}µs`;
    else out = `${v / MILLISECOND}ms`;
  } else {
    const h = Math.floor(v / HOUR);
    v -= h * HOUR;
    const m = Math.floor(v / MINUTE);
    v -= m * MINUTE;
    const sec = Math.round((v / SECOND) * 1e9) / 1e9;
    if (h > 0) out += `${h}h`;
    if (h > 0 || m > 0) out += `${m}m`;
    out += `${sec}s`;
  }
  return neg ? `-${out}` : out;
}

// ---------------------------------------------------------------------------------------------------------------------
// net

/** A parsed IP: 16 bytes (IPv4 addresses are stored IPv4-mapped) and whether it was written as dotted IPv4. */
export interface IPValue {
  bytes: Uint8Array;
  is4: boolean;
  zone: string;
}

function parseIPv4Into(s: string, out: Uint8Array, at: number): string | null {
  let val = 0;
  let pos = 0;
  let digLen = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digLen === 1 && val === 0) return "IPv4 field has octet with leading zero";
      val = val * 10 + (c - 48);
      digLen++;
      if (val > 255) return "IPv4 field has value >255";
    } else if (c === 46) {
      if (i === 0 || i === s.length - 1 || s.charCodeAt(i - 1) === 46) return "IPv4 field must have at least one digit";
      if (pos === 3) return "IPv4 address too long";
      out[at + pos] = val;
      pos++;
      val = 0;
      digLen = 0;
    } else return "unexpected character";
  }
  if (pos < 3) return "IPv4 address too short";
  out[at + 3] = val;
  return null;
}

function parseIPv6(input: string): Parsed<IPValue> {
  let s = input;
  let zone = "";
  const pct = s.indexOf("%");
  if (pct !== -1) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === "") return fail("zone must be a non-empty string");
  }
  const ip = new Uint8Array(16);
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ":" && s[1] === ":") {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return ok({ bytes: ip, is4: false, zone });
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const c = s.charCodeAt(off);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else break;
      if (off > 3) return fail("each colon-separated field must have at most 4 hex digits");
      acc = acc * 16 + d;
      if (acc > 0xffff) return fail("IPv6 field has value >=2^16");
    }
    if (off === 0) return fail("each colon-separated field must have at least one digit");
    if (off < s.length && s[off] === ".") {
      if (ellipsis < 0 && i !== 12) return fail("embedded IPv4 address must replace the final 2 fields of the address");
      if (i + 4 > 16) return fail("too many hex fields to fit an embedded IPv4 at the end of the address");
      const e = parseIPv4Into(s, ip, i);
      if (e) return fail(e);
      s = "";
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ":") return fail("unexpected character, want colon");
    if (s.length === 1) return fail("colon must be followed by more characters");
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) return fail("multiple :: in address");
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return fail("trailing garbage after address");
  if (i < 16) {
    if (ellipsis < 0) return fail("address string too short");
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) return fail("the :: must expand to at least one field of zeros");
  return ok({ bytes: ip, is4: false, zone });
}

/** Go's `netip.ParseAddr` (IPv4 without leading zeros, IPv6 with optional zone). */
export function parseAddr(s: string): Parsed<IPValue> {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ".") {
      const bytes = new Uint8Array(16);
      bytes[10] = 0xff;
      bytes[11] = 0xff;
      const e = parseIPv4Into(s, bytes, 12);
      if (e) return fail(`ParseAddr(${q(s)}): ${e}`);
      return ok({ bytes, is4: true, zone: "" });
    }
    if (c === ":") {
      const r = parseIPv6(s);
      return r.ok ? r : fail(`ParseAddr(${q(s)}): ${r.error}`);
    }
    if (c === "%") return fail(`ParseAddr(${q(s)}): missing IPv6 address`);
  }
  return fail(`ParseAddr(${q(s)}): unable to parse IP`);
}

/** Go's `net.ParseIP`: true when `s` is an IPv4 or IPv6 address without a zone. */
export function isIP(s: string): boolean {
  const r = parseAddr(s);
  return r.ok && r.value.zone === "";
}

/** A parsed CIDR prefix. */
export interface CIDRValue {
  /** The network address (host bits cleared), 16 bytes. */
  network: Uint8Array;
  /** Prefix length. */
  ones: number;
  /** 32 for IPv4, 128 for IPv6. */
  bits: number;
}

/** Go's `net.ParseCIDR`. */
export function parseCIDR(s: string): Parsed<CIDRValue> {
  const err = (): Parsed<CIDRValue> => fail(`invalid CIDR address: ${s}`);
  const slash = s.indexOf("/");
  if (slash < 0) return err();
  const a = parseAddr(s.slice(0, slash));
  if (!a.ok || a.value.zone !== "") return err();
  const mask = s.slice(slash + 1);
  let n = 0;
  let i = 0;
  for (; i < mask.length; i++) {
    const c = mask.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
    if (n >= 0xffffff) return err();
  }
  if (i === 0 || i !== mask.length) return err();
  const bits = a.value.is4 ? 32 : 128;
  if (n > bits) return err();
  const network = a.value.bytes.slice();
  const offset = a.value.is4 ? 96 : 0;
  for (let b = offset + n; b < 128; b++) network[b >> 3]! &= ~(0x80 >> (b & 7));
  if (a.value.is4) {
    network[10] = 0xff;
    network[11] = 0xff;
  }
  return ok({ network, ones: n, bits });
}

/** Go's `net.SplitHostPort` (the host may be empty, the port may be any text). */
export function splitHostPort(hostport: string): Parsed<{ host: string; port: string }> {
  const addrErr = (why: string): Parsed<{ host: string; port: string }> => fail(`address ${hostport}: ${why}`);
  const i = hostport.lastIndexOf(":");
  if (i < 0) return addrErr("missing port in address");
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === "[") {
    const end = hostport.indexOf("]");
    if (end < 0) return addrErr("missing ']' in address");
    if (end + 1 === hostport.length) return addrErr("missing port in address");
    if (end + 1 !== i) {
      if (hostport[end + 1] === ":") return addrErr("too many colons in address");
      return addrErr("missing port in address");
    }
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(":")) return addrErr("too many colons in address");
  }
  if (hostport.indexOf("[", j) >= 0) return addrErr("unexpected '[' in address");
  if (hostport.indexOf("]", k) >= 0) return addrErr("unexpected ']' in address");
  return ok({ host, port: hostport.slice(i + 1) });
}

// ---------------------------------------------------------------------------------------------------------------------
// miekg/dns

function isFqdn(s: string): boolean {
  if (s === "" || s[s.length - 1] !== ".") return false;
  const t = s.slice(0, -1);
  if (t === "" || t[t.length - 1] !== "\\") return true;
  let k = t.length - 1;
  while (k >= 0 && t[k] === "\\") k--;
  return (t.length - 1 - k) % 2 !== 0;
}

/** miekg/dns `Fqdn`: adds the final dot unless it is already there (and not escaped). */
export function fqdn(s: string): string {
  return isFqdn(s) ? s : s + ".";
}

const encoder = typeof TextEncoder !== "undefined" ? new TextEncoder() : null;

function toBytes(s: string): ArrayLike<number> {
  if (/^[\x00-\x7f]*$/.test(s)) {
    const a = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
    return a;
  }
  return encoder ? encoder.encode(s) : Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

function isDDD(b: ArrayLike<number>, at: number): boolean {
  if (at + 3 > b.length) return false;
  for (let k = 0; k < 3; k++) {
    const c = b[at + k]!;
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** miekg/dns `IsDomainName`: syntactic check of a (possibly relative) name: label and name lengths, dots, escapes. */
export function isDomainName(s: string): boolean {
  if (s.length === 0) return false;
  const b = toBytes(fqdn(s));
  const lenmsg = 256;
  let off = 0;
  let begin = 0;
  let wasDot = false;
  let escape = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 92) {
      escape = !escape;
      if (off + 1 > lenmsg) return false;
      if (isDDD(b, i + 1)) {
        i += 3;
        begin += 3;
      } else {
        i++;
        begin++;
      }
      wasDot = false;
    } else if (c === 46) {
      escape = false;
      if (i === 0 && b.length > 1) return false;
      if (wasDot) return false;
      wasDot = true;
      const labelLen = i - begin;
      if (labelLen >= 64) return false;
      off += 1 + labelLen;
      if (off > lenmsg) return false;
      begin = i + 1;
    } else {
      escape = false;
      wasDot = false;
    }
  }
  return !escape;
}

/** CoreDNS `plugin.Name(s).Normalize()`: lower-case FQDN. */
export function normalizeName(s: string): string {
  return fqdn(s).toLowerCase();
}

/** miekg/dns TypeToString values (the keys of `dns.StringToType`), including `None`, `Reserved` and `NSAP-PTR`. */
export const DNS_TYPES: readonly string[] = [
  "A", "AAAA", "AFSDB", "AMTRELAY", "ANY", "APL", "ATMA", "AVC", "AXFR", "CAA", "CDNSKEY", "CDS", "CERT", "CNAME",
  "CSYNC", "DHCID", "DLV", "DNAME", "DNSKEY", "DS", "EID", "EUI48", "EUI64", "GID", "GPOS", "HINFO", "HIP", "HTTPS",
  "IPSECKEY", "ISDN", "IXFR", "KEY", "KX", "L32", "L64", "LOC", "LP", "MAILA", "MAILB", "MB", "MD", "MF", "MG", "MINFO",
  "MR", "MX", "NAPTR", "NID", "NIMLOC", "NINFO", "NS", "NSEC", "NSEC3", "NSEC3PARAM", "NULL", "NXNAME", "NXT", "None",
  "OPENPGPKEY", "OPT", "PTR", "PX", "RESINFO", "RKEY", "RP", "RRSIG", "RT", "Reserved", "SIG", "SMIMEA", "SOA", "SPF",
  "SRV", "SSHFP", "SVCB", "TA", "TALINK", "TKEY", "TLSA", "TSIG", "TXT", "UID", "UINFO", "UNSPEC", "URI", "X25",
  "ZONEMD", "NSAP-PTR",
];
/** `dns.StringToType` keys (exact, case-sensitive). */
export const DNS_TYPE_SET: ReadonlySet<string> = new Set(DNS_TYPES);

/** `dns.StringToClass` keys. */
export const DNS_CLASSES: readonly string[] = ["IN", "CS", "CH", "HS", "NONE", "ANY"];
export const DNS_CLASS_SET: ReadonlySet<string> = new Set(DNS_CLASSES);

/** `dns.StringToRcode` keys with their numeric codes (includes the alias `NOTIMPL`). */
export const DNS_RCODES: Readonly<Record<string, number>> = Object.freeze({
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  NOTIMPL: 4,
  REFUSED: 5,
  YXDOMAIN: 6,
  YXRRSET: 7,
  NXRRSET: 8,
  NOTAUTH: 9,
  NOTZONE: 10,
  DSOTYPENI: 11,
  BADSIG: 16,
  BADKEY: 17,
  BADTIME: 18,
  BADMODE: 19,
  BADNAME: 20,
  BADALG: 21,
  BADTRUNC: 22,
  BADCOOKIE: 23,
});

export function rcodeOf(s: string): number | undefined {
  return Object.hasOwn(DNS_RCODES, s) ? DNS_RCODES[s] : undefined;
}

/** `dns.StringToOpcode` keys. */
export const DNS_OPCODES: readonly string[] = ["QUERY", "IQUERY", "STATUS", "NOTIFY", "UPDATE"];

/** Decodes an even-length hex string (Go's `hex.DecodeString` validity). */
export function isHex(s: string): boolean {
  return s.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(s);
}
