"use client";

import type { FieldMessage, FormField, OptionForm, PluginForm } from "@/lib/board";
import {
  CheckboxField,
  DeprecatedBadge,
  FieldGroup,
  SelectField,
  TextField,
  ValueList,
  WordsField,
  describeKind,
  renderHelp,
  smallButton,
} from "./fields";
import type { MessageIndex } from "./form-messages";
import { addLine, createLine, findShiftedFields, type FieldValues, type GenericLine, type GenericState } from "./generic-model";
import { joinWords } from "./options-model";

export type GenericFormProps = {
  form: PluginForm | undefined;
  state: GenericState;
  onChange(next: GenericState): void;
  messages: MessageIndex;
};

/** For each field, the index in the written argument list of each of its rows (-1: empty, left out). */
export function mapArgIndexes(fields: readonly FormField[], values: FieldValues): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let next = 0;
  for (const f of fields) out.set(f.key, (values[f.key] ?? []).map((v) => (v.trim() === "" ? -1 : next++)));
  return out;
}

function argMessages(all: readonly FieldMessage[], j: number): FieldMessage[] {
  return all.filter((m) => m.field.endsWith(`.args.${j}`));
}

/**
 * Inputs for a list of catalog fields (a directive's arguments or one option line's values). `messageAt(j)` gives the
 * messages about the j-th written value.
 */
function FieldInputs({
  fields,
  values,
  onChange,
  messageAt,
  labelPrefix = "",
}: {
  fields: readonly FormField[];
  values: FieldValues;
  onChange(next: FieldValues): void;
  messageAt(j: number): readonly FieldMessage[];
  labelPrefix?: string;
}) {
  const indexes = mapArgIndexes(fields, values);
  const shifted = findShiftedFields(fields, values);
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {fields.map((f) => {
        const rows = values[f.key] ?? [];
        const at = indexes.get(f.key) ?? [];
        const kind = describeKind(f);
        const label = `${labelPrefix}${f.label}`;
        const hint = `${f.required ? "" : "optional, "}${kind.hint}`;
        const shift = shifted.get(f.key);
        const shiftMessages: FieldMessage[] = shift
          ? [{ field: "", severity: "error", code: "FIELD_SHIFT", message: `Without a value before it, this would be read as ${shift}: fill in ${shift} too.` }]
          : [];
        const messagesOf = (row: number): readonly FieldMessage[] => ((at[row] ?? -1) >= 0 ? messageAt(at[row] as number) : []);
        if (f.repeatable) {
          return (
            <div key={f.key} className="sm:col-span-2">
              <ValueList
                label={`${label} (${hint})`}
                help={f.help}
                values={rows}
                onChange={(next) => onChange({ ...values, [f.key]: next })}
                messagesAt={messagesOf}
                messages={shiftMessages}
                placeholder={kind.placeholder}
                itemLabel={f.label.toLowerCase()}
              />
            </div>
          );
        }
        const value = rows[0] ?? "";
        const set = (v: string) => onChange({ ...values, [f.key]: v === "" ? [] : [v] });
        const messages = [...messagesOf(0), ...shiftMessages];
        if (f.kind === "enum" && f.choices) {
          return (
            <SelectField
              key={f.key}
              label={label}
              hint={f.required ? undefined : "optional"}
              help={f.help}
              value={value}
              onChange={set}
              options={f.choices}
              emptyLabel={f.required ? "Choose…" : f.default ? `(default: ${f.default})` : "(not set)"}
              messages={messages}
            />
          );
        }
        return <TextField key={f.key} label={label} hint={hint} help={f.help} value={value} onChange={set} placeholder={kind.placeholder} inputMode={kind.inputMode} messages={messages} />;
      })}
    </div>
  );
}

/** One line of an option: its fields, or its raw words when they do not fit the catalog's fields. */
function LineInputs({ spec, line, index, onChange, messages }: { spec: OptionForm; line: GenericLine; index: number; onChange(next: GenericLine): void; messages: MessageIndex }) {
  const all = messages.line(index);
  if (!line.fields) {
    return (
      <WordsField label={`${spec.name} values`} hint="as written, space separated" words={line.raw} onChange={(raw) => onChange({ ...line, raw })} messages={all} />
    );
  }
  return <FieldInputs fields={spec.fields} values={line.fields} onChange={(fields) => onChange({ ...line, fields })} messageAt={(j) => argMessages(all, j)} labelPrefix={`${spec.name}: `} />;
}

