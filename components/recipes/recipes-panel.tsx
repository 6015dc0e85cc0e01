"use client";

import type { OffsetEdit } from "@/lib/corefile-language";

export type RecipesPanelProps = {
  cluster: string;
  /** The Corefile as the text editor holds it now. */
  text: string;
  /** Applies edits (by offsets into `text`) to the text editor as one undoable step. */
  onApplyEdits(edits: readonly OffsetEdit[], focus?: { line: number; column: number }): void;
};

/** Recipes: small forms that insert correct blocks (placeholder until the forms land). */
export function RecipesPanel({ text }: RecipesPanelProps) {
  return <p className="text-sm text-slate-600 dark:text-slate-400">{text.length} characters. Recipes are being built.</p>;
}
