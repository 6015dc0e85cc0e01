/**
 * The generic form's state: a directive's arguments spread over the catalog's named fields, and each line of its block
 * spread over its option's fields. Values that do not fit the spec stay a raw word list, so nothing is lost.
 */
import { argsToFields, fieldsToArgs, type FieldMessage, type FormField, type FormValues, type PluginForm } from "@/lib/board";
import { isSameList, type EditorModel, type OptionLine } from "./options-model";

/** Values per field key; a non-repeatable field holds zero or one value. */
export type FieldValues = Record<string, string[]>;

/** One line of the block in the generic form. */
export type GenericLine = {
  name: string;
  /** The line's arguments over its option's fields; null when the option is unknown or the values do not fit. */
  fields: FieldValues | null;
  /** The arguments as written (edited as a word list when `fields` is null). */
  raw: string[];
};

export type GenericState = {
  /** The arguments over the plugin's fields; null when they do not fit (then `rawArgs` is edited as a list). */
  fields: FieldValues | null;
  rawArgs: string[];
  /** The block's lines in text order. */
  lines: GenericLine[];
};

/** A stand-in form whose argument fields are an option's, so argsToFields/fieldsToArgs work on option lines. */
function asForm(fields: readonly FormField[]): PluginForm {
  return { plugin: "", summary: "", syntax: "", docsUrl: "", block: "none", args: [...fields], options: [] };
}

/** Spreads values over fields only when writing them back gives exactly the same list. */
export function spreadArgs(fields: readonly FormField[], args: readonly string[]): FieldValues | null {
  const form = asForm(fields);
  const spread = argsToFields(form, args);
  if (!spread) return null;
  return isSameList(fieldsToArgs(form, spread), args) ? spread : null;
}

/** The argument list for field values (empty values left out, as fieldsToArgs does). */
export function joinArgs(fields: readonly FormField[], values: FieldValues): string[] {
  const trimmed: FieldValues = {};
  for (const [k, v] of Object.entries(values)) trimmed[k] = v.map((x) => x.trim());
  return fieldsToArgs(asForm(fields), trimmed);
}

/**
 * Fields whose values would be read back into another field once written (an optional field left empty while a later
 * one is filled, and the later value fits the empty one): key → the label of the field that would take it.
 */
export function findShiftedFields(fields: readonly FormField[], values: FieldValues): Map<string, string> {
  const out = new Map<string, string>();
  const args = joinArgs(fields, values);
  const back = argsToFields(asForm(fields), args);
  for (const f of fields) {
    const want = (values[f.key] ?? []).map((x) => x.trim()).filter((x) => x !== "");
    const got = back?.[f.key] ?? [];
    if (!isSameList(want, got) && want.length > 0) {
      const thief = fields.find((g) => g.key !== f.key && (back?.[g.key] ?? []).some((x) => want.includes(x)));
      out.set(f.key, thief?.label ?? "another field");
    }
  }
  return out;
}

/** Reads a block line into the generic form's shape. */
export function readLine(form: PluginForm | undefined, line: OptionLine): GenericLine {
  const spec = form?.options.find((o) => o.name === line.name);
  return { name: line.name, fields: spec ? spreadArgs(spec.fields, line.args) : null, raw: [...line.args] };
}

/** The arguments of a generic line. */
export function writeLine(form: PluginForm | undefined, line: GenericLine): string[] {
  const spec = form?.options.find((o) => o.name === line.name);
  if (spec && line.fields) return joinArgs(spec.fields, line.fields);
  // Raw lists are kept as written (a quoted empty value included); the UI only replaces them with typed words.
  return [...line.raw];
}

/** A new, empty line for an option. */
export function createLine(form: PluginForm | undefined, name: string): GenericLine {
  const spec = form?.options.find((o) => o.name === name);
  if (!spec) return { name, fields: null, raw: [] };
  const fields: FieldValues = {};
  for (const f of spec.fields) fields[f.key] = f.repeatable ? [""] : [];
  return { name, fields, raw: [] };
}

/** Adds a line after the last line of the same name (where writeForm will put it), or at the end. */
export function addLine(lines: readonly GenericLine[], line: GenericLine): GenericLine[] {
  const out = [...lines];
  let last = -1;
  out.forEach((l, i) => {
    if (l.name === line.name) last = i;
  });
  out.splice(last === -1 ? out.length : last + 1, 0, line);
  return out;
}

/** The generic form's model for a plugin (undefined form: a directive stock CoreDNS does not know). */
export function createGenericModel(form: PluginForm | undefined): EditorModel<GenericState> {
  return {
    read(values: FormValues): GenericState {
      const fields = form ? spreadArgs(form.args, values.args) : null;
      return { fields, rawArgs: [...values.args], lines: values.options.map((o) => readLine(form, o)) };
    },
    check(state: GenericState): FieldMessage[] {
      if (!form || !state.fields) return [];
      return [...findShiftedFields(form.args, state.fields)].map(([key, thief]) => ({
        field: `local.args.${key}`,
        severity: "error",
        code: "FIELD_SHIFT",
        message: `Without a value before it, this would be read as ${thief}: fill in ${thief} too.`,
      }));
    },
    write(state: GenericState): FormValues {
      const args = form && state.fields ? joinArgs(form.args, state.fields) : [...state.rawArgs];
      return { args, options: state.lines.map((l) => ({ name: l.name, args: writeLine(form, l) })) };
    },
  };
}
