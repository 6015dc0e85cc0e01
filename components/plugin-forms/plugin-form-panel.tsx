"use client";

import type { OffsetEdit } from "@/lib/corefile-language";

export type PluginFormPanelProps = {
  /** The Corefile as the text editor holds it now. */
  text: string;
  /** The board id of the directive being edited (see lib/board: DirectiveCard.id). */
  directiveId: string;
  /** Applies edits (by offsets into `text`) to the text editor as one undoable step. */
  onApplyEdits(edits: readonly OffsetEdit[], focus?: { line: number; column: number }): void;
  onClose(): void;
};

/** The form of one directive, generated from the plugin catalog (placeholder until the forms land). */
export function PluginFormPanel({ directiveId }: PluginFormPanelProps) {
  return <p className="text-sm text-slate-600 dark:text-slate-400">Form for {directiveId}: coming.</p>;
}
