/**
 * Fault injection for tests and demos: fail the next N matching requests (500, 403 with the RBAC
 * wording, 429, 503, ...), hang them (no response until the client gives up or the sandbox closes),
 * delay every response, or end all open watches. Driven programmatically (`sandbox.faults`) or over
 * HTTP (`/_sandbox/...`, see admin.ts).
 */
import type { RequestInfo } from "./request-info";
import { failure, type Status } from "./status";

/** Which requests a fault applies to. Empty matches every API request (never `/_sandbox`). */
export type FaultMatch = {
  /** URL path prefix, e.g. `/api/v1/namespaces/kube-system/configmaps`. */
  pathPrefix?: string;
  /** HTTP method, e.g. `PUT`. */
  method?: string;
  /** Kubernetes verb, e.g. `update`, `watch`, `list`. */
  verb?: string;
  /**
   * The request's exact User-Agent, e.g. `coredeck/0.1` for the app's own calls but not `coredeck/0.1 (metrics)` for
   * its metrics collector's: a test can then refuse one part of the app without another taking the fault first.
   */
  userAgent?: string;
};

export type FailSpec = FaultMatch & {
  /** How many matching requests fail (default 1). */
  count?: number;
  /** HTTP status: 403 gives a Forbidden with the RBAC message; 500, 429, 503, 504 their usual Status. */
  status?: number;
  /** For 403: the user named in the message. */
  user?: string;
  /** Overrides the message. */
  message?: string;
};

export type HangSpec = FaultMatch & { count?: number };

export type DelaySpec = FaultMatch & { ms: number };

type Armed<T> = T & { remaining: number };

export type FaultDecision = { kind: "fail"; status: Status } | { kind: "hang" } | { kind: "pass" };

/** The service account a real deployment of the product would run as; used in 403 messages. */
export const DEFAULT_FORBIDDEN_USER = "system:serviceaccount:coredeck:coredeck";

function matches(m: FaultMatch, method: string, path: string, info: RequestInfo | undefined, userAgent?: string): boolean {
  if (m.pathPrefix && !path.startsWith(m.pathPrefix)) return false;
  if (m.userAgent !== undefined && m.userAgent !== userAgent) return false;
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.verb && m.verb !== info?.verb) return false;
  return true;
}

/** `configmaps "coredns" is forbidden: User "..." cannot update resource "configmaps" in API group "" in the namespace "kube-system"` */
export function forbiddenMessage(info: RequestInfo | undefined, user: string, path: string): string {
  if (!info) return `forbidden: User "${user}" cannot get path "${path}"`;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const subject = info.name ? `${info.resource} "${info.name}"` : info.resource;
  // RBAC names the verb of the request: proxy requests are "get" on pods/proxy.
  const verb = info.verb === "proxy" ? "get" : info.verb;
  const scope = info.namespace ? `in the namespace "${info.namespace}"` : "at the cluster scope";
  return `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "" ${scope}`;
}

function failureFor(spec: FailSpec, info: RequestInfo | undefined, path: string): Status {
  const code = spec.status ?? 500;
  const details = info ? { name: info.name ?? "", kind: info.resource } : {};
  switch (code) {
    case 403:
      return failure(403, "Forbidden", spec.message ?? forbiddenMessage(info, spec.user ?? DEFAULT_FORBIDDEN_USER, path), details);
    case 401:
      return failure(401, "Unauthorized", spec.message ?? "Unauthorized");
    case 429:
      return failure(429, "TooManyRequests", spec.message ?? "Too many requests, please try again later.", { ...details, retryAfterSeconds: 1 });
    case 503:
      return failure(503, "ServiceUnavailable", spec.message ?? "the server is currently unable to handle the request", details);
    case 504:
      return failure(504, "Timeout", spec.message ?? "Timeout: request did not complete within requested timeout - context deadline exceeded", details);
    default:
      return failure(code, "InternalError", spec.message ?? "Internal error occurred: injected fault (sandbox)", { ...details, causes: [{ message: "injected fault (sandbox)" }] });
  }
}

export class Faults {
  private fails: Armed<FailSpec>[] = [];
  private hangs: Armed<HangSpec>[] = [];
  private delays: DelaySpec[] = [];

  /** Fails the next `count` matching requests with `status` (default 500). */
  failNext(spec: FailSpec = {}): void {
    this.fails.push({ ...spec, remaining: spec.count ?? 1 });
  }

  /** Makes the next `count` matching requests hang: no response is ever written. */
  hangNext(spec: HangSpec = {}): void {
    this.hangs.push({ ...spec, remaining: spec.count ?? 1 });
  }

  /** Delays every matching response by `ms` until reset (a later call for the same match replaces it). */
  delay(spec: DelaySpec): void {
    this.delays = this.delays.filter((d) => !(d.pathPrefix === spec.pathPrefix && d.method === spec.method && d.verb === spec.verb));
    if (spec.ms > 0) this.delays.push(spec);
  }

  /** Removes every fault and delay. */
  reset(): void {
    this.fails = [];
    this.hangs = [];
    this.delays = [];
  }

  /** What is armed, for `/_sandbox/faults` and debugging. */
  describe(): { fails: FailSpec[]; hangs: HangSpec[]; delays: DelaySpec[] } {
    return {
      fails: this.fails.map(({ remaining, ...f }) => ({ ...f, count: remaining })),
      hangs: this.hangs.map(({ remaining, ...h }) => ({ ...h, count: remaining })),
      delays: [...this.delays],
    };
  }

  /** The total delay for a request (the longest matching one). */
  delayFor(method: string, path: string, info: RequestInfo | undefined): number {
    return this.delays.filter((d) => matches(d, method, path, info)).reduce((max, d) => Math.max(max, d.ms), 0);
  }

  /** Consumes one armed fault that matches this request, if any. Hangs win over failures. */
  decide(method: string, path: string, info: RequestInfo | undefined, userAgent?: string): FaultDecision {
    const hang = this.hangs.find((h) => h.remaining > 0 && matches(h, method, path, info, userAgent));
    if (hang) {
      hang.remaining--;
      this.hangs = this.hangs.filter((h) => h.remaining > 0);
      return { kind: "hang" };
    }
    const fail = this.fails.find((f) => f.remaining > 0 && matches(f, method, path, info, userAgent));
    if (fail) {
      fail.remaining--;
      this.fails = this.fails.filter((f) => f.remaining > 0);
      return { kind: "fail", status: failureFor(fail, info, path) };
    }
    return { kind: "pass" };
  }
}
