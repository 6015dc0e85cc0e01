/**
 * The lossless syntax tree in index form: the structure of cst.ts's tree (same grouping, same decisions) recorded in
 * typed arrays over a {@link TokenTable}, with no object per node, token or trivia piece. parse() builds it eagerly;
 * the object tree ({@link Document}) is made from it when first read (cst.ts `materializeTree`).
 *
 * Nodes are numbered in source (pre-)order; node 0 is the document. Node `n` covers the source range
 * `[start[n], end[n])`; its children are every token, trivia piece and node inside that range that no child node
 * covers. Its descendants are the nodes `n + 1 .. after[n] - 1`, so its children are `n + 1`, then `after[n + 1]`, and
 * so on while below `after[n]`. Everything else (trivia, token text, lines) comes from the table and the source, so
 * nothing is lost: the source slice of the document is the whole text.
 */
import { replaceEnvVars, type EnvMap } from "./env";
import { isGoSpace, lineCommentEnd, F_NEWLINE as NEWLINE_FLAG, F_QUOTED as QUOTED_FLAG, F_TEXT as TEXT_FLAG, KIND_MASK as KIND_BITS, TK_CLOSE as CLOSE_KIND, TK_IMPORT as IMPORT_KIND, TK_OPEN as OPEN_KIND, TokenTable } from "./table";

// Module-level copies: some module loaders turn every read of an imported binding into a getter call.
const TK_OPEN = OPEN_KIND;
const TK_CLOSE = CLOSE_KIND;
const TK_IMPORT = IMPORT_KIND;
const KIND_MASK = KIND_BITS;
const F_NEWLINE = NEWLINE_FLAG;
const F_QUOTED = QUOTED_FLAG;
const F_TEXT = TEXT_FLAG;

/** Node kinds of the index (the `kind` of cst.ts's nodes). */
export const N_DOCUMENT = 0;
export const N_SERVER_BLOCK = 1;
export const N_SNIPPET = 2;
export const N_DIRECTIVE = 3;
export const N_BLOCK = 4;
export const N_IMPORT = 5;
export const NODE_KIND_NAMES = ["Document", "ServerBlock", "Snippet", "Directive", "Block", "Import"] as const;
export type NodeKindName = (typeof NODE_KIND_NAMES)[number];

/** Node flag: an `import` line that supplies further keys of its server block (`a,` + newline + `import x`). */
export const NF_KEY_IMPORT = 1;

/**
 * Nesting depth of `{` blocks the tree models; deeper `{` tokens become plain arguments. This only keeps pathological
 * input such as 100,000 `{` from overflowing the stack; the tree stays lossless either way.
 */
const MAX_DEPTH = 256;

const NL = 10;
const CR = 13;
const HASH = 35;

/** Options for {@link buildTreeIndex}. */
export interface TreeIndexOptions {
  env: EnvMap;
  /**
   * Whether env substitution can change a token (see fast-parse.ts's `mayHaveEnvRefs`). When false the builder
   * decides `{`, `}` and `import` from the table's token kinds instead of substituting each token's text.
   */
  hasEnvRefs: boolean;
}

/** The tree of one source text as typed arrays (see the file comment). */
export class TreeIndex {
  /** Number of nodes (the document included). */
  count = 0;
  /** {@link N_DOCUMENT}, {@link N_SERVER_BLOCK}... */
  kind: Uint8Array;
  /** {@link NF_KEY_IMPORT}. */
  flags: Uint8Array;
  /** Offset of the node's first character. */
  start: Int32Array;
  /** Offset just after the node's last character (a trailing comment or, for a block left open, the end of the file). */
  end: Int32Array;
  /** Index of the node's first token (for the document: 0). */
  firstToken: Int32Array;
  /** One past the node's last descendant. */
  after: Int32Array;
  /** Token index of the `{` (server blocks, snippets, blocks), or -1. */
  open: Int32Array;
  /** Token index of the closing `}` (or the stray `}` that ended a block without braces), or -1. */
  close: Int32Array;
  /** Offset of the comment ending a directive's or import's last line, or -1. */
  comment: Int32Array;

