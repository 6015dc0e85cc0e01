/**
 * Small DNS-name and listen-address helpers for the lint rules (no regular expressions, no allocation-heavy work).
 */
import { isIP, parseIPv4 } from "../keys";
import { normalizeKeyCached } from "./model";

/**
 * The zones a zone argument stands for, the way plugins normalise them (lower case, fully qualified; a CIDR becomes
 * its reverse zones). Empty when the text is not a valid zone.
 */
export function zonesOf(text: string): string[] {
  const n = normalizeKeyCached(text);
  return "error" in n ? [] : n.zones;
}

/** Whether `child` equals `parent` or lies below it (both normalised: lower case, trailing dot). */
export function isSubdomain(child: string, parent: string): boolean {
  if (parent === ".") return true;
  if (child === parent) return true;
  return child.length > parent.length && child.endsWith(parent) && child.charCodeAt(child.length - parent.length - 1) === 46;
}

/** Whether two zones overlap (one contains the other). */
export function zonesOverlap(a: string, b: string): boolean {
  return isSubdomain(a, b) || isSubdomain(b, a);
}

/** A normalised zone without its final dot, for writing back into a Corefile (`.` stays `.`). */
export function zoneText(zone: string): string {
  return zone === "." ? "." : zone.endsWith(".") ? zone.slice(0, -1) : zone;
}

/** Whether a zone is a reverse-lookup zone (under in-addr.arpa. or ip6.arpa., or one of them). */
export function isReverseZone(zone: string): boolean {
  return isSubdomain(zone, "in-addr.arpa.") || isSubdomain(zone, "ip6.arpa.");
}

/** Go's net.SplitHostPort for the common forms (`host:port`, `:port`, `[v6]:port`); null when it would fail. */
export function splitHostPort(addr: string): { host: string; port: string } | null {
  if (addr.startsWith("[")) {
    const close = addr.indexOf("]");
    if (close < 0 || addr.charCodeAt(close + 1) !== 58) return null;
    return { host: addr.slice(1, close), port: addr.slice(close + 2) };
  }
  const colon = addr.lastIndexOf(":");
  if (colon < 0) return null;
  const host = addr.slice(0, colon);
  if (host.includes(":")) return null; // an IPv6 address needs brackets
  return { host, port: addr.slice(colon + 1) };
}

/** Whether a listen host only accepts connections from inside the pod (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  const v4 = parseIPv4(h);
  return v4 !== null && v4[0] === 127;
}

/**
 * A comparable form of a listen host: every wildcard spelling becomes `*`, `localhost` becomes 127.0.0.1; null for a
 * name that is neither (an interface or host name whose addresses are unknown here).
 */
export function listenHostKey(host: string): string | null {
  const h = host.toLowerCase();
  if (h === "" || h === "0.0.0.0" || h === "::" || h === "[::]") return "*";
  if (h === "localhost") return "127.0.0.1";
  return isIP(h) ? h : null;
}

/** The port as a number (0-65535), or null. */
export function portNumber(port: string): number | null {
  if (port.length === 0 || port.length > 5) return null;
  let n = 0;
  for (let i = 0; i < port.length; i++) {
    const c = port.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return n <= 65535 ? n : null;
}
