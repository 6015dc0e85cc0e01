"use client";

import { useMemo, useState } from "react";
import type { OffsetEdit } from "@/lib/corefile-language";
import type { Recipe, RecipeResult } from "@/lib/recipes";
import { countHunkLines, describeEdits } from "./preview-hunks";

/** What the user sees after pressing Insert. */
export type InsertOutcome =
  | { kind: "inserted"; line: number | undefined; added: number; removed: number; warnings: string[] }
  | { kind: "unchanged"; warnings: string[] };

type Issue = { path: string; message: string };

/** Values a recipe form holds: whatever its zod schema reads (empty optional fields left out). */
export type RecipeValues = Record<string, unknown>;

/**
 * The state every recipe form shares: live validation with the recipe's zod schema (shown for the fields the user
 * has touched, and for all of them once Preview or Insert was pressed), a preview that follows the form and the
 * Corefile while it is open, and Insert, which builds against the text as it is at that moment.
 */
export function useRecipeForm(
  recipe: Recipe,
  values: RecipeValues,
  text: string,
  onApplyEdits: (edits: readonly OffsetEdit[], focus?: { line: number; column: number }) => void,
) {
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [isAttempted, setAttempted] = useState(false);
  const [isPreviewOpen, setPreviewOpen] = useState(false);
  const [insertFailure, setInsertFailure] = useState<{ key: string; result: Extract<RecipeResult, { ok: false }> } | null>(null);
  const [outcome, setOutcome] = useState<{ key: string; value: InsertOutcome } | null>(null);

  // Values are rebuilt on every render: compare and memoise by their JSON.
  const valuesKey = JSON.stringify(values);
  const stableValues = useMemo(() => JSON.parse(valuesKey) as RecipeValues, [valuesKey]);

  const issues = useMemo<Issue[]>(() => {
    const parsed = recipe.params.safeParse(stableValues);
    return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  }, [recipe, stableValues]);

  const preview = useMemo(() => (isPreviewOpen ? recipe.build(text, stableValues) : null), [isPreviewOpen, recipe, text, stableValues]);

  const failure = preview && !preview.ok ? preview : insertFailure && insertFailure.key === `${valuesKey}\u0000${text}` ? insertFailure.result : null;

  /** The message to show under a field: its zod issue (once touched), else the build's complaint about it. */
  function errorFor(field: string): string | undefined {
    const matches = (path: string) => path === field || path.startsWith(`${field}.`);
    if (isAttempted || touched.has(field)) {
      const issue = issues.find((i) => matches(i.path));
      if (issue) return issue.message;
    }
    if (failure?.field && matches(failure.field)) return failure.reason;
    return undefined;
  }

  function touch(field: string) {
    setTouched((current) => (current.has(field) ? current : new Set(current).add(field)));
  }

  function showPreview() {
    setAttempted(true);
    setPreviewOpen(true);
  }

  function insert() {
    setAttempted(true);
    const result = recipe.build(text, stableValues);
    if (!result.ok) {
      setInsertFailure({ key: `${valuesKey}\u0000${text}`, result });
      return;
    }
    setInsertFailure(null);
    if (result.edits.length === 0) {
      setOutcome({ key: valuesKey, value: { kind: "unchanged", warnings: result.warnings } });
      return;
    }
    const { added, removed } = countHunkLines(describeEdits(text, result.edits));
    onApplyEdits(result.edits, result.focus);
    setPreviewOpen(false);
    setOutcome({ key: valuesKey, value: { kind: "inserted", line: result.focus?.line, added, removed, warnings: result.warnings } });
  }

  return {
    errorFor,
    touch,
    isAttempted,
    preview,
    isPreviewOpen,
    closePreview: () => setPreviewOpen(false),
    showPreview,
    insert,
    failure,
    outcome: outcome && outcome.key === valuesKey ? outcome.value : null,
  };
}

export type RecipeForm = ReturnType<typeof useRecipeForm>;
