import type { ValueFormat } from "./chart-data";

function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(1)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  if (abs >= 100 || abs === 0) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return Number(value.toPrecision(2)).toString();
}

/** `12.3/s`. */
export function formatRate(value: number): string {
  return `${compact(value)}/s`;
}

/** A share 0..1 as `1.25 %`. */
export function formatPercent(value: number): string {
  const percent = value * 100;
  if (percent === 0) return "0 %";
  if (Math.abs(percent) >= 10) return `${percent.toFixed(0)} %`;
  if (Math.abs(percent) >= 1) return `${percent.toFixed(1)} %`;
  return `${Number(percent.toPrecision(2))} %`;
}

/** Seconds as `850 µs`, `12 ms`, `1.2 s`. */
export function formatSeconds(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return "0 s";
  if (abs < 1e-3) return `${Number((value * 1e6).toPrecision(2))} µs`;
  if (abs < 1) return `${Number((value * 1e3).toPrecision(3))} ms`;
  return `${Number(value.toPrecision(3))} s`;
}

export function formatCount(value: number): string {
  return compact(value);
}

/** CPU in cores as millicores below one core (`35m`), as Kubernetes writes it. */
export function formatCores(value: number): string {
  if (Math.abs(value) < 1) return `${Number((value * 1000).toPrecision(3))}m`;
  return `${Number(value.toPrecision(3))}`;
}

/** Bytes in binary units, short enough for an axis (`42 MiB`, `9.5 MiB`). */
export function formatBytes(value: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let scaled = value;
  let unit = 0;
  while (Math.abs(scaled) >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  const digits = Math.abs(scaled) >= 10 || unit === 0 ? scaled.toFixed(0) : String(Number(scaled.toFixed(1)));
  return `${digits} ${units[unit]}`;
}

/** One stable function per format: the chart recreates its plot when `formatValue` changes identity. */
export const VALUE_FORMATTERS: Record<ValueFormat, (value: number) => string> = {
  rate: formatRate,
  percent: formatPercent,
  seconds: formatSeconds,
  count: formatCount,
  cores: formatCores,
  bytes: formatBytes,
};
