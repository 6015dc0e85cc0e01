"use client";

/**
 * The Corefile editor: Monaco with the `corefile` language (colouring, completion, hover, quick fixes, formatting,
 * diagnostics as you type), or — for anyone Monaco does not serve — a plain textarea with the diagnostics listed
 * below. Both edit the same text; the choice is remembered in this browser.
 *
 * The text is uncontrolled (`defaultValue`): a controlled value makes Monaco's cursor jump while typing fast. Mirror
 * it with `onChange`, and replace it through the ref's `setText`.
 */
import dynamic from "next/dynamic";
import { startTransition, useCallback, useEffect, useId, useImperativeHandle, useRef, useState, type Ref } from "react";
import { getFormattingEdits, type FormattingResult, type OffsetEdit } from "@/lib/corefile-language";
import { applyEdits } from "@/lib/corefile/text-edit";
import type { ValidateOptions } from "@/lib/corefile/validate";
import { createChecker, type CheckResult } from "./check-client";
import { DiagnosticsList } from "./diagnostics-list";
import { EditorSkeleton } from "./editor-skeleton";
import { PlainCorefileEditor } from "./plain-corefile-editor";
import type { CorefileDiagnostic, CorefileEditorHandle, InitialSelection, InnerEditorHandle } from "./types";
import { usePlainEditorMode } from "./use-plain-editor-mode";

const MonacoCorefileEditor = dynamic(() => import("./monaco-corefile-editor").then((m) => m.MonacoCorefileEditor), {
  ssr: false,
  // The wrapper below has the editor's height; the skeleton fills it.
  loading: () => <EditorSkeleton height="100%" />,
});

const DEFAULT_HEIGHT = "28rem";

/**
 * Quiet time after the last keystroke before the text is checked again, at most. Ordinary Corefiles are checked on
 * the main thread in a millisecond or two; large ones (see WORKER_THRESHOLD_CHARS) in a worker, which takes a few tens
 * of milliseconds for 2,000 lines. The wait shrinks by the time the last check took, so that diagnostics appear about
 * CHECK_TARGET_MS after the last keystroke whatever the size (never waiting less than CHECK_MIN_DELAY_MS).
 */
export const CHECK_DELAY_MS = 100;
export const CHECK_TARGET_MS = 100;
const CHECK_MIN_DELAY_MS = 20;

export type CorefileEditorProps = {
  /** The initial text (later changes of this prop are ignored: use the ref's `setText`). */
  defaultValue: string;
  /** Every change of the text. */
  onChange?: (text: string) => void;
  /** The cursor's offset in the text, on every move (for the execution-order panel). */
  onCursorOffsetChange?: (offset: number) => void;
  /** The check result (CoreDNS's verdict plus the lint) after each pause in typing, and once at start. */
  onDiagnosticsChange?: (result: CheckResult) => void;
  readOnly?: boolean;
  /** Accessible name of the editing area, e.g. "Corefile of kube-system/coredns". */
  ariaLabel: string;
  /** Options for the check: the CoreDNS version targeted, other ConfigMap keys for `import`, env variables. */
  checkOptions?: ValidateOptions;
  /** CSS height of the editing area (default 28rem). */
  height?: string;
  /**
   * Where this component lists the diagnostics itself: only in plain-text mode (default, Monaco shows squiggles),
   * always, or never (the page renders its own DiagnosticsList).
   */
  inlineDiagnostics?: "plain-only" | "always" | "never";
  className?: string;
  /** Selected and scrolled into view once the editor is ready (a link to a directive). */
  initialSelection?: InitialSelection;
  ref?: Ref<CorefileEditorHandle>;
};

