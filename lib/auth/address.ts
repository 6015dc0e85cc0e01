import { BlockList, isIP } from "node:net";

/**
 * The header that carries the TCP peer's address into the app. Next.js does not expose the socket to route handlers
 * or Server Components, and it keeps a client-sent `X-Forwarded-For` as it is, so that header proves nothing. The server
 * process overwrites this one on every request with the socket's address ({@link installPeerAddressHeader}); a value a
 * client sends is replaced before Next sees it.
 */
export const PEER_HEADER = "x-coredeck-peer";

const globalForPeer = globalThis as unknown as { coredeckPeerHeader?: boolean };

/**
 * Stamps every incoming HTTP request of this process with {@link PEER_HEADER} = the socket's remote address. Called once
 * from instrumentation.ts; idempotent.
 */
export async function installPeerAddressHeader(): Promise<void> {
  if (globalForPeer.coredeckPeerHeader) return;
  const http = await import("node:http");
  const originalEmit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emit(this: unknown, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as import("node:http").IncomingMessage;
      request.headers[PEER_HEADER] = normaliseAddress(request.socket?.remoteAddress ?? "") ?? "";
    }
    return originalEmit.apply(this, [event, ...args] as Parameters<typeof originalEmit>);
  } as typeof originalEmit;
  globalForPeer.coredeckPeerHeader = true;
}

/** Whether {@link PEER_HEADER} can be believed in this process (the stamp is installed). */
export function isPeerHeaderTrusted(): boolean {
  return globalForPeer.coredeckPeerHeader === true;
}

/** `::ffff:10.0.0.1` → `10.0.0.1`; anything that is not an IP → null. */
export function normaliseAddress(value: string): string | null {
  const trimmed = value.trim().replace(/^\[|\]$/g, "");
  const unmapped = trimmed.toLowerCase().startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
  return isIP(unmapped) ? unmapped : null;
}

/** A matcher for a list of IPs and CIDRs (IPv4 and IPv6), e.g. COREDECK_PROXY_TRUSTED_ADDRESSES. */
export function createAddressMatcher(entries: readonly string[]): (address: string | null) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [ip, prefix] = entry.split("/");
    const address = normaliseAddress(ip ?? "");
    if (!address) throw new Error(`"${entry}" is not an IP address or CIDR (COREDECK_PROXY_TRUSTED_ADDRESSES).`);
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    const normalised = address ? normaliseAddress(address) : null;
    if (!normalised) return false;
    return list.check(normalised, isIP(normalised) === 6 ? "ipv6" : "ipv4");
  };
}

/** The TCP peer of the request, when the server stamped it. */
export function readPeerAddress(headers: Headers): string | null {
  if (!isPeerHeaderTrusted()) return null;
  return normaliseAddress(headers.get(PEER_HEADER) ?? "");
}

/**
 * The client's address for the audit trail: the TCP peer, or, when the peer is a trusted proxy, the nearest address
 * in `X-Forwarded-For` that is not itself a trusted proxy.
 */
export function readClientAddress(headers: Headers, isTrustedProxy: (address: string | null) => boolean): string | null {
  const peer = readPeerAddress(headers);
  if (!peer || !isTrustedProxy(peer)) return peer;
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((part) => normaliseAddress(part)).filter(Boolean) as string[];
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    if (!isTrustedProxy(chain[i]!)) return chain[i]!;
  }
  return chain[0] ?? peer;
}
