/**
 * DNS messages (RFC 1035 and RFC 6891): the header, the question and the record types Coredeck shows (A, AAAA, CNAME,
 * NS, PTR, MX, SRV, TXT, SOA), EDNS(0) carried through as its OPT fields and raw options, and every other type as raw
 * rdata. Pure TypeScript over Uint8Array: no Node built-ins, so it runs anywhere.
 *
 * `decodeMessage` never throws, whatever the bytes: a truncated packet, a compression pointer that loops or points
 * forward, a label or name over the limits, rdata that does not match its type all come back as `{ ok: false }` with
 * a machine code and the offset where reading stopped. `encodeMessage` compresses names (RFC 1035 §4.1.4) and refuses
 * values that cannot be written (a label over 63 bytes, a TXT string over 255...) the same way.
 *
 * Names are in presentation form, fully qualified (`example.com.`, the root is `.`), with RFC 1035 §5.1 escapes:
 * `\.` and `\\` inside a label, `\DDD` for a byte that is not printable ASCII. Decoding keeps the case it was sent in.
 */

/** Header flags. `qr` response, `aa` authoritative, `tc` truncated, `rd` recursion desired, `ra` recursion available,
 * `ad` authenticated data, `cd` checking disabled. */
export type DnsFlags = { qr: boolean; aa: boolean; tc: boolean; rd: boolean; ra: boolean; ad: boolean; cd: boolean };

/** A question: name, type code (1 = A...) and class (1 = IN). */
export type DnsQuestion = { name: string; type: number; class: number };

/** The rdata of a record, by kind. Types this module does not read are `raw`. */
export type RecordData =
  | { kind: "A"; address: string }
  | { kind: "AAAA"; address: string }
  | { kind: "CNAME"; target: string }
  | { kind: "NS"; target: string }
  | { kind: "PTR"; target: string }
  | { kind: "MX"; preference: number; exchange: string }
  | { kind: "SRV"; priority: number; weight: number; port: number; target: string }
  | { kind: "TXT"; text: string[] }
  | { kind: "SOA"; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
  | { kind: "raw"; rdata: Uint8Array };

/** A resource record. `type` is the wire type code; `data.kind` says how its rdata was read. */
export type DnsRecord = { name: string; type: number; class: number; ttl: number; data: RecordData };

/** One EDNS(0) option, carried as it came. */
export type EdnsOption = { code: number; data: Uint8Array };

/** The OPT pseudo-record (RFC 6891), kept out of the additional section. */
export type Edns = { udpPayloadSize: number; version: number; dnssecOk: boolean; options: EdnsOption[] };

/** A whole message. `rcode` includes the EDNS extended bits (e.g. 16 = BADVERS). */
export type DnsMessage = {
  id: number;
  opcode: number;
  rcode: number;
  flags: DnsFlags;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
  edns?: Edns;
};

/**
 * Why a message could not be read or written:
 * - `TRUNCATED`: the bytes end inside the header, a name, a record or rdata;
 * - `BAD_POINTER`: a compression pointer that points at or after itself (which is how loops are made) or past the end;
 * - `BAD_LABEL`: a reserved label type (0x40, 0x80), or a label over 63 bytes when writing;
 * - `NAME_TOO_LONG`: a name over 255 bytes in wire form;
 * - `BAD_RDATA`: rdata whose length does not fit its type (an A record of 3 bytes, a TXT string running past the end);
 * - `BAD_OPT`: more than one OPT record, or an OPT outside the additional section;
 * - `BAD_VALUE`: writing only: a number out of range, an address that does not parse, a message over 65535 bytes.
 */
export type DnsCodecErrorCode = "TRUNCATED" | "BAD_POINTER" | "BAD_LABEL" | "NAME_TOO_LONG" | "BAD_RDATA" | "BAD_OPT" | "BAD_VALUE";

export type DnsCodecError = { ok: false; code: DnsCodecErrorCode; message: string; offset?: number };

export const CLASS_IN = 1;

/** Type codes by mnemonic, for the types a troubleshooting page asks about. */
export const TYPE_CODES: Readonly<Record<string, number>> = Object.freeze({
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  SVCB: 64,
  HTTPS: 65,
  OPT: 41,
  AXFR: 252,
  ANY: 255,
  CAA: 257,
});

const TYPE_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(TYPE_CODES).map(([name, code]) => [code, name]));

