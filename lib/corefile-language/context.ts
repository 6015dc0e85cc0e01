/**
 * Where is the cursor? The language service answers this before completing or explaining anything: at the top level
 * (writing server-block keys), at the start of a line in a server block (writing a directive), inside a directive's
 * `{ }` (writing an option), or after a directive/option name (writing its arguments).
 *
 * The container comes from the engine's lossless tree, which is tolerant of half-typed text (a missing `}` simply runs
 * to the end), so the answer stays sensible while the user types.
 */
import {
  lex,
  positionAt,
  type BlockNode,
  type BodyItem,
  type Child,
  type DirectiveNode,
  type Document,
  type Node,
  type ServerBlockNode,
  type SnippetNode,
  type Token,
} from "@/lib/corefile";
import type { TextRange } from "./types";

/** The block of text that holds the cursor. */
export type Container =
  | { kind: "top" }
  /** The body of a server block or snippet. */
  | { kind: "body"; node: ServerBlockNode | SnippetNode; bodyStart: number }
  /**
   * A directive's `{ }` block. `path` is the chain of directives from the server block down to the line that opened
   * this block: `path[0]` is the plugin, deeper entries are options that opened nested blocks.
   */
  | { kind: "block"; node: BlockNode; path: DirectiveNode[]; server: ServerBlockNode | SnippetNode; bodyStart: number };

/** The cursor's situation on its line. */
export type CursorContext = {
  container: Container;
  /** True inside a comment or a quoted string: nothing to complete there. */
  isInert: boolean;
  /** The complete words before the cursor on this line (inside the container: after its `{` when on the same line). */
  lineTokens: Token[];
  /** The partial word the cursor is in or just after (empty when the cursor follows a space). */
  word: { text: string; start: number; end: number };
};

/** Finds the innermost server block, snippet or directive block whose braces hold `offset`. */
export function locateContainer(doc: Document, offset: number): Container {
  for (const item of doc.items) {
    if (item.kind === "Import") continue;
    if (item.start > offset) break;
    const start = bodyStartOf(item);
    if (start === undefined || offset < start) continue;
    // Without its `}` a block runs to the end of the text (as in caddy), so it holds the cursor.
    if (item.close && offset > item.close.start) continue;
    return descend(item, item.body, offset, [], start);
  }
  return { kind: "top" };
}

/**
 * Where the body of a server block starts: after its `{`, or — for a block written without braces, which caddy
 * accepts — at the line after the keys.
 */
function bodyStartOf(item: ServerBlockNode | SnippetNode): number | undefined {
  if (item.open) return item.open.end;
  const lastKey = item.kind === "Snippet" ? item.nameToken : item.keys[item.keys.length - 1];
  if (!lastKey) return undefined;
  for (const child of item.children) {
    if (!("children" in child) && child.kind === "newline" && child.start >= lastKey.end) return child.end;
  }
  return undefined;
}

function descend(
  server: ServerBlockNode | SnippetNode,
  body: readonly BodyItem[],
  offset: number,
  path: DirectiveNode[],
  bodyStart: number,
  block?: BlockNode,
): Container {
  for (const item of body) {
    if (item.kind !== "Directive") continue;
    if (item.start > offset) break;
    for (const b of item.blocks) {
      if (offset < b.open.end) continue;
      if (b.close && offset > b.close.start) continue;
      return descend(server, b.body, offset, [...path, item], b.open.end, b);
    }
  }
  if (block) return { kind: "block", node: block, path, server, bodyStart };
  return { kind: "body", node: server, bodyStart };
}

/** Analyses the cursor at `offset` in `text` (whose tree is `doc`). */
export function readCursorContext(text: string, doc: Document, offset: number): CursorContext {
  const container = locateContainer(doc, offset);
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const segmentStart = container.kind === "top" ? lineStart : Math.max(lineStart, container.bodyStart);
  const prefix = text.slice(segmentStart, offset);
  const lexed = lex(prefix);
  const last = lexed.pieces[lexed.pieces.length - 1];
  let isInert = isInsideQuoteOrComment(doc, offset);
  if (last && last.kind === "comment") isInert = true;
  if (last && last.kind === "token" && last.unterminated) isInert = true;

  const tokens = lexed.tokens;
  const tail = tokens[tokens.length - 1];
  let word = { text: "", start: offset, end: offset };
  let lineTokens = tokens;
  if (tail && tail.end === prefix.length && !tail.quoted) {
    const end = wordEndAfter(text, offset);
    word = { text: tail.text + text.slice(offset, end), start: segmentStart + tail.start, end };
    lineTokens = tokens.slice(0, -1);
  }
  return { container, isInert, lineTokens, word };
}

/** The end of the word continuing after the cursor (up to whitespace, a quote, a brace or a comment). */
function wordEndAfter(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    // space, tab, CR, LF, `"`, `#`, `{`, `}`
    if (c === 32 || c === 9 || c === 13 || c === 10 || c === 34 || c === 35 || c === 123 || c === 125) break;
    i++;
  }
  return i;
}

/** Whether `offset` lies strictly inside a quoted token or a comment of the tree (a string may span lines). */
function isInsideQuoteOrComment(doc: Document, offset: number): boolean {
  const piece = findPieceAt(doc, offset);
  if (!piece) return false;
  if (piece.kind === "comment") return offset > piece.start;
  if (piece.kind === "token" && piece.quoted) return offset > piece.start && (offset < piece.end || piece.unterminated === true);
  return false;
}

type Piece = Exclude<Child, Node>;

/**
 * The token or trivia piece at `offset`: a token that ends right at it wins (the word just typed), then the piece that
 * contains it, then any piece ending at it.
 */
export function findPieceAt(node: Node, offset: number): Piece | undefined {
  let inside: Piece | undefined;
  let before: Piece | undefined;
  const visit = (n: Node): void => {
    for (const child of n.children) {
      if (child.start > offset) break;
      if (child.end < offset) continue;
      if ("children" in child) visit(child);
      else if (offset < child.end) inside = child;
      else if (child.start < offset && (!before || child.kind === "token")) before = child;
    }
  };
  visit(node);
  if (before?.kind === "token") return before;
  return inside ?? before;
}

/** Every node on the way from the document down to the deepest node holding `offset`. */
export function findNodePath(doc: Document, offset: number): Node[] {
  const path: Node[] = [doc];
  let current: Node = doc;
  for (;;) {
    let next: Node | undefined;
    for (const child of current.children) {
      if (!("children" in child)) continue;
      if (child.start <= offset && offset <= child.end) next = child;
      if (child.start > offset) break;
    }
    if (!next) return path;
    path.push(next);
    current = next;
  }
}

/** Converts an offset range into a {@link TextRange} using the tree's line table. */
export function toTextRange(doc: Document, start: number, end: number): TextRange {
  const a = positionAt(doc.lineStarts, start);
  const b = positionAt(doc.lineStarts, end);
  return { start, end, startLineNumber: a.line, startColumn: a.column, endLineNumber: b.line, endColumn: b.column };
}

