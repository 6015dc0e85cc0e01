/**
 * The execution chain of a server block: the plugins CoreDNS runs for it, in plugin.cfg order (the order of
 * `DIRECTIVES`), whatever order the Corefile lists them in. Each entry says where its directive is written (imported
 * occurrences are marked with the import line that brought them in) and what the plugin can do to a query (answer it,
 * fall through to the next plugin, forward it upstream).
 */
import type { ServerBlock } from "./caddy-parser";
import type { ServerBlockNode } from "./cst";
import type { Token } from "./lexer";
import { buildBlockModel, buildModel, isRootToken, orderOf, type BlockModel, type Occurrence } from "./lint/model";
import { parse, type ParseOptions, type ParseResult } from "./parse";
import { getPluginSpec } from "./plugins/index";

/** A place in a file (1-based line and column, 0-based offset). */
export type ChainPosition = { file: string; line: number; column: number; offset: number };

/** Where one occurrence of a directive is written. */
export type ChainOccurrence = ChainPosition & {
  /** Brought in by `import` (from a snippet or another file); the position is then the imported text's own. */
  imported: boolean;
  /** The `import` line of the root file's server block that brought the occurrence in, when known. */
  via?: ChainPosition;
};

/** One plugin of the chain. */
export type ChainEntry = {
  name: string;
  /** 0-based position in execution order within this block. */
  index: number;
  /** Index in plugin.cfg (the global execution order). */
  order: number;
  /** 0-based rank of the directive's first occurrence in text order, among this chain's entries. */
  textIndex: number;
  /** Every occurrence, in text order (several for repeatable plugins such as `forward`, which run in that order). */
  occurrences: ChainOccurrence[];
  /** The plugin can write a response itself. */
  canAnswer: boolean;
  /** The plugin supports `fallthrough` (passes queries it cannot answer on). */
  canFallthrough: boolean;
  /** The plugin sends queries to other servers. */
  forwards: boolean;
  /** A server-wide setting or side service (reload, health, bind...), not a step a query passes through. */
  serverSetting: boolean;
};

/** The chain of one server block. */
export type ExecutionChain = {
  /** The block's keys as written (after env substitution). */
  keys: string[];
  /** The zones the block serves (normalised; CIDR keys as their reverse zones). */
  zones: string[];
  /** The plugins in execution order. */
  entries: ChainEntry[];
  /** Some directive is written after one that runs later: the text order is not the execution order. */
  textOrderDiffers: boolean;
  /** Directives that are not part of CoreDNS (CoreDNS refuses to start with them); not in `entries`. */
  unknown: { name: string; occurrences: ChainOccurrence[] }[];
};

/** Optional context for {@link executionChain}. */
export type ChainContext = {
  /** The parse result the block came from: lets imported directives be told from direct ones. */
  parse?: ParseResult;
};

/**
 * The execution chain of one server block, given either as a parse result's `serverBlocks` entry (what CoreDNS sees,
 * imports expanded) or as a syntax-tree node. Pass `context.parse` (the result the block came from): for a node it
 * adds what its imports bring in (without it only the directives written in the node are known); for a parse-result
 * block it tells directives imported from snippets apart from those written in the block (without it only those from
 * other files are marked `imported`).
 */
export function executionChain(block: ServerBlock | ServerBlockNode, context: ChainContext = {}): ExecutionChain {
  const p = context.parse;
  if ("kind" in block) {
    const root = p?.cst.file ?? block.keys[0]?.file ?? "Corefile";
    const k0 = block.keys[0];
    const sb = p && k0 ? p.serverBlocks.find((b) => b.keyTokens[0]?.start === k0.start && isRootToken(b.keyTokens[0], root)) : undefined;
    if (sb) return chainOfBlock(buildBlockModel(sb, root, block, p?.cst));
    return chainOfBlock(buildBlockModel(serverBlockOfNode(block), root, block, p?.cst));
  }
  const root = p?.cst.file ?? rootOf(block);
  const k0 = block.keyTokens[0];
  let node: ServerBlockNode | undefined;
  if (p && k0 && isRootToken(k0, root)) {
    for (const item of p.cst.items) if (item.kind === "ServerBlock" && item.keys[0]?.start === k0.start) node = item;
  }
  return chainOfBlock(buildBlockModel(block, root, node, p?.cst));
}

function rootOf(block: ServerBlock): string {
  const k = block.keyTokens[0];
  return k && k.caddyFile === "" ? k.file : "Corefile";
}

/** A caddy-style server block built from a syntax-tree node alone (imports unexpanded, env unsubstituted). */
function serverBlockOfNode(node: ServerBlockNode): ServerBlock {
  const tokens: Record<string, Token[]> = Object.create(null) as Record<string, Token[]>;
  for (const item of node.body) {
    if (item.kind !== "Directive") continue;
    const list = (tokens[item.name.text] ??= []);
    collectTokens(item.children, list);
  }
  const keys = node.keys.map((k) => (k.text.endsWith(",") ? k.text.slice(0, -1) : k.text)).filter((k) => k !== "");
  return { keys, keyTokens: node.keys.slice(0, keys.length), tokens };
}

function collectTokens(children: ServerBlockNode["children"], out: Token[]): void {
  for (const c of children) {
    if ("children" in c) collectTokens(c.children, out);
    else if (c.kind === "token") out.push(c);
  }
}

function position(t: Token): ChainPosition {
  return { file: t.file, line: t.line, column: t.column, offset: t.start };
}

function occurrenceOf(o: Occurrence): ChainOccurrence {
  const c: ChainOccurrence = { ...position(o.nameToken), imported: o.imported };
  if (o.via) c.via = position(o.via.keyword);
  return c;
}

