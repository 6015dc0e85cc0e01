/**
 * Board actions: what a drag, a drop or a button on the board does to the text. Each takes the current text and ids
 * from `buildBoard(text)`, and returns minimal edits (through lib/corefile's structured edits, so comments travel with
 * their directive, indentation follows the target block and every other byte stays as it was), or the reason it
 * cannot be done. None throws.
 *
 * Indexes are final positions, as dnd-kit's `arrayMove(items, from, to)` gives them: `toIndex` is where the item ends
 * up in the target list once it has been taken out of its old place.
 */
import {
  addDirective,
  addServerBlock,
  applyEdits,
  createLineReader,
  directiveOrder,
  getPluginSpec,
  moveDirective as moveDirectiveEdit,
  moveServerBlock,
  normalizeServerKey,
  removeDirective as removeDirectiveEdit,
  setServerBlockKeys,
  type EditResult,
  type ParseOptions,
} from "@/lib/corefile";
import { listenerKeys, viewGroups } from "./build-board";
import { contentOf, expandBody, indexDocument, type DocumentIndex, type IndexedBlock } from "./document-index";
import { isOrderSensitive, orderNoteOf, VIEW_ORDER_NOTE } from "./order-sensitivity";
import { getPaletteEntry } from "./palette";
import type { BoardActionResult, OffsetEdit } from "./types";

/** Options every action takes: how to parse the text (as given to `buildBoard`). */
export type ActionOptions = ParseOptions;

const fail = (reason: string): BoardActionResult => ({ ok: false, reason });

/** The index of `text` (the structured edits refuse a text whose braces do not pair up). */
function open(text: string, options: ActionOptions): DocumentIndex {
  return indexDocument(text, options);
}

function blockById(ix: DocumentIndex, id: string): IndexedBlock | undefined {
  const t = ix.byId.get(id);
  return t && t.kind === "block" ? ix.blocks[t.block] : undefined;
}

function itemById(ix: DocumentIndex, id: string): { block: IndexedBlock; index: number } | undefined {
  const t = ix.byId.get(id);
  if (!t || t.kind !== "item") return undefined;
  const block = ix.blocks[t.block];
  return block ? { block, index: t.index } : undefined;
}

/** The id of item `index` of block `block` in the text after the edits, when it is there. */
function itemIdAfter(text: string, options: ActionOptions, block: number, index: number): string | undefined {
  return indexDocument(text, options).blocks[block]?.itemIds[index];
}

/** Turns a structured-edit result into a board result. */
function finish(r: EditResult, extra: { behaviourChange?: string | undefined; focus?: string | undefined } = {}): BoardActionResult {
  if (!r.ok) return { ok: false, reason: r.reason };
  const out: BoardActionResult = { ok: true, title: r.title, edits: r.edits.map(toOffsetEdit) };
  if (extra.behaviourChange) out.behaviourChange = extra.behaviourChange;
  if (extra.focus) out.focus = extra.focus;
  return out;
}

function toOffsetEdit(e: { start: number; end: number; newText: string }): OffsetEdit {
  return { start: e.start, end: e.end, newText: e.newText };
}

/** A non-repeatable plugin that the target block already has (so adding another would not load), or null. */
function duplicateProblem(ix: DocumentIndex, block: IndexedBlock, name: string, ignoreIndex?: number): string | null {
  const spec = getPluginSpec(name);
  if (!spec || spec.repeatable) return null;
  const present = expandBody(ix.doc, block.node.body).some((e) => e.node.name.text === name && e.bodyIndex !== ignoreIndex);
  return present ? `'${block.node.keys.map((k) => k.text).join(" ")}' already has '${name}', which may appear only once in a server block.` : null;
}

/** The order-sensitive plugin names whose relative order differs between two bodies. */
function changedGroups(before: DocumentIndex, beforeBlock: number, after: DocumentIndex, afterBlock: number): string[] {
  const seq = (ix: DocumentIndex, block: number): Map<string, string[]> => {
    const m = new Map<string, string[]>();
    const b = ix.blocks[block];
    if (!b) return m;
    for (const e of expandBody(ix.doc, b.node.body)) {
      const n = e.node.name.text;
      if (!isOrderSensitive(n)) continue;
      const list = m.get(n) ?? [];
      list.push(contentOf(e.node));
      m.set(n, list);
    }
    return m;
  };
  const a = seq(before, beforeBlock);
  const z = seq(after, afterBlock);
  const out: string[] = [];
  for (const [name, list] of z) {
    const prev = a.get(name);
    if (!prev || list.length < 2) continue;
    // Same items, other order (an added or removed one is not a reorder).
    const sameSet = [...prev].sort().join("\n") === [...list].sort().join("\n");
    if (sameSet && prev.join("\n") !== list.join("\n")) out.push(name);
  }
  return out;
}