/** Response codes (RFC 1035, 2136, 6891) by number. */
export const RCODE_NAMES: Readonly<Record<number, string>> = Object.freeze({
  0: "NOERROR",
  1: "FORMERR",
  2: "SERVFAIL",
  3: "NXDOMAIN",
  4: "NOTIMP",
  5: "REFUSED",
  6: "YXDOMAIN",
  7: "YXRRSET",
  8: "NXRRSET",
  9: "NOTAUTH",
  10: "NOTZONE",
  16: "BADVERS",
});

export const RCODE = Object.freeze({ NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 });

/** `A`, `AAAA`... or `TYPE65280` for a code without a mnemonic (RFC 3597). */
export function typeName(code: number): string {
  return TYPE_NAMES.get(code) ?? `TYPE${code}`;
}

/** The code of a mnemonic (`aaaa` works too) or of `TYPEnnn`; undefined for anything else. */
export function typeCode(name: string): number | undefined {
  const upper = name.trim().toUpperCase();
  const known = TYPE_CODES[upper];
  if (known !== undefined) return known;
  const generic = /^TYPE(\d{1,5})$/.exec(upper);
  if (!generic) return undefined;
  const code = Number(generic[1]);
  return code <= 0xffff ? code : undefined;
}

/** `NOERROR`, `NXDOMAIN`... or `RCODE23`. */
export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}

const MAX_NAME_WIRE = 255;
const MAX_LABEL = 63;
/** More pointer jumps than a 255-byte name could ever need (pointers must go backwards anyway). */
const MAX_POINTER_JUMPS = 128;

const fail = (code: DnsCodecErrorCode, message: string, offset?: number): DnsCodecError => ({ ok: false, code, message, ...(offset === undefined ? {} : { offset }) });

class CodecFailure {
  constructor(readonly error: DnsCodecError) {}
}

// ---------------------------------------------------------------------------------------------------------------
// Names

/** RFC 1035 §5.1 presentation of one label. */
function labelText(bytes: Uint8Array, start: number, length: number): string {
  let out = "";
  for (let i = start; i < start + length; i++) {
    const b = bytes[i]!;
    if (b === 0x2e || b === 0x5c || b === 0x22 || b === 0x28 || b === 0x29 || b === 0x3b || b === 0x40 || b === 0x24) {
      out += "\\" + String.fromCharCode(b);
    } else if (b > 0x20 && b < 0x7f) {
      out += String.fromCharCode(b);
    } else {
      out += "\\" + String(b).padStart(3, "0");
    }
  }
  return out;
}

/** The presentation form of wire labels (`.` for none). */
export function labelsToName(labels: readonly Uint8Array[]): string {
  return labels.length === 0 ? "." : labels.map((l) => labelText(l, 0, l.length)).join(".") + ".";
}

/**
 * Splits a presentation name into label bytes. Accepts a missing final dot. `\DDD` and `\X` escapes are read; any
 * other character is taken as its UTF-8 bytes.
 */
export function nameToLabels(name: string): { ok: true; labels: Uint8Array[] } | DnsCodecError {
  if (name === "." || name === "") return { ok: true, labels: [] };
  const labels: Uint8Array[] = [];
  let current: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (ch === "\\") {
      const digits = /^\d{3}/.exec(name.slice(i + 1, i + 4));
      if (digits) {
        const value = Number(digits[0]);
        if (value > 255) return fail("BAD_VALUE", `The escape \\${digits[0]} in "${name}" is not a byte (000-255).`);
        current.push(value);
        i += 3;
      } else if (i + 1 < name.length) {
        current.push(...encoder.encode(name[i + 1]!));
        i += 1;
      } else {
        return fail("BAD_VALUE", `The name "${name}" ends with a lone backslash.`);
      }
    } else if (ch === ".") {
      if (current.length === 0) return fail("BAD_LABEL", `The name "${name}" has an empty label.`);
      labels.push(Uint8Array.from(current));
      current = [];
    } else {
      current.push(...encoder.encode(ch));
    }
  }
  if (current.length > 0) labels.push(Uint8Array.from(current));
  let wire = 1;
  for (const label of labels) {
    if (label.length > MAX_LABEL) return fail("BAD_LABEL", `A label of "${name}" is ${label.length} bytes; DNS allows 63.`);
    wire += label.length + 1;
  }
  if (wire > MAX_NAME_WIRE) return fail("NAME_TOO_LONG", `"${name}" is ${wire} bytes in wire form; DNS allows 255.`);
  return { ok: true, labels };
}

