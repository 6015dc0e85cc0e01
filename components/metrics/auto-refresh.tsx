"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";

/**
 * Re-renders the page's server data every `intervalSeconds` while switched on, and not while the tab is hidden (a
 * refresh is made on return when one is due). `updatedAt` is when the server read the data shown.
 */
export function AutoRefresh({ intervalSeconds, updatedAt, defaultOn = true }: { intervalSeconds: number; updatedAt: number; defaultOn?: boolean }) {
  const router = useRouter();
  const [isOn, setIsOn] = useState(defaultOn);
  const switchId = useId();

  useEffect(() => {
    if (!isOn) return;
    const intervalMs = Math.max(2, intervalSeconds) * 1000;
    let last = Date.now();
    const refreshIfDue = () => {
      if (document.visibilityState !== "visible" || Date.now() - last < intervalMs - 250) return;
      last = Date.now();
      router.refresh();
    };
    const timer = window.setInterval(refreshIfDue, intervalMs);
    document.addEventListener("visibilitychange", refreshIfDue);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", refreshIfDue);
    };
  }, [isOn, intervalSeconds, router]);

  return (
    <div className="flex items-center gap-2 text-sm">
      <button
        id={switchId}
        type="button"
        role="switch"
        aria-checked={isOn}
        onClick={() => setIsOn((value) => !value)}
        className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full border focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 ${
          isOn ? "border-sky-700 bg-sky-700 dark:border-sky-500 dark:bg-sky-500" : "border-slate-400 bg-slate-200 dark:border-slate-600 dark:bg-slate-700"
        }`}
      >
        <span
          aria-hidden="true"
          className={`inline-block h-3.5 w-3.5 rounded-full bg-white shadow transition-transform dark:bg-slate-100 ${isOn ? "translate-x-4" : "translate-x-0.5"}`}
        />
      </button>
      <label htmlFor={switchId} className="cursor-pointer select-none">
        Auto-refresh ({intervalSeconds} s)
      </label>
      <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="updated-at">
        · updated <time dateTime={new Date(updatedAt).toISOString()}>{new Date(updatedAt).toISOString().slice(11, 19)} UTC</time>
      </span>
    </div>
  );
}
