/**
 * Document formatting for the editor: the engine's formatter, as minimal edits (only whitespace changes, so the cursor
 * and undo history survive).
 */
import { formatCorefile } from "@/lib/corefile/format";
import type { OffsetEdit } from "./types";

/** What {@link getFormattingEdits} returns. */
export type FormattingResult =
  | { ok: true; edits: OffsetEdit[] }
  /** The text was left alone (its braces do not balance); `message` says where. */
  | { ok: false; message: string; line: number; column: number };

/**
 * The edits that format `text` (an empty list when it is already formatted).
 * @param indent one indentation level, spaces or tabs (default four spaces)
 */
export function getFormattingEdits(text: string, indent?: string): FormattingResult {
  const result = formatCorefile(text, indent === undefined ? {} : { indent });
  if (result.skipped) {
    const { reason, line, column } = result.skipped;
    return { ok: false, message: `Not formatted. ${reason} (line ${line}, column ${column})`, line, column };
  }
  return { ok: true, edits: result.edits.map((e) => ({ start: e.start, end: e.end, newText: e.newText })) };
}
