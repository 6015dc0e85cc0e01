/**
 * A query explanation as people read it: the search-list expansion, then per candidate name the block chosen and
 * why, the chosen block's plugin chain with the path marked, each step with its action, detail and a link to the
 * directive in the editor, the steps never reached, and finally the reply and the caveats. No hooks: renders on the
 * server or inside a client island.
 */
import Link from "next/link";
import type { CandidateTrace, ExplainRecord, ExplainStep, ExplainTrace, Outcome, SourceRange, StepAction } from "@/lib/corefile";

const ACTION_LABELS: Record<StepAction, string> = {
  answer: "answers",
  nodata: "no data",
  nxdomain: "NXDOMAIN",
  servfail: "SERVFAIL",
  refuse: "refuses",
  drop: "drops",
  fallthrough: "falls through",
  pass: "passes",
  rewrite: "rewrites",
  forward: "forwards",
  observe: "observes",
  unknown: "unknown",
};

const DECIDING = new Set<StepAction>(["answer", "nodata", "nxdomain", "servfail", "refuse", "drop", "forward", "unknown"]);

function actionTone(step: ExplainStep): string {
  if (step.unreached) return "border-dashed border-slate-300 text-slate-500 dark:border-slate-700 dark:text-slate-500";
  if (step.action === "answer" || step.action === "nodata") return "border-emerald-400 bg-emerald-50 text-emerald-900 dark:border-emerald-700 dark:bg-emerald-950/50 dark:text-emerald-100";
  if (step.action === "nxdomain" || step.action === "servfail" || step.action === "refuse" || step.action === "drop") return "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100";
  if (step.action === "forward" || step.action === "unknown") return "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100";
  if (step.action === "rewrite" || step.action === "fallthrough") return "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950/50 dark:text-sky-100";
  return "border-slate-300 bg-white text-slate-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300";
}

/** The editor URL that selects a directive (`/editor?line=N&column=M&endLine=..&endColumn=..`). */
export function editorHref(range: SourceRange): string {
  const sp = new URLSearchParams({ line: String(range.line), column: String(range.column), endLine: String(range.endLine), endColumn: String(range.endColumn) });
  return `/editor?${sp.toString()}`;
}

export function formatRecordText(r: ExplainRecord): string {
  return `${r.name} ${r.ttl} ${r.class} ${r.type} ${r.data}`;
}

function RecordList({ records, label }: { records: readonly ExplainRecord[]; label: string }) {
  if (records.length === 0) return null;
  return (
    <ul aria-label={label} className="mt-1 space-y-0.5 font-mono text-xs">
      {records.map((r, i) => (
        <li key={i} className="break-all">
          {formatRecordText(r)}
        </li>
      ))}
    </ul>
  );
}

/** The outcome's kind in a few words. */
export function describeOutcome(o: Pick<Outcome, "kind" | "rcode">): string {
  switch (o.kind) {
    case "answer":
      return "Answer";
    case "nodata":
      return "No data (NOERROR, no records)";
    case "nxdomain":
      return "NXDOMAIN";
    case "servfail":
      return "SERVFAIL";
    case "refused":
      return "REFUSED";
    case "dropped":
      return "No reply (dropped)";
    case "forwarded":
      return "Forwarded upstream";
    default:
      return "Cannot be known statically";
  }
}

/** The chosen block's plugins in execution order, the path marked: acted, decided, passed over, never reached. */
export function PipelineChain({ candidate, linkToEditor }: { candidate: CandidateTrace; linkToEditor: boolean }) {
  if (candidate.steps.length === 0) return null;
  const decider = candidate.steps.findIndex((s) => !s.unreached && DECIDING.has(s.action));
  return (
    <ol aria-label={`Plugin chain of block ${candidate.block?.keys.join(" ") ?? ""}`} className="flex flex-wrap items-center gap-1" data-testid="pipeline-chain">
      {candidate.steps.map((step, i) => {
        const isDecider = i === decider;
        const label = `${step.plugin}: ${step.unreached ? "not reached" : ACTION_LABELS[step.action]}${isDecider ? " (decides)" : ""}`;
        const chip = (
          <span
            className={`inline-flex items-center gap-1 rounded border px-2 py-0.5 font-mono text-xs ${actionTone(step)} ${isDecider ? "ring-2 ring-sky-500 ring-offset-1 ring-offset-white dark:ring-offset-slate-900" : ""} ${step.unreached ? "line-through" : ""}`}
          >
            {step.plugin}
          </span>
        );
        return (
          <li key={i} className="flex items-center gap-1" aria-label={label} title={label}>
            {i > 0 ? <span aria-hidden="true" className="text-slate-400">→</span> : null}
            {linkToEditor && step.range && !step.range.imported ? (
              <Link href={editorHref(step.range)} className="rounded focus-visible:outline-2 focus-visible:outline-sky-600">
                {chip}
              </Link>
            ) : (
              chip
            )}
          </li>
        );
      })}
    </ol>
  );
}