export function CorefileEditor({
  defaultValue,
  onChange,
  onCursorOffsetChange,
  onDiagnosticsChange,
  readOnly = false,
  ariaLabel,
  checkOptions,
  height = DEFAULT_HEIGHT,
  inlineDiagnostics = "plain-only",
  className = "",
  initialSelection,
  ref,
}: CorefileEditorProps) {
  const hintId = useId();
  const [isPlain, setIsPlain] = usePlainEditorMode();
  // The text the next editor (after a mode switch, or once Monaco has loaded) starts with.
  const [mountValue, setMountValue] = useState(defaultValue);
  const [result, setResult] = useState<CheckResult | null>(null);
  const textRef = useRef(defaultValue);
  // Bumped on every change: a check result for an older version is dropped (a newer check is already scheduled).
  const versionRef = useRef(0);
  const lastCheckMsRef = useRef(0);
  const checkerRef = useRef<ReturnType<typeof createChecker> | null>(null);
  const innerRef = useRef<InnerEditorHandle | null>(null);
  const timerRef = useRef<number | undefined>(undefined);
  const latest = useRef({ onChange, onCursorOffsetChange, onDiagnosticsChange, checkOptions });
  useEffect(() => {
    latest.current = { onChange, onCursorOffsetChange, onDiagnosticsChange, checkOptions };
  });

  const runCheck = useCallback(() => {
    window.clearTimeout(timerRef.current);
    const version = versionRef.current;
    const startedAt = performance.now();
    checkerRef.current ??= createChecker();
    void checkerRef.current.check(textRef.current, latest.current.checkOptions).then((checked) => {
      lastCheckMsRef.current = performance.now() - startedAt;
      if (version !== versionRef.current) return;
      innerRef.current?.showDiagnostics(checked.diagnostics, checked.file);
      // Lists and panels re-render as a transition, so the squiggles are painted first.
      startTransition(() => {
        setResult(checked);
        latest.current.onDiagnosticsChange?.(checked);
      });
    });
  }, []);

  const handleTextChange = useCallback(
    (text: string) => {
      textRef.current = text;
      versionRef.current++;
      latest.current.onChange?.(text);
      window.clearTimeout(timerRef.current);
      const delay = Math.max(CHECK_MIN_DELAY_MS, Math.min(CHECK_DELAY_MS, CHECK_TARGET_MS - lastCheckMsRef.current));
      timerRef.current = window.setTimeout(runCheck, delay);
    },
    [runCheck],
  );

  const handleCursorOffsetChange = useCallback((offset: number) => latest.current.onCursorOffsetChange?.(offset), []);

  // Revealed once, on the first editor that becomes ready (not again after a mode switch).
  const pendingSelection = useRef(initialSelection);
  const handleReady = useCallback(
    (handle: InnerEditorHandle | null) => {
      innerRef.current = handle;
      if (!handle) return;
      runCheck();
      const selection = pendingSelection.current;
      if (selection) {
        pendingSelection.current = undefined;
        const hasEnd = selection.endLine !== undefined && selection.endColumn !== undefined;
        handle.revealPosition(selection.line, selection.column, hasEnd ? { line: selection.endLine!, column: selection.endColumn! } : undefined);
      }
    },
    [runCheck],
  );

  // Check again when the options change (another CoreDNS version, other imported files).
  const optionsKey = JSON.stringify(checkOptions ?? {});
  useEffect(() => {
    runCheck();
  }, [optionsKey, runCheck]);
  useEffect(
    () => () => {
      window.clearTimeout(timerRef.current);
      checkerRef.current?.dispose();
      checkerRef.current = null;
    },
    [],
  );

  const replaceText = useCallback(
    (edit: (inner: InnerEditorHandle) => void, fallback: (text: string) => string) => {
      const inner = innerRef.current;
      if (inner) {
        edit(inner);
        return;
      }
      // The editor is still loading: change the text it will start with.
      const text = fallback(textRef.current);
      setMountValue(text);
      handleTextChange(text);
    },
    [handleTextChange],
  );

  useImperativeHandle(
    ref,
    (): CorefileEditorHandle => ({
      getText: () => textRef.current,
      setText(text) {
        replaceText((inner) => inner.setText(text), () => text);
      },
      applyEdits(edits: readonly OffsetEdit[]) {
        replaceText((inner) => inner.applyEdits(edits), (text) => applyEdits(text, edits));
      },
      format(): FormattingResult {
        const formatting = getFormattingEdits(textRef.current);
        if (formatting.ok && formatting.edits.length > 0) {
          const edits = formatting.edits;
          replaceText((inner) => inner.applyEdits(edits), (text) => applyEdits(text, edits));
        }
        return formatting;
      },
      revealPosition(line, column, end) {
        innerRef.current?.revealPosition(line, column, end);
      },
      focus() {
        innerRef.current?.focus();
      },
      undo: () => innerRef.current?.undo() ?? false,
      redo: () => innerRef.current?.redo() ?? false,
    }),
    [replaceText],
  );

  function toggleMode() {
    setMountValue(textRef.current);
    setIsPlain(!isPlain);
  }

  const innerProps = {
    defaultValue: mountValue,
    readOnly,
    ariaLabel,
    height,
    describedBy: hintId,
    onTextChange: handleTextChange,
    onCursorOffsetChange: handleCursorOffsetChange,
    onReady: handleReady,
  };
  const showList = inlineDiagnostics === "always" || (inlineDiagnostics === "plain-only" && isPlain);

  return (
    <div className={className} data-testid="corefile-editor">
      <div className="overflow-hidden rounded-md border border-slate-300 dark:border-slate-700">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-xs text-slate-600 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
          <p id={hintId}>
            {isPlain
              ? "Plain text: Tab moves to the next control. Problems are listed below."
              : "Ctrl+Space suggests · Ctrl+. quick fix · Shift+Alt+F formats · F8 next problem · Ctrl+M: Tab moves focus · Alt+F1 accessibility help"}
          </p>
          <label className="inline-flex cursor-pointer items-center gap-2 font-medium text-slate-700 dark:text-slate-300">
            <input
              type="checkbox"
              role="switch"
              checked={isPlain}
              onChange={toggleMode}
              className="h-3.5 w-3.5 accent-sky-600"
            />
            Plain text editor
          </label>
        </div>
        {isPlain ? (
          <PlainCorefileEditor key="plain" {...innerProps} />
        ) : (
          <div key="monaco" style={{ height }}>
            <MonacoCorefileEditor {...innerProps} height="100%" />
          </div>
        )}
      </div>
      {showList ? (
        <DiagnosticsList
          className="mt-3"
          diagnostics={result?.diagnostics ?? []}
          file={result?.file}
          onSelect={(d: CorefileDiagnostic) => innerRef.current?.revealPosition(d.line, d.column)}
        />
      ) : null}
    </div>
  );
}
