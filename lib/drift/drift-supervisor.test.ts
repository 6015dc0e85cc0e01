/**
 * Drift capture end to end: the supervisor's watchers against the sandbox cluster over HTTP, recording into a
 * temporary SQLite file. Faults are armed through the sandbox's HTTP admin endpoints, as an outside test would.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerCluster } from "@/lib/clusters/clusters";
import { applyCorefile } from "@/lib/revisions/apply-corefile";
import { createKubernetesConfigMapSource, type ConfigMapSource, type KubernetesSourceOptions } from "./configmap-source";
import { DriftSupervisor, getDriftStatus, readDriftSettings, startDriftWatch, stopDriftWatch, type DriftSupervisorOptions } from "./drift-supervisor";
import { createDriftEnvironment, waitFor, type DriftEnvironment } from "./test-environment";

let env: DriftEnvironment;
let supervisors: DriftSupervisor[];
let seedCorefile: string;
let logs: string[];

beforeEach(() => {
  supervisors = [];
  logs = [];
});

afterEach(async () => {
  await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
  await stopDriftWatch();
  await env.dispose();
});

async function setUp(sandbox: Parameters<typeof createDriftEnvironment>[0] = {}) {
  env = await createDriftEnvironment(sandbox);
  seedCorefile = env.configMap().data.Corefile ?? "";
}

/** Options for a supervisor with short test timings and a log the tests can read. */
function supervisorOptions(extra: DriftSupervisorOptions = {}): DriftSupervisorOptions {
  return {
    db: env.db,
    resyncMs: 60_000,
    rescanMs: 60_000,
    backoff: { initialMs: 20, maxMs: 200 },
    log: { info: (message) => logs.push(message), error: (message) => logs.push(message) },
    ...extra,
  };
}

async function startSupervisor(extra: DriftSupervisorOptions = {}): Promise<DriftSupervisor> {
  const supervisor = new DriftSupervisor(supervisorOptions(extra));
  supervisors.push(supervisor);
  await supervisor.start();
  return supervisor;
}

/** A source factory that counts the lists made through the real Kubernetes source. */
function countingSource(counter: { lists: number }) {
  return (cluster: DriftEnvironment["cluster"], options: KubernetesSourceOptions): ConfigMapSource => {
    const source = createKubernetesConfigMapSource(cluster, options);
    return {
      ...source,
      list: () => {
        counter.lists++;
        return source.list();
      },
    };
  };
}

/** Waits until the supervisor has compared the ConfigMap's current state with the history. */
function waitUntilChecked(supervisor: DriftSupervisor) {
  const live = env.configMap().metadata.resourceVersion;
  return waitFor(`the watcher to check resourceVersion ${live}`, () => supervisor.getStatus(env.cluster.id)?.checkedResourceVersion === live);
}

function waitForRevisions(count: number) {
  return waitFor(`${count} revision(s)`, async () => {
    const revisions = await env.revisions();
    return revisions.length >= count && revisions;
  });
}

function corefile(n: number): string {
  return seedCorefile.replace("cache 30 {", `cache ${31 + n} {`);
}

