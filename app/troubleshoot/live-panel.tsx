"use client";

import { LiveResults, type LivePrediction } from "@/components/troubleshoot/live-results";
import { queryPodsAction } from "./actions";

/** The live per-pod answers for the current cluster (binds the Server Action to the cluster). */
export function LivePanel({ cluster, name, type, outOfCluster, prediction }: { cluster: string; name: string; type: string; outOfCluster?: string; prediction: LivePrediction }) {
  return (
    <LiveResults
      key={`${name}/${type}`}
      name={name}
      type={type}
      prediction={prediction}
      {...(outOfCluster ? { outOfCluster } : {})}
      query={(q) => queryPodsAction({ cluster, ...q })}
    />
  );
}
