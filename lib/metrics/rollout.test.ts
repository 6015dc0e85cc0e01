/**
 * Rollout verification end to end: the collector scrapes the sandbox's pods through the pod proxy into a temporary
 * SQLite file, and getRolloutStatus reads the result while the simulated pods reload (with small reload timings).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordObservedCorefile } from "@/lib/drift/record-observed-corefile";
import { createDriftEnvironment, waitFor, type DriftEnvironment } from "@/lib/drift/test-environment";
import { applyCorefile } from "@/lib/revisions/apply-corefile";
import { getLatestRevision } from "@/lib/revisions/revisions";
import { MetricsCollector, readCollectorSettings } from "./collector";
import { assessPodRollout } from "./rollout-assess";
import { getRolloutStatus, getRolloutSummaries, type RolloutStatus } from "./rollout";
import { querySeries } from "./storage-query";

let env: DriftEnvironment;
let collector: MetricsCollector;
let seed: string;

beforeEach(async () => {
  env = await createDriftEnvironment({ sandbox: { reload: { kubeletSyncMs: 40, pollMs: 40, jitterMs: 10 } } });
  collector = new MetricsCollector({ db: env.db, log: { info: () => {}, error: () => {} } });
  seed = env.configMap().data.Corefile!;
  // The seeded Corefile is revision 1, as drift capture would record it.
  await recordObservedCorefile(env.cluster, env.configMap(), { db: env.db });
  await collector.collectNow();
});

afterEach(async () => {
  await collector.stop();
  await env.dispose();
});

/** Collects rounds until the revision's status satisfies `done`. */
function collectUntil(revisionId: string, description: string, done: (status: RolloutStatus) => boolean): Promise<RolloutStatus> {
  return waitFor(description, async () => {
    await collector.collectNow();
    const status = await getRolloutStatus(env.cluster.id, revisionId, { db: env.db, collector });
    return status && done(status) ? status : undefined;
  });
}

async function apply(text: string) {
  const result = await applyCorefile(env.cluster, { text, baseResourceVersion: env.configMap().metadata.resourceVersion, author: "alice" }, { db: env.db });
  if (!result.ok) throw new Error(result.message);
  return result.revision;
}

