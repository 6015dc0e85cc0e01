/**
 * The rewrite rule builder's state: one rule of one `rewrite` directive, written on the directive's line
 * (`rewrite [stop|continue] name suffix .a. .b. answer auto`) or in its block (`rewrite stop { name ... \n answer ... }`).
 */
import type { FormValues } from "@/lib/board";
import { guardRoundTrip, isSameList, type EditorModel } from "./options-model";

export const REWRITE_FIELDS = ["name", "type", "class", "edns0", "ttl", "cname", "rcode"] as const;
export const MATCH_TYPES = ["exact", "prefix", "suffix", "substring", "regex"] as const;
export const ANSWER_KINDS = ["auto", "name", "value"] as const;

export type RewriteField = (typeof REWRITE_FIELDS)[number];
export type RewriteAnswer = {
  kind: (typeof ANSWER_KINDS)[number];
  from: string;
  to: string;
  /** Whether the word `answer` is written before it (CoreDNS lets a chained `value FROM TO` leave it out). */
  hasKeyword: boolean;
};

export type RewriteState = {
  layout: "line" | "block";
  /** Empty: not written (CoreDNS's default is stop). */
  flow: "" | "stop" | "continue";
  field: RewriteField;
  /** Empty: not written (exact). Only name, ttl, cname and rcode rules take one. */
  match: "" | (typeof MATCH_TYPES)[number];
  /** The rule's values: see {@link describeOperands}. */
  operands: string[];
  /** Response rewrites (name rules only). */
  answers: RewriteAnswer[];
};

/** What each operand of a rule stands for; `edns0` takes a free list of words. */
export function describeOperands(field: RewriteField): { label: string; placeholder: string }[] | "words" {
  switch (field) {
    case "name":
    case "cname":
      return [
        { label: "From", placeholder: "old.example.org" },
        { label: "To", placeholder: "new.example.org" },
      ];
    case "type":
      return [
        { label: "From type", placeholder: "ANY" },
        { label: "To type", placeholder: "HINFO" },
      ];
    case "class":
      return [
        { label: "From class", placeholder: "CH" },
        { label: "To class", placeholder: "IN" },
      ];
    case "ttl":
      return [
        { label: "Name", placeholder: "example.org." },
        { label: "TTL (seconds or MIN-MAX)", placeholder: "30-300" },
      ];
    case "rcode":
      return [
        { label: "Name", placeholder: "example.org." },
        { label: "From rcode", placeholder: "SERVFAIL" },
        { label: "To rcode", placeholder: "NOERROR" },
      ];
    case "edns0":
      return "words";
  }
}

/** Whether a rule of this field may name a match type. */
export function takesMatch(field: RewriteField): boolean {
  return field === "name" || field === "ttl" || field === "cname" || field === "rcode";
}

/** The rule's tokens, after the flow word. */
export function ruleTokens(state: RewriteState): string[] {
  const out: string[] = [state.field];
  if (takesMatch(state.field) && state.match) out.push(state.match);
  out.push(...state.operands.map((o) => o.trim()).filter((o, i, all) => o !== "" || all.slice(i + 1).some((x) => x.trim() !== "")));
  if (state.field === "name") {
    for (const a of state.answers) {
      if (a.hasKeyword || a.kind === "auto") out.push("answer");
      out.push(a.kind);
      if (a.kind !== "auto") out.push(a.from.trim(), a.to.trim());
    }
  }
  return out;
}

/** Changes the rule's field, keeping the operands that still make sense. */
export function changeField(state: RewriteState, field: RewriteField): RewriteState {
  const shape = describeOperands(field);
  const operands = shape === "words" ? state.operands.filter((o) => o.trim() !== "") : shape.map((_, i) => state.operands[i] ?? "");
  return { ...state, field, match: takesMatch(field) ? state.match : "", operands, answers: field === "name" ? state.answers : [] };
}

function readRule(tokens: readonly string[]): Omit<RewriteState, "layout" | "flow"> | null {
  const field = tokens[0] as RewriteField;
  if (!(REWRITE_FIELDS as readonly string[]).includes(field)) return null;
  let rest = tokens.slice(1);
  const shape = describeOperands(field);
  if (shape === "words") return { field, match: "", operands: rest, answers: [] };
  let match: RewriteState["match"] = "";
  if (takesMatch(field) && (MATCH_TYPES as readonly string[]).includes(rest[0] ?? "") && rest.length > shape.length) {
    match = rest[0] as RewriteState["match"];
    rest = rest.slice(1);
  }
  if (rest.length < shape.length) return null;
  const operands = rest.slice(0, shape.length);
  rest = rest.slice(shape.length);
  const answers: RewriteAnswer[] = [];
  while (rest.length > 0) {
    if (field !== "name") return null;
    const hasKeyword = rest[0] === "answer";
    if (hasKeyword) rest = rest.slice(1);
    const kind = rest[0];
    if (kind === "auto" && hasKeyword) {
      answers.push({ kind, from: "", to: "", hasKeyword });
      rest = rest.slice(1);
    } else if ((kind === "name" || kind === "value") && rest.length >= 3) {
      answers.push({ kind, from: rest[1] as string, to: rest[2] as string, hasKeyword });
      rest = rest.slice(3);
    } else return null;
  }
  return { field, match, operands, answers };
}

function tokensOf(values: FormValues): string[] {
  return [...values.args, ...values.options.flatMap((o) => [o.name, ...o.args])];
}

export const rewriteModel: EditorModel<RewriteState> = guardRoundTrip({
  read(values: FormValues): RewriteState | null {
    const isBlock = values.options.length > 0;
    // CoreDNS reads the rule from the block when the line holds fewer than two words.
    if (isBlock && values.args.length >= 2) return null;
    const all = tokensOf(values);
    const flow = all[0] === "stop" || all[0] === "continue" ? all[0] : "";
    if (isBlock && values.args.length === 1 && !flow) return null;
    const rule = readRule(flow ? all.slice(1) : all);
    return rule ? { layout: isBlock ? "block" : "line", flow, ...rule } : null;
  },
  write(state: RewriteState, base: FormValues): FormValues {
    const head = state.flow ? [state.flow] : [];
    const tokens = ruleTokens(state);
    if (state.layout === "line") return { args: [...head, ...tokens], options: [] };
    // Block layout: keep the lines as they are when the rule did not change; otherwise the rule on the first line and
    // each response rewrite on its own line.
    if (isSameList(tokensOf(base), [...head, ...tokens])) return base;
    const ruleEnd = tokens.indexOf("answer") === -1 ? tokens.length : tokens.indexOf("answer");
    const options = [{ name: tokens[0] as string, args: tokens.slice(1, ruleEnd) }];
    let rest = tokens.slice(ruleEnd);
    while (rest.length > 0) {
      const next = rest.indexOf("answer", 1);
      const chunk = next === -1 ? rest : rest.slice(0, next);
      options.push({ name: chunk[0] as string, args: chunk.slice(1) });
      rest = next === -1 ? [] : rest.slice(next);
    }
    return { args: head, options };
  },
});

/** A new rule for an empty rewrite directive. */
export function createRewriteRule(): RewriteState {
  return { layout: "line", flow: "", field: "name", match: "exact", operands: ["", ""], answers: [] };
}
