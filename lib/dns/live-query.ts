import "server-only";
import net from "node:net";
import { z } from "zod";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { KubernetesError } from "@/lib/k8s/errors";
import { listCoreDnsPods, type CoreDnsPod } from "@/lib/k8s/pods";
import { queryPod, type DnsQueryErrorCode, type DnsTransport } from "./client";
import { nameToLabels, typeCode, typeName, type DnsFlags, type DnsRecord } from "./message";

/** CoreDNS's port when a pod declares no DNS container port. */
const DEFAULT_DNS_PORT = 53;
export const DEFAULT_LIVE_QUERY_CONCURRENCY = 8;
export const DEFAULT_LIVE_QUERY_TIMEOUT_MS = 2000;

export type LiveQueryInput = {
  /** The name to ask for, as the user typed it (a missing final dot is added; no search path is applied). */
  name: string;
  /** `A`, `AAAA`, `SRV`... or `TYPEnnn`. */
  type: string;
  /** Default both, UDP first. */
  transports?: DnsTransport[];
  /** Per query (default 2000 ms). */
  timeoutMs?: number;
  /** Queries in flight at once, over all pods and transports (default 8). */
  concurrency?: number;
};

/** What a route or action accepts from a user before calling {@link liveQuery}: a name and a type, never an address. */
export const liveQueryInputSchema = z.object({
  name: z.string().trim().min(1, "Type a name to look up.").max(1024, "That is too long for a DNS name."),
  type: z.string().trim().min(1).max(12).default("A"),
  transports: z.array(z.enum(["udp", "tcp"])).min(1).max(2).optional(),
  timeoutMs: z.number().int().min(100).max(10_000).optional(),
});

/**
 * Why a pod has no answer: the DNS client's codes, and `NOT_RUNNING` (the pod is not Running or has no IP yet:
 * nothing was sent) or `NOT_REACHABLE` (a sandbox pod whose address is not on this machine: nothing was sent).
 */
export type LivePodErrorCode = DnsQueryErrorCode | "NOT_RUNNING" | "NOT_REACHABLE";

/** One pod's answer over one transport. `error` is set instead of the answer fields when there is none. */
export type LivePodResult = {
  pod: string;
  /** The address queried (`podIP:port`), or undefined when nothing was sent. */
  target?: string;
  transport: DnsTransport;
  rcode?: number;
  rcodeName?: string;
  flags?: DnsFlags;
  answers: DnsRecord[];
  authority: DnsRecord[];
  latencyMs?: number;
  error?: { code: LivePodErrorCode; message: string };
};

/**
 * - `OUT_OF_CLUSTER`: the app does not run inside the cluster (a kubeconfig connection): pod IPs are not reachable,
 *   so nothing is sent and only explain is available;
 * - `BAD_QUERY`: the name or type cannot be asked;
 * - `PODS_UNAVAILABLE`: the CoreDNS pods could not be listed (the Kubernetes error's code and status are kept);
 * - `NO_PODS`: the label selector lists no pod.
 */
export type LiveQueryErrorCode = "OUT_OF_CLUSTER" | "BAD_QUERY" | "PODS_UNAVAILABLE" | "NO_PODS";

export type LiveQueryResult =
  | { ok: true; cluster: string; name: string; type: string; queriedAt: string; results: LivePodResult[] }
  | { ok: false; code: LiveQueryErrorCode; message: string; kubernetes?: { code: string; status?: number } };

export type LiveQueryOptions = {
  /** Clock for `queriedAt` (default: now). */
  now?: () => Date;
  /** Time limit of the pod list call (default: lib/k8s's). */
  listTimeoutMs?: number;
};

function isLoopback(ip: string): boolean {
  return ip === "::1" || /^127\./.test(ip);
}

/**
 * Whether this process can reach a cluster's pod IPs: in-cluster it can (the pod network); the sandbox's pods
 * listen on this machine's loopback; through a kubeconfig, the app runs outside and cannot.
 */
export function canReachPodIps(cluster: Pick<ClusterSummary, "connection">): boolean {
  return cluster.connection === "in-cluster" || cluster.connection === "sandbox";
}

/** Runs `tasks` with at most `limit` in flight, keeping their order in the results. */
async function runLimited<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

/**
 * Sends a DNS question straight to each CoreDNS pod of a cluster (bypassing the Service VIP) over UDP and TCP, and
 * returns each pod's rcode, flags, records and latency. Only addresses the Kubernetes API lists for the cluster's
 * CoreDNS pods are ever contacted (the caller gives a name and a type, never an address). Outside the cluster
 * (a kubeconfig connection) it sends nothing and says that only explain is available. Never throws.
 */
