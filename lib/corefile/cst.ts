/**
 * The lossless concrete syntax tree of one Corefile: every byte of the source belongs to exactly one token or trivia
 * piece, and every piece sits in exactly one node's `children`, in source order. So printing the tree (print.ts) gives
 * the source back, whatever it contains.
 *
 * The grouping follows caddy's grammar (see caddy-parser.ts) so the tree shows what CoreDNS sees:
 * - top level: server blocks, snippets `(name) { ... }` and `import` lines;
 * - a server block: keys up to `{` or the end of the line (a key ending in `,` continues on the next line), then
 *   `{ body }` — the `{` may be on the next line — or, without braces, a body running to a stray `}` or the end;
 * - a body: directives and imports; a directive is its name, the arguments on the same line and nested `{ }` blocks
 *   (a `{` continues the directive even on the next line, as in caddy); inside a nested block each line is a
 *   sub-directive with the same shape.
 * Trivia between tokens of one directive/key line belong to that node; comments and blank lines between items belong
 * to the enclosing body (or the document). A comment at the end of a directive's last line is kept in the directive
 * (`comment`).
 *
 * The tree is tolerant: it never fails. Where caddy would report an error the tree still has a shape (a missing `}`
 * leaves `close` undefined; a top-level stray `}` becomes a server-block key, as it does in caddy). Imports are not
 * expanded here — the tree describes one file — but `ImportNode.resolved` says what an import pulled in.
 */
import type { ImportResolution } from "./caddy-parser";
import { replaceEnvVars, type EnvMap } from "./env";
import type { Piece, Token, Trivia } from "./lexer";

/** Anything a node can contain. */
export type Child = Piece | Node;

/** Fields every node has. */
export interface NodeBase {
  /** Every token, trivia piece and sub-node of this node, in source order. */
  children: Child[];
  /** Offset of the node's first character. */
  start: number;
  /** Offset just after the node's last character. */
  end: number;
}

/** The whole file. */
export interface Document extends NodeBase {
  kind: "Document";
  file: string;
  /** The top-level server blocks, snippets and imports (the non-trivia children). */
  items: TopItem[];
  /** Offset at which each line starts, for offset → line/column conversion. */
  lineStarts: number[];
}

/** A server block: `keys... { body }`. */
export interface ServerBlockNode extends NodeBase {
  kind: "ServerBlock";
  /** The key tokens as written (a trailing comma is still in `text`); empty quoted keys (`""`) are left out. */
  keys: Token[];
  open?: Token;
  /** The closing `}`; for a block without braces, a stray `}` that ended it (caddy silently swallows it). */
  close?: Token;
  body: BodyItem[];
}

/** A snippet definition `(name) { body }`. */
export interface SnippetNode extends NodeBase {
  kind: "Snippet";
  /** The snippet name (without parentheses, after env substitution). */
  name: string;
  nameToken: Token;
  open?: Token;
  close?: Token;
  body: BodyItem[];
}

/** A directive (or, inside a nested block, a sub-directive line): name, arguments and nested blocks. */
export interface DirectiveNode extends NodeBase {
  kind: "Directive";
  name: Token;
  /** Arguments outside nested blocks, in order (including any after a block's `}` on the same line). */
  args: Token[];
  blocks: BlockNode[];
  /** A comment ending the directive's last line. */
  comment?: Trivia;
}

/** A nested `{ ... }` block of a directive. */
export interface BlockNode extends NodeBase {
  kind: "Block";
  open: Token;
  close?: Token;
  body: BodyItem[];
}

/** An `import` line. */
export interface ImportNode extends NodeBase {
  kind: "Import";
  keyword: Token;
  /** The arguments (caddy requires exactly one). */
  args: Token[];
  /** What the import expanded to when the file was parsed (absent when parsing stopped before reaching it). */
  resolved?: ImportResolution;
  comment?: Trivia;
}

