import Link from "next/link";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { formatUtc } from "@/components/history/revision-time";
import { formatBytes } from "./format-value";
import type { CollectionView, PluginRow, RevisionMarker } from "./load-metrics";

function utc(ms: number | null): string {
  return ms === null ? "never" : formatUtc(new Date(ms));
}

/**
 * Why the charts are empty or incomplete, in the reader's terms: collection off, not started, the pods cannot be
 * listed, some pods cannot be scraped, or simply no points yet. Nothing when all is well.
 */
export function CollectionNotices({ collection, hasData, rangeLabel }: { collection: CollectionView; hasData: boolean; rangeLabel: string }) {
  const notices: ReactNode[] = [];
  const failing = collection.pods.filter((pod) => pod.error !== null);
  if (!collection.isCollecting) {
    notices.push(
      <Alert key="off" tone="warning" title="Metrics collection is off">
        <p>
          This Coredeck process does not scrape CoreDNS (<code>COREDECK_METRICS=off</code>).{" "}
          {hasData ? "The charts show what was stored before." : "Nothing has been stored, so there is nothing to chart."} Unset the
          variable and restart Coredeck to collect again.
        </p>
      </Alert>,
    );
  } else if (collection.error) {
    notices.push(
      <Alert key="list" tone="error" title="The CoreDNS pods could not be listed">
        <p>{collection.error}</p>
        <p className="mt-1">Check the pod label selector in Settings and that Coredeck may list pods in the CoreDNS namespace.</p>
      </Alert>,
    );
  } else if (collection.lastRoundAt === null) {
    notices.push(
      <Alert key="starting" tone="info" title="Collection is starting">
        <p>
          Coredeck has not scraped this cluster yet. The first points appear within about {collection.intervalSeconds * 2} s (rates
          need two scrapes, {collection.intervalSeconds} s apart).
        </p>
      </Alert>,
    );
  } else if (collection.pods.length === 0) {
    notices.push(
      <Alert key="no-pods" tone="warning" title="No CoreDNS pod found">
        <p>The last round found no pod matching the label selector. Check it in Settings.</p>
      </Alert>,
    );
  }
  if (collection.isCollecting && failing.length > 0) {
    const isAll = failing.length === collection.pods.length;
    notices.push(
      <Alert key="failing" tone={isAll ? "error" : "warning"} title={isAll ? "No pod can be scraped" : `${failing.length} of ${collection.pods.length} pods cannot be scraped`}>
        <ul className="list-disc pl-5">
          {failing.map((pod) => (
            <li key={pod.pod}>
              <code>{pod.pod}</code>: {pod.error!.message}
            </li>
          ))}
        </ul>
      </Alert>,
    );
  }
  if (!hasData && collection.isCollecting && collection.lastRoundAt !== null && !collection.error && failing.length < collection.pods.length) {
    notices.push(
      <Alert key="no-data" tone="info" title={`No data in the last ${rangeLabel} yet`}>
        <p>
          Scraping works; the first points appear within {collection.intervalSeconds} s of the second scrape. This page refreshes by
          itself while auto-refresh is on.
        </p>
      </Alert>,
    );
  }
  if (notices.length === 0) return null;
  return <div className="mb-6 flex flex-col gap-3">{notices}</div>;
}

const OVERALL_STYLE: Record<NonNullable<RevisionMarker["overall"]>, string> = {
  loaded: "text-emerald-800 dark:text-emerald-300",
  rejected: "text-red-800 dark:text-red-300",
  waiting: "text-amber-800 dark:text-amber-300",
  unknown: "text-slate-600 dark:text-slate-400",
};

