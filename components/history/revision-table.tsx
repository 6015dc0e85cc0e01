import Link from "next/link";
import { getRolloutSummaries } from "@/lib/metrics/rollout";
import type { RevisionSummary } from "@/lib/revisions/revisions";
import { RevisionTime } from "./revision-time";
import { RolloutStatus } from "./rollout-status";
import { SourceBadge } from "./source-badge";

/**
 * One page of history as a table; each row links to the revision's permalink and says whether the pods loaded it
 * (one batch read of the rollout for the whole page).
 */
export async function RevisionTable({ revisions }: { revisions: RevisionSummary[] }) {
  const now = new Date();
  const clusterId = revisions[0]?.clusterId;
  const rollouts = new Map(
    clusterId ? (await getRolloutSummaries(clusterId, revisions.map((revision) => revision.id))).map((rollout) => [rollout.revisionId, rollout]) : [],
  );
  return (
    <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full border-collapse text-sm" data-testid="revision-table">
        <caption className="sr-only">Revisions of the Corefile, newest first</caption>
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-3 py-2">
              #
            </th>
            <th scope="col" className="px-3 py-2">
              Time
            </th>
            <th scope="col" className="px-3 py-2">
              Author
            </th>
            <th scope="col" className="px-3 py-2">
              Source
            </th>
            <th scope="col" className="px-3 py-2">
              Message
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Lines
            </th>
            <th scope="col" className="px-3 py-2">
              Rollout
            </th>
          </tr>
        </thead>
        <tbody>
          {revisions.map((revision) => (
            <tr key={revision.id} className="border-t border-slate-200 align-top dark:border-slate-800" data-testid="revision-row">
              <td className="px-3 py-2 font-mono">
                <Link className="text-sky-700 underline dark:text-sky-400" href={`/history/${revision.id}`} aria-label={`Revision ${revision.number}`}>
                  {revision.number}
                </Link>
              </td>
              <td className="px-3 py-2">
                <RevisionTime at={revision.createdAt} now={now} />
              </td>
              <td className="px-3 py-2">{revision.author}</td>
              <td className="px-3 py-2">
                <SourceBadge source={revision.source} />
              </td>
              <td className="max-w-md px-3 py-2 break-words">
                {revision.message || <span className="text-slate-500 dark:text-slate-400">(no message)</span>}
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-right font-mono tabular-nums">
                <span className="text-emerald-700 dark:text-emerald-400" aria-label={`${revision.linesAdded} lines added`}>
                  +{revision.linesAdded}
                </span>{" "}
                <span className="text-red-700 dark:text-red-400" aria-label={`${revision.linesRemoved} lines removed`}>
                  −{revision.linesRemoved}
                </span>
              </td>
              <td className="px-3 py-2">
                <RolloutStatus reloadHash={revision.reloadHash} rollout={rollouts.get(revision.id) ?? null} previousRevisionId={revision.parentId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