  constructor(readonly table: TokenTable) {
    const cap = Math.max(4, (table.count >> 1) + 2);
    this.kind = this.flags = new Uint8Array(0);
    this.start = this.end = this.firstToken = this.after = this.open = this.close = this.comment = new Int32Array(0);
    this.allocate(cap);
  }

  /**
   * (Re)allocates the arrays for `cap` nodes, keeping the first `count`: all of them views of one buffer, so a parse
   * makes one backing store for the tree, not nine.
   */
  private allocate(cap: number): void {
    const buffer = new ArrayBuffer(cap * (7 * 4 + 2));
    const keep = this.count;
    this.start = intView(buffer, 0, cap, this.start, keep);
    this.end = intView(buffer, 1, cap, this.end, keep);
    this.firstToken = intView(buffer, 2, cap, this.firstToken, keep);
    this.after = intView(buffer, 3, cap, this.after, keep);
    this.open = intView(buffer, 4, cap, this.open, keep);
    this.close = intView(buffer, 5, cap, this.close, keep);
    this.comment = intView(buffer, 6, cap, this.comment, keep);
    this.kind = byteView(buffer, 7 * cap * 4, cap, this.kind, keep);
    this.flags = byteView(buffer, 7 * cap * 4 + cap, cap, this.flags, keep);
  }

  /** The source text the tree covers. */
  get source(): string {
    return this.table.source;
  }

  /** The node's kind as cst.ts names it. */
  kindName(n: number): NodeKindName {
    return NODE_KIND_NAMES[this.kind[n] as number] as NodeKindName;
  }

  /** The node's child nodes, in order. */
  childNodes(n: number): number[] {
    const out: number[] = [];
    const stop = this.after[n] as number;
    for (let c = n + 1; c < stop; c = this.after[c] as number) out.push(c);
    return out;
  }

  /** The node's source text, exactly (trivia inside it included). */
  text(n: number): string {
    return this.table.source.slice(this.start[n], this.end[n]);
  }

  /** The innermost node whose range contains `offset` (the document when none does). */
  nodeAt(offset: number): number {
    let n = 0;
    for (;;) {
      const stop = this.after[n] as number;
      let inner = -1;
      for (let c = n + 1; c < stop; c = this.after[c] as number) {
        if ((this.start[c] as number) > offset) break;
        if (offset < (this.end[c] as number)) {
          inner = c;
          break;
        }
      }
      if (inner < 0) return n;
      n = inner;
    }
  }

  /** Adds a node (its end and `after` are set by {@link finish}). */
  add(kind: number, startOffset: number, token: number): number {
    const n = this.count;
    if (n === this.kind.length) this.grow();
    this.count++;
    this.kind[n] = kind;
    this.flags[n] = 0;
    this.start[n] = startOffset;
    this.firstToken[n] = token;
    this.open[n] = -1;
    this.close[n] = -1;
    this.comment[n] = -1;
    return n;
  }

  /** Closes node `n`: it ends at `endOffset` and its descendants are the nodes added since. */
  finish(n: number, endOffset: number): void {
    this.end[n] = endOffset;
    this.after[n] = this.count;
  }

  private grow(): void {
    this.allocate(this.kind.length * 2);
  }
}

/** Field `i` of a buffer of `cap` nodes as Int32 values, with the first `keep` values of `old`. */
function intView(buffer: ArrayBuffer, i: number, cap: number, old: Int32Array, keep: number): Int32Array {
  const a = new Int32Array(buffer, i * cap * 4, cap);
  if (keep > 0) a.set(old.subarray(0, keep));
  return a;
}

/** `cap` bytes of a buffer from `offset`, with the first `keep` values of `old`. */
function byteView(buffer: ArrayBuffer, offset: number, cap: number, old: Uint8Array, keep: number): Uint8Array {
  const a = new Uint8Array(buffer, offset, cap);
  if (keep > 0) a.set(old.subarray(0, keep));
  return a;
}

/** A tree with the document node only, over a text without tokens (the parser's fallback after an internal error). */
export function flatTreeIndex(source: string, file: string): TreeIndex {
  const tree = new TreeIndex(new TokenTable(source, file));
  tree.finish(tree.add(N_DOCUMENT, 0, 0), source.length);
  return tree;
}

/** Builds the index of a table's source. Never throws on user input. */
export function buildTreeIndex(table: TokenTable, options: TreeIndexOptions): TreeIndex {
  return new IndexBuilder(table, options).document();
}

