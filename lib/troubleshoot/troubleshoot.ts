import "server-only";
import { clusterDataFromObjects, compareExplain, explainQuery, proposeNames, type ClusterData, type ClusterObjects, type ExplainTrace, type FinalOutcome } from "@/lib/corefile";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { readCorefile } from "@/lib/k8s/corefile-configmap";
import { listClusterObjects } from "@/lib/k8s/cluster-objects";
import { KubernetesError } from "@/lib/k8s/errors";
import { corefileLocationOf } from "@/lib/revisions/apply-corefile";
import type { TroubleshootQuery } from "./query-schema";

/** What the explainer knows about a cluster, and what it could not read (in plain words). */
export type ClusterKnowledge = { data?: ClusterData; notes: string[] };

/**
 * The cluster data the kubernetes plugin answers from, read through the API. Never throws: without Services the
 * explainer still runs, and a note says its kubernetes answers are unknown.
 */
export async function loadClusterKnowledge(cluster: ClusterSummary): Promise<ClusterKnowledge> {
  try {
    const lists = await listClusterObjects(cluster);
    return { data: clusterDataFromObjects(lists as unknown as ClusterObjects), notes: lists.missing };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { notes: [`The Services could not be listed, so the kubernetes plugin's answers are unknown: ${message}`] };
  }
}

/** The live Corefile, or why it cannot be read. */
export type LiveCorefileResult = { ok: true; text: string; resourceVersion: string } | { ok: false; code: string; message: string };

export async function loadLiveCorefile(cluster: ClusterSummary): Promise<LiveCorefileResult> {
  try {
    const live = await readCorefile(cluster, corefileLocationOf(cluster));
    return { ok: true, text: live.text, resourceVersion: live.resourceVersion };
  } catch (error) {
    if (error instanceof KubernetesError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

/** Explains a question against a Corefile text with the cluster's data and the client's namespace. */
export function explainWith(corefileText: string, query: TroubleshootQuery, knowledge: ClusterKnowledge): ExplainTrace {
  return explainQuery(corefileText, { name: query.name, type: query.type }, {
    ...(query.namespace ? { clientNamespace: query.namespace } : {}),
    ...(knowledge.data ? { cluster: knowledge.data } : {}),
  });
}

/** The absolute name a live query should send for a trace: the one whose reply the resolver returns, else the first. */
export function nameToQueryLive(trace: ExplainTrace): string {
  const decided = trace.final.candidate ?? trace.candidates.find((c) => c.asked)?.name ?? trace.candidates[0]?.name ?? trace.query.name;
  return decided;
}

/** One name whose path or answer a draft changes. */
export type DraftChange = {
  name: string;
  type: string;
  /** Why this name was asked about. */
  reason: string;
  summary: string;
  pathDiffers: boolean;
  answerDiffers: boolean;
  live: Pick<FinalOutcome, "kind" | "rcode" | "detail" | "plugin"> & { records: string[] };
  draft: Pick<FinalOutcome, "kind" | "rcode" | "detail" | "plugin"> & { records: string[] };
};

export type DraftComparison = { checked: number; changes: DraftChange[] };

function outcomeView(f: FinalOutcome): DraftChange["live"] {
  return {
    kind: f.kind,
    ...(f.rcode ? { rcode: f.rcode } : {}),
    ...(f.plugin ? { plugin: f.plugin } : {}),
    detail: f.detail,
    records: (f.records ?? []).map((r) => `${r.name} ${r.ttl} ${r.class} ${r.type} ${r.data}`),
  };
}

/**
 * The names whose path or answer a draft changes against the live Corefile: the names `proposeNames` finds in
 * either text and the cluster data, plus `extra` questions (the one on the troubleshoot page), explained from the
 * client namespace `namespace`.
 */
export function compareDraftWithLive(draftText: string, liveText: string, knowledge: ClusterKnowledge, options: { extra?: TroubleshootQuery[]; namespace?: string } = {}): DraftComparison {
  const proposed = proposeNames(draftText, liveText, knowledge.data ? { cluster: knowledge.data } : {});
  const queries = [...(options.extra ?? []).map((q) => ({ name: q.name, type: q.type, reason: "your question" })), ...proposed];
  const seen = new Set<string>();
  const unique = queries.filter((q) => {
    const k = `${q.name.toLowerCase()}/${q.type}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const context = { clientNamespace: options.namespace ?? "default", ...(knowledge.data ? { cluster: knowledge.data } : {}) };
  const result = compareExplain(draftText, liveText, unique.map((q) => ({ name: q.name, type: q.type })), context);
  const changes = result.results.flatMap((r, i) =>
    r.pathDiffers || r.answerDiffers
      ? [{ name: r.query.name, type: r.query.type, reason: unique[i]!.reason, summary: r.summary, pathDiffers: r.pathDiffers, answerDiffers: r.answerDiffers, live: outcomeView(r.live.final), draft: outcomeView(r.draft.final) }]
      : [],
  );
  return { checked: unique.length, changes };
}
