"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useTransition } from "react";
import { AutoRefresh } from "./auto-refresh";
import { shortPodName } from "./chart-data";
import { EACH_POD, TIME_RANGES, type TimeRangeId } from "./time-ranges";

function metricsHref(range: TimeRangeId, pod: string): string {
  const search = new URLSearchParams({ range });
  if (pod) search.set("pod", pod);
  return `/metrics?${search.toString()}`;
}

/** Time range (links, so the URL says what is shown), pods, and auto-refresh. */
export function MetricsToolbar({
  range,
  pod,
  pods,
  refreshSeconds,
  updatedAt,
}: {
  range: TimeRangeId;
  /** "" for the cluster, `*` for each pod, or a pod's name. */
  pod: string;
  pods: string[];
  refreshSeconds: number;
  updatedAt: number;
}) {
  const router = useRouter();
  const podSelectId = useId();
  const [isNavigating, startNavigation] = useTransition();
  const podOptions = pod && pod !== EACH_POD && !pods.includes(pod) ? [...pods, pod] : pods;

  return (
    <div className="mb-6 flex flex-wrap items-center gap-x-6 gap-y-3" aria-busy={isNavigating}>
      <nav aria-label="Time range">
        <ul className="flex overflow-hidden rounded-md border border-slate-300 text-sm dark:border-slate-700">
          {TIME_RANGES.map((option) => {
            const isCurrent = option.id === range;
            return (
              <li key={option.id} className="border-l border-slate-300 first:border-l-0 dark:border-slate-700">
                <Link
                  href={metricsHref(option.id, pod)}
                  aria-current={isCurrent ? "page" : undefined}
                  className={`block px-3 py-1.5 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-600 ${
                    isCurrent
                      ? "bg-sky-700 font-medium text-white dark:bg-sky-600"
                      : "bg-white hover:bg-slate-100 dark:bg-slate-900 dark:hover:bg-slate-800"
                  }`}
                >
                  {option.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="flex items-center gap-2 text-sm">
        <label htmlFor={podSelectId} className="font-medium">
          Pods
        </label>
        <select
          id={podSelectId}
          value={pod}
          onChange={(event) => startNavigation(() => router.push(metricsHref(range, event.target.value)))}
          className="rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900"
        >
          <option value="">All pods (cluster total)</option>
          <option value={EACH_POD}>Each pod separately</option>
          {podOptions.map((name) => (
            <option key={name} value={name}>
              Only {name}
            </option>
          ))}
        </select>
      </div>
      <AutoRefresh intervalSeconds={refreshSeconds} updatedAt={updatedAt} />
      {pod === EACH_POD && pods.length > 0 ? (
        <p className="basis-full text-xs text-slate-600 dark:text-slate-400">
          Legends name pods by the end of their name: {pods.map((name) => `${shortPodName(name)} = ${name}`).join(", ")}.
        </p>
      ) : null}
    </div>
  );
}
