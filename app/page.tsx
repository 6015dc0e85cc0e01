import type { Metadata } from "next";
import Link from "next/link";
import { readClusterStatus } from "@/lib/clusters/cluster-status";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { CorefileView } from "@/components/corefile-view";
import { KubernetesErrorPanel } from "@/components/kubernetes-error-panel";
import { NoClusterNotice } from "@/components/no-cluster-notice";
import { HealthCard } from "@/components/metrics/health-card";
import { loadOverviewHealth } from "@/components/metrics/load-overview";
import { PodHealthTable } from "@/components/metrics/pod-health-table";
import { RecentChanges } from "@/components/history/recent-changes";
import { loadClusterContext } from "./current-cluster";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const { current } = await loadClusterContext();
  if (!current) return <NoClusterNotice />;

  const status = await readClusterStatus(current);
  const health = await loadOverviewHealth(current, status.corefile.ok ? status.corefile.value.text : null);
  const location = `${current.configMapNamespace}/${current.configMapName}`;

  return (
    <>
      <PageHeader
        title="Overview"
        description={
          <>
            Cluster <strong>{current.name}</strong> · ConfigMap <code>{location}</code>, key <code>{current.configMapKey}</code>
          </>
        }
      />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <Card
          title="Live Corefile"
          actions={
            status.corefile.ok ? (
              <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="resource-version">
                resourceVersion {status.corefile.value.resourceVersion}
              </span>
            ) : null
          }
        >
          {status.corefile.ok ? (
            <>
              <CorefileView text={status.corefile.value.text} label={`Corefile of ${current.name}`} />
              <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">
                {status.corefile.value.managers.length > 0
                  ? `Written by: ${status.corefile.value.managers.map((entry) => entry.manager).join(", ")}. `
                  : ""}
                {status.corefile.value.otherKeys.length > 0
                  ? `Other keys of this ConfigMap (always kept): ${status.corefile.value.otherKeys.join(", ")}.`
                  : ""}{" "}
                To change it, use the <Link className="underline" href="/editor">Editor</Link>.
              </p>
            </>
          ) : (
            <KubernetesErrorPanel error={status.corefile.error} />
          )}
        </Card>
        <div className="flex flex-col gap-6">
          <Card title="CoreDNS pods">
            {status.pods.ok ? (
              <PodHealthTable
                pods={status.pods.value}
                selector={current.podLabelSelector}
                podMetrics={health.podMetrics}
                isCollecting={health.collection.isCollecting}
              />
            ) : (
              <KubernetesErrorPanel error={status.pods.error} />
            )}
          </Card>
          <Card
            title="Recent changes"
            actions={
              <Link className="text-xs underline" href="/history">
                All history
              </Link>
            }
          >
            <RecentChanges clusterId={current.id} />
          </Card>
          <Card
            title="Health and rollout"
            actions={
              <Link className="text-xs underline" href="/metrics">
                Metrics
              </Link>
            }
          >
            <HealthCard health={health} />
          </Card>
        </div>
      </div>
    </>
  );
}
