"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { CorefileDiffEditor, CorefileEditor, DiagnosticsList } from "@/components/corefile-editor";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button-class";
import type { CorefileDiagnostic } from "@/lib/corefile/validate";
import { readLiveCorefileAction } from "../../editor/actions";
import { readRevisionTextAction, rollbackAction } from "../actions";

export type LiveCorefileView = { ok: true; text: string; resourceVersion: string } | { ok: false; message: string };

type RevisionText = { id: string; number: number; text: string };

export type RevisionWorkspaceProps = {
  cluster: string;
  revision: RevisionText;
  /** The revision before this one, or null for the first. */
  previous: RevisionText | null;
  live: LiveCorefileView;
  /** Other revisions to compare with (newest first). */
  choices: { id: string; number: number; message: string }[];
  /** Why this person may not roll back (their role); null when they may. */
  rollbackBlockedReason: string | null;
};

type Comparison = { key: string; label: string; text: string };

/** The revision's text, a comparison with another version, and the rollback with its confirmation. */
export function RevisionWorkspace({ cluster, revision, previous, live: initialLive, choices, rollbackBlockedReason }: RevisionWorkspaceProps) {
  const [live, setLive] = useState(initialLive);
  const compareId = useId();
  const [comparisonKey, setComparisonKey] = useState(previous ? "previous" : "live");
  const [chosen, setChosen] = useState<Comparison | null>(null);
  const [compareError, setCompareError] = useState<string | null>(null);
  const [isLoadingComparison, startLoadingComparison] = useTransition();

  let comparison: Comparison | null = null;
  if (comparisonKey === "previous" && previous) comparison = { key: "previous", label: `Revision ${previous.number} (previous)`, text: previous.text };
  else if (comparisonKey === "live" && live.ok) comparison = { key: "live", label: "Live Corefile", text: live.text };
  else if (chosen && chosen.key === comparisonKey) comparison = chosen;

  function chooseComparison(key: string) {
    setComparisonKey(key);
    setCompareError(null);
    if (!key.startsWith("revision:")) return;
    const revisionId = key.slice("revision:".length);
    startLoadingComparison(async () => {
      const result = await readRevisionTextAction({ cluster, revisionId });
      if (!result.ok) setCompareError(result.message);
      else setChosen({ key, label: `Revision ${result.number}`, text: result.text });
    });
  }

  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="revision-text-heading">
        <h2 id="revision-text-heading" className="mb-2 text-lg font-semibold">
          Corefile
        </h2>
        <CorefileEditor key={revision.id} defaultValue={revision.text} readOnly ariaLabel={`Corefile of revision ${revision.number} (read-only)`} height="24rem" />
      </section>

      <section aria-labelledby="compare-heading">
        <div className="mb-2 flex flex-wrap items-end justify-between gap-3">
          <h2 id="compare-heading" className="text-lg font-semibold">
            Compare
          </h2>
          <div className="flex items-center gap-2 text-sm">
            <label htmlFor={compareId} className="font-medium">
              Compare revision {revision.number} with
            </label>
            <select
              id={compareId}
              value={comparisonKey}
              onChange={(event) => chooseComparison(event.target.value)}
              className="rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900"
            >
              {previous ? <option value="previous">the previous revision ({previous.number})</option> : null}
              <option value="live" disabled={!live.ok}>
                the live Corefile{live.ok ? "" : " (unavailable)"}
              </option>
              {choices.map((choice) => (
                <option key={choice.id} value={`revision:${choice.id}`}>
                  revision {choice.number}
                  {choice.message ? ` · ${choice.message.slice(0, 60)}` : ""}
                </option>
              ))}
            </select>
          </div>
        </div>
        {compareError ? (
          <Alert tone="error" title="Could not load that revision">
            {compareError}
          </Alert>
        ) : comparison ? (
          <CorefileDiffEditor
            original={comparison.text}
            modified={revision.text}
            originalLabel={comparison.label}
            modifiedLabel={`Revision ${revision.number}`}
            ariaLabel={`Differences between ${comparison.label} and revision ${revision.number}`}
          />
        ) : isLoadingComparison ? (
          <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
            Loading the revision…
          </p>
        ) : !live.ok && comparisonKey === "live" ? (
          <Alert tone="warning" title="The live Corefile cannot be read">
            {live.message}
          </Alert>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">This is the first revision: pick another one to compare with.</p>
        )}
      </section>

      <RollbackSection cluster={cluster} revision={revision} live={live} onLiveChange={setLive} blockedReason={rollbackBlockedReason} />
    </div>
  );
}

type RollbackState =
  | { step: "idle" }
  | { step: "confirm" }
  | { step: "failed"; title: string; message: string; diagnostics?: CorefileDiagnostic[] };

