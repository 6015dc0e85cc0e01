/**
 * Byte-exact reproduction of Go's `encoding/json.Marshal` for the values the reload hash serialises: strings,
 * ints, arrays, maps with string keys (sorted) and caddy's `ServerBlock`/`Token` structs.
 *
 * Go's string encoding differs from `JSON.stringify`: it is HTML-safe (`<`, `>`, `&` become `\u003c`, `\u003e`,
 * `\u0026`), escapes U+2028/U+2029, writes other control characters as `\u00XX` except `\b \f \n \r \t` (Go ≥ 1.22), and
 * leaves DEL and all other non-ASCII characters as they are. An unpaired surrogate in a JavaScript string stands for
 * an invalid byte sequence, which Go's lexer has already turned into U+FFFD; it is written as that character.
 */
import type { ServerBlock } from "./caddy-parser";
import type { IndexedBlock } from "./fast-parse";
import { Sha512Core } from "./sha512";
import { compareCodePoints } from "./vfs";

const HEX = "0123456789abcdef";

/** Whether a string needs any escaping or surrogate fix-up (the common case is no). */
function needsWork(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26) return true;
    if (c >= 0x2028 && (c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff))) return true;
  }
  return false;
}

/** Go's JSON encoding of a string (with the quotes). */
export function goJsonString(s: string): string {
  if (!needsWork(s)) return '"' + s + '"';
  let out = '"';
  let from = 0;
  const flush = (i: number, rep: string): void => {
    out += s.slice(from, i) + rep;
    from = i + 1;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      switch (c) {
        case 0x08:
          flush(i, "\\b");
          break;
        case 0x0c:
          flush(i, "\\f");
          break;
        case 0x0a:
          flush(i, "\\n");
          break;
        case 0x0d:
          flush(i, "\\r");
          break;
        case 0x09:
          flush(i, "\\t");
          break;
        default:
          flush(i, "\\u00" + HEX[c >> 4] + HEX[c & 0xf]);
      }
    } else if (c === 0x22) flush(i, '\\"');
    else if (c === 0x5c) flush(i, "\\\\");
    else if (c === 0x3c) flush(i, "\\u003c");
    else if (c === 0x3e) flush(i, "\\u003e");
    else if (c === 0x26) flush(i, "\\u0026");
    else if (c === 0x2028) flush(i, "\\u2028");
    else if (c === 0x2029) flush(i, "\\u2029");
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) i++; // a valid pair: keep both halves as they are
      else flush(i, "\ufffd");
    }
  }
  return out + s.slice(from) + '"';
}

/** Replaces unpaired surrogates with U+FFFD (what Go would hold in the string). */
export function toWellFormed(s: string): string {
  let out: string | null = null;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const d = s.charCodeAt(i + 1);
    if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
      i++;
      continue;
    }
    out = (out ?? "") + s.slice(from, i) + "\ufffd";
    from = i + 1;
  }
  return out === null ? s : out + s.slice(from);
}

/**
 * A server block's directive names in Go's map-key order: sorted by their UTF-8 bytes (code points), after the
 * replacement of unpaired surrogates Go's strings could not hold.
 */
function sortedNames(tokens: Record<string, unknown>): string[] {
  const names = Object.keys(tokens);
  let plain = true;
  for (let i = 0; i < names.length && plain; i++) {
    const k = names[i] as string;
    for (let j = 0; j < k.length; j++) {
      if (k.charCodeAt(j) >= 0xd800) {
        plain = false;
        break;
      }
    }
  }
  // Without surrogates (or characters above them) code-unit order is code-point order: the default sort does it.
  if (plain) return names.sort();
  return names
    .map((k) => ({ k, sortKey: toWellFormed(k) }))
    .sort((x, y) => compareCodePoints(x.sortKey, y.sortKey))
    .map((e) => e.k);
}

/**
 * Writes `json.Marshal([]caddyfile.ServerBlock)` as CoreDNS's reload plugin computes it, piece by piece, to `write`:
 * `[{"Keys":[...],"Tokens":{"<directive>":[{"File":"","Line":1,"Text":"..."}]}}]`, map keys sorted by their UTF-8
 * bytes, and `null` for no server blocks (caddy returns a nil slice).
 */
