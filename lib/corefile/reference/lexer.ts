/**
 * Test oracle: the original character-by-character lexer that builds token and trivia objects directly. The library
 * lexes with table.ts's scanner; the tests check that its tokens, pieces and line table equal this one's exactly.
 * Only tests import this file.
 */
import { isGoSpace, type Piece, type Token } from "../lexer";

/** The reference lexer's output (as `lex()` returns it, plus whether a lexer warning may be needed). */
export interface ScanResult {
  tokens: Token[];
  pieces: Piece[];
  lineStarts: number[];
  unusual: boolean;
}

/** Lexes `source` the slow, obvious way. */
export function referenceLex(source: string, file = "Corefile"): ScanResult {
  return scan(source, file, true);
}

const NL = 10;
const CR = 13;
const QUOTE = 34;
const HASH = 35;
const BACKSLASH = 92;

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

/** SPACES[n] is n spaces. */
const SPACES: readonly string[] = Array.from({ length: 33 }, (_, i) => " ".repeat(i));

