"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button-class";
import { changePasswordAction } from "./actions";

const fieldClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900 focus:outline-none focus:ring-2 focus:ring-sky-500";

export function PasswordForm({ isOneTime }: { isOneTime: boolean }) {
  const [state, action, isPending] = useActionState(changePasswordAction, null);
  return (
    <form action={action} className="flex flex-col gap-3">
      {state ? (
        <Alert tone="error" title="Password not changed">
          {state.message}
        </Alert>
      ) : null}
      <label className="flex flex-col gap-1 text-sm font-medium">
        {isOneTime ? "One-time password" : "Current password"}
        <input name="current" type="password" autoComplete="current-password" required className={fieldClass} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        New password (at least 12 characters)
        <input name="password" type="password" autoComplete="new-password" required minLength={12} className={fieldClass} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        New password again
        <input name="confirm" type="password" autoComplete="new-password" required minLength={12} className={fieldClass} />
      </label>
      <button type="submit" className={buttonClass("primary")} disabled={isPending}>
        {isPending ? "Saving…" : "Set password"}
      </button>
    </form>
  );
}
