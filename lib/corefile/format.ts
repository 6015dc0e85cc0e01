/**
 * The Corefile formatter: one canonical layout, reached by changing only whitespace between tokens and comments (and
 * whitespace at the end of comments). The full rule set, and why it looks the way it does, is in FORMAT.md.
 *
 * The invariant everything here is built around: formatting never changes what CoreDNS sees.
 * - The token sequence is identical (same raw text, so same values and quoting).
 * - Whether two consecutive tokens are on the same line is preserved, except at four points where caddy provably does
 *   not look at it: a server block's `{` is joined to its keys line, the first directive after a server block's `{`
 *   and a server block's `}` are moved to their own lines (the latter only for an empty body, or in a snippet), and a
 *   server block starting on the line of the previous block's `}` is moved to its own line. This matters because
 *   plugins read their arguments line by line (caddy's `NextArg`, `RemainingArgs`) and only open a block whose `{` is on
 *   the directive's line (`NextBlock`): joining a directive with a `{` on the next line, or splitting `{ a }`, would
 *   change the configuration.
 * - Line numbers do change (blank lines are collapsed, lines are split), and the reload plugin hashes line numbers:
 *   applying a formatting change makes CoreDNS reload.
 *
 * Input whose brace structure is broken (an unclosed `{`, a stray `}`) is returned unchanged with `skipped` set.
 */
import { isNode, type Child, type Document, type ServerBlockNode, type SnippetNode, type TopItem } from "./cst";
import { isGoSpace, type Token, type Trivia } from "./lexer";
import { parse } from "./parse";
import type { TextEdit } from "./text-edit";

/** Options for {@link formatCorefile}. */
export interface FormatOptions {
  /**
   * One level of indentation: spaces and/or tabs only (default four spaces, {@link DEFAULT_INDENT}, as in the CoreDNS
   * documentation and kubeadm's Corefile). Anything else throws a RangeError: it would change tokens.
   */
  indent?: string;
}

/** Why {@link formatCorefile} left a text alone. */
export interface FormatSkip {
  reason: string;
  /** 1-based position of the offending brace. */
  line: number;
  column: number;
}

/** What {@link formatCorefile} returns. */
export interface FormatResult {
  /** The formatted text (the input itself when nothing changed or formatting was skipped). */
  text: string;
  /** Whether `text` differs from the input. */
  changed: boolean;
  /** Non-overlapping edits turning the input into `text`, one per changed whitespace run, trimmed to the bytes that differ. */
  edits: TextEdit[];
  /** Set when the input was returned unchanged because its brace structure is broken. */
  skipped?: FormatSkip;
}

/** The default indentation unit: four spaces. */
export const DEFAULT_INDENT = "    ";

/** How many line breaks separate a solid from the previous one: 0 = same line, 1 = next line, 2 = one blank line between. */
type Breaks = 0 | 1 | 2;

/**
 * Something the formatter never changes: a token, a comment (without trailing whitespace), an empty unterminated quote
 * at the end (`skipped`) or the byte-order mark. Everything between two solids is whitespace the formatter rewrites.
 */
interface Solid {
  start: number;
  end: number;
  piece: Token | Trivia;
  /** Indentation depth of a line starting with this solid. */
  depth: number;
  /** The `{` of a server block, snippet or nested block. */
  open: boolean;
  /** The `}` of a server block, snippet or nested block. */
  close: boolean;
  /** Join to the previous line (a server block's `{` written on the line after its keys). */
  joinBefore: boolean;
  /** Put on a new line even though it follows the previous solid on the same line (with this many breaks). */
  splitBefore: Breaks;
  /** The last token of a top-level item that must be followed by a blank line. */
  separateAfter: boolean;
}

/**
 * Formats a Corefile in the canonical style (see FORMAT.md). Never throws on any text; throws a RangeError when
 * `options.indent` is not made of spaces and tabs.
 * @example
 *   const r = formatCorefile(".:53 {\nerrors\n  forward  . 8.8.8.8\n}");
 *   r.text === ".:53 {\n    errors\n    forward . 8.8.8.8\n}\n"
 */
