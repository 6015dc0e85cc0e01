"use client";

/**
 * Monaco, bundled with the app (never from a CDN: clusters are often air-gapped), and the `corefile` language
 * registered once: colouring, brackets and folding, completion, hover, quick fixes, formatting.
 *
 * Only the editor core and its UI features are imported (not the 80 other languages nor the TypeScript/CSS/JSON
 * services). This module touches `self` and `document`, so it must only be imported by code that `next/dynamic`
 * loads with `ssr: false`.
 */
import { loader } from "@monaco-editor/react";
import * as monaco from "monaco-editor/editor";
import "monaco-editor/features/register.all";
import {
  COREFILE_LANGUAGE_CONFIGURATION,
  COREFILE_LANGUAGE_ID,
  COREFILE_MONARCH,
  getCodeActions,
  getCompletions,
  getFoldingRanges,
  getFormattingEdits,
  getHover,
  toMarkers,
  type CompletionKind,
  type EditorMarker,
  type OffsetEdit,
} from "@/lib/corefile-language";
import type { CorefileDiagnostic } from "@/lib/corefile/validate";

export { monaco };

// The editor core computes diffs, links and word ranges in a worker; without one the diff editor never finishes.
self.MonacoEnvironment = {
  getWorker: () => new Worker(new URL("./editor.worker.ts", import.meta.url), { type: "module" }),
};

loader.config({ monaco });

/** Owner of the markers this app sets (Monaco groups markers by owner). */
export const MARKER_OWNER = "coredeck";

export const LIGHT_THEME = "coredeck-light";
export const DARK_THEME = "coredeck-dark";

/**
 * The diagnostics last shown on each model, with the model version they belong to: code actions read their fixes
 * (whose offsets are only valid for that version).
 */
const diagnosticsByModel = new WeakMap<
  monaco.editor.ITextModel,
  { version: number; diagnostics: CorefileDiagnostic[]; file: string }
>();

let isRegistered = false;

/** Registers the `corefile` language, its providers and the app's two themes (once per page). */
export function registerCorefileLanguage(): void {
  if (isRegistered) return;
  isRegistered = true;
  const id = COREFILE_LANGUAGE_ID;
  monaco.languages.register({ id, aliases: ["Corefile", "corefile"], filenames: ["Corefile"] });
  monaco.languages.setMonarchTokensProvider(id, COREFILE_MONARCH as unknown as monaco.languages.IMonarchLanguage);
  monaco.languages.setLanguageConfiguration(id, COREFILE_LANGUAGE_CONFIGURATION);

  monaco.languages.registerCompletionItemProvider(id, {
    // A space after a directive or option name may open its values (`pods ` → disabled, insecure, verified).
    triggerCharacters: [" "],
    provideCompletionItems(model, position, context) {
      const offset = model.getOffsetAt(position);
      let items = getCompletions(model.getValue(), offset);
      // A space only opens argument values; indenting a line must not pop up every directive.
      if (context.triggerKind === monaco.languages.CompletionTriggerKind.TriggerCharacter) {
        items = items.filter((item) => item.kind === "value");
      }
      return {
        suggestions: items.map((item) => {
          const start = model.getPositionAt(item.replace.start);
          const end = model.getPositionAt(item.replace.end);
          return {
            label: item.label,
            kind: COMPLETION_KINDS[item.kind],
            detail: item.detail,
            documentation: { value: item.documentation },
            insertText: item.insertText,
            insertTextRules: item.isSnippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
            sortText: item.sortText,
            range: {
              insert: new monaco.Range(start.lineNumber, start.column, position.lineNumber, position.column),
              replace: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column),
            },
          };
        }),
      };
    },
  });

  monaco.languages.registerHoverProvider(id, {
    provideHover(model, position) {
      const hover = getHover(model.getValue(), model.getOffsetAt(position));
      if (!hover) return null;
      const r = hover.range;
      return {
        contents: [{ value: hover.markdown }],
        range: new monaco.Range(r.startLineNumber, r.startColumn, r.endLineNumber, r.endColumn),
      };
    },
  });

  monaco.languages.registerCodeActionProvider(
    id,
    {
      provideCodeActions(model, range, context) {
        const stored = diagnosticsByModel.get(model);
        // Fixes carry offsets into the text they were computed for: none until the text has been checked again.
        if (!stored || stored.version !== model.getVersionId()) return { actions: [], dispose() {} };
        const actions = getCodeActions(stored.diagnostics, range, { file: stored.file }).map((action) => ({
          title: action.title,
          kind: "quickfix",
          isPreferred: action.isPreferred,
          diagnostics: context.markers.filter((m) => m.code === action.marker.code && m.startLineNumber === action.marker.startLineNumber),
          edit: {
            edits: action.edits.map((e) => ({
              resource: model.uri,
              versionId: model.getVersionId(),
              textEdit: { range: rangeOfOffsets(model, e.start, e.end), text: e.newText },
            })),
          },
        }));
        return { actions, dispose() {} };
      },
    },
    { providedCodeActionKinds: ["quickfix"] },
  );

  monaco.languages.registerFoldingRangeProvider(id, {
    provideFoldingRanges(model) {
      return getFoldingRanges(model.getValue()).map((r) => ({
        start: r.startLine,
        end: r.endLine,
        kind: monaco.languages.FoldingRangeKind.Region,
      }));
    },
  });

  monaco.languages.registerDocumentFormattingEditProvider(id, {
    displayName: "Coredeck Corefile formatter",
    provideDocumentFormattingEdits(model) {
      const result = getFormattingEdits(model.getValue());
      if (!result.ok) return [];
      return toTextEdits(model, result.edits);
    },
  });

  defineThemes();
}

