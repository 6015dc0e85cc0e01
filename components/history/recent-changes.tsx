import Link from "next/link";
import { listRevisions } from "@/lib/revisions/revisions";
import { describeAge } from "./revision-time";
import { SourceBadge } from "./source-badge";

const SHOWN = 5;

/** The newest few revisions of a cluster, for the overview. */
export async function RecentChanges({ clusterId }: { clusterId: string }) {
  const { revisions } = await listRevisions(clusterId, { limit: SHOWN });
  if (revisions.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">No change recorded yet.</p>;
  }
  const now = new Date();
  return (
    <ol className="flex flex-col gap-2 text-sm" aria-label="Newest revisions">
      {revisions.map((revision) => (
        <li key={revision.id} className="flex flex-col gap-0.5">
          <div className="flex items-center gap-2">
            <Link className="font-mono text-sky-700 underline dark:text-sky-400" href={`/history/${revision.id}`} aria-label={`Revision ${revision.number}`}>
              #{revision.number}
            </Link>
            <SourceBadge source={revision.source} />
            <span className="text-xs text-slate-500 dark:text-slate-400">
              {revision.author} · <time dateTime={revision.createdAt.toISOString()}>{describeAge(revision.createdAt, now)}</time>
            </span>
          </div>
          <p className="truncate text-slate-700 dark:text-slate-300" title={revision.message}>
            {revision.message || "(no message)"}
          </p>
        </li>
      ))}
    </ol>
  );
}
