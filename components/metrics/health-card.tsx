import Link from "next/link";
import { describeRollout, RolloutStateBadge } from "@/components/history/rollout-status";
import type { OverviewHealth } from "./load-overview";
import { Sparkline } from "./sparkline";

/** The overview's "Health and rollout": is the live Corefile loaded everywhere, and the last hour in three lines. */
export function HealthCard({ health }: { health: OverviewHealth }) {
  const { latest, collection } = health;
  return (
    <div className="flex flex-col gap-4 text-sm">
      <div data-testid="live-rollout-summary">
        {latest === null ? (
          <p className="text-slate-700 dark:text-slate-300">No revision recorded yet, so there is nothing to compare the pods with.</p>
        ) : (
          <>
            <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <Link className="font-medium text-sky-700 underline dark:text-sky-400" href={`/history/${latest.id}`}>
                Revision {latest.number}
              </Link>
              {latest.rollout ? (
                <>
                  <RolloutStateBadge state={latest.rollout.overall} />
                  <span>{describeRollout(latest.rollout)}</span>
                </>
              ) : null}
            </p>
            {latest.isLive === false ? (
              <p className="mt-1 text-xs text-amber-800 dark:text-amber-300">
                The ConfigMap holds a Corefile that is not recorded yet; Coredeck records it within seconds.
              </p>
            ) : null}
            {latest.rollout?.overall === "rejected" ? (
              <p className="mt-1 text-xs text-red-800 dark:text-red-300">
                Some pods rejected it and still serve the previous Corefile.{" "}
                <Link className="underline" href={`/history/${latest.id}#rollout-heading`}>
                  See why and roll back
                </Link>
              </p>
            ) : null}
            {latest.rollout && latest.rollout.overall !== "loaded" && latest.rollout.overall !== "rejected" && latest.rollout.pods.length > 0 ? (
              <ul className="mt-1 flex flex-col gap-0.5 text-xs text-slate-700 dark:text-slate-300">
                {latest.rollout.pods.map((pod) => (
                  <li key={pod.pod}>
                    <span className="font-mono">{pod.pod}</span> <RolloutStateBadge state={pod.state} /> {pod.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        )}
      </div>
      <div className="flex flex-col gap-2">
        <h3 className="text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">The last hour, all pods</h3>
        {health.sparklines.map((line) => (
          <Sparkline key={line.label} label={line.label} times={line.times} values={line.values} format={line.format} />
        ))}
        {!collection.isCollecting ? (
          <p className="text-xs text-slate-600 dark:text-slate-400">Metrics collection is off in this process (COREDECK_METRICS=off).</p>
        ) : collection.error ? (
          <p className="text-xs text-red-800 dark:text-red-300">Scraping failed: {collection.error}</p>
        ) : null}
      </div>
    </div>
  );
}
