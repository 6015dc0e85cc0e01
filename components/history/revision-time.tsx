/** A revision's time: absolute in UTC (unambiguous across a team's time zones), and how long ago as a tooltip. */
export function RevisionTime({ at, now = new Date() }: { at: Date; now?: Date }) {
  return (
    <time dateTime={at.toISOString()} title={describeAge(at, now)} className="whitespace-nowrap tabular-nums">
      {formatUtc(at)}
    </time>
  );
}

/** `2026-11-26 08:30:12 UTC`. */
export function formatUtc(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function describeAge(at: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - at.getTime()) / 1000);
  if (seconds < 45) return "just now";
  const units: [number, string][] = [
    [60 * 60 * 24 * 365, "year"],
    [60 * 60 * 24 * 30, "month"],
    [60 * 60 * 24, "day"],
    [60 * 60, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    const count = Math.floor(seconds / size);
    if (count >= 1) return `${count} ${name}${count === 1 ? "" : "s"} ago`;
  }
  return "just now";
}
