/**
 * `buildBoard(text)`: the board model of a Corefile (see types.ts and README.md).
 */
import { createLineReader, directiveOrder, getPluginSpec, normalizeServerKey, positionAt, splitTransport, type Diagnostic, type Document, type LineReader, type ParseOptions, type ServerBlockNode } from "@/lib/corefile";
import { executionChain } from "@/lib/corefile/chain";
import { expandBody, indexDocument, keyTexts, snippetName, type DocumentIndex, type IndexedBlock } from "./document-index";
import { orderNoteOf, VIEW_ORDER_NOTE } from "./order-sensitivity";
import { isSetting, rolesOf } from "./roles";
import type { BlockKey, Board, BoardError, BodyCard, DirectiveCard, OrderGroup, PipelineStep, ServerBlockCard, SourceRange, TopCard, ViewGroup } from "./types";

/** Options for {@link buildBoard}: what `parse` takes (file name, env, other files for `import`). */
export type BuildBoardOptions = ParseOptions;

/**
 * Parser errors after which the tree no longer tells the truth about the structure (a brace or quote left open, a
 * stray brace): the board is then read-only. Other errors (unknown directive, bad key, missing import) leave the
 * structure sound, and the board editable.
 */
const STRUCTURAL_CODES: ReadonlySet<string> = new Set([
  "UNEXPECTED_CLOSE_BRACE",
  "UNEXPECTED_EOF",
  "UNMATCHED_BRACE",
  "EXPECTED_OPEN_BRACE",
  "EXTRA_COMMA",
  "UNTERMINATED_QUOTE",
  "INTERNAL_ERROR",
]);

/**
 * The board model of `text`: server blocks, their directives in text order, their pipelines in execution order, and
 * where order matters. Never throws. When the text does not parse, the board is read-only and holds only the error.
 */
export function buildBoard(text: string, options: BuildBoardOptions = {}): Board {
  const index = indexDocument(text, options);
  const { doc, parsed } = index;
  const reader = createLineReader(text, parsed);
  const error = structuralError(doc, parsed.diagnostics, reader);
  if (error) return { status: "read-only", error, items: [], indentUnit: reader.indentUnit };

  const comments = collectComments(doc);
  const blocks = index.blocks.map((b) => buildBlockCard(index, b, reader, comments));
  attachViewGroups(index, blocks);
  const items: TopCard[] = [];
  let bi = 0;
  doc.items.forEach((item, i) => {
    const id = index.topIds[i] as string;
    if (item.kind === "ServerBlock") items.push(blocks[bi++] as ServerBlockCard);
    else if (item.kind === "Snippet") {
      items.push({
        kind: "snippet",
        id,
        name: item.name,
        range: rangeOf(doc, item.start, item.end),
        directives: item.body.map((d) => (d.kind === "Directive" ? d.name.text : "import")),
        usedBy: blocks.filter((b) => b.items.some((it) => it.kind === "import" && it.snippet === item.name)).map((b) => b.id),
      });
    } else {
      items.push({ kind: "import", id, target: item.args.map((a) => a.text).join(" "), range: rangeOf(doc, item.start, item.end) });
    }
  });
  const board: Board = { status: "ok", items, indentUnit: reader.indentUnit };
  const ce = parsed.corednsError;
  if (ce) board.corednsError = { code: ce.code, message: ce.corednsMessage ?? ce.message, line: ce.line, column: ce.column };
  return board;
}

/** The first error that makes the structure untrustworthy, or null. */
function structuralError(doc: Document, diagnostics: readonly Diagnostic[], reader: LineReader): BoardError | null {
  const d = diagnostics.find((x) => x.file === doc.file && STRUCTURAL_CODES.has(x.code));
  if (d) return { code: d.code, message: d.corednsMessage ?? d.message, line: d.line, column: d.column };
  const bp = reader.braceProblem();
  if (bp) return { code: "UNBALANCED_BRACES", message: bp.reason, line: bp.line, column: bp.column };
  return null;
}