/**
 * The grammar (see cst.ts for the shape it gives): a cursor over the table's tokens. `next` is the next token not yet
 * consumed; `placed` is the offset up to which the source belongs to nodes already built or under construction (the
 * object builder places each piece, in order, in the node under construction: a node ends where its last piece does).
 */
class IndexBuilder {
  private next = 0;
  private placed = 0;
  private depth = 0;
  private readonly count: number;
  private readonly flags: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly source: string;
  private readonly length: number;
  private readonly env: EnvMap;
  private readonly hasEnvRefs: boolean;
  private readonly tree: TreeIndex;

  constructor(
    private readonly table: TokenTable,
    options: TreeIndexOptions,
  ) {
    this.count = table.count;
    this.flags = table.flags;
    this.starts = table.start;
    this.ends = table.end;
    this.source = table.source;
    this.length = table.source.length;
    this.env = options.env;
    this.hasEnvRefs = options.hasEnvRefs;
    this.tree = new TreeIndex(table);
  }

  document(): TreeIndex {
    const doc = this.tree.add(N_DOCUMENT, 0, 0);
    while (this.next < this.count) {
      this.pushGap();
      if (this.isImportAt(true) && this.isNewLine()) this.importLine();
      else this.serverBlock();
    }
    this.tree.finish(doc, this.length);
    return this.tree;
  }

  // ---- cursor ------------------------------------------------------------------------------------------------------

  /** Places the rest of the trivia before the next token (or the end) in the node under construction. */
  private pushGap(): void {
    const to = this.next < this.count ? (this.starts[this.next] as number) : this.length;
    if (to > this.placed) this.placed = to;
  }

