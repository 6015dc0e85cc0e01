/**
 * A line diff for the plain-text review (the accessible alternative to the Monaco diff editor): which lines were
 * removed, added or kept, with their line numbers on each side.
 */
import { diffLines as diffLineRuns } from "@/lib/text/line-diff";

/** One line of a unified diff. */
export type DiffLine =
  | { kind: "same"; text: string; oldLine: number; newLine: number }
  | { kind: "removed"; text: string; oldLine: number }
  | { kind: "added"; text: string; newLine: number };

/**
 * Compares two texts line by line (Myers' shortest edit script, see lib/text/line-diff), with line numbers on each
 * side. Line ends (LF or CRLF) are not part of the compared text.
 */
export function diffLines(original: string, modified: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldLine = 0;
  let newLine = 0;
  for (const op of diffLineRuns(splitLines(original), splitLines(modified))) {
    for (const text of op.lines) {
      if (op.kind === "equal") out.push({ kind: "same", text, oldLine: ++oldLine, newLine: ++newLine });
      else if (op.kind === "delete") out.push({ kind: "removed", text, oldLine: ++oldLine });
      else out.push({ kind: "added", text, newLine: ++newLine });
    }
  }
  return out;
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
