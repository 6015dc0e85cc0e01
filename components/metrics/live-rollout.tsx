"use client";

import Link from "next/link";
import { useEffect, useRef, useState, useTransition } from "react";
import { describeRollout, rollbackHref, RolloutPodTable, RolloutStateBadge } from "@/components/history/rollout-status";
import { buttonClass } from "@/components/ui/button-class";
import type { PodRollout, RolloutStatus as Rollout } from "@/lib/metrics/rollout";
import { shortPodName } from "./chart-data";

type ReadStatus = (input: { cluster: string; revisionId: string }) => Promise<{ ok: true; status: Rollout } | { ok: false; message: string }>;

/** How often the status is asked for while pods are still deciding. */
export const ROLLOUT_POLL_MS = 2500;
/** When to stop asking: the real kubelet sync plus reload poll take up to ~2 minutes. */
const MAX_POLL_MS = 10 * 60_000;

/** Reasons that will not change by waiting (the revision was replaced, or CoreDNS cannot parse it). */
const FINAL_UNKNOWN = new Set<PodRollout["reason"]>(["SUPERSEDED", "NO_RELOAD_HASH", "OTHER_CORE_FILE"]);

/** Whether every pod has decided: loaded, rejected, or a state no wait will change. */
export function isRolloutSettled(rollout: Rollout): boolean {
  if (!rollout.isCollecting || rollout.reloadHash === null) return true;
  if (rollout.pods.length === 0) return false;
  return rollout.pods.every((pod) => pod.state === "loaded" || pod.state === "rejected" || FINAL_UNKNOWN.has(pod.reason));
}

export type RollbackOffer = {
  /** The revision before the rejected one, whose Corefile the pods still serve. */
  previousRevisionId: string;
  previousRevisionNumber: number;
  /** Rolls back at once (after the inline confirmation); absent: the offer links to the revision page's rollback. */
  rollBack?: () => Promise<{ ok: false; message: string } | void>;
};

/**
 * A revision's rollout, kept current: asks `readStatus` every few seconds until every pod has loaded or rejected it
 * (or ten minutes passed), pausing while the tab is hidden. `inline` is one line with a chip per pod (the editor's
 * apply notice); `full` adds each pod's message (the revision page). A rejection offers the rollback.
 */
