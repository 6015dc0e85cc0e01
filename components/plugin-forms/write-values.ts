/**
 * Writes form values to the Corefile through lib/board's writeForm, as one minimal edit inside the directive.
 * `hosts` needs one extra step: writeForm adds a new line after the last line of its name or at the end of the block,
 * so a new inline entry could land after `fallthrough`, where CoreDNS refuses it. Then the option lines are written
 * again after the entries.
 */
import { applyEdits } from "@/lib/corefile";
import { readForm, writeForm, type FormValues } from "@/lib/board";
import type { OffsetEdit } from "@/lib/corefile-language";
import { hasEntryAfterFallthrough, isHostsEntry } from "./hosts-model";

export type WriteValuesResult = { ok: true; edits: OffsetEdit[]; focus?: string; title: string } | { ok: false; reason: string };

/** Writes `values` to the directive `id` of `text`. */
export function writeFormValues(text: string, params: { id: string; plugin: string; values: FormValues }): WriteValuesResult {
  const first = writeForm(text, { id: params.id, values: params.values });
  if (!first.ok || params.plugin !== "hosts" || first.edits.length === 0) return first;
  const written = readForm(applyEdits(text, first.edits), { id: first.focus ?? params.id });
  if (!written.ok || !hasEntryAfterFallthrough(written.values.options)) return first;
  // Write the entries alone (options removed), then the options, which land after the entries.
  const entries = writeForm(text, { id: params.id, values: { args: params.values.args, options: params.values.options.filter(isHostsEntry) } });
  if (!entries.ok) return entries;
  const middle = applyEdits(text, entries.edits);
  const rest = writeForm(middle, { id: entries.focus ?? params.id, values: params.values });
  if (!rest.ok) return rest;
  const out = applyEdits(middle, rest.edits);
  const result: WriteValuesResult = { ok: true, title: first.title, edits: out === text ? [] : [diffAsOneEdit(text, out)] };
  const focus = rest.focus ?? entries.focus;
  if (focus) result.focus = focus;
  return result;
}

/** One edit turning `a` into `b`, without their common prefix and suffix. */
export function diffAsOneEdit(a: string, b: string): OffsetEdit {
  let p = 0;
  const max = Math.min(a.length, b.length);
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let q = 0;
  while (q < max - p && a.charCodeAt(a.length - 1 - q) === b.charCodeAt(b.length - 1 - q)) q++;
  return { start: p, end: a.length - q, newText: b.slice(p, b.length - q) };
}

/** The 1-based line and column of an offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf("\n");
  return { line: before.split("\n").length, column: offset - lastBreak };
}
