/**
 * Test oracle: the original tree builder, which walks the lexer's piece stream (tokens and trivia objects). The
 * library builds the tree straight from the token table (cst.ts); the tests check both trees are identical.
 * Only tests import this file.
 */
import type { ImportResolution } from "../caddy-parser";
import type { BlockNode, BodyItem, Child, DirectiveNode, Document, ImportNode, Node, ServerBlockNode, SnippetNode, TopItem } from "../cst";
import { replaceEnvVars, type EnvMap } from "../env";
import type { Piece, Token, Trivia } from "../lexer";

/** Options for {@link referenceBuildCst}. */
export interface BuildCstOptions {
  file: string;
  env: EnvMap;
  source: string;
  lineStarts: number[];
  imports?: Map<Token, ImportResolution>;
}

/** Builds the tree from the lexer's pieces. Never throws. */
export function referenceBuildCst(pieces: readonly Piece[], options: BuildCstOptions): Document {
  return new Builder(pieces, options).document();
}

/**
 * Nesting depth of `{` blocks the tree models; deeper `{` tokens become plain arguments. This only keeps pathological
 * input such as 100,000 `{` from overflowing the stack; the tree stays lossless either way.
 */
const MAX_DEPTH = 256;

/**
 * A stack of values under construction: each node records the height when it starts, pushes its entries, and takes
 * them off as one exactly-sized array when it is done (nested nodes finish first, so their entries are always on top).
 * The backing array only grows; entries above the height are stale and get overwritten.
 */
class Stack<T> {
  private readonly items: T[] = [];
  height = 0;

  push(v: T): void {
    this.items[this.height++] = v;
  }

  /** The entries above `mark`, as a new array; the stack goes back to `mark`. */
  popTo(mark: number): T[] {
    const out = mark === this.height ? [] : this.items.slice(mark, this.height);
    this.height = mark;
    return out;
  }
}

/**
 * The tree builder: a cursor over the pieces. A node's children are collected on a shared stack (or, for the common
 * directive and import lines that contain no sub-node, sliced straight out of the piece array), so every array of the
 * tree is allocated once, at its final size.
 */
class Builder {
  private i = 0;
  private prev: Token | null = null;
  private depth = 0;
  private readonly n: number;
  private readonly env: EnvMap;
  private readonly children = new Stack<Child>();
  private readonly args = new Stack<Token>();
  private readonly blocks = new Stack<BlockNode>();
  private readonly items = new Stack<Node>();
  private readonly keys = new Stack<Token>();

  constructor(
    private readonly pieces: readonly Piece[],
    private readonly options: BuildCstOptions,
  ) {
    this.n = pieces.length;
    this.env = options.env;
  }

  document(): Document {
    const ps = this.pieces;
    const cm = this.children.height;
    const im = this.items.height;
    for (;;) {
      const j = this.nextToken(this.i);
      if (j < 0) break;
      this.pushPieces(this.i, j);
      const tok = ps[j] as Token;
      const item =
        replaceEnvVars(tok.text, this.env) === "import" && this.isNewLine(tok) ? this.importLine() : this.serverBlock();
      this.children.push(item);
      this.items.push(item);
    }
    this.pushPieces(this.i, this.n);
    return {
      kind: "Document",
      file: this.options.file,
      children: this.children.popTo(cm),
      items: this.items.popTo(im) as TopItem[],
      lineStarts: this.options.lineStarts,
      start: 0,
      end: this.options.source.length,
    };
  }

  // ---- piece cursor ------------------------------------------------------------------------------------------------

  /** Index of the first token at or after piece `from`, or -1. */
  private nextToken(from: number): number {
    const ps = this.pieces;
    const n = this.n;
    for (let j = from; j < n; j++) if ((ps[j] as Piece).kind === "token") return j;
    return -1;
  }

  /** Pushes pieces `[from, to)` onto the children stack and moves the cursor to `to`. */
  private pushPieces(from: number, to: number): void {
    const ps = this.pieces;
    for (let j = from; j < to; j++) this.children.push(ps[j] as Piece);
    this.i = to;
  }

  /** Consumes the token at piece `j` (the cursor moves past it). */
  private take(j: number): Token {
    const tok = this.pieces[j] as Token;
    this.i = j + 1;
    this.prev = tok;
    return tok;
  }

  /** caddy's isNewLine: the token starts on a later line than the previous token ends. */
  private isNewLine(tok: Token): boolean {
    return this.prev === null || this.prev.endLine < tok.line;
  }

  /**
   * A trailing `[space] comment` on the rest of the current line: consumes it and returns the comment, or returns
   * undefined and consumes nothing.
   */
  private trailingComment(): Trivia | undefined {
    const ps = this.pieces;
    let j = this.i;
    let p = ps[j];
    if (p && p.kind === "space") p = ps[++j];
    if (!p || p.kind !== "comment" || p.inWord) return undefined;
    const after = ps[j + 1];
    if (after && after.kind !== "newline" && after.kind !== "space") return undefined;
    this.i = j + 1;
    return p;
  }

  // ---- grammar -----------------------------------------------------------------------------------------------------

  /** An import line; the cursor is on the `import` token. */
  private importLine(): ImportNode {
    const ps = this.pieces;
    const i0 = this.i;
    const keyword = this.take(i0);
    const am = this.args.height;
    for (;;) {
      const j = this.nextToken(this.i);
      if (j < 0) break;
      const t = ps[j] as Token;
      if (this.isNewLine(t) || t.text === "}") break;
      this.args.push(this.take(j));
    }
    const comment = this.trailingComment();
    // An import line holds no sub-node: its children are a run of pieces.
    const last = ps[this.i - 1] as Piece;
    const node: ImportNode = {
      kind: "Import",
      keyword,
      args: this.args.popTo(am),
      children: ps.slice(i0, this.i),
      start: keyword.start,
      end: last.end,
    };
    if (comment) node.comment = comment;
    const res = this.options.imports?.get(keyword);
    if (res) node.resolved = res;
    return node;
  }

