/**
 * The order in which CoreDNS runs the plugins of one server block. CoreDNS ignores the order of lines in a Corefile:
 * it chains a block's plugins in plugin.cfg order (the engine's `DIRECTIVES`), so `forward` written first still runs
 * after `cache`. The editor's side panel shows this for the block under the cursor.
 *
 * Server blocks get their chain from the engine (`executionChain`, which also sees what imports bring in); snippets,
 * which are no server block of their own, are read from the tree with the same rules.
 */
import {
  directiveOrder,
  parse,
  type Document,
  type DirectiveNode,
  type ParseResult,
  type ServerBlockNode,
  type SnippetNode,
} from "@/lib/corefile";
import { executionChain, type ChainOccurrence } from "@/lib/corefile/chain";
import { getPluginSpec } from "@/lib/corefile/plugins";
import { toTextRange } from "./context";
import type { TextRange } from "./types";

/** One plugin of a server block, in execution order. */
export type ChainPlugin = {
  name: string;
  /** Index in plugin.cfg (0-based); -1 for a directive a stock CoreDNS does not know. */
  order: number;
  /**
   * 1-based step in the block's query pipeline; undefined for server settings (bind, health, reload...) and unknown
   * directives, which take no part in answering queries.
   */
  step?: number;
  /** How many times the directive is written in the block (imports included). */
  count: number;
  /** The first occurrence's name (or, for a directive brought in by `import`, the import line). */
  range: TextRange;
  /** The snippet name when the first occurrence comes from `import`. */
  viaImport?: string;
  isKnown: boolean;
  isServerSetting: boolean;
  canAnswer: boolean;
  canFallthrough: boolean;
  /** A `fallthrough` line is written in one of the directive's blocks. */
  hasFallthrough: boolean;
  forwards: boolean;
  summary: string;
  docsUrl?: string;
};

/** The block under the cursor and its plugins. */
export type BlockExecutionOrder = {
  kind: "server" | "snippet";
  /** The keys as written (`.:53`, `example.org`), or `(name)` for a snippet. */
  keys: string[];
  /** 0-based index among the file's server blocks and snippets. */
  index: number;
  range: TextRange;
  /** Every directive, in execution order; unknown directives last, in the order written. */
  plugins: ChainPlugin[];
  /** Number of plugins that take part in the query pipeline (those with a `step`). */
  pipelineLength: number;
};

/**
 * The server block (or snippet) holding `offset`, with its plugins in the order CoreDNS runs them; null when the cursor
 * is outside every block.
 */
export function getBlockExecutionOrder(text: string, offset: number): BlockExecutionOrder | null {
  return findBlockExecutionOrder(parse(text), offset);
}

/** {@link getBlockExecutionOrder} on an already parsed text. */
export function findBlockExecutionOrder(parsed: ParseResult, offset: number): BlockExecutionOrder | null {
  const doc = parsed.cst;
  let index = -1;
  for (const item of doc.items) {
    if (item.kind === "Import") continue;
    index++;
    if (offset < item.start) break;
    if (offset > item.end) continue;
    return item.kind === "ServerBlock" ? readServerChain(parsed, item, index) : readTreeChain(doc, item, index);
  }
  return null;
}

