import type { Metadata } from "next";
import { NoClusterNotice } from "@/components/no-cluster-notice";
import { PageHeader } from "@/components/ui/page-header";
import { CollectionNotices, EnabledPluginsTable, RevisionMarkerList, ScrapeStatusTable } from "@/components/metrics/collection-panels";
import { loadMetricsDashboard } from "@/components/metrics/load-metrics";
import { MetricsCharts } from "@/components/metrics/metrics-charts";
import { MetricsToolbar } from "@/components/metrics/metrics-toolbar";
import { EACH_POD, readPodChoice, readTimeRange } from "@/components/metrics/time-ranges";
import { loadClusterContext } from "../current-cluster";

export const metadata: Metadata = { title: "Metrics" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function MetricsPage({ searchParams }: { searchParams: SearchParams }) {
  const { current } = await loadClusterContext();
  if (!current) return <NoClusterNotice />;
  const params = await searchParams;
  const range = readTimeRange(first(params.range));
  const pod = readPodChoice(first(params.pod));
  const data = await loadMetricsDashboard(current, { range, pod });

  return (
    <>
      <PageHeader
        title="Metrics"
        description={
          <>
            What the CoreDNS pods of <strong>{current.name}</strong> report on <code>:9153</code>, with every revision applied in the range
            marked.
          </>
        }
      />
      <MetricsToolbar
        range={range.id}
        pod={pod.kind === "aggregate" ? "" : pod.kind === "each" ? EACH_POD : pod.pod}
        pods={data.pods}
        refreshSeconds={Math.max(5, data.collection.intervalSeconds)}
        updatedAt={data.to}
      />
      <CollectionNotices collection={data.collection} hasData={data.hasData} rangeLabel={range.label} />
      <RevisionMarkerList markers={data.markers} />
      {data.hasData ? <MetricsCharts charts={data.charts} markers={data.markers} /> : null}
      <div className="mt-8 flex flex-col gap-8">
        <section aria-labelledby="plugins-heading">
          <h2 id="plugins-heading" className="mb-3 text-lg font-semibold">
            Enabled plugins per server
          </h2>
          <EnabledPluginsTable plugins={data.plugins} podCount={data.collection.pods.length} />
        </section>
        <section aria-labelledby="scrapes-heading">
          <h2 id="scrapes-heading" className="mb-3 text-lg font-semibold">
            Scrapes per pod
          </h2>
          <ScrapeStatusTable collection={data.collection} />
        </section>
      </div>
    </>
  );
}
