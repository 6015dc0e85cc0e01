/**
 * The question: name, type and the client's namespace, sent as a GET to /troubleshoot so the URL carries it (a link
 * to share), and the presets for the common questions.
 */
import Form from "next/form";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button-class";
import type { Preset } from "@/lib/troubleshoot/presets";
import { QUERY_TYPES, troubleshootHref, type TroubleshootQuery } from "@/lib/troubleshoot/query-schema";

const FIELD = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950";

export function QueryForm({ query, error, presets, compare }: { query?: TroubleshootQuery; error?: string; presets: readonly Preset[]; compare: boolean }) {
  return (
    <div className="flex flex-col gap-3">
      <Form action="/troubleshoot" className="flex flex-wrap items-end gap-3" aria-label="Name to explain">
        <label className="flex min-w-[16rem] flex-1 flex-col gap-1 text-sm font-medium">
          Name
          <input
            name="name"
            defaultValue={query?.name ?? ""}
            required
            maxLength={253}
            placeholder="frontend.default.svc.cluster.local"
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "query-error" : undefined}
            className={`${FIELD} font-mono`}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Type
          <select name="type" defaultValue={query?.type ?? "A"} className={FIELD}>
            {QUERY_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Client namespace
          <input name="ns" defaultValue={query?.namespace ?? "default"} maxLength={63} spellCheck={false} autoCapitalize="off" className={`${FIELD} w-40 font-mono`} />
        </label>
        <label className="flex items-center gap-2 self-center text-sm">
          <input type="checkbox" name="compare" value="draft" defaultChecked={compare} className="h-4 w-4 accent-sky-600" />
          Compare with my draft
        </label>
        <button type="submit" className={buttonClass("primary")}>
          Explain
        </button>
      </Form>
      {error ? (
        <p id="query-error" role="alert" className="text-sm text-red-800 dark:text-red-300">
          {error}
        </p>
      ) : null}
      <nav aria-label="Common questions" className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-slate-600 dark:text-slate-400">Try:</span>
        {presets.map((p) => (
          <Link
            key={p.id}
            href={troubleshootHref(p.query, compare ? { compare: "draft" } : {})}
            title={p.description}
            className="rounded-full border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            {p.label}: <span className="font-mono text-xs">{p.query.name}</span>
          </Link>
        ))}
      </nav>
    </div>
  );
}