export function writeServerBlocks(blocks: readonly ServerBlock[], write: (chunk: string) => void): void {
  if (blocks.length === 0) {
    write("null");
    return;
  }
  for (let bi = 0; bi < blocks.length; bi++) {
    const b = blocks[bi] as ServerBlock;
    write(bi === 0 ? '[{"Keys":[' : ',{"Keys":[');
    write(b.keys.map(goJsonString).join(","));
    write('],"Tokens":{');
    const names = sortedNames(b.tokens);
    for (let ni = 0; ni < names.length; ni++) {
      const k = names[ni] as string;
      write(ni === 0 ? "" : ",");
      write(goJsonString(k));
      write(":[");
      const toks = b.tokens[k] ?? [];
      for (let ti = 0; ti < toks.length; ti++) {
        const t = toks[ti] as (typeof toks)[number];
        write(`${ti === 0 ? "" : ","}{"File":${goJsonString(t.caddyFile)},"Line":${t.line},"Text":${goJsonString(t.text)}}`);
      }
      write("]");
    }
    write("}}");
  }
  write("]");
}

/** ASCII bytes of a string. */
const asciiBytes = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
/** The constant parts of a root-file token's JSON. */
const TOKEN_HEAD_FIRST = asciiBytes('{"File":"","Line":');
const TOKEN_HEAD = asciiBytes(',{"File":"","Line":');
const TOKEN_TEXT = asciiBytes(',"Text":');

/** Size of the byte buffer of {@link JsonHasher} (whole SHA-512 blocks). */
const HASH_BUFFER = 16384;

/**
 * Which ASCII characters Go's JSON writes as they are inside a string (1) and which it escapes (0): control
 * characters, `"`, `\` and the HTML-unsafe `<`, `>`, `&`.
 */
const JSON_PLAIN = new Uint8Array(128);
for (let c = 0x20; c < 0x80; c++) JSON_PLAIN[c] = 1;
JSON_PLAIN[0x22] = 0;
JSON_PLAIN[0x5c] = 0;
JSON_PLAIN[0x3c] = 0;
JSON_PLAIN[0x3e] = 0;
JSON_PLAIN[0x26] = 0;

/**
 * Writes Go-JSON straight as UTF-8 bytes into a buffer that is compressed into SHA-512 whenever it fills up: no
 * intermediate strings. The output bytes are exactly those of {@link writeServerBlocks} encoded as UTF-8.
 */
class JsonHasher {
  private readonly buf: Uint8Array;
  private pos = 0;
  private readonly core = new Sha512Core();

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  /** Compresses the whole blocks in the buffer and moves the rest to its start. */
  private drain(): void {
    const whole = this.pos & ~127;
    this.core.compressBlocks(this.buf, 0, whole);
    this.buf.copyWithin(0, whole, this.pos);
    this.pos -= whole;
  }

