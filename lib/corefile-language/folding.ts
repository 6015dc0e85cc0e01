/**
 * Foldable regions: every server block, snippet and directive block whose braces span several lines.
 */
import { parse, positionAt, type Node } from "@/lib/corefile";
import type { FoldingRange } from "./types";

/** The `{ ... }` regions of `text` that span more than one line (the line of `{` to the line before `}`). */
export function getFoldingRanges(text: string): FoldingRange[] {
  const doc = parse(text).cst;
  const out: FoldingRange[] = [];
  const stack: Node[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    const open = "open" in node ? node.open : undefined;
    const close = "close" in node ? node.close : undefined;
    if (open) {
      const startLine = positionAt(doc.lineStarts, open.start).line;
      const endOffset = close ? close.start : text.length;
      // Fold up to the line before `}` so the closing brace stays visible, as editors usually do.
      const closeLine = positionAt(doc.lineStarts, endOffset).line;
      const endLine = close ? closeLine - 1 : closeLine;
      if (endLine > startLine) out.push({ startLine, endLine });
    }
    for (const child of node.children) if ("children" in child) stack.push(child);
  }
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