export async function liveQuery(cluster: ClusterSummary, input: LiveQueryInput, options: LiveQueryOptions = {}): Promise<LiveQueryResult> {
  if (!canReachPodIps(cluster)) {
    return {
      ok: false,
      code: "OUT_OF_CLUSTER",
      message: `Live query needs the app to run inside the cluster: it sends DNS straight to each CoreDNS pod's IP, which only the pod network reaches, and Coredeck reaches "${cluster.name}" through a kubeconfig from outside. Only explain is available; deploy Coredeck in the cluster to query the pods.`,
    };
  }
  const code = typeCode(input.type);
  if (code === undefined) return { ok: false, code: "BAD_QUERY", message: `"${input.type}" is not a DNS record type. Use A, AAAA, CNAME, SRV, PTR, TXT, MX, NS, SOA or TYPEnnn.` };
  const trimmed = input.name.trim();
  const labels = trimmed === "" ? undefined : nameToLabels(trimmed);
  if (!labels || !labels.ok) {
    return { ok: false, code: "BAD_QUERY", message: `"${input.name}" is not a DNS name${labels && !labels.ok ? `: ${labels.message}` : ""}. Type a name such as frontend.default.svc.cluster.local.` };
  }
  // Fully qualified as typed (case kept): no search path is applied, the pods get exactly this name.
  const name = trimmed.endsWith(".") ? trimmed : `${trimmed}.`;

  let pods: CoreDnsPod[];
  try {
    pods = await listCoreDnsPods(cluster, cluster.configMapNamespace, cluster.podLabelSelector, options.listTimeoutMs !== undefined ? { timeoutMs: options.listTimeoutMs } : {});
  } catch (error) {
    if (error instanceof KubernetesError) {
      return { ok: false, code: "PODS_UNAVAILABLE", message: error.message, kubernetes: { code: error.code, ...(error.status !== undefined ? { status: error.status } : {}) } };
    }
    return { ok: false, code: "PODS_UNAVAILABLE", message: `The CoreDNS pods of "${cluster.name}" could not be listed: ${error instanceof Error ? error.message : String(error)}.` };
  }
  if (pods.length === 0) {
    return {
      ok: false,
      code: "NO_PODS",
      message: `No pod in ${cluster.configMapNamespace} matches "${cluster.podLabelSelector}", so there is no CoreDNS pod to ask. Check the pod label selector in Settings.`,
    };
  }

  const transports = input.transports && input.transports.length > 0 ? [...new Set(input.transports)] : (["udp", "tcp"] as DnsTransport[]);
  const timeoutMs = input.timeoutMs ?? DEFAULT_LIVE_QUERY_TIMEOUT_MS;
  const tasks = pods.flatMap((pod) =>
    transports.map((transport) => async (): Promise<LivePodResult> => {
      const base = { pod: pod.name, transport, answers: [], authority: [] };
      const ip = pod.podIP;
      if (pod.phase !== "Running" || !ip || net.isIP(ip) === 0) {
        return { ...base, error: { code: "NOT_RUNNING", message: `Pod ${pod.name} is ${pod.phase}${ip ? "" : " with no IP"}; it was not asked.` } };
      }
      // A sandbox connection only ever talks to this machine: its pods listen on loopback.
      if (cluster.connection === "sandbox" && !isLoopback(ip)) {
        return { ...base, error: { code: "NOT_REACHABLE", message: `Pod ${pod.name} has the address ${ip}, which is not on this machine; a sandbox pod answers on 127.0.0.1. It was not asked.` } };
      }
      const port = (transport === "udp" ? pod.dnsPorts.udp : pod.dnsPorts.tcp) ?? DEFAULT_DNS_PORT;
      const target = `${net.isIPv6(ip) ? `[${ip}]` : ip}:${port}`;
      const result = await queryPod({ address: ip, port, name, type: typeName(code), transport, timeoutMs });
      if (!result.ok) return { ...base, target, ...(result.latencyMs !== undefined ? { latencyMs: result.latencyMs } : {}), error: { code: result.code, message: result.message } };
      return { ...base, target, rcode: result.rcode, rcodeName: result.rcodeName, flags: result.flags, answers: result.answers, authority: result.authority, latencyMs: result.latencyMs };
    }),
  );
  const results = await runLimited(tasks, input.concurrency ?? DEFAULT_LIVE_QUERY_CONCURRENCY);
  return { ok: true, cluster: cluster.name, name, type: typeName(code), queriedAt: (options.now?.() ?? new Date()).toISOString(), results };
}
