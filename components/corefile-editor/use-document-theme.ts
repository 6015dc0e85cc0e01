"use client";

import { useSyncExternalStore } from "react";

export type DocumentTheme = "light" | "dark";

function subscribeToTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return () => observer.disconnect();
}

function readTheme(): DocumentTheme {
  return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
}

/** The app's theme (the `data-theme` attribute on <html>, set by the theme script and toggle), kept up to date. */
export function useDocumentTheme(): DocumentTheme {
  return useSyncExternalStore(subscribeToTheme, readTheme, () => "light");
}
