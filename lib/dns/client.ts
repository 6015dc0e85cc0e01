import "server-only";
import { randomInt } from "node:crypto";
import dgram from "node:dgram";
import net from "node:net";
import {
  buildQuery,
  canonicalName,
  decodeMessage,
  encodeMessage,
  frameForTcp,
  rcodeName,
  TcpFrameReader,
  typeCode,
  type DnsFlags,
  type DnsMessage,
  type DnsRecord,
} from "./message";

export type DnsTransport = "udp" | "tcp";

export type QueryPodOptions = {
  /** An IP address (no host names: nothing is resolved before the query is sent). */
  address: string;
  port: number;
  /** The name to ask for; a missing final dot is added. */
  name: string;
  /** `A`, `AAAA`, `SRV`... or `TYPEnnn`. */
  type: string;
  transport: DnsTransport;
  /** Default 2000 ms. */
  timeoutMs?: number;
  /** Ask for recursion (default true, as `dig` and a pod's resolver do). */
  recursionDesired?: boolean;
  /** The EDNS UDP payload size to advertise (default 1232, as dig does); 0 sends no EDNS. */
  udpPayloadSize?: number;
};

/** What a server answered. */
export type DnsAnswer = {
  ok: true;
  rcode: number;
  /** `NOERROR`, `NXDOMAIN`... */
  rcodeName: string;
  flags: DnsFlags;
  answers: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
  /** From sending the query to reading the whole answer (TCP: including the connection). */
  latencyMs: number;
};

/**
 * Why there is no answer:
 * - `BAD_QUERY`: the name, type, address or port cannot make a query (nothing was sent);
 * - `TIMEOUT`: no answer in time (a UDP packet lost, a server that does not run, a filtered port);
 * - `REFUSED`: the connection was refused (nothing listens on that port);
 * - `TRUNCATED`: the UDP answer did not fit and has the TC flag; ask again over TCP;
 * - `CLOSED`: the TCP connection ended before a whole answer arrived;
 * - `BAD_RESPONSE`: the bytes that came back are not a DNS answer to this query;
 * - `NETWORK`: any other socket error.
 * The DNS rcode (SERVFAIL, REFUSED...) is not an error here: it is part of a `DnsAnswer`.
 */
export type DnsQueryErrorCode = "BAD_QUERY" | "TIMEOUT" | "REFUSED" | "TRUNCATED" | "CLOSED" | "BAD_RESPONSE" | "NETWORK";

export type DnsQueryError = { ok: false; code: DnsQueryErrorCode; message: string; latencyMs?: number };

export type QueryPodResult = DnsAnswer | DnsQueryError;

export const DEFAULT_QUERY_TIMEOUT_MS = 2000;
const DEFAULT_UDP_PAYLOAD = 1232;

/**
 * Sends one DNS query straight to a server (a CoreDNS pod's IP and port) over UDP or TCP and reads its answer.
 * Never throws: every failure is a `DnsQueryError` that says what to do. Answers that do not match the query's ID
 * and question are ignored (UDP) or reported (TCP), so a stray packet is never taken for the answer.
 */
