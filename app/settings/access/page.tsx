import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { listRoleBindings, listUsers } from "@/lib/auth/accounts";
import { requirePageRole } from "@/lib/auth/guard";
import { getAuthConfig } from "@/lib/auth/principal";
import { listClusters } from "@/lib/clusters/clusters";
import { CreateUserForm, GrantRoleForm, RevokeRoleButton } from "./access-forms";

export const metadata: Metadata = { title: "Access" };
export const dynamic = "force-dynamic";

/** Users, and who holds which role where (users and groups). Admins only. */
export default async function AccessPage() {
  await requirePageRole("*", "admin");
  const [bindings, users, clusters] = await Promise.all([listRoleBindings(), listUsers(), listClusters()]);
  const config = getAuthConfig();
  return (
    <>
      <PageHeader
        title="Access"
        description="Roles per cluster: viewer reads everything, editor also applies and rolls back, admin also manages access, tokens and settings."
      />
      <div className="flex flex-col gap-6">
        <Card title="Role bindings">
          <table className="mb-4 w-full text-left text-sm" data-testid="binding-table">
            <caption className="sr-only">Role bindings</caption>
            <thead className="text-xs text-slate-500 dark:text-slate-400">
              <tr>
                <th scope="col" className="pb-2 pr-3 font-medium">Who</th>
                <th scope="col" className="pb-2 pr-3 font-medium">Cluster</th>
                <th scope="col" className="pb-2 pr-3 font-medium">Role</th>
                <th scope="col" className="pb-2 pr-3 font-medium">From</th>
                <th scope="col" className="pb-2 font-medium"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {bindings.map((binding) => {
                const label = `${binding.subjectType} ${binding.subjectLabel} (${binding.role} on ${binding.cluster})`;
                return (
                  <tr key={binding.id} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="py-1.5 pr-3">
                      <span className="text-xs text-slate-500 dark:text-slate-400">{binding.subjectType}</span> {binding.subjectLabel}
                    </td>
                    <td className="py-1.5 pr-3">{binding.cluster === "*" ? "all" : binding.cluster}</td>
                    <td className="py-1.5 pr-3">{binding.role}</td>
                    <td className="py-1.5 pr-3 text-xs">{binding.origin === "env" ? "COREDECK_ROLE_GROUPS" : binding.origin}</td>
                    <td className="py-1.5">
                      <RevokeRoleButton id={binding.id} label={label} isGlobalAdmin={binding.role === "admin" && binding.cluster === "*"} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <GrantRoleForm
            clusters={clusters.map((cluster) => cluster.name)}
            users={users.map((user) => ({ value: user.id, label: `${user.name} (${user.subject})` }))}
          />
        </Card>
        <Card title="People who signed in">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Users</caption>
            <thead className="text-xs text-slate-500 dark:text-slate-400">
              <tr>
                <th scope="col" className="pb-2 pr-3 font-medium">Name</th>
                <th scope="col" className="pb-2 pr-3 font-medium">Sign-in</th>
                <th scope="col" className="pb-2 pr-3 font-medium">Groups</th>
                <th scope="col" className="pb-2 font-medium">Last sign-in (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="py-1.5 pr-3">
                    {user.name}
                    {user.email ? <span className="block text-xs text-slate-500 dark:text-slate-400">{user.email}</span> : null}
                  </td>
                  <td className="py-1.5 pr-3 font-mono text-xs">{user.subject}</td>
                  <td className="py-1.5 pr-3 text-xs">{user.groups.join(", ")}</td>
                  <td className="py-1.5 font-mono text-xs">{user.lastSignInAt?.toISOString().replace("T", " ").slice(0, 16) ?? "never"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        {config.methods.includes("local") ? (
          <Card title="New local account">
            <CreateUserForm />
          </Card>
        ) : null}
      </div>
    </>
  );
}