export function LiveRollout({
  cluster,
  revisionId,
  initial = null,
  readStatus,
  rollback = null,
  variant = "inline",
}: {
  cluster: string;
  revisionId: string;
  initial?: Rollout | null;
  readStatus: ReadStatus;
  rollback?: RollbackOffer | null;
  variant?: "inline" | "full";
}) {
  const [rollout, setRollout] = useState<Rollout | null>(initial);
  const [error, setError] = useState<string | null>(null);
  const [hasGivenUp, setHasGivenUp] = useState(false);
  const isSettled = rollout !== null && isRolloutSettled(rollout);
  const startedAt = useRef<number | null>(null);

  useEffect(() => {
    if (isSettled) return;
    startedAt.current ??= Date.now();
    let isCancelled = false;
    let timer: number | undefined;
    const poll = async () => {
      if (document.visibilityState === "visible") {
        const result = await readStatus({ cluster, revisionId }).catch(() => ({ ok: false as const, message: "Coredeck did not answer." }));
        if (isCancelled) return;
        if (result.ok) {
          setRollout(result.status);
          setError(null);
          if (isRolloutSettled(result.status)) return;
        } else {
          setError(result.message);
        }
      }
      if (Date.now() - startedAt.current! > MAX_POLL_MS) {
        setHasGivenUp(true);
        return;
      }
      timer = window.setTimeout(poll, ROLLOUT_POLL_MS);
    };
    // A first answer at once when there is none yet; otherwise after one interval.
    timer = window.setTimeout(poll, rollout === null ? 0 : ROLLOUT_POLL_MS);
    return () => {
      isCancelled = true;
      window.clearTimeout(timer);
    };
    // Polling restarts only when the revision changes or the rollout settles, not on each answer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cluster, revisionId, isSettled, readStatus]);

  const summary = rollout === null ? "checking the pods…" : describeRollout(rollout);
  const isRejected = rollout?.overall === "rejected";

  return (
    <div className="flex flex-col gap-2" data-testid="live-rollout" data-overall={rollout?.overall ?? "pending"} data-settled={isSettled}>
      <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className="font-medium">Rollout:</span>
        {rollout ? <RolloutStateBadge state={rollout.overall} /> : null}
        <span>{summary}</span>
        {!isSettled && !hasGivenUp ? (
          <span className="text-xs opacity-80" aria-hidden="true">
            (checking every {ROLLOUT_POLL_MS / 1000} s)
          </span>
        ) : null}
      </p>
      {variant === "inline" && rollout && rollout.pods.length > 0 ? (
        <>
          <ul className="flex flex-wrap gap-2" aria-label="Rollout per pod">
            {rollout.pods.map((pod) => (
              <li key={pod.pod} className="inline-flex items-center gap-1 text-xs" title={pod.message} data-testid="rollout-pod">
                <span className="font-mono">{shortPodName(pod.pod)}</span>
                <RolloutStateBadge state={pod.state} />
                <span className="sr-only">{pod.message}</span>
              </li>
            ))}
          </ul>
          <details className="text-xs">
            <summary className="cursor-pointer select-none">Details per pod</summary>
            <div className="mt-2">
              <RolloutPodTable rollout={rollout} caption="Rollout of the applied revision per pod" />
            </div>
          </details>
        </>
      ) : null}
      {variant === "full" && rollout ? <RolloutPodTable rollout={rollout} caption="Rollout of this revision per pod" /> : null}
      {error ? <p className="text-xs text-red-800 dark:text-red-300">Could not check the rollout: {error}</p> : null}
      {hasGivenUp && !isSettled ? (
        <p className="text-xs">Stopped checking after ten minutes; reload the page to check again.</p>
      ) : null}
      {isRejected ? <RollbackPrompt rollback={rollback} /> : null}
    </div>
  );
}

function RollbackPrompt({ rollback }: { rollback: RollbackOffer | null }) {
  const [isConfirming, setIsConfirming] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  if (!rollback) {
    return <p className="text-sm">The pods keep serving the Corefile they had before; fix the Corefile and apply again.</p>;
  }
  const href = rollbackHref(rollback.previousRevisionId)!;
  const name = `revision ${rollback.previousRevisionNumber}`;
  return (
    <div className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-950 dark:border-red-800 dark:bg-red-950/40 dark:text-red-100">
      <p>
        The rejecting pods still serve {name}, but will fail to start with this Corefile on their next restart. Put {name} back into the
        ConfigMap to be safe.
      </p>
      {failure ? (
        <p className="mt-2 font-medium" role="alert">
          Nothing was rolled back: {failure}{" "}
          <Link className="underline" href={href}>
            Review it on the revision page
          </Link>
        </p>
      ) : null}
      <div className="mt-2 flex flex-wrap items-center gap-2">
        {!rollback.rollBack ? (
          <Link className={buttonClass("danger")} href={href}>
            Roll back to {name}…
          </Link>
        ) : !isConfirming ? (
          <button type="button" className={buttonClass("danger")} onClick={() => setIsConfirming(true)}>
            Roll back to {name}…
          </button>
        ) : (
          <>
            <span className="font-medium">Put {name}&apos;s Corefile back now?</span>
            <button
              type="button"
              className={buttonClass("danger")}
              disabled={isPending}
              aria-busy={isPending}
              onClick={() =>
                startTransition(async () => {
                  const result = await rollback.rollBack!();
                  if (result && !result.ok) {
                    setFailure(result.message);
                    setIsConfirming(false);
                  }
                })
              }
            >
              {isPending ? "Rolling back…" : "Roll back now"}
            </button>
            <button type="button" className={buttonClass()} disabled={isPending} onClick={() => setIsConfirming(false)}>
              Cancel
            </button>
            <Link className="underline" href={href}>
              See the diff first
            </Link>
          </>
        )}
      </div>
    </div>
  );
}
