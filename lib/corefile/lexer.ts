/**
 * Corefile lexer: the exact token stream of coredns/caddy's `caddyfile/lexer.go`, plus a lossless stream that keeps
 * every byte of the source (whitespace, newlines, comments, a BOM) as trivia so the source can be printed back.
 *
 * caddy's rules, all reproduced here (several are surprising):
 * - A token is a run of non-whitespace characters. Whitespace is Go's `unicode.IsSpace` (so also U+0085, U+00A0,
 *   U+2000..U+200A, U+3000 ...), except that `\r` is *dropped* wherever it occurs outside quotes: it neither ends a
 *   word nor appears in it (`a\rb` is the token `ab`).
 * - A token that starts with `"` is quoted: it runs to the next unescaped `"` and may span lines. Inside, `\"` becomes
 *   `"`; any other backslash is kept together with the character after it (`\\` stays two backslashes). A quote in the
 *   middle of a word is an ordinary character. An unterminated quote runs to the end of the input; if it collected
 *   nothing (`"` or `"\` at EOF) it yields no token at all.
 * - `#` starts a comment anywhere outside quotes, also in the middle of a word. At the start of a word the comment runs
 *   to the end of the line. In the middle of a word (`foo#bar baz`) the word ends at the `#` and the comment only runs
 *   to the next whitespace: `baz` is a token again.
 * - `{` and `}` are not special to the lexer: `{` is a token only when surrounded by whitespace (`a{` is one word), and a
 *   quoted `"{"` has the same text as a bare `{` (caddy's tokens do not remember that they were quoted).
 * - A token's line is the 1-based line of its first character; lines are counted by `\n` only (also inside quotes and
 *   comments). A leading U+FEFF byte-order mark is discarded.
 *
 * Offsets and columns are in UTF-16 code units of the JavaScript string (what editors use); columns are 1-based and a
 * leading BOM occupies column 1 of line 1.
 */

/** A caddy token, with its exact location in the source. */
export interface Token {
  readonly kind: "token";
  /** The token's value as caddy sees it: quotes removed, `\"` unescaped, `\r` dropped. */
  text: string;
  /** The exact source text of the token (including quotes and escapes). */
  raw: string;
  /** The file the token was read from (the `filename` passed to the lexer). */
  file: string;
  /**
   * caddy's `Token.File`, which the reload hash serialises: `""` for tokens of the root Corefile (caddy never fills it
   * in for them); the parser sets the imported file's absolute path on tokens brought in by `import`.
   */
  caddyFile: string;
  /** 1-based line of the token's first character (caddy's `Token.Line`). */
  line: number;
  /** 1-based column (UTF-16 code units) of the token's first character. */
  column: number;
  /** 1-based line of the position just after the token's last character. */
  endLine: number;
  /** 1-based column of the position just after the token's last character (exclusive end). */
  endColumn: number;
  /** Offset of the first character in the source. */
  start: number;
  /** Offset just after the last character in the source. */
  end: number;
  /** Whether the token was written in double quotes. */
  quoted: boolean;
  /** Set on a quoted token that has no closing quote (it ran to the end of the input). */
  unterminated?: boolean;
}

/**
 * Kinds of trivia: `space` (a run of whitespace other than `\n`, including `\r`), `newline` (one `\n`), `comment`
 * (from `#`, without the line break), `bom` (a leading U+FEFF) and `skipped` (an unterminated, empty quote at the end of
 * the input, which caddy reads but turns into no token).
 */
export type TriviaKind = "space" | "newline" | "comment" | "bom" | "skipped";

/** Source text that is not a token but must be kept to print the source back. */
export interface Trivia {
  readonly kind: TriviaKind;
  /** The exact source text. */
  raw: string;
  start: number;
  end: number;
  /** 1-based line and column of the first character. */
  line: number;
  column: number;
  /** On comments: true when the `#` was in the middle of a word (`foo#bar`), which only comments out to the next space. */
  inWord: boolean;
}

/** One element of the lossless stream. */
export type Piece = Token | Trivia;

/** What {@link lex} returns. */
export interface LexResult {
  /** The caddy tokens, in order (exactly what caddy's lexer yields). */
  tokens: Token[];
  /** Tokens and trivia, in order; concatenating every `raw` gives the source back. */
  pieces: Piece[];
  /** Offset at which each line starts (`lineStarts[0]` is line 1). */
  lineStarts: number[];
}

const NL = 10;
const CR = 13;
const QUOTE = 34;
const HASH = 35;
const BACKSLASH = 92;

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

