"use client";

/**
 * The problems of a Corefile as a list: severity (icon and word), code, line:column and message. Selecting one
 * (click, Enter or Space) hands it to `onSelect`, which usually moves the editor's cursor there.
 */
import { useId } from "react";
import type { CorefileDiagnostic } from "@/lib/corefile/validate";

const SEVERITY = {
  error: { icon: "✕", word: "Error", tone: "text-red-700 dark:text-red-400" },
  warning: { icon: "▲", word: "Warning", tone: "text-amber-700 dark:text-amber-400" },
  info: { icon: "i", word: "Info", tone: "text-sky-700 dark:text-sky-400" },
} as const;

export type DiagnosticsListProps = {
  diagnostics: readonly CorefileDiagnostic[];
  /** Called when the user picks a diagnostic; without it the list is not interactive. */
  onSelect?: (diagnostic: CorefileDiagnostic) => void;
  /** The file shown in the editor: diagnostics of other files (imports) are labelled with their file name. */
  file?: string;
  /** Heading text; null renders no heading (then pass `ariaLabel`). */
  title?: string | null;
  ariaLabel?: string;
  className?: string;
};

/** "2 errors, 1 warning" — or "No problems". */
export function summarizeDiagnostics(diagnostics: readonly CorefileDiagnostic[]): string {
  const count = (s: CorefileDiagnostic["severity"]) => diagnostics.filter((d) => d.severity === s).length;
  const parts = [
    [count("error"), "error", "errors"],
    [count("warning"), "warning", "warnings"],
    [count("info"), "note", "notes"],
  ] as const;
  const text = parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  return text.length > 0 ? text.join(", ") : "No problems";
}

export function DiagnosticsList({ diagnostics, onSelect, file = "Corefile", title = "Problems", ariaLabel, className = "" }: DiagnosticsListProps) {
  const headingId = useId();
  const summary = summarizeDiagnostics(diagnostics);
  return (
    <section
      aria-labelledby={title ? headingId : undefined}
      aria-label={title ? undefined : (ariaLabel ?? "Problems")}
      className={`text-sm ${className}`}
      data-testid="corefile-diagnostics"
    >
      <div className="mb-2 flex items-baseline gap-2">
        {title ? (
          <h2 id={headingId} className="font-semibold">
            {title}
          </h2>
        ) : null}
        <p role="status" className="text-slate-600 dark:text-slate-400">
          {summary}
        </p>
      </div>
      {diagnostics.length > 0 ? (
        <ul className="divide-y divide-slate-200 overflow-hidden rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {diagnostics.map((d, i) => {
            const content = <DiagnosticRow diagnostic={d} showFile={d.file !== file} />;
            return (
              <li key={`${d.code}-${d.file}-${d.line}-${d.column}-${i}`}>
                {onSelect ? (
                  <button
                    type="button"
                    onClick={() => onSelect(d)}
                    className="block w-full px-3 py-2 text-left hover:bg-slate-100 focus-visible:bg-slate-100 dark:hover:bg-slate-800 dark:focus-visible:bg-slate-800"
                  >
                    {content}
                  </button>
                ) : (
                  <div className="px-3 py-2">{content}</div>
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}

function DiagnosticRow({ diagnostic: d, showFile }: { diagnostic: CorefileDiagnostic; showFile: boolean }) {
  const severity = SEVERITY[d.severity];
  return (
    <span className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5">
      <span className={`inline-flex w-20 shrink-0 items-baseline gap-1 font-medium ${severity.tone}`}>
        <span aria-hidden="true" className="inline-block w-3 text-center font-bold">
          {severity.icon}
        </span>
        {severity.word}
      </span>
      <span className="shrink-0 font-mono text-xs text-slate-600 dark:text-slate-400">
        {showFile ? `${d.file}:` : "Line "}
        {d.line}:{d.column}
      </span>
      <code className="shrink-0 text-xs text-slate-600 dark:text-slate-400">{d.code}</code>
      <span className="min-w-0 basis-full text-slate-900 sm:basis-auto sm:flex-1 dark:text-slate-100">
        {d.message}
        {d.corednsMessage && d.corednsMessage !== d.message ? (
          <span className="mt-0.5 block font-mono text-xs text-slate-500 dark:text-slate-400">CoreDNS: {d.corednsMessage}</span>
        ) : null}
      </span>
    </span>
  );
}