  /** A server block or snippet; the cursor is on its first token. */
  private serverBlock(): ServerBlockNode | SnippetNode {
    const ps = this.pieces;
    const env = this.env;
    const cm = this.children.height;
    const km = this.keys.height;
    let open: Token | undefined;
    let expectingAnother = false;
    for (;;) {
      const j = this.nextToken(this.i);
      this.pushPieces(this.i, j);
      const t = ps[j] as Token;
      const text = replaceEnvVars(t.text, env);
      if (text === "import" && this.keys.height > km && this.isNewLine(t)) {
        // `a,` + newline + `import x`: caddy takes further keys from the import.
        this.children.push(this.importLine());
      } else if (text === "{") {
        open = this.take(j);
        this.children.push(open);
        break;
      } else {
        this.children.push(this.take(j));
        if (text !== "") {
          this.keys.push(t);
          expectingAnother = text.endsWith(",");
        }
      }
      const nj = this.nextToken(this.i);
      if (nj < 0) break;
      const nxt = ps[nj] as Token;
      if (!expectingAnother && this.isNewLine(nxt)) {
        // caddy accepts the block's `{` at the start of the next line.
        if (nxt.text === "{") {
          this.pushPieces(this.i, nj);
          open = this.take(nj);
          this.children.push(open);
        }
        break;
      }
    }

    const keys = this.keys.popTo(km);
    const firstKey = keys[0];
    const keyText = firstKey ? replaceEnvVars(firstKey.text, env) : "";
    const im = this.items.height;
    let close: Token | undefined;
    if (open || this.nextToken(this.i) >= 0) close = this.body(false);
    const body = this.items.popTo(im) as BodyItem[];
    const children = this.children.popTo(cm);
    const start = (children[0] as Child).start;
    const end = (children[children.length - 1] as Child).end;
    if (keys.length === 1 && firstKey && keyText.startsWith("(") && keyText.endsWith(")")) {
      const node: SnippetNode = {
        kind: "Snippet",
        name: keyText.slice(1).replace(/\)$/, ""),
        nameToken: firstKey,
        body,
        children,
        start,
        end,
      };
      if (open) node.open = open;
      if (close) node.close = close;
      return node;
    }
    const node: ServerBlockNode = { kind: "ServerBlock", keys, body, children, start, end };
    if (open) node.open = open;
    if (close) node.close = close;
    return node;
  }

  /**
   * Parses items onto the children and items stacks up to a closing `}` (returned, consumed) or the end of the input.
   * @param nested true inside a directive's block, where `import` counts only at the start of a line
   */
  private body(nested: boolean): Token | undefined {
    const ps = this.pieces;
    for (;;) {
      const j = this.nextToken(this.i);
      if (j < 0) {
        this.pushPieces(this.i, this.n);
        return undefined;
      }
      this.pushPieces(this.i, j);
      const t = ps[j] as Token;
      if (t.text === "}") {
        this.children.push(this.take(j));
        return t;
      }
      const item = t.text === "import" && (!nested || this.isNewLine(t)) ? this.importLine() : this.directive();
      this.children.push(item);
      this.items.push(item);
    }
  }

  /** A directive (or a sub-directive line of a block); the cursor is on its name. */
  private directive(): DirectiveNode {
    const ps = this.pieces;
    const i0 = this.i;
    const name = this.take(i0);
    const am = this.args.height;
    // Until the first nested block the children are a run of pieces; from then on they go through the stack.
    let cm = -1;
    let bm = -1;
    let runStart = i0;
    for (;;) {
      const j = this.nextToken(this.i);
      if (j < 0) break;
      const t = ps[j] as Token;
      if (t.text === "{" && this.depth < MAX_DEPTH) {
        // A `{` opens a block of this directive even at the start of the next line (caddy checks it first).
        if (cm < 0) {
          cm = this.children.height;
          bm = this.blocks.height;
        }
        this.pushPieces(runStart, j);
        const block = this.block();
        this.blocks.push(block);
        this.children.push(block);
        runStart = this.i;
        continue;
      }
      if (this.isNewLine(t) || t.text === "}") break;
      this.args.push(this.take(j));
    }
    const comment = this.trailingComment();
    let children: Child[];
    let blocks: BlockNode[];
    if (cm < 0) {
      children = ps.slice(i0, this.i);
      blocks = [];
    } else {
      const end = this.i;
      this.pushPieces(runStart, end);
      children = this.children.popTo(cm);
      blocks = this.blocks.popTo(bm);
    }
    const node: DirectiveNode = {
      kind: "Directive",
      name,
      args: this.args.popTo(am),
      blocks,
      children,
      start: name.start,
      end: (children[children.length - 1] as Child).end,
    };
    if (comment) node.comment = comment;
    return node;
  }

  /** A nested block; the cursor is on its `{`. */
  private block(): BlockNode {
    const cm = this.children.height;
    const im = this.items.height;
    const open = this.take(this.i);
    this.children.push(open);
    this.depth++;
    const close = this.body(true);
    this.depth--;
    const children = this.children.popTo(cm);
    const node: BlockNode = {
      kind: "Block",
      open,
      body: this.items.popTo(im) as BodyItem[],
      children,
      start: open.start,
      end: (children[children.length - 1] as Child).end,
    };
    if (close) node.close = close;
    return node;
  }
}
