"use client";

/**
 * A read-only comparison of two Corefiles (the review step before an apply): Monaco's diff editor, side by side (inline
 * when narrow), or a plain line diff when the user chose the plain-text editor.
 */
import dynamic from "next/dynamic";
import { EditorSkeleton } from "./editor-skeleton";
import { PlainDiffView } from "./plain-diff-view";
import { usePlainEditorMode } from "./use-plain-editor-mode";

const MonacoDiffEditor = dynamic(() => import("./monaco-diff-editor").then((m) => m.MonacoDiffEditor), {
  ssr: false,
  loading: () => <EditorSkeleton height="100%" label="Loading the comparison…" />,
});

export type CorefileDiffEditorProps = {
  /** The text before the change (e.g. the live ConfigMap). */
  original: string;
  /** The text after the change (the draft). */
  modified: string;
  /** Accessible names of the two sides. */
  originalLabel?: string;
  modifiedLabel?: string;
  /** Accessible name of the whole comparison. */
  ariaLabel?: string;
  /** CSS height (default 28rem). */
  height?: string;
  className?: string;
};

export function CorefileDiffEditor({
  original,
  modified,
  originalLabel = "Live Corefile (before)",
  modifiedLabel = "Draft Corefile (after)",
  ariaLabel = "Changes to the Corefile",
  height = "28rem",
  className = "",
}: CorefileDiffEditorProps) {
  const [isPlain, setIsPlain] = usePlainEditorMode();
  return (
    <div className={`overflow-hidden rounded-md border border-slate-300 dark:border-slate-700 ${className}`} data-testid="corefile-diff">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-xs text-slate-600 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
        <p>
          {isPlain ? "Removed lines are marked −, added lines +." : "Left: before · right: after · F7 / Shift+F7 go to the next / previous change"}
        </p>
        <label className="inline-flex cursor-pointer items-center gap-2 font-medium text-slate-700 dark:text-slate-300">
          <input type="checkbox" role="switch" checked={isPlain} onChange={() => setIsPlain(!isPlain)} className="h-3.5 w-3.5 accent-sky-600" />
          Plain text view
        </label>
      </div>
      {isPlain ? (
        <PlainDiffView original={original} modified={modified} ariaLabel={ariaLabel} height={height} />
      ) : (
        <section aria-label={ariaLabel} style={{ height }}>
          <MonacoDiffEditor original={original} modified={modified} originalLabel={originalLabel} modifiedLabel={modifiedLabel} height="100%" />
        </section>
      )}
    </div>
  );
}
