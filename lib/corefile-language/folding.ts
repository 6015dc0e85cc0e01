/**
 * Foldable regions: every server block, snippet and directive block whose braces span several lines. Read from the
 * parse's index-form tree: no node, token or trivia object is made.
 */
import { parse } from "@/lib/corefile";
import type { FoldingRange } from "./types";

/** The `{ ... }` regions of `text` that span more than one line (the line of `{` to the line before `}`). */
export function getFoldingRanges(text: string): FoldingRange[] {
  const { tree } = parse(text);
  const table = tree.table;
  const out: FoldingRange[] = [];
  for (let n = 0; n < tree.count; n++) {
    const open = tree.open[n] as number;
    if (open < 0) continue;
    const close = tree.close[n] as number;
    const startLine = table.lineIndexOf(table.start[open] as number) + 1;
    const closeLine = table.lineIndexOf(close >= 0 ? (table.start[close] as number) : text.length) + 1;
    // Fold up to the line before `}` so the closing brace stays visible, as editors usually do.
    const endLine = close >= 0 ? closeLine - 1 : closeLine;
    if (endLine > startLine) out.push({ startLine, endLine });
  }
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
