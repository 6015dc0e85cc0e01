/**
 * Minimal text edits, the currency of every change the engine proposes (lint quick fixes,
 * formatter, visual-editor edits): apply them and only the bytes they cover change.
 */

/** Replace `source.slice(start, end)` with `newText` (offsets in UTF-16 code units of the root file). */
export type TextEdit = { start: number; end: number; newText: string };

/** A named set of edits offered to the user (a quick fix, a structured edit). */
export type TextChange = { title: string; edits: TextEdit[] };

/**
 * Applies non-overlapping edits to `source`. Edits may come in any order; two edits that overlap
 * are a programming error and throw, so a broken edit is never half-applied.
 */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let result = "";
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor || edit.end < edit.start || edit.end > source.length) {
      throw new RangeError(`Overlapping or out-of-range text edit at ${edit.start}-${edit.end}`);
    }
    result += source.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return result + source.slice(cursor);
}
