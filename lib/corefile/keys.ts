/**
 * CoreDNS's checks on server-block keys, which run after caddy has parsed the file (core/dnsserver/register.go
 * `InspectServerBlocks`, plugin/normalize.go `SplitHostPort`, and the zone/listener overlap check of `MakeServers`).
 *
 * A key is `[transport://]zone[:port]`: transports dns (default), tls, quic, grpc, https, https3, unix; the zone must
 * pass miekg/dns `IsDomainName` (≤ 255 bytes, no empty label, labels < 64 bytes); a zone written as a CIDR
 * (`10.0.0.0/8`) becomes its reverse zone(s), split on octet (IPv4) or nibble (IPv6) boundaries; the port defaults to
 * 53 (853 for tls/quic, 443 for grpc/https/https3). Two server blocks may not serve the same transport, zone and port
 * on the same listen address, and an unbound block (no `bind`) overlaps every bound one; blocks with a `view` may share.
 *
 * Limits: `bind` to an interface name cannot be resolved here, so such blocks are left out of the overlap check.
 */
import type { ServerBlock } from "./caddy-parser";
import type { Diagnostic } from "./diagnostics";
import { rangeOf } from "./diagnostics";
import type { Token } from "./lexer";
import { utf8Encode } from "./sha512";

/** Default port of each transport; unix has none. */
const DEFAULT_PORTS: Readonly<Record<string, string>> = {
  dns: "53",
  tls: "853",
  quic: "853",
  grpc: "443",
  https: "443",
  https3: "443",
};

/** Transport prefixes in the order CoreDNS tries them (https3 before https). */
const TRANSPORTS = ["tls", "dns", "quic", "grpc", "https3", "https", "unix"] as const;
/** The same, with their `://`. */
const TRANSPORT_PREFIXES = TRANSPORTS.map((t) => t + "://");

/** A server-block key after CoreDNS's normalisation. */
export interface NormalizedKey {
  transport: string;
  /** Lower-case, fully qualified zones (several when a CIDR key spans more than one reverse zone). */
  zones: string[];
  /** The port (defaulted by transport; `""` for unix). */
  port: string;
}

/** CoreDNS's `parse.Transport`: splits off a known `scheme://` prefix (default dns). */
export function splitTransport(key: string): { transport: string; rest: string } {
  // Every prefix has "://" after at most 6 letters: most keys have none and need no prefix test at all.
  const sep = key.indexOf("://");
  if (sep >= 3 && sep <= 6) {
    for (let i = 0; i < TRANSPORTS.length; i++) {
      const t = TRANSPORTS[i] as string;
      if (key.startsWith(TRANSPORT_PREFIXES[i] as string)) return { transport: t, rest: key.slice(t.length + 3) };
    }
  }
  return { transport: "dns", rest: key };
}

/**
 * `s` as a "byte string" (one UTF-16 unit per UTF-8 byte), because Go measures names in bytes. ASCII strings are
 * returned as they are, so the common case allocates nothing.
 */
function byteString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      let out = "";
      for (const b of utf8Encode(s)) out += String.fromCharCode(b);
      return out;
    }
  }
  return s;
}

