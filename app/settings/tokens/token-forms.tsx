"use client";

import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button-class";
import { fieldClass } from "@/components/ui/field-class";
import { RowActionButton } from "@/components/ui/row-action-button";
import { createTokenAction, revokeTokenAction } from "./actions";

const labelClass = "flex flex-col gap-1 text-sm font-medium";

type Option = { value: string; label: string };

/** The form that creates a token; the token itself is shown once, here, with a copy button. */
export function CreateTokenForm({ clusters, roles, users }: { clusters: string[]; roles: Option[]; users: Option[] | null }) {
  const [state, action, isPending] = useActionState(createTokenAction, null);
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex flex-col gap-3">
      {state?.ok ? (
        <Alert tone="info" title={`Token "${state.name}" created`}>
          <p>Copy it now: it is shown this once, and Coredeck keeps only its hash.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs dark:bg-slate-950" data-testid="new-token">
              {state.token}
            </code>
            <button
              type="button"
              className={buttonClass()}
              onClick={() => void navigator.clipboard?.writeText(state.token).then(() => setCopied(true))}
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </Alert>
      ) : state ? (
        <Alert tone="error" title="No token created">
          {state.message}
        </Alert>
      ) : null}
      <form action={action} className="grid gap-3 sm:grid-cols-2">
        <label className={labelClass}>
          Name
          <input name="name" required maxLength={100} placeholder="ci-deploy" className={fieldClass} />
        </label>
        <label className={labelClass}>
          Role
          <select name="role" defaultValue="viewer" className={fieldClass}>
            {roles.map((role) => (
              <option key={role.value} value={role.value}>
                {role.label}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="font-medium">Clusters</legend>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="clusters" value="*" defaultChecked /> All clusters
          </label>
          {clusters.map((cluster) => (
            <label key={cluster} className="flex items-center gap-2">
              <input type="checkbox" name="clusters" value={cluster} /> {cluster}
            </label>
          ))}
        </fieldset>
        <label className={labelClass}>
          Expires
          <select name="expiresInDays" defaultValue="90" className={fieldClass}>
            <option value="7">in 7 days</option>
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="0">never</option>
          </select>
        </label>
        {users ? (
          <label className={labelClass}>
            For
            <select name="userId" className={fieldClass} defaultValue="">
              <option value="">myself</option>
              {users.map((user) => (
                <option key={user.value} value={user.value}>
                  {user.label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <div className="sm:col-span-2">
          <button type="submit" className={buttonClass("primary")} disabled={isPending}>
            {isPending ? "Creating…" : "Create token"}
          </button>
        </div>
      </form>
    </div>
  );
}

/** Revokes one token after a confirmation. */
export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  return (
    <RowActionButton
      label="Revoke"
      pendingLabel="Revoking…"
      tone="danger"
      confirmText={`Revoke the token "${name}"? Scripts using it stop working at once.`}
      run={() => revokeTokenAction({ id })}
    />
  );
}
