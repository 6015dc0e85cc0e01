import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button-class";
import { needsFirstAdmin } from "@/lib/auth/accounts";
import { getPrincipal } from "@/lib/auth/guard";
import { getAuthConfig } from "@/lib/auth/principal";
import { safeNextPath } from "@/lib/auth/session-cookie";
import { FirstAdminForm, LocalSignInForm } from "./signin-forms";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  oidc: "Single sign-on did not complete. Try again; if it keeps failing, the server log says why.",
  oidc_state: "The single sign-on answer did not match this browser's request (it expired or was opened in another tab). Try again.",
  oidc_denied: "The identity provider refused the sign-in. Try again, or ask your identity provider's admin.",
  signed_out: "",
};

/** Sign-in: local accounts, single sign-on, or the first-run admin form. Public. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string; signedOut?: string }> }) {
  const query = await searchParams;
  const next = safeNextPath(query.next);
  const principal = await getPrincipal();
  if (principal) redirect(principal.mustChangePassword ? "/account/password" : next);

  const config = getAuthConfig();
  const hasLocal = config.methods.includes("local");
  const isFirstRun = hasLocal && !config.adminPassword && (await needsFirstAdmin());
  const error = query.error ? (ERRORS[query.error] ?? ERRORS.oidc) : null;

  return (
    <div className="flex flex-col gap-6">
      <p className="text-2xl font-semibold tracking-tight">
        Core<span className="text-sky-600 dark:text-sky-400">deck</span>
      </p>
      <h1 className="text-xl font-semibold">{isFirstRun ? "Create the first admin" : "Sign in"}</h1>
      {query.signedOut ? <Alert tone="info" title="Signed out">Your session has ended.</Alert> : null}
      {error ? <Alert tone="error" title="Not signed in">{error}</Alert> : null}
      {isFirstRun ? (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            No account exists yet. The admin you create here manages users, roles and tokens; or set{" "}
            <code>COREDECK_ADMIN_PASSWORD</code> to create it at start-up.
          </p>
          <FirstAdminForm />
        </>
      ) : hasLocal ? (
        <LocalSignInForm next={next} />
      ) : null}
      {config.methods.includes("oidc") ? (
        <a href={`/auth/oidc/login?next=${encodeURIComponent(next)}`} className={`${buttonClass(hasLocal ? "secondary" : "primary")} text-center`}>
          Sign in with single sign-on
        </a>
      ) : null}
      {config.methods.includes("proxy") && !hasLocal && !config.methods.includes("oidc") ? (
        <Alert tone="warning" title="Sign in through your proxy">
          This Coredeck trusts the identity its reverse proxy sends, and this request carried none. Open Coredeck through
          the proxy&apos;s address.
        </Alert>
      ) : null}
    </div>
  );
}
