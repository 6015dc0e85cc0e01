/**
 * The view of a parsed Corefile that the lint rules and the execution chain share: for every server block CoreDNS
 * sees (`parse().serverBlocks`, after imports and env substitution), each directive occurrence with its arguments and
 * first-level block options, its place in the text, and — when it is written directly in a server block of the root
 * file — the syntax-tree node a quick fix can edit.
 *
 * Built once per lint call; nothing here compiles a regular expression or re-parses text.
 */
import type { ServerBlock } from "../caddy-parser";
import { DIRECTIVES } from "../directives";
import type { DirectiveNode, Document, ImportNode, ServerBlockNode, SnippetNode } from "../cst";
import { normalizeServerKey } from "../keys";
import type { Token } from "../lexer";

const ORDER: ReadonlyMap<string, number> = new Map(DIRECTIVES.map((d, i) => [d, i]));

/** plugin.cfg index of a directive (-1 when it is not a stock directive); a map lookup, unlike `directiveOrder`. */
export function orderOf(name: string): number {
  return ORDER.get(name) ?? -1;
}

type NormalizedKey = ReturnType<typeof normalizeServerKey>;
const keyCache = new Map<string, NormalizedKey>();

/**
 * `normalizeServerKey`, memoised: keys and zone arguments repeat from one keystroke to the next, and normalising
 * runs several regular expressions. The cache is bounded.
 */
export function normalizeKeyCached(key: string): NormalizedKey {
  let n = keyCache.get(key);
  if (n === undefined) {
    if (keyCache.size >= 4096) keyCache.clear();
    n = normalizeServerKey(key);
    keyCache.set(key, n);
  }
  return n;
}

/** One line of a directive's `{ }` block: the option name and the values on the same line. */
export type OptionLine = {
  name: Token;
  args: Token[];
  /** The option's syntax-tree node, when the directive is written directly in a root-file server block. */
  node?: DirectiveNode;
};

/** One occurrence of a directive in a server block. */
export type Occurrence = {
  /** The directive name as CoreDNS sees it (after env substitution). */
  name: string;
  nameToken: Token;
  /** Every token of the occurrence as the plugin receives it (name first, nested blocks included). */
  tokens: Token[];
  /** Arguments on the directive line (outside any block). */
  args: Token[];
  /** The lines of the first-level `{ }` block. */
  options: OptionLine[];
  /** The syntax-tree node, when written directly in a server block of the root file (quick fixes edit it). */
  node?: DirectiveNode;
  /** Brought in by an `import` (a snippet or another file). */
  imported: boolean;
  /** The `import` line of the root server block that brought it in, when known. */
  via?: ImportNode;
  /** Root-file offset that places the occurrence in text order (its own offset, or its import line's). */
  anchor: number;
};

/** A normalised, valid server-block key. */
export type BlockKey = {
  key: string;
  token: Token;
  transport: string;
  zones: string[];
  port: string;
};

/** One server block as CoreDNS sees it, tied to its syntax-tree node when it is written in the root file. */
export type BlockModel = {
  index: number;
  block: ServerBlock;
  node?: ServerBlockNode;
  /** Every occurrence, in text order. */
  occurrences: Occurrence[];
  /** Occurrences by directive name, in text order. */
  byName: Map<string, Occurrence[]>;
  /** The keys that CoreDNS accepts, normalised. */
  keys: BlockKey[];
};

/** The whole model. */
export type Model = {
  text: string;
  /** Name of the root file (tokens of the root file carry it in `file`). */
  root: string;
  cst?: Document;
  blocks: BlockModel[];
};

/** Whether `t` is a token of the root file itself (not brought in from another file). Snippet tokens count. */
export function isRootToken(t: Token, root: string): boolean {
  return t.file === root && t.caddyFile === "";
}

/** caddy's "same line": the next token starts on the line where the previous one ends, in the same file. */
export function sameLine(a: Token, b: Token): boolean {
  if (a.caddyFile !== b.caddyFile || a.file !== b.file) return false;
  return a.line + lineBreaks(a.text) === b.line;
}

