"use client";

import { useDeferredValue, useId, useMemo, useRef, useState, type ComponentType } from "react";
import type { OffsetEdit } from "@/lib/corefile-language";
import { RECIPES } from "@/lib/recipes";
import { outlineCorefile } from "@/lib/recipes/blocks";
import type { RecipeFormProps } from "./form-props";
import { BlockNameForm } from "./forms/block-name-form";
import { ClusterAliasForm } from "./forms/cluster-alias-form";
import { ForwardToServiceForm } from "./forms/forward-to-service-form";
import { HostsForm } from "./forms/hosts-form";
import { ObservabilityForm } from "./forms/observability-form";
import { QueryLogForm } from "./forms/query-log-form";
import { RewriteForm } from "./forms/rewrite-form";
import { StubDomainForm } from "./forms/stub-domain-form";

export type RecipesPanelProps = {
  cluster: string;
  /** The Corefile as the text editor holds it now. */
  text: string;
  /** Applies edits (by offsets into `text`) to the text editor as one undoable step. */
  onApplyEdits(edits: readonly OffsetEdit[], focus?: { line: number; column: number }): void;
  /** Undo in the text editor; when given, a successful insert offers an "Undo the insert" button. */
  onUndo?: () => void;
};

/** The form of each recipe, by recipe id. */
const FORMS: Record<string, ComponentType<RecipeFormProps>> = {
  "forward-to-service": ForwardToServiceForm,
  "stub-domain": StubDomainForm,
  "hosts-overrides": HostsForm,
  "rewrite-name": RewriteForm,
  "cluster-domain-alias": ClusterAliasForm,
  "block-name": BlockNameForm,
  "query-log": QueryLogForm,
  "observability-baseline": ObservabilityForm,
};

/**
 * Recipes: each a button that opens its small form in place (one at a time). The form previews the exact lines it
 * would insert and inserts them into the text editor as one undoable step. Escape or Close shuts the form and puts
 * focus back on its button.
 */
export function RecipesPanel({ cluster, text, onApplyEdits, onUndo }: RecipesPanelProps) {
  const baseId = useId();
  const [openId, setOpenId] = useState<string | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const deferredText = useDeferredValue(text);
  const blockKeys = useMemo(() => [...new Set(outlineCorefile(deferredText).blocks.flatMap((b) => b.keys))], [deferredText]);

  function close() {
    const id = openId;
    setOpenId(null);
    if (id) buttons.current.get(id)?.focus();
  }

  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Fill a small form; the recipe writes valid Corefile lines into your draft, where you can review them before applying.
      </p>
      <ul className="flex flex-col gap-1.5">
        {RECIPES.map((recipe) => {
          const isOpen = openId === recipe.id;
          const Form = FORMS[recipe.id];
          const regionId = `${baseId}-${recipe.id}`;
          return (
            <li key={recipe.id}>
              <button
                type="button"
                ref={(element) => {
                  if (element) buttons.current.set(recipe.id, element);
                  else buttons.current.delete(recipe.id);
                }}
                aria-expanded={isOpen}
                aria-controls={isOpen ? regionId : undefined}
                aria-labelledby={`${regionId}-title`}
                aria-describedby={`${regionId}-summary`}
                onClick={() => setOpenId(isOpen ? null : recipe.id)}
                className={`flex w-full items-start gap-2 rounded-md border px-3 py-2 text-left text-sm ${
                  isOpen
                    ? "border-sky-400 bg-sky-50 dark:border-sky-700 dark:bg-sky-950/40"
                    : "border-slate-200 bg-white hover:bg-slate-100 dark:border-slate-800 dark:bg-slate-900 dark:hover:bg-slate-800"
                }`}
              >
                <span aria-hidden="true" className={`mt-0.5 text-xs text-slate-500 transition-transform dark:text-slate-400 ${isOpen ? "rotate-90" : ""}`}>
                  ▶
                </span>
                <span className="min-w-0">
                  <span id={`${regionId}-title`} className="block font-medium">
                    {recipe.title}
                  </span>
                  <span id={`${regionId}-summary`} className="block text-xs text-slate-600 dark:text-slate-400">
                    {recipe.summary}
                  </span>
                </span>
              </button>
              {isOpen && Form ? (
                <div
                  id={regionId}
                  onKeyDown={(event) => {
                    if (event.key === "Escape" && !event.defaultPrevented) {
                      event.preventDefault();
                      close();
                    }
                  }}
                >
                  <Form cluster={cluster} text={text} blockKeys={blockKeys} onApplyEdits={onApplyEdits} onClose={close} onUndo={onUndo} />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