/** A source range with line/column positions. */
export function rangeOf(doc: Document, start: number, end: number): SourceRange {
  const s = positionAt(doc.lineStarts, start);
  const e = positionAt(doc.lineStarts, end);
  return { start, end, startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
}

/** Every comment of the document: start offsets (sorted) and texts. */
type CommentIndex = { starts: number[]; texts: string[] };

function collectComments(doc: Document): CommentIndex {
  const starts: number[] = [];
  const texts: string[] = [];
  const walk = (children: Document["children"]): void => {
    for (const c of children) {
      if ("children" in c) walk(c.children);
      else if (c.kind === "comment") {
        starts.push(c.start);
        texts.push(c.raw);
      }
    }
  };
  walk(doc.children);
  return { starts, texts };
}

/** Comments starting in [from, to). */
function commentsIn(ci: CommentIndex, from: number, to: number): string[] {
  let lo = 0;
  let hi = ci.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ci.starts[mid] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < ci.starts.length && (ci.starts[i] as number) < to; i++) out.push(ci.texts[i] as string);
  return out;
}

function readKey(text: string): BlockKey {
  const { transport } = splitTransport(text);
  const n = normalizeServerKey(text);
  if ("error" in n) return { text, transport, zones: [], port: "", error: n.error };
  return { text, transport: n.transport, zones: n.zones, port: n.port };
}

function buildBlockCard(index: DocumentIndex, b: IndexedBlock, reader: LineReader, comments: CommentIndex): ServerBlockCard {
  const { doc, parsed } = index;
  const node = b.node;
  const items: BodyCard[] = node.body.map((it, i) => {
    const id = b.itemIds[i] as string;
    const ext = reader.itemLines(it);
    const own = ext ? commentsIn(comments, ext.start, it.start) : [];
    if (it.comment) own.push(it.comment.raw);
    const base = {
      id,
      blockId: b.id,
      index: i,
      range: rangeOf(doc, it.start, it.end),
      fullRange: ext ? rangeOf(doc, ext.start, ext.end) : rangeOf(doc, it.start, it.end),
      comments: own,
      canMove: ext !== null,
    };
    if (it.kind === "Import") {
      const card: BodyCard = { ...base, kind: "import", target: it.args.map((a) => a.text).join(" ") };
      const sn = snippetName(it);
      if (sn !== undefined && doc.items.some((s) => s.kind === "Snippet" && s.name === sn)) card.snippet = sn;
      return card;
    }
    const spec = getPluginSpec(it.name.text);
    const block = it.blocks[0];
    const card: DirectiveCard = {
      ...base,
      kind: "directive",
      name: it.name.text,
      args: it.args.map((a) => a.text),
      hasBlock: it.blocks.length > 0,
      options: block
        ? block.body.map((o) => ({ name: o.kind === "Import" ? "import" : o.name.text, args: o.args.map((a) => a.text) }))
        : [],
      summary: spec?.summary ?? "Not a plugin of stock CoreDNS: CoreDNS refuses to start with it.",
      isUnknown: spec === undefined,
    };
    if (spec) card.group = spec.group;
    return card;
  });

  const expanded = expandBody(doc, node.body);
  const directiveIdAt = (bodyIndex: number): string | undefined => {
    const it = items[bodyIndex];
    return it && it.kind === "directive" ? it.id : undefined;
  };

  // Order-sensitive groups: a plugin of the table occurring twice or more (imports included).
  const byName = new Map<string, typeof expanded>();
  for (const e of expanded) {
    const list = byName.get(e.node.name.text);
    if (list) list.push(e);
    else byName.set(e.node.name.text, [e]);
  }
  const orderGroups: OrderGroup[] = [];
  for (const [name, occs] of byName) {
    const note = orderNoteOf(name);
    if (!note || occs.length < 2) continue;
    const ids = occs.filter((o) => !o.imported).map((o) => directiveIdAt(o.bodyIndex)).filter((x): x is string => x !== undefined);
    orderGroups.push({ name, note, directiveIds: ids });
    for (const it of items) if (it.kind === "directive" && ids.includes(it.id)) it.orderSensitive = { group: name, note };
  }

  // The pipeline, from the engine's execution chain (plugin.cfg order).
  const chain = executionChain(node, { parse: parsed });
  const rootFile = doc.file;
  const idByNameStart = new Map<number, string>();
  node.body.forEach((it, i) => {
    if (it.kind === "Directive") idByNameStart.set(it.name.start, b.itemIds[i] as string);
  });
  let step = 0;
  const pipeline: PipelineStep[] = chain.entries.map((e) => {
    const occs = byName.get(e.name) ?? [];
    const directiveIds = e.occurrences
      .filter((o) => !o.imported && o.file === rootFile)
      .map((o) => idByNameStart.get(o.offset))
      .filter((x): x is string => x !== undefined);
    const s: PipelineStep = {
      name: e.name,
      order: e.order,
      roles: [...rolesOf(e.name)],
      hasFallthrough: occs.some((o) => o.node.blocks.some((bl) => bl.body.some((x) => x.kind === "Directive" && x.name.text === "fallthrough"))),
      directiveIds,
      count: e.occurrences.length,
      imported: e.occurrences.some((o) => o.imported),
      summary: getPluginSpec(e.name)?.summary ?? "",
    };
    if (!isSetting(e.name)) s.step = ++step;
    return s;
  });

  // Text order versus execution order, over the query path only (settings take no part in a query).
  const path = expanded.map((e) => e.node.name.text).filter((n) => directiveOrder(n) >= 0 && !isSetting(n));
  let max = -1;
  let differs = false;
  for (const n of path) {
    const o = directiveOrder(n);
    if (o < max) differs = true;
    else max = o;
  }
  const ext = reader.blockLines(node);
  const card: ServerBlockCard = {
    kind: "server",
    id: b.id,
    index: b.index,
    keys: keyTexts(node).map(readKey),
    title: keyTexts(node).join(" "),
    range: ext ? rangeOf(doc, ext.start, ext.end) : rangeOf(doc, node.start, node.end),
    extent: ext,
    hasBraces: node.open !== undefined,
    canMove: node.open !== undefined && ext !== null,
    items,
    pipeline,
    unknownPlugins: chain.unknown.map((u) => u.name),
    textOrderDiffers: differs,
    orderGroups,
  };
  if (differs) {
    const seq = pipeline.filter((p) => p.step !== undefined).map((p) => p.name);
    card.orderNote = `CoreDNS runs a block's plugins in its fixed order, not the order written: a query passes through ${seq.join(" → ")}.`;
  }
  return card;
}

