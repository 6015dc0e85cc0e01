"use server";

import { z } from "zod";
import { authorizeAction, clusterNameIn } from "@/lib/auth/guard";
import { findCluster } from "@/lib/clusters/clusters";
import { KubernetesError } from "@/lib/k8s/errors";
import { findDnsServices, type DnsServiceView, type MeshHint } from "@/lib/k8s/services";

type Failure = { ok: false; code: string; message: string };

/** What the forwarding recipe's Service picker needs of a DNS Service (no labels or annotations). */
export type DnsServiceOption = {
  namespace: string;
  name: string;
  type: string;
  clusterIPs: string[];
  dnsPort: number;
  dnsProtocols: string[];
  isHeadless: boolean;
  canForward: boolean;
  reason?: string;
  mesh?: MeshHint;
};

const findServicesSchema = z.object({ cluster: z.string().trim().min(1).max(63) });

/** The Service list may be long on a big cluster: give it longer than a single object read. */
const LIST_TIMEOUT_MS = 15_000;

/**
 * The cluster's Services that look like DNS servers, for the "forward a zone to a Service" recipe. Read-only; a
 * missing `list services` permission or an unreachable cluster comes back as a value with a message to act on.
 */
export async function findDnsServicesAction(input: unknown): Promise<{ ok: true; services: DnsServiceOption[] } | Failure> {
  const auth = await authorizeAction({ cluster: clusterNameIn(input), role: "viewer" });
  if (!auth.ok) return auth;
  const parsed = findServicesSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "No cluster was named." };
  const cluster = await findCluster(parsed.data.cluster);
  if (!cluster) return { ok: false, code: "NOT_FOUND", message: "That cluster is not registered any more. Pick another one." };
  try {
    const services = await findDnsServices(cluster, { timeoutMs: LIST_TIMEOUT_MS });
    return { ok: true, services: services.map(toOption) };
  } catch (error) {
    if (error instanceof KubernetesError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

function toOption(service: DnsServiceView): DnsServiceOption {
  return {
    namespace: service.namespace,
    name: service.name,
    type: service.type,
    clusterIPs: service.clusterIPs,
    dnsPort: service.dnsPort,
    dnsProtocols: service.dnsProtocols,
    isHeadless: service.isHeadless,
    canForward: service.canForward,
    ...(service.reason ? { reason: service.reason } : {}),
    ...(service.mesh ? { mesh: service.mesh } : {}),
  };
}