describe("drift capture", () => {
  it("records the Corefile as first seen, then nothing while it stays the same", async () => {
    await setUp();
    const supervisor = await startSupervisor();
    const [baseline] = await waitForRevisions(1);
    expect(baseline).toMatchObject({ number: 1, source: "external", author: "kubeadm", text: seedCorefile });
    expect(baseline?.resourceVersionAfter).toBe(env.configMap().metadata.resourceVersion);

    // A change of another key is not a change of the Corefile.
    await env.changeData((data) => ({ ...data, note: "hello" }), "annotator");
    await waitUntilChecked(supervisor);
    expect(await env.revisions()).toHaveLength(1);
    expect(supervisor.getStatus(env.cluster.id)).toMatchObject({ state: "watching", lastError: null });
    expect(env.sandbox.openWatches()).toBe(1);
  });

  it("records an apply through Coredeck once, as the dashboard's, never as an external change", async () => {
    await setUp();
    const supervisor = await startSupervisor();
    await waitForRevisions(1);
    for (let n = 1; n <= 3; n++) {
      const result = await applyCorefile(
        env.cluster,
        { text: corefile(n), baseResourceVersion: env.configMap().metadata.resourceVersion, message: `step ${n}`, author: "alice" },
        { db: env.db },
      );
      expect(result.ok).toBe(true);
    }
    await waitUntilChecked(supervisor);
    const revisions = await env.revisions();
    expect(revisions.map((revision) => [revision.number, revision.source, revision.author])).toEqual([
      [1, "external", "kubeadm"],
      [2, "dashboard", "alice"],
      [3, "dashboard", "alice"],
      [4, "dashboard", "alice"],
    ]);
    expect(revisions.at(-1)?.text).toBe(corefile(3));
  });

  it("after a restart records a change made while it was down exactly once, and nothing twice", async () => {
    await setUp();
    const first = await startSupervisor();
    await waitForRevisions(1);
    await first.stop();
    await waitFor("the server to see the watch closed", () => env.sandbox.openWatches() === 0);

    const changed = corefile(7);
    const changedAt = await env.writeCorefile(changed, "night-shift");
    const second = await startSupervisor();
    const [, recorded] = await waitForRevisions(2);
    expect(recorded).toMatchObject({ source: "external", author: "night-shift", text: changed, resourceVersionAfter: changedAt });
    await waitUntilChecked(second);
    await second.stop();

    const third = await startSupervisor();
    await waitUntilChecked(third);
    expect(await env.revisions()).toHaveLength(2);
  });

  it("resumes a watch the server ended and misses nothing", async () => {
    await setUp();
    const counter = { lists: 0 };
    const supervisor = await startSupervisor({ createSource: countingSource(counter) });
    await waitForRevisions(1);
    await waitFor("the watch to open", () => env.sandbox.openWatches() === 1);

    expect(await env.admin("watches/end")).toEqual({ ended: 1 });
    const changed = corefile(2);
    await env.writeCorefile(changed, "kubectl-patch");
    const [, recorded] = await waitForRevisions(2);
    expect(recorded).toMatchObject({ author: "kubectl-patch", text: changed });
    await waitFor("the watch to reopen", () => env.sandbox.openWatches() === 1);
    await waitUntilChecked(supervisor);
    expect(await env.revisions()).toHaveLength(2);
    // Resumed from its resourceVersion: no second list was needed.
    expect(counter.lists).toBe(1);
  });

  it("re-lists when its resourceVersion fell out of the server's event window, and misses nothing", async () => {
    await setUp({ sandbox: { watchCacheSize: 5 } });
    const counter = { lists: 0 };
    const supervisor = await startSupervisor({ createSource: countingSource(counter) });
    await waitForRevisions(1);
    await waitFor("the watch to open", () => env.sandbox.openWatches() === 1);

    // Keep the watcher away while more than the window's worth of changes happens.
    await env.admin("faults/fail", { verb: "watch", status: 503, count: 10_000 });
    await env.admin("watches/end");
    const changed = corefile(3);
    await env.writeCorefile(changed, "kubectl-edit");
    for (let n = 0; n < 8; n++) await env.changeData((data) => ({ ...data, note: String(n) }), "annotator");
    await env.admin("reset");

    const [, recorded] = await waitForRevisions(2);
    expect(recorded).toMatchObject({ source: "external", author: "kubectl-edit", text: changed });
    await waitUntilChecked(supervisor);
    expect(counter.lists).toBe(2);
    expect(await env.revisions()).toHaveLength(2);
  });

  it("backs off while list and watch fail with 503, then recovers and misses nothing", async () => {
    await setUp();
    await env.admin("faults/fail", { verb: "list", status: 503, count: 3 });
    const supervisor = await startSupervisor();
    const [baseline] = await waitForRevisions(1);
    expect(baseline?.author).toBe("kubeadm");
    await waitFor("the watch to open", () => env.sandbox.openWatches() === 1);

    await env.admin("faults/fail", { verb: "watch", status: 503, count: 10_000 });
    await env.admin("watches/end");
    const status = await waitFor("the watcher to report the failure", () => {
      const current = supervisor.getStatus(env.cluster.id);
      return current?.state === "reconnecting" && current;
    });
    expect(status.lastError).toContain("503");
    const changed = corefile(4);
    await env.writeCorefile(changed, "kubectl-replace");
    await env.admin("reset");

    const [, recorded] = await waitForRevisions(2);
    expect(recorded).toMatchObject({ author: "kubectl-replace", text: changed });
    await waitFor("the watcher to report that it watches again", () => supervisor.getStatus(env.cluster.id)?.state === "watching");
    expect(supervisor.getStatus(env.cluster.id)?.lastError).toBeNull();
    await waitUntilChecked(supervisor);
    expect(await env.revisions()).toHaveLength(2);
  });

  it("catches a change with the periodic re-read while the watch hangs, and stops promptly", async () => {
    await setUp();
    const supervisor = await startSupervisor({ resyncMs: 200, sourceOptions: { watchOpenTimeoutMs: 60_000 } });
    await waitForRevisions(1);
    await waitFor("the watch to open", () => env.sandbox.openWatches() === 1);

    await env.admin("faults/hang", { verb: "watch", count: 10_000 });
    await env.admin("watches/end");
    const changed = corefile(5);
    await env.writeCorefile(changed, "operator");
    const [, recorded] = await waitForRevisions(2);
    expect(recorded).toMatchObject({ author: "operator", text: changed });
    // No watch stream was open: the re-read saw it.
    expect(env.sandbox.openWatches()).toBe(0);
    // The hung request is abandoned at once, not after its 60 s open timeout (the test would time out).
    await supervisor.stop();
    expect(supervisor.getStatus(env.cluster.id)).toBeNull();
  });

  it("says once that the ConfigMap is missing, and records it again when it comes back", async () => {
    await setUp();
    const supervisor = await startSupervisor({ resyncMs: 100 });
    await waitForRevisions(1);
    const url = `${env.sandbox.url}/api/v1/namespaces/kube-system/configmaps/coredns`;
    const original = env.configMap();
    expect((await fetch(url, { method: "DELETE" })).status).toBe(200);
    await waitFor("a re-read after the delete", () => logs.filter((line) => line.includes("does not exist")).length === 1);
    // Several re-reads later, still one message.
    const afterDelete = supervisor.getStatus(env.cluster.id)?.lastEventAt?.getTime() ?? 0;
    await waitFor("three more re-reads", () => (supervisor.getStatus(env.cluster.id)?.lastEventAt?.getTime() ?? 0) > afterDelete + 250);
    expect(logs.filter((line) => line.includes("does not exist"))).toHaveLength(1);

    const recreated = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "coredns", namespace: "kube-system" }, data: { Corefile: corefile(6) } };
    const created = await fetch(`${env.sandbox.url}/api/v1/namespaces/kube-system/configmaps?fieldManager=helm`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(recreated),
    });
    expect(created.status).toBe(201);
    const [, recorded] = await waitForRevisions(2);
    expect(recorded).toMatchObject({ author: "helm", text: corefile(6), resourceVersionBefore: original.metadata.resourceVersion });
  });
});

