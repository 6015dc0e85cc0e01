"use client";

import { useSyncExternalStore } from "react";

/** What the edit phase shows: the text editor, the visual board, or both side by side (one document either way). */
export type EditorView = "text" | "board" | "split";

const VIEW_KEY = "coredeck-editor-view";
const VIEW_EVENT = "coredeck-editor-view-change";
let memoryView: EditorView = "text";

/** The editor view, remembered in this browser; the server renders the text view and the choice applies after hydration. */
export function useEditorView(): [EditorView, (view: EditorView) => void] {
  const view = useSyncExternalStore(subscribe, readView, () => "text" as const);
  return [view, writeView];
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  window.addEventListener(VIEW_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(VIEW_EVENT, onChange);
  };
}

function readView(): EditorView {
  try {
    const saved = localStorage.getItem(VIEW_KEY);
    return saved === "board" || saved === "split" ? saved : "text";
  } catch {
    return memoryView;
  }
}

function writeView(view: EditorView): void {
  try {
    localStorage.setItem(VIEW_KEY, view);
  } catch {
    memoryView = view;
  }
  window.dispatchEvent(new Event(VIEW_EVENT));
}
