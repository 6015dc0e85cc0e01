"use client";

import { useId, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { selectClusterAction } from "@/app/actions";

type ClusterOption = { name: string; connection: string };

/** Picks the cluster every page shows; the choice is remembered in a cookie. */
export function ClusterSwitcher({ clusters, current }: { clusters: ClusterOption[]; current: string | null }) {
  const id = useId();
  const router = useRouter();
  const [isPending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  if (clusters.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">No cluster registered</p>;
  }

  function selectCluster(name: string) {
    setError(null);
    startTransition(async () => {
      const result = await selectClusterAction(name);
      if (!result.ok) {
        setError(result.message);
        return;
      }
      router.refresh();
    });
  }

  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm font-medium text-slate-700 dark:text-slate-300">
        Cluster
      </label>
      <select
        id={id}
        value={current ?? ""}
        disabled={isPending}
        onChange={(event) => selectCluster(event.target.value)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
      >
        {clusters.map((cluster) => (
          <option key={cluster.name} value={cluster.name}>
            {cluster.name} ({cluster.connection})
          </option>
        ))}
      </select>
      {isPending ? (
        <span role="status" className="text-xs text-slate-500">
          Switching…
        </span>
      ) : null}
      {error ? (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {error}
        </span>
      ) : null}
    </div>
  );
}