const COMPLETION_KINDS: Record<CompletionKind, monaco.languages.CompletionItemKind> = {
  directive: monaco.languages.CompletionItemKind.Keyword,
  option: monaco.languages.CompletionItemKind.Property,
  value: monaco.languages.CompletionItemKind.EnumMember,
  snippet: monaco.languages.CompletionItemKind.Snippet,
};

const MARKER_SEVERITIES: Record<EditorMarker["severity"], monaco.MarkerSeverity> = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
};

/**
 * Works around a Monaco 0.57 bug: every editor that Monaco creates points a page-wide hover factory at its own
 * instantiation service, and the diff editor's is disposed with it. After a diff editor has come and gone, the
 * remaining editors' suggestion and hover widgets throw "InstantiationService has been disposed". Creating (and
 * dropping) a plain editor points the factory back at the page-wide service, which lives as long as the page.
 */
export function resetHoverFactory(): void {
  const scratch = monaco.editor.create(document.createElement("div"), { model: null });
  scratch.dispose();
}

/**
 * Shows diagnostics of the model's current text as markers (squiggles, F8 navigation) and keeps them for quick fixes.
 * @param file the name the text was checked under: diagnostics of other files (imports) are not shown here
 */
export function showDiagnostics(model: monaco.editor.ITextModel, diagnostics: CorefileDiagnostic[], file = "Corefile"): void {
  diagnosticsByModel.set(model, { version: model.getVersionId(), diagnostics, file });
  monaco.editor.setModelMarkers(
    model,
    MARKER_OWNER,
    toMarkers(diagnostics, { file }).map((m) => ({ ...m, severity: MARKER_SEVERITIES[m.severity] })),
  );
}

export function rangeOfOffsets(model: monaco.editor.ITextModel, start: number, end: number): monaco.Range {
  const a = model.getPositionAt(start);
  const b = model.getPositionAt(end);
  return new monaco.Range(a.lineNumber, a.column, b.lineNumber, b.column);
}

export function toTextEdits(model: monaco.editor.ITextModel, edits: readonly OffsetEdit[]): monaco.languages.TextEdit[] {
  return edits.map((e) => ({ range: rangeOfOffsets(model, e.start, e.end), text: e.newText }));
}

/** Colours close to the app's Tailwind palette (slate, sky, violet, teal...), readable in both themes. */
function defineThemes(): void {
  monaco.editor.defineTheme(LIGHT_THEME, {
    base: "vs",
    inherit: true,
    rules: [
      { token: "type.key", foreground: "0f766e", fontStyle: "bold" },
      { token: "type.snippet", foreground: "b45309", fontStyle: "bold" },
      { token: "keyword.directive", foreground: "1d4ed8", fontStyle: "bold" },
      { token: "identifier.directive", foreground: "b91c1c", fontStyle: "underline" },
      { token: "keyword.import", foreground: "be185d", fontStyle: "bold" },
      { token: "attribute.name.option", foreground: "7c3aed" },
      { token: "identifier.option", foreground: "334155" },
      { token: "string.env", foreground: "c2410c", fontStyle: "italic" },
      { token: "string.word", foreground: "1e293b" },
      { token: "string.key", foreground: "0f766e", fontStyle: "bold" },
      { token: "string", foreground: "15803d" },
      { token: "string.escape", foreground: "166534", fontStyle: "bold" },
      { token: "comment", foreground: "64748b", fontStyle: "italic" },
      { token: "number", foreground: "a16207" },
      { token: "number.duration", foreground: "9333ea" },
      { token: "number.ip", foreground: "0369a1" },
      { token: "number.port", foreground: "0369a1" },
      { token: "delimiter.curly", foreground: "475569" },
      { token: "identifier", foreground: "1e293b" },
    ],
    colors: { "editor.background": "#ffffff" },
  });
  monaco.editor.defineTheme(DARK_THEME, {
    base: "vs-dark",
    inherit: true,
    rules: [
      { token: "type.key", foreground: "5eead4", fontStyle: "bold" },
      { token: "type.snippet", foreground: "fbbf24", fontStyle: "bold" },
      { token: "keyword.directive", foreground: "7cb7ff", fontStyle: "bold" },
      { token: "identifier.directive", foreground: "f87171", fontStyle: "underline" },
      { token: "keyword.import", foreground: "f472b6", fontStyle: "bold" },
      { token: "attribute.name.option", foreground: "c4b5fd" },
      { token: "identifier.option", foreground: "cbd5e1" },
      { token: "string.env", foreground: "fdba74", fontStyle: "italic" },
      { token: "string.word", foreground: "e2e8f0" },
      { token: "string.key", foreground: "5eead4", fontStyle: "bold" },
      { token: "string", foreground: "86efac" },
      { token: "string.escape", foreground: "bbf7d0", fontStyle: "bold" },
      { token: "comment", foreground: "94a3b8", fontStyle: "italic" },
      { token: "number", foreground: "fcd34d" },
      { token: "number.duration", foreground: "d8b4fe" },
      { token: "number.ip", foreground: "7dd3fc" },
      { token: "number.port", foreground: "7dd3fc" },
      { token: "delimiter.curly", foreground: "cbd5e1" },
      { token: "identifier", foreground: "e2e8f0" },
    ],
    colors: { "editor.background": "#0f172a", "editor.foreground": "#e2e8f0" },
  });
}
