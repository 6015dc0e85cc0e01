/**
 * queryPod against small servers on 127.0.0.1 that misbehave on purpose: silent, lying about the ID, truncating,
 * closing the connection, sending garbage. The happy paths against real simulated pods are in sandbox/pod-dns.test.ts.
 */
import dgram from "node:dgram";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { queryPod } from "./client";
import { decodeMessage, encodeMessage, frameForTcp, splitTcpFrames, type DnsMessage } from "./message";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A UDP server whose `reply` turns each decoded query into zero or more response messages. */
async function udpServer(reply: (query: DnsMessage) => DnsMessage[]): Promise<number> {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (packet, remote) => {
    const decoded = decodeMessage(new Uint8Array(packet));
    if (!decoded.ok) return;
    for (const message of reply(decoded.message)) {
      const out = encodeMessage(message);
      if (out.ok) socket.send(out.bytes, remote.port, remote.address);
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => socket.close(() => resolve())));
  return socket.address().port;
}

/** A TCP server that hands each connection's first frame to `onQuery`. */
async function tcpServer(onQuery: (socket: net.Socket, query: Uint8Array) => void): Promise<number> {
  const server = net.createServer((socket) => {
    let buffer: Uint8Array = new Uint8Array(0);
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => {
      const { frames, rest } = splitTcpFrames(Uint8Array.from([...buffer, ...chunk]));
      buffer = rest;
      if (frames[0]) onQuery(socket, frames[0]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  server.unref();
  return (server.address() as net.AddressInfo).port;
}

function answerTo(query: DnsMessage, patch: Partial<DnsMessage> = {}): DnsMessage {
  return {
    ...query,
    flags: { ...query.flags, qr: true, aa: true },
    answers: [{ name: query.questions[0]!.name, type: 1, class: 1, ttl: 5, data: { kind: "A", address: "10.1.2.3" } }],
    ...patch,
  };
}

describe("queryPod", () => {
  it("sends the name as typed, fully qualified, with RD and EDNS, and reads the answer", async () => {
    let seen: DnsMessage | undefined;
    const port = await udpServer((q) => {
      seen = q;
      return [answerTo(q)];
    });
    const result = await queryPod({ address: "127.0.0.1", port, name: "Web.Example", type: "a", transport: "udp" });
    expect(result).toMatchObject({ ok: true, rcode: 0, rcodeName: "NOERROR", flags: { qr: true, aa: true }, answers: [{ data: { address: "10.1.2.3" } }] });
    expect(seen).toMatchObject({ flags: { rd: true }, questions: [{ name: "Web.Example.", type: 1, class: 1 }], edns: { udpPayloadSize: 1232 } });
  });

  it("ignores UDP packets that do not answer this query (another ID or question) and takes the real answer", async () => {
    const port = await udpServer((q) => [
      answerTo({ ...q, id: (q.id + 1) & 0xffff }),
      answerTo({ ...q, questions: [{ name: "evil.example.", type: 1, class: 1 }] }),
      answerTo(q, { answers: [{ name: q.questions[0]!.name, type: 1, class: 1, ttl: 5, data: { kind: "A", address: "10.9.9.9" } }] }),
    ]);
    const result = await queryPod({ address: "127.0.0.1", port, name: "web.example", type: "A", transport: "udp" });
    expect(result.ok && result.answers.map((r) => r.data)).toEqual([{ kind: "A", address: "10.9.9.9" }]);
  });

  it("times out when nothing answers, and says so", async () => {
    const port = await udpServer(() => []);
    const result = await queryPod({ address: "127.0.0.1", port, name: "web.example", type: "A", transport: "udp", timeoutMs: 150 });
    expect(result).toMatchObject({ ok: false, code: "TIMEOUT" });
    expect(!result.ok && result.message).toContain("within 150 ms");
  });

  it("reports a truncated UDP answer as TRUNCATED, telling to retry over TCP", async () => {
    const port = await udpServer((q) => [answerTo(q, { flags: { ...q.flags, qr: true, tc: true }, answers: [] })]);
    const result = await queryPod({ address: "127.0.0.1", port, name: "web.example", type: "A", transport: "udp" });
    expect(result).toMatchObject({ ok: false, code: "TRUNCATED" });
    expect(!result.ok && result.message).toMatch(/again over TCP/);
  });

  it("reports a refused port over UDP and TCP", async () => {
    // Bind then close a port so that nothing listens on it.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    for (const transport of ["udp", "tcp"] as const) {
      expect(await queryPod({ address: "127.0.0.1", port, name: "web.example", type: "A", transport })).toMatchObject({ ok: false, code: "REFUSED" });
    }
  });

  it("reads a TCP answer split across writes, and reports garbage, a wrong answer and a closed connection", async () => {
    const split = await tcpServer((socket, bytes) => {
      const q = decodeMessage(bytes);
      if (!q.ok) return;
      const out = encodeMessage(answerTo(q.message));
      if (!out.ok) return;
      const framed = frameForTcp(out.bytes);
      socket.write(framed.slice(0, 1));
      setTimeout(() => socket.write(framed.slice(1)), 20);
    });
    expect(await queryPod({ address: "127.0.0.1", port: split, name: "web.example", type: "A", transport: "tcp" })).toMatchObject({ ok: true, answers: [{ data: { address: "10.1.2.3" } }] });

    const garbage = await tcpServer((socket) => socket.write(frameForTcp(Uint8Array.of(1, 2, 3))));
    expect(await queryPod({ address: "127.0.0.1", port: garbage, name: "web.example", type: "A", transport: "tcp" })).toMatchObject({ ok: false, code: "BAD_RESPONSE" });

    const wrongId = await tcpServer((socket, bytes) => {
      const q = decodeMessage(bytes);
      const out = q.ok ? encodeMessage(answerTo({ ...q.message, id: (q.message.id + 1) & 0xffff })) : undefined;
      if (out?.ok) socket.write(frameForTcp(out.bytes));
    });
    expect(await queryPod({ address: "127.0.0.1", port: wrongId, name: "web.example", type: "A", transport: "tcp" })).toMatchObject({ ok: false, code: "BAD_RESPONSE" });

    const closing = await tcpServer((socket) => socket.end());
    expect(await queryPod({ address: "127.0.0.1", port: closing, name: "web.example", type: "A", transport: "tcp" })).toMatchObject({ ok: false, code: "CLOSED" });
  });

  it("refuses what cannot be a query without sending anything", async () => {
    expect(await queryPod({ address: "coredns.local", port: 53, name: "a.example", type: "A", transport: "udp" })).toMatchObject({ ok: false, code: "BAD_QUERY" });
    expect(await queryPod({ address: "127.0.0.1", port: 0, name: "a.example", type: "A", transport: "udp" })).toMatchObject({ ok: false, code: "BAD_QUERY" });
    expect(await queryPod({ address: "127.0.0.1", port: 53, name: "a.example", type: "BOGUS", transport: "udp" })).toMatchObject({ ok: false, code: "BAD_QUERY" });
    expect(await queryPod({ address: "127.0.0.1", port: 53, name: "a..example", type: "A", transport: "udp" })).toMatchObject({ ok: false, code: "BAD_QUERY" });
  });
});
