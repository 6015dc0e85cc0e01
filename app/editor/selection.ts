import { z } from "zod";
import type { InitialSelection } from "@/components/corefile-editor";

const positive = z.coerce.number().int().min(1).max(1_000_000);
const selectionSchema = z.object({
  line: positive,
  column: positive.default(1),
  endLine: positive.optional(),
  endColumn: positive.optional(),
});

/** The place the editor selects on open, from the page's search parameters; undefined when absent or invalid. */
export function readSelection(params: Record<string, string | string[] | undefined>): InitialSelection | undefined {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  if (first(params.line) === undefined) return undefined;
  const parsed = selectionSchema.safeParse({
    line: first(params.line),
    column: first(params.column),
    endLine: first(params.endLine),
    endColumn: first(params.endColumn),
  });
  if (!parsed.success) return undefined;
  const { line, column, endLine, endColumn } = parsed.data;
  return endLine !== undefined && endColumn !== undefined ? { line, column, endLine, endColumn } : { line, column };
}
