/**
 * What every recipe needs to know about a Corefile before it edits it: its server blocks with their normalised
 * addresses, which block a query for a name lands in (CoreDNS picks the block by the longest matching zone on the
 * port the query arrived on, before any plugin runs), where a new directive fits, and how the file indents.
 */
import { parse, type DirectiveNode, type ParseResult, type ServerBlock, type ServerBlockNode } from "@/lib/corefile";
import { directiveOrder } from "@/lib/corefile/directives";
import { fqdn, normalizeServerKey, type NormalizedKey } from "@/lib/corefile/keys";

/** One server block of the file. */
export type BlockInfo = {
  /** Index among the file's server blocks: the address the structured edits take. */
  index: number;
  node: ServerBlockNode;
  /** The keys as written, a trailing comma removed. */
  keys: string[];
  /** The keys as CoreDNS reads them (keys CoreDNS would reject are left out). */
  addresses: NormalizedKey[];
  /** What CoreDNS sees of the block, imports expanded (absent when parsing stopped before it). */
  expanded?: ServerBlock;
  /** 1-based line of the block's first key. */
  line: number;
};

export type CorefileOutline = {
  text: string;
  parsed: ParseResult;
  blocks: BlockInfo[];
};

/** Parses `text` and describes its server blocks. */
export function outlineCorefile(text: string): CorefileOutline {
  const parsed = parse(text);
  const blocks: BlockInfo[] = [];
  let index = 0;
  for (const item of parsed.cst.items) {
    if (item.kind !== "ServerBlock") continue;
    const keys = item.keys.map((k) => k.text.replace(/,$/, "")).filter((k) => k !== "");
    const addresses: NormalizedKey[] = [];
    for (const key of keys) {
      const n = normalizeServerKey(key);
      if (!("error" in n)) addresses.push(n);
    }
    const first = item.keys[0];
    const expanded = first ? parsed.serverBlocks.find((b) => b.keyTokens[0] === first) : undefined;
    blocks.push({
      index: index++,
      node: item,
      keys,
      addresses,
      ...(expanded ? { expanded } : {}),
      line: lineOf(text, item.start),
    });
  }
  return { text, parsed, blocks };
}

/** A name in CoreDNS's form: lower case, fully qualified. */
export function toFqdn(name: string): string {
  return fqdn(name).toLowerCase();
}

/** Whether `name` is `zone` or below it (both fully qualified). */
export function isWithin(name: string, zone: string): boolean {
  return zone === "." || name === zone || name.endsWith("." + zone);
}

/** A block's plain-DNS zones on `port`. */
function dnsZones(block: BlockInfo, port: string): string[] {
  return block.addresses.filter((a) => a.transport === "dns" && a.port === port).flatMap((a) => a.zones);
}

/**
 * The block CoreDNS hands a query for `name` (on plain DNS, `port`) to: the one with the longest zone containing the
 * name. Blocks that share a zone through `view` are not told apart (the first is returned).
 */
export function findServingBlock(outline: CorefileOutline, name: string, port = "53"): BlockInfo | undefined {
  const target = toFqdn(name);
  let best: BlockInfo | undefined;
  let bestLength = -1;
  for (const block of outline.blocks) {
    for (const zone of dnsZones(block, port)) {
      if (isWithin(target, zone) && zone.length > bestLength) {
        best = block;
        bestLength = zone.length;
      }
    }
  }
  return best;
}

/** The block that has exactly `zone` on plain DNS `port` among its keys. */
export function findBlockForZone(outline: CorefileOutline, zone: string, port = "53"): BlockInfo | undefined {
  const target = toFqdn(zone);
  return outline.blocks.find((b) => dnsZones(b, port).includes(target));
}

/**
 * The block a server-block key such as `.:53` or `example.org` designates: one whose keys include the same
 * transport, port and zone. Null when the key itself is invalid.
 */
export function findBlockByKey(outline: CorefileOutline, key: string): BlockInfo | undefined | null {
  const wanted = normalizeServerKey(key.trim());
  if ("error" in wanted) return null;
  return outline.blocks.find((b) =>
    b.addresses.some((a) => a.transport === wanted.transport && a.port === wanted.port && wanted.zones.every((z) => a.zones.includes(z))),
  );
}

/** The directives named `name` written in the block itself (not those an import brings in). */
export function directivesNamed(block: BlockInfo, name: string): DirectiveNode[] {
  return block.node.body.filter((i): i is DirectiveNode => i.kind === "Directive" && i.name.text === name);
}

/** Whether the block uses `name` at all, imports included. */
export function usesDirective(block: BlockInfo, name: string): boolean {
  return directivesNamed(block, name).length > 0 || (block.expanded?.tokens[name]?.length ?? 0) > 0;
}

/**
 * Where a new `name` directive goes so that the text follows CoreDNS's execution order (plugin.cfg): before the
 * first directive that runs after it, after any of the same name. Unknown directives and imports are passed over.
 */
export function indexByExecutionOrder(block: BlockInfo, name: string): number {
  const order = directiveOrder(name);
  const body = block.node.body;
  for (let i = 0; i < body.length; i++) {
    const item = body[i];
    if (!item || item.kind !== "Directive") continue;
    const other = directiveOrder(item.name.text);
    if (other > order) return i;
  }
  return body.length;
}

/** The body index of a directive node in its block. */
export function indexOfDirective(block: BlockInfo, directive: DirectiveNode): number {
  return block.node.body.indexOf(directive);
}

/** The leading spaces and tabs of the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  let end = lineStart;
  while (end < text.length && (text[end] === " " || text[end] === "\t")) end++;
  return text.slice(lineStart, end);
}

/**
 * The indentation step the file uses: the most common difference between a directive's indentation and its server
 * block's (four spaces when the file shows none).
 */
export function indentationStep(outline: CorefileOutline): string {
  const counts = new Map<string, number>();
  for (const block of outline.blocks) {
    const outer = indentationAt(outline.text, block.node.start);
    for (const item of block.node.body) {
      const inner = indentationAt(outline.text, item.start);
      if (!startsLine(outline.text, item.start) || inner.length <= outer.length || !inner.startsWith(outer)) continue;
      const step = inner.slice(outer.length);
      counts.set(step, (counts.get(step) ?? 0) + 1);
    }
  }
  let best = "    ";
  let bestCount = 0;
  for (const [step, n] of counts) if (n > bestCount) [best, bestCount] = [step, n];
  return best;
}

/** Whether only spaces and tabs come before `offset` on its line. */
export function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*$/.test(text.slice(lineStart, offset));
}

/** 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** 1-based line and column of an offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return { line: lineOf(text, offset), column: offset - lineStart + 1 };
}

/** How a block is named in messages: its keys and line. */
export function describeBlock(block: BlockInfo): string {
  return `'${block.keys.join(" ")}' (line ${block.line})`;
}

/** The port written in a block's first key, for a new key in the same style (`:53` or nothing). */
export function portSuffixOf(block: BlockInfo): string {
  const first = block.keys[0] ?? "";
  const match = /:(\d+)$/.exec(first);
  return match ? `:${match[1]}` : "";
}

/** The directive's argument texts. */
export function argsOf(directive: DirectiveNode): string[] {
  return directive.args.map((a) => a.text);
}