/** Lower-cases ASCII letters only, as DNS compares names. */
export function canonicalName(name: string): string {
  const fq = name.endsWith(".") && !name.endsWith("\\.") ? name : name === "" ? "." : `${name}.`;
  return fq.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  need(n: number, what: string): void {
    if (this.offset + n > this.bytes.length) {
      throw new CodecFailure(fail("TRUNCATED", `The message ends inside ${what} (needs ${n} bytes at offset ${this.offset}, ${this.bytes.length - this.offset} left).`, this.offset));
    }
  }
  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.offset++]!;
  }
  u16(what: string): number {
    this.need(2, what);
    const v = (this.bytes[this.offset]! << 8) | this.bytes[this.offset + 1]!;
    this.offset += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const b = this.bytes;
    const o = this.offset;
    this.offset += 4;
    return ((b[o]! << 24) >>> 0) + (b[o + 1]! << 16) + (b[o + 2]! << 8) + b[o + 3]!;
  }
  slice(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** Reads a possibly compressed name; pointers must point strictly before the label that holds them. */
  name(what: string): string {
    const bytes = this.bytes;
    let pos = this.offset;
    // Where the labels being read start: every pointer must go before it, so the walk always moves backwards and ends.
    let segmentStart = pos;
    let jumped = false;
    let jumps = 0;
    let wire = 1;
    const parts: string[] = [];
    for (;;) {
      if (pos >= bytes.length) throw new CodecFailure(fail("TRUNCATED", `The message ends inside ${what}.`, pos));
      const len = bytes[pos]!;
      const kind = len & 0xc0;
      if (kind === 0xc0) {
        if (pos + 1 >= bytes.length) throw new CodecFailure(fail("TRUNCATED", `The message ends inside a compression pointer of ${what}.`, pos));
        const target = ((len & 0x3f) << 8) | bytes[pos + 1]!;
        if (target >= segmentStart) {
          throw new CodecFailure(fail("BAD_POINTER", `A compression pointer in ${what} at offset ${pos} points to ${target}, not before the name it is part of (a loop or a forward reference).`, pos));
        }
        if (++jumps > MAX_POINTER_JUMPS) throw new CodecFailure(fail("BAD_POINTER", `Too many compression pointers in ${what}.`, pos));
        if (!jumped) this.offset = pos + 2;
        jumped = true;
        pos = target;
        segmentStart = target;
        continue;
      }
      if (kind !== 0) throw new CodecFailure(fail("BAD_LABEL", `Reserved label type 0x${kind.toString(16)} in ${what} at offset ${pos}.`, pos));
      if (len === 0) {
        if (!jumped) this.offset = pos + 1;
        break;
      }
      if (pos + 1 + len > bytes.length) throw new CodecFailure(fail("TRUNCATED", `The message ends inside a label of ${what}.`, pos));
      wire += len + 1;
      if (wire > MAX_NAME_WIRE) throw new CodecFailure(fail("NAME_TOO_LONG", `${what} is longer than 255 bytes.`, pos));
      parts.push(labelText(bytes, pos + 1, len));
      pos += 1 + len;
    }
    return parts.length === 0 ? "." : parts.join(".") + ".";
  }
}

