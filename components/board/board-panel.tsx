"use client";

/**
 * The visual pipeline editor: the Corefile's server blocks as cards, their directives in text order, and beside them
 * the order CoreDNS really runs them. Every gesture is a lib/board action whose minimal edits go through the text
 * editor's model (one undoable step), so the text stays the one document; the board is rebuilt from the new text.
 */
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type DragStartEvent,
  type ScreenReaderInstructions,
} from "@dnd-kit/core";
import { SortableContext, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { useCallback, useEffect, useMemo, useState, type Dispatch, type SetStateAction } from "react";
import {
  addBlock,
  duplicateDirective,
  getPaletteEntry,
  insertPlugin,
  moveBlock,
  moveDirective,
  removeDirective,
  setBlockKeys,
  sortBlockByExecutionOrder,
  type Board,
  type BoardActionResult,
  type BodyCard,
  type ServerBlockCard,
  type SourceRange,
} from "@/lib/board";
import type { OffsetEdit } from "@/lib/corefile-language";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button-class";
import { PluginFormPanel } from "@/components/plugin-forms/plugin-form-panel";
import { BoardHandlersContext, type BoardHandlers } from "./board-context";
import { cardName } from "./directive-card";
import { boardKeyboardCoordinates, dataOf, detectBoardCollisions, type DragData } from "./dnd";
import { PalettePanel } from "./palette-panel";
import { blockSignature, ServerBlock } from "./server-block-card";
import { SMALL_BUTTON } from "./styles";
import { useBoardModel, WORKER_THRESHOLD_CHARS, type BoardModel } from "./use-board-model";

export type BoardPanelProps = {
  /** The Corefile as the text editor holds it now. */
  text: string;
  /** Applies edits (by offsets into `text`) to the text editor as one undoable step. */
  onApplyEdits(edits: readonly OffsetEdit[], focus?: { line: number; column: number }): void;
  /** Shows a position in the text editor. */
  onReveal(line: number, column: number): void;
  /** Undo and redo in the text editor (the board and the text share one history). */
  onUndo(): void;
  onRedo(): void;
  /** "all" expands every block at first; by default a large board starts with most blocks collapsed. */
  initialExpansion?: "auto" | "all";
};

/** Above these sizes the board starts collapsed (except the first blocks), so it opens fast and stays light. */
const LARGE_BOARD_BLOCKS = 24;
const LARGE_BOARD_ITEMS = 250;
const EXPANDED_WHEN_LARGE = 3;

type Status = { tone: "info" | "warning" | "error"; title: string; body?: string };
type Drawer = { kind: "palette"; blockId: string | null } | { kind: "form"; directiveId: string } | null;

/** Where each id of the board is: cards with their block, blocks with their position. */
type Lookup = {
  blocks: ServerBlockCard[];
  blockById: Map<string, ServerBlockCard>;
  cardById: Map<string, { card: BodyCard; block: ServerBlockCard }>;
  rangeById: Map<string, SourceRange>;
};

function indexBoard(board: Board): Lookup {
  const blocks: ServerBlockCard[] = [];
  const blockById = new Map<string, ServerBlockCard>();
  const cardById = new Map<string, { card: BodyCard; block: ServerBlockCard }>();
  const rangeById = new Map<string, SourceRange>();
  for (const item of board.items) {
    rangeById.set(item.id, item.range);
    if (item.kind !== "server") continue;
    blocks.push(item);
    blockById.set(item.id, item);
    for (const card of item.items) {
      cardById.set(card.id, { card, block: item });
      rangeById.set(card.id, card.range);
    }
  }
  return { blocks, blockById, cardById, rangeById };
}

const SCREEN_READER_INSTRUCTIONS: ScreenReaderInstructions = {
  draggable:
    "To move this item, press Space. While moving, use the arrow keys to choose where it goes, Space to drop it there, or Escape to cancel. Press Enter to edit a plugin.",
};

/** Announcements in words, from the board's own names and positions. */
function createAnnouncements(session: BoardSession): Announcements {
  const describe = (id: string | number): string => {
    const lookup = session.latest.lookup;
    const key = String(id);
    if (key.startsWith("palette:")) return `plugin ${key.slice("palette:".length)} from the palette`;
    const block = lookup?.blockById.get(key);
    if (block) return `server block ${block.title}`;
    const at = lookup?.cardById.get(key);
    return at ? cardName(at.card) : "item";
  };
  const where = (id: string | number, activeId: string | number): string => {
    const lookup = session.latest.lookup;
    const key = String(id);
    const block = lookup?.blockById.get(key);
    if (block) return `position ${block.index + 1} of ${lookup?.blocks.length ?? 0}`;
    if (key.startsWith("body:")) {
      const target = lookup?.blockById.get(key.slice("body:".length));
      return target ? `the end of block ${target.title}` : "a block";
    }
    const at = lookup?.cardById.get(key);
    if (!at) return "nowhere";
    const from = lookup?.cardById.get(String(activeId));
    const isSameBlock = from?.block.id === at.block.id;
    const count = at.block.items.length + (isSameBlock ? 0 : 1);
    return `position ${at.card.index + 1} of ${count} in block ${at.block.title}`;
  };
  return {
    onDragStart: ({ active }) => {
      const lookup = session.latest.lookup;
      const at = lookup?.cardById.get(String(active.id));
      const block = lookup?.blockById.get(String(active.id));
      if (at) return `Picked up ${cardName(at.card)}, position ${at.card.index + 1} of ${at.block.items.length} in block ${at.block.title}.`;
      if (block) return `Picked up server block ${block.title}, position ${block.index + 1} of ${lookup?.blocks.length ?? 0}.`;
      return `Picked up ${describe(active.id)}.`;
    },
    onDragOver: ({ active, over }) => (over ? `${describe(active.id)} is over ${where(over.id, active.id)}.` : `${describe(active.id)} is no longer over a place it can go.`),
    onDragEnd: ({ active }) => session.dropMessage || `${describe(active.id)} was dropped.`,
    onDragCancel: ({ active }) => `Moving ${describe(active.id)} was cancelled; it stays where it was.`,
  };
}

/** The board. */
export function BoardPanel({ text, onApplyEdits, onReveal, onUndo, onRedo, initialExpansion = "auto" }: BoardPanelProps) {
  const model = useBoardModel(text);
  const board = model?.board;
  const lookup = useMemo(() => (board ? indexBoard(board) : null), [board]);
  const isStale = model?.builtFrom !== text;

  const [status, setStatus] = useState<Status | null>(null);
  const [drawer, setDrawer] = useState<Drawer>(null);
  const [expanded, setExpanded] = useState<Record<string, boolean>>({});
  const [activeDrag, setActiveDrag] = useState<DragData | null>(null);
  const [newKeys, setNewKeys] = useState("");

  // The newest values, for handlers that outlive a render (memoised blocks keep the first handlers object).
  const [session] = useState(() => new BoardSession(setStatus, setDrawer, setExpanded));
  useEffect(() => {
    session.remember({ text, model, lookup, onApplyEdits, onReveal });
  });
  const announcements = useMemo(() => createAnnouncements(session), [session]);
  const handlers = useMemo(() => createHandlers(session), [session]);

  // After an action the board is rebuilt from the new text: put the focus on the card the action names.
  useEffect(() => {
    const id = session.pendingFocus;
    if (!id || !model || model.builtFrom !== text) return;
    const el = document.querySelector<HTMLElement>(`[data-activator-id="${CSS.escape(id)}"]`);
    if (!el) return;
    session.takeFocus();
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
  }, [model, text, session]);

  // The form drawer takes the focus when it opens (a stable ref callback, so re-renders do not steal it back).
  const focusOnMount = useCallback((el: HTMLElement | null) => el?.focus(), []);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: boardKeyboardCoordinates,
      keyboardCodes: { start: ["Space"], cancel: ["Escape"], end: ["Space", "Enter"] },
    }),
  );

  if (!board || !lookup) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">Building the board…</p>;
  }

  // Offsets in the board are offsets into the text it was built from.
  const builtFrom = model?.builtFrom ?? text;
  const isLarge = lookup.blocks.length > LARGE_BOARD_BLOCKS || lookup.cardById.size > LARGE_BOARD_ITEMS;
  const isExpanded = (block: ServerBlockCard): boolean =>
    expanded[block.id] ?? (initialExpansion === "all" || !isLarge || block.index < EXPANDED_WHEN_LARGE);

  function run(compute: (current: string) => BoardActionResult, message?: (r: BoardActionResult & { ok: true }) => string): BoardActionResult | null {
    return runAction(session, compute, message);
  }

  function handleDragStart(event: DragStartEvent) {
    session.startDrag();
    setActiveDrag(dataOf(event.active) ?? null);
  }

  function handleDragEnd({ active, over }: DragEndEvent) {
    setActiveDrag(null);
    session.endDrag();
    const from = dataOf(active);
    const to = over ? dataOf(over) : undefined;
    const lk = lookup as Lookup;
    if (!from || !to || !over) {
      session.say("Dropped where nothing can go; nothing changed.");
      return;
    }
    if (from.type === "block" && to.type === "block") {
      const target = lk.blockById.get(to.blockId);
      const moving = lk.blockById.get(from.blockId);
      if (!target || !moving || target.id === moving.id) {
        session.say(`Server block ${moving?.title ?? ""} stays where it was.`);
        return;
      }
      const r = run(
        (t) => moveBlock(t, { id: moving.id, toIndex: target.index }),
        () => `Moved server block ${moving.title} to position ${target.index + 1} of ${lk.blocks.length}.`,
      );
      session.say(describeOutcome(r, `Moved server block ${moving.title} to position ${target.index + 1} of ${lk.blocks.length}.`));
      return;
    }
    const targetBlock = lk.blockById.get("blockId" in to ? to.blockId : "");
    if (!targetBlock) return;
    const overCard = to.type === "directive" ? lk.cardById.get(to.cardId) : undefined;
    if (from.type === "directive") {
      const moving = lk.cardById.get(from.cardId);
      if (!moving) return;
      const isSameBlock = moving.block.id === targetBlock.id;
      if (overCard && overCard.card.id === moving.card.id) {
        session.say(`${cardName(moving.card)} stays at position ${moving.card.index + 1} of block ${targetBlock.title}.`);
        return;
      }
      const toIndex = overCard ? overCard.card.index : isSameBlock ? targetBlock.items.length - 1 : targetBlock.items.length;
      const count = targetBlock.items.length + (isSameBlock ? 0 : 1);
      const words = `Moved ${cardName(moving.card)} to position ${toIndex + 1} of ${count} in block ${targetBlock.title}.`;
      if (!isSameBlock) setExpanded((e) => ({ ...e, [targetBlock.id]: true }));
      const r = run((t) => moveDirective(t, { id: moving.card.id, toIndex, ...(isSameBlock ? {} : { toBlockId: targetBlock.id }) }), () => words);
      session.say(describeOutcome(r, words));
      return;
    }
    if (from.type === "palette") {
      setExpanded((e) => ({ ...e, [targetBlock.id]: true }));
      const r = run(
        (t) => insertPlugin(t, { blockId: targetBlock.id, plugin: from.plugin, ...(overCard ? { index: overCard.card.index } : {}) }),
        () => `Added ${from.plugin} to block ${targetBlock.title}.`,
      );
      session.say(describeOutcome(r, `Added ${from.plugin} to block ${targetBlock.title}.`));
    }
  }

  const serverIds = lookup.blocks.map((b) => b.id);
  const others = board.items.filter((i) => i.kind !== "server");
  const formDirective = drawer?.kind === "form" ? drawer.directiveId : null;

  return (
    <BoardHandlersContext.Provider value={handlers}>
      <div className="flex flex-col gap-3" data-testid="board">
        <div role="toolbar" aria-label="Board actions" className="flex flex-wrap items-center gap-2">
          <button type="button" className={buttonClass()} onClick={onUndo} aria-label="Undo the last change (board or text)">
            Undo
          </button>
          <button type="button" className={buttonClass()} onClick={onRedo} aria-label="Redo">
            Redo
          </button>
          <button
            type="button"
            className={buttonClass()}
            disabled={board.status !== "ok" || lookup.blocks.length === 0}
            aria-expanded={drawer?.kind === "palette"}
            onClick={() => setDrawer(drawer?.kind === "palette" ? null : { kind: "palette", blockId: lookup.blocks[0]?.id ?? null })}
          >
            Plugin palette
          </button>
          {lookup.blocks.length > 1 ? (
            <>
              <button type="button" className={SMALL_BUTTON} onClick={() => setExpanded(Object.fromEntries(lookup.blocks.map((b) => [b.id, true])))}>
                Expand all
              </button>
              <button type="button" className={SMALL_BUTTON} onClick={() => setExpanded(Object.fromEntries(lookup.blocks.map((b) => [b.id, false])))}>
                Collapse all
              </button>
            </>
          ) : null}
          {isStale && text.length > WORKER_THRESHOLD_CHARS ? <span className="text-xs text-slate-500 dark:text-slate-400">Catching up with the text…</span> : null}
        </div>

        <div role="status" aria-live="polite" data-testid="board-status" className="min-h-5 text-sm">
          {status ? (
            <p
              className={
                status.tone === "error"
                  ? "text-red-800 dark:text-red-300"
                  : status.tone === "warning"
                    ? "rounded border border-amber-300 bg-amber-50 px-2 py-1 text-amber-950 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100"
                    : "text-slate-700 dark:text-slate-300"
              }
            >
              <span className="font-semibold">{status.title}</span>
              {status.body ? <span> {status.body}</span> : null}
            </p>
          ) : null}
        </div>

        {board.status === "read-only" && board.error ? (
          <Alert tone="error" title="The board is read-only: the text does not parse">
            <p>
              Line {board.error.line}, column {board.error.column}: {board.error.message}
            </p>
            <p className="mt-1">Fix it in the text; the board comes back as soon as the structure is sound.</p>
            <button type="button" className={`${buttonClass()} mt-2`} onClick={() => onReveal(board.error?.line ?? 1, board.error?.column ?? 1)}>
              Show in text
            </button>
          </Alert>
        ) : (
          <>
            {board.corednsError ? (
              <Alert tone="warning" title="CoreDNS would refuse this Corefile">
                <p>
                  Line {board.corednsError.line}, column {board.corednsError.column}: {board.corednsError.message}
                </p>
                <button type="button" className={`${buttonClass()} mt-2`} onClick={() => onReveal(board.corednsError?.line ?? 1, board.corednsError?.column ?? 1)}>
                  Show in text
                </button>
              </Alert>
            ) : null}
            <p className="text-xs text-slate-600 dark:text-slate-400">
              Cards are in text order. CoreDNS runs a block&apos;s plugins in its own fixed order (shown beside each block), so moving
              different plugins around changes only the text; the board says so where the order does matter.
            </p>
            <DndContext
              sensors={sensors}
              collisionDetection={detectBoardCollisions}
              accessibility={{ announcements, screenReaderInstructions: SCREEN_READER_INSTRUCTIONS }}
              onDragStart={handleDragStart}
              onDragEnd={handleDragEnd}
              onDragCancel={() => setActiveDrag(null)}
            >
              <SortableContext id="server-blocks" items={serverIds} strategy={verticalListSortingStrategy}>
                <ul className="flex flex-col gap-3" aria-label="Server blocks">
                  {lookup.blocks.map((block) => (
                    <ServerBlock
                      key={block.id}
                      block={block}
                      signature={blockSignature(builtFrom, block)}
                      isExpanded={isExpanded(block)}
                      blockCount={lookup.blocks.length}
                    />
                  ))}
                </ul>
              </SortableContext>
              {drawer?.kind === "palette" ? (
                <aside
                  aria-label="Plugin palette"
                  className="fixed top-16 right-4 bottom-4 z-30 flex w-80 flex-col rounded-lg border border-slate-300 bg-white p-3 shadow-xl dark:border-slate-700 dark:bg-slate-900"
                >
                  <PalettePanel
                    blocks={lookup.blocks}
                    targetBlockId={drawer.blockId}
                    onTargetChange={(blockId) => setDrawer({ kind: "palette", blockId })}
                    onInsert={(plugin, blockId) => {
                      const block = lookup.blockById.get(blockId);
                      const needs = getPaletteEntry(plugin)?.needsInput;
                      setExpanded((e) => ({ ...e, [blockId]: true }));
                      run(
                        (t) => insertPlugin(t, { blockId, plugin }),
                        () => `Added ${plugin} to block ${block?.title ?? ""}${needs ? `; fill in ${needs} (Edit on its card)` : ""}.`,
                      );
                    }}
                    onClose={() => setDrawer(null)}
                  />
                </aside>
              ) : null}
              <DragOverlay dropAnimation={null}>{activeDrag ? <DragChip data={activeDrag} lookup={lookup} /> : null}</DragOverlay>
            </DndContext>

            <AddBlockForm
              value={newKeys}
              onChange={setNewKeys}
              onAdd={(keys) => {
                const r = run((t) => addBlock(t, { keys }), () => `Added server block ${keys.join(" ")}.`);
                if (r?.ok) setNewKeys("");
              }}
            />

            {others.length > 0 ? (
              <section aria-label="Snippets and imports" className="flex flex-col gap-2">
                <h3 className="text-sm font-semibold">Snippets and file imports</h3>
                <ul className="flex flex-col gap-1.5">
                  {others.map((item) => (
                    <li key={item.id} className="flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900">
                      {item.kind === "snippet" ? (
                        <span>
                          <span className="font-mono font-semibold">({item.name})</span>{" "}
                          <span className="text-slate-600 dark:text-slate-400">
                            snippet: {item.directives.join(", ") || "empty"}; imported by {item.usedBy.length} block{item.usedBy.length === 1 ? "" : "s"}
                          </span>
                        </span>
                      ) : item.kind === "import" ? (
                        <span className="font-mono">import {item.target}</span>
                      ) : null}
                      <button type="button" className={`${SMALL_BUTTON} ml-auto`} onClick={() => handlers.reveal(item.id)}>
                        Show in text
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
          </>
        )}

        {formDirective ? (
          <aside
            key={formDirective}
            ref={focusOnMount}
            tabIndex={-1}
            onKeyDown={(event) => {
              if (event.key === "Escape") handlers.closeForm();
            }}
            role="dialog"
            aria-modal="false"
            aria-label={`Edit ${lookup.cardById.get(formDirective) ? cardName((lookup.cardById.get(formDirective) as { card: BodyCard }).card) : "plugin"}`}
            className="fixed top-16 right-4 bottom-4 z-30 flex w-[28rem] max-w-[calc(100vw-2rem)] flex-col overflow-y-auto rounded-lg border border-slate-300 bg-white p-3 shadow-xl dark:border-slate-700 dark:bg-slate-900"
          >
            <div className="sticky -top-3 z-10 -mx-3 -mt-3 mb-2 flex items-center justify-between border-b border-slate-200 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900">
              <h3 className="text-sm font-semibold">
                Plugin form <span className="font-normal text-slate-600 dark:text-slate-400">(Escape closes)</span>
              </h3>
              <button type="button" className={SMALL_BUTTON} onClick={() => handlers.closeForm()} aria-label="Close the plugin form">
                Close
              </button>
            </div>
            <PluginFormPanel text={text} directiveId={formDirective} onApplyEdits={onApplyEdits} onClose={() => handlers.closeForm()} />
          </aside>
        ) : null}
      </div>
    </BoardHandlersContext.Provider>
  );
}

function describeOutcome(r: BoardActionResult | null, words: string): string {
  if (!r) return "The board is catching up with the text; nothing changed.";
  if (!r.ok) return `Not moved: ${r.reason}`;
  return r.behaviourChange ? `${words} ${r.behaviourChange}` : words;
}

function DragChip({ data, lookup }: { data: DragData; lookup: Lookup }) {
  let label = "";
  if (data.type === "block") label = lookup.blockById.get(data.blockId)?.title ?? "block";
  else if (data.type === "directive") {
    const at = lookup.cardById.get(data.cardId);
    label = at ? cardName(at.card) : "plugin";
  } else if (data.type === "palette") label = `+ ${data.plugin}`;
  return (
    <div className="inline-flex rounded-md border border-sky-500 bg-white px-2 py-1 whitespace-nowrap font-mono text-sm font-semibold shadow-lg dark:border-sky-400 dark:bg-slate-900">
      {label}
    </div>
  );
}

function AddBlockForm({ value, onChange, onAdd }: { value: string; onChange(v: string): void; onAdd(keys: string[]): void }) {
  return (
    <form
      className="flex flex-wrap items-end gap-2 rounded-md border border-dashed border-slate-300 p-2 dark:border-slate-700"
      onSubmit={(event) => {
        event.preventDefault();
        const keys = value.split(/[\s,]+/).filter(Boolean);
        onAdd(keys);
      }}
    >
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-700 dark:text-slate-300">
        New server block keys
        <input
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder="example.org:53 or tls://.:853"
          className="w-64 rounded border border-slate-300 bg-white px-2 py-1 font-mono text-sm font-normal dark:border-slate-600 dark:bg-slate-950"
        />
      </label>
      <button type="submit" className={buttonClass()} disabled={value.trim() === ""}>
        Add server block
      </button>
    </form>
  );
}

/** What the board's handlers share across renders: the newest props and model, and what a drag leaves behind. */
class BoardSession {
  latest: {
    text: string;
    model: BoardModel | null;
    lookup: Lookup | null;
    onApplyEdits: BoardPanelProps["onApplyEdits"];
    onReveal: BoardPanelProps["onReveal"];
  } = { text: "", model: null, lookup: null, onApplyEdits: () => {}, onReveal: () => {} };
  /** The card to focus once the board of the edited text is rendered. */
  pendingFocus: string | null = null;
  /** What the screen reader hears when a drop ends (set by the drop handler, read by the announcement). */
  dropMessage = "";
  lastDragEnd = 0;
  /** The card whose form is open, to give it the focus back. */
  formOpenedFrom: string | null = null;
  remember(latest: BoardSession["latest"]): void {
    this.latest = latest;
  }
  takeFocus(): void {
    this.pendingFocus = null;
  }
  startDrag(): void {
    this.dropMessage = "";
  }
  endDrag(): void {
    this.lastDragEnd = Date.now();
  }
  say(words: string): void {
    this.dropMessage = words;
  }
  constructor(
    readonly setStatus: Dispatch<SetStateAction<Status | null>>,
    readonly setDrawer: Dispatch<SetStateAction<Drawer>>,
    readonly setExpanded: Dispatch<SetStateAction<Record<string, boolean>>>,
  ) {}
}

/**
 * Runs a board action on the newest text, applies its edits through the text editor, and reports the outcome in the
 * status line (a change of behaviour in words, or why it could not be done). Refuses while the board lags behind the
 * text, so ids and indexes always belong to the text they are applied to.
 */
function runAction(
  deps: BoardSession,
  compute: (current: string) => BoardActionResult,
  message?: (r: BoardActionResult & { ok: true }) => string,
): BoardActionResult | null {
  const { text, model, onApplyEdits } = deps.latest;
  if (!model || model.builtFrom !== text) {
    deps.setStatus({ tone: "warning", title: "The board is catching up with your typing.", body: "Try again in a moment." });
    return null;
  }
  const r = compute(text);
  if (!r.ok) {
    deps.setStatus({ tone: "error", title: "Not done:", body: r.reason });
    return r;
  }
  if (r.edits.length === 0) {
    deps.setStatus({ tone: "info", title: "Nothing to change." });
    return r;
  }
  onApplyEdits(r.edits);
  const words = message ? message(r) : `${r.title}.`;
  deps.setStatus(
    r.behaviourChange
      ? { tone: "warning", title: `${words} This changes what CoreDNS does:`, body: r.behaviourChange }
      : { tone: "info", title: words, body: "Undo (Ctrl+Z or the Undo button) takes it back." },
  );
  if (r.focus) deps.pendingFocus = r.focus;
  return r;
}

function createHandlers(deps: BoardSession): BoardHandlers {
  const { setDrawer, setExpanded } = deps;
  const focusById = (id: string) => {
    const el = document.querySelector<HTMLElement>(`[data-activator-id="${CSS.escape(id)}"]`);
    el?.focus({ preventScroll: true });
    el?.scrollIntoView({ block: "nearest" });
    return el !== null;
  };
  return {
    edit(cardId) {
      // A drag that ends over the card must not also open it.
      if (Date.now() - deps.lastDragEnd < 300) return;
      deps.formOpenedFrom = cardId;
      setDrawer({ kind: "form", directiveId: cardId });
    },
    closeForm() {
      setDrawer(null);
      if (deps.formOpenedFrom) focusById(deps.formOpenedFrom);
      deps.formOpenedFrom = null;
    },
    duplicate(cardId) {
      const at = deps.latest.lookup?.cardById.get(cardId);
      runAction(deps, (t) => duplicateDirective(t, { id: cardId }), () => `Duplicated ${at ? cardName(at.card) : "the plugin"}.`);
    },
    remove(cardId) {
      const at = deps.latest.lookup?.cardById.get(cardId);
      runAction(deps, (t) => removeDirective(t, { id: cardId }), () => `Removed ${at ? cardName(at.card) : "the plugin"} from block ${at?.block.title ?? ""}.`);
    },
    reveal(id) {
      const range = deps.latest.lookup?.rangeById.get(id);
      if (range) deps.latest.onReveal(range.startLine, range.startColumn);
    },
    openPalette(blockId) {
      setDrawer({ kind: "palette", blockId });
    },
    sort(blockId) {
      const block = deps.latest.lookup?.blockById.get(blockId);
      runAction(deps, (t) => sortBlockByExecutionOrder(t, { blockId }), () => `Sorted ${block?.title ?? "the block"} by execution order.`);
    },
    toggleBlock(blockId) {
      setExpanded((e) => {
        const lookup = deps.latest.lookup;
        const block = lookup?.blockById.get(blockId);
        const isLarge = (lookup?.blocks.length ?? 0) > LARGE_BOARD_BLOCKS || (lookup?.cardById.size ?? 0) > LARGE_BOARD_ITEMS;
        const current = e[blockId] ?? (!isLarge || (block?.index ?? 99) < EXPANDED_WHEN_LARGE);
        return { ...e, [blockId]: !current };
      });
    },
    focusCard(cardId) {
      focusById(cardId);
    },
    renameBlock(blockId, keys) {
      const r = runAction(deps, (t) => setBlockKeys(t, { id: blockId, keys: keys.split(/[\s,]+/).filter(Boolean) }), () => `Changed the keys to ${keys.trim()}.`);
      return r?.ok === true;
    },
  };
}
