/**
 * Builds the board of large Corefiles off the main thread, so typing in Monaco never waits for it. Started by
 * use-board-model.ts; the board is plain data, so it crosses postMessage as is.
 */
import { buildBoard } from "@/lib/board/build-board";
import type { BoardRequest, BoardResponse } from "./use-board-model";

self.onmessage = (event: MessageEvent<BoardRequest>) => {
  const { id, text } = event.data;
  const response: BoardResponse = { id, board: buildBoard(text) };
  self.postMessage(response);
};
