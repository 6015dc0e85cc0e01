"use client";

import { useDraggable } from "@dnd-kit/core";
import { useDeferredValue, useId, useMemo, useState } from "react";
import { listPalette, type PaletteEntry, type ServerBlockCard } from "@/lib/board";
import { paletteDragId, type DragData } from "./dnd";
import { GROUP_STYLES, SMALL_BUTTON } from "./styles";

type PaletteProps = {
  blocks: readonly ServerBlockCard[];
  targetBlockId: string | null;
  onTargetChange(blockId: string): void;
  onInsert(plugin: string, blockId: string): void;
  onClose(): void;
};

/** Why a plugin cannot go into the target block, or null. */
function blockedReason(entry: PaletteEntry, block: ServerBlockCard | undefined): string | null {
  if (!block) return "Add a server block first.";
  if (!entry.repeatable && block.items.some((c) => c.kind === "directive" && c.name === entry.name)) return "already in this block";
  return null;
}

function PaletteItem({ entry, block, onInsert }: { entry: PaletteEntry; block: ServerBlockCard | undefined; onInsert(plugin: string): void }) {
  const data: DragData = { type: "palette", plugin: entry.name };
  const blocked = blockedReason(entry, block);
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: paletteDragId(entry.name), data, disabled: blocked !== null });
  const transportNote = entry.transport && block && !block.keys.some((k) => k.transport === entry.transport) ? `only for ${entry.transport}:// blocks` : null;
  return (
    <li className={`rounded-md border border-l-4 border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900 ${GROUP_STYLES[entry.group].edge} ${isDragging ? "opacity-50" : ""}`}>
      <div className="flex items-start gap-2 px-2 py-1.5">
        <span
          ref={setNodeRef}
          {...attributes}
          {...listeners}
          tabIndex={-1}
          aria-hidden
          className={`mt-0.5 select-none text-slate-400 dark:text-slate-500 ${blocked ? "" : "cursor-grab active:cursor-grabbing"}`}
          title={blocked ? undefined : "Drag onto a block or a card"}
        >
          ⠿
        </span>
        <div className="min-w-0 flex-1" title={entry.summary}>
          <p className="font-mono text-sm font-semibold">{entry.name}</p>
          <p className="text-xs text-slate-600 dark:text-slate-400">{entry.blurb}</p>
          {entry.needsInput ? <p className="text-[11px] text-amber-800 dark:text-amber-300">Fill in afterwards: {entry.needsInput}</p> : null}
          {transportNote ? <p className="text-[11px] text-red-800 dark:text-red-300">{transportNote}</p> : null}
        </div>
        <button
          type="button"
          className={SMALL_BUTTON}
          disabled={blocked !== null}
          title={blocked ?? undefined}
          aria-label={`Insert ${entry.name} into ${block?.title ?? "no block"}${blocked ? ` (${blocked})` : ""}`}
          onClick={() => onInsert(entry.name)}
        >
          Insert
        </button>
      </div>
    </li>
  );
}

/** Every plugin of the catalog, searchable and grouped; insert by button, or drag onto a block or a card. */
export function PalettePanel({ blocks, targetBlockId, onTargetChange, onInsert, onClose }: PaletteProps) {
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search);
  const groups = useMemo(() => listPalette(deferredSearch), [deferredSearch]);
  const searchId = useId();
  const targetId = useId();
  const target = blocks.find((b) => b.id === targetBlockId) ?? blocks[0];
  return (
    <div className="flex h-full flex-col gap-2">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">Plugins</h3>
        <button type="button" className={SMALL_BUTTON} onClick={onClose} aria-label="Close the plugin palette">
          Close
        </button>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={targetId} className="text-xs font-medium text-slate-700 dark:text-slate-300">
          Insert into
        </label>
        <select
          id={targetId}
          value={target?.id ?? ""}
          onChange={(e) => onTargetChange(e.target.value)}
          className="rounded border border-slate-300 bg-white px-2 py-1 font-mono text-sm dark:border-slate-600 dark:bg-slate-950"
        >
          {blocks.map((b) => (
            <option key={b.id} value={b.id}>
              {b.title}
            </option>
          ))}
        </select>
        <p className="text-[11px] text-slate-500 dark:text-slate-400">Insert puts it where the block stays in execution order; dragging puts it where you drop it.</p>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={searchId} className="text-xs font-medium text-slate-700 dark:text-slate-300">
          Search plugins
        </label>
        <input
          id={searchId}
          type="search"
          autoFocus
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="cache, forward, block a name…"
          className="rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-950"
        />
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto pr-1">
        <p role="status" className="sr-only">
          {groups.reduce((n, g) => n + g.entries.length, 0)} plugins shown
        </p>
        {groups.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No plugin matches “{search}”.</p> : null}
        {groups.map((g) => (
          <section key={g.group} aria-label={g.label} className="mb-3">
            <h4 className="mb-1 flex items-center gap-1.5 text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400">
              <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${GROUP_STYLES[g.group].dot}`} />
              {g.label}
            </h4>
            <ul className="flex flex-col gap-1">
              {g.entries.map((entry) => (
                <PaletteItem key={entry.name} entry={entry} block={target} onInsert={(plugin) => target && onInsert(plugin, target.id)} />
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
