"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { readForm, validateForm, type FormValues, type PluginForm } from "@/lib/board";
import { applyEdits } from "@/lib/corefile";
import type { OffsetEdit } from "@/lib/corefile-language";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button-class";
import { SPECIAL_EDITORS } from "./editors";
import { FieldMessages } from "./fields";
import { countErrors, indexMessages } from "./form-messages";
import { GenericForm } from "./generic-form";
import { createGenericModel, type GenericState } from "./generic-model";
import { isSameForWrite, isSameValues, type EditorModel } from "./options-model";
import { useDebouncedValue } from "./use-debounced-value";
import { positionAt, writeFormValues } from "./write-values";

export type PluginFormPanelProps = {
  /** The Corefile as the text editor holds it now. */
  text: string;
  /** The board id of the directive being edited (see lib/board: DirectiveCard.id). */
  directiveId: string;
  /** Applies edits (by offsets into `text`) to the text editor as one undoable step. */
  onApplyEdits(edits: readonly OffsetEdit[], focus?: { line: number; column: number }): void;
  onClose(): void;
};

/** How long typing must pause before the values are validated. */
export const VALIDATE_DELAY_MS = 250;

/**
 * The form of one directive: a purpose-made editor for hosts, rewrite, kubernetes, forward and cache, the form
 * generated from the plugin catalog for every other plugin. Apply writes the values as one edit; Cancel or Escape closes.
 */
export function PluginFormPanel({ text, directiveId, onApplyEdits, onClose }: PluginFormPanelProps) {
  const read = useMemo(() => readForm(text, { id: directiveId }), [text, directiveId]);
  if (!read.ok) {
    return (
      <div className="flex flex-col gap-3">
        <Alert tone="warning" title="No form for this line">
          {read.reason}
        </Alert>
        <button type="button" className={`w-fit ${buttonClass()}`} onClick={onClose}>
          Close
        </button>
      </div>
    );
  }
  return (
    <DirectiveForm
      key={directiveId}
      text={text}
      directiveId={directiveId}
      plugin={read.plugin}
      form={read.form}
      current={read.values}
      serverBlockKeys={read.serverBlockKeys}
      onApplyEdits={onApplyEdits}
      onClose={onClose}
    />
  );
}

type Mode = { kind: "special"; state: unknown } | { kind: "generic"; state: GenericState };

