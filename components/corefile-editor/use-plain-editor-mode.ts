"use client";

import { useSyncExternalStore } from "react";

/**
 * Whether the user chose the plain-text editor over Monaco: shared by every editor and diff on the page, and
 * remembered in this browser (localStorage). The server renders Monaco's frame; the choice applies after hydration.
 */
export function usePlainEditorMode(): [boolean, (isPlain: boolean) => void] {
  const isPlain = useSyncExternalStore(subscribeToMode, readIsPlain, () => false);
  return [isPlain, writeIsPlain];
}

const MODE_KEY = "coredeck-plain-editor";
const MODE_EVENT = "coredeck-plain-editor-change";

function subscribeToMode(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  window.addEventListener(MODE_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(MODE_EVENT, onChange);
  };
}

/** Used when localStorage refuses access (private browsing): the choice then lasts until the page reloads. */
let memoryIsPlain = false;

function readIsPlain(): boolean {
  try {
    return localStorage.getItem(MODE_KEY) === "1";
  } catch {
    return memoryIsPlain;
  }
}

function writeIsPlain(isPlain: boolean): void {
  try {
    if (isPlain) localStorage.setItem(MODE_KEY, "1");
    else localStorage.removeItem(MODE_KEY);
  } catch {
    memoryIsPlain = isPlain;
  }
  window.dispatchEvent(new Event(MODE_EVENT));
}
