import "server-only";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { getLatestPodScrapes } from "@/lib/metrics/collector";
import { getRolloutSummaries, type RolloutStatus } from "@/lib/metrics/rollout";
import { querySeries } from "@/lib/metrics/storage-query";
import { getLatestRevision, listRevisions, sha256Hex } from "@/lib/revisions/revisions";
import { toChart, toErrorShareChart, type ValueFormat } from "./chart-data";
import { readCollectionView, type CollectionView } from "./load-metrics";

/** What the overview shows about a cluster's health: its pods' versions and revisions, the rollout, sparklines. */

/** What a pod's metrics say about it. `revision` is the revision whose reload hash the pod publishes. */
export type PodMetricsView = {
  version: string | null;
  /** The pod publishes no reload hash (it has not reloaded since it started). */
  hasNoHash: boolean;
  /**
   * `isRejected`: the pod tried this revision and kept its previous Corefile (CoreDNS publishes a rejected file's
   * hash too, so the hash alone does not say what serves).
   */
  revision: { id: string; number: number; isRejected: boolean } | null;
  scrapedAt: number;
};

export type SparklineData = { label: string; format: ValueFormat; times: number[]; values: (number | null)[] };

export type OverviewHealth = {
  podMetrics: Record<string, PodMetricsView>;
  /** The newest revision and where it stands on the pods; null before the first revision. */
  latest: { id: string; number: number; isLive: boolean | null; rollout: RolloutStatus | null } | null;
  sparklines: SparklineData[];
  collection: CollectionView;
};

const SPARKLINE_RANGE_MS = 3600_000;
const SPARKLINE_POINTS = 120;
/** Hashes are matched against this many of the newest revisions. */
const REVISIONS_MATCHED = 200;

/**
 * Reads the overview's health data for a cluster. `liveText` is the ConfigMap's Corefile when it could be read: it tells
 * whether the newest revision is what the cluster holds.
 */
export async function loadOverviewHealth(cluster: ClusterSummary, liveText: string | null, now = Date.now()): Promise<OverviewHealth> {
  const from = now - SPARKLINE_RANGE_MS;
  const base = { clusterId: cluster.id, from, to: now, now, aggregate: true };
  const [qps, rcodes, latency, latestRevision, recent] = await Promise.all([
    querySeries({ ...base, metric: "qps" }),
    querySeries({ ...base, metric: "responsesByRcode" }),
    querySeries({ ...base, metric: "latency" }),
    getLatestRevision(cluster.id),
    listRevisions(cluster.id, { limit: REVISIONS_MATCHED }),
  ]);

  const qpsChart = toChart(qps, { id: "qps", title: "Queries per second", format: "rate", emptyNote: "" }, SPARKLINE_POINTS);
  const shareChart = toErrorShareChart(rcodes, SPARKLINE_POINTS);
  const p99Chart = toChart(latency, { id: "p99", title: "p99 latency", format: "seconds", emptyNote: "", names: ["p99"] }, SPARKLINE_POINTS);
  const errorShare = shareChart.times.map((_, i) => {
    const parts = shareChart.series.map((line) => line.values[i]);
    return parts.every((v) => v === null || v === undefined) ? null : parts.reduce<number>((sum, v) => sum + (v ?? 0), 0);
  });
  const sparklines: SparklineData[] = [
    { label: "Queries per second", format: "rate", times: qpsChart.times, values: qpsChart.series[0]?.values ?? [] },
    { label: "SERVFAIL + NXDOMAIN share", format: "percent", times: shareChart.times, values: errorShare },
    { label: "p99 latency", format: "seconds", times: p99Chart.times, values: p99Chart.series[0]?.values ?? [] },
  ];

  // The newest revision with a hash wins when the same Corefile was applied more than once.
  const byHash = new Map<string, { id: string; number: number }>();
  for (const revision of recent.revisions) {
    if (revision.reloadHash && !byHash.has(revision.reloadHash)) byHash.set(revision.reloadHash, { id: revision.id, number: revision.number });
  }
  const scrapes = getLatestPodScrapes(cluster.id);
  // The rollout of each revision a pod publishes, to tell "runs it" from "rejected it"; and of the newest revision.
  const matched = new Set<string>(latestRevision ? [latestRevision.id] : []);
  for (const scrape of scrapes) {
    const revision = scrape.metrics.reload.hash ? byHash.get(scrape.metrics.reload.hash) : undefined;
    if (revision) matched.add(revision.id);
  }
  const rollouts = new Map((await getRolloutSummaries(cluster.id, [...matched])).map((r) => [r.revisionId, r]));
  const podMetrics: Record<string, PodMetricsView> = {};
  for (const scrape of scrapes) {
    const hash = scrape.metrics.reload.hash;
    const revision = hash ? byHash.get(hash) : undefined;
    const podState = revision ? rollouts.get(revision.id)?.pods.find((p) => p.pod === scrape.pod.name)?.state : undefined;
    podMetrics[scrape.pod.name] = {
      version: scrape.metrics.build?.version ?? null,
      hasNoHash: hash === null,
      revision: revision ? { ...revision, isRejected: podState === "rejected" } : null,
      scrapedAt: scrape.scrapedAt,
    };
  }

  const rollout = latestRevision ? (rollouts.get(latestRevision.id) ?? null) : null;
  return {
    podMetrics,
    latest: latestRevision
      ? {
          id: latestRevision.id,
          number: latestRevision.number,
          isLive: liveText === null ? null : sha256Hex(liveText) === latestRevision.sha256,
          rollout,
        }
      : null,
    sparklines,
    collection: readCollectionView(cluster.id),
  };
}