export function formatCorefile(text: string, options?: FormatOptions): FormatResult {
  const indent = options?.indent ?? DEFAULT_INDENT;
  if (!/^[ \t]*$/.test(indent)) throw new RangeError("The indent option may only contain spaces and tabs.");
  const doc = parse(text, { directives: null }).cst;
  const eol = dominantEol(doc, text);
  return formatDocument(doc, text, (depth) => indent.repeat(depth), eol);
}

/**
 * Formats a parsed document with a given indentation function and line ending (also used by the structured edits to
 * lay out inserted fragments).
 * @internal
 */
export function formatDocument(doc: Document, text: string, indentFor: (depth: number) => string, eol: string): FormatResult {
  const collected = collectSolids(doc, text);
  if ("reason" in collected) return { text, changed: false, edits: [], skipped: collected };
  const solids = collected.solids;

  const out: string[] = [];
  const edits: TextEdit[] = [];
  const emitGap = (start: number, end: number, newText: string): void => {
    const old = text.slice(start, end);
    out.push(newText);
    if (old !== newText) edits.push(minimalEdit(start, old, newText));
  };

  let prev: Solid | null = null;
  /** Whether the last token of the current output line is an opening brace (no blank line may follow it). */
  let lineEndsWithOpen = false;
  /** A top-level item ended: the next line break becomes a blank line. */
  let pendingSeparation = false;
  for (const s of solids) {
    const gapStart = prev ? prev.end : 0;
    let gap: string;
    if (s.piece.kind === "bom") {
      gap = "";
    } else if (!prev || prev.piece.kind === "bom") {
      // The first line: no blank lines before it. But a word starting with U+FEFF keeps one line break before it: at
      // the very start of the file it would be read as a byte-order mark, not as a word.
      gap = (!prev && text.charCodeAt(s.start) === 0xfeff ? eol : "") + indentFor(s.depth);
      lineEndsWithOpen = false;
    } else {
      const old = text.slice(gapStart, s.start);
      const newlines = countNewlines(old);
      let breaks: Breaks;
      if (newlines === 0) breaks = s.splitBefore;
      else if (s.joinBefore) breaks = 0;
      else {
        breaks = newlines >= 2 && !lineEndsWithOpen && !s.close ? 2 : 1;
        if (pendingSeparation) breaks = 2;
      }
      if (breaks === 0) {
        // A comment glued to a word (`foo#bar`) must stay glued: a space would make it run to the end of the line.
        gap = s.piece.kind === "comment" && s.piece.inWord ? old : " ";
      } else {
        gap = (breaks === 2 ? eol + eol : eol) + indentFor(s.depth);
        lineEndsWithOpen = false;
        pendingSeparation = false;
      }
    }
    emitGap(gapStart, s.start, gap);
    out.push(text.slice(s.start, s.end));
    if (s.piece.kind === "token") {
      lineEndsWithOpen = s.open;
      pendingSeparation = false;
    }
    if (s.separateAfter) pendingSeparation = true;
    prev = s;
  }
  // End of file: exactly one line break after the last line, unless the file ends inside an unterminated quote (a
  // line break there would become part of the quoted value).
  const last = prev;
  if (last && last.piece.kind !== "bom") {
    const openQuote = last.piece.kind === "skipped" || (last.piece.kind === "token" && last.piece.unterminated === true);
    emitGap(last.end, text.length, openQuote ? text.slice(last.end) : eol);
  } else {
    emitGap(last ? last.end : 0, text.length, "");
  }
  const result = out.join("");
  return { text: result, changed: result !== text, edits };
}

/**
 * The first brace-structure problem of a parsed document (an unclosed `{`, a `}` that closes nothing...), or null when
 * every brace pairs up. The formatter and the structured edits refuse to touch such a document.
 * @internal
 */
export function braceProblem(doc: Document, text: string): FormatSkip | null {
  const collected = collectSolids(doc, text);
  return "reason" in collected ? collected : null;
}

/**
 * The file's line ending: CRLF when more line breaks between tokens and comments are `\r\n` than `\n` (breaks inside
 * quoted values do not count: the formatter cannot change them). Ties and files without line breaks get `\n`.
 * @internal
 */
