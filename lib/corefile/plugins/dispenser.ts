/**
 * A TypeScript twin of coredns/caddy's `caddyfile.Dispenser`, the cursor every plugin setup function walks its tokens
 * with. The validators use the very same calls as the Go code (`next`, `nextArg`, `nextBlock`, `remainingArgs`...),
 * so they see lines, blocks and arguments exactly as the plugin does, including caddy's quirks:
 *
 * - "the same line" means the next token starts on the line where the current token ends (a quoted token that spans
 *   lines moves the line on), and both come from the same file;
 * - `nextBlock` only recognises a `{` on the same line as the current token, and does not understand nested blocks:
 *   a nested `{` is just another token and the first `}` closes the block;
 * - `remainingArgs` stops before a `{` but consumes everything else on the line, including a `}`.
 */
import type { Token } from "../lexer";

export class Dispenser {
  private readonly tokens: readonly Token[];
  private cursor = -1;
  private nesting = 0;

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  /** Moves to the next token; false at the end. */
  next(): boolean {
    if (this.cursor < this.tokens.length - 1) {
      this.cursor++;
      return true;
    }
    return false;
  }

  private sameLine(a: Token, b: Token): boolean {
    return sameFile(a, b) && a.line + lineBreaks(a) === b.line;
  }

  /** Moves to the next token if it is on the same line. */
  nextArg(): boolean {
    if (this.cursor < 0) {
      this.cursor++;
      return true;
    }
    if (this.cursor >= this.tokens.length) return false;
    const cur = this.tokens[this.cursor];
    const nxt = this.tokens[this.cursor + 1];
    if (cur && nxt && this.sameLine(cur, nxt)) {
      this.cursor++;
      return true;
    }
    return false;
  }

  /** Moves to the next token if it is on a later line. */
  nextLine(): boolean {
    if (this.cursor < 0) {
      this.cursor++;
      return true;
    }
    if (this.cursor >= this.tokens.length) return false;
    const cur = this.tokens[this.cursor];
    const nxt = this.tokens[this.cursor + 1];
    if (cur && nxt && (!sameFile(cur, nxt) || cur.line + lineBreaks(cur) < nxt.line)) {
      this.cursor++;
      return true;
    }
    return false;
  }

  /**
   * caddy's `NextBlock`: true while inside the block that opens with `{` on the current line; false once the closing
   * `}` has been loaded (or when there is no block).
   */
  nextBlock(): boolean {
    if (this.nesting > 0) {
      if (!this.next()) return false;
      if (this.val() === "}") {
        this.nesting--;
        return false;
      }
      return true;
    }
    if (!this.nextArg()) return false;
    if (this.val() !== "{") {
      this.cursor--;
      return false;
    }
    if (!this.next()) return false;
    if (this.val() === "}") return false;
    this.nesting++;
    return true;
  }

  /** Text of the current token ("" when none). */
  val(): string {
    const t = this.tokens[this.cursor];
    return t ? t.text : "";
  }

  /** The current token, or the last token when the cursor ran off the end, or the first one before the start. */
  token(): Token {
    const t = this.tokens[this.cursor] ?? this.tokens[this.tokens.length - 1] ?? this.tokens[0];
    if (!t) throw new Error("Dispenser has no tokens");
    return t;
  }

  /** The remaining tokens on the current line, stopping before a `{` (which stays unread). */
  remainingArgTokens(): Token[] {
    const out: Token[] = [];
    while (this.nextArg()) {
      if (this.val() === "{") {
        this.cursor--;
        break;
      }
      out.push(this.token());
    }
    return out;
  }

  /** caddy's `RemainingArgs` (texts). */
  remainingArgs(): string[] {
    return this.remainingArgTokens().map((t) => t.text);
  }

  /** The token before the current one, if any. */
  prevToken(): Token | undefined {
    return this.cursor > 0 ? this.tokens[this.cursor - 1] : undefined;
  }

  /** Whether the dispenser is inside a block. */
  inBlock(): boolean {
    return this.nesting > 0;
  }

  /** Index of the cursor (for tests). */
  position(): number {
    return this.cursor;
  }
}

/** caddy compares `Token.File` (our `caddyFile`); `file` is compared too for tokens built without one. */
function sameFile(a: Token, b: Token): boolean {
  return a.caddyFile === b.caddyFile && a.file === b.file;
}

function lineBreaks(t: Token): number {
  const s = t.text;
  if (s.indexOf("\n") < 0) return 0;
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}
