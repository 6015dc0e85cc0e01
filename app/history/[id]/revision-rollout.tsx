"use client";

import { useRouter } from "next/navigation";
import { LiveRollout } from "@/components/metrics/live-rollout";
import type { RolloutStatus as Rollout } from "@/lib/metrics/rollout";
import { readRolloutStatusAction, rollbackAction } from "../actions";

/**
 * The revision page's rollout per pod, kept current. When the pods reject the revision, the offer puts the revision
 * before it back after one confirmation (the same server-side validation and conditional write as any rollback,
 * against the live resourceVersion this page read), then opens the new rollback revision to follow its rollout.
 */
export function RevisionRollout({
  cluster,
  revision,
  initial,
  previous,
  liveResourceVersion,
}: {
  cluster: string;
  revision: { id: string; number: number };
  initial: Rollout | null;
  previous: { id: string; number: number } | null;
  /** The ConfigMap's resourceVersion when the page was read; null when it could not be read. */
  liveResourceVersion: string | null;
}) {
  const router = useRouter();
  return (
    <LiveRollout
      cluster={cluster}
      revisionId={revision.id}
      initial={initial}
      readStatus={readRolloutStatusAction}
      variant="full"
      rollback={
        previous
          ? {
              previousRevisionId: previous.id,
              previousRevisionNumber: previous.number,
              rollBack: async () => {
                const result = await rollbackAction({
                  cluster,
                  revisionId: previous.id,
                  baseResourceVersion: liveResourceVersion,
                  message: `Roll back to revision ${previous.number}: the pods rejected revision ${revision.number}`,
                });
                if (!result.ok) return { ok: false, message: result.message };
                router.push(`/history/${result.revision.id}?restored=1`);
              },
            }
          : null
      }
    />
  );
}