/**
 * Lexes `source` into caddy tokens and a lossless piece stream. Never throws.
 * @param source the Corefile text
 * @param file the name recorded on every token (default `"Corefile"`)
 */
export function lex(source: string, file = "Corefile"): LexResult {
  const r = scan(source, file, true);
  return { tokens: r.tokens, pieces: r.pieces, lineStarts: r.lineStarts };
}

/**
 * What the internal scanner returns: {@link LexResult}'s arrays, plus whether anything in the stream deserves a lexer
 * warning (an unterminated quote, a skipped quote at the end, a comment inside a word), so callers need not re-scan
 * the pieces to find out.
 */
export interface ScanResult {
  tokens: Token[];
  /** Empty unless trivia were requested. */
  pieces: Piece[];
  /** Only `[0]` unless trivia were requested. */
  lineStarts: number[];
  /** True when a piece may need a lexer warning (see above). */
  unusual: boolean;
}

/**
 * The caddy tokens of `source` without the lossless stream: the same token objects {@link lex} produces, but no trivia
 * objects and no line table are built (what the caddy parser and the reload hash need).
 */
export function lexTokensOnly(source: string, file = "Corefile"): Token[] {
  return scan(source, file, false).tokens;
}

/** {@link lex} for callers inside the library that also want {@link ScanResult.unusual}. */
export function lexWithFlags(source: string, file = "Corefile"): ScanResult {
  return scan(source, file, true);
}

// Classes of the code units below 0x80 (others: Go space or ordinary). Word characters are 0.
const K_WORD = 0;
const K_SPACE = 1; // \t \v \f and space
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

/** Words up to this length are looked up in the scanner's table of recent words. */
const INTERN_MAX_LENGTH = 40;

/** The one newline string every newline trivia shares. */
const NEWLINE = "\n";

/**
 * The lexer proper. With `trivia` false only `tokens` is filled (the token objects are identical either way).
 * Hot loop: one character test per character of a word in the common case, no closures, no per-piece helper state.
 */