function DirectiveForm({
  text,
  directiveId,
  plugin,
  form,
  current,
  serverBlockKeys,
  onApplyEdits,
  onClose,
}: {
  text: string;
  directiveId: string;
  plugin: string;
  form: PluginForm | undefined;
  /** The directive's values in `text` now. */
  current: FormValues;
  serverBlockKeys: string[];
  onApplyEdits: PluginFormPanelProps["onApplyEdits"];
  onClose(): void;
}) {
  const special = form ? SPECIAL_EDITORS[plugin] : undefined;
  const generic = useMemo(() => createGenericModel(form), [form]);
  /** The values the form was opened (or reloaded) with. */
  const [base, setBase] = useState(current);
  const [mode, setMode] = useState<Mode>(() => startMode(current));
  const [applyError, setApplyError] = useState<string | null>(null);
  const rootRef = useRef<HTMLFormElement>(null);

  function startMode(values: FormValues): Mode {
    const s = special?.model.read(values);
    return s != null ? { kind: "special", state: s } : { kind: "generic", state: generic.read(values) as GenericState };
  }

  useEffect(() => {
    rootRef.current?.focus();
  }, []);

  const modelOf = useCallback((m: Mode): EditorModel<unknown> => (m.kind === "special" && special ? special.model : (generic as EditorModel<unknown>)), [special, generic]);
  const values = useMemo(() => modelOf(mode).write(mode.state, base), [modelOf, mode, base]);
  // Validation follows the form once typing pauses.
  const settledMode = useDebouncedValue(mode, VALIDATE_DELAY_MS);
  const settled = useMemo(() => modelOf(settledMode).write(settledMode.state, base), [modelOf, settledMode, base]);
  const validation = useMemo(() => {
    const local = modelOf(settledMode).check?.(settledMode.state) ?? [];
    const found = form ? validateForm(plugin, settled, { serverBlockKeys }).messages : [];
    return { ok: countErrors([...local, ...found]) === 0, messages: [...local, ...found] };
  }, [modelOf, form, plugin, settled, settledMode, serverBlockKeys]);
  const messages = useMemo(() => indexMessages(settled, validation.messages), [settled, validation]);
  const baseErrors = useMemo(() => (form ? countErrors(validateForm(plugin, base, { serverBlockKeys }).messages) : 0), [form, plugin, base, serverBlockKeys]);
  const isChanged = !isSameForWrite(current, values);
  const isStale = !isSameValues(base, current);
  const canSpecial = special ? special.model.read(values) !== null : false;

  function apply() {
    setApplyError(null);
    const local = modelOf(mode).check?.(mode.state) ?? [];
    if (form && countErrors([...local, ...validateForm(plugin, values, { serverBlockKeys }).messages]) > baseErrors) {
      setApplyError("Some values are not valid. Fix the fields marked in red, then apply again.");
      return;
    }
    const r = writeFormValues(text, { id: directiveId, plugin, values });
    if (!r.ok) {
      setApplyError(r.reason);
      return;
    }
    if (r.edits.length > 0) {
      const first = r.edits[0] as OffsetEdit;
      onApplyEdits(r.edits, positionAt(applyEdits(text, r.edits), first.start));
    }
    onClose();
  }

  function switchMode() {
    if (mode.kind === "special") setMode({ kind: "generic", state: generic.read(values) as GenericState });
    else {
      const s = special?.model.read(values);
      if (s != null) setMode({ kind: "special", state: s });
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    }
  }

  const headingId = `plugin-form-${directiveId}-heading`;
  return (
    <form
      ref={rootRef}
      tabIndex={-1}
      aria-labelledby={headingId}
      onKeyDown={onKeyDown}
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
      className="flex flex-col gap-4 outline-none"
    >
      <header className="flex flex-col gap-1">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h3 id={headingId} className="text-base font-semibold">
            Edit <code className="font-mono">{plugin}</code>
          </h3>
          {form ? (
            <a href={form.docsUrl} target="_blank" rel="noreferrer" className="text-sm text-sky-700 underline hover:text-sky-900 dark:text-sky-400 dark:hover:text-sky-300">
              {plugin} on coredns.io<span className="sr-only"> (opens in a new tab)</span>
            </a>
          ) : null}
        </div>
        {form ? <p className="text-sm text-slate-600 dark:text-slate-400">{form.summary}</p> : null}
        {special ? (
          <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
            {mode.kind === "generic" && !canSpecial ? <span>The {special.label} cannot show this directive as written, so the generic form is used.</span> : null}
            <button type="button" className="underline disabled:no-underline disabled:opacity-50" disabled={mode.kind === "generic" && !canSpecial} onClick={switchMode}>
              {mode.kind === "special" ? "Use the generic form" : `Use the ${special.label}`}
            </button>
          </div>
        ) : null}
      </header>

      {isStale ? (
        <Alert tone="info" title="The directive changed in the text">
          <p>Applying writes the form&apos;s values over it.</p>
          <button
            type="button"
            className={`mt-2 ${buttonClass()}`}
            onClick={() => {
              setBase(current);
              setMode(startMode(current));
            }}
          >
            Reload the form from the text
          </button>
        </Alert>
      ) : null}

      {mode.kind === "special" && special && form ? (
        <special.Component form={form} state={mode.state} onChange={(state) => setMode({ kind: "special", state })} messages={messages} values={settled} />
      ) : (
        <GenericForm form={form} state={mode.state as GenericState} onChange={(state) => setMode({ kind: "generic", state })} messages={messages} />
      )}

      {messages.directive.length > 0 ? (
        <div>
          <p className="text-sm font-medium">About the directive</p>
          <FieldMessages id={`${headingId}-directive-msg`} messages={messages.directive} />
        </div>
      ) : null}
      {applyError ? (
        <Alert tone="error" title="Not applied">
          {applyError}
        </Alert>
      ) : null}

      <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 pt-3 dark:border-slate-800">
        <button type="submit" className={buttonClass("primary")} disabled={!form || !isChanged} aria-describedby={`${headingId}-status`}>
          Apply
        </button>
        <button type="button" className={buttonClass()} onClick={onClose}>
          Cancel
        </button>
        <p id={`${headingId}-status`} role="status" className="text-xs text-slate-600 dark:text-slate-400">
          {!form ? "Read only." : !isChanged ? "No changes yet." : validation.ok ? "Apply writes this change to the text (undo with Ctrl+Z)." : `${countErrors(validation.messages)} problem(s) to fix.`}
        </p>
      </div>
    </form>
  );
}
