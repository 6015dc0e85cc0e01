/**
 * The forward editor's state: the FROM zone, the upstreams in order (with a DNS-over-TLS switch per row), the
 * selection policy, health checking and connection settings. Other options are kept as written.
 */
import type { FormValues } from "@/lib/board";
import { flagIf, guardRoundTrip, lineIf, takeOptions, type EditorModel, type OptionLine } from "./options-model";

export const FORWARD_POLICIES = ["random", "round_robin", "sequential"] as const;

/** The prefix of a DNS-over-TLS upstream. */
export const TLS_PREFIX = "tls://";

/** Default health-check interval, used when no_rec or a domain is set without one. */
export const DEFAULT_HEALTH_CHECK = "0.5s";

export type Upstream = { address: string; isTls: boolean };

export type ForwardState = {
  from: string;
  upstreams: Upstream[];
  /** Empty: no `policy` line (random). */
  policy: string;
  healthCheck: string;
  isHealthNoRec: boolean;
  healthDomain: string;
  maxFails: string;
  expire: string;
  isForceTcp: boolean;
  isPreferUdp: boolean;
  tlsServername: string;
  maxConcurrent: string;
  rest: OptionLine[];
};

const SHOWN = ["policy", "health_check", "max_fails", "expire", "force_tcp", "prefer_udp", "tls_servername", "max_concurrent"] as const;

/** Reads an upstream as written (`tls://9.9.9.9` → TLS on, address 9.9.9.9). */
export function readUpstream(text: string): Upstream {
  return text.startsWith(TLS_PREFIX) ? { address: text.slice(TLS_PREFIX.length), isTls: true } : { address: text, isTls: false };
}

/** Writes an upstream; an empty address stays empty (and is left out). */
export function writeUpstream(u: Upstream): string {
  const address = u.address.trim();
  if (address === "") return "";
  return u.isTls && !address.includes("://") ? TLS_PREFIX + address : address;
}

/** Moves a row up (-1) or down (+1); out of range leaves the list unchanged. */
export function moveRow<T>(rows: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= rows.length) return [...rows];
  const out = [...rows];
  [out[index], out[to]] = [out[to] as T, out[index] as T];
  return out;
}

/** `health_check DURATION [no_rec] [domain FQDN]`; null when written otherwise. */
function readHealthCheck(args: readonly string[] | undefined): { interval: string; isNoRec: boolean; domain: string } | null {
  if (!args) return { interval: "", isNoRec: false, domain: "" };
  if (args.length === 0) return null;
  let isNoRec = false;
  let domain = "";
  for (let i = 1; i < args.length; i++) {
    if (args[i] === "no_rec" && !isNoRec) isNoRec = true;
    else if (args[i] === "domain" && i + 1 < args.length && !domain) domain = args[++i] as string;
    else return null;
  }
  return { interval: args[0] as string, isNoRec, domain };
}

export const forwardModel: EditorModel<ForwardState> = guardRoundTrip({
  read(values: FormValues): ForwardState | null {
    const { first, rest } = takeOptions(values.options, SHOWN);
    const one = (name: string): string | null => {
      const a = first.get(name);
      if (!a) return "";
      return a.length === 1 ? (a[0] as string) : null;
    };
    const flag = (name: string): boolean | null => {
      const a = first.get(name);
      if (!a) return false;
      return a.length === 0 ? true : null;
    };
    const health = readHealthCheck(first.get("health_check"));
    const singles = { policy: one("policy"), maxFails: one("max_fails"), expire: one("expire"), tlsServername: one("tls_servername"), maxConcurrent: one("max_concurrent") };
    const isForceTcp = flag("force_tcp");
    const isPreferUdp = flag("prefer_udp");
    if (!health || isForceTcp === null || isPreferUdp === null || Object.values(singles).some((v) => v === null)) return null;
    return {
      from: values.args[0] ?? "",
      upstreams: values.args.slice(1).map(readUpstream),
      policy: singles.policy as string,
      healthCheck: health.interval,
      isHealthNoRec: health.isNoRec,
      healthDomain: health.domain,
      maxFails: singles.maxFails as string,
      expire: singles.expire as string,
      isForceTcp,
      isPreferUdp,
      tlsServername: singles.tlsServername as string,
      maxConcurrent: singles.maxConcurrent as string,
      rest,
    };
  },
  write(state: ForwardState): FormValues {
    const upstreams = state.upstreams.map(writeUpstream).filter((u) => u !== "");
    const from = state.from.trim();
    const domain = state.healthDomain.trim();
    const interval = state.healthCheck.trim() || (state.isHealthNoRec || domain ? DEFAULT_HEALTH_CHECK : "");
    const health = interval ? [{ name: "health_check", args: [interval, ...(state.isHealthNoRec ? ["no_rec"] : []), ...(domain ? ["domain", domain] : [])] }] : [];
    return {
      args: from || upstreams.length > 0 ? [from, ...upstreams] : [],
      options: [
        ...flagIf("force_tcp", state.isForceTcp),
        ...flagIf("prefer_udp", state.isPreferUdp),
        ...lineIf("expire", state.expire),
        ...lineIf("max_fails", state.maxFails),
        ...lineIf("tls_servername", state.tlsServername),
        ...lineIf("policy", state.policy),
        ...health,
        ...lineIf("max_concurrent", state.maxConcurrent),
        ...state.rest,
      ],
    };
  },
});
