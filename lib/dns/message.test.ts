import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildQuery,
  decodeMessage,
  emptyMessage,
  encodeMessage,
  frameForTcp,
  ipv6Text,
  labelsToName,
  nameToLabels,
  parseIpv6,
  splitTcpFrames,
  typeCode,
  typeName,
  type DnsMessage,
  type DnsRecord,
} from "./message";

// ------------------------------------------------------------------------------------------------------------
// Arbitraries

const label = fc.uint8Array({ minLength: 1, maxLength: 63 });
/** Presentation names whose wire form fits in 255 bytes, from arbitrary label bytes (dots and backslashes included). */
const dnsName = fc
  .array(fc.oneof(label, fc.constantFrom(...["www", "example", "svc", "cluster", "local", "default"].map((s) => new TextEncoder().encode(s)))), { maxLength: 8 })
  .filter((labels) => labels.reduce((n, l) => n + l.length + 1, 1) <= 255)
  .map(labelsToName);
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join("."));
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(ipv6Text);
const txtString = fc.string({ unit: "grapheme", maxLength: 60 }).filter((s) => new TextEncoder().encode(s).length <= 255);
const KNOWN = new Set([1, 2, 5, 6, 12, 15, 16, 28, 33, 41]);

const rdata: fc.Arbitrary<Pick<DnsRecord, "type" | "data">> = fc.oneof(
  ipv4.map((address) => ({ type: 1, data: { kind: "A" as const, address } })),
  ipv6.map((address) => ({ type: 28, data: { kind: "AAAA" as const, address } })),
  dnsName.map((target) => ({ type: 5, data: { kind: "CNAME" as const, target } })),
  dnsName.map((target) => ({ type: 2, data: { kind: "NS" as const, target } })),
  dnsName.map((target) => ({ type: 12, data: { kind: "PTR" as const, target } })),
  fc.record({ preference: u16, exchange: dnsName }).map((d) => ({ type: 15, data: { kind: "MX" as const, ...d } })),
  fc.record({ priority: u16, weight: u16, port: u16, target: dnsName }).map((d) => ({ type: 33, data: { kind: "SRV" as const, ...d } })),
  fc.array(txtString, { minLength: 1, maxLength: 4 }).map((text) => ({ type: 16, data: { kind: "TXT" as const, text } })),
  fc
    .record({ mname: dnsName, rname: dnsName, serial: u32, refresh: u32, retry: u32, expire: u32, minimum: u32 })
    .map((d) => ({ type: 6, data: { kind: "SOA" as const, ...d } })),
  fc
    .record({ type: u16.filter((t) => !KNOWN.has(t)), rdata: fc.uint8Array({ maxLength: 40 }) })
    .map(({ type, rdata }) => ({ type, data: { kind: "raw" as const, rdata } })),
);

const record: fc.Arbitrary<DnsRecord> = fc
  .record({ name: dnsName, class: u16, ttl: u32, rr: rdata })
  .map(({ rr, ...rest }) => ({ ...rest, ...rr }));

const message: fc.Arbitrary<DnsMessage> = fc
  .record({
    id: u16,
    opcode: fc.integer({ min: 0, max: 15 }),
    rcode: fc.integer({ min: 0, max: 15 }),
    extendedRcode: fc.integer({ min: 0, max: 255 }),
    flags: fc.record({ qr: fc.boolean(), aa: fc.boolean(), tc: fc.boolean(), rd: fc.boolean(), ra: fc.boolean(), ad: fc.boolean(), cd: fc.boolean() }),
    questions: fc.array(fc.record({ name: dnsName, type: u16.filter((t) => t !== 41), class: u16 }), { maxLength: 2 }),
    answers: fc.array(record, { maxLength: 4 }),
    authority: fc.array(record, { maxLength: 2 }),
    additional: fc.array(record, { maxLength: 2 }),
    edns: fc.option(
      fc.record({
        udpPayloadSize: u16,
        version: fc.nat(255),
        dnssecOk: fc.boolean(),
        options: fc.array(fc.record({ code: u16, data: fc.uint8Array({ maxLength: 20 }) }), { maxLength: 3 }),
      }),
      { nil: undefined },
    ),
  })
  .map(({ extendedRcode, edns, ...m }) => ({ ...m, rcode: edns ? m.rcode | (extendedRcode << 4) : m.rcode, ...(edns ? { edns } : {}) }));

