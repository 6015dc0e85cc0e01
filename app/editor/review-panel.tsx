"use client";

import { useId, useState, type ReactNode } from "react";
import { CorefileDiffEditor, DiagnosticsList } from "@/components/corefile-editor";
import type { CorefileDiagnostic } from "@/lib/corefile/validate";
import { buttonClass } from "@/components/ui/button-class";
import { Card } from "@/components/ui/card";
import { countChangedLines } from "@/lib/text/line-diff";

/** The review step: the exact change against the live ConfigMap, the problems, and a message. */
export function ReviewPanel({
  original,
  modified,
  diagnostics,
  isBusy,
  isCreate,
  location,
  onBack,
  onApply,
  impact,
}: {
  original: string;
  modified: string;
  diagnostics: readonly CorefileDiagnostic[];
  isBusy: boolean;
  isCreate: boolean;
  location: string;
  onBack: () => void;
  onApply: (message: string) => void;
  /** What the change does to names (the draft-against-live comparison), under the diff. */
  impact?: ReactNode;
}) {
  const messageId = useId();
  const [message, setMessage] = useState("");
  const errors = diagnostics.filter((d) => d.severity === "error");
  const warnings = diagnostics.filter((d) => d.severity === "warning");
  const { added, removed } = countChangedLines(original, modified);

  return (
    <Card title="Review">
      <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">
        {isCreate ? `Creates ConfigMap ${location}` : `Changes to ${location}`}: <span className="text-emerald-700 dark:text-emerald-400">+{added}</span>{" "}
        <span className="text-red-700 dark:text-red-400">−{removed}</span> lines.
      </p>
      <CorefileDiffEditor
        original={original}
        modified={modified}
        originalLabel="Live Corefile"
        modifiedLabel="Your draft"
        ariaLabel="Changes between the live Corefile and your draft"
        height="24rem"
      />
      {impact}
      <div className="mt-4">
        {errors.length > 0 ? (
          <p role="alert" className="mb-2 text-sm font-medium text-red-700 dark:text-red-400">
            CoreDNS would refuse this Corefile: fix the {errors.length === 1 ? "error" : `${errors.length} errors`} below before applying.
          </p>
        ) : warnings.length > 0 ? (
          <p className="mb-2 text-sm text-amber-800 dark:text-amber-300">
            CoreDNS accepts this Corefile. {warnings.length === 1 ? "One warning is" : `${warnings.length} warnings are`} worth a look.
          </p>
        ) : null}
        <DiagnosticsList diagnostics={diagnostics} title={null} ariaLabel="Problems in the draft" />
      </div>
      <form
        className="mt-4 flex flex-col gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          onApply(message);
        }}
      >
        <label htmlFor={messageId} className="text-sm font-medium">
          What does this change do? <span className="font-normal text-slate-500">(recorded with the revision)</span>
        </label>
        <textarea
          id={messageId}
          value={message}
          onChange={(event) => setMessage(event.target.value)}
          rows={2}
          maxLength={2000}
          className="rounded-md border border-slate-300 bg-white p-2 text-sm dark:border-slate-700 dark:bg-slate-950"
          placeholder="e.g. Forward the mesh zone to Linkerd"
        />
        <div className="flex gap-2">
          <button type="submit" className={buttonClass("primary")} disabled={isBusy || errors.length > 0}>
            {isBusy ? "Applying…" : isCreate ? "Create ConfigMap" : "Apply to cluster"}
          </button>
          <button type="button" className={buttonClass()} onClick={onBack} disabled={isBusy}>
            Back to editing
          </button>
        </div>
      </form>
    </Card>
  );
}
