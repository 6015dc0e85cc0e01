"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button-class";
import { createFirstAdminAction, signInAction } from "./actions";

const fieldClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900 focus:outline-none focus:ring-2 focus:ring-sky-500";
const labelClass = "flex flex-col gap-1 text-sm font-medium";

/** Username and password, with the server's answer (wrong password, throttled) above the fields. */
export function LocalSignInForm({ next }: { next: string }) {
  const [state, action, isPending] = useActionState(signInAction, null);
  return (
    <form action={action} className="flex flex-col gap-3" aria-describedby={state ? "signin-error" : undefined}>
      {state ? (
        <div id="signin-error">
          <Alert tone="error" title={state.code === "THROTTLED" ? "Sign-in paused" : "Not signed in"}>
            {state.message}
          </Alert>
        </div>
      ) : null}
      <input type="hidden" name="next" value={next} />
      <label className={labelClass}>
        Username
        <input name="username" autoComplete="username" required defaultValue={state?.username ?? ""} className={fieldClass} />
      </label>
      <label className={labelClass}>
        Password
        <input name="password" type="password" autoComplete="current-password" required className={fieldClass} />
      </label>
      <button type="submit" className={buttonClass("primary")} disabled={isPending}>
        {isPending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

/** First run: the admin account. */
export function FirstAdminForm() {
  const [state, action, isPending] = useActionState(createFirstAdminAction, null);
  return (
    <form action={action} className="flex flex-col gap-3">
      {state ? (
        <Alert tone="error" title="Not created">
          {state.message}
        </Alert>
      ) : null}
      <label className={labelClass}>
        Username
        <input name="username" autoComplete="username" required defaultValue="admin" className={fieldClass} />
      </label>
      <label className={labelClass}>
        Password (at least 12 characters)
        <input name="password" type="password" autoComplete="new-password" required minLength={12} className={fieldClass} />
      </label>
      <label className={labelClass}>
        Password again
        <input name="confirm" type="password" autoComplete="new-password" required minLength={12} className={fieldClass} />
      </label>
      <button type="submit" className={buttonClass("primary")} disabled={isPending}>
        {isPending ? "Creating…" : "Create the admin and sign in"}
      </button>
    </form>
  );
}
