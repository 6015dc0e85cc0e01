import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { getPrincipal } from "@/lib/auth/guard";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Password" };
export const dynamic = "force-dynamic";

/** Change one's local password; the only page open to someone who signed in with a one-time password. */
export default async function PasswordPage() {
  const principal = await getPrincipal();
  if (!principal) redirect("/signin?next=/account/password");
  if (principal.method !== "local") {
    return <Alert tone="info" title="Nothing to change here">Your password is managed by your identity provider.</Alert>;
  }
  return (
    <>
      <PageHeader title={principal.mustChangePassword ? "Choose your password" : "Change password"} />
      {principal.mustChangePassword ? (
        <div className="mb-4">
          <Alert tone="warning" title="One-time password">
            You signed in with a one-time password. Choose your own to continue; the one-time password stops working.
          </Alert>
        </div>
      ) : null}
      <PasswordForm isOneTime={principal.mustChangePassword} />
    </>
  );
}