describe("the supervisor", () => {
  it("watches clusters registered later and stops watching removed ones", async () => {
    await setUp();
    const supervisor = await startSupervisor();
    await waitFor("the first watch", () => env.sandbox.openWatches() === 1);
    const second = await registerCluster({ name: "sandbox-copy", connection: "sandbox", kubeconfigPath: env.cluster.kubeconfigPath }, env.db);
    await supervisor.ensure(second);
    await supervisor.ensure(second);
    await waitFor("a watch per cluster", () => env.sandbox.openWatches() === 2);
    expect(supervisor.listWatchedClusterIds().sort()).toEqual([env.cluster.id, second.id].sort());

    await env.db.cluster.delete({ where: { id: second.id } });
    await supervisor.rescan();
    expect(supervisor.listWatchedClusterIds()).toEqual([env.cluster.id]);
    await waitFor("the removed cluster's watch to end", () => env.sandbox.openWatches() === 1);
  });

  it("runs once per process however often it is started, and reports status per cluster", async () => {
    await setUp();
    const options = supervisorOptions();
    const first = startDriftWatch(options, {});
    const again = startDriftWatch(options, {});
    expect(first).not.toBeNull();
    expect(again).toBe(first);
    await waitForRevisions(1);
    await waitFor("the watch to open", () => getDriftStatus(env.cluster.id)?.state === "watching");
    expect(env.sandbox.openWatches()).toBe(1);
    expect(getDriftStatus(env.cluster.id)?.lastEventAt).toBeInstanceOf(Date);
    expect(getDriftStatus("no-such-cluster")).toBeNull();

    await stopDriftWatch();
    expect(getDriftStatus(env.cluster.id)).toBeNull();
    await waitFor("the server to see the watch closed", () => env.sandbox.openWatches() === 0);
    expect(startDriftWatch(options, { COREDECK_DRIFT_WATCH: "off" })).toBeNull();
  });
});

describe("readDriftSettings", () => {
  it("is on with a 60 s re-read by default, and follows the environment", () => {
    expect(readDriftSettings({})).toEqual({ isEnabled: true, resyncMs: 60_000 });
    expect(readDriftSettings({ COREDECK_DRIFT_WATCH: "off", COREDECK_DRIFT_RESYNC_SECONDS: "15" })).toEqual({ isEnabled: false, resyncMs: 15_000 });
    expect(readDriftSettings({ COREDECK_DRIFT_WATCH: "on", COREDECK_DRIFT_RESYNC_SECONDS: "soon" }).resyncMs).toBe(60_000);
    expect(readDriftSettings({ NEXT_PHASE: "phase-production-build" }).isEnabled).toBe(false);
  });
});
