import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { NoClusterNotice } from "@/components/no-cluster-notice";
import Link from "next/link";
import { hasRole } from "@/lib/auth/roles";
import { loadClusterContext } from "../current-cluster";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

const CONNECTION_LABELS = {
  sandbox: "Sandbox cluster (kubeconfig written by the sandbox)",
  kubeconfig: "Kubeconfig context",
  "in-cluster": "In-cluster service account",
} as const;

export default async function SettingsPage() {
  const { clusters, principal } = await loadClusterContext();
  const isAdmin = hasRole(principal.grants, "*", "admin");
  return (
    <>
      <PageHeader title="Settings" description="Registered clusters and where Coredeck finds CoreDNS in each." />
      <nav aria-label="Settings" className="mb-4 flex flex-wrap gap-3 text-sm">
        <Link className="underline" href="/settings/tokens">
          API tokens
        </Link>
        {isAdmin ? (
          <Link className="underline" href="/settings/access">
            Access (users and roles)
          </Link>
        ) : null}
        {principal.method === "local" ? (
          <Link className="underline" href="/account/password">
            Change password
          </Link>
        ) : null}
      </nav>
      {clusters.length === 0 ? (
        <NoClusterNotice />
      ) : (
        <Card title="Clusters">
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Registered clusters</caption>
              <thead className="text-xs text-slate-500 dark:text-slate-400">
                <tr>
                  <th scope="col" className="pb-2 pr-4 font-medium">Name</th>
                  <th scope="col" className="pb-2 pr-4 font-medium">Connection</th>
                  <th scope="col" className="pb-2 pr-4 font-medium">Corefile</th>
                  <th scope="col" className="pb-2 font-medium">CoreDNS pods</th>
                </tr>
              </thead>
              <tbody>
                {clusters.map((cluster) => (
                  <tr key={cluster.id} className="border-t border-slate-100 align-top dark:border-slate-800">
                    <td className="py-2 pr-4 font-medium">{cluster.name}</td>
                    <td className="py-2 pr-4">
                      {CONNECTION_LABELS[cluster.connection]}
                      {cluster.kubeconfigPath ? (
                        <span className="block font-mono text-xs text-slate-500 dark:text-slate-400">
                          {cluster.kubeconfigPath}
                          {cluster.kubeconfigContext ? ` · context ${cluster.kubeconfigContext}` : ""}
                        </span>
                      ) : null}
                    </td>
                    <td className="py-2 pr-4 font-mono text-xs">
                      {cluster.configMapNamespace}/{cluster.configMapName} · {cluster.configMapKey}
                    </td>
                    <td className="py-2 font-mono text-xs">{cluster.podLabelSelector}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-4 text-xs text-slate-600 dark:text-slate-400">
            Clusters are registered from the environment at start-up (every context of <code>KUBECONFIG</code>, the pod&apos;s
            own cluster when running inside one) and by <code>npm run demo</code> for the sandbox. Editing these settings in
            the browser comes with access control, so that only administrators can change them.
          </p>
        </Card>
      )}
    </>
  );
}
