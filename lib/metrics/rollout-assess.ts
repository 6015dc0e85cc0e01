/**
 * Whether one pod loaded one revision, from the pod's reload history. Pure: the rules in one place, tested directly.
 *
 * What CoreDNS 1.14's reload plugin publishes (plugin/reload/reload.go), which the rules follow:
 * - at start it publishes no `coredns_reload_version_info` at all (it only logs "Running configuration SHA512");
 * - each poll hashes the parsed Corefile; on a new hash it tries to load it and then publishes that hash whether the
 *   load worked or not; a failure adds 1 to `coredns_reload_failed_total`, keeps the old configuration serving, and
 *   the same file is not tried again;
 * - a Corefile that does not parse is skipped with a warning: no hash, no failure.
 * So a matching hash alone is not "loaded": the transition into the hash must come without a rise of the failed
 * counter. And a pod that started after the change shows nothing until its next reload.
 */
import type { ReloadObservation } from "./storage";

export type PodRolloutState = "waiting" | "loaded" | "rejected" | "unknown";

/**
 * Why a pod is in its state:
 * - `LOADED`: the pod published the revision's hash and its failed-reload counter did not rise;
 * - `LOADED_BEFORE_HISTORY`: the pod publishes the hash since before Coredeck's first scrape of it, with no failed reload;
 * - `REJECTED`: the pod published the revision's hash and its failed-reload counter rose: the old Corefile still serves;
 * - `WAITING_FOR_RELOAD`: still on an older Corefile, no failure since the change;
 * - `NO_RELOAD_HASH`: CoreDNS cannot parse the revision, so no pod will ever report it;
 * - `STARTED_AFTER_CHANGE`: the pod started after the change and has not reloaded since, so it publishes no hash;
 * - `NOT_RUNNING`: the pod is not ready and has no metrics (a crash loop, for example);
 * - `SUPERSEDED`: a newer revision was applied before this pod loaded this one;
 * - `OTHER_CORE_FILE`: the pod reloaded a Corefile that is not this revision (a change Coredeck has not recorded?);
 * - `NO_METRICS`: no scrape of this pod has reached Coredeck.
 */
export type RolloutReason =
  | "LOADED"
  | "LOADED_BEFORE_HISTORY"
  | "REJECTED"
  | "WAITING_FOR_RELOAD"
  | "NO_RELOAD_HASH"
  | "STARTED_AFTER_CHANGE"
  | "NOT_RUNNING"
  | "SUPERSEDED"
  | "OTHER_CORE_FILE"
  | "NO_METRICS";

export type PodRollout = {
  pod: string;
  state: PodRolloutState;
  reason: RolloutReason;
  /** For the user, in their words. */
  message: string;
  /** loaded/rejected: when the pod was first seen with the hash; waiting: since when (the revision's time). */
  since?: number;
  /** The failed-reload counter before and after the rejection. */
  failedReloads?: { before: number; after: number };
  /** What the pod publishes now (null: no hash). */
  currentHash?: string | null;
};

/** A revision's place in time: its own apply and its neighbours' (they bound which evidence belongs to it). */
export type RolloutRevision = {
  reloadHash: string | null;
  appliedAt: number;
  previousAppliedAt: number | null;
  nextAppliedAt: number | null;
};

export type PodRolloutInput = {
  pod: string;
  revision: RolloutRevision;
  /** The pod's reload observations, oldest first (stored history plus the latest scrape). */
  observations: readonly ReloadObservation[];
  /** The Pod object's start time, when known. */
  podStartedAt: number | null;
  isReady: boolean | null;
  restarts: number | null;
  now: number;
};

const WAITING_MESSAGE = "waiting for kubelet sync (~1 min) and reload poll (30 s ± 15 s)";

