"use client";

import type { PipelineStep, ServerBlockCard } from "@/lib/board";
import { useBoardHandlers } from "./board-context";
import { CHIP, ROLE_STYLES } from "./styles";

function RoleChips({ step }: { step: PipelineStep }) {
  return (
    <span className="flex flex-wrap gap-1">
      {step.roles.map((role) => {
        const style = ROLE_STYLES[role];
        const label =
          role === "falls-through" ? (step.hasFallthrough ? "falls through" : "no fallthrough set") : style.label;
        const muted = role === "falls-through" && !step.hasFallthrough;
        return (
          <span
            key={role}
            className={`inline-flex items-center gap-0.5 rounded border px-1 py-px text-[10px] leading-tight ${muted ? ROLE_STYLES.setting.chip : style.chip}`}
            title={describeRole(role, step.hasFallthrough)}
          >
            <span aria-hidden>{style.icon}</span>
            {label}
          </span>
        );
      })}
    </span>
  );
}

function describeRole(role: PipelineStep["roles"][number], hasFallthrough: boolean): string {
  switch (role) {
    case "answers":
      return "Can write the response itself: the query stops here.";
    case "falls-through":
      return hasFallthrough
        ? "A fallthrough line is written: names it has no record for go on to the next plugin."
        : "Accepts fallthrough, but none is written: it answers NXDOMAIN/NODATA for all its zones itself.";
    case "forwards":
      return "Sends queries to other servers.";
    case "passes-through":
      return "Hands on the queries it does not end, possibly changing or only watching them.";
    case "setting":
      return "A server setting or side service: no query passes through it.";
  }
}

/**
 * The block's plugins in the order CoreDNS runs them (plugin.cfg), numbered along the query path, with server settings
 * apart; plus the notes on where text order differs or matters.
 */
export function PipelineColumn({ block }: { block: ServerBlockCard }) {
  const handlers = useBoardHandlers();
  const path = block.pipeline.filter((s) => s.step !== undefined);
  const settings = block.pipeline.filter((s) => s.step === undefined);
  const title = block.title;
  return (
    <section aria-label={`Execution order of ${title}`} className="flex flex-col gap-2 text-xs">
      <h4 className="font-semibold text-slate-700 dark:text-slate-300">How CoreDNS runs it</h4>
      {block.textOrderDiffers ? (
        <p className="rounded border border-sky-300 bg-sky-50 p-2 text-sky-950 dark:border-sky-800 dark:bg-sky-950/60 dark:text-sky-100" data-testid="order-note">
          <strong className="font-semibold">The text order is not the execution order.</strong> {block.orderNote ?? ""} CoreDNS runs different plugins in
          the fixed order below whatever their order in the text; dragging them around changes only how the text reads.
        </p>
      ) : null}
      {path.length === 0 ? (
        <p className="text-slate-500 dark:text-slate-400">No plugin handles queries in this block yet.</p>
      ) : (
        <ol className="flex flex-col gap-1" aria-label={`Query path of ${title}`}>
          {path.map((step) => (
            <li key={step.name} className="flex items-start gap-1.5">
              <span className="mt-px inline-flex h-4 min-w-4 shrink-0 items-center justify-center rounded-full bg-slate-700 px-1 text-[10px] font-semibold text-white dark:bg-slate-300 dark:text-slate-900">
                {step.step}
              </span>
              <span className="flex min-w-0 flex-col gap-0.5">
                <span className="flex flex-wrap items-center gap-1">
                  {step.directiveIds[0] ? (
                    <button
                      type="button"
                      className="font-mono font-medium underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600"
                      onClick={() => handlers.focusCard(step.directiveIds[0] as string)}
                      aria-label={`Step ${step.step}: ${step.name}. Go to its card`}
                    >
                      {step.name}
                    </button>
                  ) : (
                    <span className="font-mono font-medium">{step.name}</span>
                  )}
                  {step.count > 1 ? <span className={`${CHIP} border-slate-300 dark:border-slate-700`}>×{step.count}</span> : null}
                  {step.imported ? <span className="text-[10px] text-slate-500 dark:text-slate-400">(imported)</span> : null}
                </span>
                <RoleChips step={step} />
              </span>
            </li>
          ))}
        </ol>
      )}
      {settings.length > 0 ? (
        <div>
          <p className="text-slate-600 dark:text-slate-400">Settings (not on the query path):</p>
          <ul className="mt-0.5 flex flex-wrap gap-1" aria-label={`Server settings of ${title}`}>
            {settings.map((s) => (
              <li key={s.name} className={`${CHIP} ${ROLE_STYLES.setting.chip}`}>
                <span aria-hidden className="mr-0.5">
                  {ROLE_STYLES.setting.icon}
                </span>
                {s.name}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {block.orderGroups.map((g) => (
        <p key={g.name} className="rounded border border-amber-300 bg-amber-50 p-2 text-amber-950 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100">
          <strong className="font-semibold">Text order matters for {g.name}:</strong> {g.note}
        </p>
      ))}
      {block.viewGroup ? (
        <p className="rounded border border-amber-300 bg-amber-50 p-2 text-amber-950 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100">
          <strong className="font-semibold">Block order matters ({block.viewGroup.key}):</strong> {block.viewGroup.note}
        </p>
      ) : null}
    </section>
  );
}
