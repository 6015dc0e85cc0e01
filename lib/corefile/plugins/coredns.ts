/**
 * CoreDNS's own shared parsing helpers (plugin/normalize.go, plugin/pkg/parse, plugin/pkg/cidr...), re-implemented
 * statically: wherever CoreDNS would touch the machine (open a resolv.conf-style file, resolve a hostname) we report
 * "could be valid" instead of failing.
 */
import {
  atoi,
  byteLength,
  fqdn,
  isDomainName,
  isIP,
  parseCIDR,
  splitHostPort,
  type Parsed,
} from "./go";

/** The transports CoreDNS recognises in addresses (`tls://`, `dns://`...). */
export type Transport = "dns" | "tls" | "quic" | "grpc" | "https3" | "https" | "unix";

const TRANSPORT_PREFIXES: readonly [string, Transport][] = [
  ["tls://", "tls"],
  ["dns://", "dns"],
  ["quic://", "quic"],
  ["grpc://", "grpc"],
  ["https3://", "https3"],
  ["https://", "https"],
  ["unix://", "unix"],
];

/** CoreDNS `parse.Transport`: strips a known scheme; plain addresses are `dns`. */
export function splitTransport(s: string): { transport: Transport; rest: string } {
  for (const [prefix, t] of TRANSPORT_PREFIXES) {
    if (s.startsWith(prefix)) return { transport: t, rest: s.slice(prefix.length) };
  }
  return { transport: "dns", rest: s };
}

/** Reverse zones for a CIDR (CoreDNS `cidr.Split` + `cidr.Reverse`): octet (IPv4) or nibble (IPv6) boundaries. */
function reverseZones(network: Uint8Array, ones: number, bits: number): string[] {
  const v4 = bits === 32;
  const step = v4 ? 8 : 4;
  const rounded = Math.ceil(ones / step) * step;
  const count = 2 ** (rounded - ones);
  const out: string[] = [];
  const base = v4 ? 12 : 0;
  for (let k = 0; k < count; k++) {
    // The subnet index k fills the bits between the prefix length and the rounded boundary.
    const bytes = network.slice();
    const offset = v4 ? 96 : 0;
    for (let t = 0; t < rounded - ones; t++) {
      if ((k >> t) & 1) {
        const b = offset + rounded - 1 - t;
        bytes[b >> 3]! |= 0x80 >> (b & 7);
      }
    }
    const labels: string[] = [];
    if (v4) {
      for (let o = 0; o < rounded / 8; o++) labels.push(String(bytes[base + o]));
      labels.reverse();
      out.push(labels.length ? `${labels.join(".")}.in-addr.arpa.` : "in-addr.arpa.");
    } else {
      for (let nb = 0; nb < rounded / 4; nb++) {
        const byte = bytes[nb >> 1]!;
        labels.push(((nb & 1) === 0 ? byte >> 4 : byte & 0xf).toString(16));
      }
      labels.reverse();
      out.push(labels.length ? `${labels.join(".")}.ip6.arpa.` : "ip6.arpa.");
    }
  }
  return out;
}

/**
 * CoreDNS `plugin.SplitHostPort`: a zone with an optional numeric port; a CIDR expands to its reverse zones.
 * Returns the hosts (not yet normalised) or an error message.
 */
export function splitZoneHostPort(s: string): Parsed<{ hosts: string[]; port: string }> {
  const colon = s.lastIndexOf(":");
  if (colon === s.length - 1) return { ok: false, error: `expecting data after last colon: ${JSON.stringify(s)}` };
  let port = "";
  if (colon !== -1) {
    const p = atoi(s.slice(colon + 1));
    if (p.ok) {
      port = String(p.value);
      s = s.slice(0, colon);
    }
  }
  if (byteLength(s) > 255) return { ok: false, error: `specified zone is too long: ${byteLength(s)} > 255` };
  if (!isDomainName(s)) return { ok: false, error: `zone is not a valid domain name: ${s}` };
  const c = parseCIDR(s);
  if (!c.ok) return { ok: true, value: { hosts: [s], port } };
  if (s[0] === ":" || (s[0] === "0" && s.includes(":"))) return { ok: false, error: `invalid CIDR ${s}` };
  return { ok: true, value: { hosts: reverseZones(c.value.network, c.value.ones, c.value.bits), port } };
}