export type TopItem = ServerBlockNode | SnippetNode | ImportNode;
export type BodyItem = DirectiveNode | ImportNode;
export type Node = Document | ServerBlockNode | SnippetNode | DirectiveNode | BlockNode | ImportNode;

/** Whether a child is a node (as opposed to a token or trivia piece). */
export function isNode(c: Child): c is Node {
  return "children" in c;
}

/** Options for {@link buildCst}. */
export interface BuildCstOptions {
  file: string;
  env: EnvMap;
  source: string;
  lineStarts: number[];
  imports?: Map<Token, ImportResolution>;
}

/** Builds the tree from the lexer's pieces. Never throws. */
export function buildCst(pieces: readonly Piece[], options: BuildCstOptions): Document {
  return new Builder(pieces, options).document();
}

/**
 * Nesting depth of `{` blocks the tree models; deeper `{` tokens become plain arguments. This only keeps pathological
 * input such as 100,000 `{` from overflowing the stack; the tree stays lossless either way.
 */
const MAX_DEPTH = 256;

class Builder {
  private i = 0;
  private prev: Token | null = null;
  private depth = 0;

  constructor(
    private readonly pieces: readonly Piece[],
    private readonly options: BuildCstOptions,
  ) {}

  document(): Document {
    const doc: Document = {
      kind: "Document",
      file: this.options.file,
      children: [],
      items: [],
      lineStarts: this.options.lineStarts,
      start: 0,
      end: this.options.source.length,
    };
    for (;;) {
      const tok = this.peek(doc.children);
      if (!tok) break;
      const item =
        this.env(tok.text) === "import" && this.isNewLine(tok) ? this.importLine() : this.serverBlock();
      doc.children.push(item);
      doc.items.push(item);
    }
    return doc;
  }

  // ---- piece cursor ------------------------------------------------------------------------------------------------

  /** Moves trivia up to the next token into `into` and returns that token (not consumed), or null at the end. */
  private peek(into: Child[]): Token | null {
    const ps = this.pieces;
    while (this.i < ps.length) {
      const p = ps[this.i] as Piece;
      if (p.kind === "token") return p;
      into.push(p);
      this.i++;
    }
    return null;
  }

  /** The next token without moving anything, or null. */
  private lookahead(): Token | null {
    const ps = this.pieces;
    for (let j = this.i; j < ps.length; j++) {
      const p = ps[j] as Piece;
      if (p.kind === "token") return p;
    }
    return null;
  }

  /** Consumes the token at the cursor (after {@link peek}) into `into`. */
  private take(tok: Token, into: Child[]): Token {
    into.push(tok);
    this.i++;
    this.prev = tok;
    return tok;
  }

  /** caddy's isNewLine: the token starts on a later line than the previous token ends. */
  private isNewLine(tok: Token): boolean {
    return this.prev === null || this.prev.endLine < tok.line;
  }

  /** Moves a trailing `[space] comment` on the rest of the current line into `node`. */
  private trailingComment(node: { children: Child[]; comment?: Trivia }): void {
    const ps = this.pieces;
    let j = this.i;
    let p = ps[j];
    if (p && p.kind === "space") p = ps[++j];
    if (!p || p.kind !== "comment" || p.inWord) return;
    const after = ps[j + 1];
    if (after && after.kind !== "newline" && after.kind !== "space") return;
    for (; this.i <= j; this.i++) node.children.push(ps[this.i] as Piece);
    node.comment = p;
  }

  private env(s: string): string {
    return replaceEnvVars(s, this.options.env);
  }

  // ---- grammar -----------------------------------------------------------------------------------------------------

  private importLine(): ImportNode {
    const children: Child[] = [];
    const keyword = this.take(this.peek(children) as Token, children);
    const node: ImportNode = { kind: "Import", keyword, args: [], children, start: 0, end: 0 };
    for (;;) {
      const t = this.lookahead();
      if (!t || this.isNewLine(t) || t.text === "}") break;
      this.peek(children);
      node.args.push(this.take(t, children));
    }
    this.trailingComment(node);
    const res = this.options.imports?.get(keyword);
    if (res) node.resolved = res;
    return finish(node);
  }

