import "server-only";
import http from "node:http";
import https from "node:https";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { callOptions, loadKubeConfig, makeCoreApi } from "@/lib/k8s/connection";
import { KubernetesError, toKubernetesError, type KubernetesTarget } from "@/lib/k8s/errors";
import { readCorefileConfigMap } from "@/lib/k8s/write-corefile";
import type { ObservedConfigMap } from "./observed-configmap";
import { userAgent } from "@/lib/k8s/user-agent";

/** One line of a watch stream. ERROR events carry a Status object; BOOKMARKs only a resourceVersion. */
export type WatchEvent = {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: ObservedConfigMap & { code?: number; reason?: string; message?: string };
};

export type WatchHandlers = {
  /** The API server accepted the watch (HTTP 200); events follow. */
  onOpen(): void;
  onEvent(event: WatchEvent): void;
};

/**
 * How a drift watcher reads one cluster's Corefile ConfigMap. Every method throws {@link KubernetesError}.
 * The watcher takes this as a parameter so that its state machine can be driven without a cluster.
 */
export type ConfigMapSource = {
  /** The ConfigMap (null when it does not exist) and the list's resourceVersion to watch from. */
  list(): Promise<{ configMap: ObservedConfigMap | null; resourceVersion: string }>;
  /** A plain GET of the ConfigMap; null when it does not exist. */
  read(): Promise<ObservedConfigMap | null>;
  /** Streams the events after `resourceVersion` until the server ends the stream (resolves) or it fails or `signal` aborts (rejects). */
  watch(resourceVersion: string, handlers: WatchHandlers, signal: AbortSignal): Promise<void>;
};

export type KubernetesSourceOptions = {
  /** Per list or GET (default: lib/k8s's 10 s). */
  requestTimeoutMs?: number;
  /** A watch that gets no answer (response headers) in this time is given up (default 30 s). */
  watchOpenTimeoutMs?: number;
  /** How long the API server may keep one watch open (default a random 5 to 10 minutes, as client-go does). */
  watchTimeoutSeconds?: () => number;
};

const DEFAULT_WATCH_OPEN_TIMEOUT_MS = 30_000;
/** After its own timeout the server ends the stream; this long on top of it, the client stops waiting. */
const WATCH_DEADLINE_GRACE_MS = 30_000;

/**
 * The {@link ConfigMapSource} of a registered cluster: list and GET through client-node (lib/k8s), the watch as a
 * streamed request authenticated by the same KubeConfig (kubeconfig file, in-cluster service account, or sandbox).
 */
export function createKubernetesConfigMapSource(cluster: ClusterSummary, options: KubernetesSourceOptions = {}): ConfigMapSource {
  const location = { namespace: cluster.configMapNamespace, name: cluster.configMapName, key: cluster.configMapKey };
  const target = (verb: string): KubernetesTarget => ({
    cluster: cluster.name,
    namespace: location.namespace,
    resource: "configmaps",
    name: location.name,
    verb,
  });
  const fieldSelector = `metadata.name=${location.name}`;

  return {
    async list() {
      try {
        const list = await makeCoreApi(cluster).listNamespacedConfigMap(
          { namespace: location.namespace, fieldSelector },
          callOptions(options.requestTimeoutMs),
        );
        const configMap = list.items.find((item) => item.metadata?.name === location.name) ?? null;
        return { configMap, resourceVersion: list.metadata?.resourceVersion ?? "" };
      } catch (error) {
        throw toKubernetesError(error, target("list"));
      }
    },

    async read() {
      try {
        return (await readCorefileConfigMap(cluster, location, { timeoutMs: options.requestTimeoutMs })).configMap;
      } catch (error) {
        if (error instanceof KubernetesError && error.code === "NOT_FOUND") return null;
        throw error;
      }
    },

    async watch(resourceVersion, handlers, signal) {
      const kc = loadKubeConfig(cluster);
      const server = kc.getCurrentCluster()?.server ?? "";
      const url = new URL(`${server.replace(/\/+$/, "")}/api/v1/namespaces/${encodeURIComponent(location.namespace)}/configmaps`);
      const timeoutSeconds = options.watchTimeoutSeconds?.() ?? 300 + Math.floor(Math.random() * 300);
      url.searchParams.set("watch", "true");
      url.searchParams.set("fieldSelector", fieldSelector);
      url.searchParams.set("resourceVersion", resourceVersion);
      url.searchParams.set("allowWatchBookmarks", "true");
      url.searchParams.set("timeoutSeconds", String(timeoutSeconds));
      // The KubeConfig supplies the TLS agent and the credentials (token, exec plugin, client certificate).
      const fetchOptions = await kc.applyToFetchOptions({});
      const headers: Record<string, string> = { Accept: "application/json", "User-Agent": userAgent() };
      // node-fetch's Headers object: iterate it, whatever the declared union says.
      const fromKubeConfig = fetchOptions.headers as { forEach(each: (value: string, name: string) => void): void } | undefined;
      fromKubeConfig?.forEach((value, name) => {
        headers[name] = value;
      });
      try {
        await streamWatch(url, {
          agent: fetchOptions.agent as http.Agent | undefined,
          headers,
          signal,
          openTimeoutMs: options.watchOpenTimeoutMs ?? DEFAULT_WATCH_OPEN_TIMEOUT_MS,
          deadlineMs: timeoutSeconds * 1000 + WATCH_DEADLINE_GRACE_MS,
          handlers,
        });
      } catch (error) {
        throw toKubernetesError(error, target("watch"));
      }
    },
  };
}