export async function queryPod(options: QueryPodOptions): Promise<QueryPodResult> {
  const { address, port, transport } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const family = net.isIP(address);
  if (family === 0) return badQuery(`"${address}" is not an IP address.`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return badQuery(`Port ${port} is not a port number (1-65535).`);
  const type = typeCode(options.type);
  if (type === undefined) return badQuery(`"${options.type}" is not a DNS record type (try A, AAAA, SRV, TXT, PTR or TYPEnnn).`);
  const query = buildQuery({
    id: randomInt(0, 0x10000),
    // As typed (case kept), made fully qualified: no search path is applied.
    name: fullyQualified(options.name.trim()),
    type,
    recursionDesired: options.recursionDesired ?? true,
    ...((options.udpPayloadSize ?? DEFAULT_UDP_PAYLOAD) > 0 ? { udpPayloadSize: options.udpPayloadSize ?? DEFAULT_UDP_PAYLOAD } : {}),
  });
  const encoded = encodeMessage(query);
  if (!encoded.ok) return badQuery(`"${options.name}" cannot be asked for: ${encoded.message}`);
  const where = `${family === 6 ? `[${address}]` : address}:${port}`;
  return transport === "udp"
    ? queryUdp(encoded.bytes, query, { address, port, family, where, timeoutMs })
    : queryTcp(encoded.bytes, query, { address, port, where, timeoutMs });
}

function fullyQualified(name: string): string {
  return name === "" || name.endsWith(".") ? name || "." : `${name}.`;
}

function badQuery(message: string): DnsQueryError {
  return { ok: false, code: "BAD_QUERY", message };
}

/** Whether `response` answers `query`: same ID, a response, and the same question (case-insensitive). */
function matches(query: DnsMessage, response: DnsMessage): boolean {
  if (response.id !== query.id || !response.flags.qr) return false;
  // A server may leave the question out of some errors (FORMERR, NOTIMP); then the ID must do.
  if (response.questions.length === 0) return true;
  const q = query.questions[0]!;
  const r = response.questions[0]!;
  return r.type === q.type && r.class === q.class && canonicalName(r.name) === canonicalName(q.name);
}

function toAnswer(message: DnsMessage, latencyMs: number): DnsAnswer {
  return {
    ok: true,
    rcode: message.rcode,
    rcodeName: rcodeName(message.rcode),
    flags: message.flags,
    answers: message.answers,
    authority: message.authority,
    additional: message.additional,
    latencyMs,
  };
}

const elapsed = (start: number) => Math.round((performance.now() - start) * 1000) / 1000;

function socketError(error: NodeJS.ErrnoException, where: string, transport: DnsTransport, latencyMs: number): DnsQueryError {
  if (error.code === "ECONNREFUSED") {
    return { ok: false, code: "REFUSED", message: `Nothing answers DNS over ${transport.toUpperCase()} on ${where} (connection refused). Check that the pod runs and listens on that port.`, latencyMs };
  }
  if (error.code === "ECONNRESET" || error.code === "EPIPE") {
    return { ok: false, code: "CLOSED", message: `${where} closed the ${transport.toUpperCase()} connection before answering. The server may be restarting; try again.`, latencyMs };
  }
  return { ok: false, code: "NETWORK", message: `The DNS query to ${where} over ${transport.toUpperCase()} failed: ${error.message}.`, latencyMs };
}

function queryUdp(
  bytes: Uint8Array,
  query: DnsMessage,
  target: { address: string; port: number; family: number; where: string; timeoutMs: number },
): Promise<QueryPodResult> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(target.family === 6 ? "udp6" : "udp4");
    let start = performance.now();
    let settled = false;
    const finish = (result: QueryPodResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          code: "TIMEOUT",
          message: `No DNS answer from ${target.where} over UDP within ${target.timeoutMs} ms. The pod may be overloaded, not running, or the port filtered; try TCP or a longer timeout.`,
          latencyMs: elapsed(start),
        }),
      target.timeoutMs,
    );
    socket.on("error", (error) => finish(socketError(error, target.where, "udp", elapsed(start))));
    socket.on("message", (packet) => {
      const decoded = decodeMessage(new Uint8Array(packet.buffer, packet.byteOffset, packet.byteLength));
      // Over UDP anyone can send a packet: ignore what is not the answer to this query and keep waiting.
      if (!decoded.ok || !matches(query, decoded.message)) return;
      const latencyMs = elapsed(start);
      if (decoded.message.flags.tc) {
        finish({ ok: false, code: "TRUNCATED", message: `The answer from ${target.where} did not fit in a UDP packet (TC flag set). Ask again over TCP to get all of it.`, latencyMs });
        return;
      }
      finish(toAnswer(decoded.message, latencyMs));
    });
    // A connected socket gets ICMP port-unreachable reported as ECONNREFUSED instead of waiting for the timeout.
    socket.connect(target.port, target.address, () => {
      start = performance.now();
      socket.send(bytes, (error) => {
        if (error) finish(socketError(error, target.where, "udp", elapsed(start)));
      });
    });
  });
}

function queryTcp(bytes: Uint8Array, query: DnsMessage, target: { address: string; port: number; where: string; timeoutMs: number }): Promise<QueryPodResult> {
  return new Promise((resolve) => {
    const start = performance.now();
    let settled = false;
    const reader = new TcpFrameReader();
    const socket = net.connect({ host: target.address, port: target.port });
    const finish = (result: QueryPodResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          code: "TIMEOUT",
          message: `No DNS answer from ${target.where} over TCP within ${target.timeoutMs} ms. The pod may be overloaded or the port filtered; try a longer timeout.`,
          latencyMs: elapsed(start),
        }),
      target.timeoutMs,
    );
    socket.on("connect", () => socket.write(frameForTcp(bytes)));
    socket.on("error", (error) => finish(socketError(error, target.where, "tcp", elapsed(start))));
    socket.on("data", (chunk: Buffer) => {
      const frame = reader.push(chunk)[0];
      if (!frame) return;
      const latencyMs = elapsed(start);
      const decoded = decodeMessage(frame);
      if (!decoded.ok) {
        finish({ ok: false, code: "BAD_RESPONSE", message: `${target.where} sent bytes over TCP that are not a DNS message (${decoded.message}).`, latencyMs });
      } else if (!matches(query, decoded.message)) {
        finish({ ok: false, code: "BAD_RESPONSE", message: `${target.where} answered over TCP, but not to this query (different ID or question).`, latencyMs });
      } else {
        finish(toAnswer(decoded.message, latencyMs));
      }
    });
    socket.on("end", () =>
      finish({ ok: false, code: "CLOSED", message: `${target.where} closed the TCP connection before a whole answer arrived. The server may be restarting; try again.`, latencyMs: elapsed(start) }),
    );
  });
}
