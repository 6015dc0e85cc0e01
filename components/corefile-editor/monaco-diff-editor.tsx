"use client";

/** The Monaco side of CorefileDiffEditor (browser only, loaded by next/dynamic). */
import { DiffEditor, type DiffOnMount } from "@monaco-editor/react";
import { useEffect, useMemo, useRef } from "react";
import { COREFILE_LANGUAGE_ID } from "@/lib/corefile-language";
import { EditorSkeleton } from "./editor-skeleton";
import { DARK_THEME, LIGHT_THEME, registerCorefileLanguage, resetHoverFactory } from "./setup-monaco";
import { useDocumentTheme } from "./use-document-theme";

registerCorefileLanguage();

export type MonacoDiffEditorProps = {
  original: string;
  modified: string;
  originalLabel: string;
  modifiedLabel: string;
  height: string;
};

export function MonacoDiffEditor({ original, modified, originalLabel, modifiedLabel, height }: MonacoDiffEditorProps) {
  const theme = useDocumentTheme();
  // Stable options: a new object makes the library call updateOptions on every render.
  const options = useMemo(
    () => ({
      readOnly: true,
      originalEditable: false,
      originalAriaLabel: originalLabel,
      modifiedAriaLabel: modifiedLabel,
      renderSideBySide: true,
      useInlineViewWhenSpaceIsLimited: true,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13,
      lineHeight: 20,
      renderOverviewRuler: false,
      accessibilitySupport: "auto" as const,
    }),
    [originalLabel, modifiedLabel],
  );
  // @monaco-editor/react disposes the two models before the diff widget lets go of them, which throws ("TextModel got
  // disposed before DiffEditorWidget model got reset"). So the library keeps them (keepCurrent*Model) and they are
  // disposed here once the library has disposed the editor (its cleanup runs right after this one).
  const editorRef = useRef<Parameters<DiffOnMount>[0] | null>(null);
  useEffect(
    () => () => {
      const models = editorRef.current?.getModel();
      window.setTimeout(() => {
        models?.original.dispose();
        models?.modified.dispose();
        resetHoverFactory();
      }, 0);
    },
    [],
  );
  return (
    <DiffEditor
      onMount={(editor) => {
        editorRef.current = editor;
        resetHoverFactory();
      }}
      keepCurrentOriginalModel
      keepCurrentModifiedModel
      original={original}
      modified={modified}
      language={COREFILE_LANGUAGE_ID}
      theme={theme === "dark" ? DARK_THEME : LIGHT_THEME}
      height={height}
      loading={<EditorSkeleton height={height} label="Loading the comparison…" />}
      wrapperProps={{ "data-testid": "corefile-monaco-diff" }}
      options={options}
    />
  );
}
