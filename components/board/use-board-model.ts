"use client";

/**
 * The board model of the text, kept up to date as the user types: built on the main thread for ordinary Corefiles
 * (deferred, so a keystroke in Monaco never waits for it), in a Web Worker for large ones (after a short pause in
 * typing). Each model carries the text it was built from: board actions must only use ids and indexes of a board
 * that matches the current text.
 */
import { useDeferredValue, useEffect, useMemo, useState } from "react";
import { buildBoard, type Board } from "@/lib/board";

export type BoardModel = { board: Board; builtFrom: string };
export type BoardRequest = { id: number; text: string };
export type BoardResponse = { id: number; board: Board };

/** Texts longer than this (about a thousand lines) are built in the worker. */
export const WORKER_THRESHOLD_CHARS = 30_000;
/** Quiet time after the last keystroke before a large board is rebuilt. */
const LARGE_REBUILD_DELAY_MS = 150;

type Builder = {
  /** The board of `text`, or null when a newer text was asked for before this one was built. */
  build(text: string): Promise<Board | null>;
};

let sharedBuilder: Builder | null = null;

/**
 * One worker for the page, one build at a time: while it builds, only the newest text waits (older requests resolve
 * to null), so a burst of typing never queues up stale builds. Falls back to the main thread when a worker cannot
 * start.
 */
function getBuilder(): Builder {
  if (sharedBuilder) return sharedBuilder;
  let worker: Worker | null | undefined;
  let nextId = 0;
  let current: { id: number; text: string; resolve: (board: Board | null) => void } | null = null;
  let waiting: { text: string; resolve: (board: Board | null) => void } | null = null;
  const send = (w: Worker, job: { text: string; resolve: (board: Board | null) => void }) => {
    current = { id: ++nextId, ...job };
    w.postMessage({ id: current.id, text: job.text } satisfies BoardRequest);
  };
  const start = (): Worker | null => {
    if (worker !== undefined) return worker;
    try {
      const w = new Worker(new URL("./board.worker.ts", import.meta.url), { type: "module", name: "coredeck-board" });
      worker = w;
      w.onmessage = (event: MessageEvent<BoardResponse>) => {
        if (current?.id === event.data.id) current.resolve(event.data.board);
        current = null;
        const next = waiting;
        waiting = null;
        if (next) send(w, next);
      };
      w.onerror = () => {
        // The worker could not load or crashed: finish here and stop using it.
        w.terminate();
        worker = null;
        for (const job of [current, waiting]) job?.resolve(buildBoard(job.text));
        current = null;
        waiting = null;
      };
    } catch {
      worker = null;
    }
    return worker;
  };
  sharedBuilder = {
    build(text) {
      const w = typeof Worker === "undefined" ? null : start();
      if (!w) return Promise.resolve(buildBoard(text));
      return new Promise((resolve) => {
        if (!current) {
          send(w, { text, resolve });
          return;
        }
        waiting?.resolve(null);
        waiting = { text, resolve };
      });
    },
  };
  return sharedBuilder;
}

/** The board of `text`, possibly a moment behind it while the user types (compare `builtFrom` with the text). */
export function useBoardModel(text: string): BoardModel | null {
  const deferred = useDeferredValue(text);
  const isLarge = deferred.length > WORKER_THRESHOLD_CHARS;
  const small = useMemo<BoardModel | null>(() => (isLarge ? null : { board: buildBoard(deferred), builtFrom: deferred }), [deferred, isLarge]);
  // A large text is built once here at mount (so the first paint and server rendering show it), then in the worker.
  const [large, setLarge] = useState<BoardModel | null>(() =>
    text.length > WORKER_THRESHOLD_CHARS ? { board: buildBoard(text), builtFrom: text } : null,
  );
  useEffect(() => {
    if (!isLarge) return;
    let isCancelled = false;
    const timer = setTimeout(() => {
      void getBuilder()
        .build(deferred)
        .then((board) => {
          if (board && !isCancelled) setLarge({ board, builtFrom: deferred });
        });
    }, LARGE_REBUILD_DELAY_MS);
    return () => {
      isCancelled = true;
      clearTimeout(timer);
    };
  }, [deferred, isLarge]);
  if (small) return small;
  return large;
}
