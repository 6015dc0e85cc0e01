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
import { F_NEWLINE as NEWLINE_FLAG, KIND_MASK as KIND_BITS, TK_CLOSE as CLOSE_KIND, TK_IMPORT as IMPORT_KIND, TK_OPEN as OPEN_KIND, type TokenTable } from "./table";

// Module-level copies: some module loaders turn every read of an imported binding into a getter call.
const TK_OPEN = OPEN_KIND;
const TK_CLOSE = CLOSE_KIND;
const TK_IMPORT = IMPORT_KIND;
const KIND_MASK = KIND_BITS;
const F_NEWLINE = NEWLINE_FLAG;

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
  /**
   * Whether env substitution can change a token (see fast-parse.ts's `mayHaveEnvRefs`). When false the builder
   * decides `{`, `}` and `import` from the table's token kinds instead of substituting each token's text.
   */
  hasEnvRefs: boolean;
  imports?: Map<Token, ImportResolution>;
}

/**
 * Builds the tree straight from the token table: token objects are the table's own (shared with the server blocks),
 * trivia objects are made once, gap by gap, and go straight into their node. Never throws on user input.
 */
export function buildCst(table: TokenTable, options: BuildCstOptions): Document {
  return new Builder(table, options).document();
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
 * The tree builder: a cursor over the table's tokens. `next` is the index of the next token not yet consumed; the
 * trivia between the last consumed token and it are in `gap`, `gapAt` being the first not yet placed in a node. A
 * node's children are collected on a shared stack, so every array of the tree is allocated once, at its final size.
 */
class Builder {
  private next = 0;
  private readonly gap: Trivia[] = [];
  private gapLength = 0;
  private gapAt = 0;
  private depth = 0;
  private readonly count: number;
  private readonly flags: Uint8Array;
  private readonly env: EnvMap;
  private readonly hasEnvRefs: boolean;
  private readonly children = new Stack<Child>();
  private readonly args = new Stack<Token>();
  private readonly blocks = new Stack<BlockNode>();
  private readonly items = new Stack<Node>();
  private readonly keys = new Stack<Token>();

  constructor(
    private readonly table: TokenTable,
    private readonly options: BuildCstOptions,
  ) {
    this.count = table.count;
    this.flags = table.flags;
    this.env = options.env;
    this.hasEnvRefs = options.hasEnvRefs;
    // Every token becomes an object: size the table's token cache for all of them at once.
    table.allTokenObjects();
    this.gapLength = table.gapTrivia(-1, this.gap);
  }

  document(): Document {
    const cm = this.children.height;
    const im = this.items.height;
    while (this.next < this.count) {
      this.pushGap();
      const item = this.isImportAt(true) && this.isNewLine() ? this.importLine() : this.serverBlock();
      this.children.push(item);
      this.items.push(item);
    }
    this.pushGap();
    const source = this.table.source;
    return {
      kind: "Document",
      file: this.options.file,
      children: this.children.popTo(cm),
      items: this.items.popTo(im) as TopItem[],
      lineStarts: this.table.lineStartsArray(),
      start: 0,
      end: source.length,
    };
  }

  // ---- cursor ------------------------------------------------------------------------------------------------------

  /** Places the rest of the current gap's trivia in the node under construction. */
  private pushGap(): void {
    const gap = this.gap;
    const children = this.children;
    for (let g = this.gapAt; g < this.gapLength; g++) children.push(gap[g] as Trivia);
    this.gapAt = this.gapLength;
  }

  /** Consumes the next token (its gap must have been placed) and reads the trivia after it. */
  private take(): Token {
    const i = this.next++;
    const tok = this.table.token(i);
    this.gapLength = this.table.gapTrivia(i, this.gap);
    this.gapAt = 0;
    return tok;
  }

  /** caddy's isNewLine for the next token: it starts on a later line than the previous token ends. */
  private isNewLine(): boolean {
    return this.next === 0 || ((this.flags[this.next] as number) & F_NEWLINE) !== 0;
  }

  private kindAt(): number {
    return (this.flags[this.next] as number) & KIND_MASK;
  }

  /** Whether the next token's text is `import` (after env substitution when `substituted`, as caddy checks there). */
  private isImportAt(substituted: boolean): boolean {
    if (substituted && this.hasEnvRefs) return replaceEnvVars(this.table.text(this.next), this.env) === "import";
    return this.kindAt() === TK_IMPORT;
  }

  /**
   * A trailing `[space] comment` on the rest of the current line: places it in the node under construction and
   * returns the comment, or returns undefined and consumes nothing.
   */
  private trailingComment(): Trivia | undefined {
    const gap = this.gap;
    const length = this.gapLength;
    let j = this.gapAt;
    if (j >= length) return undefined;
    let p = gap[j] as Trivia;
    if (p.kind === "space") {
      if (++j >= length) return undefined;
      p = gap[j] as Trivia;
    }
    if (p.kind !== "comment" || p.inWord) return undefined;
    if (j + 1 < length) {
      const after = (gap[j + 1] as Trivia).kind;
      if (after !== "newline" && after !== "space") return undefined;
    } else if (this.next < this.count) {
      // A token follows the comment directly.
      return undefined;
    }
    for (let g = this.gapAt; g <= j; g++) this.children.push(gap[g] as Trivia);
    this.gapAt = j + 1;
    return p;
  }

  // ---- grammar -----------------------------------------------------------------------------------------------------

  /** An import line; the cursor is on the `import` token. */
  private importLine(): ImportNode {
    const cm = this.children.height;
    const keyword = this.take();
    this.children.push(keyword);
    const am = this.args.height;
    while (this.next < this.count) {
      if (this.isNewLine() || this.kindAt() === TK_CLOSE) break;
      this.pushGap();
      const arg = this.take();
      this.children.push(arg);
      this.args.push(arg);
    }
    const comment = this.trailingComment();
    const children = this.children.popTo(cm);
    const node: ImportNode = {
      kind: "Import",
      keyword,
      args: this.args.popTo(am),
      children,
      start: keyword.start,
      end: (children[children.length - 1] as Child).end,
    };
    if (comment) node.comment = comment;
    const res = this.options.imports?.get(keyword);
    if (res) node.resolved = res;
    return node;
  }

  /** The next token's text after env substitution (for keys). */
  private keyTextAt(): string {
    const text = this.table.text(this.next);
    return this.hasEnvRefs ? replaceEnvVars(text, this.env) : text;
  }

  /** A server block or snippet; the cursor is on its first token. */
  private serverBlock(): ServerBlockNode | SnippetNode {
    const cm = this.children.height;
    const km = this.keys.height;
    let open: Token | undefined;
    let expectingAnother = false;
    for (;;) {
      this.pushGap();
      if (this.isImportAt(true) && this.keys.height > km && this.isNewLine()) {
        // `a,` + newline + `import x`: caddy takes further keys from the import.
        this.children.push(this.importLine());
      } else if (this.hasEnvRefs ? this.keyTextAt() === "{" : this.kindAt() === TK_OPEN) {
        open = this.take();
        this.children.push(open);
        break;
      } else {
        const t = this.take();
        const text = this.hasEnvRefs ? replaceEnvVars(t.text, this.env) : t.text;
        this.children.push(t);
        if (text !== "") {
          this.keys.push(t);
          expectingAnother = text.endsWith(",");
        }
      }
      if (this.next >= this.count) break;
      if (!expectingAnother && this.isNewLine()) {
        // caddy accepts the block's `{` at the start of the next line.
        if (this.kindAt() === TK_OPEN) {
          this.pushGap();
          open = this.take();
          this.children.push(open);
        }
        break;
      }
    }

    const keys = this.keys.popTo(km);
    const firstKey = keys[0];
    const keyText = firstKey ? replaceEnvVars(firstKey.text, this.env) : "";
    const im = this.items.height;
    let close: Token | undefined;
    if (open || this.next < this.count) close = this.body(false);
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
    for (;;) {
      this.pushGap();
      if (this.next >= this.count) return undefined;
      if (this.kindAt() === TK_CLOSE) {
        const close = this.take();
        this.children.push(close);
        return close;
      }
      const item = this.kindAt() === TK_IMPORT && (!nested || this.isNewLine()) ? this.importLine() : this.directive();
      this.children.push(item);
      this.items.push(item);
    }
  }

  /** A directive (or a sub-directive line of a block); the cursor is on its name. */
  private directive(): DirectiveNode {
    const cm = this.children.height;
    const name = this.take();
    this.children.push(name);
    const am = this.args.height;
    const bm = this.blocks.height;
    while (this.next < this.count) {
      const k = this.kindAt();
      if (k === TK_OPEN && this.depth < MAX_DEPTH) {
        // A `{` opens a block of this directive even at the start of the next line (caddy checks it first).
        this.pushGap();
        const block = this.block();
        this.blocks.push(block);
        this.children.push(block);
        continue;
      }
      if (k === TK_CLOSE || this.isNewLine()) break;
      this.pushGap();
      const arg = this.take();
      this.children.push(arg);
      this.args.push(arg);
    }
    const comment = this.trailingComment();
    const children = this.children.popTo(cm);
    const node: DirectiveNode = {
      kind: "Directive",
      name,
      args: this.args.popTo(am),
      blocks: this.blocks.popTo(bm),
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
    const open = this.take();
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