/** The chain of a block model (shared with the linter). */
export function chainOfBlock(bm: BlockModel): ExecutionChain {
  const known: { name: string; order: number; occs: Occurrence[] }[] = [];
  const unknown: ExecutionChain["unknown"] = [];
  for (const [name, occs] of bm.byName) {
    const order = orderOf(name);
    if (order < 0) unknown.push({ name, occurrences: occs.map(occurrenceOf) });
    else known.push({ name, order, occs });
  }
  // Text rank of each known directive: by its first occurrence (bm.occurrences is in text order).
  const textRank = new Map<string, number>();
  let seq = 0;
  let maxOrder = -1;
  let differs = false;
  for (const o of bm.occurrences) {
    const order = orderOf(o.name);
    if (order < 0) continue;
    if (!textRank.has(o.name)) textRank.set(o.name, seq++);
    if (order < maxOrder) differs = true;
    else maxOrder = order;
  }
  known.sort((a, b) => a.order - b.order);
  // textIndex counts only the chain's entries, in text order.
  const byText = known.slice().sort((a, b) => (textRank.get(a.name) ?? 0) - (textRank.get(b.name) ?? 0));
  const textIndex = new Map(byText.map((k, i) => [k.name, i]));
  const entries: ChainEntry[] = known.map((k, index) => {
    const spec = getPluginSpec(k.name);
    return {
      name: k.name,
      index,
      order: k.order,
      textIndex: textIndex.get(k.name) ?? index,
      occurrences: k.occs.map(occurrenceOf),
      canAnswer: spec?.canAnswer ?? false,
      canFallthrough: spec?.canFallthrough ?? false,
      forwards: spec?.forwards ?? false,
      serverSetting: spec?.serverSetting ?? false,
    };
  });
  const zones: string[] = [];
  for (const k of bm.keys) for (const z of k.zones) if (!zones.includes(z)) zones.push(z);
  return { keys: bm.block.keys.slice(), zones, entries, textOrderDiffers: differs, unknown };
}

/** One server block as {@link describeChain} reports it. */
export type DescribedBlock = {
  keys: string[];
  zones: string[];
  /** Where the block starts (its first key). */
  file: string;
  line: number;
  chain: ChainEntry[];
  textOrderDiffers: boolean;
  unknown: ExecutionChain["unknown"];
};

/** Options for {@link describeChain}: parse options, or a parse result of the same text. */
export type DescribeChainOptions = ParseOptions & { parse?: ParseResult };

/**
 * The execution chain of every server block of a Corefile (for the CLI's `chain` command).
 * @example
 *   console.log(renderChain(describeChain(corefileText)));
 */
export function describeChain(text: string, options: DescribeChainOptions = {}): { blocks: DescribedBlock[] } {
  const p = options.parse ?? parse(text, options);
  const model = buildModel(text, p.serverBlocks, p.cst, p.cst.file);
  return {
    blocks: model.blocks.map((bm) => {
      const c = chainOfBlock(bm);
      const k0 = bm.block.keyTokens[0];
      return {
        keys: c.keys,
        zones: c.zones,
        file: k0?.file ?? p.cst.file,
        line: k0?.line ?? 1,
        chain: c.entries,
        textOrderDiffers: c.textOrderDiffers,
        unknown: c.unknown,
      };
    }),
  };
}

function flags(e: ChainEntry): string {
  if (e.serverSetting) return "setting";
  const f: string[] = [];
  if (e.canAnswer) f.push("answers");
  if (e.canFallthrough) f.push("can fall through");
  if (e.forwards) f.push("forwards upstream");
  return f.join(", ");
}

function where(o: ChainOccurrence): string {
  const at = `${o.file}:${o.line}`;
  if (!o.imported) return at;
  return o.via ? `${at} (imported at line ${o.via.line})` : `${at} (imported)`;
}

/**
 * Plain text for a chain: one line per plugin, numbered in execution order, with what it does (answers, can fall
 * through, forwards upstream; `setting` for server-wide settings that no query passes through) and where it is
 * written.
 */
export function renderChain(input: { blocks: readonly DescribedBlock[] } | ExecutionChain): string {
  const blocks: { keys: string[]; zones: string[]; entries: ChainEntry[]; differs: boolean; unknown: ExecutionChain["unknown"] }[] =
    "blocks" in input
      ? input.blocks.map((b) => ({ keys: b.keys, zones: b.zones, entries: b.chain, differs: b.textOrderDiffers, unknown: b.unknown }))
      : [{ keys: input.keys, zones: input.zones, entries: input.entries, differs: input.textOrderDiffers, unknown: input.unknown }];
  const out: string[] = [];
  blocks.forEach((b, bi) => {
    if (bi > 0) out.push("");
    out.push(`${b.keys.join(" ")}  (zones: ${b.zones.join(" ") || "none"})`);
    if (b.differs) out.push("  (written in another order; CoreDNS runs them in this order)");
    const nameWidth = Math.max(4, ...b.entries.map((e) => e.name.length));
    const flagWidth = Math.max(0, ...b.entries.map((e) => flags(e).length));
    const numWidth = String(b.entries.length).length;
    for (const e of b.entries) {
      const num = String(e.index + 1).padStart(numWidth);
      const places = e.occurrences.map(where).join(", ");
      out.push(`  ${num}. ${e.name.padEnd(nameWidth)}  ${flags(e).padEnd(flagWidth)}  ${places}`.trimEnd());
    }
    for (const u of b.unknown) {
      out.push(`  ?. ${u.name} — not a CoreDNS plugin (CoreDNS will not start): ${u.occurrences.map(where).join(", ")}`);
    }
  });
  return out.join("\n") + "\n";
}
