"use client";

import { useId, useState, type ReactNode } from "react";
import type { FieldMessage, FormField } from "@/lib/board";
import { buttonClass } from "@/components/ui/button-class";
import { isSameList, joinWords, splitWords } from "./options-model";

/** Tailwind classes of the forms' text inputs and selects. */
export function inputClass(isInvalid: boolean): string {
  const border = isInvalid ? "border-red-600 dark:border-red-500" : "border-slate-300 dark:border-slate-700";
  return `w-full min-w-0 rounded-md border ${border} bg-white px-2 py-1 font-mono text-sm text-slate-900 placeholder:text-slate-400 dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-500`;
}

export const smallButton = "rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-40 dark:border-slate-700 dark:hover:bg-slate-800";

const SEVERITY_CLASS = {
  error: "text-red-700 dark:text-red-400",
  warning: "text-amber-800 dark:text-amber-300",
  info: "text-sky-800 dark:text-sky-300",
} as const;

/** Validation messages under a field; `id` is what the field's aria-describedby points at. */
export function FieldMessages({ id, messages }: { id: string; messages: readonly FieldMessage[] }) {
  if (messages.length === 0) return null;
  return (
    <ul id={id} className="mt-1 flex flex-col gap-0.5 text-xs">
      {messages.map((m, i) => (
        <li key={`${m.code}-${i}`} className={`font-medium ${SEVERITY_CLASS[m.severity]}`}>
          <span className="sr-only">{m.severity}: </span>
          {m.message}
        </li>
      ))}
    </ul>
  );
}

