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
 *
 * The scanner itself is table.ts's (one scanner for the whole library); this module gives its output as objects.
 */
import { isGoSpace, scanTable } from "./table";

export { isGoSpace };

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

/**
 * Lexes `source` into caddy tokens and a lossless piece stream. Never throws.
 * @param source the Corefile text
 * @param file the name recorded on every token (default `"Corefile"`)
 */
export function lex(source: string, file = "Corefile"): LexResult {
  const table = scanTable(source, file);
  const { pieces, lineStarts } = table.pieces();
  return { tokens: table.tokens(), pieces, lineStarts };
}

/**
 * The caddy tokens of `source` without the lossless stream: the same token objects {@link lex} produces, but no
 * trivia objects (what the caddy parser needs for imported files).
 */
export function lexTokensOnly(source: string, file = "Corefile"): Token[] {
  return scanTable(source, file).tokens();
}

/** The caddy tokens of `source` (what caddy's `allTokens` returns), with locations. */
export function tokenize(source: string, file = "Corefile"): Token[] {
  return scanTable(source, file).tokens();
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