/**
 * CoreDNS `plugin.Host(s).NormalizeExact()`: strips the transport, splits the port, expands CIDRs and returns
 * lower-case FQDNs; an empty list when the value is not a usable zone.
 */
export function normalizeExact(s: string): string[] {
  const r = zoneOf(s);
  return r.ok ? r.value.slice() : [];
}

/** Why a zone argument is unusable, or null when it is fine. */
export function zoneProblem(s: string): string | null {
  const r = zoneOf(s);
  return r.ok ? null : r.error;
}

const zoneCache = new Map<string, Parsed<readonly string[]>>();

/** Memoised zone normalisation (zones repeat across keystrokes and server blocks). */
function zoneOf(s: string): Parsed<readonly string[]> {
  let r = zoneCache.get(s);
  if (!r) {
    const { rest } = splitTransport(s);
    const z = splitZoneHostPort(rest);
    r = z.ok ? { ok: true, value: Object.freeze(z.value.hosts.map((h) => fqdn(h).toLowerCase())) } : z;
    if (zoneCache.size > 5000) zoneCache.clear();
    zoneCache.set(s, r);
  }
  return r;
}

/**
 * CoreDNS `plugin.OriginsFromArgsOrServerBlock`: the zones a plugin serves. Arguments that are not zones are silently
 * dropped by CoreDNS. Returns `undefined` when the server-block keys are needed but unknown.
 */
export function originsFromArgsOrServerBlock(args: readonly string[], keys: readonly string[] | undefined): string[] | undefined {
  if (args.length === 0) {
    if (keys === undefined) return undefined;
    return keys.map((k) => normalizeExact(k)[0] ?? k);
  }
  const out: string[] = [];
  for (const a of args) out.push(...normalizeExact(a));
  return out;
}

/** Whether a normalised zone is a reverse zone (CoreDNS `dnsutil.IsReverse`). */
export function isReverseZone(z: string): boolean {
  return z.endsWith("in-addr.arpa.") || z.endsWith("ip6.arpa.");
}

function stripZone(host: string): string {
  const p = host.lastIndexOf("%");
  return p >= 0 ? host.slice(0, p) : host;
}

/** CoreDNS `parse.HostPort(s, defaultPort)`: an IP address with an optional port. Returns an error message or null. */
export function hostPortProblem(s: string): string | null {
  const hp = splitHostPort(s);
  if (!hp.ok) {
    if (!isIP(stripZone(s))) return `must specify an IP address: \`${s}'`;
    return null;
  }
  if (!isIP(stripZone(hp.value.host))) return `must specify an IP address: \`${hp.value.host}'`;
  return null;
}

/** How an upstream address (`forward`/`grpc` TO) was understood. */
export type UpstreamKind =
  | { kind: "ip"; transport: Transport }
  | { kind: "unix"; transport: "unix" }
  | { kind: "file-or-host"; transport: Transport; host: string }
  | { kind: "invalid"; error: string };

/**
 * CoreDNS `parse.HostPortOrFile` for one address, statically: an IP (with optional port and transport) is accepted;
 * anything else is a resolv.conf-style file or (for `forward`) a hostname, which only the machine can confirm.
 */
export function classifyUpstream(h: string): UpstreamKind {
  let r = upstreamCache.get(h);
  if (!r) {
    r = classifyUpstreamUncached(h);
    if (upstreamCache.size > 2000) upstreamCache.clear();
    upstreamCache.set(h, r);
  }
  return r;
}

const upstreamCache = new Map<string, UpstreamKind>();

function classifyUpstreamUncached(h: string): UpstreamKind {
  const { transport, rest } = splitTransport(h);
  if (rest.length === 0) return { kind: "invalid", error: `invalid address: ${JSON.stringify(h)}` };
  if (transport === "unix") return { kind: "unix", transport };
  const hp = splitHostPort(rest);
  if (!hp.ok) {
    const host = rest.replace(/^\[+|\]+$/g, "");
    if (!isIP(stripZone(host))) return { kind: "file-or-host", transport, host };
    return { kind: "ip", transport };
  }
  if (!isIP(stripZone(hp.value.host))) return { kind: "file-or-host", transport, host: rest };
  return { kind: "ip", transport };
}
