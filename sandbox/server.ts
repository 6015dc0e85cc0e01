/**
 * The sandbox cluster: an HTTP server on 127.0.0.1 that speaks the part of the Kubernetes API that
 * Coredeck and kubectl use (discovery, ConfigMaps with watch/patch/apply, pods, services, the pod
 * proxy to simulated CoreDNS metrics), with fault injection for tests. See sandbox/README.md.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Faults, type DelaySpec, type FailSpec, type HangSpec } from "./faults";
import { writeKubeconfig } from "./kubeconfig";
import { validateAsCoreDns } from "./coredns-validator";
import { CoreDnsFleet, type CorefileValidator, type PodSnapshot, type ReloadTiming } from "./pods";
import type { PodResolver } from "./pod-resolver";
import { createRouter } from "./router";
import { seedCorefile, seedStore } from "./seed";
import { Store, type KubeObject } from "./store";
import { WatchHub } from "./watch";

export type { CorefileValidator, PodSnapshot, ReloadTiming } from "./pods";
export type { ClusterData, ClusterService, PodAnswer, PodResolver } from "./pod-resolver";
export type { DelaySpec, FailSpec, HangSpec } from "./faults";
export type { KubeObject } from "./store";

export type SandboxOptions = {
  /** 0 = pick a free port (default 0). */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** If set, a kubeconfig (context/cluster/user "sandbox") is written there on start. */
  kubeconfigPath?: string;
  /** How a Corefile change reaches the pods; defaults to the real timings (60000, 30000, 15000). */
  reload?: ReloadTiming;
  /** Synthetic query load per pod; default { qps: 20, errorRatio: 0.01 }. */
  load?: { qps: number; errorRatio: number };
  /** Decides whether a pod can load a Corefile; default: Coredeck's engine, as CoreDNS 1.14.7 decides, with its reload hash. */
  corefileValidator?: CorefileValidator;
  /** How many change events are kept for watch resume (default 1000); older resourceVersions get 410 Expired. */
  watchCacheSize?: number;
  /** Seed namespaces, ConfigMaps, Services (default true). The CoreDNS pods always exist. */
  seed?: boolean;
  /** Clock in epoch milliseconds (default Date.now); inject one to make metrics move without sleeping. */
  clock?: () => number;
  /** How often watches with allowWatchBookmarks=true get a BOOKMARK (default 60000 ms, like the real server). */
  bookmarkIntervalMs?: number;
  /** Random source for the reload delays (default Math.random). */
  random?: () => number;
  /** How many simulated CoreDNS pods (default 2; benchmarks scrape many). */
  coreDnsPods?: number;
  /** How the pods answer DNS from their loaded Corefile and the Services (default: the built-in resolver). */
  podResolver?: PodResolver;
};

export type SandboxFaults = {
  /** Fail the next `count` (default 1) matching requests with `status` (default 500; 403 = RBAC Forbidden). */
  failNext(spec?: FailSpec): void;
  /** Make the next `count` matching requests hang until the client gives up or the sandbox closes. */
  hangNext(spec?: HangSpec): void;
  /** Delay matching responses by `ms` until reset. */
  delay(spec: DelaySpec): void;
  /** End every open watch stream now (clients must re-watch from their last resourceVersion). */
  endWatches(): void;
  /** Remove all faults and delays. */
  reset(): void;
};

export type Sandbox = {
  /** e.g. "http://127.0.0.1:40123" */
  url: string;
  port: number;
  kubeconfigPath?: string;
  /** Stops the server, ends watches and hanging requests, cancels every timer. */
  close(): Promise<void>;
  faults: SandboxFaults;
  /** State of the simulated CoreDNS pods (loaded hash, reload failures, ...). */
  pods(): PodSnapshot[];
  /** Runs one reload poll on every pod now, instead of waiting for the poll timer. */
  pollPodsNow(): void;
  /**
   * Deletes a CoreDNS pod (closing its DNS sockets) and creates its replacement (new name, DNS port, start time), which
   * loads the mounted Corefile as CoreDNS does on start, or crash-loops if CoreDNS rejects it. Resolves to the new pod
   * once it is listed and listening (undefined: no such pod).
   */
  restartPod(podName: string): Promise<PodSnapshot | undefined>;
  /** The metrics page a pod would serve now (same as the proxy endpoint). */
  podMetrics(podName: string): string | undefined;
  /** A copy of a stored object, bypassing HTTP (for assertions). */
  getObject(resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** The current global resourceVersion. */
  resourceVersion(): string;
  /** How many watch streams are open. */
  openWatches(): number;
};

const DEFAULT_RELOAD: ReloadTiming = { kubeletSyncMs: 60_000, pollMs: 30_000, jitterMs: 15_000 };
/** The seeded cluster was created this long before the sandbox started. */
const CLUSTER_AGE_MS = 27 * 3600 * 1000;

/** Starts a sandbox cluster and resolves once it is listening (and the kubeconfig, if asked, is written). */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.clock ?? Date.now;
  const host = options.host ?? "127.0.0.1";
  const store = new Store({ watchCacheSize: options.watchCacheSize ?? 1000, now });
  const corefile = seedCorefile();
  if (options.seed !== false) {
    seedStore(store, now() - CLUSTER_AGE_MS, corefile);
  } else {
    // Pods need their namespace even in an empty cluster.
    store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system", labels: { "kubernetes.io/metadata.name": "kube-system" } }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
  }
  const fleet = await CoreDnsFleet.start(
    {
      store,
      timing: options.reload ?? DEFAULT_RELOAD,
      validator: options.corefileValidator ?? validateAsCoreDns,
      load: options.load ?? { qps: 20, errorRatio: 0.01 },
      now,
      random: options.random,
      replicas: options.coreDnsPods,
      resolver: options.podResolver,
    },
    corefile,
  );
  const watches = new WatchHub(store, options.bookmarkIntervalMs ?? 60_000);
  const faults = new Faults();
  const parked = new Set<ServerResponse>();
  let address = "";

  const server = createServer(createRouter({ store, fleet, watches, faults, parked, address: () => address }));
  // Watches are long-lived; Node's default request timeouts would cut them off.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 5_000;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await fleet.stop();
    watches.endAll();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  if (options.kubeconfigPath) writeKubeconfig(options.kubeconfigPath, url);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= Promise.all([
      fleet.stop(),
      new Promise<void>((resolve) => {
        watches.endAll();
        for (const res of parked) res.destroy();
        parked.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    ]).then(() => undefined);
    return closing;
  };

  return {
    url,
    port,
    kubeconfigPath: options.kubeconfigPath,
    close,
    faults: {
      failNext: (spec) => faults.failNext(spec),
      hangNext: (spec) => faults.hangNext(spec),
      delay: (spec) => faults.delay(spec),
      endWatches: () => watches.endAll(),
      reset: () => faults.reset(),
    },
    pods: () => fleet.snapshot(),
    pollPodsNow: () => fleet.pollNow(),
    restartPod: (name) => fleet.restart(name),
    podMetrics: (name) => fleet.metrics(name),
    getObject: (resource, namespace, name) => store.get(resource, namespace, name),
    resourceVersion: () => String(store.currentResourceVersion),
    openWatches: () => watches.count,
  };
}
