"use client";

import { useDroppable } from "@dnd-kit/core";
import { SortableContext, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { memo, useState } from "react";
import type { BlockKey, ServerBlockCard } from "@/lib/board";
import { useBoardHandlers } from "./board-context";
import { DirectiveCardView } from "./directive-card";
import { bodyDropId, listId, type DragData } from "./dnd";
import { PipelineColumn } from "./pipeline-column";
import { CHIP, SMALL_BUTTON } from "./styles";

function KeyChips({ k }: { k: BlockKey }) {
  if (k.error) {
    return (
      <span className={`${CHIP} border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100`} title={k.error}>
        {k.text}: invalid key
      </span>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-0.5" title={`Key as written: ${k.text}`}>
      <span className={`${CHIP} border-indigo-300 bg-indigo-50 text-indigo-900 dark:border-indigo-800 dark:bg-indigo-950 dark:text-indigo-100`}>
        <span className="sr-only">transport </span>
        {k.transport}://
      </span>
      {k.zones.slice(0, 4).map((z) => (
        <span key={z} className={`${CHIP} border-slate-300 bg-slate-50 text-slate-900 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100`}>
          <span className="sr-only">zone </span>
          {z}
        </span>
      ))}
      {k.zones.length > 4 ? <span className="text-[11px] text-slate-500 dark:text-slate-400">+{k.zones.length - 4} zones</span> : null}
      {k.port ? (
        <span className={`${CHIP} border-teal-300 bg-teal-50 text-teal-900 dark:border-teal-800 dark:bg-teal-950 dark:text-teal-100`}>
          <span className="sr-only">port </span>:{k.port}
        </span>
      ) : null}
    </span>
  );
}

function RenameForm({ block, onDone }: { block: ServerBlockCard; onDone(): void }) {
  const handlers = useBoardHandlers();
  const [value, setValue] = useState(block.keys.map((k) => k.text).join(" "));
  return (
    <form
      className="flex flex-wrap items-center gap-1"
      onSubmit={(event) => {
        event.preventDefault();
        if (handlers.renameBlock(block.id, value)) onDone();
      }}
    >
      <label className="sr-only" htmlFor={`keys-${block.id}`}>
        Keys of {block.title}
      </label>
      <input
        id={`keys-${block.id}`}
        autoFocus
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") onDone();
        }}
        className="min-w-40 flex-1 rounded border border-slate-300 bg-white px-2 py-0.5 font-mono text-sm dark:border-slate-600 dark:bg-slate-950"
      />
      <button type="submit" className={SMALL_BUTTON}>
        Save keys
      </button>
      <button type="button" className={SMALL_BUTTON} onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

type ServerBlockProps = {
  block: ServerBlockCard;
  /** Changes whenever anything shown in the block changes (see `blockSignature`); offsets alone do not count. */
  signature: string;
  isExpanded: boolean;
  blockCount: number;
};

/** A server block: its keys, its directive cards in text order, and beside them its pipeline in execution order. */
function ServerBlockView({ block, isExpanded, blockCount }: ServerBlockProps) {
  const handlers = useBoardHandlers();
  const [isRenaming, setRenaming] = useState(false);
  const data: DragData = { type: "block", blockId: block.id };
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: block.id,
    data,
    disabled: !block.canMove,
    attributes: { roleDescription: "movable server block" },
  });
  const bodyData: DragData = { type: "block-body", blockId: block.id };
  const { setNodeRef: setBodyRef, isOver: isBodyOver } = useDroppable({ id: bodyDropId(block.id), data: bodyData });
  const title = block.title;
  const count = block.items.length;
  const names = block.items.map((c) => (c.kind === "import" ? "import" : c.name));

  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      data-block-id={block.id}
      aria-label={`Server block ${title}`}
      className={`board-block rounded-lg border border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-950/60 ${isDragging ? "opacity-40" : ""}`}
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-2 py-1.5 dark:border-slate-800">
        <button
          type="button"
          ref={setActivatorNodeRef}
          {...attributes}
          {...listeners}
          data-activator-id={block.id}
          disabled={!block.canMove}
          aria-label={`Move server block ${title}, block ${block.index + 1} of ${blockCount}`}
          className="cursor-grab rounded px-1 text-slate-500 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-sky-600 active:cursor-grabbing disabled:cursor-default disabled:opacity-40 dark:text-slate-400 dark:hover:bg-slate-800"
        >
          <span aria-hidden>⠿</span>
        </button>
        <button
          type="button"
          className={SMALL_BUTTON}
          aria-expanded={isExpanded}
          aria-label={`${isExpanded ? "Collapse" : "Expand"} ${title}`}
          onClick={() => handlers.toggleBlock(block.id)}
        >
          <span aria-hidden>{isExpanded ? "▾" : "▸"}</span>
        </button>
        {isRenaming ? (
          <RenameForm block={block} onDone={() => setRenaming(false)} />
        ) : (
          <h3 className="flex min-w-0 flex-wrap items-center gap-1.5 text-sm font-semibold">
            <span className="font-mono">{title}</span>
            <span className="flex flex-wrap gap-1 font-normal">
              {block.keys.map((k, i) => (
                <KeyChips key={`${k.text}-${i}`} k={k} />
              ))}
            </span>
          </h3>
        )}
        <span className="text-xs text-slate-500 dark:text-slate-400">
          {count} item{count === 1 ? "" : "s"}
        </span>
        <div className="ml-auto flex flex-wrap gap-0.5">
          <button type="button" className={SMALL_BUTTON} aria-label={`Add plugin to ${title}`} onClick={() => handlers.openPalette(block.id)}>
            + Add plugin
          </button>
          <button
            type="button"
            className={SMALL_BUTTON}
            aria-label={`Sort ${title} by execution order`}
            disabled={!block.textOrderDiffers}
            title={block.textOrderDiffers ? "Rewrite the text in the order CoreDNS runs the plugins" : "Already in execution order"}
            onClick={() => handlers.sort(block.id)}
          >
            Sort by execution order
          </button>
          {!isRenaming ? (
            <button type="button" className={SMALL_BUTTON} aria-label={`Change the keys of ${title}`} onClick={() => setRenaming(true)}>
              Keys…
            </button>
          ) : null}
          <button type="button" className={SMALL_BUTTON} aria-label={`Show ${title} in the text`} onClick={() => handlers.reveal(block.id)}>
            Show in text
          </button>
        </div>
      </div>
      {block.unknownPlugins.length > 0 ? (
        <p className="px-3 pt-1.5 text-xs text-red-800 dark:text-red-300">
          Not CoreDNS plugins: {block.unknownPlugins.join(", ")}. CoreDNS refuses to start with them.
        </p>
      ) : null}
      {isExpanded ? (
        <div className="@container p-2">
          <div className="grid grid-cols-1 gap-3 @2xl:grid-cols-[minmax(0,1fr)_minmax(12rem,16rem)]">
          <div
            ref={setBodyRef}
            className={`rounded-md p-1 ${isBodyOver ? "bg-sky-100 ring-2 ring-sky-500 dark:bg-sky-950 dark:ring-sky-400" : ""}`}
          >
            <SortableContext id={listId(block.id)} items={block.items.map((c) => c.id)} strategy={verticalListSortingStrategy}>
              <ul className="flex flex-col gap-1.5" aria-label={`Plugins of ${title} in text order`}>
                {block.items.map((card) => (
                  <DirectiveCardView key={card.id} card={card} blockTitle={title} blockId={block.id} count={count} />
                ))}
              </ul>
            </SortableContext>
            <p className="mt-1.5 rounded border border-dashed border-slate-300 px-2 py-1 text-center text-[11px] text-slate-500 dark:border-slate-700 dark:text-slate-400">
              {count === 0 ? "Empty block: drop a plugin here or add one" : "Drop here to put it last"}
            </p>
          </div>
            <PipelineColumn block={block} />
          </div>
        </div>
      ) : (
        <div ref={setBodyRef} className={`px-3 py-1.5 text-xs text-slate-600 dark:text-slate-400 ${isBodyOver ? "bg-sky-100 dark:bg-sky-950" : ""}`}>
          <span className="sr-only">Collapsed. </span>
          {names.length ? names.join(" · ") : "empty"}
          {block.textOrderDiffers ? <span className="ml-2 text-sky-800 dark:text-sky-300">(text order differs from execution order)</span> : null}
        </div>
      )}
    </li>
  );
}

/** Memoised by content: a keystroke elsewhere in the file shifts offsets but does not re-render this block. */
export const ServerBlock = memo(
  ServerBlockView,
  (a, b) => a.signature === b.signature && a.isExpanded === b.isExpanded && a.blockCount === b.blockCount && a.block.index === b.block.index,
);

/** What a block shows, as one string: its own text plus what depends on other parts of the file. */
export function blockSignature(text: string, block: ServerBlockCard): string {
  let sig = text.slice(block.range.start, block.range.end);
  if (block.viewGroup) sig += `\u0000${JSON.stringify(block.viewGroup)}`;
  // An imported snippet changes the pipeline without changing the block's own text.
  if (block.items.some((c) => c.kind === "import")) sig += `\u0000${JSON.stringify(block.pipeline)}`;
  return sig;
}
