/**
 * The bridge between board ids and the syntax tree: parses a text once, gives every server block, snippet, top-level
 * import and body item a stable id, and resolves ids back to the block/body indexes the structured edits take.
 *
 * Ids are derived from content, never from absolute offsets, so an edit elsewhere in the file leaves them alone:
 * - a server block: a hash of its keys as written (plus `~n` for the n-th block with the same keys);
 * - a directive: the block's id, `#`, and its name when the name is unique in the block (so editing its arguments
 *   keeps the id); for a repeated name, the name plus a hash of its tokens (plus `~n` for identical copies);
 * - an import line: the block's id, `#import:`, and its target;
 * - a snippet: `s-` and a hash of its name; a top-level import: `i-` and a hash of its target.
 */
import { isNode, parse, type BodyItem, type Child, type DirectiveNode, type Document, type ImportNode, type ParseOptions, type ParseResult, type ServerBlockNode, type SnippetNode } from "@/lib/corefile";

/** One server block of the index. */
export type IndexedBlock = {
  node: ServerBlockNode;
  id: string;
  /** Index among server blocks (what the structured edits count). */
  index: number;
  /** Ids of `node.body`, aligned with it. */
  itemIds: string[];
};

/** A directive as it reaches a server block: written there, or brought in by an `import` of a snippet. */
export type ExpandedDirective = {
  node: DirectiveNode;
  /** Index in the block's body of the item that holds it (the directive itself, or the import line). */
  bodyIndex: number;
  imported: boolean;
};

/** Where an id points. */
export type IdTarget =
  | { kind: "block"; block: number }
  | { kind: "item"; block: number; index: number }
  | { kind: "snippet"; item: number }
  | { kind: "import"; item: number };

export type DocumentIndex = {
  text: string;
  parsed: ParseResult;
  doc: Document;
  blocks: IndexedBlock[];
  /** Ids of `doc.items`, aligned with it. */
  topIds: string[];
  byId: Map<string, IdTarget>;
};

/** Parses `text` and assigns ids. */
export function indexDocument(text: string, options: ParseOptions = {}, parsed?: ParseResult): DocumentIndex {
  const p = parsed ?? parse(text, options);
  const doc = p.cst;
  const byId = new Map<string, IdTarget>();
  const blocks: IndexedBlock[] = [];
  const topIds: string[] = [];
  const topSeen = new Map<string, number>();
  const unique = (base: string, seen: Map<string, number>): string => {
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}~${n}`;
  };
  doc.items.forEach((item, itemIndex) => {
    if (item.kind === "ServerBlock") {
      const id = unique(`b-${hash(keyTexts(item).join(" "))}`, topSeen);
      const index = blocks.length;
      const itemIds = bodyIds(id, item.body);
      blocks.push({ node: item, id, index, itemIds });
      byId.set(id, { kind: "block", block: index });
      itemIds.forEach((iid, i) => byId.set(iid, { kind: "item", block: index, index: i }));
      topIds.push(id);
    } else if (item.kind === "Snippet") {
      const id = unique(`s-${hash(item.name)}`, topSeen);
      byId.set(id, { kind: "snippet", item: itemIndex });
      topIds.push(id);
    } else {
      const id = unique(`i-${hash(item.args.map((a) => a.text).join(" "))}`, topSeen);
      byId.set(id, { kind: "import", item: itemIndex });
      topIds.push(id);
    }
  });
  return { text, parsed: p, doc, blocks, topIds, byId };
}

/** The keys of a server block as written, without trailing commas. */
export function keyTexts(block: ServerBlockNode): string[] {
  return block.keys.map((k) => (k.text.endsWith(",") ? k.text.slice(0, -1) : k.text)).filter((k) => k !== "");
}

/** Ids for the items of one block body. */
function bodyIds(blockId: string, body: readonly BodyItem[]): string[] {
  const nameCount = new Map<string, number>();
  for (const it of body) if (it.kind === "Directive") nameCount.set(it.name.text, (nameCount.get(it.name.text) ?? 0) + 1);
  const seen = new Map<string, number>();
  return body.map((it) => {
    let base: string;
    if (it.kind === "Import") base = `${blockId}#import:${it.args.map((a) => a.text).join(" ")}`;
    else if ((nameCount.get(it.name.text) ?? 0) <= 1) base = `${blockId}#${it.name.text}`;
    else base = `${blockId}#${it.name.text}-${hash(contentOf(it))}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}~${n}`;
  });
}

/** The token texts of a node (comments and spacing left out), joined by spaces: what the node says. */
export function contentOf(node: { children: Child[] }): string {
  const out: string[] = [];
  const walk = (children: Child[]): void => {
    for (const c of children) {
      if (isNode(c)) walk(c.children);
      else if (c.kind === "token") out.push(c.text);
    }
  };
  walk(node.children);
  return out.join(" ");
}

/** The directives that reach a server block, in the order caddy sees them (imports of this file's snippets followed). */
export function expandBody(doc: Document, body: readonly BodyItem[]): ExpandedDirective[] {
  const snippets = new Map<string, SnippetNode>();
  for (const it of doc.items) if (it.kind === "Snippet" && !snippets.has(it.name)) snippets.set(it.name, it);
  const out: ExpandedDirective[] = [];
  const visit = (items: readonly BodyItem[], bodyIndex: number | null, seen: ReadonlySet<string>): void => {
    items.forEach((it, i) => {
      const at = bodyIndex ?? i;
      if (it.kind === "Directive") {
        out.push({ node: it, bodyIndex: at, imported: bodyIndex !== null });
        return;
      }
      const name = snippetName(it);
      const snippet = name === undefined ? undefined : snippets.get(name);
      if (!snippet || !name || seen.has(name)) return;
      visit(snippet.body, at, new Set([...seen, name]));
    });
  };
  visit(body, null, new Set());
  return out;
}

/** The snippet an import line names (resolved by the parser when it got there, else its argument). */
export function snippetName(it: ImportNode): string | undefined {
  if (it.resolved) return it.resolved.kind === "snippet" ? it.resolved.name : undefined;
  return it.args[0]?.text;
}

/** FNV-1a (32 bit) of a string, in base 36: short, stable, good enough to tell contents apart. */
export function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