/** The form generated from the catalog: the directive's arguments, then every option of its block. */
export function GenericForm({ form, state, onChange, messages }: GenericFormProps) {
  const setLine = (i: number, line: GenericLine) => onChange({ ...state, lines: state.lines.map((l, k) => (k === i ? line : l)) });
  const removeLines = (pred: (l: GenericLine, i: number) => boolean) => onChange({ ...state, lines: state.lines.filter((l, i) => !pred(l, i)) });
  const add = (name: string) => onChange({ ...state, lines: addLine(state.lines, createLine(form, name)) });
  const known = new Set(form?.options.map((o) => o.name) ?? []);
  const others = state.lines.map((l, i) => ({ l, i })).filter(({ l }) => !known.has(l.name));

  if (!form) {
    return (
      <div className="flex flex-col gap-3">
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Stock CoreDNS has no plugin of this name, so there is no form for it. Its values are shown as written; edit them in the text.
        </p>
        <RawList title="Arguments" items={state.rawArgs.length > 0 ? [joinWords(state.rawArgs)] : []} />
        <RawList title="Block lines" items={state.lines.map((l) => joinWords([l.name, ...l.raw]))} />
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-4">
      {form.args.length > 0 ? (
        <FieldGroup legend="Arguments" help={<code className="font-mono">{form.syntax.split("{")[0]}</code>}>
          {state.fields ? (
            <FieldInputs fields={form.args} values={state.fields} onChange={(fields) => onChange({ ...state, fields })} messageAt={(j) => messages.arg(j)} />
          ) : (
            <WordsField
              label="Arguments"
              hint="as written, space separated"
              help="These values do not match the plugin's fields one to one, so they are edited as a list."
              words={state.rawArgs}
              onChange={(rawArgs) => onChange({ ...state, rawArgs })}
              messages={state.rawArgs.flatMap((_, i) => messages.arg(i))}
            />
          )}
        </FieldGroup>
      ) : null}

      {form.options.length > 0 ? (
        <FieldGroup legend="Block options">
          {form.options.map((spec) => {
            const at = state.lines.flatMap((l, i) => (l.name === spec.name ? [i] : []));
            const isOn = at.length > 0;
            if (spec.deprecated && !isOn) return null;
            const badge = spec.deprecated ? <DeprecatedBadge note={spec.deprecated} /> : null;
            const help = `${spec.help}${spec.default ? ` Default: ${spec.default}.` : ""}`;
            const optionMessages = at.flatMap((i) => messages.line(i).filter((m) => m.field === `options.${i}`));
            if (spec.isFlag || !spec.repeatable) {
              return (
                <div key={spec.name} className="flex flex-col gap-2">
                  <CheckboxField
                    label={spec.name}
                    badge={badge}
                    help={help}
                    checked={isOn}
                    onChange={(on) => (on ? add(spec.name) : removeLines((l) => l.name === spec.name))}
                    messages={spec.isFlag ? at.flatMap((i) => messages.line(i)) : optionMessages}
                  />
                  {!spec.isFlag && isOn
                    ? at.map((i) => (
                        <div key={i} className="ml-6">
                          <LineInputs spec={spec} line={state.lines[i] as GenericLine} index={i} onChange={(l) => setLine(i, l)} messages={messages} />
                        </div>
                      ))
                    : null}
                </div>
              );
            }
            return (
              <div key={spec.name} className="flex flex-col gap-2">
                <p className="flex flex-wrap items-baseline gap-1 text-sm font-medium">
                  {spec.name} <span className="font-normal text-slate-500 dark:text-slate-400">(one or more lines)</span>
                  {badge}
                </p>
                <p className="text-xs text-slate-600 dark:text-slate-400">{renderHelp(help)}</p>
                {at.map((i, n) => (
                  <div key={i} className="ml-2 flex flex-col gap-1 border-l-2 border-slate-200 pl-3 dark:border-slate-700">
                    <LineInputs spec={spec} line={state.lines[i] as GenericLine} index={i} onChange={(l) => setLine(i, l)} messages={messages} />
                    <button type="button" className={`w-fit ${smallButton}`} aria-label={`Remove ${spec.name} line ${n + 1}`} onClick={() => removeLines((_, k) => k === i)}>
                      Remove line
                    </button>
                  </div>
                ))}
                <button type="button" className={`w-fit ${smallButton}`} onClick={() => add(spec.name)}>
                  Add {spec.name} line
                </button>
              </div>
            );
          })}
        </FieldGroup>
      ) : null}

      {others.length > 0 ? (
        <FieldGroup legend="Other lines" help="Lines of the block that are not options of this plugin, kept as written.">
          {others.map(({ l, i }) => (
            <div key={i} className="flex items-end gap-2">
              <div className="grow">
                <WordsField
                  label={`Line ${i + 1}`}
                  words={[l.name, ...l.raw]}
                  onChange={(words) => setLine(i, { name: words[0] ?? "", fields: null, raw: words.slice(1) })}
                  messages={messages.line(i)}
                />
              </div>
              <button type="button" className={`mb-1 ${smallButton}`} aria-label={`Remove line ${i + 1}`} onClick={() => removeLines((_, k) => k === i)}>
                ✕
              </button>
            </div>
          ))}
        </FieldGroup>
      ) : null}
    </div>
  );
}

/** Values shown read-only. */
export function RawList({ title, items }: { title: string; items: readonly string[] }) {
  return (
    <div>
      <p className="text-sm font-medium">{title}</p>
      {items.length === 0 ? (
        <p className="text-xs text-slate-500 dark:text-slate-400">None.</p>
      ) : (
        <ul className="mt-1 flex flex-col gap-0.5">
          {items.map((item, i) => (
            <li key={i} className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs dark:bg-slate-800">
              {item}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