function reorderMessage(names: string[]): string | undefined {
  if (names.length === 0) return undefined;
  return names.map((n) => orderNoteOf(n) ?? "").join(" ");
}

function blockLabel(b: IndexedBlock): string {
  return b.node.keys.map((k) => k.text).join(" ");
}

// ---- directives ----------------------------------------------------------------------------------------------------

/**
 * Moves a directive (or import line), with its comments, to position `toIndex` of block `toBlockId` (default: its own
 * block). Reports a behaviour change when the move reorders an order-sensitive group (several `forward`...) or takes
 * the directive to another server block.
 */
export function moveDirective(
  text: string,
  params: { id: string; toBlockId?: string; toIndex: number },
  options: ActionOptions = {},
): BoardActionResult {
  const ix = open(text, options);
  const from = itemById(ix, params.id);
  if (!from) return fail(`There is no directive '${params.id}' on the board; it may have been changed in the text.`);
  const target = params.toBlockId === undefined ? from.block : blockById(ix, params.toBlockId);
  if (!target) return fail(`There is no server block '${params.toBlockId}' on the board.`);
  const item = from.block.node.body[from.index];
  const crossing = target !== from.block;
  if (crossing && item?.kind === "Directive") {
    const dup = duplicateProblem(ix, target, item.name.text);
    if (dup) return fail(dup);
  }
  const r = moveDirectiveEdit(
    text,
    { from: { block: from.block.index, directive: from.index }, to: { block: target.index, index: params.toIndex } },
    ix.parsed,
  );
  if (!r.ok || r.edits.length === 0) return finish(r);
  const next = applyEdits(text, r.edits);
  const after = indexDocument(next, options);
  const focus = after.blocks[target.index]?.itemIds[params.toIndex];
  const notes: string[] = [];
  if (crossing) {
    const name = item?.kind === "Directive" ? item.name.text : "import";
    notes.push(`'${name}' now belongs to '${blockLabel(target)}' instead of '${blockLabel(from.block)}': it applies to that block's queries.`);
    // Joining other occurrences of an order-sensitive plugin: where it lands among them matters.
    const joined = item?.kind === "Directive" && isOrderSensitive(item.name.text) && expandBody(ix.doc, target.node.body).some((e) => e.node.name.text === item.name.text);
    if (joined && item?.kind === "Directive") notes.push(orderNoteOf(item.name.text) as string);
  } else {
    const m = reorderMessage(changedGroups(ix, from.block.index, after, from.block.index));
    if (m) notes.push(m);
  }
  return finish(r, { behaviourChange: notes.length ? notes.join(" ") : undefined, focus });
}

/** Removes a directive (or import line) with its comments. */
export function removeDirective(text: string, params: { id: string }, options: ActionOptions = {}): BoardActionResult {
  const ix = open(text, options);
  const at = itemById(ix, params.id);
  if (!at) return fail(`There is no directive '${params.id}' on the board; it may have been changed in the text.`);
  const r = removeDirectiveEdit(text, { block: at.block.index, directive: at.index }, ix.parsed);
  if (!r.ok) return finish(r);
  const next = applyEdits(text, r.edits);
  const after = indexDocument(next, options).blocks[at.block.index];
  // Focus the neighbour that took its place (or the block when it is now empty).
  const focus = after ? (after.itemIds[Math.min(at.index, after.itemIds.length - 1)] ?? after.id) : undefined;
  return finish(r, { focus });
}

/**
 * Inserts a copy of a directive (without the comments above it) right after it, or at `toIndex` of block `toBlockId`.
 * Refused when the plugin may appear only once per block and the target already has it.
 */
