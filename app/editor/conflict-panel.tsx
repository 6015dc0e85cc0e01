"use client";

import { useMemo } from "react";
import { CorefileDiffEditor } from "@/components/corefile-editor";
import { buttonClass } from "@/components/ui/button-class";
import { Card } from "@/components/ui/card";
import { mergeThreeWay } from "@/lib/text/merge3";

type Version = { text: string; resourceVersion: string | null };

/**
 * Shown when someone changed the ConfigMap after the draft was started: their change and yours, each
 * against the common base, and a merge the user confirms. The draft is never dropped silently.
 */
export function ConflictPanel({
  base,
  live,
  mine,
  onUseMerged,
  onTakeLive,
  onBack,
}: {
  base: Version;
  live: { text: string; resourceVersion: string };
  mine: string;
  onUseMerged: (merged: string, conflicts: number) => void;
  onTakeLive: () => void;
  onBack: () => void;
}) {
  const merge = useMemo(() => mergeThreeWay(base.text, live.text, mine), [base.text, live.text, mine]);
  return (
    <Card title="Someone else changed the Corefile">
      <p role="alert" className="mb-4 text-sm">
        The ConfigMap moved from resourceVersion {base.resourceVersion ?? "(none)"} to {live.resourceVersion} after you started
        editing, so nothing was applied. Compare the two changes, then merge.
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <div>
          <h3 className="mb-1 text-sm font-semibold">Their change (base → live)</h3>
          <CorefileDiffEditor original={base.text} modified={live.text} originalLabel="Base" modifiedLabel="Live" ariaLabel="Their change" height="18rem" />
        </div>
        <div>
          <h3 className="mb-1 text-sm font-semibold">Your change (base → draft)</h3>
          <CorefileDiffEditor original={base.text} modified={mine} originalLabel="Base" modifiedLabel="Your draft" ariaLabel="Your change" height="18rem" />
        </div>
      </div>
      <p className="mt-4 text-sm" data-testid="merge-summary">
        {merge.conflicts.length === 0
          ? "The two changes touch different lines: they merge cleanly."
          : `${merge.conflicts.length} region${merge.conflicts.length === 1 ? "" : "s"} changed on both sides; the merge marks ${merge.conflicts.length === 1 ? "it" : "them"} for you to resolve.`}
      </p>
      <div className="mt-3 flex flex-wrap gap-2">
        <button type="button" className={buttonClass("primary")} onClick={() => onUseMerged(merge.text, merge.conflicts.length)}>
          Merge my changes onto the live Corefile
        </button>
        <button
          type="button"
          className={buttonClass()}
          onClick={() => {
            if (window.confirm("Replace your draft with the live Corefile? Undo in the editor brings it back.")) onTakeLive();
          }}
        >
          Take the live Corefile
        </button>
        <button type="button" className={buttonClass()} onClick={onBack}>
          Back to my draft
        </button>
      </div>
    </Card>
  );
}
