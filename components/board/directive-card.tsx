"use client";

import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { memo, useId, type KeyboardEvent } from "react";
import type { BodyCard } from "@/lib/board";
import { useBoardHandlers } from "./board-context";
import { listId, type DragData } from "./dnd";
import { GROUP_STYLES, SMALL_BUTTON, UNKNOWN_EDGE } from "./styles";

/** "30 { 3 options }": the arguments and how many option lines the block holds. */
export function summarizeArgs(card: BodyCard): string {
  if (card.kind === "import") return card.target;
  const args = card.args.join(" ");
  const shown = args.length > 60 ? `${args.slice(0, 57)}…` : args;
  if (!card.hasBlock) return shown;
  const n = card.options.length;
  return `${shown}${shown ? " " : ""}{ ${n} option${n === 1 ? "" : "s"} }`;
}

export function cardName(card: BodyCard): string {
  return card.kind === "import" ? "import" : card.name;
}

type DirectiveCardProps = {
  card: BodyCard;
  blockTitle: string;
  blockId: string;
  count: number;
};

/** One directive (or import line) of a server block: draggable, with its comments, badges and actions. */
export const DirectiveCardView = memo(function DirectiveCardView({ card, blockTitle, blockId, count }: DirectiveCardProps) {
  const handlers = useBoardHandlers();
  const noteId = useId();
  const data: DragData = { type: "directive", blockId, cardId: card.id };
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging, isOver, active } = useSortable({
    id: card.id,
    data,
    disabled: !card.canMove,
    attributes: { roleDescription: "movable plugin" },
  });
  const name = cardName(card);
  const isDirective = card.kind === "directive";
  const edge = card.kind === "directive" ? (card.isUnknown || !card.group ? UNKNOWN_EDGE : GROUP_STYLES[card.group].edge) : "border-l-slate-300 dark:border-l-slate-600";
  // Within its own list dnd-kit shifts the cards; a card from elsewhere (another block, the palette) gets a line instead.
  const activeList = (active?.data.current as { sortable?: { containerId?: string } } | undefined)?.sortable?.containerId;
  const isForeignOver = isOver && activeList !== listId(blockId);
  const summary = summarizeArgs(card);
  const position = `position ${card.index + 1} of ${count} in ${blockTitle}`;

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === "Enter" && event.target === event.currentTarget && isDirective) {
      event.preventDefault();
      handlers.edit(card.id);
    }
  }

  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      data-card-id={card.id}
      className={`relative rounded-md border border-l-4 border-slate-200 bg-white text-sm shadow-xs dark:border-slate-700 dark:bg-slate-900 ${edge} ${isDragging ? "opacity-40" : ""}`}
    >
      {isForeignOver ? <span aria-hidden className="absolute -top-1.5 right-1 left-1 h-0.5 rounded bg-sky-600 dark:bg-sky-400" /> : null}
      {card.comments.length > 0 ? (
        <div className="border-b border-dashed border-slate-200 px-2 pt-1 pb-0.5 font-mono text-[11px] text-slate-500 italic dark:border-slate-700 dark:text-slate-400">
          {card.comments.map((c, i) => (
            <p key={i} className="truncate" title={c}>
              {c}
            </p>
          ))}
        </div>
      ) : null}
      <div className="flex flex-wrap items-start gap-x-1 gap-y-0.5 px-2 py-1.5">
        <div
          ref={setActivatorNodeRef}
          {...attributes}
          {...listeners}
          tabIndex={0}
          onKeyDown={(event) => {
            onKeyDown(event);
            if (!event.defaultPrevented) listeners?.onKeyDown?.(event);
          }}
          data-activator-id={card.id}
          aria-label={`${name}${summary ? ` ${summary}` : ""}, ${position}${card.canMove ? "" : ", shares its line with another item and cannot be moved"}`}
          aria-describedby={`${attributes["aria-describedby"] ?? ""}${isDirective && card.orderSensitive ? ` ${noteId}` : ""}`.trim()}
          className={`min-w-48 flex-1 basis-48 rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 ${card.canMove ? "cursor-grab active:cursor-grabbing" : "cursor-default"}`}
        >
          <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
            <span aria-hidden className="cursor-grab text-slate-400 select-none dark:text-slate-500">
              ⠿
            </span>
            <span className="font-mono font-semibold">{name}</span>
            {summary ? <span className="min-w-0 truncate font-mono text-xs text-slate-600 dark:text-slate-400">{summary}</span> : null}
          </div>
          {card.kind === "directive" && card.summary ? (
            <p className="truncate text-[11px] text-slate-500 dark:text-slate-400">{card.summary}</p>
          ) : null}
          {card.kind === "import" && card.snippet ? <p className="text-[11px] text-slate-500 dark:text-slate-400">brings in snippet ({card.snippet})</p> : null}
        </div>
        <div className="ml-auto flex shrink-0 flex-wrap justify-end gap-0.5">
          {card.kind === "directive" ? (
            <button type="button" className={SMALL_BUTTON} aria-label={`Edit ${name} in ${blockTitle}`} onClick={() => handlers.edit(card.id)}>
              Edit
            </button>
          ) : null}
          {card.kind === "directive" ? (
            <button type="button" className={SMALL_BUTTON} aria-label={`Duplicate ${name} in ${blockTitle}`} disabled={!card.canMove} onClick={() => handlers.duplicate(card.id)}>
              Duplicate
            </button>
          ) : null}
          <button type="button" className={SMALL_BUTTON} aria-label={`Remove ${name} from ${blockTitle}`} disabled={!card.canMove} onClick={() => handlers.remove(card.id)}>
            Remove
          </button>
          <button type="button" className={SMALL_BUTTON} aria-label={`Show ${name} of ${blockTitle} in the text`} onClick={() => handlers.reveal(card.id)}>
            Show in text
          </button>
        </div>
      </div>
      {card.kind === "directive" && (card.isUnknown || card.orderSensitive || !card.canMove) ? (
        <div className="flex flex-wrap gap-1 px-2 pb-1.5">
          {card.isUnknown ? (
            <span className="rounded bg-red-100 px-1.5 py-0.5 text-[11px] font-medium text-red-800 dark:bg-red-950 dark:text-red-200">
              not a CoreDNS plugin: CoreDNS will refuse to start
            </span>
          ) : null}
          {card.orderSensitive ? (
            <span className="group relative">
              <span
                tabIndex={0}
                className="cursor-help rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-900 focus-visible:outline-2 focus-visible:outline-amber-600 dark:bg-amber-950 dark:text-amber-200"
                aria-describedby={noteId}
              >
                text order matters
              </span>
              <span
                id={noteId}
                role="tooltip"
                className="invisible absolute top-full left-0 z-20 mt-1 w-72 rounded-md border border-amber-300 bg-amber-50 p-2 text-xs text-amber-950 shadow-lg group-focus-within:visible group-hover:visible dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
              >
                {card.orderSensitive.note}
              </span>
            </span>
          ) : null}
          {!card.canMove ? (
            <span className="rounded bg-slate-100 px-1.5 py-0.5 text-[11px] text-slate-700 dark:bg-slate-800 dark:text-slate-300">
              shares a line: format the Corefile to move it
            </span>
          ) : null}
        </div>
      ) : null}
    </li>
  );
});
