/**
 * Generic plugin forms, generated from the catalog's argument and option specs: what fields a plugin has, the values a
 * directive holds, validation messages per field (from the same validators CoreDNS's checks are mirrored in), and the
 * edits that write changed values back. Purpose-made editors (a hosts table, a rewrite rule builder) can sit on top:
 * they only need to produce `FormValues`.
 *
 * Values are kept as written: `args` is the directive's argument list, `options` the lines of its block in order.
 * `argsToFields` / `fieldsToArgs` map the argument list onto the spec's named fields for display.
 */
import {
  applyEdits,
  getPluginSpec,
  quoteArg,
  setDirectiveArgs,
  setOptionLines,
  tokenize,
  type ParseOptions,
  type Token,
} from "@/lib/corefile";
import { validatePlugin, type ArgSpec, type PluginSeverity, type ValueKind } from "@/lib/corefile/plugins";
import { indexDocument, keyTexts } from "./document-index";
import type { BoardActionResult } from "./types";

/** One input of a form. */
export type FormField = {
  /** The spec's placeholder name (`TTL`, `ZONES`...), unique within its list. */
  key: string;
  label: string;
  kind: ValueKind;
  required: boolean;
  /** Takes several values (`ZONES...`). */
  repeatable: boolean;
  default?: string;
  /** Allowed words for enums. */
  choices?: readonly string[];
  min?: number;
  max?: number;
  help?: string;
};

/** One block option of a form. */
export type OptionForm = {
  name: string;
  help: string;
  default?: string;
  /** May be written on several lines. */
  repeatable: boolean;
  /** Takes no value: present or absent. */
  isFlag: boolean;
  fields: FormField[];
  /** Set when the option is deprecated or removed, with what to use instead. */
  deprecated?: string;
};

/** The form of one plugin. */
export type PluginForm = {
  plugin: string;
  summary: string;
  syntax: string;
  docsUrl: string;
  /** Whether the plugin takes a `{ }` block: "none", "optional" or "required". */
  block: "none" | "optional" | "required";
  args: FormField[];
  options: OptionForm[];
};

/** A directive's values: its arguments and its block's lines, as written. */
export type FormValues = {
  args: string[];
  options: { name: string; args: string[] }[];
};

/**
 * A validation message attached to a field: `args.<i>` (an argument), `options.<i>` (an option line, by index in
 * `values.options`) or `directive` (the directive as a whole).
 */
export type FieldMessage = { field: string; severity: PluginSeverity; code: string; message: string };

function fieldOf(a: ArgSpec): FormField {
  const f: FormField = { key: a.name, label: labelOf(a.name), kind: a.kind, required: !a.optional, repeatable: a.variadic === true };
  if (a.default !== undefined) f.default = a.default;
  if (a.values) f.choices = a.values;
  if (a.min !== undefined) f.min = a.min;
  if (a.max !== undefined) f.max = a.max;
  if (a.help) f.help = a.help;
  return f;
}