function ipv4Text(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** RFC 5952 text of 16 bytes: lower case, longest run of two or more zero groups as `::`. */
export function ipv6Text(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

function readRdata(r: Reader, type: number, rdlength: number, owner: string): RecordData {
  const start = r.offset;
  r.need(rdlength, `the rdata of ${owner}`);
  const end = start + rdlength;
  const bad = (why: string) => new CodecFailure(fail("BAD_RDATA", `The ${typeName(type)} record of ${owner} has bad rdata: ${why}.`, start));
  // Names inside rdata may point anywhere before them, but must end inside the rdata.
  const inner = (what: string) => {
    const name = r.name(what);
    if (r.offset > end) throw bad("a name runs past the rdata length");
    return name;
  };
  let data: RecordData;
  switch (type) {
    case 1:
      if (rdlength !== 4) throw bad(`${rdlength} bytes, an IPv4 address has 4`);
      data = { kind: "A", address: ipv4Text(r.slice(4, "an A record")) };
      break;
    case 28:
      if (rdlength !== 16) throw bad(`${rdlength} bytes, an IPv6 address has 16`);
      data = { kind: "AAAA", address: ipv6Text(r.slice(16, "an AAAA record")) };
      break;
    case 2:
    case 5:
    case 12: {
      const kind = type === 2 ? "NS" : type === 5 ? "CNAME" : "PTR";
      data = { kind, target: inner(`the target of ${owner}`) };
      break;
    }
    case 15: {
      if (rdlength < 3) throw bad("too short");
      const preference = r.u16("an MX preference");
      data = { kind: "MX", preference, exchange: inner(`the exchange of ${owner}`) };
      break;
    }
    case 33: {
      if (rdlength < 7) throw bad("too short");
      const priority = r.u16("an SRV priority");
      const weight = r.u16("an SRV weight");
      const port = r.u16("an SRV port");
      data = { kind: "SRV", priority, weight, port, target: inner(`the target of ${owner}`) };
      break;
    }
    case 16: {
      const text: string[] = [];
      while (r.offset < end) {
        const len = r.bytes[r.offset]!;
        if (r.offset + 1 + len > end) throw bad("a character string runs past the rdata length");
        text.push(utf8.decode(r.bytes.subarray(r.offset + 1, r.offset + 1 + len)));
        r.offset += 1 + len;
      }
      data = { kind: "TXT", text };
      break;
    }
    case 6: {
      const mname = inner(`the primary server of ${owner}`);
      const rname = inner(`the mailbox of ${owner}`);
      if (end - r.offset !== 20) throw bad("the five numbers take 20 bytes");
      data = {
        kind: "SOA",
        mname,
        rname,
        serial: r.u32("an SOA serial"),
        refresh: r.u32("an SOA refresh"),
        retry: r.u32("an SOA retry"),
        expire: r.u32("an SOA expire"),
        minimum: r.u32("an SOA minimum"),
      };
      break;
    }
    default:
      data = { kind: "raw", rdata: r.slice(rdlength, `the rdata of ${owner}`) };
  }
  if (r.offset !== end) throw bad(`${end - r.offset} bytes left over`);
  return data;
}

type Section = "answer" | "authority" | "additional";

function readOpt(r: Reader, cls: number, ttl: number, rdlength: number): Edns {
  const end = r.offset + rdlength;
  r.need(rdlength, "the OPT record");
  const options: EdnsOption[] = [];
  while (r.offset < end) {
    if (end - r.offset < 4) throw new CodecFailure(fail("BAD_OPT", "An EDNS option header runs past the OPT record.", r.offset));
    const code = r.u16("an EDNS option code");
    const length = r.u16("an EDNS option length");
    if (r.offset + length > end) throw new CodecFailure(fail("BAD_OPT", `EDNS option ${code} runs past the OPT record.`, r.offset));
    options.push({ code, data: r.slice(length, "an EDNS option") });
  }
  return { udpPayloadSize: cls, version: (ttl >>> 16) & 0xff, dnssecOk: (ttl & 0x8000) !== 0, options };
}

/**
 * Reads a DNS message. Never throws: hostile or broken input gives `{ ok: false, code, message, offset }`.
 * Bytes after the last record are ignored.
 */
export function decodeMessage(bytes: Uint8Array): { ok: true; message: DnsMessage } | DnsCodecError {
  try {
    const r = new Reader(bytes);
    const id = r.u16("the header");
    const bits = r.u16("the header");
    const counts = [r.u16("the header"), r.u16("the header"), r.u16("the header"), r.u16("the header")] as const;
    const flags: DnsFlags = {
      qr: (bits & 0x8000) !== 0,
      aa: (bits & 0x0400) !== 0,
      tc: (bits & 0x0200) !== 0,
      rd: (bits & 0x0100) !== 0,
      ra: (bits & 0x0080) !== 0,
      ad: (bits & 0x0020) !== 0,
      cd: (bits & 0x0010) !== 0,
    };
    const message: DnsMessage = { id, opcode: (bits >> 11) & 0xf, rcode: bits & 0xf, flags, questions: [], answers: [], authority: [], additional: [] };
    for (let i = 0; i < counts[0]; i++) {
      const name = r.name(`question ${i + 1}`);
      message.questions.push({ name, type: r.u16("a question"), class: r.u16("a question") });
    }
    const sections: [Section, DnsRecord[], number][] = [
      ["answer", message.answers, counts[1]],
      ["authority", message.authority, counts[2]],
      ["additional", message.additional, counts[3]],
    ];
    for (const [section, list, count] of sections) {
      for (let i = 0; i < count; i++) {
        const owner = r.name(`the owner of ${section} record ${i + 1}`);
        const type = r.u16("a record header");
        const cls = r.u16("a record header");
        const ttl = r.u32("a record header");
        const rdlength = r.u16("a record header");
        if (type === 41) {
          if (section !== "additional" || message.edns) {
            return fail("BAD_OPT", section !== "additional" ? `An OPT record in the ${section} section.` : "More than one OPT record.", r.offset);
          }
          message.edns = readOpt(r, cls, ttl, rdlength);
          message.rcode |= ((ttl >>> 24) & 0xff) << 4;
          continue;
        }
        list.push({ name: owner, type, class: cls, ttl, data: readRdata(r, type, rdlength, owner) });
      }
    }
    return { ok: true, message };
  } catch (e) {
    if (e instanceof CodecFailure) return e.error;
    // Unreachable by design; kept so that a bug can never turn into an exception on network input.
    return fail("BAD_RDATA", `The message could not be read: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

/** Reads only the ID, for answering FORMERR to a message that cannot be read further. */
export function peekId(bytes: Uint8Array): number | undefined {
  return bytes.length >= 2 ? (bytes[0]! << 8) | bytes[1]! : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding

class Writer {
  private buf = new Uint8Array(512);
  length = 0;
  /** Lower-cased suffix → offset, for compression (only offsets a pointer can reach). */
  private readonly suffixes = new Map<string, number>();

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v & 0xff;
  }
  u16(v: number, what: string): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new CodecFailure(fail("BAD_VALUE", `${what} must be an integer from 0 to 65535, not ${v}.`));
    this.ensure(2);
    this.buf[this.length++] = v >> 8;
    this.buf[this.length++] = v & 0xff;
  }
  u32(v: number, what: string): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new CodecFailure(fail("BAD_VALUE", `${what} must be an integer from 0 to 4294967295, not ${v}.`));
    this.ensure(4);
    this.buf[this.length++] = (v >>> 24) & 0xff;
    this.buf[this.length++] = (v >>> 16) & 0xff;
    this.buf[this.length++] = (v >>> 8) & 0xff;
    this.buf[this.length++] = v & 0xff;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  setU16(at: number, v: number): void {
    this.buf[at] = v >> 8;
    this.buf[at + 1] = v & 0xff;
  }
  name(name: string, compress: boolean): void {
    const split = nameToLabels(name);
    if (!split.ok) throw new CodecFailure(split);
    const labels = split.labels;
    for (let i = 0; i < labels.length; i++) {
      const key = labels
        .slice(i)
        .map((l) => Array.from(l, (b) => (b >= 0x41 && b <= 0x5a ? b + 32 : b)).join(","))
        .join("|");
      const known = compress ? this.suffixes.get(key) : undefined;
      if (known !== undefined) {
        this.u16(0xc000 | known, "a compression pointer");
        return;
      }
      if (compress && this.length < 0x3fff && !this.suffixes.has(key)) this.suffixes.set(key, this.length);
      this.u8(labels[i]!.length);
      this.bytes(labels[i]!);
    }
    this.u8(0);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function parseIpv4(text: string): Uint8Array | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? Uint8Array.from(parts) : null;
}

/** 16 bytes of an IPv6 address in any RFC 4291 text form (including a trailing dotted IPv4), or null. */
export function parseIpv6(text: string): Uint8Array | null {
  let head = text;
  let tailV4: Uint8Array | null = null;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (!tailV4) return null;
    head = text.slice(0, lastColon + 1) + "0:0";
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const toGroups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = toGroups(halves[0]!);
  const right = halves.length === 2 ? toGroups(halves[1]!) : [];
  if (halves.length === 1 && left.length !== 8) return null;
  if (halves.length === 2 && left.length + right.length > 7) return null;
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = groups[i]!;
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  }
  if (tailV4) out.set(tailV4, 12);
  return out;
}

const utf8Encoder = new TextEncoder();

function writeRdata(w: Writer, record: DnsRecord): void {
  const { data } = record;
  const owner = record.name;
  const expected: Partial<Record<RecordData["kind"], number>> = { A: 1, AAAA: 28, NS: 2, CNAME: 5, PTR: 12, MX: 15, SRV: 33, TXT: 16, SOA: 6 };
  const want = expected[data.kind];
  if (want !== undefined && want !== record.type) {
    throw new CodecFailure(fail("BAD_VALUE", `The record of ${owner} has type ${typeName(record.type)} but ${data.kind} data.`));
  }
  switch (data.kind) {
    case "A": {
      const b = parseIpv4(data.address);
      if (!b) throw new CodecFailure(fail("BAD_VALUE", `"${data.address}" is not an IPv4 address (A record of ${owner}).`));
      w.bytes(b);
      return;
    }
    case "AAAA": {
      const b = parseIpv6(data.address);
      if (!b) throw new CodecFailure(fail("BAD_VALUE", `"${data.address}" is not an IPv6 address (AAAA record of ${owner}).`));
      w.bytes(b);
      return;
    }
    case "NS":
    case "CNAME":
    case "PTR":
      w.name(data.target, true);
      return;
    case "MX":
      w.u16(data.preference, "An MX preference");
      w.name(data.exchange, true);
      return;
    case "SRV":
      w.u16(data.priority, "An SRV priority");
      w.u16(data.weight, "An SRV weight");
      w.u16(data.port, "An SRV port");
      // RFC 2782: no compression of the SRV target.
      w.name(data.target, false);
      return;
    case "TXT":
      for (const s of data.text) {
        const b = utf8Encoder.encode(s);
        if (b.length > 255) throw new CodecFailure(fail("BAD_VALUE", `A TXT string of ${owner} is ${b.length} bytes; at most 255 fit.`));
        w.u8(b.length);
        w.bytes(b);
      }
      return;
    case "SOA":
      w.name(data.mname, true);
      w.name(data.rname, true);
      w.u32(data.serial, "An SOA serial");
      w.u32(data.refresh, "An SOA refresh");
      w.u32(data.retry, "An SOA retry");
      w.u32(data.expire, "An SOA expire");
      w.u32(data.minimum, "An SOA minimum");
      return;
    case "raw":
      w.bytes(data.rdata);
      return;
  }
}

function writeRecord(w: Writer, record: DnsRecord): void {
  w.name(record.name, true);
  w.u16(record.type, "A record type");
  w.u16(record.class, "A record class");
  w.u32(record.ttl, "A TTL");
  const lengthAt = w.length;
  w.u16(0, "rdlength");
  writeRdata(w, record);
  const rdlength = w.length - lengthAt - 2;
  if (rdlength > 0xffff) throw new CodecFailure(fail("BAD_VALUE", `The rdata of ${record.name} is over 65535 bytes.`));
  w.setU16(lengthAt, rdlength);
}

/** A message with every count zero and no flags; fill in what you need. */
export function emptyMessage(id = 0): DnsMessage {
  return {
    id,
    opcode: 0,
    rcode: 0,
    flags: { qr: false, aa: false, tc: false, rd: false, ra: false, ad: false, cd: false },
    questions: [],
    answers: [],
    authority: [],
    additional: [],
  };
}

/**
 * Writes a message, compressing names. An `edns` becomes the last additional record, carrying `rcode`'s upper bits.
 * Values that cannot be written give `{ ok: false }` (never a throw).
 */
export function encodeMessage(message: DnsMessage): { ok: true; bytes: Uint8Array } | DnsCodecError {
  try {
    const w = new Writer();
    if (message.rcode < 0 || message.rcode > 0xfff || (message.rcode > 0xf && !message.edns)) {
      return fail("BAD_VALUE", `rcode ${message.rcode} needs ${message.rcode > 0xf ? "EDNS" : "to be 0-4095"}.`);
    }
    const f = message.flags;
    const bits =
      (f.qr ? 0x8000 : 0) |
      ((message.opcode & 0xf) << 11) |
      (f.aa ? 0x0400 : 0) |
      (f.tc ? 0x0200 : 0) |
      (f.rd ? 0x0100 : 0) |
      (f.ra ? 0x0080 : 0) |
      (f.ad ? 0x0020 : 0) |
      (f.cd ? 0x0010 : 0) |
      (message.rcode & 0xf);
    w.u16(message.id, "The message ID");
    w.u16(bits, "The flags");
    w.u16(message.questions.length, "The question count");
    w.u16(message.answers.length, "The answer count");
    w.u16(message.authority.length, "The authority count");
    w.u16(message.additional.length + (message.edns ? 1 : 0), "The additional count");
    for (const q of message.questions) {
      w.name(q.name, true);
      w.u16(q.type, "A question type");
      w.u16(q.class, "A question class");
    }
    for (const record of message.answers) writeRecord(w, record);
    for (const record of message.authority) writeRecord(w, record);
    for (const record of message.additional) {
      if (record.type === 41) return fail("BAD_OPT", "Put EDNS in `edns`, not as an OPT record in the additional section.");
      writeRecord(w, record);
    }
    if (message.edns) {
      const e = message.edns;
      w.u8(0);
      w.u16(41, "OPT");
      w.u16(e.udpPayloadSize, "The EDNS UDP payload size");
      w.u32(((message.rcode >> 4) & 0xff) * 0x1000000 + ((e.version & 0xff) << 16) + (e.dnssecOk ? 0x8000 : 0), "The EDNS flags");
      const lengthAt = w.length;
      w.u16(0, "rdlength");
      for (const option of e.options) {
        w.u16(option.code, "An EDNS option code");
        w.u16(option.data.length, "An EDNS option length");
        w.bytes(option.data);
      }
      w.setU16(lengthAt, w.length - lengthAt - 2);
    }
    if (w.length > 0xffff) return fail("BAD_VALUE", `The message is ${w.length} bytes; DNS messages hold at most 65535.`);
    return { ok: true, bytes: w.result() };
  } catch (e) {
    if (e instanceof CodecFailure) return e.error;
    return fail("BAD_VALUE", `The message could not be written: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

/** A standard query for one name and type (class IN), optionally with EDNS. */
export function buildQuery(options: { id: number; name: string; type: number; recursionDesired?: boolean; udpPayloadSize?: number }): DnsMessage {
  const message = emptyMessage(options.id);
  message.flags.rd = options.recursionDesired ?? true;
  message.questions.push({ name: options.name, type: options.type, class: CLASS_IN });
  if (options.udpPayloadSize !== undefined) message.edns = { udpPayloadSize: options.udpPayloadSize, version: 0, dnssecOk: false, options: [] };
  return message;
}

/** Prefixes a message with its 2-byte length, as DNS over TCP sends it (RFC 1035 §4.2.2). */
export function frameForTcp(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 2);
  out[0] = bytes.length >> 8;
  out[1] = bytes.length & 0xff;
  out.set(bytes, 2);
  return out;
}

/**
 * Splits a TCP stream's bytes into whole messages; returns them and the bytes of an incomplete message still to come.
 */
export function splitTcpFrames(buffer: Uint8Array): { frames: Uint8Array[]; rest: Uint8Array } {
  const frames: Uint8Array[] = [];
  let offset = 0;
  while (buffer.length - offset >= 2) {
    const length = (buffer[offset]! << 8) | buffer[offset + 1]!;
    if (buffer.length - offset - 2 < length) break;
    frames.push(buffer.slice(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  return { frames, rest: buffer.slice(offset) };
}

/** The reading side of a DNS-over-TCP connection: feed it the chunks as they arrive, get the whole messages back. */
export class TcpFrameReader {
  private pending: Uint8Array = new Uint8Array(0);

  /** Adds a chunk; returns the messages it completed (none while a message is still partial). */
  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.pending.length + chunk.length);
    joined.set(this.pending);
    joined.set(chunk, this.pending.length);
    const { frames, rest } = splitTcpFrames(joined);
    this.pending = rest;
    return frames;
  }
}
