import Link from "next/link";
import { fieldClass } from "@/components/ui/field-class";
import type { RevisionFilter } from "@/lib/revisions/revisions";


/**
 * The history filters as a plain GET form: the filters live in the URL (shareable, back-button friendly) and work
 * without JavaScript.
 */
export function HistoryFilters({ authors, filter }: { authors: string[]; filter: RevisionFilter }) {
  return (
    <form method="get" action="/history" className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter the history">
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-700 dark:text-slate-300">
        Text
        <input
          type="search"
          name="q"
          defaultValue={filter.text ?? ""}
          placeholder="in the Corefile, message or author"
          className={`${fieldClass} w-72`}
        />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-700 dark:text-slate-300">
        Author
        <select name="author" defaultValue={filter.author ?? ""} className={fieldClass}>
          <option value="">Anyone</option>
          {authors.map((author) => (
            <option key={author} value={author}>
              {author}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-700 dark:text-slate-300">
        Source
        <select name="source" defaultValue={filter.source ?? ""} className={fieldClass}>
          <option value="">Any</option>
          <option value="dashboard">Dashboard</option>
          <option value="api">API</option>
          <option value="external">External</option>
          <option value="rollback">Rollback</option>
        </select>
      </label>
      <button type="submit" className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 dark:bg-sky-600 dark:hover:bg-sky-500">
        Filter
      </button>
      {filter.author || filter.source || filter.text ? (
        <Link href="/history" className="py-1.5 text-sm underline">
          Clear
        </Link>
      ) : null}
    </form>
  );
}