  private serverBlock(): ServerBlockNode | SnippetNode {
    const children: Child[] = [];
    const keys: Token[] = [];
    let open: Token | undefined;
    let expectingAnother = false;
    for (;;) {
      const t = this.peek(children) as Token;
      const text = this.env(t.text);
      if (text === "import" && keys.length > 0 && this.isNewLine(t)) {
        // `a,` + newline + `import x`: caddy takes further keys from the import.
        children.push(this.importLine());
      } else if (text === "{") {
        open = this.take(t, children);
        break;
      } else {
        this.take(t, children);
        if (text !== "") {
          keys.push(t);
          expectingAnother = text.endsWith(",");
        }
      }
      const nxt = this.lookahead();
      if (!nxt) break;
      if (!expectingAnother && this.isNewLine(nxt)) {
        // caddy accepts the block's `{` at the start of the next line.
        if (nxt.text === "{") open = this.take(this.peek(children) as Token, children);
        break;
      }
    }

    const firstKey = keys[0];
    const keyText = firstKey ? this.env(firstKey.text) : "";
    const body: BodyItem[] = [];
    let close: Token | undefined;
    if (open || this.lookahead()) close = this.body(children, body, false);
    if (keys.length === 1 && firstKey && keyText.startsWith("(") && keyText.endsWith(")")) {
      const node: SnippetNode = {
        kind: "Snippet",
        name: keyText.slice(1).replace(/\)$/, ""),
        nameToken: firstKey,
        body,
        children,
        start: 0,
        end: 0,
      };
      if (open) node.open = open;
      if (close) node.close = close;
      return finish(node);
    }
    const node: ServerBlockNode = { kind: "ServerBlock", keys, body, children, start: 0, end: 0 };
    if (open) node.open = open;
    if (close) node.close = close;
    return finish(node);
  }

  /**
   * Parses items up to a closing `}` (returned, consumed into `children`) or the end of the input.
   * @param nested true inside a directive's block, where `import` counts only at the start of a line
   */
  private body(children: Child[], items: BodyItem[], nested: boolean): Token | undefined {
    for (;;) {
      const t = this.peek(children);
      if (!t) return undefined;
      if (t.text === "}") return this.take(t, children);
      const item = t.text === "import" && (!nested || this.isNewLine(t)) ? this.importLine() : this.directive();
      children.push(item);
      items.push(item);
    }
  }

  private directive(): DirectiveNode {
    const children: Child[] = [];
    const name = this.take(this.peek(children) as Token, children);
    const node: DirectiveNode = { kind: "Directive", name, args: [], blocks: [], children, start: 0, end: 0 };
    for (;;) {
      const t = this.lookahead();
      if (!t) break;
      if (t.text === "{" && this.depth < MAX_DEPTH) {
        // A `{` opens a block of this directive even at the start of the next line (caddy checks it first).
        this.peek(children);
        const block = this.block();
        node.blocks.push(block);
        children.push(block);
        continue;
      }
      if (this.isNewLine(t) || t.text === "}") break;
      this.peek(children);
      node.args.push(this.take(t, children));
    }
    this.trailingComment(node);
    return finish(node);
  }

  private block(): BlockNode {
    const children: Child[] = [];
    const open = this.take(this.peek(children) as Token, children);
    const node: BlockNode = { kind: "Block", open, body: [], children, start: 0, end: 0 };
    this.depth++;
    const close = this.body(children, node.body, true);
    this.depth--;
    if (close) node.close = close;
    return finish(node);
  }
}

function finish<T extends NodeBase>(node: T): T {
  const first = node.children[0];
  const last = node.children[node.children.length - 1];
  node.start = first ? first.start : 0;
  node.end = last ? last.end : 0;
  return node;
}
