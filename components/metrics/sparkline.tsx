import { lastValue } from "./chart-data";
import { VALUE_FORMATTERS } from "./format-value";
import type { ValueFormat } from "./chart-data";

const WIDTH = 160;
const HEIGHT = 36;

/**
 * A tiny line of one series, drawn as SVG on the server (no chart library on the overview), with its latest value
 * beside it. Gaps (null) break the line. The accessible name says the latest, lowest and highest values.
 */
export function Sparkline({ label, times, values, format }: { label: string; times: number[]; values: (number | null)[]; format: ValueFormat }) {
  const formatValue = VALUE_FORMATTERS[format];
  const present = values.filter((v): v is number => v !== null);
  const latest = lastValue(values);
  if (present.length === 0 || times.length < 2) {
    return (
      <div className="flex items-center justify-between gap-3 text-sm">
        <span>{label}</span>
        <span className="text-xs text-slate-500 dark:text-slate-400">no data yet</span>
      </div>
    );
  }
  const min = Math.min(0, ...present);
  const max = Math.max(...present);
  const span = max - min || 1;
  const t0 = times[0]!;
  const tSpan = times.at(-1)! - t0 || 1;
  const paths: string[] = [];
  let current = "";
  values.forEach((value, i) => {
    if (value === null) {
      if (current) paths.push(current);
      current = "";
      return;
    }
    const x = ((times[i]! - t0) / tSpan) * WIDTH;
    const y = HEIGHT - 2 - ((value - min) / span) * (HEIGHT - 4);
    current += `${current ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
  });
  if (current) paths.push(current);
  const description = `${label} over the last hour: latest ${formatValue(latest!)}, lowest ${formatValue(Math.min(...present))}, highest ${formatValue(max)}.`;
  return (
    <div className="flex items-center justify-between gap-3 text-sm" data-testid="sparkline">
      <span className="min-w-0 flex-1">{label}</span>
      <svg
        role="img"
        aria-label={description}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width={WIDTH}
        height={HEIGHT}
        className="shrink-0 overflow-visible text-sky-600 dark:text-sky-400"
      >
        {paths.map((d, i) => (
          <path key={i} d={d} fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinejoin="round" vectorEffect="non-scaling-stroke" />
        ))}
      </svg>
      <span className="w-20 shrink-0 text-right font-mono text-xs tabular-nums" aria-hidden="true">
        {formatValue(latest!)}
      </span>
    </div>
  );
}
