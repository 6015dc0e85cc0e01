import type { Metadata } from "next";
import { forbiddenMessage } from "@/lib/auth/check-role";
import { hasRole } from "@/lib/auth/roles";
import { getDraft } from "@/lib/drafts/drafts";
import { readCorefile } from "@/lib/k8s/corefile-configmap";
import { KubernetesError, toErrorView, type KubernetesErrorView } from "@/lib/k8s/errors";
import { corefileLocationOf } from "@/lib/revisions/apply-corefile";
import { PageHeader } from "@/components/ui/page-header";
import { NoClusterNotice } from "@/components/no-cluster-notice";
import { KubernetesErrorPanel } from "@/components/kubernetes-error-panel";
import { loadClusterContext } from "../current-cluster";
import { EditorWorkspace, type LiveState } from "./editor-workspace";
import { readSelection } from "./selection";

export const metadata: Metadata = { title: "Editor" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function EditorPage({ searchParams }: { searchParams: SearchParams }) {
  const { current, principal } = await loadClusterContext();
  if (!current) return <NoClusterNotice />;
  const canEdit = hasRole(principal.grants, current.name, "editor");
  // `?line=N&column=M` (and optionally `endLine`, `endColumn`): a link to a directive (from the troubleshoot page).
  const selection = readSelection(await searchParams);
  const location = corefileLocationOf(current);

  let live: LiveState = null;
  let liveError: KubernetesErrorView | null = null;
  try {
    const corefile = await readCorefile(current, location);
    live = { text: corefile.text, resourceVersion: corefile.resourceVersion };
  } catch (error) {
    if (!(error instanceof KubernetesError)) throw error;
    liveError = toErrorView(error);
  }
  const draft = canEdit ? await getDraft(current.id, principal.id) : null;
  const isMissing = liveError?.code === "NOT_FOUND" && liveError.status === 404;

  return (
    <>
      <PageHeader
        title="Editor"
        description={
          <>
            Cluster <strong>{current.name}</strong> · ConfigMap <code>{`${location.namespace}/${location.name}`}</code>, key{" "}
            <code>{location.key}</code>
          </>
        }
      />
      {liveError && !isMissing ? (
        <div className="mb-4">
          <KubernetesErrorPanel error={liveError} />
          {draft ? <p className="mt-2 text-sm">Your draft is safe and shown below; apply once the cluster answers again.</p> : null}
        </div>
      ) : null}
      {liveError && !isMissing && !draft ? null : (
        <EditorWorkspace
          key={current.name}
          cluster={current.name}
          location={`${location.namespace}/${location.name}`}
          live={live}
          isConfigMapMissing={isMissing}
          readOnlyReason={canEdit ? null : forbiddenMessage(principal, current.name, "editor")}
          initialSelection={selection}
          draft={
            draft
              ? {
                  text: draft.text,
                  baseText: draft.baseText,
                  baseResourceVersion: draft.baseResourceVersion,
                  updatedAt: draft.updatedAt.toISOString(),
                }
              : null
          }
        />
      )}
    </>
  );
}
