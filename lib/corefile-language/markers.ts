/**
 * Diagnostics → editor markers, and quick fixes → code actions.
 */
import type { CorefileDiagnostic } from "@/lib/corefile/validate";
import type { CodeAction, EditorMarker } from "./types";

/** Options for {@link toMarkers}. */
export type ToMarkersOptions = {
  /**
   * The file shown in the editor (default `"Corefile"`, validateCorefile's default name). Diagnostics located in other
   * files (an imported file) cannot be placed in this text and are left out.
   */
  file?: string;
};

/** Places diagnostics in the editor: one marker each, same range, CoreDNS's own wording appended where known. */
export function toMarkers(diagnostics: readonly CorefileDiagnostic[], options: ToMarkersOptions = {}): EditorMarker[] {
  const file = options.file ?? "Corefile";
  return diagnostics.filter((d) => d.file === file).map(toMarker);
}

function toMarker(d: CorefileDiagnostic): EditorMarker {
  const message = d.corednsMessage && d.corednsMessage !== d.message ? `${d.message}\nCoreDNS says: ${d.corednsMessage}` : d.message;
  return {
    severity: d.severity,
    code: d.code,
    source: d.source,
    message,
    startLineNumber: d.line,
    startColumn: d.column,
    endLineNumber: d.endLine,
    endColumn: d.endColumn,
  };
}

/** A range of lines and columns (1-based, end exclusive), e.g. the editor's selection. */
export type LineColumnRange = { startLineNumber: number; startColumn: number; endLineNumber: number; endColumn: number };

/**
 * The quick fixes for the diagnostics that touch `range` (a cursor, a selection), most severe problems first.
 * Only diagnostics of `options.file` (default `"Corefile"`) are considered: fixes edit that text.
 */
export function getCodeActions(
  diagnostics: readonly CorefileDiagnostic[],
  range: LineColumnRange,
  options: ToMarkersOptions = {},
): CodeAction[] {
  const file = options.file ?? "Corefile";
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return diagnostics
    .filter((d) => d.file === file && d.fixes && d.fixes.length > 0 && touches(d, range))
    .sort((a, b) => rank[a.severity] - rank[b.severity])
    .flatMap((d) => {
      const marker = toMarker(d);
      const fixes = d.fixes ?? [];
      return fixes.map((fix) => ({
        title: fix.title,
        kind: "quickfix" as const,
        marker,
        edits: fix.edits.map((e) => ({ start: e.start, end: e.end, newText: e.newText })),
        isPreferred: fixes.length === 1,
      }));
    });
}

/** Whether a diagnostic's range and `range` overlap or touch (a cursor at either end counts). */
function touches(d: CorefileDiagnostic, range: LineColumnRange): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 < c2);
  // The diagnostic ends before the range starts, or starts after it ends.
  if (before(d.endLine, d.endColumn, range.startLineNumber, range.startColumn)) return false;
  if (before(range.endLineNumber, range.endColumn, d.line, d.column)) return false;
  return true;
}
