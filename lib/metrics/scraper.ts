import "server-only";
import http from "node:http";
import https from "node:https";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { loadKubeConfig } from "@/lib/k8s/connection";
import { readStatusMessage } from "@/lib/k8s/errors";
import type { ScrapeTarget } from "./discovery";
import { userAgent } from "@/lib/k8s/user-agent";

export const DEFAULT_SCRAPE_TIMEOUT_MS = 5_000;
/** A CoreDNS page is 20-200 KB; anything near this is not a metrics page we should hold in memory. */
export const DEFAULT_MAX_SCRAPE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_SCRAPE_CONCURRENCY = 8;

/**
 * Why a scrape failed:
 * - `TIMEOUT`: no complete answer within the timeout (a hung pod or proxy);
 * - `TOO_LARGE`: the page exceeded the size limit; the transfer was aborted;
 * - `POD_GONE`: the API server no longer knows the pod (deleted between the list and the scrape);
 * - `HTTP_ERROR`: the pod or the proxy answered another status (e.g. 503 when nothing listens on the port);
 * - `UNREACHABLE`: the connection failed (or the kubeconfig could not be loaded).
 */
export type ScrapeErrorCode = "TIMEOUT" | "TOO_LARGE" | "POD_GONE" | "HTTP_ERROR" | "UNREACHABLE";

/** What a scrape brought back: the page, or why there is none. */
export type ScrapeOutcome = { ok: true; text: string; bytes: number } | { ok: false; code: ScrapeErrorCode; message: string; status?: number };

/** One pod's scrape: its outcome, when it started (epoch ms) and how long it took. */
export type ScrapeResult = ScrapeOutcome & { pod: string; startedAt: number; durationMs: number };

export type ScrapeOptions = {
  timeoutMs?: number;
  maxBytes?: number;
  concurrency?: number;
  /**
   * `direct`: `http://<podIP>:<port>/metrics` (needs the pod network: in-cluster); `proxy`: through the API server's
   * pod proxy. Default: direct for in-cluster connections, proxy otherwise.
   */
  via?: "direct" | "proxy";
  now?: () => number;
};

type HttpTarget = { url: URL; options: https.RequestOptions };

/** How one pod's page is requested: the URL and the TLS/auth options of the transport. */
type Transport = (target: ScrapeTarget) => HttpTarget;

function directTransport(): Transport {
  return ({ pod, port }) => {
    const host = pod.podIP!.includes(":") ? `[${pod.podIP}]` : pod.podIP!;
    return { url: new URL(`http://${host}:${port}/metrics`), options: {} };
  };
}

/** The API server's pod proxy, with the kubeconfig's credentials (CA, client certificate, token). */
async function proxyTransport(cluster: ClusterSummary): Promise<Transport> {
  const kubeConfig = loadKubeConfig(cluster);
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error(`the kubeconfig of cluster "${cluster.name}" names no server`);
  const options: https.RequestOptions = { headers: {} };
  await kubeConfig.applyToHTTPSOptions(options);
  const base = new URL(server);
  const prefix = base.pathname.replace(/\/+$/, "");
  return ({ pod, port }) => ({
    url: new URL(
      `${prefix}/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}:${port}/proxy/metrics`,
      base,
    ),
    options,
  });
}

/**
 * Fetches one page with a deadline and a size limit: the transfer is aborted as soon as either is exceeded.
 * Never throws; every failure is a result.
 */
function fetchPage(target: ScrapeTarget, request: HttpTarget, limits: { timeoutMs: number; maxBytes: number }, now: () => number): Promise<ScrapeResult> {
  const pod = target.pod.name;
  const startedAt = now();
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: ScrapeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, pod, startedAt, durationMs: Math.round(performance.now() - started) });
    };
    const client = request.url.protocol === "https:" ? https : http;
    const req = client.request(request.url, {
      ...request.options,
      method: "GET",
      headers: { ...request.options.headers, Accept: "text/plain;version=0.0.4;q=1,*/*;q=0.1", "User-Agent": userAgent() },
    });
    const timer = setTimeout(() => {
      finish({ ok: false, code: "TIMEOUT", message: `Pod ${pod} did not send its metrics within ${limits.timeoutMs} ms.` });
      req.destroy();
    }, limits.timeoutMs);
    const tooLarge = () => {
      finish({ ok: false, code: "TOO_LARGE", message: `Pod ${pod}'s metrics page is larger than ${limits.maxBytes} bytes; the scrape was aborted.` });
      req.destroy();
    };
    req.on("error", (error) => {
      finish({ ok: false, code: "UNREACHABLE", message: `Cannot reach pod ${pod}'s metrics (${(error as NodeJS.ErrnoException).code ?? error.message}).` });
    });
    req.on("response", (res) => {
      const declared = Number(res.headers["content-length"]);
      if (Number.isFinite(declared) && declared > limits.maxBytes) return tooLarge();
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > limits.maxBytes) return tooLarge();
        chunks.push(chunk);
      });
      res.on("error", () => finish({ ok: false, code: "UNREACHABLE", message: `The connection to pod ${pod} broke during the scrape.` }));
      res.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        if (status === 200) return finish({ ok: true, text: body, bytes });
        const detail = readStatusMessage(body) ?? `HTTP ${status}`;
        // Through the proxy, a 404 with a Status body means the API server no longer has the pod.
        const isPodGone = status === 404 && /^pods? "[^"]+" not found/.test(detail);
        finish({
          ok: false,
          code: isPodGone ? "POD_GONE" : "HTTP_ERROR",
          status,
          message: isPodGone ? `Pod ${pod} no longer exists.` : `Pod ${pod}'s metrics answered ${status}: ${detail.slice(0, 300)}`,
        });
      });
    });
    req.end();
  });
}

/**
 * Scrapes the pods' metrics pages, at most `concurrency` at a time, each with its own timeout and size limit. One
 * pod's failure never affects the others. Results are in the order of `targets`.
 */
export async function scrapePods(cluster: ClusterSummary, targets: readonly ScrapeTarget[], options: ScrapeOptions = {}): Promise<ScrapeResult[]> {
  const now = options.now ?? Date.now;
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_SCRAPE_TIMEOUT_MS, maxBytes: options.maxBytes ?? DEFAULT_MAX_SCRAPE_BYTES };
  const via = options.via ?? (cluster.connection === "in-cluster" ? "direct" : "proxy");
  let transport: Transport;
  try {
    transport = via === "direct" ? directTransport() : await proxyTransport(cluster);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return targets.map((t) => ({ pod: t.pod.name, ok: false as const, code: "UNREACHABLE" as const, message, startedAt: now(), durationMs: 0 }));
  }
  const results: ScrapeResult[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const index = next++;
      const target = targets[index]!;
      results[index] = await fetchPage(target, transport(target), limits, now);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_SCRAPE_CONCURRENCY, targets.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