type StreamOptions = {
  agent: http.Agent | undefined;
  headers: Record<string, string>;
  signal: AbortSignal;
  openTimeoutMs: number;
  deadlineMs: number;
  handlers: WatchHandlers;
};

/** An answer other than 200, shaped like client-node's ApiException so that toKubernetesError classifies it. */
class WatchHttpError extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(`watch answered HTTP ${code}`);
  }
}

function timeoutError(message: string): Error {
  const error = new Error(message);
  error.name = "TimeoutError";
  return error;
}

/** One watch request: resolves when the server ends the stream, rejects on errors, timeouts and `signal`. */
function streamWatch(url: URL, options: StreamOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const controller = new AbortController();
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(openTimer);
      clearTimeout(deadlineTimer);
      options.signal.removeEventListener("abort", onAbort);
      if (error === undefined) resolve();
      else reject(error);
      controller.abort();
    };
    const onAbort = () => finish(options.signal.reason ?? new DOMException("The watch was stopped", "AbortError"));
    const openTimer = setTimeout(() => finish(timeoutError("the watch got no answer in time")), options.openTimeoutMs);
    const deadlineTimer = setTimeout(() => finish(timeoutError("the watch outlived its deadline")), options.deadlineMs);
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener("abort", onAbort);

    const send = url.protocol === "https:" ? https.request : http.request;
    const request = send(url, { method: "GET", agent: options.agent, headers: options.headers, signal: controller.signal }, (response) => {
      clearTimeout(openTimer);
      response.setEncoding("utf8");
      if (response.statusCode !== 200) {
        let body = "";
        response.on("data", (chunk: string) => {
          if (body.length < 65_536) body += chunk;
        });
        response.on("end", () => finish(new WatchHttpError(response.statusCode ?? 0, body)));
        response.on("error", finish);
        return;
      }
      options.handlers.onOpen();
      let buffer = "";
      response.on("data", (chunk: string) => {
        buffer += chunk;
        for (let newline = buffer.indexOf("\n"); newline >= 0; newline = buffer.indexOf("\n")) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line === "" || settled) continue;
          let event: WatchEvent;
          try {
            event = JSON.parse(line) as WatchEvent;
          } catch {
            return finish(new Error(`the watch sent a line that is not JSON: ${line.slice(0, 200)}`));
          }
          options.handlers.onEvent(event);
        }
      });
      response.on("end", () => finish());
      response.on("error", finish);
      // A connection cut mid-stream ends the response without "end"; treat it as the end of the stream.
      response.on("close", () => finish());
    });
    // The watch alone must not keep a process alive (a script, a test runner); the server's listener does that.
    request.on("socket", (socket) => socket.unref());
    request.on("error", finish);
    request.end();
  });
}
