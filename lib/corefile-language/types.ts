/**
 * Editor-neutral shapes for the Corefile language service. Nothing here knows Monaco: the editor component maps these
 * plain objects onto Monaco's API (and the plain-text fallback uses them as they are).
 *
 * Positions follow the engine's diagnostics: lines and columns are 1-based, ends are exclusive, and offsets are UTF-16
 * code units of the text (what both JavaScript strings and Monaco count).
 */
import type { Severity } from "@/lib/corefile";

/** A stretch of the text, as offsets and as 1-based line/column positions (end exclusive). */
export type TextRange = {
  start: number;
  end: number;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
};

/** What a completion item stands for; the editor picks an icon from it. */
export type CompletionKind = "directive" | "option" | "value" | "snippet";

/** One completion proposal. */
export type CompletionItem = {
  label: string;
  kind: CompletionKind;
  /** A short line shown next to the label (a summary, a syntax). */
  detail: string;
  /** Longer help, in Markdown. */
  documentation: string;
  /** The text to insert; with `isSnippet`, in TextMate snippet syntax (`${1:placeholder}`, `$0`). */
  insertText: string;
  isSnippet: boolean;
  /** The text the item replaces: the partial word before (and after) the cursor. */
  replace: TextRange;
  /** Sort key (ascending); items the user most likely wants come first. */
  sortText: string;
};

/** Hover help for the word under the cursor. */
export type HoverInfo = {
  markdown: string;
  range: TextRange;
};

/** A diagnostic placed in the editor (Monaco's marker, without Monaco). */
export type EditorMarker = {
  severity: Severity;
  /** Machine code (`UNKNOWN_DIRECTIVE`, `PLUGIN_INVALID_VALUE`...). */
  code: string;
  /** Who found it: the parser, a plugin's set-up checks or the lint. */
  source: string;
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
};

/** A text edit by offsets, as the engine's quick fixes carry them. */
export type OffsetEdit = { start: number; end: number; newText: string };

/** A quick fix the editor can offer at the cursor. */
export type CodeAction = {
  title: string;
  kind: "quickfix";
  /** The problem the action fixes. */
  marker: EditorMarker;
  /** Minimal edits of the text (offsets); apply all of them at once. */
  edits: OffsetEdit[];
  /** The only fix of its diagnostic: editors may apply it with the "auto fix" command. */
  isPreferred: boolean;
};

/** A line range the editor may fold (1-based, inclusive). */
export type FoldingRange = { startLine: number; endLine: number };