/** Listener keys (`transport://zone:port`) of a server block. */
export function listenerKeys(node: ServerBlockNode): string[] {
  const out: string[] = [];
  for (const k of keyTexts(node)) {
    const n = normalizeServerKey(k);
    if ("error" in n) continue;
    for (const z of n.zones) out.push(`${n.transport}://${z}:${n.port}`);
  }
  return out;
}

/** Whether `view` reaches a block (written, or from a snippet). */
export function hasView(doc: Document, node: ServerBlockNode): boolean {
  return expandBody(doc, node.body).some((e) => e.node.name.text === "view");
}

/** Groups of blocks sharing a listener where one has a view; each member gets the first group it belongs to. */
function attachViewGroups(index: DocumentIndex, cards: ServerBlockCard[]): void {
  for (const g of viewGroups(index)) {
    const group: ViewGroup = { key: g.key, blockIds: g.blocks.map((i) => index.blocks[i]?.id as string), note: VIEW_ORDER_NOTE };
    for (const i of g.blocks) {
      const c = cards[i];
      if (c && !c.viewGroup) c.viewGroup = group;
    }
  }
}

/** Listener keys shared by two or more blocks, one of which has a view: block indexes in file order. */
export function viewGroups(index: DocumentIndex): { key: string; blocks: number[] }[] {
  const byKey = new Map<string, number[]>();
  const viewed = index.blocks.map((b) => hasView(index.doc, b.node));
  index.blocks.forEach((b, i) => {
    for (const k of new Set(listenerKeys(b.node))) {
      const list = byKey.get(k);
      if (list) list.push(i);
      else byKey.set(k, [i]);
    }
  });
  const out: { key: string; blocks: number[] }[] = [];
  for (const [key, blocks] of byKey) if (blocks.length > 1 && blocks.some((i) => viewed[i])) out.push({ key, blocks });
  return out;
}