function encoded(m: DnsMessage): Uint8Array {
  const out = encodeMessage(m);
  if (!out.ok) throw new Error(`${out.code}: ${out.message}`);
  return out.bytes;
}

// ------------------------------------------------------------------------------------------------------------

describe("encodeMessage and decodeMessage", () => {
  it("round-trip every message: decode(encode(m)) is m", () => {
    fc.assert(
      fc.property(message, (m) => {
        const decoded = decodeMessage(encoded(m));
        expect(decoded).toEqual({ ok: true, message: m });
      }),
      { numRuns: 400 },
    );
  });

  it("compress repeated names: a later owner becomes a 2-byte pointer", () => {
    const m = emptyMessage(7);
    m.questions.push({ name: "kube-dns.kube-system.svc.cluster.local.", type: 1, class: 1 });
    m.answers.push({ name: "kube-dns.kube-system.svc.cluster.local.", type: 1, class: 1, ttl: 5, data: { kind: "A", address: "10.96.0.10" } });
    m.answers.push({ name: "x.svc.cluster.local.", type: 1, class: 1, ttl: 5, data: { kind: "A", address: "10.96.0.11" } });
    const bytes = encoded(m);
    // Header 12 + question name 40 + 4; answer 1: pointer 2 + 10 + 4; answer 2: "x" label 2 + pointer 2 + 10 + 4.
    expect(bytes.length).toBe(12 + 40 + 4 + 16 + 18);
    expect(bytes[56]).toBe(0xc0);
    expect(bytes[57]).toBe(12);
    expect(decodeMessage(bytes)).toEqual({ ok: true, message: m });
  });

  it("reads a response written by hand with pointers inside rdata (CNAME then A)", () => {
    // id 0xbeef, qr rd ra, 1 question, 2 answers; www.example.com. CNAME example.com. ; example.com. A 93.184.216.34
    const bytes = Uint8Array.from([
      0xbe, 0xef, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
      3, 0x77, 0x77, 0x77, 7, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 3, 0x63, 0x6f, 0x6d, 0, 0, 1, 0, 1,
      0xc0, 12, 0, 5, 0, 1, 0, 0, 0x0e, 0x10, 0, 2, 0xc0, 16,
      0xc0, 16, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 93, 184, 216, 34,
    ]);
    const decoded = decodeMessage(bytes);
    expect(decoded).toMatchObject({
      ok: true,
      message: {
        id: 0xbeef,
        flags: { qr: true, rd: true, ra: true, aa: false, tc: false },
        questions: [{ name: "www.example.com.", type: 1, class: 1 }],
        answers: [
          { name: "www.example.com.", type: 5, ttl: 3600, data: { kind: "CNAME", target: "example.com." } },
          { name: "example.com.", type: 1, ttl: 60, data: { kind: "A", address: "93.184.216.34" } },
        ],
      },
    });
  });

  it("carry EDNS through: payload size, DO bit, version, options and the extended rcode", () => {
    const m = buildQuery({ id: 1, name: "example.org.", type: 1, udpPayloadSize: 1232 });
    m.edns!.options.push({ code: 10, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) });
    m.edns!.dnssecOk = true;
    m.rcode = 16; // BADVERS lives in the OPT record's upper bits
    const decoded = decodeMessage(encoded(m));
    expect(decoded.ok && decoded.message.edns).toEqual(m.edns);
    expect(decoded.ok && decoded.message.rcode).toBe(16);
    expect(decoded.ok && decoded.message.additional).toEqual([]);
  });

  it("refuse what cannot be written, as values", () => {
    const long = emptyMessage();
    long.questions.push({ name: `${"a".repeat(64)}.example.`, type: 1, class: 1 });
    expect(encodeMessage(long)).toMatchObject({ ok: false, code: "BAD_LABEL" });
    const tooLong = emptyMessage();
    tooLong.questions.push({ name: Array(60).fill("abcd").join(".") + ".", type: 1, class: 1 });
    expect(encodeMessage(tooLong)).toMatchObject({ ok: false, code: "NAME_TOO_LONG" });
    const badA = emptyMessage();
    badA.answers.push({ name: "a.", type: 1, class: 1, ttl: 1, data: { kind: "A", address: "10.0.0.300" } });
    expect(encodeMessage(badA)).toMatchObject({ ok: false, code: "BAD_VALUE" });
    const mismatch = emptyMessage();
    mismatch.answers.push({ name: "a.", type: 28, class: 1, ttl: 1, data: { kind: "A", address: "10.0.0.1" } });
    expect(encodeMessage(mismatch)).toMatchObject({ ok: false, code: "BAD_VALUE" });
    const bigRcode = emptyMessage();
    bigRcode.rcode = 16;
    expect(encodeMessage(bigRcode)).toMatchObject({ ok: false, code: "BAD_VALUE" });
  });
});

