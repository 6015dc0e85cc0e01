/**
 * The User-Agent of Coredeck's calls to the Kubernetes API. Background work says which part of Coredeck made the call
 * (`coredeck/0.1 (metrics)`, `coredeck/0.1 (drift-watch)`), so an API server's audit log, or an admin reading it, can
 * tell a page load from the collector's polling. The part before `/` stays `coredeck`: that is the field manager name
 * Kubernetes records for writes.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export const USER_AGENT = "coredeck/0.1";

const component = new AsyncLocalStorage<string>();

/**
 * Runs `work` (and everything it schedules: timers, promises) as the named background component; Kubernetes calls
 * made from it carry the name in their User-Agent.
 */
export function runAsComponent<T>(name: string, work: () => T): T {
  return component.run(name, work);
}

/** The User-Agent for a call made now: `coredeck/0.1`, with the background component's name when there is one. */
export function userAgent(): string {
  const name = component.getStore();
  return name ? `${USER_AGENT} (${name})` : USER_AGENT;
}