function lineBreaks(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * Splits all tokens of one directive name in a block (caddy groups them) into occurrences: a new occurrence starts at
 * a token outside any block that is not on the line of the previous token (a `{` on the next line still continues
 * the directive, as in caddy).
 */
export function splitOccurrences(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  let prev: Token | undefined;
  for (const t of tokens) {
    if (prev && depth === 0 && t.text !== "{" && !sameLine(prev, t)) {
      out.push(cur);
      cur = [];
    }
    cur.push(t);
    if (t.text === "{") depth++;
    else if (t.text === "}" && depth > 0) depth--;
    prev = t;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** The directive-line arguments and first-level block lines of one occurrence. */
export function readOccurrence(tokens: readonly Token[]): { args: Token[]; options: OptionLine[] } {
  const args: Token[] = [];
  const options: OptionLine[] = [];
  let depth = 0;
  let line: OptionLine | undefined;
  let prev: Token | undefined = tokens[0];
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.text === "{") {
      depth++;
    } else if (t.text === "}") {
      if (depth > 0) depth--;
      if (depth === 0) line = undefined;
    } else if (depth === 0) {
      args.push(t);
    } else if (depth === 1) {
      if (!line || !prev || prev.text === "{" || !sameLine(prev, t)) {
        line = { name: t, args: [] };
        options.push(line);
      } else {
        line.args.push(t);
      }
    }
    prev = t;
  }
  return { args, options };
}

/** Lookup tables over the root file's syntax tree, built once per model. */
type TreeIndex = {
  blockByKeyStart: Map<number, ServerBlockNode>;
  snippets: Map<string, SnippetNode>;
};

function indexTree(cst: Document | undefined): TreeIndex {
  const blockByKeyStart = new Map<number, ServerBlockNode>();
  const snippets = new Map<string, SnippetNode>();
  if (cst) {
    for (const item of cst.items) {
      if (item.kind === "ServerBlock") {
        const k = item.keys[0];
        if (k) blockByKeyStart.set(k.start, item);
      } else if (item.kind === "Snippet") {
        snippets.set(item.name, item);
      }
    }
  }
  return { blockByKeyStart, snippets };
}

/** Builds the model of every server block of a parse result. */
export function buildModel(text: string, serverBlocks: readonly ServerBlock[], cst: Document | undefined, root: string): Model {
  const tree = indexTree(cst);
  const blocks = serverBlocks.map((b, i) => {
    const k0 = b.keyTokens[0];
    const node = k0 && isRootToken(k0, root) ? tree.blockByKeyStart.get(k0.start) : undefined;
    return buildBlock(b, i, root, node, tree);
  });
  const model: Model = { text, root, blocks };
  if (cst) model.cst = cst;
  return model;
}

/**
 * Builds the model of one server block. `node` ties it to its syntax-tree node (for positions of imports and for
 * fixes); `cst` lets imported directives be traced to the import line that brought them.
 */
export function buildBlockModel(block: ServerBlock, root: string, node?: ServerBlockNode, cst?: Document): BlockModel {
  return buildBlock(block, 0, root, node, indexTree(cst));
}

function buildBlock(block: ServerBlock, index: number, root: string, node: ServerBlockNode | undefined, tree: TreeIndex): BlockModel {
  // Direct directives of the node, by the offset of their name token; and the node's import lines.
  const direct = new Map<number, DirectiveNode>();
  const imports: ImportNode[] = [];
  if (node) {
    for (const item of node.body) {
      if (item.kind === "Directive") direct.set(item.name.start, item);
      else imports.push(item);
    }
  }

  const occurrences: Occurrence[] = [];
  const byName = new Map<string, Occurrence[]>();
  for (const name of Object.keys(block.tokens)) {
    const list: Occurrence[] = [];
    for (const toks of splitOccurrences(block.tokens[name] as Token[])) {
      const nameToken = toks[0] as Token;
      const { args, options } = readOccurrence(toks);
      const inNode = node !== undefined && isRootToken(nameToken, root) && nameToken.start >= node.start && nameToken.start < node.end;
      const dnode = inNode ? direct.get(nameToken.start) : undefined;
      // Without a tree, a root-file token may still come from a snippet: only other files are known to be imported.
      const imported = dnode ? false : node ? true : !isRootToken(nameToken, root);
      const occ: Occurrence = { name, nameToken, tokens: toks, args, options, imported, anchor: nameToken.start };
      if (dnode) {
        occ.node = dnode;
        attachOptionNodes(occ, dnode);
      } else if (node) {
        const via = findImport(nameToken, imports, root, tree);
        if (via) {
          occ.via = via;
          occ.anchor = via.start;
        }
      }
      list.push(occ);
      occurrences.push(occ);
    }
    byName.set(name, list);
  }
  occurrences.sort(compareOccurrences);
  for (const list of byName.values()) list.sort(compareOccurrences);

  const keys: BlockKey[] = [];
  block.keys.forEach((key, i) => {
    const norm = normalizeKeyCached(key);
    const token = block.keyTokens[i];
    if (!("error" in norm) && token) keys.push({ key, token, transport: norm.transport, zones: norm.zones, port: norm.port });
  });
  const model: BlockModel = { index, block, occurrences, byName, keys };
  if (node) model.node = node;
  return model;
}

/** Text order: by anchor, then (for several directives from one import) by file and offset. */
function compareOccurrences(a: Occurrence, b: Occurrence): number {
  if (a.anchor !== b.anchor) return a.anchor - b.anchor;
  const fa = a.nameToken.caddyFile;
  const fb = b.nameToken.caddyFile;
  if (fa !== fb) return fa < fb ? -1 : 1;
  return a.nameToken.start - b.nameToken.start;
}

function attachOptionNodes(occ: Occurrence, dnode: DirectiveNode): void {
  const block = dnode.blocks[0];
  if (!block || occ.options.length === 0) return;
  const byStart = new Map<number, DirectiveNode>();
  for (const item of block.body) if (item.kind === "Directive") byStart.set(item.name.start, item);
  for (const o of occ.options) {
    // Offsets identify the option: tokens from imports or env substitution are copies of the tree's tokens.
    const n = byStart.get(o.name.start);
    if (n && n.name.file === o.name.file && o.name.caddyFile === "") o.node = n;
  }
}

/** The import line of a root server block that brought `tok` in, when it can be told. */
function findImport(tok: Token, imports: readonly ImportNode[], root: string, tree: TreeIndex): ImportNode | undefined {
  if (imports.length === 0) return undefined;
  if (imports.length === 1) return imports[0];
  for (const imp of imports) {
    const r = imp.resolved;
    if (!r) continue;
    if (r.kind === "files") {
      if (tok.caddyFile !== "" && r.files.includes(tok.caddyFile)) return imp;
    } else if (isRootToken(tok, root)) {
      const s = tree.snippets.get(r.name);
      if (s && tok.start >= s.start && tok.start < s.end) return imp;
    }
  }
  return imports[0];
}