function time(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Whether a process started after the change. Start times have whole seconds (process_start_time_seconds, the Pod's
 * startTime): a start in the same second as the apply counts as after it.
 */
function startedAfter(start: number, appliedAt: number): boolean {
  return start >= Math.floor(appliedAt / 1000) * 1000;
}

/** Whether the counter rose from `before` to `after` (a missing value never counts as a rise). */
function rose(before: number | null, after: number | null): boolean {
  return before !== null && after !== null && after > before;
}

/** Decides one pod's state for one revision; see the module comment for the CoreDNS behaviour behind each rule. */
export function assessPodRollout(input: PodRolloutInput): PodRollout {
  const { pod, revision, now } = input;
  const hash = revision.reloadHash;
  if (hash === null) {
    return {
      pod,
      state: "unknown",
      reason: "NO_RELOAD_HASH",
      message: "CoreDNS cannot parse this Corefile: its reload plugin skips it with a warning and counts no failure, so the pod keeps its previous configuration and no metric can confirm this revision.",
    };
  }
  const last = input.observations.at(-1);
  if (!last) {
    if (input.isReady === false) return notRunning(input);
    if (input.podStartedAt !== null && startedAfter(input.podStartedAt, revision.appliedAt)) return startedAfterChange(input, null);
    return { pod, state: "unknown", reason: "NO_METRICS", message: "No scrape of this pod has reached Coredeck yet; its metrics cannot say which Corefile it runs." };
  }
  // Only the current process counts: a restart resets the hash and the counter.
  const process = input.observations.filter((o) => o.processStartAt === last.processStartAt);
  const processStart = last.processStartAt ?? input.podStartedAt;
  const current = { currentHash: last.hash };

  const verdict = (index: number): PodRollout => {
    const seen = process[index]!;
    const before = index > 0 ? process[index - 1]! : null;
    if (before === null) {
      // The hash was there at the first scrape: the transition happened before Coredeck watched.
      if ((seen.failedTotal ?? 0) === 0) {
        return { pod, state: "loaded", reason: "LOADED_BEFORE_HISTORY", since: seen.at, message: `Runs this revision (published since before ${time(seen.at)}, no failed reload).`, ...current };
      }
      return {
        pod,
        state: "unknown",
        reason: "OTHER_CORE_FILE",
        message: `Publishes this revision's hash since before Coredeck's first scrape (${time(seen.at)}), with ${seen.failedTotal} failed reloads: the metrics cannot tell whether this revision was the one that failed.`,
        ...current,
      };
    }
    if (rose(before.failedTotal, seen.failedTotal)) {
      return {
        pod,
        state: "rejected",
        reason: "REJECTED",
        since: seen.at,
        failedReloads: { before: before.failedTotal!, after: seen.failedTotal! },
        message: `Rejected at ${time(seen.at)}: coredns_reload_failed_total rose from ${before.failedTotal} to ${seen.failedTotal}. The previous Corefile still serves; the next restart of this pod will fail to start with this one.`,
        ...current,
      };
    }
    return { pod, state: "loaded", reason: "LOADED", since: seen.at, message: `Loaded (first seen ${time(seen.at)}).`, ...current };
  };

  // The first transition into the hash after the previous revision was applied is this revision's reload.
  const lowerBound = revision.previousAppliedAt ?? -Infinity;
  const transition = process.findIndex((o, i) => o.hash === hash && o.at >= lowerBound && (i === 0 ? false : process[i - 1]!.hash !== hash));
  if (transition > 0) return verdict(transition);

  if (last.hash === hash) {
    // Already on this hash before the previous revision (the same text applied again): judge the run's start.
    let start = process.length - 1;
    while (start > 0 && process[start - 1]!.hash === hash) start--;
    return verdict(start);
  }

  if (processStart !== null && startedAfter(processStart, revision.appliedAt)) {
    if (input.isReady === false) return notRunning(input);
    if (last.hash === null) return startedAfterChange(input, processStart);
  }
  if (revision.nextAppliedAt !== null && now >= revision.nextAppliedAt) {
    return {
      pod,
      state: "unknown",
      reason: "SUPERSEDED",
      message: `A newer revision was applied at ${time(revision.nextAppliedAt)} before this pod showed this one; it may have gone straight to the newer one.`,
      ...current,
    };
  }
  const atChange = [...process].reverse().find((o) => o.at <= revision.appliedAt) ?? process[0]!;
  if (last.hash !== null && last.hash !== atChange.hash) {
    return {
      pod,
      state: "unknown",
      reason: "OTHER_CORE_FILE",
      message: `Reloaded a Corefile with another hash (${last.hash.slice(0, 12)}…) since this revision was applied${rose(atChange.failedTotal, last.failedTotal) ? ", and that reload failed" : ""}: the ConfigMap may have been changed again outside Coredeck.`,
      ...current,
    };
  }
  return {
    pod,
    state: "waiting",
    reason: "WAITING_FOR_RELOAD",
    since: revision.appliedAt,
    message: `Still on the previous Corefile, ${WAITING_MESSAGE}; applied ${Math.max(0, Math.round((now - revision.appliedAt) / 1000))} s ago.`,
    ...current,
  };
}

function notRunning(input: PodRolloutInput): PodRollout {
  const restarts = input.restarts ? ` after ${input.restarts} restart${input.restarts === 1 ? "" : "s"}` : "";
  return {
    pod: input.pod,
    state: "unknown",
    reason: "NOT_RUNNING",
    message: `The pod is not ready${restarts} and serves no metrics. If it restarted with a Corefile CoreDNS rejects, it crash-loops until the Corefile is fixed.`,
  };
}

function startedAfterChange(input: PodRolloutInput, processStart: number | null): PodRollout {
  const started = processStart ?? input.podStartedAt;
  return {
    pod: input.pod,
    state: "unknown",
    reason: "STARTED_AFTER_CHANGE",
    message: `The pod started${started !== null ? ` at ${time(started)}` : ""}, after this revision was applied, and has not reloaded since: CoreDNS publishes coredns_reload_version_info only after a reload, so no metric says which Corefile it loaded at start (most likely the one mounted then).`,
    currentHash: null,
  };
}