/** A server block's chain, from the engine. */
function readServerChain(parsed: ParseResult, block: ServerBlockNode, index: number): BlockExecutionOrder {
  const doc = parsed.cst;
  const chain = executionChain(block, { parse: parsed });
  // Which directives have a `fallthrough` line: the engine's chain does not say; the tree does.
  const tree = readTreeChain(doc, block, index);
  const treeByName = new Map(tree.plugins.map((p) => [p.name, p]));
  const rangeOf = (occurrences: readonly ChainOccurrence[], name: string) => {
    const first = occurrences[0];
    if (first && first.file === doc.file) return toTextRange(doc, first.offset, first.offset + name.length);
    if (first?.via) return toTextRange(doc, first.via.offset, first.via.offset + "import".length);
    return treeByName.get(name)?.range ?? tree.range;
  };
  let step = 0;
  const plugins: ChainPlugin[] = chain.entries.map((e) => {
    const spec = getPluginSpec(e.name);
    const fromTree = treeByName.get(e.name);
    const plugin: ChainPlugin = {
      name: e.name,
      order: e.order,
      count: e.occurrences.length,
      range: rangeOf(e.occurrences, e.name),
      isKnown: true,
      isServerSetting: e.serverSetting,
      canAnswer: e.canAnswer,
      canFallthrough: e.canFallthrough,
      hasFallthrough: fromTree?.hasFallthrough ?? false,
      forwards: e.forwards,
      summary: spec?.summary ?? "",
    };
    if (!e.serverSetting) plugin.step = ++step;
    if (fromTree?.viaImport) plugin.viaImport = fromTree.viaImport;
    if (spec) plugin.docsUrl = spec.docsUrl;
    return plugin;
  });
  for (const u of chain.unknown) {
    plugins.push({
      name: u.name,
      order: -1,
      count: u.occurrences.length,
      range: rangeOf(u.occurrences, u.name),
      isKnown: false,
      isServerSetting: false,
      canAnswer: false,
      canFallthrough: false,
      hasFallthrough: false,
      forwards: false,
      summary: UNKNOWN_SUMMARY,
    });
  }
  return { ...tree, keys: chain.keys, plugins, pipelineLength: step };
}

const UNKNOWN_SUMMARY = "Not a directive of stock CoreDNS: CoreDNS refuses to start with it.";

/** The chain of one block read from the tree and the catalog (imports of snippets of this file are followed). */
function readTreeChain(doc: Document, block: ServerBlockNode | SnippetNode, index: number): BlockExecutionOrder {
  const byName = new Map<string, ChainPlugin>();
  const visit = (body: SnippetNode["body"], via: { name: string; start: number; end: number } | undefined, seen: Set<string>) => {
    for (const item of body) {
      if (item.kind === "Import") {
        const resolved = item.resolved;
        const name = resolved?.kind === "snippet" ? resolved.name : item.args[0]?.text;
        const snippet = doc.items.find((s): s is SnippetNode => s.kind === "Snippet" && s.name === name);
        if (!snippet || !name || seen.has(name)) continue;
        visit(snippet.body, via ?? { name, start: item.start, end: item.end }, new Set([...seen, name]));
        continue;
      }
      addDirective(item, via);
    }
  };
  const addDirective = (item: DirectiveNode, via: { name: string; start: number; end: number } | undefined) => {
    const name = item.name.text;
    const existing = byName.get(name);
    const hasFallthrough = item.blocks.some((b) => b.body.some((o) => o.kind === "Directive" && o.name.text === "fallthrough"));
    if (existing) {
      existing.count++;
      existing.hasFallthrough ||= hasFallthrough;
      return;
    }
    const spec = getPluginSpec(name);
    const plugin: ChainPlugin = {
      name,
      order: directiveOrder(name),
      count: 1,
      range: via ? toTextRange(doc, via.start, via.end) : toTextRange(doc, item.name.start, item.name.end),
      isKnown: spec !== undefined,
      isServerSetting: spec?.serverSetting === true,
      canAnswer: spec?.canAnswer ?? false,
      canFallthrough: spec?.canFallthrough ?? false,
      hasFallthrough,
      forwards: spec?.forwards ?? false,
      summary: spec?.summary ?? UNKNOWN_SUMMARY,
    };
    if (via) plugin.viaImport = via.name;
    if (spec) plugin.docsUrl = spec.docsUrl;
    byName.set(name, plugin);
  };
  visit(block.body, undefined, new Set(block.kind === "Snippet" ? [block.name] : []));

  const known = [...byName.values()].filter((p) => p.order >= 0).sort((a, b) => a.order - b.order);
  const unknown = [...byName.values()].filter((p) => p.order < 0);
  let step = 0;
  for (const p of known) if (!p.isServerSetting) p.step = ++step;
  return {
    kind: block.kind === "Snippet" ? "snippet" : "server",
    keys: block.kind === "Snippet" ? [`(${block.name})`] : block.keys.map((k) => k.text),
    index,
    range: toTextRange(doc, block.start, block.end),
    plugins: [...known, ...unknown],
    pipelineLength: step,
  };
}
