import type { Metadata } from "next";
import { ComingSoon } from "@/components/ui/coming-soon";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Metrics" };

export default function MetricsPage() {
  return (
    <>
      <PageHeader title="Metrics" description="Is DNS healthy, and did every pod load the new configuration?" />
      <ComingSoon>
        <p>This page will chart what CoreDNS reports on its <code>:9153</code> metrics endpoint — queries per second,
          response codes, latency, cache hit rate, upstream health — and show, pod by pod, which Corefile revision is loaded
          or was rejected. No metrics are collected yet, so none are shown.</p>
      </ComingSoon>
    </>
  );
}
