/**
 * The shape every recipe has, and the one path every recipe's result goes through: parse the form with the recipe's
 * zod schema, let the recipe make its structured edits, then validate the result as CoreDNS would and refuse it when
 * the edits introduced an error.
 */
import type { z } from "zod";
import { validateCorefile, type CorefileDiagnostic, type TextEdit, type ValidateOptions } from "@/lib/corefile";
import { outlineCorefile, positionOf, type CorefileOutline } from "./blocks";
import { describeIssue } from "./fields";
import { EditSession } from "./session";

/** An edit by offsets into the text the recipe was built on (the same shape as the editor's OffsetEdit). */
export type OffsetEdit = TextEdit;

/** What the caller may tell a recipe about the Corefile beyond its text. */
export type RecipeContext = Pick<ValidateOptions, "corednsVersion" | "files" | "env" | "filename">;

export type RecipeResult =
  | {
      ok: true;
      /** Minimal edits of the original text; empty when the Corefile already does what was asked. */
      edits: OffsetEdit[];
      /** Things the user should know: what changes on the cluster, what the recipe could not guarantee. */
      warnings: string[];
      /** Where the inserted text starts in the resulting text (1-based), for the editor to reveal. */
      focus?: { line: number; column: number };
    }
  | { ok: false; reason: string; field?: string };

/** A recipe as the UI lists it. */
export type Recipe<S extends z.ZodType = z.ZodType> = {
  id: string;
  title: string;
  /** One sentence for the palette. */
  summary: string;
  /** Background the form shows beside the fields (own words, links to coredns.io). */
  notes?: string[];
  /** The form: `params.parse(formValues)` gives what `build` uses. */
  params: S;
  /** Builds the edits for `text`; never throws on user input. */
  build(text: string, params: unknown, context?: RecipeContext): RecipeResult;
};

/** What a recipe's own logic returns before validation. */
export type Draft = { ok: false; reason: string; field?: string } | { ok: true; session: EditSession; warnings: string[] };

/** The inputs of a recipe's own logic. */
export type DraftInput<P> = {
  outline: CorefileOutline;
  params: P;
  /** A session on the original text: apply structured edits to it one after another. */
  session: EditSession;
  context: RecipeContext;
};

/** Makes a recipe from its description and its logic. */
export function defineRecipe<S extends z.ZodType>(definition: {
  id: string;
  title: string;
  summary: string;
  notes?: string[];
  params: S;
  draft(input: DraftInput<z.output<S>>): Draft;
}): Recipe<S> {
  const { draft, ...description } = definition;
  return {
    ...description,
    build(text, params, context = {}) {
      const parsed = definition.params.safeParse(params);
      if (!parsed.success) return { ok: false, ...describeIssue(parsed.error) };
      const outline = outlineCorefile(text);
      const result = draft({ outline, params: parsed.data, session: new EditSession(text), context });
      if (!result.ok) return result;
      return finish(result.session, result.warnings, context);
    },
  };
}

/** Validates the session's result against the original and packages the edits. */
function finish(session: EditSession, warnings: string[], context: RecipeContext): RecipeResult {
  if (!session.changed) return { ok: true, edits: [], warnings };
  const before = validateCorefile(session.original, context).diagnostics;
  const after = validateCorefile(session.text, context).diagnostics;
  const introduced = subtract(after, before);
  const errors = introduced.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    const listed = errors.slice(0, 3).map((d) => `line ${d.line}: ${d.message}`);
    return { ok: false, reason: `The change would make the Corefile invalid (${listed.join("; ")}).` };
  }
  const extra = introduced.filter((d) => d.severity === "warning").map((d) => `Line ${d.line}: ${d.message}`);
  const edits = session.edits();
  const first = edits[0];
  const result: RecipeResult = { ok: true, edits, warnings: [...warnings, ...extra] };
  if (first) result.focus = positionOf(session.text, first.start + leadingBlank(first.newText));
  return result;
}

/** The diagnostics of `after` that `before` does not have (compared without positions, which move). */
function subtract(after: CorefileDiagnostic[], before: CorefileDiagnostic[]): CorefileDiagnostic[] {
  const signature = (d: CorefileDiagnostic) => `${d.code}\u0000${d.severity}\u0000${d.message.replace(/\d+/g, "#")}`;
  const remaining = new Map<string, number>();
  for (const d of before) remaining.set(signature(d), (remaining.get(signature(d)) ?? 0) + 1);
  const out: CorefileDiagnostic[] = [];
  for (const d of after) {
    const key = signature(d);
    const n = remaining.get(key) ?? 0;
    if (n > 0) remaining.set(key, n - 1);
    else out.push(d);
  }
  return out;
}

/** How many whitespace characters an inserted text starts with. */
function leadingBlank(text: string): number {
  const match = /^\s*/.exec(text);
  return match ? match[0].length : 0;
}
