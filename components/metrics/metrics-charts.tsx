"use client";

import { useMemo } from "react";
import { TimeSeriesChart, type ChartMarker } from "@/components/charts/time-series-chart";
import { hasValues, type ChartData } from "./chart-data";
import { VALUE_FORMATTERS } from "./format-value";
import type { RevisionMarker } from "./load-metrics";

const GROUPS: { id: string; title: string; charts: string[] }[] = [
  { id: "traffic", title: "Traffic and answers", charts: ["qps", "qps-by-type", "qps-by-zone", "responses-by-rcode", "responses-by-plugin", "error-share"] },
  { id: "latency", title: "Latency and cache", charts: ["latency", "cache-hit-ratio", "cache-entries"] },
  { id: "upstreams", title: "Upstreams", charts: ["forward", "forward-latency", "healthcheck-failures"] },
  { id: "process", title: "Reloads and process", charts: ["reloads", "panics", "cpu", "memory"] },
];

/** The metrics page's charts, grouped, each with the revisions of the range marked. */
export function MetricsCharts({ charts, markers }: { charts: ChartData[]; markers: RevisionMarker[] }) {
  const chartMarkers = useMemo<ChartMarker[]>(
    () => markers.map((marker) => ({ time: marker.time, label: marker.label, description: marker.description, tone: marker.tone })),
    [markers],
  );
  const byId = new Map(charts.map((chart) => [chart.id, chart]));
  return (
    <div className="flex flex-col gap-8">
      {GROUPS.map((group) => (
        <section key={group.id} aria-labelledby={`metrics-${group.id}`}>
          <h2 id={`metrics-${group.id}`} className="mb-3 text-lg font-semibold">
            {group.title}
          </h2>
          <div className="grid gap-4 lg:grid-cols-2">
            {group.charts.flatMap((id) => {
              const chart = byId.get(id);
              return chart ? [<ChartPanel key={id} chart={chart} markers={chartMarkers} />] : [];
            })}
          </div>
        </section>
      ))}
    </div>
  );
}

function ChartPanel({ chart, markers }: { chart: ChartData; markers: ChartMarker[] }) {
  const series = useMemo(() => chart.series.map((line) => ({ label: line.label, values: line.values })), [chart.series]);
  return (
    <div className="min-w-0 rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900" data-testid={`chart-${chart.id}`}>
      {hasValues(chart) ? (
        <TimeSeriesChart title={chart.title} times={chart.times} series={series} markers={markers} formatValue={VALUE_FORMATTERS[chart.format]} />
      ) : (
        <figure className="m-0">
          <figcaption className="mb-1 text-sm font-medium">{chart.title}</figcaption>
          <p className="flex h-[180px] items-center justify-center rounded border border-dashed border-slate-300 px-4 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            {chart.emptyNote}
          </p>
        </figure>
      )}
    </div>
  );
}
