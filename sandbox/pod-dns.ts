/**
 * The DNS side of a simulated CoreDNS pod: a UDP socket and a TCP server on 127.0.0.1, on the same ephemeral port,
 * that turn each query into a response with a `PodResolver`'s answer. Wire handling follows CoreDNS (miekg/dns):
 * FORMERR for a message that cannot be read but has an ID, NOTIMP for opcodes other than QUERY, BADVERS for EDNS
 * versions above 0, EDNS echoed with a 1232-byte buffer, and UDP answers larger than the client's buffer (512 bytes
 * without EDNS) sent with the TC flag and no records, so the client retries over TCP. TCP connections may carry
 * several queries; they are closed after 10 s idle, as CoreDNS's read timeout does.
 */
import dgram from "node:dgram";
import net from "node:net";
import { decodeMessage, emptyMessage, encodeMessage, frameForTcp, peekId, RCODE, TcpFrameReader, type DnsMessage, type DnsQuestion } from "@/lib/dns/message";
import type { PodAnswer } from "./pod-resolver";

export type PodDnsTransport = "udp" | "tcp";
/** Answers a question, or returns null when the pod does not serve (not running): UDP drops, TCP resets. */
export type AnswerQuestion = (question: DnsQuestion, transport: PodDnsTransport) => PodAnswer | null;

const SERVER_UDP_SIZE = 1232;
const TCP_IDLE_MS = 10_000;
const RCODE_BADVERS = 16;

function reply(query: DnsMessage, rcode: number): DnsMessage {
  const response = emptyMessage(query.id);
  response.opcode = query.opcode;
  response.rcode = rcode;
  response.flags.qr = true;
  response.flags.rd = query.flags.rd;
  response.flags.cd = query.flags.cd;
  response.questions = query.questions.slice(0, 1);
  if (query.edns) response.edns = { udpPayloadSize: SERVER_UDP_SIZE, version: 0, dnssecOk: query.edns.dnssecOk, options: [] };
  return response;
}

/**
 * The response bytes for one query, or null when nothing should be sent (a response, not a query; unreadable bytes
 * without even an ID; a pod that does not serve).
 */
export function respond(bytes: Uint8Array, transport: PodDnsTransport, answer: AnswerQuestion): Uint8Array | null {
  const decoded = decodeMessage(bytes);
  if (!decoded.ok) {
    const id = peekId(bytes);
    if (id === undefined || bytes.length < 12) return null;
    const formerr = emptyMessage(id);
    formerr.flags.qr = true;
    formerr.rcode = RCODE.FORMERR;
    const out = encodeMessage(formerr);
    return out.ok ? out.bytes : null;
  }
  const query = decoded.message;
  if (query.flags.qr) return null;
  let response: DnsMessage;
  if (query.opcode !== 0) response = reply(query, RCODE.NOTIMP);
  else if (query.questions.length !== 1) response = reply(query, RCODE.FORMERR);
  else if (query.edns && query.edns.version > 0) response = reply(query, RCODE_BADVERS);
  else {
    const result = answer(query.questions[0]!, transport);
    if (!result) return null;
    response = reply(query, result.rcode);
    response.flags.aa = result.authoritative;
    response.answers = result.answers;
    response.authority = result.authority ?? [];
  }
  let out = encodeMessage(response);
  if (!out.ok) {
    response = reply(query, RCODE.SERVFAIL);
    out = encodeMessage(response);
    if (!out.ok) return null;
  }
  if (transport === "udp") {
    const limit = query.edns ? Math.max(512, query.edns.udpPayloadSize) : 512;
    if (out.bytes.length > limit) {
      response.flags.tc = true;
      response.answers = [];
      response.authority = [];
      out = encodeMessage(response);
      if (!out.ok) return null;
    }
  }
  return out.bytes;
}

/** One pod's listeners. `port` is the same for UDP and TCP. */
export class PodDnsServer {
  private closed = false;
  private readonly connections = new Set<net.Socket>();

  private constructor(
    readonly host: string,
    readonly port: number,
    private readonly udp: dgram.Socket,
    private readonly tcp: net.Server,
    answer: AnswerQuestion,
  ) {
    udp.on("message", (packet, remote) => {
      if (this.closed) return;
      const response = respond(new Uint8Array(packet.buffer, packet.byteOffset, packet.byteLength), "udp", answer);
      if (response) udp.send(response, remote.port, remote.address);
    });
    // A client that went away (ICMP unreachable) must not take the pod down.
    udp.on("error", () => {});
    tcp.on("connection", (socket) => {
      if (this.closed) {
        socket.destroy();
        return;
      }
      this.connections.add(socket);
      socket.on("close", () => this.connections.delete(socket));
      socket.on("error", () => {});
      socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
      const reader = new TcpFrameReader();
      socket.on("data", (chunk: Buffer) => {
        for (const frame of reader.push(chunk)) {
          const response = respond(frame, "tcp", answer);
          if (!response) {
            socket.resetAndDestroy();
            return;
          }
          socket.write(frameForTcp(response));
        }
      });
    });
  }

  /** Binds TCP on a free port of `host`, then UDP on the same port (trying again if that UDP port is taken). */
  static async listen(answer: AnswerQuestion, host = "127.0.0.1"): Promise<PodDnsServer> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 20; attempt++) {
      const tcp = net.createServer();
      await new Promise<void>((resolve, reject) => {
        tcp.once("error", reject);
        tcp.listen(0, host, () => {
          tcp.off("error", reject);
          resolve();
        });
      });
      const port = (tcp.address() as net.AddressInfo).port;
      const udp = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
      try {
        await new Promise<void>((resolve, reject) => {
          udp.once("error", reject);
          udp.bind(port, host, () => {
            udp.off("error", reject);
            resolve();
          });
        });
        tcp.unref();
        udp.unref();
        return new PodDnsServer(host, port, udp, tcp, answer);
      } catch (error) {
        lastError = error;
        udp.close();
        await new Promise<void>((resolve) => tcp.close(() => resolve()));
      }
    }
    throw new Error(`no free port on ${host} for both UDP and TCP: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
  }

  /** Closes both sockets and every open TCP connection. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    return Promise.all([
      new Promise<void>((resolve) => this.udp.close(() => resolve())),
      new Promise<void>((resolve) => this.tcp.close(() => resolve())),
    ]).then(() => undefined);
  }
}
