import type { Revision, RevisionSummary } from "@/lib/revisions/revisions";

/** A revision summary as the API sends it: the same fields, with `createdAt` as an ISO 8601 string. */
export type RevisionSummaryJson = Omit<RevisionSummary, "createdAt"> & { createdAt: string };

/** A revision with its Corefile text, as the API sends it. */
export type RevisionJson = RevisionSummaryJson & { text: string };

/** {@link RevisionSummaryJson} of a summary (any text it carries is left out). */
export function toRevisionSummaryJson(revision: RevisionSummary): RevisionSummaryJson {
  return {
    id: revision.id,
    clusterId: revision.clusterId,
    number: revision.number,
    createdAt: revision.createdAt.toISOString(),
    author: revision.author,
    message: revision.message,
    source: revision.source,
    sha256: revision.sha256,
    reloadHash: revision.reloadHash,
    resourceVersionBefore: revision.resourceVersionBefore,
    resourceVersionAfter: revision.resourceVersionAfter,
    parentId: revision.parentId,
    restoredFromId: revision.restoredFromId,
    linesAdded: revision.linesAdded,
    linesRemoved: revision.linesRemoved,
  };
}

/** {@link RevisionJson} of a revision. */
export function toRevisionJson(revision: Revision): RevisionJson {
  return { ...toRevisionSummaryJson(revision), text: revision.text };
}