export function duplicateDirective(
  text: string,
  params: { id: string; toBlockId?: string; toIndex?: number },
  options: ActionOptions = {},
): BoardActionResult {
  const ix = open(text, options);
  const at = itemById(ix, params.id);
  if (!at) return fail(`There is no directive '${params.id}' on the board; it may have been changed in the text.`);
  const item = at.block.node.body[at.index];
  if (!item || item.kind !== "Directive") return fail("Only directives can be duplicated.");
  const target = params.toBlockId === undefined ? at.block : blockById(ix, params.toBlockId);
  if (!target) return fail(`There is no server block '${params.toBlockId}' on the board.`);
  const dup = duplicateProblem(ix, target, item.name.text);
  if (dup) return fail(dup);
  const end = item.comment ? item.comment.start : item.end;
  const source = text.slice(item.start, end).trimEnd();
  const index = params.toIndex ?? (target === at.block ? at.index + 1 : executionIndex(target, item.name.text));
  const r = addDirective(text, { block: target.index, index, directive: source }, ix.parsed);
  if (!r.ok) return finish(r);
  return finish({ ...r, title: `Duplicate '${item.name.text}'` }, { focus: itemIdAfter(applyEdits(text, r.edits), options, target.index, index) });
}

/**
 * The position where a plugin keeps a block in execution order: before the first directive that runs after it (or
 * at the end).
 */
function executionIndex(block: IndexedBlock, name: string): number {
  const order = directiveOrder(name);
  if (order < 0) return block.node.body.length;
  const i = block.node.body.findIndex((it) => it.kind === "Directive" && directiveOrder(it.name.text) > order);
  return i < 0 ? block.node.body.length : i;
}

/**
 * Inserts a plugin with the palette's default text at `index` (default: where it keeps the block in execution
 * order). Refused for a plugin that may appear only once and is already there.
 */
export function insertPlugin(
  text: string,
  params: { blockId: string; plugin: string; index?: number; directiveText?: string },
  options: ActionOptions = {},
): BoardActionResult {
  const ix = open(text, options);
  const block = blockById(ix, params.blockId);
  if (!block) return fail(`There is no server block '${params.blockId}' on the board.`);
  const entry = getPaletteEntry(params.plugin);
  if (!entry && params.directiveText === undefined) return fail(`'${params.plugin}' is not a plugin of the catalog.`);
  const dup = duplicateProblem(ix, block, params.plugin);
  if (dup) return fail(dup);
  const index = params.index ?? executionIndex(block, params.plugin);
  const r = addDirective(text, { block: block.index, index, directive: params.directiveText ?? entry?.defaultText ?? params.plugin }, ix.parsed);
  if (!r.ok) return finish(r);
  return finish(r, { focus: itemIdAfter(applyEdits(text, r.edits), options, block.index, index) });
}

/**
 * Reorders a block's directives into execution order (plugin.cfg), keeping the relative order of repeated plugins (so
 * order-sensitive groups stay as they are). Import lines and unknown directives stay where they are; blank lines and
 * comments that belong to no directive stay in place too.
 */
export function sortBlockByExecutionOrder(text: string, params: { blockId: string }, options: ActionOptions = {}): BoardActionResult {
  const ix = open(text, options);
  const block = blockById(ix, params.blockId);
  if (!block) return fail(`There is no server block '${params.blockId}' on the board.`);
  const lines = createLineReader(text, ix.parsed);
  const body = block.node.body;
  const slots: { start: number; end: number; order: number; i: number }[] = [];
  for (let i = 0; i < body.length; i++) {
    const it = body[i];
    if (!it || it.kind !== "Directive") continue;
    const order = directiveOrder(it.name.text);
    if (order < 0) continue;
    const ext = lines.itemLines(it);
    if (!ext) return fail(`'${it.name.text}' shares its line with something else; format the Corefile first.`);
    if (!text.slice(ext.start, ext.end).endsWith("\n")) return fail("The block's last line has no line break; format the Corefile first.");
    slots.push({ ...ext, order, i });
  }
  const sorted = [...slots].sort((a, b) => a.order - b.order || a.i - b.i);
  const edits: OffsetEdit[] = [];
  slots.forEach((slot, k) => {
    const src = sorted[k];
    if (!src || src === slot) return;
    edits.push({ start: slot.start, end: slot.end, newText: text.slice(src.start, src.end) });
  });
  const title = `Sort '${blockLabel(block)}' by execution order`;
  if (edits.length === 0) return { ok: true, title, edits, focus: block.id };
  const after = indexDocument(applyEdits(text, edits), options);
  const out: BoardActionResult = { ok: true, title, edits, focus: after.blocks[block.index]?.id ?? block.id };
  // Sorting is stable, so only an import line between two occurrences can reorder a group.
  const change = reorderMessage(changedGroups(ix, block.index, after, block.index));
  if (change) out.behaviourChange = change;
  return out;
}

