/** The watcher's state machine, driven by a scripted ConfigMapSource (the sandbox tests cover the real one). */
import { describe, expect, it } from "vitest";
import { computeBackoffMs } from "./backoff";
import type { ConfigMapSource, WatchEvent, WatchHandlers } from "./configmap-source";
import { DriftWatcher, type Observation } from "./drift-watcher";
import type { ObservedConfigMap } from "./observed-configmap";
import { waitFor } from "./test-environment";

function configMap(resourceVersion: string, text = `text at ${resourceVersion}`): ObservedConfigMap {
  return { metadata: { resourceVersion }, data: { Corefile: text } };
}

/** Waits until `signal` aborts, then rejects as an aborted request does. */
function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new Error("aborted"));
    signal.addEventListener("abort", () => reject(new Error("aborted")));
  });
}

type Step = (handlers: WatchHandlers, signal: AbortSignal) => Promise<void>;

/** A source whose lists and watches follow a script; every call is logged. */
function scriptedSource(lists: ObservedConfigMap[], watches: Step[]) {
  const calls: string[] = [];
  const source: ConfigMapSource = {
    async list() {
      calls.push("list");
      const next = lists.shift();
      if (!next) throw new Error("no more lists scripted");
      return { configMap: next, resourceVersion: next.metadata?.resourceVersion ?? "" };
    },
    async read() {
      calls.push("read");
      return null;
    },
    async watch(resourceVersion, handlers, signal) {
      calls.push(`watch ${resourceVersion}`);
      const step = watches.shift();
      if (!step) return untilAborted(signal);
      await step(handlers, signal);
    },
  };
  return { source, calls };
}

function emit(...events: WatchEvent[]): Step {
  return async (handlers) => {
    handlers.onOpen();
    for (const event of events) handlers.onEvent(event);
  };
}

describe("DriftWatcher", () => {
  it("resumes from the last resourceVersion after a stream ends, and re-lists after 410 Expired", async () => {
    const { source, calls } = scriptedSource(
      [configMap("5"), configMap("9")],
      [
        emit({ type: "MODIFIED", object: configMap("6") }, { type: "BOOKMARK", object: { metadata: { resourceVersion: "8" } } }),
        emit({ type: "ERROR", object: { code: 410, reason: "Expired", message: "too old resource version: 8 (9)" } }),
      ],
    );
    const observations: Observation[] = [];
    const watcher = new DriftWatcher({ source, resyncMs: 60_000, onObservation: async (observation) => void observations.push(observation) });
    watcher.start();
    await waitFor("the watch after the re-list", () => calls.includes("watch 9"));
    await watcher.stop();

    expect(calls).toEqual(["list", "watch 5", "watch 8", "list", "watch 9"]);
    expect(observations.map((o) => [o.origin, o.configMap?.metadata?.resourceVersion])).toEqual([
      ["list", "5"],
      ["watch", "6"],
      ["list", "9"],
    ]);
    expect(watcher.getStatus()).toMatchObject({ state: "stopped", checkedResourceVersion: "9" });
  });

  it("reports the failure while it backs off, and stops at once even in a long backoff", async () => {
    const { source, calls } = scriptedSource([], []);
    const logged: string[] = [];
    const watcher = new DriftWatcher({
      source,
      resyncMs: 60_000,
      backoff: { initialMs: 600_000, maxMs: 600_000 },
      log: (message) => logged.push(message),
      onObservation: async () => {},
    });
    watcher.start();
    await waitFor("the first failure", () => watcher.getStatus().state === "reconnecting");
    expect(watcher.getStatus().lastError).toBe("no more lists scripted");
    expect(logged).toEqual(["no more lists scripted Reconnecting with backoff."]);
    await watcher.stop();
    expect(calls).toEqual(["list"]);
  });

  it("records a DELETED event as a missing ConfigMap, and keeps going when recording fails", async () => {
    const { source } = scriptedSource(
      [configMap("5")],
      [emit({ type: "DELETED", object: configMap("7") }, { type: "ADDED", object: configMap("8") })],
    );
    const seen: (string | null)[] = [];
    const errors: string[] = [];
    const watcher = new DriftWatcher({
      source,
      resyncMs: 60_000,
      log: (message) => errors.push(message),
      onObservation: async ({ configMap: observed }) => {
        seen.push(observed?.metadata?.resourceVersion ?? null);
        if (observed === null) throw new Error("database is locked");
      },
    });
    watcher.start();
    await waitFor("the ADDED event", () => seen.includes("8"));
    await watcher.stop();
    expect(seen).toEqual(["5", null, "8"]);
    expect(errors).toEqual(["could not record the ConfigMap's state: database is locked"]);
  });
});

describe("computeBackoffMs", () => {
  it("doubles from the initial delay up to the cap, keeping a random half", () => {
    const policy = { initialMs: 1_000, maxMs: 30_000 };
    expect(computeBackoffMs(1, policy, () => 0)).toBe(500);
    expect(computeBackoffMs(1, policy, () => 1)).toBe(1_000);
    expect(computeBackoffMs(3, policy, () => 1)).toBe(4_000);
    expect(computeBackoffMs(20, policy, () => 0)).toBe(15_000);
    expect(computeBackoffMs(20, policy, () => 1)).toBe(30_000);
  });
});
