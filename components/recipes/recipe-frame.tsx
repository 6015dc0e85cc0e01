"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button-class";
import type { Recipe } from "@/lib/recipes";
import { EditPreview } from "./edit-preview";
import type { RecipeForm } from "./use-recipe-form";

/**
 * The part every recipe form shares: its fields (children), Preview / Insert / Close, the preview of the exact change
 * with the recipe's warnings, what Insert did, and the recipe's notes beside the form.
 */
export function RecipeFrame({
  recipe,
  form,
  text,
  onClose,
  onUndo,
  children,
}: {
  recipe: Recipe;
  form: RecipeForm;
  text: string;
  onClose(): void;
  onUndo?: (() => void) | undefined;
  children: ReactNode;
}) {
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);

  // Opening a recipe moves focus to its first field.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>("input, select, textarea, button")?.focus();
  }, []);

  const { preview, failure, outcome } = form;
  return (
    <section aria-labelledby={headingId} className="@container mt-2 rounded-md border border-slate-200 bg-slate-50/60 p-3 dark:border-slate-800 dark:bg-slate-950/40">
      {/* The recipe's button right above shows the title; the heading names the form for assistive technology. */}
      <h3 id={headingId} className="sr-only">
        {recipe.title}
      </h3>
      <div className="grid gap-4 @2xl:grid-cols-[minmax(0,1fr)_18rem]">
        <form
          ref={formRef}
          noValidate
          aria-labelledby={headingId}
          className="flex min-w-0 flex-col gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            form.showPreview();
          }}
        >
          {children}

          {failure ? (
            <Alert tone="error" title="Cannot insert this yet">
              <p>{failure.reason}</p>
            </Alert>
          ) : null}

          <div className="flex flex-wrap gap-2">
            <button type="submit" className={buttonClass()}>
              Preview
            </button>
            <button type="button" className={buttonClass("primary")} onClick={form.insert}>
              Insert into the Corefile
            </button>
            <button type="button" className={buttonClass()} onClick={onClose}>
              Close
            </button>
          </div>

          {preview?.ok ? (
            <section aria-label="Preview" className="flex flex-col gap-2">
              {preview.edits.length === 0 ? (
                <p className="text-sm text-slate-700 dark:text-slate-300">Already in place, nothing to insert.</p>
              ) : (
                <EditPreview text={text} edits={preview.edits} />
              )}
              <Warnings warnings={preview.warnings} />
            </section>
          ) : null}

          <div role="status" aria-live="polite" className="text-sm">
            {outcome?.kind === "inserted" ? (
              <div className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-100">
                <p className="font-semibold">
                  Inserted {outcome.added} line{outcome.added === 1 ? "" : "s"}
                  {outcome.removed ? ` (${outcome.removed} replaced)` : ""}
                  {outcome.line ? ` at line ${outcome.line}` : ""}.
                </p>
                <p className="mt-1">
                  It is in your draft only: review and apply to send it to the cluster. Ctrl+Z in the editor (⌘Z on a Mac) takes it back.
                </p>
                {onUndo ? (
                  <button type="button" className={`${buttonClass()} mt-2`} onClick={onUndo}>
                    Undo the insert
                  </button>
                ) : null}
              </div>
            ) : outcome?.kind === "unchanged" ? (
              <p className="rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900">Already in place, nothing to insert.</p>
            ) : null}
          </div>
          {outcome ? <Warnings warnings={outcome.warnings} /> : null}
        </form>

        <aside aria-label={`About: ${recipe.title}`} className="min-w-0 text-xs text-slate-700 dark:text-slate-300">
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Good to know</h4>
          <div className="mt-1 flex flex-col gap-2">
            {(recipe.notes ?? []).map((note) => (
              <p key={note}>
                <LinkifiedText text={note} />
              </p>
            ))}
          </div>
        </aside>
      </div>
    </section>
  );
}

function Warnings({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100">
      <p className="font-semibold">{warnings.length === 1 ? "Worth knowing" : `${warnings.length} things worth knowing`}</p>
      <ul className="mt-1 list-disc pl-5">
        {warnings.map((warning) => (
          <li key={warning}>{warning}</li>
        ))}
      </ul>
    </div>
  );
}

const URL_PATTERN = /(https:\/\/[^\s]+[^\s.,;:)])/g;

/** Plain text with its https links made clickable (notes point at coredns.io). */
export function LinkifiedText({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part} target="_blank" rel="noreferrer" className="text-sky-700 underline hover:text-sky-900 dark:text-sky-400 dark:hover:text-sky-300">
            {part.replace(/^https:\/\//, "")}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}
