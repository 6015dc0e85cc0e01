import Link from "next/link";
import type { ReactNode } from "react";
import type { PodRolloutState, RolloutStatus as Rollout } from "@/lib/metrics/rollout";
import { formatUtc } from "./revision-time";

/**
 * Whether the CoreDNS pods loaded a revision, from lib/metrics/rollout: each pod's published reload hash compared
 * with the revision's, and its failed-reload counter. No hooks: renders on the server (history list, revision page)
 * and inside the client's live rollout line alike.
 */

const STATE_STYLE: Record<PodRolloutState, string> = {
  loaded: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  rejected: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  waiting: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  unknown: "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
};

/** One state as a small label. */
export function RolloutStateBadge({ state, children }: { state: PodRolloutState; children?: ReactNode }) {
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${STATE_STYLE[state]}`}>{children ?? state}</span>;
}

/** "2 of 2 pods loaded", "1 of 2 pods rejected", "no pod reports". */
export function describeRollout(rollout: Rollout): string {
  const total = rollout.pods.length;
  if (total === 0) return rollout.isCollecting ? "no CoreDNS pod reports yet" : "no metrics (collection is off)";
  const count = (state: PodRolloutState) => rollout.pods.filter((pod) => pod.state === state).length;
  switch (rollout.overall) {
    case "loaded":
      return `loaded on ${total === 1 ? "the only pod" : `all ${total} pods`}`;
    case "rejected":
      return `rejected by ${count("rejected")} of ${total} pod${total === 1 ? "" : "s"}`;
    case "waiting":
      return `loaded on ${count("loaded")} of ${total}, ${count("waiting")} waiting`;
    default:
      return `unknown on ${count("unknown")} of ${total} pod${total === 1 ? "" : "s"}`;
  }
}

/** The count beside the overall badge: "2/2", "1 of 2". */
function countPods(rollout: Rollout): string {
  const total = rollout.pods.length;
  const count = (state: PodRolloutState) => rollout.pods.filter((pod) => pod.state === state).length;
  if (rollout.overall === "loaded") return `${total}/${total} pods`;
  if (rollout.overall === "rejected") return `${count("rejected")} of ${total} pods`;
  if (rollout.overall === "waiting") return `${count("loaded")} of ${total} loaded`;
  return `${count("unknown")} of ${total} pods`;
}

/** Links to the rollback of the revision before a rejected one (its page's rollback section). */
export function rollbackHref(previousRevisionId: string | null): string | null {
  return previousRevisionId ? `/history/${previousRevisionId}#rollback-heading` : null;
}

/**
 * The compact form for the history table: the overall state and a count; each pod's state and message in the tooltip
 * and for screen readers. A rejected revision links to the rollback of the revision before it.
 */
export function RolloutStatus({
  reloadHash,
  rollout,
  previousRevisionId = null,
}: {
  reloadHash: string | null;
  /** Null when the rollout could not be assessed (metrics never reached this revision's cluster). */
  rollout: Rollout | null;
  previousRevisionId?: string | null;
}) {
  if (reloadHash === null) {
    return (
      <span className="text-xs text-red-700 dark:text-red-400" title="CoreDNS cannot parse this Corefile: pods keep the previous configuration and fail on restart.">
        not loadable
      </span>
    );
  }
  if (!rollout || rollout.pods.length === 0) {
    return (
      <span className="text-xs text-slate-600 dark:text-slate-400" title="No CoreDNS pod has reported reload metrics to Coredeck for this cluster.">
        {rollout ? describeRollout(rollout) : "—"}
      </span>
    );
  }
  const details = rollout.pods.map((pod) => `${pod.pod}: ${pod.state}. ${pod.message}`).join("\n");
  const href = rollout.overall === "rejected" ? rollbackHref(previousRevisionId) : null;
  return (
    <span className="inline-flex flex-col items-start gap-1" data-testid="rollout-status" data-overall={rollout.overall}>
      <span title={details} className="inline-flex items-center gap-1">
        <RolloutStateBadge state={rollout.overall} />
        <span className="text-xs text-slate-600 dark:text-slate-400">{countPods(rollout)}</span>
      </span>
      <span className="sr-only">{details}</span>
      {href ? (
        <Link className="text-xs text-red-800 underline dark:text-red-300" href={href}>
          Roll back…
        </Link>
      ) : null}
    </span>
  );
}

/** Each pod's state, since when, and why, as a table (the revision page, the editor's live line). */
export function RolloutPodTable({ rollout, caption }: { rollout: Rollout; caption: string }) {
  if (rollout.pods.length === 0) {
    return (
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {rollout.isCollecting
          ? "No CoreDNS pod has reported to Coredeck yet: the first scrape of each pod tells which Corefile it runs."
          : "Metrics collection is off in this Coredeck process (COREDECK_METRICS=off), so no pod can confirm this revision."}
      </p>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="rollout-pods">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs text-slate-600 dark:text-slate-400">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              Pod
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              State
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Since
            </th>
            <th scope="col" className="py-1 font-medium">
              Details
            </th>
          </tr>
        </thead>
        <tbody>
          {rollout.pods.map((pod) => (
            <tr key={pod.pod} className="border-t border-slate-200 align-top dark:border-slate-800" data-testid="rollout-pod-row">
              <td className="py-1.5 pr-3 font-mono text-xs">{pod.pod}</td>
              <td className="py-1.5 pr-3">
                <RolloutStateBadge state={pod.state} />
              </td>
              <td className="whitespace-nowrap py-1.5 pr-3 text-xs tabular-nums">{pod.since === undefined ? "—" : formatUtc(new Date(pod.since))}</td>
              <td className="py-1.5 text-xs text-slate-700 dark:text-slate-300">
                {pod.message}
                {pod.failedReloads ? (
                  <span className="block font-mono">
                    coredns_reload_failed_total {pod.failedReloads.before} → {pod.failedReloads.after}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
