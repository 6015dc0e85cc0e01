/**
 * The API server's proxy subresource for the simulated CoreDNS pods:
 * `/api/v1/namespaces/kube-system/pods/<pod>:9153/proxy/metrics` (also `http:<pod>:9153`, and
 * `<pod>/proxy/metrics` without a port), `:8080/health` and `:8181/ready`, plus
 * `services/kube-dns:metrics/proxy/metrics`, which lands on one of the pods. Anything else answers
 * as the real proxy would: the upstream's own 404 text, or a 503 Status when nothing listens.
 */
import type { ServerResponse } from "node:http";
import { sendText } from "./http";
import { METRICS_CONTENT_TYPE } from "./metrics";
import type { CoreDnsFleet } from "./pods";
import type { RequestInfo } from "./request-info";
import { ApiError, failure, notFound, pathNotFound } from "./status";
import type { Store } from "./store";

type Target = { scheme: string; name: string; port?: string };

/** Splits `[scheme:]name[:port]`, the form the proxy subresource takes. */
export function parseProxyName(raw: string): Target {
  const parts = raw.split(":");
  if (parts.length >= 3) return { scheme: parts[0]!, name: parts[1]!, port: parts[2] || undefined };
  if (parts.length === 2) {
    if (parts[0] === "http" || parts[0] === "https") return { scheme: parts[0], name: parts[1]! };
    return { scheme: "http", name: parts[0]!, port: parts[1] || undefined };
  }
  return { scheme: "http", name: raw };
}

function unreachable(address: string, port: string): ApiError {
  return new ApiError(failure(503, "ServiceUnavailable", `error trying to reach service: dial tcp ${address}:${port}: connect: connection refused`));
}

/** Named container ports of the CoreDNS pods, as the proxy resolves them. */
const NAMED_PORTS: Record<string, string> = { metrics: "9153", dns: "53", "dns-tcp": "53" };

/** Serves what a CoreDNS pod would answer on `port` and `path`. */
function servePod(fleet: CoreDnsFleet, res: ServerResponse, podName: string, ip: string, scheme: string, port: string, path: string): void {
  if (scheme === "https" && ["9153", "8080", "8181"].includes(port)) {
    throw new ApiError(failure(503, "ServiceUnavailable", "error trying to reach service: tls: first record does not look like a TLS handshake"));
  }
  // A crash-looping container listens on nothing.
  if (!fleet.isServing(podName)) throw unreachable(ip, port);
  const notFoundText = () => sendText(res, 404, "404 page not found\n");
  switch (port) {
    case "9153":
      if (path === "metrics") {
        sendText(res, 200, fleet.metrics(podName) ?? "", METRICS_CONTENT_TYPE);
        return;
      }
      return notFoundText();
    case "8080":
      return path === "health" ? sendText(res, 200, "OK") : notFoundText();
    case "8181":
      return path === "ready" ? sendText(res, 200, "OK") : notFoundText();
    default:
      throw unreachable(ip, port);
  }
}

/** Handles a `proxy` request for pods or services. */
export function handleProxy(store: Store, fleet: CoreDnsFleet, res: ServerResponse, info: RequestInfo): void {
  if (!info.name || !info.namespace) throw pathNotFound();
  const target = parseProxyName(info.name);
  const path = info.proxyPath ?? "";

  if (info.resource === "pods") {
    const pod = store.get("pods", info.namespace, target.name);
    if (!pod) throw notFound("pods", target.name);
    const ip = String((pod.status as { podIP?: string } | undefined)?.podIP ?? "");
    // Without a port a real proxy dials port 80; the sandbox serves the metrics port instead (see README).
    const port = NAMED_PORTS[target.port ?? ""] ?? target.port ?? "9153";
    servePod(fleet, res, target.name, ip, target.scheme, port, path);
    return;
  }

  if (info.resource === "services") {
    const svc = store.get("services", info.namespace, target.name);
    if (!svc) throw notFound("services", target.name);
    const ports = ((svc.spec as { ports?: { name?: string; port: number; targetPort?: number | string }[] } | undefined)?.ports ?? []);
    const wanted = target.port ?? String(ports[0]?.port ?? "");
    const port = ports.find((p) => p.name === wanted || String(p.port) === wanted);
    if (!port) throw new ApiError(failure(503, "ServiceUnavailable", `no endpoints available for service "${target.name}"`));
    const selector = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {};
    const pods = store
      .list("pods", info.namespace)
      .filter((p) => Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v) && Object.keys(selector).length > 0)
      .filter((p) => fleet.isServing(p.metadata.name));
    const chosen = pods[Math.floor(Math.random() * pods.length)];
    if (!chosen) throw new ApiError(failure(503, "ServiceUnavailable", `no endpoints available for service "${target.name}"`));
    const ip = String((chosen.status as { podIP?: string } | undefined)?.podIP ?? "");
    servePod(fleet, res, chosen.metadata.name, ip, target.scheme, String(port.targetPort ?? port.port), path);
    return;
  }
  throw pathNotFound();
}
