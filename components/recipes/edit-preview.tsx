"use client";

import type { OffsetEdit } from "@/lib/corefile-language";
import { countHunkLines, describeEdits, type PreviewHunk } from "./preview-hunks";

/** Exactly what Insert would change, as whole lines: added in green with `+`, removed in red with `-`. */
export function EditPreview({ text, edits }: { text: string; edits: readonly OffsetEdit[] }) {
  const hunks = describeEdits(text, edits);
  const { added, removed } = countHunkLines(hunks);
  return (
    <div>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {describeCount(added, removed)}
        {hunks.length > 1 ? ` in ${hunks.length} places` : ""}:
      </p>
      {hunks.map((hunk, index) => (
        <HunkView key={`${hunk.oldLine}-${index}`} hunk={hunk} />
      ))}
    </div>
  );
}

function describeCount(added: number, removed: number): string {
  const parts: string[] = [];
  if (added) parts.push(`${added} line${added === 1 ? "" : "s"} added`);
  if (removed) parts.push(`${removed} line${removed === 1 ? "" : "s"} removed`);
  return parts.length ? parts.join(", ") : "No line changes";
}

function HunkView({ hunk }: { hunk: PreviewHunk }) {
  const where = hunk.removed.length ? `At line ${hunk.oldLine}` : hunk.newLine > 1 ? `After line ${hunk.newLine - 1}` : "At the start";
  return (
    <figure className="mt-2">
      <figcaption className="text-xs text-slate-600 dark:text-slate-400">{where}</figcaption>
      <pre
        data-testid="recipe-preview-lines"
        className="mt-1 overflow-x-auto rounded-md border border-slate-200 bg-slate-50 py-1 font-mono text-xs leading-5 dark:border-slate-800 dark:bg-slate-950"
      >
        {hunk.before !== undefined ? <Line sign=" " text={hunk.before} /> : null}
        {hunk.removed.map((line, i) => (
          <Line key={`r${i}`} sign="-" text={line} />
        ))}
        {hunk.added.map((line, i) => (
          <Line key={`a${i}`} sign="+" text={line} />
        ))}
        {hunk.after !== undefined ? <Line sign=" " text={hunk.after} /> : null}
      </pre>
    </figure>
  );
}

const LINE_TONES = {
  "+": "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-200",
  "-": "bg-red-50 text-red-900 line-through decoration-red-400/60 dark:bg-red-950/60 dark:text-red-200",
  " ": "text-slate-500 dark:text-slate-500",
} as const;

const SIGN_LABELS = { "+": "added", "-": "removed", " ": "unchanged" } as const;

function Line({ sign, text }: { sign: keyof typeof LINE_TONES; text: string }) {
  return (
    <span className={`block px-2 ${LINE_TONES[sign]}`}>
      <span aria-hidden="true" className="select-none">
        {sign}{" "}
      </span>
      <span className="sr-only">{SIGN_LABELS[sign]}: </span>
      {text}
    </span>
  );
}
