"use client";

import { useId, type ReactNode } from "react";

/** Tailwind classes of the recipe forms' text inputs and selects. */
export function inputClass(isInvalid: boolean): string {
  const border = isInvalid ? "border-red-600 dark:border-red-500" : "border-slate-300 dark:border-slate-700";
  return `w-full rounded-md border ${border} bg-white px-2 py-1 text-sm text-slate-900 placeholder:text-slate-400 dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-500`;
}

/** The ids a control points at with aria-describedby: its help text and its error, when shown. */
function describedBy(helpId: string, errorId: string, help: ReactNode, error: string | undefined): string | undefined {
  const ids = [error ? errorId : null, help ? helpId : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/** The message under a field that is not valid. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-xs font-medium text-red-700 dark:text-red-400">
      {message}
    </p>
  );
}

function FieldHelp({ id, help }: { id: string; help: ReactNode }) {
  if (!help) return null;
  return (
    <p id={id} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
      {help}
    </p>
  );
}

type CommonProps = {
  label: string;
  help?: ReactNode;
  error?: string | undefined;
  /** Shown after the label, e.g. "(optional)". */
  hint?: string;
};

export function TextField({
  label,
  help,
  error,
  hint,
  value,
  onChange,
  placeholder,
  inputMode,
  list,
  type = "text",
  spellCheck = false,
}: CommonProps & {
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  inputMode?: "text" | "numeric" | "decimal";
  list?: string;
  type?: "text" | "number";
  spellCheck?: boolean;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
        {hint ? <span className="font-normal text-slate-500 dark:text-slate-400"> {hint}</span> : null}
      </label>
      <input
        id={id}
        type={type}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={placeholder}
        inputMode={inputMode}
        list={list}
        spellCheck={spellCheck}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${id}-help`, `${id}-error`, help, error)}
        className={`mt-1 ${inputClass(Boolean(error))}`}
      />
      <FieldError id={`${id}-error`} message={error} />
      <FieldHelp id={`${id}-help`} help={help} />
    </div>
  );
}

export function SelectField<T extends string>({
  label,
  help,
  error,
  hint,
  value,
  onChange,
  options,
}: CommonProps & { value: T; onChange(value: T): void; options: readonly { value: T; label: string }[] }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
        {hint ? <span className="font-normal text-slate-500 dark:text-slate-400"> {hint}</span> : null}
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value as T)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${id}-help`, `${id}-error`, help, error)}
        className={`mt-1 ${inputClass(Boolean(error))}`}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} message={error} />
      <FieldHelp id={`${id}-help`} help={help} />
    </div>
  );
}

export function CheckboxField({ label, help, error, checked, onChange }: CommonProps & { checked: boolean; onChange(checked: boolean): void }) {
  const id = useId();
  return (
    <div>
      <div className="flex items-start gap-2">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(`${id}-help`, `${id}-error`, help, error)}
          className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-sky-700 dark:border-slate-700 dark:accent-sky-500"
        />
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
      </div>
      <FieldError id={`${id}-error`} message={error} />
      <FieldHelp id={`${id}-help`} help={help} />
    </div>
  );
}

/** A fieldset with a legend, for groups of checkboxes or rows. */
export function FieldGroup({ legend, help, error, children }: { legend: string; help?: ReactNode; error?: string | undefined; children: ReactNode }) {
  const id = useId();
  return (
    <fieldset aria-describedby={describedBy(`${id}-help`, `${id}-error`, help, error)} className="min-w-0">
      <legend className="text-sm font-medium">{legend}</legend>
      <div className="mt-1 flex flex-col gap-2">{children}</div>
      <FieldError id={`${id}-error`} message={error} />
      <FieldHelp id={`${id}-help`} help={help} />
    </fieldset>
  );
}

/** The optional server-block field most recipes share, with the file's block keys offered as suggestions. */
export function BlockKeyField({
  value,
  onChange,
  error,
  blockKeys,
  help,
  placeholder = ".:53",
  hint,
}: {
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  blockKeys: readonly string[];
  help: ReactNode;
  placeholder?: string;
  hint?: string;
}) {
  const listId = useId();
  return (
    <>
      <TextField label="Server block" hint={hint} value={value} onChange={onChange} error={error} help={help} placeholder={placeholder} list={listId} />
      <datalist id={listId}>
        {blockKeys.map((key) => (
          <option key={key} value={key} />
        ))}
      </datalist>
    </>
  );
}
