/**
 * Validation messages sorted by where a form shows them. validateForm keys each message by position (`args.<i>`,
 * `options.<i>`, `options.<i>.args.<j>`, `directive`); editors look them up by argument index, by line index, or by
 * option name and occurrence.
 */
import type { FieldMessage, FormValues } from "@/lib/board";

export type MessageIndex = {
  /** Messages about the directive as a whole. */
  directive: FieldMessage[];
  all: FieldMessage[];
  arg(index: number): FieldMessage[];
  /** Messages about a block line and its values. */
  line(index: number): FieldMessage[];
  /** Messages an editor model found itself (`local.<key>`). */
  local(key: string): FieldMessage[];
  /** Messages about the `nth` line named `name` (0-based). */
  option(name: string, nth?: number): FieldMessage[];
  hasErrors: boolean;
};

const EMPTY: FieldMessage[] = [];

export function indexMessages(values: FormValues, messages: readonly FieldMessage[]): MessageIndex {
  const args = new Map<number, FieldMessage[]>();
  const lines = new Map<number, FieldMessage[]>();
  const directive: FieldMessage[] = [];
  const local = new Map<string, FieldMessage[]>();
  for (const m of messages) {
    if (m.field.startsWith("local.")) {
      const list = local.get(m.field.slice(6)) ?? [];
      list.push(m);
      local.set(m.field.slice(6), list);
      continue;
    }
    const arg = /^args\.(\d+)$/.exec(m.field);
    const line = /^options\.(\d+)(?:\.args\.\d+)?$/.exec(m.field);
    if (arg) push(args, Number(arg[1]), m);
    else if (line) push(lines, Number(line[1]), m);
    else directive.push(m);
  }
  return {
    directive,
    all: [...messages],
    arg: (i) => args.get(i) ?? EMPTY,
    line: (i) => lines.get(i) ?? EMPTY,
    local: (key) => local.get(key) ?? EMPTY,
    option(name, nth = 0) {
      let seen = 0;
      for (let i = 0; i < values.options.length; i++) {
        if (values.options[i]?.name !== name) continue;
        if (seen++ === nth) return lines.get(i) ?? EMPTY;
      }
      return EMPTY;
    },
    hasErrors: messages.some((m) => m.severity === "error"),
  };
}

function push(map: Map<number, FieldMessage[]>, key: number, m: FieldMessage): void {
  const list = map.get(key);
  if (list) list.push(m);
  else map.set(key, [m]);
}

/** Counts errors, to tell new problems from ones the directive already had. */
export function countErrors(messages: readonly FieldMessage[]): number {
  return messages.filter((m) => m.severity === "error").length;
}
