import type { RevisionSource } from "@/lib/revisions/revisions";

const LABELS: Record<RevisionSource, { label: string; className: string; title: string }> = {
  dashboard: {
    label: "dashboard",
    className: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
    title: "Applied from Coredeck",
  },
  api: {
    label: "api",
    className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
    title: "Applied through Coredeck's REST API (a script or CI job with an API token)",
  },
  external: {
    label: "external",
    className: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
    title: "Changed outside Coredeck (kubectl, an operator, an upgrade) and recorded by its watch",
  },
  rollback: {
    label: "rollback",
    className: "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200",
    title: "An earlier revision put back from Coredeck",
  },
};

/** Where a revision came from, as a small label. */
export function SourceBadge({ source }: { source: RevisionSource }) {
  const entry = LABELS[source];
  return (
    <span title={entry.title} className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${entry.className}`}>
      {entry.label}
    </span>
  );
}
