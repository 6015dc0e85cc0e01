"use client";

/**
 * A time-series chart on uPlot (canvas: thousands of points without jank), themed for light and dark, with vertical
 * markers for the revisions applied in its range, so "did my change break DNS?" is answered by looking. A visually
 * hidden summary (latest value of each series, the markers) gives screen readers the same answer.
 */
import { useEffect, useMemo, useRef } from "react";
import uPlot, { type AlignedData, type Options } from "uplot";
import "uplot/dist/uPlot.min.css";
import { useDocumentTheme } from "@/components/corefile-editor/use-document-theme";

export type ChartSeries = {
  label: string;
  /** One value per timestamp; null where there is no data. */
  values: (number | null)[];
  /** CSS colour; a palette colour by default. */
  color?: string;
};

export type ChartMarker = {
  /** Seconds since the epoch. */
  time: number;
  /** Short label drawn at the top, e.g. "r12". */
  label: string;
  /** What the marker stands for, for the accessible summary. */
  description?: string;
  tone?: "normal" | "bad";
};

export type TimeSeriesChartProps = {
  title: string;
  /** Seconds since the epoch, ascending. */
  times: number[];
  series: ChartSeries[];
  markers?: ChartMarker[];
  /** Formats values on the axis and in the legend. */
  formatValue?: (value: number) => string;
  /** CSS pixel height of the plot area. */
  height?: number;
  /** Start the y axis at zero (rates, counts). */
  fromZero?: boolean;
};

const PALETTE = ["#0284c7", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#64748b", "#ec4899", "#14b8a6"];

export function TimeSeriesChart({ title, times, series, markers = [], formatValue = defaultFormat, height = 180, fromZero = true }: TimeSeriesChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const theme = useDocumentTheme();
  const markersRef = useRef(markers);

  const data = useMemo<AlignedData>(() => [times, ...series.map((s) => s.values)] as AlignedData, [times, series]);
  const shape = series.map((s) => s.label).join("\u0000");

  // (Re)create the plot when the series or the theme change; data changes only call setData.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const axisColor = theme === "dark" ? "#94a3b8" : "#475569";
    const gridColor = theme === "dark" ? "rgba(148,163,184,0.15)" : "rgba(71,85,105,0.12)";
    const options: Options = {
      width: Math.max(200, container.clientWidth),
      height,
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [fromZero ? Math.min(0, min) : min, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor }, ticks: { stroke: gridColor } },
        { stroke: axisColor, grid: { stroke: gridColor }, ticks: { stroke: gridColor }, values: (_u, ticks) => ticks.map(formatValue), size: 60 },
      ],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: s.color ?? PALETTE[i % PALETTE.length],
          width: 1.5,
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? "–" : formatValue(v)),
          spanGaps: false,
        })),
      ],
      hooks: {
        draw: [(u) => drawMarkers(u, markersRef.current, theme)],
      },
    };
    const plot = new uPlot(options, data, container);
    plotRef.current = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, container.clientWidth), height }));
    resize.observe(container);
    return () => {
      resize.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
    // `data` is applied by the effect below; recreating the plot for new data would lose the zoom.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, theme, height, fromZero, formatValue]);

  useEffect(() => {
    plotRef.current?.setData(data);
  }, [data]);

  useEffect(() => {
    markersRef.current = markers;
    plotRef.current?.redraw(false, false);
  }, [markers]);

  return (
    <figure className="m-0">
      <figcaption className="mb-1 text-sm font-medium">{title}</figcaption>
      <div ref={containerRef} className="coredeck-chart w-full" aria-hidden="true" />
      <p className="sr-only">{describeChart(title, times, series, markers, formatValue)}</p>
    </figure>
  );
}

function defaultFormat(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  if (abs >= 10 || abs === 0) return value.toFixed(0);
  return value.toPrecision(2);
}

function drawMarkers(u: uPlot, markers: readonly ChartMarker[], theme: "light" | "dark"): void {
  const ctx = u.ctx;
  const { top, height } = u.bbox;
  ctx.save();
  ctx.font = `${Math.round(10 * devicePixelRatio)}px sans-serif`;
  for (const marker of markers) {
    const x = Math.round(u.valToPos(marker.time, "x", true));
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    const color = marker.tone === "bad" ? "#dc2626" : theme === "dark" ? "#a78bfa" : "#7c3aed";
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
    ctx.lineWidth = devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.fillText(marker.label, x + 3 * devicePixelRatio, top + 12 * devicePixelRatio);
  }
  ctx.restore();
}

/** One sentence per series (its latest value) and the markers, for screen readers. */
function describeChart(title: string, times: number[], series: ChartSeries[], markers: readonly ChartMarker[], format: (v: number) => string): string {
  if (times.length === 0) return `${title}: no data in this range.`;
  const parts = series.map((s) => {
    const last = [...s.values].reverse().find((v) => v !== null);
    return `${s.label} ${last === undefined || last === null ? "no data" : format(last)}`;
  });
  const marked = markers.map((m) => m.description ?? m.label);
  return `${title}, latest: ${parts.join(", ")}.${marked.length ? ` Changes in this range: ${marked.join("; ")}.` : ""}`;
}
