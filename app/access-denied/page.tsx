import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { getPrincipal } from "@/lib/auth/guard";
import { isRole, ROLE_DESCRIPTIONS } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "No access" };
export const dynamic = "force-dynamic";

/** Where a page sends someone signed in who lacks the role it needs. */
export default async function AccessDeniedPage({ searchParams }: { searchParams: Promise<{ need?: string; cluster?: string }> }) {
  const principal = await getPrincipal();
  if (!principal) redirect("/signin");
  const { need, cluster } = await searchParams;
  const role = isRole(need) ? need : "viewer";
  return (
    <Alert tone="warning" title="You do not have access to this page">
      <p>
        It needs the <strong>{role}</strong> role ({ROLE_DESCRIPTIONS[role]}) {cluster ? <>on cluster <strong>{cluster}</strong></> : "on at least one cluster"}
        , and {principal.name} has {principal.grants.length === 0 ? "no role yet" : "a lower one"}. Ask an admin to grant it under Settings → Access.
      </p>
    </Alert>
  );
}