/** `ZONES` → "Zones", `RESOURCE_GROUP` → "Resource group". */
function labelOf(name: string): string {
  const words = name.replace(/\.\.\.$/, "").replace(/[_-]+/g, " ").toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The form of a plugin from the catalog, or undefined for a directive stock CoreDNS does not know. */
export function describePluginForm(plugin: string): PluginForm | undefined {
  const spec = getPluginSpec(plugin);
  if (!spec) return undefined;
  return {
    plugin: spec.name,
    summary: spec.summary,
    syntax: spec.syntax,
    docsUrl: spec.docsUrl,
    block: spec.block,
    args: spec.args.map(fieldOf),
    options: spec.options.map((o) => {
      const form: OptionForm = {
        name: o.name,
        help: o.help,
        repeatable: o.repeatable === true,
        isFlag: o.args.length === 0,
        fields: o.args.map(fieldOf),
      };
      if (o.default) form.default = o.default;
      const v = o.versions;
      if (v?.removed || v?.deprecated) {
        form.deprecated = `${v.removed ? `Removed in CoreDNS ${v.removed}` : `Deprecated since CoreDNS ${v.deprecated}`}${v.replacedBy ? `; use ${v.replacedBy}` : ""}.`;
      }
      return form;
    }),
  };
}

/** A quick shape check, used only to decide which optional field a value belongs to. */
function fits(f: FormField, v: string): boolean {
  switch (f.kind) {
    case "integer":
      return /^-?\d+$/.test(v);
    case "number":
      return /^-?\d+(\.\d+)?$/.test(v);
    case "duration":
      return /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(v) || v === "0";
    case "duration-or-seconds":
      return /^\d+$/.test(v) || /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(v);
    case "enum":
      return !f.choices || f.choices.includes(v);
    case "boolean":
      return /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(v);
    default:
      return true;
  }
}

/**
 * Spreads an argument list over the form's fields (an optional field is skipped when the value does not fit it and a
 * later field can take it). Null when the list does not fit the fields.
 */
export function argsToFields(form: PluginForm, args: readonly string[]): Record<string, string[]> | null {
  const fields = form.args;
  const out: Record<string, string[]> = {};
  for (const f of fields) out[f.key] = [];
  const go = (fi: number, ai: number): boolean => {
    if (fi === fields.length) return ai === args.length;
    const f = fields[fi] as FormField;
    const v = args[ai];
    if (f.repeatable) {
      // Take as many as fit while leaving enough for the required fields after.
      const requiredAfter = fields.slice(fi + 1).filter((x) => x.required).length;
      let take = 0;
      while (ai + take < args.length - requiredAfter && fits(f, args[ai + take] as string)) take++;
      for (; take >= (f.required ? 1 : 0); take--) {
        out[f.key] = args.slice(ai, ai + take) as string[];
        if (go(fi + 1, ai + take)) return true;
      }
      out[f.key] = [];
      return false;
    }
    if (v !== undefined && fits(f, v)) {
      out[f.key] = [v];
      if (go(fi + 1, ai + 1)) return true;
    }
    out[f.key] = [];
    return !f.required && go(fi + 1, ai);
  };
  return go(0, 0) ? out : null;
}

/** The argument list for field values, in the spec's order (empty optional fields left out). */
export function fieldsToArgs(form: PluginForm, fields: Readonly<Record<string, readonly string[]>>): string[] {
  const out: string[] = [];
  for (const f of form.args) for (const v of fields[f.key] ?? []) if (v !== "") out.push(v);
  return out;
}

/** What {@link readForm} returns. */
export type ReadFormResult =
  | {
      ok: true;
      plugin: string;
      /** Undefined for a directive stock CoreDNS does not know (edit its values as a raw list). */
      form?: PluginForm;
      values: FormValues;
      /** The arguments spread over the form's fields; null when they do not fit (show them as a raw list). */
      fields: Record<string, string[]> | null;
      /** The keys of the directive's server block, for {@link validateForm}. */
      serverBlockKeys: string[];
    }
  | { ok: false; reason: string };

/** The values of a directive on the board. */
export function readForm(text: string, params: { id: string }, options: ParseOptions = {}): ReadFormResult {
  const ix = indexDocument(text, options);
  const t = ix.byId.get(params.id);
  const block = t?.kind === "item" ? ix.blocks[t.block] : undefined;
  const item = t?.kind === "item" ? block?.node.body[t.index] : undefined;
  if (!block || !item) return { ok: false, reason: `There is no directive '${params.id}' on the board.` };
  if (item.kind !== "Directive") return { ok: false, reason: "An import line has no form." };
  const inner = item.blocks[0];
  const values: FormValues = {
    args: item.args.map((a) => a.text),
    options: inner ? inner.body.map((o) => ({ name: o.kind === "Import" ? "import" : o.name.text, args: o.args.map((a) => a.text) })) : [],
  };
  const form = describePluginForm(item.name.text);
  const out: ReadFormResult = { ok: true, plugin: item.name.text, values, fields: form ? argsToFields(form, values.args) : null, serverBlockKeys: keyTexts(block.node) };
  if (form) out.form = form;
  return out;
}

/**
 * Checks values with the plugin's validator, as CoreDNS's set-up would, and attaches each finding to the field it is
 * about. `serverBlockKeys` are the keys of the block the directive is in (some checks depend on them).
 */
export function validateForm(
  plugin: string,
  values: FormValues,
  context: { serverBlockKeys?: string[]; corednsVersion?: string } = {},
): { ok: boolean; messages: FieldMessage[] } {
  const messages: FieldMessage[] = [];
  // Write the directive on its own, remembering which token is which field.
  const owners: string[] = [];
  const parts: string[] = [];
  const put = (raw: string, owner: string): void => {
    parts.push(raw);
    owners.push(owner);
  };
  const quote = (v: string, field: string): string | null => {
    const q = quoteArg(v);
    if (q === null) messages.push({ field, severity: "error", code: "UNWRITABLE_VALUE", message: `${JSON.stringify(v)} cannot be written as one Corefile value.` });
    return q;
  };
  const lines: string[] = [];
  let line = plugin;
  put(plugin, "directive");
  values.args.forEach((a, i) => {
    const q = quote(a, `args.${i}`);
    if (q === null) return;
    line += " " + q;
    put(q, `args.${i}`);
  });
  if (values.options.length > 0) {
    line += " {";
    put("{", "directive");
  }
  lines.push(line);
  values.options.forEach((o, i) => {
    const field = `options.${i}`;
    const name = quote(o.name, field);
    if (name === null) return;
    let l = "    " + name;
    put(name, field);
    o.args.forEach((a, j) => {
      const q = quote(a, `${field}.args.${j}`);
      if (q === null) return;
      l += " " + q;
      put(q, `${field}.args.${j}`);
    });
    lines.push(l);
  });
  if (values.options.length > 0) {
    lines.push("}");
    put("}", "directive");
  }
  if (messages.length > 0) return { ok: false, messages };
  const tokens = tokenize(lines.join("\n"));
  if (tokens.length !== owners.length) {
    messages.push({ field: "directive", severity: "error", code: "UNWRITABLE_VALUE", message: "A value contains braces or quotes that change the directive's structure." });
    return { ok: false, messages };
  }
  const ctx: { serverBlockKeys?: string[]; corednsVersion?: string } = {};
  if (context.serverBlockKeys) ctx.serverBlockKeys = context.serverBlockKeys;
  if (context.corednsVersion) ctx.corednsVersion = context.corednsVersion;
  for (const d of validatePlugin(plugin, tokens, ctx)) {
    const at = tokens.findIndex((t: Token) => t.line === d.line && t.column <= d.column && d.column < t.endColumn + (t.endLine > t.line ? 1e9 : 0));
    messages.push({ field: at >= 0 ? (owners[at] as string) : "directive", severity: d.severity, code: d.code, message: d.message });
  }
  return { ok: !messages.some((m) => m.severity === "error"), messages };
}

/**
 * Writes form values back to a directive: changed arguments through `setDirectiveArgs`, changed option lines through
 * `setOptionLines` (lines of an option are rewritten in place, surplus ones removed, new ones added after the last of
 * their name or at the end of the block). Lines whose name and values did not change are not touched, nor is their
 * order. Returns one minimal edit covering what changed, and the directive's id in the new text as `focus`.
 */
export function writeForm(text: string, params: { id: string; values: FormValues }, options: ParseOptions = {}): BoardActionResult {
  const read = readForm(text, { id: params.id }, options);
  if (!read.ok) return read;
  const ix = indexDocument(text, options);
  const t = ix.byId.get(params.id);
  if (!t || t.kind !== "item") return { ok: false, reason: `There is no directive '${params.id}' on the board.` };
  const addr = { block: t.block, directive: t.index };
  let current = text;
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(read.values.args, params.values.args)) {
    const r = setDirectiveArgs(current, { ...addr, args: params.values.args });
    if (!r.ok) return r;
    current = applyEdits(current, r.edits);
  }
  const names: string[] = [];
  for (const o of [...read.values.options, ...params.values.options]) if (!names.includes(o.name)) names.push(o.name);
  for (const name of names) {
    const before = read.values.options.filter((o) => o.name === name).map((o) => o.args);
    const after = params.values.options.filter((o) => o.name === name).map((o) => o.args);
    if (before.length === after.length && before.every((b, i) => same(b, after[i] as string[]))) continue;
    const r = setOptionLines(current, { ...addr, option: name, lines: after });
    if (!r.ok) return r;
    current = applyEdits(current, r.edits);
  }
  const title = `Edit '${read.plugin}'`;
  if (current === text) return { ok: true, title, edits: [], focus: params.id };
  const focus = indexDocument(current, options).blocks[addr.block]?.itemIds[addr.directive];
  const out: BoardActionResult = { ok: true, title, edits: [minimalEdit(text, current)] };
  if (focus) out.focus = focus;
  return out;
}

/** One edit turning `a` into `b`, without their common prefix and suffix. */
function minimalEdit(a: string, b: string): { start: number; end: number; newText: string } {
  let p = 0;
  const max = Math.min(a.length, b.length);
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let q = 0;
  while (q < max - p && a.charCodeAt(a.length - 1 - q) === b.charCodeAt(b.length - 1 - q)) q++;
  return { start: p, end: a.length - q, newText: b.slice(p, b.length - q) };
}
