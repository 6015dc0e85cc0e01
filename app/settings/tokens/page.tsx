import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { listUsers } from "@/lib/auth/accounts";
import { requirePageRole } from "@/lib/auth/guard";
import { hasRole, ROLE_DESCRIPTIONS, ROLES, roleOn, rankOf } from "@/lib/auth/roles";
import { listApiTokens } from "@/lib/auth/tokens";
import { listClusters } from "@/lib/clusters/clusters";
import { CreateTokenForm, RevokeTokenButton } from "./token-forms";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

function formatDate(date: Date | null): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 16) : "";
}

/** API tokens: one's own (admins: everyone's), creation and revocation. */
export default async function TokensPage() {
  const principal = await requirePageRole("any", "viewer");
  const isAdmin = hasRole(principal.grants, "*", "admin");
  const [tokens, clusters, users] = await Promise.all([
    listApiTokens(isAdmin ? {} : { userId: principal.id }),
    listClusters(),
    isAdmin ? listUsers() : Promise.resolve(null),
  ]);
  const visibleClusters = clusters.filter((cluster) => hasRole(principal.grants, cluster.name, "viewer")).map((cluster) => cluster.name);
  const bestRole = principal.grants.reduce((best, grant) => (rankOf(grant.role) > rankOf(best) ? grant.role : best), roleOn([], "*"));
  const roles = ROLES.filter((role) => isAdmin || rankOf(role) <= rankOf(bestRole)).map((role) => ({ value: role, label: `${role} (${ROLE_DESCRIPTIONS[role]})` }));

  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          <>
            For scripts and CI: send <code>Authorization: Bearer cdk_…</code> to the REST API. A token acts as its owner and
            never does more than they may.
          </>
        }
      />
      <div className="flex flex-col gap-6">
        <Card title="New token">
          <CreateTokenForm
            clusters={visibleClusters}
            roles={roles}
            users={users ? users.filter((user) => user.id !== principal.id).map((user) => ({ value: user.id, label: `${user.name} (${user.subject})` })) : null}
          />
        </Card>
        <Card title={isAdmin ? "All tokens" : "Your tokens"}>
          {tokens.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">No token yet.</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm" data-testid="token-table">
                <caption className="sr-only">API tokens</caption>
                <thead className="text-xs text-slate-500 dark:text-slate-400">
                  <tr>
                    <th scope="col" className="pb-2 pr-3 font-medium">Name</th>
                    <th scope="col" className="pb-2 pr-3 font-medium">Owner</th>
                    <th scope="col" className="pb-2 pr-3 font-medium">Scope</th>
                    <th scope="col" className="pb-2 pr-3 font-medium">Created (UTC)</th>
                    <th scope="col" className="pb-2 pr-3 font-medium">Expires</th>
                    <th scope="col" className="pb-2 pr-3 font-medium">Last used</th>
                    <th scope="col" className="pb-2 font-medium">State</th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.map((token) => {
                    return (
                      <tr key={token.id} className="border-t border-slate-100 align-top dark:border-slate-800">
                        <td className="py-1.5 pr-3">
                          {token.name}
                          <span className="block font-mono text-xs text-slate-500 dark:text-slate-400">{token.prefix}…</span>
                        </td>
                        <td className="py-1.5 pr-3">{token.userName}</td>
                        <td className="py-1.5 pr-3">
                          {token.role} on {token.clusters.includes("*") ? "all clusters" : token.clusters.join(", ")}
                        </td>
                        <td className="py-1.5 pr-3 font-mono text-xs">
                          {formatDate(token.createdAt)}
                          <span className="block font-sans">by {token.createdBy}</span>
                        </td>
                        <td className="py-1.5 pr-3 font-mono text-xs">{token.expiresAt ? formatDate(token.expiresAt) : "never"}</td>
                        <td className="py-1.5 pr-3 font-mono text-xs">{token.lastUsedAt ? formatDate(token.lastUsedAt) : "never"}</td>
                        <td className="py-1.5">
                          {token.revokedAt ? (
                            <span>revoked {formatDate(token.revokedAt)} by {token.revokedBy}</span>
                          ) : token.isExpired ? (
                            <span>expired</span>
                          ) : (
                            <RevokeTokenButton id={token.id} name={token.name} />
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