  /** Writes a short ASCII string (a constant or a number) as it is. */
  ascii(s: string): void {
    if (this.pos + s.length > HASH_BUFFER) this.drain();
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Writes one ASCII byte. */
  byte(b: number): void {
    if (this.pos >= HASH_BUFFER) this.drain();
    this.buf[this.pos++] = b;
  }

  /** Writes a Go `int` (how `encoding/json` prints the line numbers). */
  int(v: number): void {
    if (!(v >= 0 && v < 0x80000000 && (v | 0) === v)) {
      this.ascii(`${v}`);
      return;
    }
    if (this.pos >= HASH_BUFFER) this.drain();
    const buf = this.buf;
    let digits = 1;
    for (let x = v; x >= 10; x = (x / 10) | 0) digits++;
    let p = this.pos + digits;
    this.pos = p;
    do {
      buf[--p] = 48 + (v % 10);
      v = (v / 10) | 0;
    } while (v > 0);
  }

  /** Writes `s` as Go's `encoding/json` does, quotes included (see {@link goJsonString}), in UTF-8. */
  str(s: string): void {
    const n = s.length;
    // One character takes at most 6 bytes (`\u00XX`); make room for the whole string at once when it is short.
    if (this.pos + 6 * n + 2 > HASH_BUFFER) this.drain();
    if (this.pos + 6 * n + 2 <= HASH_BUFFER) {
      this.pos = this.strAt(s, this.pos);
      return;
    }
    // Too long for the buffer: check the room at every character.
    this.buf[this.pos++] = 0x22;
    for (let i = 0; i < n; i++) {
      if (this.pos >= HASH_BUFFER) this.drain();
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          this.pos = this.charsAt(s, i, i + 2, this.pos);
          i++;
          continue;
        }
      }
      this.pos = this.charsAt(s, i, i + 1, this.pos);
    }
    if (this.pos >= HASH_BUFFER) this.drain();
    this.buf[this.pos++] = 0x22;
  }

  /** Writes `s` quoted at `p`, which must have room for `6 * s.length + 2` bytes; returns the new position. */
  private strAt(s: string, p: number): number {
    const buf = this.buf;
    buf[p++] = 0x22;
    p = this.charsAt(s, 0, s.length, p);
    buf[p++] = 0x22;
    return p;
  }

  /**
   * Writes the characters `s[from, to)` escaped, at `p` (room for 6 bytes per character needed); returns the new
   * position. A surrogate pair is only kept when both halves are in the range.
   */
  private charsAt(s: string, from: number, to: number, p: number): number {
    const buf = this.buf;
    for (let i = from; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (JSON_PLAIN[c] === 1) {
          buf[p++] = c;
          continue;
        }
        buf[p++] = 0x5c; // backslash
        switch (c) {
          case 0x22:
          case 0x5c:
            buf[p++] = c;
            break;
          case 0x08:
            buf[p++] = 0x62; // b
            break;
          case 0x0c:
            buf[p++] = 0x66; // f
            break;
          case 0x0a:
            buf[p++] = 0x6e; // n
            break;
          case 0x0d:
            buf[p++] = 0x72; // r
            break;
          case 0x09:
            buf[p++] = 0x74; // t
            break;
          default:
            // \u00XX for other control characters and <, >, &
            buf[p++] = 0x75;
            buf[p++] = 0x30;
            buf[p++] = 0x30;
            buf[p++] = HEX.charCodeAt(c >> 4);
            buf[p++] = HEX.charCodeAt(c & 0xf);
        }
        continue;
      }
      if (c < 0x800) {
        buf[p++] = 0xc0 | (c >> 6);
        buf[p++] = 0x80 | (c & 0x3f);
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < to ? s.charCodeAt(i + 1) : -1;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          // a valid pair: one code point, four bytes
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          buf[p++] = 0xf0 | (cp >> 18);
          buf[p++] = 0x80 | ((cp >> 12) & 0x3f);
          buf[p++] = 0x80 | ((cp >> 6) & 0x3f);
          buf[p++] = 0x80 | (cp & 0x3f);
          i++;
        } else {
          // an unpaired surrogate: U+FFFD
          buf[p++] = 0xef;
          buf[p++] = 0xbf;
          buf[p++] = 0xbd;
        }
        continue;
      }
      if (c === 0x2028 || c === 0x2029) {
        buf[p++] = 0x5c;
        buf[p++] = 0x75;
        buf[p++] = 0x32; // 2
        buf[p++] = 0x30; // 0
        buf[p++] = 0x32; // 2
        buf[p++] = c === 0x2028 ? 0x38 : 0x39;
        continue;
      }
      buf[p++] = 0xe0 | (c >> 12);
      buf[p++] = 0x80 | ((c >> 6) & 0x3f);
      buf[p++] = 0x80 | (c & 0x3f);
    }
    return p;
  }

  /**
   * Writes `{"File":"","Line":<line>,"Text":<text>}` (with a leading comma unless `first`) for a token of the root
   * file: the bulk of the JSON, in one step. Returns false (writing nothing) when the token does not fit the fast
   * path (a line that is not a small int, a text too long for the buffer).
   */
  rootToken(first: boolean, line: number, text: string): boolean {
    const room = 40 + 6 * text.length;
    if (!(line >= 0 && line < 0x80000000 && (line | 0) === line) || room > HASH_BUFFER - 128) return false;
    if (this.pos + room > HASH_BUFFER) this.drain();
    const buf = this.buf;
    let p = this.pos;
    const head = first ? TOKEN_HEAD_FIRST : TOKEN_HEAD;
    for (let i = 0; i < head.length; i++) buf[p++] = head[i] as number;
    let digits = 1;
    for (let x = line; x >= 10; x = (x / 10) | 0) digits++;
    p += digits;
    let q = p;
    let v = line;
    do {
      buf[--q] = 48 + (v % 10);
      v = (v / 10) | 0;
    } while (v > 0);
    for (let i = 0; i < TOKEN_TEXT.length; i++) buf[p++] = TOKEN_TEXT[i] as number;
    p = this.strAt(text, p);
    buf[p++] = 0x7d;
    this.pos = p;
    return true;
  }

  /** Finishes the hash. */
  digest(): Uint8Array {
    this.drain();
    return this.core.finish(this.buf, this.pos);
  }
}

/**
 * The SHA-512 of `json.Marshal([]caddyfile.ServerBlock)` (the bytes {@link writeServerBlocks} writes, in UTF-8), with
 * the JSON encoded straight into the hash.
 */
