import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { computeBackoffMs, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff";
import type { ConfigMapSource, WatchEvent } from "./configmap-source";
import type { ObservedConfigMap } from "./observed-configmap";

/** Where an observation came from: the first (or a renewed) list, a watch event, or the periodic re-read. */
export type ObservationOrigin = "list" | "watch" | "resync";

/** One state of the ConfigMap as seen by the watcher; `configMap` is null when it does not exist. */
export type Observation = { configMap: ObservedConfigMap | null; origin: ObservationOrigin };

/**
 * - `starting`: the first list has not answered yet.
 * - `watching`: a watch is open.
 * - `reconnecting`: the last list or watch failed (`lastError`); the next attempt waits for the backoff.
 * - `stopped`: {@link DriftWatcher.stop} was called.
 */
export type DriftWatchState = "starting" | "watching" | "reconnecting" | "stopped";

/** What the UI may show about a cluster's drift capture. Plain data. */
export type DriftStatus = {
  state: DriftWatchState;
  /** Why the last list or watch failed; null once a watch is open again. */
  lastError: string | null;
  /** When the cluster last told anything about the ConfigMap (list, event, bookmark, re-read). */
  lastEventAt: Date | null;
  /** The newest resourceVersion whose state has been compared with the history (and recorded if it was new). */
  checkedResourceVersion: string | null;
};

export type DriftWatcherOptions = {
  source: ConfigMapSource;
  /** Called for each observed state, one at a time and in order; a rejection is logged and the watch goes on. */
  onObservation: (observation: Observation) => Promise<void>;
  /** Interval of the fallback re-read (GET) that catches what a broken watch missed. */
  resyncMs: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  log?: (message: string) => void;
};

/** A watch that ends this soon after it opened, with nothing in it, counts as a failure (no tight reconnect loop). */
const QUICK_END_MS = 1_000;

type WatchOutcome = "ended" | "expired";

/**
 * Follows one cluster's Corefile ConfigMap: list, then watch from the list's resourceVersion (with bookmarks),
 * resume from the last resourceVersion seen whenever a stream ends, re-list when that version expired (410),
 * back off exponentially with jitter after failures, and re-read the ConfigMap every `resyncMs` as a fallback.
 * Every state it sees goes to `onObservation`, in order. {@link stop} ends it all and resolves promptly.
 */
export class DriftWatcher {
  private readonly options: DriftWatcherOptions;
  private readonly controller = new AbortController();
  private status: DriftStatus = { state: "starting", lastError: null, lastEventAt: null, checkedResourceVersion: null };
  private recording: Promise<void> = Promise.resolve();
  private running: Promise<void> | null = null;
  private resyncTimer: NodeJS.Timeout | null = null;

  constructor(options: DriftWatcherOptions) {
    this.options = options;
  }

  /** Starts listing and watching; calling it again does nothing. */
  start(): void {
    if (this.running || this.isStopped) return;
    this.running = this.run();
    this.scheduleResync();
  }

  /** Ends the watch, the timers and the backoff; resolves once the observations already received are recorded. */
  async stop(): Promise<void> {
    if (this.isStopped) return;
    this.controller.abort();
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.status = { ...this.status, state: "stopped" };
    // A list or GET still under way is not waited for: its answer is dropped when it comes.
    await this.running?.catch(() => undefined);
    await this.recording;
  }

  /** A copy of the current status. */
  getStatus(): DriftStatus {
    return { ...this.status };
  }

  private get isStopped(): boolean {
    return this.controller.signal.aborted;
  }

  private async run(): Promise<void> {
    let resourceVersion: string | null = null;
    let failures = 0;
    while (!this.isStopped) {
      const startedAt = Date.now();
      let hasHeardAnything = false;
      try {
        if (resourceVersion === null) {
          const listed = await this.options.source.list();
          if (this.isStopped) return;
          this.observe({ configMap: listed.configMap, origin: "list" }, listed.configMap?.metadata?.resourceVersion);
          resourceVersion = listed.resourceVersion;
          hasHeardAnything = true;
        }
        const outcome = await this.watchFrom(resourceVersion, (latest) => {
          resourceVersion = latest;
          hasHeardAnything = true;
        });
        if (outcome === "expired") {
          // The version fell out of the server's event window: only a fresh list tells the current state.
          resourceVersion = null;
          failures = 0;
          continue;
        }
        failures = hasHeardAnything || Date.now() - startedAt >= QUICK_END_MS ? 0 : failures + 1;
        if (failures > 0) await this.pause(failures, "The watch ended as soon as it opened.");
      } catch (error) {
        if (this.isStopped) return;
        if (isExpired(error)) {
          resourceVersion = null;
          continue;
        }
        failures++;
        await this.pause(failures, error instanceof Error ? error.message : String(error));
      }
    }
  }

  /** One watch stream from `resourceVersion`; reports every resourceVersion it passes through `onProgress`. */
  private async watchFrom(resourceVersion: string, onProgress: (resourceVersion: string) => void): Promise<WatchOutcome> {
    let outcome: WatchOutcome = "ended";
    let failure: Error | null = null;
    const handleEvent = (event: WatchEvent) => {
      const eventVersion = event.object?.metadata?.resourceVersion;
      switch (event.type) {
        case "ADDED":
        case "MODIFIED":
          this.observe({ configMap: event.object, origin: "watch" }, eventVersion);
          break;
        case "DELETED":
          this.observe({ configMap: null, origin: "watch" }, eventVersion);
          break;
        case "BOOKMARK":
          this.status.lastEventAt = new Date();
          break;
        case "ERROR":
          if (event.object?.code === 410) outcome = "expired";
          else failure ??= new Error(`The watch reported an error: ${event.object?.message ?? "unknown"} (${event.object?.code ?? "no code"}).`);
          return;
      }
      if (eventVersion) onProgress(eventVersion);
    };
    await this.options.source.watch(
      resourceVersion,
      {
        onOpen: () => {
          if (!this.isStopped) this.status = { ...this.status, state: "watching", lastError: null };
        },
        onEvent: (event) => {
          if (!this.isStopped) handleEvent(event);
        },
      },
      this.controller.signal,
    );
    if (failure) throw failure;
    return outcome;
  }

  /** Queues an observation for recording, in the order received. */
  private observe(observation: Observation, resourceVersion: string | undefined): void {
    this.status.lastEventAt = new Date();
    this.recording = this.recording
      .then(() => this.options.onObservation(observation))
      .then(
        () => {
          if (resourceVersion) this.status.checkedResourceVersion = resourceVersion;
        },
        (error: unknown) => this.log(`could not record the ConfigMap's state: ${error instanceof Error ? error.message : String(error)}`),
      );
  }

  private async pause(failures: number, reason: string): Promise<void> {
    if (this.isStopped) return;
    const delayMs = computeBackoffMs(failures, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    // Said once per outage, not on every retry.
    if (failures === 1) this.log(`${reason} Reconnecting with backoff.`);
    this.status = { ...this.status, state: "reconnecting", lastError: reason };
    await sleep(delayMs, undefined, { signal: this.controller.signal, ref: false }).catch(() => undefined);
  }

  private scheduleResync(): void {
    if (this.isStopped) return;
    this.resyncTimer = setTimeout(() => void this.resync(), this.options.resyncMs);
    this.resyncTimer.unref();
  }

  private async resync(): Promise<void> {
    try {
      const configMap = await this.options.source.read();
      if (!this.isStopped) this.observe({ configMap, origin: "resync" }, configMap?.metadata?.resourceVersion);
    } catch (error) {
      if (!this.isStopped) this.log(`the periodic re-read failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.scheduleResync();
    }
  }

  private log(message: string): void {
    (this.options.log ?? console.error)(message);
  }
}

function isExpired(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return status === 410;
}