// ---- server blocks -------------------------------------------------------------------------------------------------

/**
 * Moves a server block (with its comments) to position `toIndex` among server blocks. Server blocks are matched to
 * queries by zone, not by position, so this changes nothing for CoreDNS, except among blocks that share a transport,
 * zone and port and are told apart by `view`: those are tried top to bottom, and the result says so.
 */
export function moveBlock(text: string, params: { id: string; toIndex: number }, options: ActionOptions = {}): BoardActionResult {
  const ix = open(text, options);
  const block = blockById(ix, params.id);
  if (!block) return fail(`There is no server block '${params.id}' on the board.`);
  const r = moveServerBlock(text, { from: block.index, to: params.toIndex }, ix.parsed);
  if (!r.ok || r.edits.length === 0) return finish(r);
  const after = indexDocument(applyEdits(text, r.edits), options);
  const before = viewOrder(ix);
  const now = viewOrder(after);
  const changed = [...now].some(([key, seq]) => before.get(key) !== undefined && before.get(key) !== seq);
  return finish(r, { behaviourChange: changed ? VIEW_ORDER_NOTE : undefined, focus: after.blocks[params.toIndex]?.id });
}

/** For each view-decided listener, the blocks' contents in file order. */
function viewOrder(ix: DocumentIndex): Map<string, string> {
  const m = new Map<string, string>();
  for (const g of viewGroups(ix)) m.set(g.key, g.blocks.map((i) => contentOf(ix.blocks[i]?.node ?? { children: [] })).join("\n\u0000"));
  return m;
}

/** Keys CoreDNS rejects, or that another block already serves, as a reason; null when fine. */
function keysProblem(ix: DocumentIndex, keys: readonly string[], ignore?: IndexedBlock): string | null {
  if (keys.length === 0) return "A server block needs at least one key, such as '.:53' or 'example.org'.";
  const wanted: string[] = [];
  for (const k of keys) {
    const n = normalizeServerKey(k);
    if ("error" in n) return `'${k}' is not a valid server block key: ${n.error}.`;
    for (const z of n.zones) wanted.push(`${n.transport}://${z}:${n.port}`);
  }
  for (const b of ix.blocks) {
    if (b === ignore) continue;
    const taken = listenerKeys(b.node).find((k) => wanted.includes(k));
    if (taken) return `'${blockLabel(b)}' already serves ${taken}; two blocks may share it only when they use 'view'.`;
  }
  return null;
}

/** Adds a server block with `keys` (and optional directive lines) at `index` among server blocks (default: last). */
export function addBlock(
  text: string,
  params: { keys: readonly string[]; index?: number; body?: string },
  options: ActionOptions = {},
): BoardActionResult {
  const ix = open(text, options);
  const problem = keysProblem(ix, params.keys);
  if (problem) return fail(problem);
  const index = params.index ?? ix.blocks.length;
  const r = addServerBlock(text, { keys: params.keys, index, ...(params.body !== undefined ? { body: params.body } : {}) }, ix.parsed);
  if (!r.ok) return finish(r);
  return finish(r, { focus: indexDocument(applyEdits(text, r.edits), options).blocks[index]?.id });
}

/** Replaces a server block's keys. */
export function setBlockKeys(text: string, params: { id: string; keys: readonly string[] }, options: ActionOptions = {}): BoardActionResult {
  const ix = open(text, options);
  const block = blockById(ix, params.id);
  if (!block) return fail(`There is no server block '${params.id}' on the board.`);
  const problem = keysProblem(ix, params.keys, block);
  if (problem) return fail(problem);
  const r = setServerBlockKeys(text, { block: block.index, keys: params.keys }, ix.parsed);
  if (!r.ok) return finish(r);
  return finish(r, { focus: indexDocument(applyEdits(text, r.edits), options).blocks[block.index]?.id });
}
