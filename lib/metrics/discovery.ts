import "server-only";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { parse } from "@/lib/corefile";
import { readCorefile } from "@/lib/k8s/corefile-configmap";
import { listCoreDnsPods, type CoreDnsPod } from "@/lib/k8s/pods";

/** The port CoreDNS's prometheus plugin uses when the Corefile gives none (`prometheus` alone: `localhost:9153`). */
export const DEFAULT_METRICS_PORT = 9153;

/**
 * Where a pod serves `/metrics`, read from its Corefile:
 * - `found`: a `prometheus` directive whose address the pod's IP answers on (`:9153`, `0.0.0.0:9153`, `[::]:9153`,
 *   or a specific non-loopback address);
 * - `loopback-only`: every `prometheus` address is loopback (`prometheus` alone means `localhost:9153`), so nothing
 *   outside the pod, not even the API server's proxy, can reach it; the port is still given;
 * - `absent`: no server block has `prometheus`: CoreDNS serves no metrics;
 * - `default`: the Corefile could not be read; 9153 is assumed.
 */
export type MetricsEndpoint = { port: number; source: "found" | "loopback-only" | "absent" | "default"; note?: string };

const LOOPBACK_HOSTS = new Set(["localhost", "::1"]);

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return LOOPBACK_HOSTS.has(bare) || /^127\./.test(bare);
}

/** Go's net.SplitHostPort for the forms a Corefile uses: `:9153`, `host:9153`, `[::]:9153`. */
function splitHostPort(address: string): { host: string; port: number } | null {
  const match = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(address);
  if (!match) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return null;
  return { host: match[1] ?? match[2] ?? "", port };
}

/**
 * Finds the metrics port in a Corefile. CoreDNS opens one listener per distinct `prometheus` address, and every
 * listener serves the same metrics (they share one registry), so any reachable one will do: the first in file order
 * whose host is not loopback. A `prometheus` without an address listens on `localhost:9153`.
 */
export function findMetricsEndpoint(corefile: string): MetricsEndpoint {
  const parsed = parse(corefile, { filename: "/etc/coredns/Corefile" });
  const addresses: { host: string; port: number }[] = [];
  for (const block of parsed.serverBlocks) {
    const tokens = block.tokens.prometheus;
    if (!tokens || tokens.length === 0) continue;
    const directive = tokens[0]!;
    const argument = tokens[1];
    // Only an argument on the directive's own line is its address.
    if (!argument || argument.line !== directive.line || argument.file !== directive.file) {
      addresses.push({ host: "localhost", port: DEFAULT_METRICS_PORT });
      continue;
    }
    const address = splitHostPort(argument.text);
    if (address) addresses.push(address);
  }
  if (addresses.length === 0) {
    return { port: DEFAULT_METRICS_PORT, source: "absent", note: "The Corefile has no prometheus directive, so CoreDNS serves no metrics. Add `prometheus :9153` to a server block." };
  }
  const reachable = addresses.find((a) => !isLoopback(a.host));
  if (reachable) return { port: reachable.port, source: "found" };
  return {
    port: addresses[0]!.port,
    source: "loopback-only",
    note: `CoreDNS serves metrics on ${addresses[0]!.host}:${addresses[0]!.port} only, which nothing outside the pod can reach. Use \`prometheus :${addresses[0]!.port}\`.`,
  };
}

/** A pod to scrape and where. */
export type ScrapeTarget = { pod: CoreDnsPod; port: number };

export type Discovery = {
  /** Every pod the label selector lists, scrapable or not. */
  pods: CoreDnsPod[];
  /** The pods that run and have an IP. */
  targets: ScrapeTarget[];
  endpoint: MetricsEndpoint;
};

/**
 * Lists a cluster's CoreDNS pods (by its label selector, in the namespace of its Corefile ConfigMap) and the metrics
 * port of its live Corefile. Only pods the API lists become targets, so nothing else is ever scraped. Throws the
 * KubernetesError of the pod list; a Corefile that cannot be read only falls back to port 9153.
 */
export async function discoverScrapeTargets(cluster: ClusterSummary, options: { timeoutMs?: number } = {}): Promise<Discovery> {
  const [pods, endpoint] = await Promise.all([
    listCoreDnsPods(cluster, cluster.configMapNamespace, cluster.podLabelSelector, options),
    readMetricsEndpoint(cluster, options),
  ]);
  const targets = pods.filter((pod) => pod.phase === "Running" && pod.podIP).map((pod) => ({ pod, port: endpoint.port }));
  return { pods, targets, endpoint };
}

async function readMetricsEndpoint(cluster: ClusterSummary, options: { timeoutMs?: number }): Promise<MetricsEndpoint> {
  try {
    const live = await readCorefile(
      cluster,
      { namespace: cluster.configMapNamespace, name: cluster.configMapName, key: cluster.configMapKey },
      options,
    );
    return findMetricsEndpoint(live.text);
  } catch (error) {
    return {
      port: DEFAULT_METRICS_PORT,
      source: "default",
      note: `The Corefile could not be read (${error instanceof Error ? error.message : String(error)}); assuming port ${DEFAULT_METRICS_PORT}.`,
    };
  }
}