describe("getRolloutStatus against the sandbox", () => {
  it("says both pods loaded a valid revision, with its hash, and charts the reload", async () => {
    const revision = await apply(seed.replace("cache 30", "cache 45"));
    const status = await collectUntil(revision.id, "both pods loaded", (s) => s.overall === "loaded");
    expect(status.pods).toHaveLength(2);
    for (const pod of status.pods) {
      expect(pod).toMatchObject({ state: "loaded", reason: "LOADED", currentHash: revision.reloadHash });
      expect(pod.since).toBeGreaterThanOrEqual(revision.createdAt.getTime() - 1000);
    }
    expect(env.sandbox.pods().map((p) => p.publishedHash)).toEqual([revision.reloadHash, revision.reloadHash]);

    const reloads = await querySeries({ clusterId: env.cluster.id, metric: "reloads", aggregate: true, from: 0, to: Date.now(), resolution: "15s" }, env.db);
    const total = reloads.series.find((s) => s.name === "reloads")!.values.reduce<number>((a, b) => a + (b ?? 0), 0);
    expect(total).toBe(2);
  });

  it("says waiting while the pods have not reloaded yet", async () => {
    const revision = await apply(seed.replace("cache 30", "cache 46"));
    const status = await getRolloutStatus(env.cluster.id, revision.id, { db: env.db, collector });
    // Nothing was scraped since the apply: every pod is still on the previous hash.
    expect(status!.pods.map((p) => [p.state, p.reason])).toEqual([
      ["waiting", "WAITING_FOR_RELOAD"],
      ["waiting", "WAITING_FOR_RELOAD"],
    ]);
    expect(status!.pods[0]!.message).toMatch(/waiting for kubelet sync \(~1 min\) and reload poll/);
  });

  it("says rejected, with the failed counter, when the pods refuse a Corefile written outside Coredeck", async () => {
    const broken = ".:53 {\n    forward . 8.8.8.8 {\n        max_fails lots\n    }\n    prometheus :9153\n    reload\n}\n";
    await env.writeCorefile(broken, "kubectl-edit");
    const outcome = await recordObservedCorefile(env.cluster, env.configMap(), { db: env.db });
    if (outcome.kind !== "recorded") throw new Error(`expected a recorded revision, got ${outcome.kind}`);
    const status = await collectUntil(outcome.revision.id, "both pods rejected", (s) => s.pods.every((p) => p.state === "rejected"));
    expect(status.overall).toBe("rejected");
    for (const pod of status.pods) {
      expect(pod).toMatchObject({ reason: "REJECTED", failedReloads: { before: 0, after: 1 }, currentHash: outcome.revision.reloadHash });
      expect(pod.message).toMatch(/coredns_reload_failed_total rose from 0 to 1/);
    }
    // The hash matches, yet it is not loaded: the pods still serve the seeded Corefile.
    expect(env.sandbox.pods().every((p) => p.loadedCorefile === seed && p.publishedHash === outcome.revision.reloadHash)).toBe(true);
  });

  it("says unknown for a pod restarted after the change, until a reload shows what it runs", async () => {
    const first = await apply(seed.replace("cache 30", "cache 47"));
    await collectUntil(first.id, "both pods loaded", (s) => s.overall === "loaded");
    const [restarted] = env.sandbox.pods().map((p) => p.name) as [string];
    const replacement = (await env.sandbox.restartPod(restarted))!;

    const afterRestart = await collectUntil(first.id, "the new pod listed", (s) => s.pods.some((p) => p.pod === replacement.name));
    expect(afterRestart.pods.map((p) => p.pod)).not.toContain(restarted);
    expect(afterRestart.pods.find((p) => p.pod === replacement.name)).toMatchObject({ state: "unknown", reason: "STARTED_AFTER_CHANGE" });
    expect(afterRestart.overall).toBe("unknown");

    const second = await apply(seed.replace("cache 30", "cache 48"));
    const loaded = await collectUntil(second.id, "both pods loaded the next revision", (s) => s.overall === "loaded");
    expect(loaded.pods.find((p) => p.pod === replacement.name)).toMatchObject({ state: "loaded", currentHash: second.reloadHash });

    const summaries = await getRolloutSummaries(env.cluster.id, [second.id, first.id], { db: env.db, collector });
    expect(summaries.map((s) => [s.revisionNumber, s.overall])).toEqual([
      [second.number, "loaded"],
      [first.number, "unknown"],
    ]);
  });

  it("keeps the latest parsed scrape per pod and drops pods that are gone", async () => {
    const before = collector.getLatestPodScrapes(env.cluster.id).map((s) => s.pod.name);
    expect(before).toHaveLength(2);
    const replacement = (await env.sandbox.restartPod(before[0]!))!;
    await collector.collectNow();
    const after = collector.getLatestPodScrapes(env.cluster.id);
    expect(after.map((s) => s.pod.name).sort()).toEqual([before[1]!, replacement.name].sort());
    expect(after[0]!.metrics.build?.version).toBe("1.14.7");
    expect(collector.getStatus(env.cluster.id)!.pods.every((p) => p.error === null)).toBe(true);
    expect((await getLatestRevision(env.cluster.id, env.db))!.number).toBe(1);
  });
});

describe("assessPodRollout", () => {
  const revision = { reloadHash: "h2", appliedAt: 1000, previousAppliedAt: 500, nextAppliedAt: null };
  const base = { pod: "p", revision, podStartedAt: 0, isReady: true, restarts: 0, now: 5000 };

  it("does not take a matching hash for loaded when the failed counter rose with it", () => {
    const observations = [
      { at: 100, processStartAt: 0, hash: "h1", failedTotal: 0 },
      { at: 2000, processStartAt: 0, hash: "h2", failedTotal: 1 },
    ];
    expect(assessPodRollout({ ...base, observations })).toMatchObject({ state: "rejected", since: 2000, failedReloads: { before: 0, after: 1 } });
    expect(assessPodRollout({ ...base, observations: [observations[0]!, { ...observations[1]!, failedTotal: 0 }] })).toMatchObject({ state: "loaded", since: 2000 });
  });

  it("says why when the metrics cannot tell", () => {
    expect(assessPodRollout({ ...base, revision: { ...revision, reloadHash: null }, observations: [] }).reason).toBe("NO_RELOAD_HASH");
    expect(assessPodRollout({ ...base, isReady: false, restarts: 3, podStartedAt: 3000, observations: [] })).toMatchObject({ reason: "NOT_RUNNING" });
    expect(assessPodRollout({ ...base, observations: [{ at: 100, processStartAt: 0, hash: "h1", failedTotal: 0 }], revision: { ...revision, nextAppliedAt: 3000 } }).reason).toBe("SUPERSEDED");
  });
});

describe("readCollectorSettings", () => {
  it("reads the switch and the interval", () => {
    expect(readCollectorSettings({})).toEqual({ isEnabled: true, intervalMs: 15_000 });
    expect(readCollectorSettings({ COREDECK_METRICS: "off", COREDECK_SCRAPE_INTERVAL_SECONDS: "30" })).toEqual({ isEnabled: false, intervalMs: 30_000 });
    expect(readCollectorSettings({ COREDECK_SCRAPE_INTERVAL_SECONDS: "0" }).intervalMs).toBe(15_000);
  });
});