describe("decodeMessage on hostile input", () => {
  it("never throws on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (bytes) => {
        const out = decodeMessage(bytes);
        expect(typeof out.ok).toBe("boolean");
      }),
      { numRuns: 3000 },
    );
  });

  it("never throws on valid messages with bytes changed", () => {
    fc.assert(
      fc.property(message, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 6 }), (m, edits) => {
        const bytes = encoded(m);
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        const out = decodeMessage(bytes);
        expect(typeof out.ok).toBe("boolean");
      }),
      { numRuns: 1500 },
    );
  });

  it("reports every cut-off message as an error, never a shorter message", () => {
    fc.assert(
      fc.property(message, fc.nat(), (m, cut) => {
        const bytes = encoded(m);
        const out = decodeMessage(bytes.slice(0, cut % bytes.length));
        expect(out.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("stops at compression pointer loops and forward pointers", () => {
    const header = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    // A pointer to itself.
    expect(decodeMessage(Uint8Array.from([...header, 0xc0, 12, 0, 1, 0, 1]))).toMatchObject({ ok: false, code: "BAD_POINTER", offset: 12 });
    // A label, then a pointer back to the label: a two-step loop.
    expect(decodeMessage(Uint8Array.from([...header, 1, 0x61, 0xc0, 12, 0, 1, 0, 1]))).toMatchObject({ ok: false, code: "BAD_POINTER", offset: 14 });
    // Two pointers pointing at each other across records is impossible to build backwards-only: a forward pointer.
    expect(decodeMessage(Uint8Array.from([...header, 0xc0, 20, 0, 1, 0, 1, 1, 0x61, 0]))).toMatchObject({ ok: false, code: "BAD_POINTER" });
    // Past the end.
    expect(decodeMessage(Uint8Array.from([...header, 0xc3, 0xff]))).toMatchObject({ ok: false, code: "BAD_POINTER" });
  });

  it("names the problem: truncated header, reserved label type, long names, bad rdata, misplaced OPT", () => {
    expect(decodeMessage(Uint8Array.from([1, 2, 3]))).toMatchObject({ ok: false, code: "TRUNCATED" });
    const header = (qd: number, an: number, ns = 0, ar = 0) => [0, 1, 0x81, 0x80, 0, qd, 0, an, 0, ns, 0, ar];
    expect(decodeMessage(Uint8Array.from([...header(1, 0), 0x41, 0, 0, 1, 0, 1]))).toMatchObject({ ok: false, code: "BAD_LABEL" });
    const longName = Array.from({ length: 5 }, () => [63, ...Array(63).fill(0x61)]).flat();
    expect(decodeMessage(Uint8Array.from([...header(1, 0), ...longName, 0, 0, 1, 0, 1]))).toMatchObject({ ok: false, code: "NAME_TOO_LONG" });
    const shortA = [0, 0, 1, 0, 1, 0, 0, 0, 5, 0, 3, 10, 0, 0];
    expect(decodeMessage(Uint8Array.from([...header(0, 1), ...shortA]))).toMatchObject({ ok: false, code: "BAD_RDATA" });
    const txtOverrun = [0, 0, 16, 0, 1, 0, 0, 0, 5, 0, 3, 9, 0x61, 0x62];
    expect(decodeMessage(Uint8Array.from([...header(0, 1), ...txtOverrun]))).toMatchObject({ ok: false, code: "BAD_RDATA" });
    const cnameOverrun = [0, 0, 5, 0, 1, 0, 0, 0, 5, 0, 2, 1, 0x61, 0];
    expect(decodeMessage(Uint8Array.from([...header(0, 1), ...cnameOverrun]))).toMatchObject({ ok: false, code: "BAD_RDATA" });
    const opt = [0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0];
    expect(decodeMessage(Uint8Array.from([...header(0, 1), ...opt]))).toMatchObject({ ok: false, code: "BAD_OPT" });
    expect(decodeMessage(Uint8Array.from([...header(0, 0, 0, 2), ...opt, ...opt]))).toMatchObject({ ok: false, code: "BAD_OPT" });
  });
});

describe("names, addresses, types and TCP framing", () => {
  it("escape dots, backslashes and unprintable bytes in labels, and read the escapes back", () => {
    const labels = [Uint8Array.from([0x61, 0x2e, 0x62]), Uint8Array.from([0x5c, 0x00, 0xff])];
    const name = labelsToName(labels);
    expect(name).toBe("a\\.b.\\\\\\000\\255.");
    expect(nameToLabels(name)).toEqual({ ok: true, labels });
    expect(nameToLabels("example.com")).toEqual(nameToLabels("example.com."));
    expect(nameToLabels("a..b.")).toMatchObject({ ok: false, code: "BAD_LABEL" });
  });

  it("print and parse IPv6 addresses in RFC 5952 form", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        expect(parseIpv6(ipv6Text(bytes))).toEqual(bytes);
      }),
    );
    expect(ipv6Text(parseIpv6("2001:db8:0:0:1:0:0:1")!)).toBe("2001:db8::1:0:0:1");
    expect(ipv6Text(parseIpv6("::ffff:10.0.0.1")!)).toBe("::ffff:a00:1");
    expect(parseIpv6("1::2::3")).toBeNull();
  });

  it("map type mnemonics and codes both ways", () => {
    expect(typeCode("aaaa")).toBe(28);
    expect(typeCode("TYPE65280")).toBe(65280);
    expect(typeCode("NOPE")).toBeUndefined();
    expect(typeName(33)).toBe("SRV");
    expect(typeName(65280)).toBe("TYPE65280");
  });

  it("split a TCP stream into length-prefixed messages, keeping a partial one", () => {
    const a = encoded(buildQuery({ id: 1, name: "a.", type: 1 }));
    const b = encoded(buildQuery({ id: 2, name: "b.", type: 28 }));
    const stream = Uint8Array.from([...frameForTcp(a), ...frameForTcp(b)]);
    const first = splitTcpFrames(stream.slice(0, stream.length - 3));
    expect(first.frames).toEqual([a]);
    const second = splitTcpFrames(Uint8Array.from([...first.rest, ...stream.slice(stream.length - 3)]));
    expect(second).toEqual({ frames: [b], rest: new Uint8Array(0) });
  });
});