/** The ids a control is described by: its messages first, then its help. */
export function describedBy(id: string, messages: readonly FieldMessage[], help: ReactNode): string | undefined {
  const ids = [messages.length > 0 ? `${id}-msg` : null, help ? `${id}-help` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

export function FieldHelp({ id, help }: { id: string; help: ReactNode }) {
  if (!help) return null;
  return (
    <p id={id} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
      {typeof help === "string" ? renderHelp(help) : help}
    </p>
  );
}

/** Catalog help text, with its `code` spans shown as code. */
export function renderHelp(text: string): ReactNode[] {
  return text.split("`").map((part, i) => (i % 2 === 1 ? <code key={i} className="rounded bg-slate-100 px-0.5 font-mono dark:bg-slate-800">{part}</code> : part));
}

function hasError(messages: readonly FieldMessage[]): boolean {
  return messages.some((m) => m.severity === "error");
}

/** The placeholder and keyboard of an input for a catalog value kind. */
export function describeKind(field: Pick<FormField, "kind" | "default">): { placeholder: string; inputMode?: "numeric" | "decimal"; hint: string } {
  const def = field.default;
  switch (field.kind) {
    case "integer":
      return { placeholder: def ?? "", inputMode: "numeric", hint: "whole number" };
    case "number":
      return { placeholder: def ?? "", inputMode: "decimal", hint: "number" };
    case "duration":
      return { placeholder: def ?? "30s", hint: "duration, e.g. 30s or 1m" };
    case "duration-or-seconds":
      return { placeholder: def ?? "30s", hint: "duration or seconds" };
    case "ip":
      return { placeholder: def ?? "10.0.0.1", hint: "IP address" };
    case "cidr":
      return { placeholder: def ?? "10.0.0.0/8", hint: "CIDR prefix" };
    case "zones":
      return { placeholder: def ?? "example.org", hint: "zone" };
    case "domain":
      return { placeholder: def ?? "example.org", hint: "domain name" };
    case "hostport":
      return { placeholder: def ?? ":53", hint: "host:port" };
    case "upstream":
      return { placeholder: def ?? "8.8.8.8", hint: "upstream address" };
    case "file":
      return { placeholder: def ?? "/path/to/file", hint: "file path" };
    case "url":
      return { placeholder: def ?? "https://", hint: "URL" };
    default:
      return { placeholder: def ?? "", hint: field.kind };
  }
}

type CommonProps = {
  label: string;
  help?: ReactNode;
  messages?: readonly FieldMessage[];
  /** Shown after the label in lighter text, e.g. "(optional)". */
  hint?: string;
  /** A badge after the label (e.g. "deprecated"). */
  badge?: ReactNode;
};

function Label({ htmlFor, label, hint, badge }: { htmlFor: string; label: string; hint?: string | undefined; badge?: ReactNode }) {
  return (
    <label htmlFor={htmlFor} className="flex flex-wrap items-baseline gap-1 text-sm font-medium">
      {label}
      {hint ? <span className="font-normal text-slate-500 dark:text-slate-400">{hint}</span> : null}
      {badge}
    </label>
  );
}

export function TextField({
  label,
  help,
  messages = [],
  hint,
  badge,
  value,
  onChange,
  placeholder,
  inputMode,
}: CommonProps & { value: string; onChange(value: string): void; placeholder?: string | undefined; inputMode?: "numeric" | "decimal" | undefined }) {
  const id = useId();
  return (
    <div className="min-w-0">
      <Label htmlFor={id} label={label} hint={hint} badge={badge} />
      <input
        id={id}
        type="text"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={placeholder}
        inputMode={inputMode}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={hasError(messages) ? true : undefined}
        aria-describedby={describedBy(id, messages, help)}
        className={`mt-1 ${inputClass(hasError(messages))}`}
      />
      <FieldMessages id={`${id}-msg`} messages={messages} />
      <FieldHelp id={`${id}-help`} help={help} />
    </div>
  );
}

/**
 * A text input for a list of words (space separated). It keeps the text as typed, so a space can be typed between
 * words, and follows the words given when they change from outside.
 */
export function WordsField({ words, onChange, ...rest }: CommonProps & { words: readonly string[]; onChange(words: string[]): void; placeholder?: string }) {
  const [text, setText] = useState(() => joinWords(words));
  const [shown, setShown] = useState<readonly string[]>(words);
  if (shown !== words && !isSameList(shown, words)) {
    setShown(words);
    if (!isSameList(splitWords(text), words)) setText(joinWords(words));
  }
  return (
    <TextField
      {...rest}
      value={text}
      onChange={(v) => {
        setText(v);
        const next = splitWords(v);
        setShown(next);
        onChange(next);
      }}
    />
  );
}

export function SelectField({
  label,
  help,
  messages = [],
  hint,
  badge,
  value,
  onChange,
  options,
  emptyLabel,
}: CommonProps & {
  value: string;
  onChange(value: string): void;
  options: readonly string[];
  /** The label of the empty choice ("not set"); no empty choice when undefined. */
  emptyLabel?: string;
}) {
  const id = useId();
  const known = options.includes(value) || value === "";
  return (
    <div className="min-w-0">
      <Label htmlFor={id} label={label} hint={hint} badge={badge} />
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={hasError(messages) ? true : undefined}
        aria-describedby={describedBy(id, messages, help)}
        className={`mt-1 ${inputClass(hasError(messages))}`}
      >
        {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
        {known ? null : <option value={value}>{value}</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      <FieldMessages id={`${id}-msg`} messages={messages} />
      <FieldHelp id={`${id}-help`} help={help} />
    </div>
  );
}

export function CheckboxField({ label, help, messages = [], badge, checked, onChange }: CommonProps & { checked: boolean; onChange(checked: boolean): void }) {
  const id = useId();
  return (
    <div className="min-w-0">
      <div className="flex items-start gap-2">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
          aria-invalid={hasError(messages) ? true : undefined}
          aria-describedby={describedBy(id, messages, help)}
          className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-sky-700 dark:border-slate-700 dark:accent-sky-500"
        />
        <label htmlFor={id} className="flex flex-wrap items-baseline gap-1 text-sm font-medium">
          {label}
          {badge}
        </label>
      </div>
      <FieldMessages id={`${id}-msg`} messages={messages} />
      <FieldHelp id={`${id}-help`} help={help} />
    </div>
  );
}

/** A labelled group of controls. */
export function FieldGroup({ legend, help, messages = [], children }: { legend: ReactNode; help?: ReactNode; messages?: readonly FieldMessage[]; children: ReactNode }) {
  const id = useId();
  return (
    <fieldset aria-describedby={describedBy(id, messages, help)} className="min-w-0 rounded-md border border-slate-200 p-3 dark:border-slate-800">
      <legend className="px-1 text-sm font-semibold">{legend}</legend>
      <div className="flex flex-col gap-3">{children}</div>
      <FieldMessages id={`${id}-msg`} messages={messages} />
      <FieldHelp id={`${id}-help`} help={help} />
    </fieldset>
  );
}

/**
 * A list of values edited as rows (zones, upstreams, namespaces...): one input per row, remove buttons, an add button,
 * and optional move up/down buttons.
 */
export function ValueList({
  label,
  help,
  values,
  onChange,
  messagesAt = () => [],
  messages = [],
  placeholder,
  itemLabel,
  canReorder = false,
}: {
  label: string;
  help?: ReactNode;
  values: readonly string[];
  onChange(values: string[]): void;
  /** Messages about one row. */
  messagesAt?: (index: number) => readonly FieldMessage[];
  /** Messages about the list as a whole. */
  messages?: readonly FieldMessage[];
  placeholder?: string;
  /** What one row is called ("zone"), for the buttons' names. */
  itemLabel: string;
  canReorder?: boolean;
}) {
  const id = useId();
  const set = (i: number, v: string) => onChange(values.map((x, k) => (k === i ? v : x)));
  return (
    <fieldset aria-describedby={describedBy(id, messages, help)} className="min-w-0">
      <legend className="text-sm font-medium">{label}</legend>
      <ul className="mt-1 flex flex-col gap-1">
        {values.map((v, i) => {
          const rowMessages = messagesAt(i);
          const rowId = `${id}-row-${i}`;
          return (
            <li key={i}>
              <div className="flex items-center gap-1">
                <input
                  type="text"
                  value={v}
                  aria-label={`${itemLabel} ${i + 1}`}
                  onChange={(event) => set(i, event.target.value)}
                  placeholder={placeholder}
                  spellCheck={false}
                  autoComplete="off"
                  aria-invalid={hasError(rowMessages) ? true : undefined}
                  aria-describedby={rowMessages.length > 0 ? `${rowId}-msg` : undefined}
                  className={inputClass(hasError(rowMessages))}
                />
                {canReorder ? (
                  <>
                    <button type="button" className={smallButton} aria-label={`Move ${itemLabel} ${i + 1} up`} disabled={i === 0} onClick={() => onChange(swap(values, i, i - 1))}>
                      ↑
                    </button>
                    <button
                      type="button"
                      className={smallButton}
                      aria-label={`Move ${itemLabel} ${i + 1} down`}
                      disabled={i === values.length - 1}
                      onClick={() => onChange(swap(values, i, i + 1))}
                    >
                      ↓
                    </button>
                  </>
                ) : null}
                <button type="button" className={smallButton} aria-label={`Remove ${itemLabel} ${i + 1}`} onClick={() => onChange(values.filter((_, k) => k !== i))}>
                  ✕
                </button>
              </div>
              <FieldMessages id={`${rowId}-msg`} messages={rowMessages} />
            </li>
          );
        })}
      </ul>
      <button type="button" className={`mt-1 ${smallButton}`} onClick={() => onChange([...values, ""])}>
        Add {itemLabel}
      </button>
      <FieldMessages id={`${id}-msg`} messages={messages} />
      <FieldHelp id={`${id}-help`} help={help} />
    </fieldset>
  );
}

function swap<T>(rows: readonly T[], a: number, b: number): T[] {
  const out = [...rows];
  [out[a], out[b]] = [out[b] as T, out[a] as T];
  return out;
}

/** A small "deprecated" badge with the reason in its title and for screen readers. */
export function DeprecatedBadge({ note }: { note: string }) {
  return (
    <span title={note} className="rounded bg-amber-100 px-1.5 text-xs font-normal text-amber-900 dark:bg-amber-900/60 dark:text-amber-100">
      deprecated<span className="sr-only">: {note}</span>
    </span>
  );
}

export { buttonClass };
