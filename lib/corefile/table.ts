/**
 * The Corefile scanner. It records the tokens of caddy's lexer (see lexer.ts for caddy's rules) in typed arrays:
 * token boundaries, lines and a few flags, with no object per token and no trivia. {@link TokenTable.token}
 * materialises a token's {@link Token} object on demand (once: later calls return the same object, so the syntax tree
 * and the server blocks share them), and {@link TokenTable.gapTrivia} the trivia between two tokens, from which the
 * syntax tree (cst.ts) and `lex()`'s lossless piece stream are built.
 *
 * The tests check it against a straightforward reference lexer (reference/lexer.ts).
 */
import type { Piece, Token, Trivia } from "./lexer";

/** Go's `unicode.IsSpace`: ASCII \t \n \v \f \r space, U+0085, U+00A0 and the Unicode White_Space characters. */
export function isGoSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Token kinds the parser branches on, decided by the token's text (quoted or not): bits 0-1 of the flags. */
export const TK_OTHER = 0;
export const TK_OPEN = 1; // "{"
export const TK_CLOSE = 2; // "}"
export const TK_IMPORT = 3; // "import"
export const KIND_MASK = 3;
/** Flag bit: a line break separates the token from the previous one (caddy's `isNewLine`, for root tokens). */
export const F_NEWLINE = 4;
export const F_QUOTED = 8;
export const F_UNTERMINATED = 16;
/** The text differs from the raw source (quoted with escapes, or with `\r` dropped): it is kept in `texts`. */
export const F_TEXT = 32;

const NL = 10;
const CR = 13;
const QUOTE = 34;
const HASH = 35;
const BACKSLASH = 92;
const OPEN = 123;
const CLOSE = 125;

// Classes of the code units below 0x80, as in lexer.ts.
const K_WORD = 0;
const K_SPACE = 1;
const K_NL = 2;
const K_CR = 3;
const K_HASH = 4;
const K_QUOTE = 5;
const ASCII_CLASS = new Uint8Array(128);
ASCII_CLASS[0x09] = K_SPACE;
ASCII_CLASS[0x0b] = K_SPACE;
ASCII_CLASS[0x0c] = K_SPACE;
ASCII_CLASS[0x20] = K_SPACE;
ASCII_CLASS[NL] = K_NL;
ASCII_CLASS[CR] = K_CR;
ASCII_CLASS[HASH] = K_HASH;
ASCII_CLASS[QUOTE] = K_QUOTE;

/** SPACES[n] is n spaces: indentation shares these strings instead of a slice per run. */
const SPACES: readonly string[] = Array.from({ length: 33 }, (_, i) => " ".repeat(i));

/** The one newline string every newline trivia shares. */
const NEWLINE = "\n";

/** Words up to this length share one string per distinct spelling when materialised. */
const INTERN_MAX_LENGTH = 40;

function kindOfText(text: string): number {
  if (text === "{") return TK_OPEN;
  if (text === "}") return TK_CLOSE;
  if (text === "import") return TK_IMPORT;
  return TK_OTHER;
}