export function dominantEol(doc: Document, text: string): string {
  let crlf = 0;
  let lf = 0;
  const visit = (children: Child[]): void => {
    for (const c of children) {
      if (isNode(c)) visit(c.children);
      else if (c.kind === "newline") {
        if (c.start > 0 && text.charCodeAt(c.start - 1) === 13) crlf++;
        else lf++;
      }
    }
  };
  visit(doc.children);
  return crlf > lf ? "\r\n" : "\n";
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/** An edit replacing `old` (at `start`) by `newText`, without the prefix and suffix they share. */
function minimalEdit(start: number, old: string, newText: string): TextEdit {
  let p = 0;
  const max = Math.min(old.length, newText.length);
  while (p < max && old.charCodeAt(p) === newText.charCodeAt(p)) p++;
  let q = 0;
  while (q < max - p && old.charCodeAt(old.length - 1 - q) === newText.charCodeAt(newText.length - 1 - q)) q++;
  return { start: start + p, end: start + old.length - q, newText: newText.slice(p, newText.length - q) };
}

// ---- collecting solids with their depth and layout flags -------------------------------------------------------------

type BlockItem = ServerBlockNode | SnippetNode;

/** Walks the tree in source order, giving each solid its depth; reports the first brace-structure problem. */
function collectSolids(doc: Document, text: string): { solids: Solid[] } | FormatSkip {
  const solids: Solid[] = [];
  const index = new Map<Token | Trivia, number>();
  let problem: FormatSkip | null = null;
  const opens = new Set<Token>();
  const closes = new Set<Token>();

  const flag = (t: Token | undefined, set: Set<Token>): void => {
    if (t) set.add(t);
  };
  const fail = (t: Token | Trivia, reason: string): void => {
    problem ??= { reason, line: t.line, column: t.column };
  };
  const push = (c: Token | Trivia, depth: number): void => {
    if (c.kind === "space" || c.kind === "newline") return;
    let end = c.end;
    if (c.kind === "comment") {
      while (end > c.start + 1 && isGoSpace(text.charCodeAt(end - 1))) end--;
    }
    if (c.kind === "token") {
      if ((c.text === "{" && !opens.has(c)) || (c.text === "}" && !closes.has(c))) {
        fail(c, `This '${c.text}' does not ${c.text === "{" ? "open" : "close"} a block: fix the braces first.`);
      }
    }
    index.set(c, solids.length);
    solids.push({
      start: c.start,
      end,
      piece: c,
      depth,
      open: c.kind === "token" && opens.has(c),
      close: c.kind === "token" && closes.has(c),
      joinBefore: false,
      splitBefore: 0,
      separateAfter: false,
    });
  };

  // Items are visited with an explicit depth; nested blocks recurse (the tree caps nesting at 256 levels).
  const visitBodyItem = (node: Child, depth: number): void => {
    if (!isNode(node)) {
      push(node, depth);
      return;
    }
    if (node.kind === "Import") {
      for (const c of node.children) if (!isNode(c)) push(c, depth);
      return;
    }
    if (node.kind !== "Directive") return;
    for (const c of node.children) {
      if (!isNode(c)) {
        push(c, depth);
        continue;
      }
      if (c.kind !== "Block") continue;
      flag(c.open, opens);
      flag(c.close, closes);
      if (!c.close) fail(c.open, "This '{' is never closed: fix the braces first.");
      let inBody = false;
      for (const b of c.children) {
        if (b === c.open) {
          push(b, depth);
          inBody = true;
        } else if (b === c.close) push(b, depth);
        else visitBodyItem(b, inBody ? depth + 1 : depth);
      }
    }
  };

  const visitTop = (item: TopItem): void => {
    if (item.kind === "Import") {
      visitBodyItem(item, 0);
      return;
    }
    flag(item.open, opens);
    flag(item.close, closes);
    if (item.open && !item.close) fail(item.open, "This '{' is never closed: fix the braces first.");
    if (!item.open && item.close) fail(item.close, "This '}' closes nothing: fix the braces first.");
    const bodyDepth = item.open ? 1 : 0;
    let inBody = false;
    for (const c of item.children) {
      if (c === item.open) {
        push(c, 0);
        inBody = true;
      } else if (c === item.close) push(c, 0);
      else visitBodyItem(c, inBody ? bodyDepth : 0);
    }
  };

  for (const c of doc.children) {
    if (isNode(c)) {
      if (c.kind === "ServerBlock" || c.kind === "Snippet" || c.kind === "Import") visitTop(c);
    } else if (c.kind === "token") {
      // Only the parser's fallback tree has tokens directly in the document.
      fail(c, "The Corefile could not be parsed into a tree.");
      push(c, 0);
    } else push(c, 0);
  }
  if (problem) return problem;

  const solidOf = (t: Token | undefined): Solid | undefined => (t ? solids[index.get(t) ?? -1] : undefined);
  const before = (s: Solid): Solid | undefined => solids[(index.get(s.piece) ?? 0) - 1];
  const after = (s: Solid): Solid | undefined => solids[(index.get(s.piece) ?? -2) + 1];
  const sameLine = (a: Solid, b: Solid): boolean => text.slice(a.end, b.start).indexOf("\n") < 0;

  const items = doc.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as TopItem;
    if (item.kind !== "Import") layoutBlock(item, solidOf, before, after, sameLine);
    const next = items[i + 1];
    if (!next) continue;
    const lastTok = solidOf(lastToken(item));
    if (lastTok && (item.kind !== "Import" || next.kind !== "Import")) lastTok.separateAfter = true;
    // `} .:54 {` → a new line for the next block, unless its first token could read as `import`: caddy treats
    // `import` as an import only at the start of a line.
    const firstNext = solidOf(firstToken(next));
    if (item.kind !== "Import" && item.close && firstNext && firstNext.piece.kind === "token") {
      const closeSolid = solidOf(item.close);
      const t = firstNext.piece;
      if (closeSolid && after(closeSolid) === firstNext && sameLine(closeSolid, firstNext) && !/import|\{/.test(t.text)) {
        firstNext.splitBefore = 2;
      }
    }
  }
  return { solids };
}

/** The layout points inside one server block or snippet where the line structure may change (see the file comment). */
function layoutBlock(
  item: BlockItem,
  solidOf: (t: Token | undefined) => Solid | undefined,
  before: (s: Solid) => Solid | undefined,
  after: (s: Solid) => Solid | undefined,
  sameLine: (a: Solid, b: Solid) => boolean,
): void {
  const open = solidOf(item.open);
  if (!open) return;
  // `{` on the line after the keys → joined to the keys (caddy's address parser accepts both, identically), unless a
  // comment sits in between.
  const keys: Token[] = item.kind === "ServerBlock" ? item.keys : [item.nameToken];
  const prev = before(open);
  if (prev && keys.includes(prev.piece as Token) && !sameLine(prev, open)) open.joinBefore = true;
  // `{ first` → the first directive on its own line (the server block's `{` is not part of any directive).
  const next = after(open);
  const close = solidOf(item.close);
  if (next && next !== close && next.piece.kind !== "comment" && sameLine(open, next)) next.splitBefore = 1;
  // `}` on its own line: for a server block only after an empty body (`{ }`): `log }` is an error in caddy, and
  // splitting it would turn an invalid Corefile into a valid one. A snippet's `}` is never part of its tokens.
  if (close) {
    const prevClose = before(close);
    if (prevClose && sameLine(prevClose, close) && (prevClose === open || item.kind === "Snippet")) {
      if (prevClose.piece.kind !== "comment") close.splitBefore = 1;
    }
  }
}

function firstToken(item: TopItem): Token | undefined {
  if (item.kind === "Import") return item.keyword;
  if (item.kind === "Snippet") return item.nameToken;
  return findToken(item.children, false);
}

function lastToken(item: TopItem): Token | undefined {
  return findToken(item.children, true);
}

function findToken(children: Child[], fromEnd: boolean): Token | undefined {
  const n = children.length;
  for (let k = 0; k < n; k++) {
    const c = children[fromEnd ? n - 1 - k : k] as Child;
    if (isNode(c)) {
      const t = findToken(c.children, fromEnd);
      if (t) return t;
    } else if (c.kind === "token") return c;
  }
  return undefined;
}
