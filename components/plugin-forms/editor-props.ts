import type { FormValues, PluginForm } from "@/lib/board";
import type { MessageIndex } from "./form-messages";

/** What the panel gives a purpose-made editor. */
export type EditorProps<S> = {
  form: PluginForm;
  state: S;
  onChange(next: S): void;
  /** Validation messages of `values`, the values the state writes. */
  messages: MessageIndex;
  values: FormValues;
};

/** An option's help text from the catalog, with its default. */
export function optionHelp(form: PluginForm, name: string): string {
  const o = form.options.find((x) => x.name === name);
  if (!o) return "";
  return `${o.help}${o.default ? ` Default: ${o.default}.` : ""}`;
}

/** An argument's help text from the catalog. */
export function argHelp(form: PluginForm, key: string): string {
  return form.args.find((a) => a.key === key)?.help ?? "";
}

/** For each row, its index among the rows that are written (-1: empty, left out). */
export function indexWrittenRows<T>(rows: readonly T[], isWritten: (row: T) => boolean, offset = 0): number[] {
  let next = offset;
  return rows.map((r) => (isWritten(r) ? next++ : -1));
}
