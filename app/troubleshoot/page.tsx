import type { Metadata } from "next";
import { formatRecord, type ExplainTrace } from "@/lib/corefile";
import { canReachPodIps } from "@/lib/dns/live-query";
import { getDraft } from "@/lib/drafts/drafts";
import { listPresets } from "@/lib/troubleshoot/presets";
import { queryFromSearchParams, troubleshootHref } from "@/lib/troubleshoot/query-schema";
import { compareDraftWithLive, explainWith, loadClusterKnowledge, loadLiveCorefile, nameToQueryLive } from "@/lib/troubleshoot/troubleshoot";
import { NoClusterNotice } from "@/components/no-cluster-notice";
import { DraftChanges } from "@/components/troubleshoot/draft-changes";
import { QueryForm } from "@/components/troubleshoot/query-form";
import { TraceView } from "@/components/troubleshoot/trace-view";
import type { LivePrediction } from "@/components/troubleshoot/live-results";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { loadClusterContext } from "../current-cluster";
import { LivePanel } from "./live-panel";

export const metadata: Metadata = { title: "Troubleshoot" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** What the pods should answer according to the trace (forwarded and unknown replies are not predictions). */
function predictionOf(trace: ExplainTrace): LivePrediction {
  const f = trace.final;
  const isStatic = f.kind !== "forwarded" && f.kind !== "unknown";
  const records = (f.records ?? []).map(formatRecord);
  const summary = isStatic
    ? `${f.rcode ?? f.kind}${records.length > 0 ? `: ${(f.records ?? []).map((r) => r.data).join(", ")}` : ""}`
    : f.kind === "forwarded"
      ? "the reply comes from the upstream servers (the sandbox's pods answer SERVFAIL for it)"
      : "cannot be known statically";
  return { ...(f.rcode ? { rcode: f.rcode } : {}), records, isStatic, summary };
}

export default async function TroubleshootPage({ searchParams }: { searchParams: SearchParams }) {
  const { current, principal } = await loadClusterContext();
  if (!current) return <NoClusterNotice />;
  const params = await searchParams;
  const { query, error } = queryFromSearchParams(params);
  const compare = (Array.isArray(params.compare) ? params.compare[0] : params.compare) === "draft";

  const [live, knowledge] = await Promise.all([loadLiveCorefile(current), loadClusterKnowledge(current)]);
  const presets = listPresets(live.ok ? live.text : undefined, knowledge.data);
  const trace = query && live.ok ? explainWith(live.text, query, knowledge) : undefined;

  const draft = await getDraft(current.id, principal.id);
  // The editor opens the draft when there is one: line links of the live trace would point into another text.
  const canLinkLive = !draft || (live.ok && draft.text === live.text);
  const draftTrace = compare && draft && query ? explainWith(draft.text, query, knowledge) : undefined;
  const comparison = compare && draft && live.ok ? compareDraftWithLive(draft.text, live.text, knowledge, { ...(query ? { extra: [query], namespace: query.namespace } : {}) }) : undefined;

  const canQuery = canReachPodIps(current);
  const outOfCluster = canQuery
    ? undefined
    : `Live query needs Coredeck to run inside the cluster: it sends DNS straight to each CoreDNS pod's IP, which only the pod network reaches, and Coredeck reaches "${current.name}" through a kubeconfig from outside. Only explain is available here.`;

  return (
    <>
      <PageHeader
        title="Troubleshoot"
        description={
          <>
            How the Corefile of <strong>{current.name}</strong> resolves a name, and why; what each CoreDNS pod really answers; what your draft would change.
          </>
        }
      />
      <div className="flex flex-col gap-6">
        <QueryForm {...(query ? { query } : {})} {...(error ? { error } : {})} presets={presets} compare={compare} />
        {!live.ok ? (
          <Alert tone="error" title="The live Corefile could not be read">
            {live.message} The explanation needs it; check the cluster in Settings and try again.
          </Alert>
        ) : null}
        {knowledge.notes.length > 0 ? (
          <Alert tone="warning" title="Some cluster data is missing">
            <ul className="list-disc pl-5">
              {knowledge.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          </Alert>
        ) : null}
        {!query && !error ? <p className="text-sm text-slate-700 dark:text-slate-300">Type a name, or pick one of the common questions above.</p> : null}
        {trace && query ? (
          <div className="grid gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
            <Card title={draftTrace ? "Live Corefile" : "Explanation"}>
              {canLinkLive ? null : (
                <p className="mb-3 text-xs text-slate-600 dark:text-slate-400">
                  The editor opens your draft, so the steps here do not link to it; use “Compare with my draft” for links into the draft.
                </p>
              )}
              <TraceView trace={trace} label="Explanation against the live Corefile" linkToEditor={canLinkLive} />
            </Card>
            <div className="flex flex-col gap-6">
              <Card title="Each pod's answer">
                <LivePanel cluster={current.name} name={nameToQueryLive(trace)} type={query.type} prediction={predictionOf(trace)} {...(outOfCluster ? { outOfCluster } : {})} />
              </Card>
              {compare ? (
                <Card title="Compared with your draft">
                  {!draft ? (
                    <p className="text-sm text-slate-700 dark:text-slate-300">You have no draft for this cluster. Edit the Corefile in the editor; your draft is saved as you type.</p>
                  ) : comparison ? (
                    <DraftChanges changes={comparison.changes} checked={comparison.checked} hrefOf={(c) => troubleshootHref({ name: c.name, type: c.type, namespace: query.namespace }, { compare: "draft" })} />
                  ) : null}
                </Card>
              ) : null}
              {draftTrace ? (
                <Card title="Your draft">
                  <TraceView trace={draftTrace} label="Explanation against your draft" />
                </Card>
              ) : null}
            </div>
          </div>
        ) : null}
        {!query && comparison ? (
          <Card title="Compared with your draft">
            <DraftChanges changes={comparison.changes} checked={comparison.checked} hrefOf={(c) => troubleshootHref({ name: c.name, type: c.type, namespace: "default" }, { compare: "draft" })} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