/** miekg/dns `IsFqdn`: ends with an unescaped dot. */
export function isFqdn(s: string): boolean {
  const n = s.length;
  if (n === 0 || s.charCodeAt(n - 1) !== 46) return false;
  let backslashes = 0;
  for (let i = n - 2; i >= 0 && s.charCodeAt(i) === 92; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** miekg/dns `Fqdn`. */
export function fqdn(s: string): string {
  return isFqdn(s) ? s : s + ".";
}

function isDigit(b: number): boolean {
  return b >= 48 && b <= 57;
}

/** Code unit `j` of `s` followed by a dot when `n` (its fqdn length) is one more than its length; NaN past the end. */
function fqdnCodeAt(s: string, n: number, j: number): number {
  return j < s.length ? s.charCodeAt(j) : j < n ? 46 : NaN;
}

/** miekg/dns `IsDomainName` (byte-based, like Go): label and name length limits, no empty labels. */
export function isDomainName(name: string): boolean {
  return isDomainNameBytes(byteString(name));
}

/** {@link isDomainName} of a name already in bytes (see {@link byteString}). */
function isDomainNameBytes(s: string): boolean {
  if (s.length === 0) return false;
  // The loop reads `fqdn(s)`; the dot that fqdn would append is read as a virtual last character instead of building
  // a new string.
  const sl = s.length;
  const n = isFqdn(s) ? sl : sl + 1;
  const lenmsg = 256;
  let off = 0;
  let begin = 0;
  let wasDot = false;
  let escape = false;
  for (let i = 0; i < n; i++) {
    const c = i < sl ? s.charCodeAt(i) : 46;
    if (c === 92) {
      escape = !escape;
      if (off + 1 > lenmsg) return false;
      if (isDigit(fqdnCodeAt(s, n, i + 1)) && isDigit(fqdnCodeAt(s, n, i + 2)) && isDigit(fqdnCodeAt(s, n, i + 3))) {
        i += 3;
        begin += 3;
      } else {
        i++;
        begin++;
      }
      wasDot = false;
    } else if (c === 46) {
      escape = false;
      if (i === 0 && n > 1) return false; // a leading dot is only legal for the root zone
      if (wasDot) return false; // empty label
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

/** Strict dotted-quad IPv4 (Go's netip: no leading zeros). */
export function parseIPv4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || !/^[0-9]+$/.test(p) || (p.length > 1 && p[0] === "0")) return null;
    const v = Number(p);
    if (v > 255) return null;
    out.push(v);
  }
  return out;
}

/** IPv6 text to 16 bytes (with `::` compression and a trailing dotted IPv4); null when invalid or zoned. */
export function parseIPv6(s: string): number[] | null {
  if (s.includes("%")) return null;
  const dbl = s.indexOf("::");
  if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === "") return [];
    const groups = part.split(":");
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as string;
      if (i === groups.length - 1 && g.includes(".")) {
        const v4 = parseIPv4(g);
        if (!v4) return null;
        out.push(...v4);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      const v = parseInt(g, 16);
      out.push(v >> 8, v & 0xff);
    }
    return out;
  };
  if (dbl < 0) {
    const all = parseGroups(s);
    return all && all.length === 16 ? all : null;
  }
  const head = parseGroups(s.slice(0, dbl));
  const tail = parseGroups(s.slice(dbl + 2));
  if (!head || !tail || head.length + tail.length > 14) return null;
  return [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
}

/** Go's `net.ParseIP(s) != nil`. */
export function isIP(s: string): boolean {
  return parseIPv4(s) !== null || (s.includes(":") && parseIPv6(s) !== null);
}

/** Go's `net.ParseCIDR`: network bytes and prefix length, or null. */
function parseCidr(s: string): { bytes: number[]; ones: number } | null {
  const slash = s.indexOf("/");
  if (slash < 0) return null;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  const ip = parseIPv4(addr) ?? (addr.includes(":") ? parseIPv6(addr) : null);
  if (!ip || !/^[0-9]+$/.test(mask)) return null;
  const ones = Number(mask);
  if (ones > ip.length * 8) return null;
  return { bytes: maskBytes(ip, ones), ones };
}

function maskBytes(ip: number[], ones: number): number[] {
  return ip.map((b, i) => {
    const keep = Math.max(0, Math.min(8, ones - i * 8));
    return keep === 0 ? 0 : b & ((0xff << (8 - keep)) & 0xff);
  });
}

/** The reverse zone that exactly covers a prefix on a label boundary (octets for IPv4, nibbles for IPv6). */
function reverseZone(bytes: number[], ones: number): string {
  if (bytes.length === 4) {
    const labels: string[] = [];
    for (let i = ones / 8 - 1; i >= 0; i--) labels.push(String(bytes[i]));
    return [...labels, "in-addr.arpa."].join(".");
  }
  const nibbles: string[] = [];
  for (let i = 0; i < ones / 4; i++) {
    const b = bytes[i >> 1] as number;
    nibbles.push(((i & 1) === 0 ? b >> 4 : b & 0xf).toString(16));
  }
  return [...nibbles.reverse(), "ip6.arpa."].join(".");
}

/** CoreDNS's cidr.Split + cidr.Reverse: the reverse zones of a network, split to label boundaries. */
function reverseZones(bytes: number[], ones: number): string[] {
  const boundary = bytes.length === 4 ? 8 : 4;
  const target = Math.ceil(ones / boundary) * boundary;
  const count = 2 ** (target - ones);
  const zones: string[] = [];
  let cur = bytes.slice();
  for (let i = 0; i < count; i++) {
    zones.push(reverseZone(cur, target));
    // next subnet: add 1 at bit position `target` (counting from the left)
    const next = cur.slice();
    let bit = target - 1;
    let carry = true;
    while (carry && bit >= 0) {
      const byte = bit >> 3;
      const mask = 0x80 >> (bit & 7);
      const b = next[byte] as number;
      if (b & mask) next[byte] = b & ~mask;
      else {
        next[byte] = b | mask;
        carry = false;
      }
      bit--;
    }
    if (carry) break; // ran past the end of the address space
    cur = next;
  }
  return zones;
}

/** Go's strconv.Atoi + Itoa on a port string (accepts a sign and leading zeros); null when not a number. */
function atoiPort(s: string): string | null {
  // /^[+-]?[0-9]+$/ without a regular expression
  const n = s.length;
  let i = n > 0 && (s.charCodeAt(0) === 43 || s.charCodeAt(0) === 45) ? 1 : 0;
  if (i === n) return null;
  for (let j = i; j < n; j++) if (!isDigit(s.charCodeAt(j))) return null;
  // leading zeros go, but one digit stays
  while (i < n - 1 && s.charCodeAt(i) === 48) i++;
  const digits = s.slice(i);
  if (digits.length > 18) return null; // out of int64 range: Atoi fails
  const neg = s.startsWith("-") && digits !== "0";
  return (neg ? "-" : "") + digits;
}

/**
 * CoreDNS's `plugin.SplitHostPort` on a key without transport: the zone(s) and the port, or CoreDNS's error text.
 */
export function splitHostPort(s: string): { hosts: string[]; port: string } | { error: string } {
  const r = splitHostPortParts(s);
  return "error" in r ? r : { hosts: r.hosts, port: r.port };
}

/**
 * {@link splitHostPort}, also saying whether the hosts came from a CIDR and, when not, the zone's length in bytes.
 */
function splitHostPortParts(s: string): { hosts: string[]; port: string; cidr: boolean; byteLength: number } | { error: string } {
  const colon = s.lastIndexOf(":");
  if (colon === s.length - 1) return { error: `expecting data after last colon: ${goQuote(s)}` };
  let port = "";
  if (colon !== -1) {
    const p = atoiPort(s.slice(colon + 1));
    if (p !== null) {
      port = p;
      s = s.slice(0, colon);
    }
  }
  const bytes = byteString(s);
  if (bytes.length > 255) return { error: `specified zone is too long: ${bytes.length} > 255` };
  if (!isDomainNameBytes(bytes)) return { error: `zone is not a valid domain name: ${s}` };
  const cidr = parseCidr(s);
  if (!cidr) return { hosts: [s], port, cidr: false, byteLength: bytes.length };
  if (s[0] === ":" || (s[0] === "0" && s.includes(":"))) return { error: `invalid CIDR ${s}` };
  return { hosts: reverseZones(cidr.bytes, cidr.ones), port, cidr: true, byteLength: 0 };
}

/** Go's %q for the common printable case. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Normalises one server-block key like CoreDNS does; `{ error }` carries CoreDNS's message. */
export function normalizeServerKey(key: string): NormalizedKey | { error: string } {
  const { transport, rest } = splitTransport(key);
  const split = splitHostPortParts(rest);
  if ("error" in split) return split;
  const h0 = split.cidr ? "" : (split.hosts[0] as string);
  if (!split.cidr && !h0.endsWith("\\")) {
    // CoreDNS splits each host again once made fully qualified. For the one host of a key that is no CIDR and does
    // not end in a backslash (which would escape the appended dot) that can only fail on length: no port and no CIDR
    // can appear, and the name check already read the fully qualified name.
    const len = split.byteLength + (isFqdn(h0) ? 0 : 1);
    if (len > 255) return { error: `specified zone is too long: ${len} > 255` };
  } else {
    for (const h of split.hosts) {
      const again = splitHostPort(fqdn(h));
      if ("error" in again) return again;
    }
  }
  const port = split.port !== "" ? split.port : (DEFAULT_PORTS[transport] ?? "");
  return { transport, zones: split.hosts.map((h) => fqdn(h).toLowerCase()), port };
}

/** The listen addresses a block's `bind` directives give (`[""]` without bind), or null when unknowable here. */
function listenHosts(toks: readonly Token[] | undefined): string[] | null {
  if (!toks) return [""];
  const addrs: string[] = [];
  const except: string[] = [];
  let depth = 0;
  let inExcept = false;
  let prev: Token | undefined;
  for (const t of toks) {
    const newLine = !prev || prev.file !== t.file || prev.endLine < t.line;
    prev = t;
    if (t.text === "{") {
      depth++;
      continue;
    }
    if (t.text === "}") {
      depth--;
      continue;
    }
    if (depth === 0) {
      if (newLine && t.text === "bind") continue; // the directive name
      if (!isIP(t.text)) return null; // an interface name (or an error the bind plugin reports)
      addrs.push(t.text);
    } else {
      if (newLine) inExcept = t.text === "except";
      if (newLine) continue;
      if (inExcept) {
        if (!isIP(t.text)) return null;
        except.push(t.text);
      }
    }
  }
  return addrs.filter((a) => !except.includes(a));
}

interface ZoneAddr {
  transport: string;
  zone: string;
  port: string;
  address: string;
}

function zaString(z: ZoneAddr): string {
  return `${z.transport}://${z.zone}:${z.port}` + (z.address !== "" ? ` on ${z.address}` : "");
}

function zaKey(z: ZoneAddr): string {
  return `${z.transport}\u0000${z.zone}\u0000${z.port}\u0000${z.address}`;
}

/**
 * The server blocks as {@link validateKeys} reads them: block `b`'s keys are `keys[keyStart[b]]` up to (excluding)
 * `keys[keyStart[b + 1]]`. The parser's fast path passes its own arrays; {@link validateServerKeys} adapts a
 * `ServerBlock[]`.
 */
export interface KeyedBlocks {
  /** Every block's keys, block after block. */
  keys: readonly string[];
  /** Index in `keys` of each block's first key, plus one last entry: `keys.length`. */
  keyStart: readonly number[];
  /** The token of the key at `keys[k]`. */
  keyToken(k: number): Token;
  /** The tokens of directive `name` in block `b` (what `tokens[name]` holds). */
  group(b: number, name: string): readonly Token[] | undefined;
}

/** Runs CoreDNS's key checks over parsed server blocks. */
export function validateServerKeys(blocks: readonly ServerBlock[]): Diagnostic[] {
  const keys: string[] = [];
  const keyTokens: Token[] = [];
  const keyStart: number[] = [];
  for (const block of blocks) {
    keyStart.push(keys.length);
    for (let i = 0; i < block.keys.length; i++) {
      keys.push(block.keys[i] as string);
      keyTokens.push(block.keyTokens[i] as Token);
    }
  }
  keyStart.push(keys.length);
  return validateKeys({
    keys,
    keyStart,
    keyToken: (k) => keyTokens[k] as Token,
    group: (b, name) => (blocks[b] as ServerBlock).tokens[name],
  });
}

/** {@link validateServerKeys} over {@link KeyedBlocks}. */
export function validateKeys(blocks: KeyedBlocks): Diagnostic[] {
  const out: Diagnostic[] = [];
  const registered = new Map<string, ZoneAddr>();
  const unbound = new Map<string, ZoneAddr>();
  const keys = blocks.keys;
  const nBlocks = blocks.keyStart.length - 1;
  for (let b = 0; b < nBlocks; b++) {
    const k0 = blocks.keyStart[b] as number;
    const k1 = blocks.keyStart[b + 1] as number;
    if (k0 === k1) continue;
    const hosts = listenHosts(blocks.group(b, "bind"));
    const filtered = blocks.group(b, "view") !== undefined;
    for (let k = k0; k < k1; k++) {
      const key = keys[k] as string;
      const norm = normalizeServerKey(key);
      if ("error" in norm) {
        out.push({
          code: "INVALID_SERVER_KEY",
          severity: "error",
          message: `'${key}' is not a valid server-block key: ${norm.error}.`,
          corednsMessage: norm.error,
          ...rangeOf(blocks.keyToken(k)),
        });
        continue;
      }
      if (norm.port !== "" && (norm.port.startsWith("-") || Number(norm.port) > 65535)) {
        out.push({
          code: "INVALID_SERVER_KEY",
          severity: "error",
          message: `Port ${norm.port} of '${key}' is out of range (0-65535).`,
          corednsMessage: `address ${norm.port}: invalid port`,
          ...rangeOf(blocks.keyToken(k)),
        });
        continue;
      }
      if (hosts === null) continue;
      for (const zone of norm.zones) {
        for (const address of hosts) {
          const z: ZoneAddr = { transport: norm.transport, zone, port: norm.port, address };
          // The map keys of z and of the same zone unbound (each computed once).
          const zKey = zaKey(z);
          const uzKey = address === "" ? zKey : zaKey({ ...z, address: "" });
          // An exact match is an error for unfiltered blocks; blocks with a view may share a zone/port.
          const existing = registered.get(zKey);
          let overlap: ZoneAddr | undefined;
          if (!existing) {
            const already = unbound.get(uzKey);
            if (already) {
              if (address === "") overlap = already;
              else if (registered.has(uzKey)) overlap = { ...z, address: "" };
            }
          }
          if (existing) {
            if (filtered) continue;
            out.push({
              code: "DUPLICATE_SERVER_KEY",
              severity: "error",
              message: `${zaString(z)} is already served by an earlier server block.`,
              corednsMessage: `cannot serve ${zaString(z)} - it is already defined`,
              ...rangeOf(blocks.keyToken(k)),
            });
          } else if (overlap) {
            out.push({
              code: "DUPLICATE_SERVER_KEY",
              severity: "error",
              message: `${zaString(z)} overlaps ${zaString(overlap)}: a block without 'bind' listens on every address of the port.`,
              corednsMessage: `cannot serve ${zaString(z)} - zone overlap listener capacity with ${zaString(overlap)}`,
              ...rangeOf(blocks.keyToken(k)),
            });
          } else if (!filtered) {
            registered.set(zKey, z);
            unbound.set(uzKey, z);
          }
        }
      }
    }
  }
  return out;
}
