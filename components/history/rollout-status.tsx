/**
 * Whether the CoreDNS pods loaded a revision. The metrics work compares each pod's reported reload hash with the
 * revision's; until it exists this slot says so instead of guessing.
 */
export function RolloutStatus({ reloadHash }: { reloadHash: string | null }) {
  if (reloadHash === null) {
    return (
      <span className="text-xs text-red-700 dark:text-red-400" title="CoreDNS cannot parse this Corefile: pods keep the previous configuration and fail on restart.">
        not loadable
      </span>
    );
  }
  return (
    <span className="text-xs text-slate-500 dark:text-slate-400" title="Per-pod rollout status arrives with metrics scraping.">
      —
    </span>
  );
}
