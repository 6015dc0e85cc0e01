"use client";

import { useEffect, useState } from "react";
import { DraftChanges } from "@/components/troubleshoot/draft-changes";
import { troubleshootHref } from "@/lib/troubleshoot/query-schema";
import type { DraftComparison } from "@/lib/troubleshoot/troubleshoot";
import { compareDraftAction } from "../troubleshoot/actions";

type State = { status: "loading" } | { status: "done"; comparison: DraftComparison } | { status: "error"; message: string };

/** On the review step: the names whose path or answer the draft changes (explained against both Corefiles). */
export function DraftImpact({ cluster, draft }: { cluster: string; draft: string }) {
  const [state, setState] = useState<State>({ status: "loading" });
  useEffect(() => {
    let isCurrent = true;
    compareDraftAction({ cluster, draft, namespace: "default" }).then(
      (result) => {
        if (!isCurrent) return;
        setState(result.ok ? { status: "done", comparison: { checked: result.checked, changes: result.changes } } : { status: "error", message: result.message });
      },
      () => isCurrent && setState({ status: "error", message: "The names could not be compared: the server did not answer. Applying still works." }),
    );
    return () => {
      isCurrent = false;
    };
  }, [cluster, draft]);

  return (
    <section aria-labelledby="draft-impact-heading" className="mt-4" data-testid="draft-impact">
      <h3 id="draft-impact-heading" className="mb-2 text-sm font-semibold">
        Names that resolve differently
      </h3>
      {state.status === "loading" ? (
        <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
          Explaining the names your change touches against the live Corefile and the draft…
        </p>
      ) : state.status === "error" ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          {state.message}
        </p>
      ) : (
        <DraftChanges
          changes={state.comparison.changes}
          checked={state.comparison.checked}
          hrefOf={(c) => troubleshootHref({ name: c.name, type: c.type, namespace: "default" }, { compare: "draft" })}
        />
      )}
    </section>
  );
}
