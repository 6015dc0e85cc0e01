"use client";

import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button-class";
import { fieldClass } from "@/components/ui/field-class";
import { RowActionButton } from "@/components/ui/row-action-button";
import { createUserAction, grantRoleAction, revokeRoleAction } from "./actions";

const labelClass = "flex flex-col gap-1 text-sm font-medium";

function Result({ state }: { state: Awaited<ReturnType<typeof grantRoleAction>> }) {
  if (!state) return null;
  if (!state.ok) return <Alert tone="error" title="Not changed">{state.message}</Alert>;
  return (
    <Alert tone="info" title={state.message}>
      {state.oneTimePassword ? (
        <p>
          One-time password (shown once; they choose their own at first sign-in): <code className="font-mono">{state.oneTimePassword}</code>
        </p>
      ) : null}
    </Alert>
  );
}

/** Grant a role to a user or group on one cluster or all. */
export function GrantRoleForm({ clusters, users }: { clusters: string[]; users: { value: string; label: string }[] }) {
  const [state, action, isPending] = useActionState(grantRoleAction, null);
  const [subjectType, setSubjectType] = useState<"group" | "user">("group");
  return (
    <form action={action} className="flex flex-col gap-3">
      <Result state={state} />
      <div className="flex flex-wrap items-end gap-3">
        <label className={labelClass}>
          Grant to
          <select name="subjectType" value={subjectType} onChange={(event) => setSubjectType(event.target.value as "group" | "user")} className={fieldClass}>
            <option value="group">a group</option>
            <option value="user">a user</option>
          </select>
        </label>
        {subjectType === "group" ? (
          <label className={labelClass}>
            Group (from OIDC or the proxy; * = everyone signed in)
            <input name="subject" required className={fieldClass} placeholder="platform-team" />
          </label>
        ) : (
          <label className={labelClass}>
            User
            <select name="subject" required className={fieldClass}>
              {users.map((user) => (
                <option key={user.value} value={user.value}>
                  {user.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className={labelClass}>
          Cluster
          <select name="cluster" defaultValue="*" className={fieldClass}>
            <option value="*">all clusters</option>
            {clusters.map((cluster) => (
              <option key={cluster} value={cluster}>
                {cluster}
              </option>
            ))}
          </select>
        </label>
        <label className={labelClass}>
          Role
          <select name="role" defaultValue="viewer" className={fieldClass}>
            <option value="viewer">viewer</option>
            <option value="editor">editor</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="submit" className={buttonClass("primary")} disabled={isPending}>
          {isPending ? "Granting…" : "Grant"}
        </button>
      </div>
    </form>
  );
}

/** Remove one binding. */
export function RevokeRoleButton({ id, label, isGlobalAdmin }: { id: string; label: string; isGlobalAdmin: boolean }) {
  return (
    <RowActionButton label="Remove" pendingLabel="Removing…" ariaLabel={`Remove ${label}`} run={() => revokeRoleAction({ id, isGlobalAdmin })} />
  );
}

/** Create a local account with a one-time password. */
export function CreateUserForm() {
  const [state, action, isPending] = useActionState(createUserAction, null);
  return (
    <form action={action} className="flex flex-col gap-3">
      <Result state={state} />
      <div className="flex flex-wrap items-end gap-3">
        <label className={labelClass}>
          Username
          <input name="username" required className={fieldClass} />
        </label>
        <label className={labelClass}>
          Display name
          <input name="name" className={fieldClass} />
        </label>
        <label className={labelClass}>
          Role on all clusters
          <select name="role" defaultValue="viewer" className={fieldClass}>
            <option value="viewer">viewer</option>
            <option value="editor">editor</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="submit" className={buttonClass("primary")} disabled={isPending}>
          {isPending ? "Creating…" : "Create account"}
        </button>
      </div>
    </form>
  );
}
