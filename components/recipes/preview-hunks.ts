import type { OffsetEdit } from "@/lib/corefile-language";

/** One changed region, in whole lines: what goes away and what comes in, with a line of context either side. */
export type PreviewHunk = {
  /** 1-based line of the first removed line in the current text (where the added lines go when nothing is removed). */
  oldLine: number;
  /** 1-based line of the first added line in the resulting text. */
  newLine: number;
  before?: string;
  removed: string[];
  added: string[];
  after?: string;
};

/** Applies offset edits (non-overlapping, any order) to `text`. */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf("\n", offset);
  return end === -1 ? text.length : end;
}

function lineNumber(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** The lines of `text` around `offset` (the one before, the one after) for context. */
function neighbour(lines: string[], index: number): string | undefined {
  return index >= 0 && index < lines.length ? lines[index] : undefined;
}

/**
 * The change `edits` make to `text`, as whole-line hunks: edits touching the same or adjacent lines are shown
 * together, and lines that come out unchanged at either end of a region are left out.
 */
export function describeEdits(text: string, edits: readonly OffsetEdit[]): PreviewHunk[] {
  if (edits.length === 0) return [];
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const result = applyOffsetEdits(text, sorted);
  const resultLines = result.split("\n");
  const textLines = text.split("\n");

  // Where each edit lands in the result: its start moved by the length change of the edits before it.
  let delta = 0;
  const placed = sorted.map((edit) => {
    const at = { edit, newStart: edit.start + delta, newEnd: edit.start + delta + edit.newText.length };
    delta += edit.newText.length - (edit.end - edit.start);
    return at;
  });

  // Group edits whose whole-line regions touch.
  const groups: (typeof placed)[] = [];
  for (const item of placed) {
    const last = groups[groups.length - 1];
    const previous = last?.[last.length - 1];
    if (last && previous && lineStart(text, item.edit.start) <= lineEnd(text, previous.edit.end) + 1) last.push(item);
    else groups.push([item]);
  }

  const hunks: PreviewHunk[] = [];
  for (const group of groups) {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const oldFrom = lineStart(text, first.edit.start);
    const oldTo = lineEnd(text, last.edit.end);
    const newFrom = lineStart(result, first.newStart);
    const newTo = lineEnd(result, last.newEnd);
    let removed = text.slice(oldFrom, oldTo).split("\n");
    let added = result.slice(newFrom, newTo).split("\n");
    let oldLine = lineNumber(text, oldFrom);
    let newLine = lineNumber(result, newFrom);
    // A text ending in a newline splits into a last empty "line" that is not one.
    if (oldTo === text.length && text.endsWith("\n")) removed = removed.slice(0, -1);
    if (newTo === result.length && result.endsWith("\n")) added = added.slice(0, -1);
    // Trim lines that did not change at either end of the region.
    while (removed.length && added.length && removed[0] === added[0]) {
      removed = removed.slice(1);
      added = added.slice(1);
      oldLine++;
      newLine++;
    }
    while (removed.length && added.length && removed[removed.length - 1] === added[added.length - 1]) {
      removed = removed.slice(0, -1);
      added = added.slice(0, -1);
    }
    if (removed.length === 0 && added.length === 0) continue;
    const hunk: PreviewHunk = { oldLine, newLine, removed, added };
    const before = neighbour(resultLines, newLine - 2);
    const after = neighbour(textLines, oldLine - 1 + removed.length);
    if (before !== undefined) hunk.before = before;
    if (after !== undefined && after !== "") hunk.after = after;
    hunks.push(hunk);
  }
  return hunks;
}

/** How many lines the edits add and remove in all. */
export function countHunkLines(hunks: readonly PreviewHunk[]): { added: number; removed: number } {
  return hunks.reduce((sum, h) => ({ added: sum.added + h.added.length, removed: sum.removed + h.removed.length }), { added: 0, removed: 0 });
}