function scan(source: string, file: string, trivia: boolean): ScanResult {
  const n = source.length;
  const tokens: Token[] = [];
  const pieces: Piece[] = [];
  const lineStarts: number[] = [0];
  let unusual = false;
  // A small hash table of recent word strings (size grows with the input, up to 4096 slots).
  let internSize = 64;
  while (internSize < 4096 && internSize * 32 < n) internSize *= 2;
  const intern: Array<string | undefined> = new Array<string | undefined>(internSize);
  const internMask = internSize - 1;
  let pos = 0;
  let line = 1;
  let lineStart = 0;

  // caddy discards one leading byte-order mark (and only there).
  if (n > 0 && source.charCodeAt(0) === 0xfeff) {
    if (trivia) pieces.push({ kind: "bom", raw: source.slice(0, 1), start: 0, end: 1, line: 1, column: 1, inWord: false });
    pos = 1;
  }

  while (pos < n) {
    const c = source.charCodeAt(pos);
    const k = c < 0x80 ? (ASCII_CLASS[c] as number) : isGoSpace(c) ? K_SPACE : K_WORD;

    if (k === K_NL) {
      if (trivia) {
        pieces.push({ kind: "newline", raw: NEWLINE, start: pos, end: pos + 1, line, column: pos - lineStart + 1, inWord: false });
        lineStarts.push(pos + 1);
      }
      pos++;
      line++;
      lineStart = pos;
      continue;
    }

    if (k === K_SPACE || k === K_CR) {
      // A run of whitespace other than \n (\r included).
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
      if (trivia) {
        // Indentation is mostly runs of plain spaces: share those strings instead of allocating a slice for each.
        const raw = plain && e - pos < SPACES.length ? (SPACES[e - pos] as string) : source.slice(pos, e);
        pieces.push({ kind: "space", raw, start: pos, end: e, line, column: pos - lineStart + 1, inWord: false });
      }
      pos = e;
      continue;
    }

    if (k === K_HASH) {
      // A comment at the start of a word runs to the end of the line: caddy keeps skipping even across spaces
      // because it has no word in progress. Trailing `\r`s are left as space so CRLF lines look like LF lines.
      let e = source.indexOf("\n", pos);
      if (e < 0) e = n;
      while (e > pos + 1 && source.charCodeAt(e - 1) === CR) e--;
      if (trivia) {
        pieces.push({ kind: "comment", raw: source.slice(pos, e), start: pos, end: e, line, column: pos - lineStart + 1, inWord: false });
      }
      pos = e;
      continue;
    }

    const startLine = line;
    const startCol = pos - lineStart + 1;

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
            // `\` as the last character: caddy holds it back waiting for the escaped character and never adds it.
            pendingBackslash = true;
            i = n;
            break;
          }
          const e = source.charCodeAt(i + 1);
          if (e === QUOTE) {
            // `\"` is the only escape: drop the backslash, keep the quote.
            if (parts === null) parts = [];
            parts.push(source.slice(segStart, i));
            segStart = i + 1;
          } else if (e === NL) {
            line++;
            lineStart = i + 2;
            if (trivia) lineStarts.push(i + 2);
          }
          i += 2;
          continue;
        }
        if (d === QUOTE) {
          closed = true;
          break;
        }
        if (d === NL) {
          line++;
          lineStart = i + 1;
          if (trivia) lineStarts.push(i + 1);
        }
        i++;
      }
      const contentEnd = closed ? i : pendingBackslash ? n - 1 : n;
      const text = parts === null ? source.slice(pos + 1, contentEnd) : parts.join("") + source.slice(segStart, contentEnd);
      const end = closed ? i + 1 : n;
      if (!closed && text === "") {
        // caddy returns "no token" for `"` or `"\` at EOF; keep the characters as trivia.
        unusual = true;
        if (trivia) {
          pieces.push({ kind: "skipped", raw: source.slice(pos, end), start: pos, end, line: startLine, column: startCol, inWord: false });
        }
        pos = end;
        continue;
      }
      const tok: Token = {
        kind: "token",
        text,
        raw: source.slice(pos, end),
        file,
        caddyFile: "",
        line: startLine,
        column: startCol,
        endLine: line,
        endColumn: end - lineStart + 1,
        start: pos,
        end,
        quoted: true,
      };
      if (!closed) {
        tok.unterminated = true;
        unusual = true;
      }
      tokens.push(tok);
      if (trivia) pieces.push(tok);
      pos = end;
      continue;
    }

    // Unquoted word: runs to whitespace (other than \r, which is skipped) or to a `#`. Its first character is none of
    // those (nor a quote).
    let i = pos + 1;
    let hashAt = -1;
    let sawCR = false;
    while (i < n) {
      const d = source.charCodeAt(i);
      // Fast path: printable ASCII above `#` (and below U+0085, the first non-ASCII space) never ends a word.
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
    // The token ends after its last character that is not a \r.
    let wordEnd = hashAt >= 0 ? hashAt : i;
    if (sawCR) while (source.charCodeAt(wordEnd - 1) === CR) wordEnd--;
    const len = wordEnd - pos;
    let raw: string;
    if (len <= INTERN_MAX_LENGTH && !sawCR) {
      // Most words repeat (directive names, braces, common arguments): reuse the string of an earlier occurrence.
      const slot =
        (len * 0x2f1 + c * 0x3b + source.charCodeAt(wordEnd - 1) * 0x7d + source.charCodeAt(pos + (len >> 1)) * 0x1f3) &
        internMask;
      const seen = intern[slot];
      if (seen !== undefined && seen.length === len && source.startsWith(seen, pos)) {
        raw = seen;
      } else {
        raw = source.slice(pos, wordEnd);
        intern[slot] = raw;
      }
    } else {
      raw = source.slice(pos, wordEnd);
    }
    const tok: Token = {
      kind: "token",
      text: sawCR && raw.indexOf("\r") >= 0 ? raw.replace(/\r/g, "") : raw,
      raw,
      file,
      caddyFile: "",
      line: startLine,
      column: startCol,
      endLine: startLine,
      endColumn: wordEnd - lineStart + 1,
      start: pos,
      end: wordEnd,
      quoted: false,
    };
    tokens.push(tok);
    if (trivia) pieces.push(tok);
    pos = wordEnd;

    if (hashAt >= 0) {
      unusual = true;
      // `\r`s between the word and the `#` are plain space.
      if (hashAt > pos) {
        if (trivia) {
          pieces.push({ kind: "space", raw: source.slice(pos, hashAt), start: pos, end: hashAt, line, column: pos - lineStart + 1, inWord: false });
        }
        pos = hashAt;
      }
      // A comment inside a word ends at the next whitespace other than \r (caddy emits the word there and starts
      // afresh, forgetting it was in a comment).
      let j = hashAt + 1;
      while (j < n) {
        const d = source.charCodeAt(j);
        if (d === CR) {
          j++;
          continue;
        }
        if (d === NL || isGoSpace(d)) break;
        j++;
      }
      let e = j;
      while (e > hashAt + 1 && source.charCodeAt(e - 1) === CR) e--;
      if (trivia) {
        pieces.push({ kind: "comment", raw: source.slice(hashAt, e), start: hashAt, end: e, line, column: hashAt - lineStart + 1, inWord: true });
      }
      pos = e;
    }
  }

  return { tokens, pieces, lineStarts, unusual };
}

