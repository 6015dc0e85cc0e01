import type { FormattingResult, OffsetEdit } from "@/lib/corefile-language";
import type { CorefileDiagnostic } from "@/lib/corefile/validate";

/** A 1-based line and column. */
export type TextPosition = { line: number; column: number };

/** A place to select when the editor opens (from `/editor?line=N&column=M&endLine=..&endColumn=..`). */
export type InitialSelection = { line: number; column: number; endLine?: number; endColumn?: number };

/** What the page can do with a {@link CorefileEditor} through its `ref`. */
export type CorefileEditorHandle = {
  /** The current text. */
  getText(): string;
  /** Replaces the whole text as one undoable edit (e.g. "pull live into draft"); `onChange` fires. */
  setText(text: string): void;
  /** Formats the text (minimal whitespace edits, undoable). Returns why not when the braces do not balance. */
  format(): FormattingResult;
  /** Applies edits by offset as one undoable step (a structured edit from the visual editor). */
  applyEdits(edits: readonly OffsetEdit[]): void;
  /**
   * Moves the cursor to a 1-based line and column (selecting up to `end`, exclusive, when given), scrolls it into view
   * and focuses the editor.
   */
  revealPosition(line: number, column: number, end?: TextPosition): void;
  focus(): void;
  /** Undoes or redoes the last change, typed or structured (false when the editor cannot, e.g. plain-text mode). */
  undo(): boolean;
  redo(): boolean;
};

/** The text editor inside {@link CorefileEditor}: Monaco or the plain textarea. */
export type InnerEditorHandle = {
  setText(text: string): void;
  applyEdits(edits: readonly OffsetEdit[]): void;
  revealPosition(line: number, column: number, end?: TextPosition): void;
  focus(): void;
  undo(): boolean;
  redo(): boolean;
  /** Shows fresh diagnostics of `file` (Monaco's markers; the textarea's list is rendered by the wrapper). */
  showDiagnostics(diagnostics: CorefileDiagnostic[], file: string): void;
};

export type InnerEditorProps = {
  defaultValue: string;
  readOnly: boolean;
  ariaLabel: string;
  /** CSS height of the editing area. */
  height: string;
  /** Id of an element describing the editor (keyboard help). */
  describedBy?: string;
  onTextChange(text: string): void;
  onCursorOffsetChange(offset: number): void;
  /** Called with the handle once the editor can be used, and with null when it goes away. */
  onReady(handle: InnerEditorHandle | null): void;
};

export type { CorefileDiagnostic };
