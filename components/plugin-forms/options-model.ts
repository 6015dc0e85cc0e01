/**
 * Helpers shared by the form models: option lines, word lists, the order writeForm will leave option lines in, and the
 * contract every editor model follows. Pure TypeScript (no React), so the models can be tested without a DOM.
 */
import type { FieldMessage, FormValues } from "@/lib/board";

/** One line of a directive's block: its name and arguments, as written. */
export type OptionLine = FormValues["options"][number];

/**
 * An editor's view of a directive. `read` turns the directive's values into editor state, or gives null when the
 * directive uses a shape the editor cannot show faithfully (the panel then falls back to the generic form). `write`
 * turns state back into values; `base` is what the directive holds now, so lines the editor does not show are kept.
 * `write(read(v), v)` must give values that writeForm writes as no edit at all.
 */
export type EditorModel<S> = {
  read(values: FormValues): S | null;
  write(state: S, base: FormValues): FormValues;
  /**
   * Problems the plugin's validator cannot see because writing hides them (a TTL typed as a word would be read as a
   * zone). Keyed `local.<name>`; they block Apply like validation errors.
   */
  check?(state: S): FieldMessage[];
};

/** Splits what a user typed into words (spaces, tabs and commas-free: Corefile values are space separated). */
export function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== "");
}

/** The words of a list as one line of text for an input. */
export function joinWords(words: readonly string[]): string {
  return words.join(" ");
}

/** True when both lists hold the same strings in the same order. */
export function isSameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** True when both value sets are equal (arguments and every option line, in order). */
export function isSameValues(a: FormValues, b: FormValues): boolean {
  return (
    isSameList(a.args, b.args) &&
    a.options.length === b.options.length &&
    a.options.every((o, i) => o.name === b.options[i]?.name && isSameList(o.args, b.options[i]?.args ?? []))
  );
}

/**
 * Picks the first line of each named option out of a block; every other line (repeats, options the editor does not
 * show, inline data) is returned in `rest`, in order, so writing it back changes nothing.
 */
export function takeOptions(options: readonly OptionLine[], names: readonly string[]): { first: Map<string, string[]>; rest: OptionLine[] } {
  const first = new Map<string, string[]>();
  const rest: OptionLine[] = [];
  for (const o of options) {
    if (names.includes(o.name) && !first.has(o.name)) first.set(o.name, [...o.args]);
    else rest.push({ name: o.name, args: [...o.args] });
  }
  return { first, rest };
}

/**
 * The option lines in the order writeForm leaves them in the text: for each name, existing lines are rewritten in
 * place, surplus ones removed, and new ones added after the last line of that name (or at the end of the block).
 * Editors emit their lines grouped by name; this puts them where they will really be, so validation sees the result.
 */
export function orderLikeWrite(base: readonly OptionLine[], next: readonly OptionLine[]): OptionLine[] {
  let out: OptionLine[] = base.map((o) => ({ name: o.name, args: [...o.args] }));
  const names: string[] = [];
  for (const o of [...base, ...next]) if (!names.includes(o.name)) names.push(o.name);
  for (const name of names) {
    const after = next.filter((o) => o.name === name);
    const at = out.flatMap((o, i) => (o.name === name ? [i] : []));
    const paired = Math.min(at.length, after.length);
    for (let i = 0; i < paired; i++) out[at[i] as number] = { name, args: [...(after[i] as OptionLine).args] };
    if (at.length > after.length) {
      const drop = new Set(at.slice(paired));
      out = out.filter((_, i) => !drop.has(i));
    } else if (after.length > at.length) {
      const extra = after.slice(paired).map((o) => ({ name, args: [...o.args] }));
      const last = at[at.length - 1];
      out.splice(last === undefined ? out.length : last + 1, 0, ...extra);
    }
  }
  return out;
}

/** Drops trailing empty strings; an empty value between filled ones takes `fill` (a documented default) instead. */
export function trimPositional(values: readonly string[], fill: readonly (string | undefined)[] = []): string[] {
  const out = values.map((v) => v.trim());
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out.map((v, i) => (v === "" ? (fill[i] ?? "") : v));
}

/**
 * True when writeForm would write `next` over `base` as no edit: the same arguments, and for every option name the
 * same lines in the same order (lines of different names may be listed in any order).
 */
export function isSameForWrite(base: FormValues, next: FormValues): boolean {
  if (!isSameList(base.args, next.args)) return false;
  const names = new Set([...base.options, ...next.options].map((o) => o.name));
  for (const name of names) {
    const a = base.options.filter((o) => o.name === name);
    const b = next.options.filter((o) => o.name === name);
    if (a.length !== b.length || !a.every((o, i) => isSameList(o.args, (b[i] as OptionLine).args))) return false;
  }
  return true;
}

/**
 * Wraps a model so `read` gives null unless writing the state straight back changes nothing: a directive the editor
 * would silently rewrite (an unusual spelling, a value order it does not keep) goes to the generic form instead.
 */
export function guardRoundTrip<S>(model: EditorModel<S>): EditorModel<S> {
  return {
    read(values) {
      const state = model.read(values);
      return state !== null && isSameForWrite(values, model.write(state, values)) ? state : null;
    },
    write: model.write,
    ...(model.check ? { check: model.check } : {}),
  };
}

/** A one-value option line, or nothing when the value is empty. */
export function lineIf(name: string, value: string): OptionLine[] {
  const v = value.trim();
  return v === "" ? [] : [{ name, args: [v] }];
}

/** A flag line when set. */
export function flagIf(name: string, isSet: boolean): OptionLine[] {
  return isSet ? [{ name, args: [] }] : [];
}
