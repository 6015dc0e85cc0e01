"use client";

/**
 * The Monaco side of CorefileEditor. Loaded only in the browser (next/dynamic with ssr: false), because Monaco needs
 * the DOM and is large; CorefileEditor shows a skeleton meanwhile.
 */
import Editor, { type OnMount } from "@monaco-editor/react";
import { useEffect, useMemo, useRef } from "react";
import { COREFILE_LANGUAGE_ID } from "@/lib/corefile-language";
import { EditorSkeleton } from "./editor-skeleton";
import { DARK_THEME, LIGHT_THEME, monaco, registerCorefileLanguage, showDiagnostics, toTextEdits } from "./setup-monaco";
import type { InnerEditorHandle, InnerEditorProps } from "./types";
import { useDocumentTheme } from "./use-document-theme";

registerCorefileLanguage();

const FONT_FAMILY = 'ui-monospace, SFMono-Regular, Menlo, Monaco, Consolas, "Liberation Mono", monospace';

const EDITOR_OPTIONS = {
  automaticLayout: true,
  fixedOverflowWidgets: true,
  minimap: { enabled: false },
  fontFamily: FONT_FAMILY,
  fontSize: 13,
  lineHeight: 20,
  tabSize: 4,
  insertSpaces: true,
  detectIndentation: false,
  scrollBeyondLastLine: false,
  renderWhitespace: "selection",
  wordBasedSuggestions: "off",
  quickSuggestions: { other: true, comments: false, strings: false },
  suggest: { showWords: false },
  formatOnPaste: false,
  accessibilitySupport: "auto",
  "semanticHighlighting.enabled": false,
} satisfies monaco.editor.IStandaloneEditorConstructionOptions;

export function MonacoCorefileEditor(props: InnerEditorProps) {
  const theme = useDocumentTheme();
  // Monaco's listeners are attached once; they read the latest callbacks from here.
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });
  useEffect(() => () => latest.current.onReady(null), []);
  // A new options object makes the library call updateOptions: keep it stable while the page re-renders on each key.
  const { ariaLabel, readOnly } = props;
  const options = useMemo(() => ({ ...EDITOR_OPTIONS, ariaLabel, readOnly }), [ariaLabel, readOnly]);

  const handleMount: OnMount = (editor) => {
    const model = editor.getModel();
    if (!model) return;
    editor.onDidChangeCursorPosition((e) => latest.current.onCursorOffsetChange(model.getOffsetAt(e.position)));
    // Monaco binds "Format Document" to Ctrl+Shift+I on Linux; make Shift+Alt+F (the hint's key) work everywhere.
    editor.addAction({
      id: "coredeck.formatCorefile",
      label: "Format Corefile",
      keybindings: [monaco.KeyMod.Shift | monaco.KeyMod.Alt | monaco.KeyCode.KeyF],
      run: () => editor.getAction("editor.action.formatDocument")?.run(),
    });
    const handle: InnerEditorHandle = {
      setText(text) {
        if (text === model.getValue()) return;
        if (latest.current.readOnly) {
          model.setValue(text);
          return;
        }
        editor.pushUndoStop();
        editor.executeEdits("coredeck", [{ range: model.getFullModelRange(), text, forceMoveMarkers: true }]);
        editor.pushUndoStop();
      },
      applyEdits(edits) {
        if (edits.length === 0) return;
        editor.pushUndoStop();
        editor.executeEdits("coredeck", toTextEdits(model, edits));
        editor.pushUndoStop();
      },
      revealPosition(line, column, end) {
        const position = { lineNumber: line, column };
        if (end) {
          const range = { startLineNumber: line, startColumn: column, endLineNumber: end.line, endColumn: end.column };
          editor.setSelection(range);
          editor.revealRangeInCenterIfOutsideViewport(range);
        } else {
          editor.setPosition(position);
          editor.revealPositionInCenterIfOutsideViewport(position);
        }
        editor.focus();
      },
      focus() {
        editor.focus();
      },
      undo() {
        editor.trigger("coredeck", "undo", null);
        return true;
      },
      redo() {
        editor.trigger("coredeck", "redo", null);
        return true;
      },
      showDiagnostics(diagnostics, file) {
        showDiagnostics(model, diagnostics, file);
      },
    };
    latest.current.onReady(handle);
  };

  return (
    <Editor
      defaultValue={props.defaultValue}
      language={COREFILE_LANGUAGE_ID}
      theme={theme === "dark" ? DARK_THEME : LIGHT_THEME}
      height={props.height}
      loading={<EditorSkeleton height={props.height} />}
      onMount={handleMount}
      onChange={(value) => latest.current.onTextChange(value ?? "")}
      wrapperProps={{ "data-testid": "corefile-monaco" }}
      options={options}
    />
  );
}
