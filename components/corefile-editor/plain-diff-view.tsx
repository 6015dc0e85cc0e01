"use client";

/**
 * A line diff as plain text (the accessible alternative to Monaco's diff editor): each changed line says whether it
 * was removed or added, in words for screen readers and with − / + and colour for the eye.
 */
import { useMemo } from "react";
import { diffLines } from "@/lib/corefile-language";

export function PlainDiffView({ original, modified, ariaLabel, height }: { original: string; modified: string; ariaLabel: string; height: string }) {
  const lines = useMemo(() => diffLines(original, modified), [original, modified]);
  const removed = lines.filter((l) => l.kind === "removed").length;
  const added = lines.filter((l) => l.kind === "added").length;
  return (
    <figure aria-label={ariaLabel} className="m-0" data-testid="corefile-plain-diff">
      <figcaption className="border-b border-slate-200 px-3 py-1.5 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400">
        {removed === 0 && added === 0 ? "No changes." : `${removed} line${removed === 1 ? "" : "s"} removed, ${added} added.`}
      </figcaption>
      <div style={{ maxHeight: height }} className="overflow-auto bg-white dark:bg-slate-900">
        <table className="w-full border-collapse font-mono text-[13px] leading-5">
          <thead className="sr-only">
            <tr>
              <th scope="col">Old line</th>
              <th scope="col">New line</th>
              <th scope="col">Change</th>
              <th scope="col">Text</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr
                key={i}
                className={
                  l.kind === "added"
                    ? "bg-emerald-50 dark:bg-emerald-950/50"
                    : l.kind === "removed"
                      ? "bg-red-50 dark:bg-red-950/50"
                      : undefined
                }
              >
                <td className="w-10 select-none pr-2 text-right align-top text-slate-400">{l.kind !== "added" ? l.oldLine : ""}</td>
                <td className="w-10 select-none pr-2 text-right align-top text-slate-400">{l.kind !== "removed" ? l.newLine : ""}</td>
                <td className="w-5 select-none text-center align-top">
                  <span aria-hidden="true">{l.kind === "added" ? "+" : l.kind === "removed" ? "−" : ""}</span>
                  <span className="sr-only">{l.kind === "added" ? "added" : l.kind === "removed" ? "removed" : "unchanged"}</span>
                </td>
                <td className="whitespace-pre pr-3">{l.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
