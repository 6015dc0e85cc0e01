import type { Metadata } from "next";
import { ComingSoon } from "@/components/ui/coming-soon";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "History" };

export default function HistoryPage() {
  return (
    <>
      <PageHeader title="History" description="Who changed the Corefile, what changed, and one-click rollback." />
      <ComingSoon>
        <p>This page will list every revision of the Corefile, including changes made outside Coredeck (kubectl edit, kubeadm
          upgrades, operators), with author, message and diff, and roll back to any of them through the same checks as the
          editor. No revisions are recorded yet.</p>
      </ComingSoon>
    </>
  );
}
