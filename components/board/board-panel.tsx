"use client";

import type { OffsetEdit } from "@/lib/corefile-language";

export type BoardPanelProps = {
  /** The Corefile as the text editor holds it now. */
  text: string;
  /** Applies edits (by offsets into `text`) to the text editor as one undoable step. */
  onApplyEdits(edits: readonly OffsetEdit[], focus?: { line: number; column: number }): void;
  /** Shows a position in the text editor. */
  onReveal(line: number, column: number): void;
  /** Undo and redo in the text editor (the board and the text share one history). */
  onUndo(): void;
  onRedo(): void;
};

/** The visual pipeline editor (placeholder until the board lands). */
export function BoardPanel({ text }: BoardPanelProps) {
  return <p className="text-sm text-slate-600 dark:text-slate-400">{text.length} characters. The board is being built.</p>;
}