  /** Consumes the next token (its gap must have been placed); returns its index. */
  private take(): number {
    const i = this.next++;
    this.placed = this.ends[i] as number;
    return i;
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
   * A trailing `[space] comment` on the rest of the current line (right after the last consumed token): places it
   * and returns the comment's offset, or returns -1 and places nothing. The lexer's split decides: a `#` right after
   * an unquoted word (past any `\r`) is a comment inside the word, not a trailing comment.
   */
  private trailingComment(): number {
    const source = this.source;
    const last = this.next - 1;
    const to = this.next < this.count ? (this.starts[this.next] as number) : this.length;
    let pos = this.ends[last] as number;
    // Nothing left, or already placed (a block left open at the end of the file takes the trivia after it).
    if (pos >= to || this.placed > pos) return -1;
    if (((this.flags[last] as number) & F_QUOTED) === 0) {
      let h = pos;
      while (h < to && source.charCodeAt(h) === CR) h++;
      if (h < to && source.charCodeAt(h) === HASH) return -1;
    }
    // At most one run of whitespace other than a newline.
    while (pos < to) {
      const c = source.charCodeAt(pos);
      if (c === HASH || c === NL) break;
      if (c !== 0x20 && c !== 9 && c !== CR && !isGoSpace(c)) return -1;
      pos++;
    }
    if (pos >= to || source.charCodeAt(pos) !== HASH) return -1;
    const e = lineCommentEnd(source, pos);
    // A token right after the comment (impossible: a comment runs to the line's end) would keep it out.
    if (e >= to && this.next < this.count) return -1;
    this.placed = e;
    return pos;
  }

  // ---- grammar -----------------------------------------------------------------------------------------------------

  /** An import line; the cursor is on the `import` token. */
  private importLine(): number {
    const tree = this.tree;
    const n = tree.add(N_IMPORT, this.starts[this.next] as number, this.next);
    this.take();
    while (this.next < this.count) {
      if (this.isNewLine() || this.kindAt() === TK_CLOSE) break;
      this.pushGap();
      this.take();
    }
    tree.comment[n] = this.trailingComment();
    tree.finish(n, this.placed);
    return n;
  }

  /** The next token's text after env substitution (for keys). */
  private keyTextAt(): string {
    const text = this.table.text(this.next);
    return this.hasEnvRefs ? replaceEnvVars(text, this.env) : text;
  }

  /** A server block or snippet; the cursor is on its first token. */
  private serverBlock(): void {
    const tree = this.tree;
    const n = tree.add(N_SERVER_BLOCK, this.starts[this.next] as number, this.next);
    let keyCount = 0;
    let firstKey = -1;
    let expectingAnother = false;
    for (;;) {
      this.pushGap();
      if (this.isImportAt(true) && keyCount > 0 && this.isNewLine()) {
        // `a,` + newline + `import x`: caddy takes further keys from the import.
        const imp = this.importLine();
        tree.flags[imp] = NF_KEY_IMPORT;
      } else if (this.hasEnvRefs ? this.keyTextAt() === "{" : this.kindAt() === TK_OPEN) {
        tree.open[n] = this.take();
        break;
      } else {
        const t = this.next;
        const text = this.hasEnvRefs ? replaceEnvVars(this.table.text(t), this.env) : null;
        this.take();
        if (text === null ? !this.isEmptyQuoted(t) : text !== "") {
          if (keyCount++ === 0) firstKey = t;
          expectingAnother = text === null ? this.endsWithComma(t) : text.endsWith(",");
        }
      }
      if (this.next >= this.count) break;
      if (!expectingAnother && this.isNewLine()) {
        // caddy accepts the block's `{` at the start of the next line.
        if (this.kindAt() === TK_OPEN) {
          this.pushGap();
          tree.open[n] = this.take();
        }
        break;
      }
    }

    if (tree.open[n] !== -1 || this.next < this.count) {
      // Read the array after the body is built: adding its nodes may have replaced it with a bigger one.
      const close = this.body(false);
      tree.close[n] = close;
    }
    if (keyCount === 1 && this.isSnippetName(firstKey)) tree.kind[n] = N_SNIPPET;
    tree.finish(n, this.placed);
  }

  /** Whether the token reads as the empty text (only a quoted token can: `""`, a key caddy leaves out). */
  private isEmptyQuoted(t: number): boolean {
    return ((this.flags[t] as number) & F_QUOTED) !== 0 && this.table.text(t) === "";
  }

  /** Whether the token's text ends with `,` (another key follows, on this line or the next). */
  private endsWithComma(t: number): boolean {
    // Only quoted tokens and words with `\r` dropped have a text that differs from their source.
    if (((this.flags[t] as number) & (F_QUOTED | F_TEXT)) !== 0) return this.table.text(t).endsWith(",");
    return this.source.charCodeAt((this.ends[t] as number) - 1) === 44;
  }

  /** Whether a server block's only key makes it a snippet: `(name)` after env substitution. */
  private isSnippetName(t: number): boolean {
    const text = this.hasEnvRefs ? replaceEnvVars(this.table.text(t), this.env) : this.table.text(t);
    return text.startsWith("(") && text.endsWith(")");
  }

  /**
   * Parses items up to a closing `}` (returned as a token index, consumed) or the end of the input (-1).
   * @param nested true inside a directive's block, where `import` counts only at the start of a line
   */
  private body(nested: boolean): number {
    for (;;) {
      this.pushGap();
      if (this.next >= this.count) return -1;
      if (this.kindAt() === TK_CLOSE) return this.take();
      if (this.kindAt() === TK_IMPORT && (!nested || this.isNewLine())) this.importLine();
      else this.directive();
    }
  }

  /** A directive (or a sub-directive line of a block); the cursor is on its name. */
  private directive(): void {
    const tree = this.tree;
    const n = tree.add(N_DIRECTIVE, this.starts[this.next] as number, this.next);
    this.take();
    while (this.next < this.count) {
      const k = this.kindAt();
      if (k === TK_OPEN && this.depth < MAX_DEPTH) {
        // A `{` opens a block of this directive even at the start of the next line (caddy checks it first).
        this.pushGap();
        this.block();
        continue;
      }
      if (k === TK_CLOSE || this.isNewLine()) break;
      this.pushGap();
      this.take();
    }
    tree.comment[n] = this.trailingComment();
    tree.finish(n, this.placed);
  }

  /** A nested block; the cursor is on its `{`. */
  private block(): void {
    const tree = this.tree;
    const n = tree.add(N_BLOCK, this.starts[this.next] as number, this.next);
    tree.open[n] = this.take();
    this.depth++;
    const close = this.body(true);
    tree.close[n] = close;
    this.depth--;
    tree.finish(n, this.placed);
  }
}
