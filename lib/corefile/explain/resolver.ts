/**
 * The stub resolver's side: which absolute names a pod's resolver sends for a name (search list and `ndots`), and how
 * it picks the reply the application sees.
 */
import type { ExplainContext, FinalOutcome, Outcome, ResolverFlavor } from "./types";

/** The default cluster domain. */
export const DEFAULT_CLUSTER_DOMAIN = "cluster.local";
/** kubelet writes `options ndots:5` into every pod's resolv.conf. */
export const DEFAULT_NDOTS = 5;

/** The search path kubelet writes for a pod in `namespace` (ClusterFirst DNS policy). */
export function defaultSearchPath(namespace: string, clusterDomain = DEFAULT_CLUSTER_DOMAIN): string[] {
  return [`${namespace}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain];
}

/** The search path a context stands for: the explicit one, else the namespace's default, else none. */
export function searchPathOf(context: ExplainContext): string[] {
  if (context.searchPath) return context.searchPath;
  if (context.clientNamespace) return defaultSearchPath(context.clientNamespace, context.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN);
  return [];
}

function absolute(name: string): string {
  return name.endsWith(".") ? name : `${name}.`;
}

function countDots(name: string): number {
  let n = 0;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === 46) n++;
  return n;
}

/**
 * The absolute names a resolver sends, in order. A name with a trailing dot is sent as is. Otherwise a name with at
 * least `ndots` dots is tried as is first and then with each search domain; a name with fewer dots gets the search
 * domains first and is tried as is last (glibc and musl agree on this order).
 */
export function expandCandidates(name: string, search: readonly string[], ndots: number): string[] {
  const trimmed = name.trim();
  if (trimmed === "" || trimmed === ".") return ["."];
  if (trimmed.endsWith(".")) return [trimmed];
  const withSearch = search
    .map((d) => d.trim().replace(/^\.+/, "").replace(/\.+$/, ""))
    .filter((d) => d !== "")
    .map((d) => absolute(`${trimmed}.${d}`));
  const asIs = absolute(trimmed);
  const out = countDots(trimmed) >= ndots ? [asIs, ...withSearch] : [...withSearch, asIs];
  return out.filter((n, i) => out.indexOf(n) === i);
}

/** A sentence on how the resolver treats the name. */
export function describeSearch(name: string, search: readonly string[], ndots: number, flavor: ResolverFlavor): string {
  const trimmed = name.trim();
  if (trimmed.endsWith(".")) return `'${trimmed}' ends with a dot: the resolver sends it as it is, without the search list.`;
  if (search.length === 0) return `No search list: the resolver sends '${absolute(trimmed)}' only.`;
  const dots = countDots(trimmed);
  const order =
    dots >= ndots
      ? `it has ${dots} dot(s), at least ndots (${ndots}), so the resolver tries it as it is first, then with each search domain`
      : `it has ${dots} dot(s), fewer than ndots (${ndots}), so the resolver tries each search domain first and the name as it is last`;
  const stop =
    flavor === "musl"
      ? "musl moves to the next name only on NXDOMAIN; any other reply ends the search"
      : "glibc moves to the next name on NXDOMAIN, and also on an empty answer or SERVFAIL, remembering them";
  return `'${trimmed}': ${order}; ${stop}.`;
}

/**
 * The reply the application gets from the candidates' outcomes, as the resolver walks them. `outcomes[i]` belongs to
 * `names[i]`; an outcome that cannot be known (forwarded upstream, a plugin whose data is missing) ends the walk with
 * an "it depends" result naming the candidate.
 */
export function pickFinal(names: readonly string[], outcomes: readonly Outcome[], flavor: ResolverFlavor): FinalOutcome & { decidedAt: number } {
  const r = walkCandidates(names, outcomes, flavor);
  const at = r.candidate === undefined ? -1 : names.indexOf(r.candidate);
  // The walk stops at an answer, an unknowable reply or (musl) any non-NXDOMAIN reply; otherwise every name is sent.
  const stops = r.kind === "answer" || r.kind === "forwarded" || r.kind === "unknown" || (flavor === "musl" && r.kind !== "nxdomain");
  return { ...r, decidedAt: stops ? at : names.length - 1 };
}

function walkCandidates(names: readonly string[], outcomes: readonly Outcome[], flavor: ResolverFlavor): FinalOutcome {
  let nodata: { name: string; outcome: Outcome } | undefined;
  let servfail: { name: string; outcome: Outcome } | undefined;
  let last: { name: string; outcome: Outcome } | undefined;
  for (let i = 0; i < outcomes.length; i++) {
    const reply = outcomes[i] as Outcome;
    const name = names[i] as string;
    // Records under another name are dropped by the stub: for the walk, such a reply has no data.
    const o: Outcome = reply.ignoredByResolver ? { ...reply, kind: "nodata", detail: reply.ignoredByResolver } : reply;
    last = { name, outcome: o };
    switch (o.kind) {
      case "answer":
        return { ...o, candidate: name, detail: `The resolver returns the answer for ${name}. ${o.detail}` };
      case "nxdomain":
        continue;
      case "forwarded":
      case "unknown": {
        const rest = names.slice(i + 1);
        const then = rest.length > 0 ? ` If that reply is NXDOMAIN, the resolver goes on with ${rest.join(", ")}.` : "";
        return { ...o, candidate: name, detail: `The reply for ${name} decides. ${o.detail}${then}` };
      }
      case "nodata":
        if (flavor === "musl") return { ...o, candidate: name, detail: `musl stops at the empty answer for ${name}. ${o.detail}` };
        nodata ??= { name, outcome: o };
        continue;
      case "servfail":
      case "refused":
      case "dropped":
        if (flavor === "musl") return { ...o, candidate: name, detail: `musl stops at the ${o.kind} reply for ${name}. ${o.detail}` };
        servfail ??= { name, outcome: o };
        continue;
    }
  }
  if (nodata) {
    return {
      ...nodata.outcome,
      candidate: nodata.name,
      detail: `No name had records of this type; ${nodata.name} exists, so the resolver reports no data (not 'not found').`,
    };
  }
  if (servfail) {
    return { ...servfail.outcome, candidate: servfail.name, detail: `No name answered; ${servfail.name} failed (${servfail.outcome.kind}), so the resolver reports a temporary failure.` };
  }
  if (last) return { ...last.outcome, candidate: last.name, detail: `Every name was NXDOMAIN: the application gets 'not found'.` };
  return { kind: "unknown", detail: "No name was sent." };
}
