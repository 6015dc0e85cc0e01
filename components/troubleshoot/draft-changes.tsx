/**
 * The names whose path or answer a draft changes against the live Corefile (from `compareDraftWithLive`): each with
 * why it was asked, the difference in plain words, and the live and draft replies. `hrefOf` links a name to the
 * troubleshoot page.
 */
import Link from "next/link";
import type { DraftChange } from "@/lib/troubleshoot/troubleshoot";

function Reply({ label, reply }: { label: string; reply: DraftChange["live"] }) {
  return (
    <div>
      <p className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</p>
      <p className="text-sm">
        {reply.rcode ?? reply.kind}
        {reply.plugin ? <> from <code>{reply.plugin}</code></> : null}
      </p>
      {reply.records.length > 0 ? (
        <ul className="font-mono text-xs">
          {reply.records.map((r, i) => (
            <li key={i} className="break-all">
              {r}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function DraftChanges({ changes, checked, hrefOf }: { changes: readonly DraftChange[]; checked: number; hrefOf?: (change: DraftChange) => string }) {
  if (changes.length === 0) {
    return (
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="draft-changes-none">
        None of the {checked} names checked resolves differently with the draft.
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {changes.length === 1 ? "One name" : `${changes.length} names`} of the {checked} checked resolve differently with the draft:
      </p>
      <ul aria-label="Names the draft changes" className="flex flex-col gap-2">
        {changes.map((c) => (
          <li key={`${c.name}/${c.type}`} className="rounded-md border border-slate-200 p-3 dark:border-slate-800" data-testid="draft-change">
            <p className="flex flex-wrap items-baseline gap-2 text-sm">
              {hrefOf ? (
                <Link href={hrefOf(c)} className="font-mono font-semibold text-sky-700 underline hover:no-underline dark:text-sky-400">
                  {`${c.name} ${c.type}`}
                </Link>
              ) : (
                <code className="font-semibold">{`${c.name} ${c.type}`}</code>
              )}
              <span className="text-xs text-slate-600 dark:text-slate-400">{c.reason}</span>
              {c.pathDiffers ? <span className="rounded bg-sky-100 px-1.5 text-xs text-sky-900 dark:bg-sky-900/40 dark:text-sky-100">path</span> : null}
              {c.answerDiffers ? <span className="rounded bg-amber-100 px-1.5 text-xs text-amber-900 dark:bg-amber-900/40 dark:text-amber-100">answer</span> : null}
            </p>
            <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{c.summary}</p>
            <div className="mt-2 grid gap-2 sm:grid-cols-2">
              <Reply label="Live" reply={c.live} />
              <Reply label="Draft" reply={c.draft} />
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
