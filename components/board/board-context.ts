"use client";

import { createContext, useContext } from "react";

/**
 * What cards can ask the board to do. The object is stable for the life of the board, so memoised blocks do not
 * re-render when it is passed down; each function reads the newest text and board when called (card props may
 * carry offsets from an older build, so nothing here takes a range: everything goes by id).
 */
export type BoardHandlers = {
  edit(cardId: string): void;
  /** Closes the plugin form and puts the focus back on its card. */
  closeForm(): void;
  duplicate(cardId: string): void;
  remove(cardId: string): void;
  /** Shows a card, a block, a snippet or an import in the text editor. */
  reveal(id: string): void;
  openPalette(blockId: string): void;
  sort(blockId: string): void;
  toggleBlock(blockId: string): void;
  focusCard(cardId: string): void;
  renameBlock(blockId: string, keys: string): boolean;
};

export const BoardHandlersContext = createContext<BoardHandlers | null>(null);

export function useBoardHandlers(): BoardHandlers {
  const handlers = useContext(BoardHandlersContext);
  if (!handlers) throw new Error("useBoardHandlers must be used inside the board.");
  return handlers;
}
