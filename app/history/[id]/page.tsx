import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { notFound } from "next/navigation";
import { forbiddenMessage } from "@/lib/auth/check-role";
import { getPrincipal, requirePageRole } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/roles";
import { listClusters } from "@/lib/clusters/clusters";
import { readCorefile } from "@/lib/k8s/corefile-configmap";
import { KubernetesError } from "@/lib/k8s/errors";
import { corefileLocationOf } from "@/lib/revisions/apply-corefile";
import { getRolloutStatus } from "@/lib/metrics/rollout";
import { getRevision as readRevision, listRevisions } from "@/lib/revisions/revisions";
import { PageHeader } from "@/components/ui/page-header";
import { Alert } from "@/components/ui/alert";
import { RevisionTime } from "@/components/history/revision-time";
import { SourceBadge } from "@/components/history/source-badge";
import { RolloutStatus } from "@/components/history/rollout-status";
import { RevisionRollout } from "./revision-rollout";
import { RevisionWorkspace, type LiveCorefileView } from "./revision-workspace";

export const dynamic = "force-dynamic";

/** One read per revision per request: the metadata and the page both need it. */
const getRevision = cache((id: string) => readRevision(id));

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  // Nothing about a revision before sign-in, not even its number in the title.
  if (!(await getPrincipal())) return { title: "Revision" };
  const revision = await getRevision((await params).id);
  return { title: revision ? `Revision ${revision.number}` : "Revision not found" };
}

/** How many revisions the "compare with" list offers (the newest). */
const COMPARE_CHOICES = 200;

export default async function RevisionPage({ params, searchParams }: { params: Params; searchParams: Promise<{ restored?: string }> }) {
  await requirePageRole("any", "viewer");
  const justRestored = (await searchParams).restored === "1";
  const revision = await getRevision((await params).id);
  if (!revision) notFound();
  // A permalink works whichever cluster is selected: the revision says whose it is.
  const cluster = (await listClusters()).find((candidate) => candidate.id === revision.clusterId);
  if (!cluster) notFound();
  const principal = await requirePageRole(cluster.name, "viewer");
  const canRollBack = hasRole(principal.grants, cluster.name, "editor");

  const [parent, restoredFrom, recent, rollout] = await Promise.all([
    revision.parentId ? getRevision(revision.parentId) : null,
    revision.restoredFromId ? getRevision(revision.restoredFromId) : null,
    listRevisions(cluster.id, { limit: COMPARE_CHOICES }),
    getRolloutStatus(cluster.id, revision.id),
  ]);
  let live: LiveCorefileView;
  try {
    const corefile = await readCorefile(cluster, corefileLocationOf(cluster));
    live = { ok: true, text: corefile.text, resourceVersion: corefile.resourceVersion };
  } catch (error) {
    if (!(error instanceof KubernetesError)) throw error;
    live = { ok: false, message: error.message };
  }
  const location = corefileLocationOf(cluster);
  const apiBase = `/api/v1/clusters/${encodeURIComponent(cluster.name)}/revisions/${encodeURIComponent(revision.id)}`;

  return (
    <>
      <PageHeader
        title={`Revision ${revision.number}`}
        description={
          <>
            Cluster <strong>{cluster.name}</strong> · ConfigMap <code>{`${location.namespace}/${location.name}`}</code>, key{" "}
            <code>{location.key}</code> ·{" "}
            <Link className="underline" href="/history">
              History
            </Link>
          </>
        }
      >
        <div className="flex gap-2">
          <a className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800" href={`${apiBase}?format=corefile`} download>
            Download Corefile
          </a>
          <a className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800" href={`${apiBase}?format=configmap`} download>
            Download ConfigMap YAML
          </a>
        </div>
      </PageHeader>

      {justRestored && restoredFrom ? (
        <div className="mb-4">
          <Alert tone="info" title={`Rolled back to revision ${restoredFrom.number}`}>
            <p>
              The ConfigMap holds revision {restoredFrom.number}&apos;s Corefile again, recorded here as revision {revision.number}. CoreDNS
              pods pick it up after the kubelet syncs the ConfigMap (about a minute) and the reload plugin&apos;s next check.
            </p>
          </Alert>
        </div>
      ) : null}
      <dl className="mb-6 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]" data-testid="revision-facts">
        <dt className="font-medium text-slate-600 dark:text-slate-400">When</dt>
        <dd>
          <RevisionTime at={revision.createdAt} />
        </dd>
        <dt className="font-medium text-slate-600 dark:text-slate-400">Author</dt>
        <dd>{revision.author}</dd>
        <dt className="font-medium text-slate-600 dark:text-slate-400">Source</dt>
        <dd>
          <SourceBadge source={revision.source} />
          {restoredFrom ? (
            <>
              {" "}
              restores{" "}
              <Link className="underline" href={`/history/${restoredFrom.id}`}>
                revision {restoredFrom.number}
              </Link>
            </>
          ) : null}
        </dd>
        <dt className="font-medium text-slate-600 dark:text-slate-400">Message</dt>
        <dd className="break-words">{revision.message || "(no message)"}</dd>
        <dt className="font-medium text-slate-600 dark:text-slate-400">Lines</dt>
        <dd>
          +{revision.linesAdded} −{revision.linesRemoved}
          {parent ? (
            <>
              {" "}
              against{" "}
              <Link className="underline" href={`/history/${parent.id}`}>
                revision {parent.number}
              </Link>
            </>
          ) : null}
        </dd>
        <dt className="font-medium text-slate-600 dark:text-slate-400">resourceVersion</dt>
        <dd className="font-mono">
          {revision.resourceVersionBefore ?? "(none)"} → {revision.resourceVersionAfter}
          {live.ok && live.resourceVersion === revision.resourceVersionAfter ? (
            <span className="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 font-sans text-xs font-medium text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">live now</span>
          ) : null}
        </dd>
        <dt className="font-medium text-slate-600 dark:text-slate-400">Reload hash</dt>
        <dd className="break-all font-mono text-xs" title="What CoreDNS's reload plugin reports as coredns_reload_version_info once a pod runs this Corefile">
          {revision.reloadHash ?? "none: CoreDNS cannot parse this Corefile"}
        </dd>
        <dt className="font-medium text-slate-600 dark:text-slate-400">Rollout</dt>
        <dd>
          <RolloutStatus reloadHash={revision.reloadHash} rollout={rollout} previousRevisionId={parent?.id ?? null} />
        </dd>
      </dl>

      {revision.reloadHash !== null ? (
        <section aria-labelledby="rollout-heading" className="mb-8 rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800">
          <h2 id="rollout-heading" className="mb-2 text-lg font-semibold">
            Rollout per pod
          </h2>
          <RevisionRollout
            cluster={cluster.name}
            revision={{ id: revision.id, number: revision.number }}
            initial={rollout}
            previous={parent ? { id: parent.id, number: parent.number } : null}
            liveResourceVersion={live.ok ? live.resourceVersion : null}
          />
        </section>
      ) : null}

      <RevisionWorkspace
        cluster={cluster.name}
        revision={{ id: revision.id, number: revision.number, text: revision.text }}
        previous={parent ? { id: parent.id, number: parent.number, text: parent.text } : null}
        live={live}
        rollbackBlockedReason={canRollBack ? null : forbiddenMessage(principal, cluster.name, "editor")}
        choices={recent.revisions
          .filter((candidate) => candidate.id !== revision.id)
          .map((candidate) => ({ id: candidate.id, number: candidate.number, message: candidate.message }))}
      />
    </>
  );
}
