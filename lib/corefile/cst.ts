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
 *
 * The grammar that decides this shape is in tree-index.ts, which records it in typed arrays; this file makes the
 * objects from that index (`materializeTree`), when `parse(...).cst` is first read.
 */
import type { ImportResolution } from "./caddy-parser";
import { replaceEnvVars, type EnvMap } from "./env";
import type { Piece, Token, Trivia } from "./lexer";
import type { TokenTable } from "./table";
import { buildTreeIndex, N_BLOCK, N_DIRECTIVE, N_IMPORT, N_SNIPPET, NF_KEY_IMPORT, type TreeIndex, type TreeIndexOptions } from "./tree-index";

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
export interface BuildCstOptions extends TreeIndexOptions {
  file: string;
  imports?: Map<Token, ImportResolution>;
}

/** Builds the object tree of a table's source: its index (tree-index.ts), then every object. Never throws on user input. */
export function buildCst(table: TokenTable, options: BuildCstOptions): Document {
  return materializeTree(buildTreeIndex(table, options), options);
}

/** Options for {@link materializeTree}. */
export interface MaterializeOptions {
  file: string;
  env: EnvMap;
  /** What each `import` resolved to, by its keyword token (the table's own token object). */
  imports?: Map<Token, ImportResolution>;
}

/**
 * The object tree of an index: token objects are the table's own (shared with the server blocks), trivia objects are
 * made once, gap by gap, and go straight into their node.
 */
export function materializeTree(index: TreeIndex, options: MaterializeOptions): Document {
  return new Materializer(index, options).document();
}

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
 * Walks the index's nodes (in order) and the source's pieces (in order) together: each node takes the pieces up to
 * its end, building a child node object where one starts. `next` is the next token not yet placed; the trivia after
 * the last placed token are in `gap`, from `gapAt` on.
 */
class Materializer {
  private next = 0;
  private node = 1;
  private readonly gap: Trivia[] = [];
  private gapLength = 0;
  private gapAt = 0;
  private readonly table: TokenTable;
  private readonly count: number;
  private readonly nodeCount: number;
  private readonly children = new Stack<Child>();
  private readonly tokens = new Stack<Token>();
  private readonly nodes = new Stack<Node>();

  constructor(
    private readonly index: TreeIndex,
    private readonly options: MaterializeOptions,
  ) {
    this.table = index.table;
    this.count = index.table.count;
    this.nodeCount = index.count;
    // Every token becomes an object: size the table's token cache for all of them at once.
    this.table.allTokenObjects();
    this.gapLength = this.table.gapTrivia(-1, this.gap);
  }

  document(): Document {
    const index = this.index;
    const end = index.end[0] as number;
    const cm = this.children.height;
    const nm = this.nodes.height;
    this.fill(end);
    return {
      kind: "Document",
      file: this.options.file,
      children: this.children.popTo(cm),
      items: this.nodes.popTo(nm) as TopItem[],
      lineStarts: this.table.lineStartsArray(),
      start: 0,
      end,
    };
  }

  /**
   * Places every piece before `end` in the node under construction: trivia and tokens on the children stack (tokens
   * also on the tokens stack), child nodes on both the children and the nodes stacks.
   */
  private fill(end: number): void {
    const index = this.index;
    const table = this.table;
    const gap = this.gap;
    const children = this.children;
    for (;;) {
      if (this.gapAt < this.gapLength) {
        const piece = gap[this.gapAt] as Trivia;
        if (piece.start >= end) return;
        children.push(piece);
        this.gapAt++;
        continue;
      }
      if (this.next >= this.count) return;
      const at = table.start[this.next] as number;
      if (at >= end) return;
      if (this.node < this.nodeCount && (index.start[this.node] as number) === at) {
        const child = this.build(this.node++);
        children.push(child);
        this.nodes.push(child);
        continue;
      }
      const tok = table.token(this.next);
      this.gapLength = table.gapTrivia(this.next, gap);
      this.gapAt = 0;
      this.next++;
      children.push(tok);
      this.tokens.push(tok);
    }
  }

  private build(n: number): Node {
    const index = this.index;
    const table = this.table;
    const cm = this.children.height;
    const tm = this.tokens.height;
    const nm = this.nodes.height;
    const start = index.start[n] as number;
    const end = index.end[n] as number;
    this.fill(end);
    const children = this.children.popTo(cm);
    const kind = index.kind[n] as number;
    if (kind === N_DIRECTIVE) {
      const all = this.tokens.popTo(tm);
      const node: DirectiveNode = {
        kind: "Directive",
        name: all[0] as Token,
        args: all.slice(1),
        blocks: this.nodes.popTo(nm) as BlockNode[],
        children,
        start,
        end,
      };
      const comment = index.comment[n] as number;
      if (comment >= 0) node.comment = commentAt(children, comment);
      return node;
    }
    if (kind === N_BLOCK) {
      this.tokens.popTo(tm);
      const node: BlockNode = {
        kind: "Block",
        open: table.token(index.open[n] as number),
        body: this.nodes.popTo(nm) as BodyItem[],
        children,
        start,
        end,
      };
      const close = index.close[n] as number;
      if (close >= 0) node.close = table.token(close);
      return node;
    }
    if (kind === N_IMPORT) {
      const all = this.tokens.popTo(tm);
      const keyword = all[0] as Token;
      const node: ImportNode = { kind: "Import", keyword, args: all.slice(1), children, start, end };
      const comment = index.comment[n] as number;
      if (comment >= 0) node.comment = commentAt(children, comment);
      const res = this.options.imports?.get(keyword);
      if (res) node.resolved = res;
      return node;
    }
    // A server block or snippet: its own tokens are the keys, then `{` and `}`; its child nodes are the body, after
    // any import lines that supplied keys.
    const own = this.tokens.popTo(tm);
    const open = index.open[n] as number;
    const close = index.close[n] as number;
    const openToken = open >= 0 ? table.token(open) : undefined;
    const closeToken = close >= 0 ? table.token(close) : undefined;
    const keys: Token[] = [];
    const env = this.options.env;
    for (const t of own) if (t !== openToken && t !== closeToken && replaceEnvVars(t.text, env) !== "") keys.push(t);
    const nested = this.nodes.popTo(nm);
    let first = 0;
    for (let c = n + 1; first < nested.length && ((index.flags[c] as number) & NF_KEY_IMPORT) !== 0; c = index.after[c] as number) first++;
    const body = (first === 0 ? nested : nested.slice(first)) as BodyItem[];
    if (kind === N_SNIPPET) {
      const nameToken = keys[0] as Token;
      const node: SnippetNode = {
        kind: "Snippet",
        name: replaceEnvVars(nameToken.text, env).slice(1).replace(/\)$/, ""),
        nameToken,
        body,
        children,
        start,
        end,
      };
      if (openToken) node.open = openToken;
      if (closeToken) node.close = closeToken;
      return node;
    }
    const node: ServerBlockNode = { kind: "ServerBlock", keys, body, children, start, end };
    if (openToken) node.open = openToken;
    if (closeToken) node.close = closeToken;
    return node;
  }
}

/** The trivia child that starts at `offset` (a trailing comment: one of the last two children). */
function commentAt(children: Child[], offset: number): Trivia {
  for (let i = children.length - 1; i >= 0; i--) {
    const c = children[i] as Child;
    if (c.start === offset) return c as Trivia;
  }
  throw new Error(`no comment at offset ${offset}`);
}