/**
 * The lossless piece stream around tokens already found (by table.ts's scanner): token `i` is `tokenAt(i)`, and the
 * text between tokens is split into trivia exactly as {@link scan} splits it. Only the gaps are read.
 */
export function piecesAround(source: string, count: number, tokenAt: (index: number) => Token, lineStarts: ArrayLike<number>): Piece[] {
  const n = source.length;
  const pieces: Piece[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  if (n > 0 && source.charCodeAt(0) === 0xfeff) {
    pieces.push({ kind: "bom", raw: source.slice(0, 1), start: 0, end: 1, line: 1, column: 1, inWord: false });
    pos = 1;
  }
  let prev: Token | null = null;
  for (let i = 0; i <= count; i++) {
    const tok = i < count ? tokenAt(i) : null;
    const to = tok === null ? n : tok.start;
    if (prev !== null && !prev.quoted && pos < to) {
      // A `#` right after a word (past any \r) starts a comment inside the word.
      let h = pos;
      while (h < to && source.charCodeAt(h) === CR) h++;
      if (h < to && source.charCodeAt(h) === HASH) {
        if (h > pos) {
          pieces.push({ kind: "space", raw: source.slice(pos, h), start: pos, end: h, line, column: pos - lineStart + 1, inWord: false });
        }
        let j = h + 1;
        while (j < n) {
          const d = source.charCodeAt(j);
          if (d === CR) {
            j++;
            continue;
          }
          if (d === NL || isGoSpace(d)) break;
          j++;
        }
        let e = j;
        while (e > h + 1 && source.charCodeAt(e - 1) === CR) e--;
        pieces.push({ kind: "comment", raw: source.slice(h, e), start: h, end: e, line, column: h - lineStart + 1, inWord: true });
        pos = e;
      }
    }
    while (pos < to) {
      const c = source.charCodeAt(pos);
      const k = c < 0x80 ? (ASCII_CLASS[c] as number) : isGoSpace(c) ? K_SPACE : K_WORD;
      if (k === K_NL) {
        pieces.push({ kind: "newline", raw: NEWLINE, start: pos, end: pos + 1, line, column: pos - lineStart + 1, inWord: false });
        pos++;
        line++;
        lineStart = pos;
      } else if (k === K_SPACE || k === K_CR) {
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
        pieces.push({ kind: "space", raw, start: pos, end: e, line, column: pos - lineStart + 1, inWord: false });
        pos = e;
      } else if (k === K_HASH) {
        let e = source.indexOf("\n", pos);
        if (e < 0) e = n;
        while (e > pos + 1 && source.charCodeAt(e - 1) === CR) e--;
        pieces.push({ kind: "comment", raw: source.slice(pos, e), start: pos, end: e, line, column: pos - lineStart + 1, inWord: false });
        pos = e;
      } else if (k === K_QUOTE && tok === null) {
        // `"` or `"\` at the end: read, but no token.
        pieces.push({ kind: "skipped", raw: source.slice(pos, n), start: pos, end: n, line, column: pos - lineStart + 1, inWord: false });
        pos = n;
      } else {
        throw new Error(`piecesAround: unexpected text at offset ${pos}`);
      }
    }
    if (tok !== null) {
      pieces.push(tok);
      pos = tok.end;
      line = tok.endLine;
      lineStart = lineStarts[line - 1] as number;
      prev = tok;
    }
  }
  return pieces;
}

/** SPACES[n] is n spaces. */
const SPACES: readonly string[] = Array.from({ length: 33 }, (_, i) => " ".repeat(i));

/** The caddy tokens of `source` (what caddy's `allTokens` returns), with locations. */
export function tokenize(source: string, file = "Corefile"): Token[] {
  return scan(source, file, false).tokens;
}

/**
 * Converts an offset into a 1-based line and column using `lineStarts` from {@link lex}.
 * Offsets past the end clamp to the end of the last line.
 */
export function positionAt(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
}
