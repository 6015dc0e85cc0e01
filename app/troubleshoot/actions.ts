"use server";

import { z } from "zod";
import { authorizeAction, clusterNameIn } from "@/lib/auth/guard";
import { findCluster } from "@/lib/clusters/clusters";
import { liveQuery } from "@/lib/dns/live-query";
import { toLiveQueryView, type LiveQueryView } from "@/lib/troubleshoot/live-view";
import { troubleshootQuerySchema } from "@/lib/troubleshoot/query-schema";
import { compareDraftWithLive, loadClusterKnowledge, loadLiveCorefile, type DraftComparison } from "@/lib/troubleshoot/troubleshoot";

type Failure = { ok: false; code: string; message: string };

const clusterNameSchema = z.string().trim().min(1).max(63);
const NO_CLUSTER: Failure = { ok: false, code: "NOT_FOUND", message: "That cluster is not registered any more. Pick another one." };

/**
 * Input of a live query: the cluster, an absolute or relative name and a type. There is deliberately no address:
 * the pods asked are the ones the Kubernetes API lists for the cluster.
 */
const queryPodsSchema = z.object({
  cluster: clusterNameSchema,
  name: troubleshootQuerySchema.shape.name,
  type: troubleshootQuerySchema.shape.type,
});

/** Asks each CoreDNS pod of the cluster over UDP and TCP (outside the cluster: says only explain is available). */
export async function queryPodsAction(input: unknown): Promise<LiveQueryView> {
  const auth = await authorizeAction({ cluster: clusterNameIn(input), role: "viewer" });
  if (!auth.ok) return auth;
  const parsed = queryPodsSchema.strict().safeParse(input);
  if (!parsed.success) return { ok: false, code: "INVALID", message: parsed.error.issues[0]?.message ?? "That query cannot be asked." };
  const cluster = await findCluster(parsed.data.cluster);
  if (!cluster) return NO_CLUSTER;
  return toLiveQueryView(await liveQuery(cluster, { name: parsed.data.name, type: parsed.data.type }));
}

const compareDraftSchema = z
  .object({
    cluster: clusterNameSchema,
    /** The draft as the editor holds it now (at most 1 MiB, like a saved draft). */
    draft: z.string().max(1024 * 1024, "The draft is larger than 1 MiB."),
    namespace: troubleshootQuerySchema.shape.namespace,
  })
  .strict();

/** The names whose path or answer the draft changes against the live Corefile (the editor's review step). */
export async function compareDraftAction(input: unknown): Promise<({ ok: true } & DraftComparison) | Failure> {
  const auth = await authorizeAction({ cluster: clusterNameIn(input), role: "viewer" });
  if (!auth.ok) return auth;
  const parsed = compareDraftSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "INVALID", message: parsed.error.issues[0]?.message ?? "That draft cannot be compared." };
  const cluster = await findCluster(parsed.data.cluster);
  if (!cluster) return NO_CLUSTER;
  const live = await loadLiveCorefile(cluster);
  // A ConfigMap that does not exist yet compares the draft with an empty Corefile (everything is new).
  if (!live.ok && live.code !== "NOT_FOUND") return { ok: false, code: live.code, message: `${live.message} The comparison needs the live Corefile; try again once the cluster answers.` };
  const knowledge = await loadClusterKnowledge(cluster);
  const comparison = compareDraftWithLive(parsed.data.draft, live.ok ? live.text : "", knowledge, { namespace: parsed.data.namespace });
  return { ok: true, ...comparison };
}
