import type { Metadata } from "next";
import { ComingSoon } from "@/components/ui/coming-soon";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Editor" };

export default function EditorPage() {
  return (
    <>
      <PageHeader title="Editor" description="Change the cluster's Corefile without breaking DNS." />
      <ComingSoon>
        <p>This page will hold a Corefile editor that checks the text the way CoreDNS does as you type, a visual pipeline of
          each server block in the order CoreDNS runs its plugins, a review of the exact change against the live ConfigMap,
          and an apply that never overwrites someone else&apos;s change.</p>
        <p className="mt-2">Until then the live Corefile is shown read-only on the Overview page.</p>
      </ComingSoon>
    </>
  );
}
