"use client";

/**
 * What can be dragged on the board and where it may land, for dnd-kit: server blocks among server blocks; directive
 * cards and palette plugins onto directive cards (to take their place) or onto a block's body (its end, or for a
 * palette plugin the place that keeps execution order).
 */
import {
  closestCenter,
  closestCorners,
  pointerWithin,
  type Active,
  type CollisionDetection,
  type DroppableContainer,
  type KeyboardCoordinateGetter,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { sortableKeyboardCoordinates } from "@dnd-kit/sortable";

export type DragData =
  | { type: "block"; blockId: string }
  | { type: "directive"; blockId: string; cardId: string }
  | { type: "palette"; plugin: string }
  | { type: "block-body"; blockId: string };

export const bodyDropId = (blockId: string): string => `body:${blockId}`;
export const paletteDragId = (plugin: string): string => `palette:${plugin}`;
export const listId = (blockId: string): string => `list:${blockId}`;

export function dataOf(x: { data: { current?: unknown } } | null | undefined): DragData | undefined {
  const d = x?.data.current as (DragData & { sortable?: unknown }) | undefined;
  return d && typeof d === "object" && "type" in d ? d : undefined;
}

/** The drop targets an active item accepts. */
function accepts(active: Active | null, target: DroppableContainer): boolean {
  const a = active ? dataOf(active) : undefined;
  const t = dataOf(target);
  if (!a || !t) return false;
  if (a.type === "block") return t.type === "block";
  return t.type === "directive" || t.type === "block-body";
}

/** Collision detection that keeps block drags among blocks and card drags among cards and block bodies. */
export const detectBoardCollisions: CollisionDetection = (args) => {
  const containers = args.droppableContainers.filter((c) => accepts(args.active, c));
  const scoped = { ...args, droppableContainers: containers };
  if (dataOf(args.active)?.type === "block") return closestCenter(scoped);
  if (args.pointerCoordinates) {
    const within = pointerWithin(scoped);
    // A card lies inside its block's body: the card is the more precise target.
    const card = within.find((c) => dataOf(containers.find((x) => x.id === c.id))?.type === "directive");
    if (card) return [card];
    if (within.length > 0) return within;
  }
  return closestCorners(scoped);
};

/** Arrow keys move among the targets the dragged item accepts (dnd-kit's sortable keyboard moves, scoped). */
export const boardKeyboardCoordinates: KeyboardCoordinateGetter = (event, args) => {
  const { context } = args;
  const all = context.droppableContainers;
  const filtered = {
    ...all,
    get: (id: UniqueIdentifier) => all.get(id),
    getEnabled: () => all.getEnabled().filter((c) => accepts(context.active, c)),
  } as typeof all;
  return sortableKeyboardCoordinates(event, { ...args, context: { ...context, droppableContainers: filtered } });
};
