import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { listAuditEvents } from "@/lib/audit/audit";
import { AUDIT_ACTIONS, readAuditQuery, toAuditFilter } from "@/lib/audit/audit-filter";
import { requirePageRole } from "@/lib/auth/guard";
import { fieldClass } from "@/components/ui/field-class";

export const metadata: Metadata = { title: "Audit" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const OUTCOME_CLASSES: Record<string, string> = {
  success: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  failure: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  denied: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
};

const labelClass = "flex flex-col gap-1 text-xs font-medium text-slate-700 dark:text-slate-300";

/** The audit trail, newest first, filterable by actor, action, outcome and time; exportable as JSON lines. Admins only. */
export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePageRole("*", "admin");
  const raw = await searchParams;
  const query = readAuditQuery(raw);
  const { events, nextBefore } = query ? await listAuditEvents(toAuditFilter(query), 100) : { events: [], nextBefore: null };
  const filterParams = new URLSearchParams();
  for (const key of ["actor", "action", "outcome", "from", "to"] as const) {
    const value = query?.[key];
    if (value) filterParams.set(key, value);
  }
  const nextPage = new URLSearchParams(filterParams);
  if (nextBefore) nextPage.set("before", String(nextBefore));

  return (
    <>
      <PageHeader
        title="Audit"
        description="Every sign-in, apply, rollback, draft discard, role and token change, with who, when, from where and the outcome. Nothing here can be changed or removed."
      >
        <a className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800" href={`/audit/export?${filterParams}`} download>
          Export as JSON lines
        </a>
      </PageHeader>
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter the audit trail">
        <label className={labelClass}>
          Actor
          <input name="actor" defaultValue={query?.actor ?? ""} className={fieldClass} placeholder="name contains…" />
        </label>
        <label className={labelClass}>
          Action
          <select name="action" defaultValue={query?.action ?? ""} className={fieldClass}>
            <option value="">Any</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        <label className={labelClass}>
          Outcome
          <select name="outcome" defaultValue={query?.outcome ?? ""} className={fieldClass}>
            <option value="">Any</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
            <option value="denied">denied</option>
          </select>
        </label>
        <label className={labelClass}>
          From (UTC)
          <input type="datetime-local" name="from" defaultValue={query?.from ?? ""} className={fieldClass} />
        </label>
        <label className={labelClass}>
          To (UTC)
          <input type="datetime-local" name="to" defaultValue={query?.to ?? ""} className={fieldClass} />
        </label>
        <button type="submit" className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 dark:bg-sky-600 dark:hover:bg-sky-500">
          Filter
        </button>
        <Link href="/audit" className="text-sm underline">
          Clear
        </Link>
      </form>
      {!query ? (
        <Alert tone="error" title="That filter cannot be read">
          Times are UTC dates and times (2026-11-26T12:00); clear the filter and try again.
        </Alert>
      ) : (
        <Card title="Events">
          {events.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">No event matches.</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm" data-testid="audit-table">
                <caption className="sr-only">Audit events, newest first</caption>
                <thead className="text-xs text-slate-500 dark:text-slate-400">
                  <tr>
                    <th scope="col" className="pb-2 pr-3 font-medium">When (UTC)</th>
                    <th scope="col" className="pb-2 pr-3 font-medium">Actor</th>
                    <th scope="col" className="pb-2 pr-3 font-medium">Action</th>
                    <th scope="col" className="pb-2 pr-3 font-medium">Outcome</th>
                    <th scope="col" className="pb-2 pr-3 font-medium">Cluster</th>
                    <th scope="col" className="pb-2 pr-3 font-medium">What</th>
                    <th scope="col" className="pb-2 font-medium">From</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((event) => (
                    <tr key={event.id} className="border-t border-slate-100 align-top dark:border-slate-800">
                      <td className="whitespace-nowrap py-1.5 pr-3 font-mono text-xs">{event.at.replace("T", " ").slice(0, 19)}</td>
                      <td className="py-1.5 pr-3">
                        {event.actor}
                        {event.method ? <span className="block text-xs text-slate-500 dark:text-slate-400">{event.method}</span> : null}
                      </td>
                      <td className="py-1.5 pr-3 font-mono text-xs">{event.action}</td>
                      <td className="py-1.5 pr-3">
                        <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${OUTCOME_CLASSES[event.outcome] ?? ""}`}>{event.outcome}</span>
                      </td>
                      <td className="py-1.5 pr-3">{event.cluster ?? ""}</td>
                      <td className="py-1.5 pr-3 text-xs">
                        <AuditWhat target={event.target} detail={event.detail} />
                      </td>
                      <td className="py-1.5 font-mono text-xs">{event.address ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {nextBefore ? (
            <p className="mt-3 text-sm">
              <Link className="underline" href={`/audit?${nextPage}`}>
                Older events
              </Link>
            </p>
          ) : null}
        </Card>
      )}
    </>
  );
}

/** The target and the details, as text (rendered by React: nothing in them can become markup). */
function AuditWhat({ target, detail }: { target: string | null; detail: Record<string, unknown> }) {
  const parts: string[] = [];
  if (typeof detail.revision === "number") parts.push(`revision ${detail.revision}`);
  if (typeof detail.linesAdded === "number") parts.push(`+${detail.linesAdded} −${String(detail.linesRemoved ?? 0)} lines`);
  if (typeof detail.code === "string") parts.push(String(detail.code));
  if (typeof detail.need === "string") parts.push(`needs ${detail.need}, has ${String(detail.have ?? "no role")}`);
  if (typeof detail.reason === "string") parts.push(String(detail.reason));
  if (typeof detail.request === "string") parts.push(String(detail.request));
  return (
    <>
      {target ? <span className="block break-all font-mono">{target}</span> : null}
      {parts.length > 0 ? <span className="block">{parts.join(" · ")}</span> : null}
    </>
  );
}