function grow(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** The tokens of one source text, in typed arrays. */
export class TokenTable {
  /** Number of tokens. */
  count = 0;
  /** Offset of each token's first character. */
  start: Int32Array;
  /** Offset just after each token's last character. */
  end: Int32Array;
  /** Kind (bits 0-1) and flags of each token. */
  flags: Uint8Array;
  /** Texts that differ from the raw source, by token index. */
  readonly texts = new Map<number, string>();
  /** Offset at which each line starts; `lineCount` entries are used. */
  lineStarts: Int32Array;
  lineCount = 1;
  /** True when some piece may need a lexer warning (unterminated or skipped quote, comment inside a word). */
  unusual = false;
  /**
   * Token objects built so far: a few in a map (the parser needs only the key tokens, say), all of them in an array of
   * full size once more than a few are asked for.
   */
  private objects: Array<Token | undefined> | null = null;
  private few: Map<number, Token> | null = null;
  private piecesCache: { pieces: Piece[]; lineStarts: number[] } | null = null;
  private readonly intern: Array<string | undefined>;
  private readonly internMask: number;
  /** The line index found last by {@link lineIndexOf} (tokens are mostly materialised in order). */
  private lastLine = 0;

  constructor(
    readonly source: string,
    readonly file: string,
  ) {
    const cap = Math.max(4, source.length >> 3);
    this.start = this.end = new Int32Array(0);
    this.flags = new Uint8Array(0);
    this.allocateTokens(cap, 0);
    this.lineStarts = new Int32Array(Math.max(16, source.length >> 4));
    let internSize = 64;
    while (internSize < 4096 && internSize * 32 < source.length) internSize *= 2;
    this.intern = new Array<string | undefined>(internSize);
    this.internMask = internSize - 1;
  }

  /** The 0-based index of the line that contains `offset` (a line's end counts to it; `lineCount` is 1 or more). */
  lineIndexOf(offset: number): number {
    const ls = this.lineStarts;
    const last = this.lineCount - 1;
    let k = this.lastLine;
    if ((ls[k] as number) <= offset) {
      // Forward from the last answer: a few steps when tokens are read in order.
      let steps = 0;
      while (k < last && (ls[k + 1] as number) <= offset) {
        k++;
        if (++steps === 8) {
          k = this.searchLine(offset, k, last);
          break;
        }
      }
    } else {
      k = this.searchLine(offset, 0, k);
    }
    this.lastLine = k;
    return k;
  }

  /** Binary search for the last line in `[lo, hi]` that starts at or before `offset`. */
  private searchLine(offset: number, lo: number, hi: number): number {
    const ls = this.lineStarts;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((ls[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The token's kind ({@link TK_OPEN}...). */
  kindOf(i: number): number {
    return (this.flags[i] as number) & KIND_MASK;
  }

  /** The token's text as caddy sees it. */
  text(i: number): string {
    const f = this.flags[i] as number;
    if (f & F_TEXT) return this.texts.get(i) as string;
    if (f & F_QUOTED) return this.quotedText(i);
    return this.raw(i);
  }

  /** Whether the token's text is `text` (without building a string when that can be avoided). */
  is(i: number, text: string): boolean {
    if ((this.flags[i] as number) & (F_TEXT | F_QUOTED)) return this.text(i) === text;
    const s = this.start[i] as number;
    return (this.end[i] as number) - s === text.length && this.source.startsWith(text, s);
  }

  /** The text of a quoted token without `\"` escapes (its content), cached. */
  private quotedText(i: number): string {
    const s = this.start[i] as number;
    const e = this.end[i] as number;
    const text = this.source.slice(s + 1, (this.flags[i] as number) & F_UNTERMINATED ? e : e - 1);
    this.flags[i] = (this.flags[i] as number) | F_TEXT;
    this.texts.set(i, text);
    return text;
  }

  /** The exact source text of the token; words that repeat share one string. */
  raw(i: number): string {
    const source = this.source;
    const s = this.start[i] as number;
    const e = this.end[i] as number;
    const len = e - s;
    if (len > INTERN_MAX_LENGTH) return source.slice(s, e);
    const slot =
      (len * 0x2f1 + source.charCodeAt(s) * 0x3b + source.charCodeAt(e - 1) * 0x7d + source.charCodeAt(s + (len >> 1)) * 0x1f3) &
      this.internMask;
    const seen = this.intern[slot];
    if (seen !== undefined && seen.length === len && source.startsWith(seen, s)) return seen;
    const raw = source.slice(s, e);
    this.intern[slot] = raw;
    return raw;
  }

  /** The token object of token `i` (built on first use, then always the same object). */
  token(i: number): Token {
    const objects = this.objects;
    if (objects === null) return this.fewToken(i);
    const have = objects[i];
    if (have !== undefined) return have;
    const tok = this.build(i);
    objects[i] = tok;
    return tok;
  }

  private fewToken(i: number): Token {
    let few = this.few;
    if (few === null) {
      few = new Map();
      this.few = few;
    }
    const have = few.get(i);
    if (have !== undefined) return have;
    const tok = this.build(i);
    if (few.size < 64 + (this.count >> 5)) {
      few.set(i, tok);
    } else {
      const objects = this.allObjects();
      objects[i] = tok;
    }
    return tok;
  }

  /** Prepares the token cache for all tokens (when most of them will be asked for). */
  allTokenObjects(): void {
    this.allObjects();
  }

  /** The full-size cache (moving the map's entries into it). */
  private allObjects(): Array<Token | undefined> {
    if (this.objects === null) {
      const objects = new Array<Token | undefined>(this.count);
      if (this.few !== null) for (const [i, tok] of this.few) objects[i] = tok;
      this.few = null;
      this.objects = objects;
    }
    return this.objects;
  }

  private build(i: number): Token {
    const s = this.start[i] as number;
    const e = this.end[i] as number;
    const f = this.flags[i] as number;
    const l = this.lineIndexOf(s);
    // Only a quoted token can span lines.
    const el = f & F_QUOTED ? this.lineIndexOf(e) : l;
    const raw = this.raw(i);
    const tok: Token = {
      kind: "token",
      text: f & (F_TEXT | F_QUOTED) ? this.text(i) : raw,
      raw,
      file: this.file,
      caddyFile: "",
      line: l + 1,
      column: s - (this.lineStarts[l] as number) + 1,
      endLine: el + 1,
      endColumn: e - (this.lineStarts[el] as number) + 1,
      start: s,
      end: e,
      quoted: (f & F_QUOTED) !== 0,
    };
    if (f & F_UNTERMINATED) tok.unterminated = true;
    return tok;
  }

  /** All token objects, in order. */
  tokens(): Token[] {
    this.allObjects();
    const out = new Array<Token>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.token(i);
    return out;
  }

  /** The lossless piece stream (built once; its tokens are this table's token objects) and the line table. */
  pieces(): { pieces: Piece[]; lineStarts: number[] } {
    if (this.piecesCache === null) {
      this.allObjects();
      const pieces: Piece[] = [];
      const gap: Trivia[] = [];
      for (let k = -1; k < this.count; k++) {
        if (k >= 0) pieces.push(this.token(k));
        const m = this.gapTrivia(k, gap);
        for (let g = 0; g < m; g++) pieces.push(gap[g] as Trivia);
      }
      this.piecesCache = { pieces, lineStarts: this.lineStartsArray() };
    }
    return this.piecesCache;
  }

  /** The line table as a plain array (`lineStarts[0]` is line 1). */
  lineStartsArray(): number[] {
    // A plain loop: Array.from over a typed array goes through the iterator protocol, several times slower.
    const n = this.lineCount;
    const ls = this.lineStarts;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = ls[i] as number;
    return out;
  }

  /**
   * Writes into `out` (from index 0) the trivia between token `k` and token `k + 1` — from the start of the source
   * for `k = -1` (a BOM included), to its end for the last token (a skipped quote included) — and returns how many.
   * The split is the lexer's: runs of whitespace other than `\n` (`\r` included), one piece per `\n`, comments
   * (without trailing `\r`s), and a comment inside a word right after an unquoted token.
   */
  gapTrivia(k: number, out: Trivia[]): number {
    const source = this.source;
    const n = source.length;
    const lineStarts = this.lineStarts;
    let m = 0;
    let pos: number;
    let line: number;
    if (k < 0) {
      pos = 0;
      line = 0;
      if (n > 0 && source.charCodeAt(0) === 0xfeff) {
        out[m++] = { kind: "bom", raw: source.slice(0, 1), start: 0, end: 1, line: 1, column: 1, inWord: false };
        pos = 1;
      }
    } else {
      pos = this.end[k] as number;
      line = this.lineIndexOf(pos);
    }
    let lineStart = lineStarts[line] as number;
    const last = k + 1 >= this.count;
    const to = last ? n : (this.start[k + 1] as number);
    if (k >= 0 && pos < to && ((this.flags[k] as number) & F_QUOTED) === 0) {
      // A `#` right after a word (past any \r) starts a comment inside the word: it ends at the next whitespace
      // other than \r.
      let h = pos;
      while (h < to && source.charCodeAt(h) === CR) h++;
      if (h < to && source.charCodeAt(h) === HASH) {
        if (h > pos) {
          out[m++] = { kind: "space", raw: source.slice(pos, h), start: pos, end: h, line: line + 1, column: pos - lineStart + 1, inWord: false };
        }
        let e = inWordCommentEnd(source, h, n);
        while (e > h + 1 && source.charCodeAt(e - 1) === CR) e--;
        out[m++] = { kind: "comment", raw: source.slice(h, e), start: h, end: e, line: line + 1, column: h - lineStart + 1, inWord: true };
        pos = e;
      }
    }
    while (pos < to) {
      const c = source.charCodeAt(pos);
      if (c === NL) {
        out[m++] = { kind: "newline", raw: NEWLINE, start: pos, end: pos + 1, line: line + 1, column: pos - lineStart + 1, inWord: false };
        pos++;
        line++;
        lineStart = pos;
        continue;
      }
      const cls = c < 0x80 ? (ASCII_CLASS[c] as number) : isGoSpace(c) ? K_SPACE : K_WORD;
      if (cls === K_SPACE || cls === K_CR) {
        let e = pos + 1;
        let plain = c === 0x20;
        while (e < n) {
          const d = source.charCodeAt(e);
          if (d === 0x20) {
            e++;
            continue;
          }
          if (d < 0x80 ? ASCII_CLASS[d] !== K_SPACE && d !== CR : !isGoSpace(d)) break;
          plain = false;
          e++;
        }
        const raw = plain && e - pos < SPACES.length ? (SPACES[e - pos] as string) : source.slice(pos, e);
        out[m++] = { kind: "space", raw, start: pos, end: e, line: line + 1, column: pos - lineStart + 1, inWord: false };
        pos = e;
      } else if (cls === K_HASH) {
        const e = lineCommentEnd(source, pos);
        out[m++] = { kind: "comment", raw: source.slice(pos, e), start: pos, end: e, line: line + 1, column: pos - lineStart + 1, inWord: false };
        pos = e;
      } else if (cls === K_QUOTE && last) {
        // `"` or `"\` at the end: caddy reads it but yields no token.
        out[m++] = { kind: "skipped", raw: source.slice(pos, n), start: pos, end: n, line: line + 1, column: pos - lineStart + 1, inWord: false };
        pos = n;
      } else {
        throw new Error(`gapTrivia: unexpected text at offset ${pos}`);
      }
    }
    return m;
  }

  /** Doubles the capacity of the token arrays (`count` must hold the number of tokens so far). */
  growTokens(): void {
    this.allocateTokens(this.start.length * 2, this.count);
  }

  /**
   * (Re)allocates the token arrays for `cap` tokens, keeping the first `keep`: views of one buffer, so scanning a
   * small file makes one backing store, not three.
   */
  private allocateTokens(cap: number, keep: number): void {
    const buffer = new ArrayBuffer(cap * 9);
    const start = new Int32Array(buffer, 0, cap);
    const end = new Int32Array(buffer, cap * 4, cap);
    const flags = new Uint8Array(buffer, cap * 8, cap);
    if (keep > 0) {
      start.set(this.start.subarray(0, keep));
      end.set(this.end.subarray(0, keep));
      flags.set(this.flags.subarray(0, keep));
    }
    this.start = start;
    this.end = end;
    this.flags = flags;
  }
}

/** Lexes `source` into a {@link TokenTable}. Never throws. */
export function scanTable(source: string, file = "Corefile"): TokenTable {
  const t = new TokenTable(source, file);
  const n = source.length;
  let pos = 0;
  // Local copies of the growing arrays (refreshed after a token is added through the table when they grew).
  let starts = t.start;
  let ends = t.end;
  let flagsArr = t.flags;
  // F_NEWLINE when a line break was seen since the last token.
  let nl = F_NEWLINE;
  const texts = t.texts;
  let unusual = false;
  let count = 0;
  let lineStarts = t.lineStarts;
  let lineCount = 1;
  lineStarts[0] = 0;

  if (n > 0 && source.charCodeAt(0) === 0xfeff) pos = 1;

  while (pos < n) {
    const c = source.charCodeAt(pos);
    // Fast path for the common characters between words.
    if (c === 0x20) {
      pos++;
      continue;
    }
    if (c === NL) {
      pos++;
      nl = F_NEWLINE;
      if (lineCount === lineStarts.length) {
        lineStarts = growLines(t, lineStarts, lineCount);
      }
      lineStarts[lineCount++] = pos;
      continue;
    }
    const k = c < 0x80 ? (ASCII_CLASS[c] as number) : isGoSpace(c) ? K_SPACE : K_WORD;
    if (k === K_SPACE || k === K_CR) {
      pos++;
      continue;
    }

    if (k === K_HASH) {
      let e = source.indexOf("\n", pos);
      if (e < 0) e = n;
      pos = e;
      continue;
    }

    if (count === starts.length) {
      t.count = count;
      t.growTokens();
      starts = t.start;
      ends = t.end;
      flagsArr = t.flags;
    }

    if (k === K_QUOTE) {
      let i = pos + 1;
      let segStart = i;
      let parts: string[] | null = null;
      let closed = false;
      let pendingBackslash = false;
      while (i < n) {
        const d = source.charCodeAt(i);
        if (d === BACKSLASH) {
          if (i + 1 >= n) {
            pendingBackslash = true;
            i = n;
            break;
          }
          const e = source.charCodeAt(i + 1);
          if (e === QUOTE) {
            if (parts === null) parts = [];
            parts.push(source.slice(segStart, i));
            segStart = i + 1;
          } else if (e === NL) {
            if (lineCount === lineStarts.length) {
              lineStarts = growLines(t, lineStarts, lineCount);
            }
            lineStarts[lineCount++] = i + 2;
          }
          i += 2;
          continue;
        }
        if (d === QUOTE) {
          closed = true;
          break;
        }
        if (d === NL) {
          if (lineCount === lineStarts.length) {
            lineStarts = growLines(t, lineStarts, lineCount);
          }
          lineStarts[lineCount++] = i + 1;
        }
        i++;
      }
      const contentEnd = closed ? i : pendingBackslash ? n - 1 : n;
      const end = closed ? i + 1 : n;
      if (!closed && contentEnd === pos + 1) {
        // caddy yields no token for `"` or `"\` at the end of the input.
        unusual = true;
        pos = end;
        continue;
      }
      let flags = F_QUOTED;
      if (!closed) {
        flags |= F_UNTERMINATED;
        unusual = true;
      }
      let kind = TK_OTHER;
      if (parts !== null || pendingBackslash) {
        // The text differs from the content between the quotes: keep it.
        const text = parts === null ? source.slice(pos + 1, contentEnd) : parts.join("") + source.slice(segStart, contentEnd);
        flags |= F_TEXT;
        texts.set(count, text);
        kind = kindOfText(text);
      } else {
        const len = contentEnd - pos - 1;
        const c1 = source.charCodeAt(pos + 1);
        if (len === 1) kind = c1 === OPEN ? TK_OPEN : c1 === CLOSE ? TK_CLOSE : TK_OTHER;
        else if (len === 6 && c1 === 105 && source.startsWith("import", pos + 1)) kind = TK_IMPORT;
      }
      starts[count] = pos;
      ends[count] = end;
      flagsArr[count] = flags | kind | nl;
      nl = 0;
      count++;
      pos = end;
      continue;
    }

    // Unquoted word.
    let i = pos + 1;
    let hashAt = -1;
    let sawCR = false;
    while (i < n) {
      const d = source.charCodeAt(i);
      if (d > HASH && d < 0x85) {
        i++;
        continue;
      }
      if (d < 0x80) {
        const dk = ASCII_CLASS[d] as number;
        if (dk === K_WORD || dk === K_QUOTE) {
          i++;
          continue;
        }
        if (dk === K_CR) {
          sawCR = true;
          i++;
          continue;
        }
        if (dk === K_HASH) hashAt = i;
        break;
      }
      if (isGoSpace(d)) break;
      i++;
    }
    let wordEnd = hashAt >= 0 ? hashAt : i;
    if (sawCR) while (source.charCodeAt(wordEnd - 1) === CR) wordEnd--;
    const len = wordEnd - pos;
    let kind = TK_OTHER;
    let flags = 0;
    if (sawCR && source.lastIndexOf("\r", wordEnd - 1) >= pos) {
      const text = source.slice(pos, wordEnd).replace(/\r/g, "");
      flags = F_TEXT;
      texts.set(count, text);
      kind = kindOfText(text);
    } else if (len === 1) {
      kind = c === OPEN ? TK_OPEN : c === CLOSE ? TK_CLOSE : TK_OTHER;
    } else if (len === 6 && c === 105 && source.startsWith("import", pos)) {
      kind = TK_IMPORT;
    }
    starts[count] = pos;
    ends[count] = wordEnd;
    flagsArr[count] = flags | kind | nl;
    nl = 0;
    count++;
    pos = wordEnd;

    if (hashAt >= 0) {
      unusual = true;
      pos = inWordCommentEnd(source, hashAt, n);
    }
  }
  finish(t, count, lineCount, unusual);
  return t;
}

// Helpers for the scanner's rare steps: its hot loop then touches only locals and typed arrays.

/**
 * Where a comment that starts inside a word (the `#` at `hash`) ends: at the next whitespace other than `\r` (`\r`s
 * before that whitespace are part of it; the trivia piece leaves them out).
 */
function inWordCommentEnd(source: string, hash: number, n: number): number {
  let j = hash + 1;
  while (j < n) {
    const d = source.charCodeAt(j);
    if (d === NL || (d !== CR && isGoSpace(d))) break;
    j++;
  }
  return j;
}

/**
 * The end of the comment piece that starts at `hash` (a `#` between words): the end of its line, without trailing
 * `\r`s, which are left as space so CRLF lines look like LF lines.
 */
export function lineCommentEnd(source: string, hash: number): number {
  let e = source.indexOf("\n", hash);
  if (e < 0) e = source.length;
  while (e > hash + 1 && source.charCodeAt(e - 1) === CR) e--;
  return e;
}

function growLines(t: TokenTable, lineStarts: Int32Array, lineCount: number): Int32Array {
  t.lineStarts = grow(lineStarts, lineCount * 2);
  return t.lineStarts;
}

function finish(t: TokenTable, count: number, lineCount: number, unusual: boolean): void {
  t.count = count;
  t.lineCount = lineCount;
  t.unusual = unusual;
}