export function sha512ServerBlocks(blocks: readonly ServerBlock[]): Uint8Array {
  // The buffer is reused from one call to the next (allocating 16 KB costs more than hashing a small Corefile).
  const buf = spareBuffer ?? newHashBuffer();
  spareBuffer = null;
  try {
    return writeHashed(blocks, new JsonHasher(buf));
  } finally {
    spareBuffer = buf;
  }
}

// The slack after HASH_BUFFER holds what one step can write past the limit (at most 6 bytes plus a quote).
const newHashBuffer = (): Uint8Array => new Uint8Array(HASH_BUFFER + 64);
let spareBuffer: Uint8Array | null = null;

/** A server block's opening up to its token map: `[{"Keys":[...],"Tokens":{` (`,{` after the first block). */
function writeBlockKeys(w: JsonHasher, first: boolean, keys: readonly string[]): void {
  w.ascii(first ? '[{"Keys":[' : ',{"Keys":[');
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) w.byte(0x2c);
    w.str(keys[i] as string);
  }
  w.ascii('],"Tokens":{');
}

function writeHashed(blocks: readonly ServerBlock[], w: JsonHasher): Uint8Array {
  if (blocks.length === 0) {
    w.ascii("null");
    return w.digest();
  }
  for (let bi = 0; bi < blocks.length; bi++) {
    const b = blocks[bi] as ServerBlock;
    writeBlockKeys(w, bi === 0, b.keys);
    const names = sortedNames(b.tokens);
    for (let ni = 0; ni < names.length; ni++) {
      const k = names[ni] as string;
      if (ni > 0) w.byte(0x2c);
      w.str(k);
      w.ascii(":[");
      const toks = b.tokens[k] ?? [];
      for (let ti = 0; ti < toks.length; ti++) {
        const t = toks[ti] as (typeof toks)[number];
        const file = t.caddyFile;
        if (file === "" && w.rootToken(ti === 0, t.line, t.text)) continue;
        if (file === "") {
          w.ascii(ti === 0 ? '{"File":"","Line":' : ',{"File":"","Line":');
        } else {
          w.ascii(ti === 0 ? '{"File":' : ',{"File":');
          w.str(file);
          w.ascii(',"Line":');
        }
        w.int(t.line);
        w.ascii(',"Text":');
        w.str(t.text);
        w.byte(0x7d);
      }
      w.byte(0x5d);
    }
    w.ascii("}}");
  }
  w.byte(0x5d);
  return w.digest();
}

/**
 * {@link sha512ServerBlocks} for server blocks of the root file given as token indices (fast-parse.ts): the same
 * bytes, with each token's line and text read through `line(i)` and `text(i)` instead of from token objects.
 */
export function sha512IndexedBlocks(blocks: readonly IndexedBlock[], line: (i: number) => number, text: (i: number) => string): Uint8Array {
  const buf = spareBuffer ?? newHashBuffer();
  spareBuffer = null;
  try {
    return writeHashedIndexed(blocks, line, text, new JsonHasher(buf));
  } finally {
    spareBuffer = buf;
  }
}

function writeHashedIndexed(
  blocks: readonly IndexedBlock[],
  line: (i: number) => number,
  text: (i: number) => string,
  w: JsonHasher,
): Uint8Array {
  if (blocks.length === 0) {
    w.ascii("null");
    return w.digest();
  }
  for (let bi = 0; bi < blocks.length; bi++) {
    const b = blocks[bi] as IndexedBlock;
    writeBlockKeys(w, bi === 0, b.keys);
    const names = sortedNames(b.groups);
    for (let ni = 0; ni < names.length; ni++) {
      const k = names[ni] as string;
      if (ni > 0) w.byte(0x2c);
      w.str(k);
      w.ascii(":[");
      const ranges = b.groups[k] as number[];
      let first = true;
      for (let r = 0; r < ranges.length; r += 2) {
        const to = ranges[r + 1] as number;
        for (let i = ranges[r] as number; i <= to; i++) {
          const ln = line(i);
          const tx = text(i);
          if (!w.rootToken(first, ln, tx)) {
            w.ascii(first ? '{"File":"","Line":' : ',{"File":"","Line":');
            w.int(ln);
            w.ascii(',"Text":');
            w.str(tx);
            w.byte(0x7d);
          }
          first = false;
        }
      }
      w.byte(0x5d);
    }
    w.ascii("}}");
  }
  w.byte(0x5d);
  return w.digest();
}

/** {@link writeServerBlocks} into one string: the exact bytes the reload plugin hashes (as a JS string). */
export function marshalServerBlocks(blocks: readonly ServerBlock[]): string {
  const out: string[] = [];
  writeServerBlocks(blocks, (c) => out.push(c));
  return out.join("");
}