function RollbackSection({
  cluster,
  revision,
  live,
  onLiveChange,
  blockedReason,
}: {
  cluster: string;
  revision: RevisionText;
  live: LiveCorefileView;
  blockedReason: string | null;
  onLiveChange(live: LiveCorefileView): void;
}) {
  const router = useRouter();
  const messageId = useId();
  const [state, setState] = useState<RollbackState>({ step: "idle" });
  const [message, setMessage] = useState(`Roll back to revision ${revision.number}`);
  const [isPending, startTransition] = useTransition();
  const isLive = live.ok && live.text === revision.text;

  function refreshLive() {
    startTransition(async () => {
      const result = await readLiveCorefileAction({ cluster });
      onLiveChange(result.ok ? { ok: true, text: result.text, resourceVersion: result.resourceVersion } : { ok: false, message: result.message });
    });
  }

  function rollBack() {
    if (!live.ok) return;
    startTransition(async () => {
      const result = await rollbackAction({ cluster, revisionId: revision.id, baseResourceVersion: live.resourceVersion, message });
      if (result.ok) {
        router.push(`/history/${result.revision.id}?restored=1`);
        return;
      }
      if (result.code === "CONFLICT" && "live" in result && result.live) {
        onLiveChange({ ok: true, text: result.live.text, resourceVersion: result.live.resourceVersion });
        setState({
          step: "failed",
          title: "The live Corefile changed while you were reviewing",
          message: "Someone changed the ConfigMap after this page read it. The comparison below now shows the current live Corefile: review it and confirm again.",
        });
        return;
      }
      setState({
        step: "failed",
        title: result.code === "INVALID" ? "CoreDNS would refuse this revision now" : "Nothing was rolled back",
        message: result.message,
        diagnostics: "diagnostics" in result ? result.diagnostics : undefined,
      });
    });
  }

  return (
    <section aria-labelledby="rollback-heading" className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id="rollback-heading" className="text-lg font-semibold">
        Roll back
      </h2>
      {isLive ? (
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400" data-testid="rollback-unneeded">
          The cluster runs exactly this Corefile now; there is nothing to roll back.
        </p>
      ) : !live.ok ? (
        <div className="mt-2">
          <Alert tone="warning" title="Rollback needs the live Corefile">
            <p>{live.message}</p>
            <button type="button" className={`${buttonClass()} mt-2`} onClick={refreshLive} disabled={isPending}>
              {isPending ? "Reading…" : "Try again"}
            </button>
          </Alert>
        </div>
      ) : state.step === "idle" ? (
        <>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            Puts this revision&apos;s exact text back into the ConfigMap, after the same checks as an apply from the editor. It is
            recorded as a new revision; nothing in the history is lost.
          </p>
          <button
            type="button"
            className={`${buttonClass("primary")} mt-3`}
            onClick={() => setState({ step: "confirm" })}
            disabled={blockedReason !== null}
            aria-describedby={blockedReason ? "rollback-blocked-reason" : undefined}
            title={blockedReason ?? undefined}
          >
            Roll back to revision {revision.number}…
          </button>
          {blockedReason ? (
            <p id="rollback-blocked-reason" className="mt-2 text-sm text-amber-800 dark:text-amber-300" data-testid="rollback-blocked-reason">
              {blockedReason}
            </p>
          ) : null}
        </>
      ) : (
        <div className="mt-2 flex flex-col gap-3">
          {state.step === "failed" ? (
            <Alert tone="error" title={state.title}>
              <p>{state.message}</p>
              {state.diagnostics && state.diagnostics.length > 0 ? (
                <DiagnosticsList diagnostics={state.diagnostics} title={null} ariaLabel="Why CoreDNS would refuse it" className="mt-2" />
              ) : null}
            </Alert>
          ) : null}
          <p className="text-sm">
            This is what the rollback changes in the live Corefile (resourceVersion <code>{live.resourceVersion}</code>):
          </p>
          <CorefileDiffEditor
            original={live.text}
            modified={revision.text}
            originalLabel="Live Corefile (before)"
            modifiedLabel={`Revision ${revision.number} (after the rollback)`}
            ariaLabel="What the rollback changes"
            height="20rem"
          />
          <label htmlFor={messageId} className="text-sm font-medium">
            Message
          </label>
          <input
            id={messageId}
            value={message}
            onChange={(event) => setMessage(event.target.value)}
            maxLength={2000}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
          />
          <div className="flex gap-2">
            <button type="button" className={buttonClass("danger")} onClick={rollBack} disabled={isPending} aria-busy={isPending}>
              {isPending ? "Rolling back…" : `Roll back now`}
            </button>
            <button type="button" className={buttonClass()} onClick={() => setState({ step: "idle" })} disabled={isPending}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
