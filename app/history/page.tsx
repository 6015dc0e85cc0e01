import type { Metadata } from "next";
import Link from "next/link";
import { listRevisionAuthors, listRevisions, type RevisionFilter, type RevisionSource } from "@/lib/revisions/revisions";
import { NoClusterNotice } from "@/components/no-cluster-notice";
import { PageHeader } from "@/components/ui/page-header";
import { Alert } from "@/components/ui/alert";
import { RevisionTable } from "@/components/history/revision-table";
import { HistoryFilters } from "@/components/history/history-filters";
import { DriftStatusNote } from "@/components/history/drift-status-note";
import { loadClusterContext } from "../current-cluster";

export const metadata: Metadata = { title: "History" };
export const dynamic = "force-dynamic";

const SOURCES: readonly RevisionSource[] = ["dashboard", "api", "external", "rollback"];
const PAGE_SIZE = 50;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  return single?.trim() ? single.trim().slice(0, 200) : undefined;
}

export default async function HistoryPage({ searchParams }: { searchParams: SearchParams }) {
  const { current } = await loadClusterContext();
  if (!current) return <NoClusterNotice />;
  const params = await searchParams;
  const sourceParam = first(params.source);
  const filter: RevisionFilter = {
    author: first(params.author),
    source: SOURCES.find((source) => source === sourceParam),
    text: first(params.q),
  };
  const cursor = first(params.cursor) ?? null;
  const [page, authors] = await Promise.all([
    listRevisions(current.id, { cursor, limit: PAGE_SIZE, filter }),
    listRevisionAuthors(current.id),
  ]);
  const isFiltered = Boolean(filter.author || filter.source || filter.text);
  const query = (extra: Record<string, string>) => {
    const search = new URLSearchParams();
    if (filter.author) search.set("author", filter.author);
    if (filter.source) search.set("source", filter.source);
    if (filter.text) search.set("q", filter.text);
    for (const [key, value] of Object.entries(extra)) search.set(key, value);
    const text = search.toString();
    return text ? `/history?${text}` : "/history";
  };

  return (
    <>
      <PageHeader
        title="History"
        description={
          <>
            Every change to the Corefile of <strong>{current.name}</strong> (
            <code>{`${current.configMapNamespace}/${current.configMapName}`}</code>), from Coredeck or from outside, newest first.
          </>
        }
      />
      <DriftStatusNote clusterId={current.id} />
      <HistoryFilters authors={authors} filter={filter} />
      {page.revisions.length === 0 ? (
        <div className="mt-4">
          {isFiltered ? (
            <Alert tone="info" title="No revision matches these filters">
              <p>
                <Link className="underline" href="/history">
                  Clear the filters
                </Link>{" "}
                to see the whole history.
              </p>
            </Alert>
          ) : cursor ? (
            <Alert tone="info" title="No older revisions">
              <p>
                <Link className="underline" href="/history">
                  Back to the newest
                </Link>
              </p>
            </Alert>
          ) : (
            <Alert tone="info" title="No revisions recorded yet">
              <p>
                Coredeck records the Corefile as soon as it first sees the cluster, then every change: applies from the{" "}
                <Link className="underline" href="/editor">
                  Editor
                </Link>
                , and edits made with kubectl or by other tools.
              </p>
            </Alert>
          )}
        </div>
      ) : (
        <RevisionTable revisions={page.revisions} />
      )}
      <nav aria-label="History pages" className="mt-4 flex gap-3 text-sm">
        {cursor ? (
          <Link className="underline" href={query({})}>
            ← Newest
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link className="underline" href={query({ cursor: page.nextCursor })} data-testid="older-revisions">
            Older revisions →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
