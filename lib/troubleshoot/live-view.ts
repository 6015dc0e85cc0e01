/**
 * A live query's per-pod results as plain text fields (records in presentation form, flags as names), so they can
 * cross from a Server Action to the browser and be compared with the explainer's prediction.
 */
import type { LiveQueryResult } from "@/lib/dns/live-query";
import { presentFlags, presentRecord } from "@/lib/dns/present";

export type LivePodView = {
  pod: string;
  transport: "udp" | "tcp";
  target?: string;
  rcode?: string;
  flags: string[];
  answers: string[];
  authority: string[];
  latencyMs?: number;
  error?: { code: string; message: string };
};

export type LiveQueryView =
  | { ok: true; cluster: string; name: string; type: string; queriedAt: string; pods: LivePodView[] }
  | { ok: false; code: string; message: string };

export function toLiveQueryView(result: LiveQueryResult): LiveQueryView {
  if (!result.ok) return { ok: false, code: result.code, message: result.message };
  return {
    ok: true,
    cluster: result.cluster,
    name: result.name,
    type: result.type,
    queriedAt: result.queriedAt,
    pods: result.results.map((r) => ({
      pod: r.pod,
      transport: r.transport,
      ...(r.target ? { target: r.target } : {}),
      ...(r.rcodeName ? { rcode: r.rcodeName } : {}),
      flags: r.flags ? presentFlags(r.flags) : [],
      answers: r.answers.map(presentRecord),
      authority: r.authority.map(presentRecord),
      ...(r.latencyMs !== undefined ? { latencyMs: Math.round(r.latencyMs * 10) / 10 } : {}),
      ...(r.error ? { error: r.error } : {}),
    })),
  };
}

/**
 * Whether a pod's reply is what explain predicted: the same rcode (forwarded or unknown: the sandbox's SERVFAIL is
 * not a prediction, so anything matches) and the same records, ignoring the owner name's case.
 */
export function matchesPrediction(pod: LivePodView, predicted: { rcode?: string; records: string[]; isStatic: boolean }): boolean | undefined {
  if (!predicted.isStatic || pod.error) return undefined;
  // The owner's case may differ; the explainer leaves an SOA serial open.
  const norm = (rs: readonly string[]) =>
    rs
      .map((r) => r.replace(/^\S+/, (n) => n.toLowerCase()).replace(/( SOA \S+ \S+ )\S+/, "$1*"))
      .sort()
      .join("\n");
  return pod.rcode === predicted.rcode && norm(pod.answers) === norm(predicted.records);
}