/** The revisions marked on the charts, as links (the markers themselves are drawn on canvas). */
export function RevisionMarkerList({ markers }: { markers: RevisionMarker[] }) {
  if (markers.length === 0) {
    return <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">No revision was applied in this range.</p>;
  }
  return (
    <div className="mb-6 text-sm">
      <h2 className="sr-only">Revisions in this range</h2>
      <p className="mb-1 text-slate-600 dark:text-slate-400">Revisions in this range, marked on every chart:</p>
      <ul className="flex flex-wrap gap-2" data-testid="revision-markers">
        {markers.map((marker) => (
          <li key={marker.revisionId}>
            <Link
              href={`/history/${marker.revisionId}`}
              title={marker.description}
              className={`inline-flex items-center gap-1 rounded border px-2 py-0.5 font-mono text-xs underline-offset-2 hover:underline ${
                marker.tone === "bad"
                  ? "border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950/50"
                  : "border-violet-300 bg-violet-50 dark:border-violet-800 dark:bg-violet-950/50"
              }`}
            >
              <span className={marker.tone === "bad" ? "text-red-800 dark:text-red-300" : "text-violet-800 dark:text-violet-300"}>{marker.label}</span>
              {marker.overall ? <span className={`font-sans ${OVERALL_STYLE[marker.overall]}`}>{marker.overall}</span> : null}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Which plugins each server block runs, from `coredns_plugin_enabled` of the latest scrapes. */
export function EnabledPluginsTable({ plugins, podCount }: { plugins: PluginRow[]; podCount: number }) {
  if (plugins.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">No scrape has reported <code>coredns_plugin_enabled</code> yet.</p>;
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Enabled plugins per server block</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-3 py-2">
              Server
            </th>
            <th scope="col" className="px-3 py-2">
              Zone
            </th>
            <th scope="col" className="px-3 py-2">
              Plugins
            </th>
            <th scope="col" className="px-3 py-2">
              Pods
            </th>
          </tr>
        </thead>
        <tbody>
          {plugins.map((row) => (
            <tr key={`${row.server}|${row.zone}|${row.view}|${row.plugins.join(",")}`} className="border-t border-slate-200 align-top dark:border-slate-800">
              <td className="px-3 py-2 font-mono text-xs">{row.server || "(default)"}</td>
              <td className="px-3 py-2 font-mono text-xs">
                {row.zone || "—"}
                {row.view ? <span className="block text-slate-500 dark:text-slate-400">view {row.view}</span> : null}
              </td>
              <td className="px-3 py-2">
                <ul className="flex flex-wrap gap-1">
                  {row.plugins.map((plugin) => (
                    <li key={plugin} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200">
                      {plugin}
                    </li>
                  ))}
                </ul>
              </td>
              <td className="px-3 py-2 text-xs">{row.pods.length === podCount ? "all" : row.pods.join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How the last scrape of each pod went. */
export function ScrapeStatusTable({ collection }: { collection: CollectionView }) {
  if (collection.pods.length === 0) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {collection.isCollecting ? "No pod has been scraped yet." : "Collection is off in this process: there is no scrape status."}
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm" data-testid="scrape-status">
        <caption className="sr-only">Scrape status per pod</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-3 py-2">
              Pod
            </th>
            <th scope="col" className="px-3 py-2">
              Last scrape
            </th>
            <th scope="col" className="px-3 py-2">
              Last success
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Took
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Size
            </th>
            <th scope="col" className="px-3 py-2">
              Result
            </th>
          </tr>
        </thead>
        <tbody>
          {collection.pods.map((pod) => (
            <tr key={pod.pod} className="border-t border-slate-200 align-top dark:border-slate-800">
              <td className="px-3 py-2 font-mono text-xs">{pod.pod}</td>
              <td className="whitespace-nowrap px-3 py-2 text-xs tabular-nums">{utc(pod.lastScrapeAt)}</td>
              <td className="whitespace-nowrap px-3 py-2 text-xs tabular-nums">{utc(pod.lastSuccessAt)}</td>
              <td className="px-3 py-2 text-right text-xs tabular-nums">{pod.durationMs === null ? "—" : `${pod.durationMs} ms`}</td>
              <td className="px-3 py-2 text-right text-xs tabular-nums">{pod.bytes === null ? "—" : formatBytes(pod.bytes)}</td>
              <td className="px-3 py-2 text-xs">
                {pod.error ? (
                  <span className="text-red-800 dark:text-red-300">
                    <span className="font-mono">{pod.error.code}</span>: {pod.error.message}
                  </span>
                ) : (
                  <span className="text-emerald-800 dark:text-emerald-300">
                    ok{pod.skippedLines > 0 ? `, ${pod.skippedLines} unreadable lines skipped` : ""}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