function StepItem({ step, linkToEditor, depth }: { step: ExplainStep; linkToEditor: boolean; depth: number }) {
  const where = step.range ? (step.range.imported ? `${step.range.file}:${step.range.line}` : `line ${step.range.line}`) : null;
  return (
    <li className={`rounded-md border px-3 py-2 text-sm ${step.unreached ? "border-dashed border-slate-300 opacity-80 dark:border-slate-700" : "border-slate-200 dark:border-slate-800"}`} data-testid="trace-step">
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="font-mono font-semibold">{step.plugin}</span>
        <span className={`rounded border px-1.5 text-xs ${actionTone(step)}`}>{step.unreached ? "not reached" : ACTION_LABELS[step.action]}</span>
        {where ? (
          linkToEditor && step.range && !step.range.imported ? (
            <Link href={editorHref(step.range)} className="text-xs text-sky-700 underline hover:no-underline dark:text-sky-400" aria-label={`Open ${step.plugin} at ${where} in the editor`}>
              {where}
            </Link>
          ) : (
            <span className="text-xs text-slate-500">{where}</span>
          )
        ) : null}
      </div>
      <p className="mt-1 text-slate-700 dark:text-slate-300">{step.detail}</p>
      {step.question ? (
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          Next plugins see: <code>{`${step.question.name} ${step.question.class} ${step.question.type}`}</code>
        </p>
      ) : null}
      {step.upstreams && step.upstreams.length > 0 ? (
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          Upstreams{step.policy ? ` (policy ${step.policy})` : ""}: <code>{step.upstreams.join(", ")}</code>
        </p>
      ) : null}
      <RecordList records={step.records ?? []} label={`Records written by ${step.plugin}`} />
      {step.nested && step.nested.length > 0 && depth < 3 ? (
        <div className="mt-2 border-l-2 border-slate-200 pl-3 dark:border-slate-700">
          {step.nested.map((n, i) => (
            <CandidateView key={i} candidate={n} linkToEditor={linkToEditor} depth={depth + 1} />
          ))}
        </div>
      ) : null}
    </li>
  );
}

function CandidateView({ candidate: c, linkToEditor, depth = 0 }: { candidate: CandidateTrace; linkToEditor: boolean; depth?: number }) {
  const Heading = depth === 0 ? "h3" : "h4";
  return (
    <section aria-label={`Candidate ${c.name}`} className="flex flex-col gap-2" data-testid="trace-candidate">
      <Heading className="flex flex-wrap items-baseline gap-2 text-sm font-semibold">
        <code className="break-all">{`${c.name} ${c.type}`}</code>
        <span className={`rounded px-1.5 text-xs font-normal ${c.asked ? "bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-100" : "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-400"}`}>
          {c.asked ? "sent" : "not sent: an earlier name decided"}
        </span>
        <span className="text-xs font-normal text-slate-600 dark:text-slate-400">→ {describeOutcome(c.outcome)}</span>
      </Heading>
      {c.block ? (
        <p className="text-sm">
          Block{" "}
          {linkToEditor && c.block.range && !c.block.range.imported ? (
            <Link href={editorHref(c.block.range)} className="font-mono text-sky-700 underline hover:no-underline dark:text-sky-400" data-testid="trace-block">
              {c.block.keys.join(" ")}
            </Link>
          ) : (
            <code data-testid="trace-block">{c.block.keys.join(" ")}</code>
          )}
          {c.block.view ? ` (view ${c.block.view})` : ""}: <span className="text-slate-700 dark:text-slate-300">{c.block.reason}</span>
        </p>
      ) : (
        <p className="text-sm text-red-800 dark:text-red-300">No server block serves this name: CoreDNS answers REFUSED.</p>
      )}
      {c.skipped.length > 0 ? (
        <ul className="text-xs text-slate-600 dark:text-slate-400">
          {c.skipped.map((s, i) => (
            <li key={i}>
              Skipped block <code>{s.keys.join(" ")}</code>: {s.reason}
            </li>
          ))}
        </ul>
      ) : null}
      <PipelineChain candidate={c} linkToEditor={linkToEditor} />
      <ol aria-label={`Plugin steps for ${c.name}`} className="flex flex-col gap-1.5">
        {c.steps.map((s, i) => (
          <StepItem key={i} step={s} linkToEditor={linkToEditor} depth={depth} />
        ))}
      </ol>
      {c.outcome.ignoredByResolver ? <p className="text-xs text-amber-800 dark:text-amber-300">{c.outcome.ignoredByResolver}</p> : null}
    </section>
  );
}

/** The whole trace of one question. */
export function TraceView({ trace, linkToEditor = true, label = "Explanation" }: { trace: ExplainTrace; linkToEditor?: boolean; label?: string }) {
  const f = trace.final;
  return (
    <div className="flex flex-col gap-4" aria-label={label} role="region">
      {trace.corefileError ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100">
          {trace.corefileError}
        </p>
      ) : null}
      <div className="rounded-md border border-slate-200 p-3 dark:border-slate-800" data-testid="trace-final">
        <p className="text-sm font-semibold">
          The application gets: <span data-testid="trace-final-kind">{describeOutcome(f)}</span>
          {f.rcode && f.kind !== "nxdomain" && f.kind !== "servfail" && f.kind !== "refused" ? ` (${f.rcode})` : ""}
          {f.plugin ? <> from <code>{f.plugin}</code></> : null}
          {f.candidate ? <> for <code className="break-all">{f.candidate}</code></> : null}
        </p>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{f.detail}</p>
        <RecordList records={f.records ?? []} label="Records in the reply" />
      </div>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        <span className="font-medium">Search list: </span>
        {trace.search}
      </p>
      {trace.candidates.map((c, i) => (
        <CandidateView key={i} candidate={c} linkToEditor={linkToEditor} />
      ))}
      {trace.caveats.length > 0 ? (
        <div>
          <h3 className="text-sm font-semibold">Caveats</h3>
          <ul className="mt-1 list-disc pl-5 text-sm text-slate-700 dark:text-slate-300">
            {trace.caveats.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
