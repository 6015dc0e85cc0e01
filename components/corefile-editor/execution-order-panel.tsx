"use client";

/**
 * The server block under the cursor and its plugins in the order CoreDNS runs them (plugin.cfg order, not line order),
 * marking what each can do with a query: answer it, fall through to the next plugin, forward it upstream.
 */
import { useDeferredValue, useId, useMemo } from "react";
import { getBlockExecutionOrder, type ChainPlugin, type TextRange } from "@/lib/corefile-language";

export type ExecutionOrderPanelProps = {
  /** The Corefile (the editor's current text). */
  text: string;
  /** The cursor offset in `text` (from CorefileEditor's `onCursorOffsetChange`). */
  cursorOffset: number;
  /** Called when the user picks a plugin: usually moves the editor's cursor to `range`. */
  onSelect?: (range: TextRange) => void;
  title?: string;
  className?: string;
};

export function ExecutionOrderPanel({ text, cursorOffset, onSelect, title = "Execution order", className = "" }: ExecutionOrderPanelProps) {
  const headingId = useId();
  // Parsing a large Corefile takes a few milliseconds: let typing and cursor moves render first.
  const deferredText = useDeferredValue(text);
  const deferredOffset = useDeferredValue(cursorOffset);
  const chain = useMemo(() => getBlockExecutionOrder(deferredText, deferredOffset), [deferredText, deferredOffset]);

  const pipeline = chain?.plugins.filter((p) => p.step !== undefined) ?? [];
  const settings = chain?.plugins.filter((p) => p.isKnown && p.step === undefined) ?? [];
  const unknown = chain?.plugins.filter((p) => !p.isKnown) ?? [];

  return (
    <section aria-labelledby={headingId} className={`text-sm ${className}`} data-testid="execution-order-panel">
      <h2 id={headingId} className="mb-1 font-semibold">
        {title}
      </h2>
      {!chain ? (
        <p className="text-slate-600 dark:text-slate-400">
          Put the cursor in a server block to see the order in which CoreDNS runs its plugins.
        </p>
      ) : (
        <>
          <p className="mb-2 text-slate-600 dark:text-slate-400">
            {chain.kind === "snippet" ? "Snippet " : "Server block "}
            <code className="font-mono text-slate-900 dark:text-slate-100">{chain.keys.join(" ")}</code>
            {pipeline.length > 0
              ? ": a query passes through these plugins in this order, whatever the order of the lines."
              : ": no plugin handles queries yet."}
          </p>
          {pipeline.length > 0 ? (
            <ol className="space-y-1">
              {pipeline.map((p) => (
                <li key={p.name} className="flex items-start gap-2">
                  <span aria-hidden="true" className="mt-0.5 w-5 shrink-0 text-right font-mono text-xs text-slate-500">
                    {p.step}.
                  </span>
                  <PluginLine plugin={p} onSelect={onSelect} />
                </li>
              ))}
            </ol>
          ) : null}
          {settings.length > 0 ? (
            <PluginGroup title="Server settings (no query passes through them)" plugins={settings} onSelect={onSelect} />
          ) : null}
          {unknown.length > 0 ? (
            <PluginGroup title="Not CoreDNS plugins (CoreDNS will not start)" plugins={unknown} onSelect={onSelect} />
          ) : null}
        </>
      )}
    </section>
  );
}

function PluginGroup({ title, plugins, onSelect }: { title: string; plugins: ChainPlugin[]; onSelect?: (range: TextRange) => void }) {
  const id = useId();
  return (
    <div className="mt-3">
      <h3 id={id} className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
        {title}
      </h3>
      <ul aria-labelledby={id} className="space-y-1 pl-7">
        {plugins.map((p) => (
          <li key={p.name}>
            <PluginLine plugin={p} onSelect={onSelect} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function PluginLine({ plugin: p, onSelect }: { plugin: ChainPlugin; onSelect?: (range: TextRange) => void }) {
  const badges = describeBadges(p);
  const name = <span className="font-mono font-medium">{p.name}</span>;
  return (
    <span className="flex min-w-0 flex-wrap items-center gap-1.5" title={p.summary}>
      {onSelect ? (
        <button
          type="button"
          onClick={() => onSelect(p.range)}
          className="rounded px-1 text-sky-700 underline-offset-2 hover:underline dark:text-sky-400"
          aria-label={`${p.name}${p.step ? `, step ${p.step}` : ""}: go to line ${p.range.startLineNumber}`}
        >
          {name}
        </button>
      ) : (
        <span className="px-1">{name}</span>
      )}
      {badges.map((b) => (
        <span key={b.label} title={b.help} className={`rounded-full px-1.5 py-px text-[11px] leading-4 ${b.tone}`}>
          {b.label}
        </span>
      ))}
    </span>
  );
}

type Badge = { label: string; help: string; tone: string };

const TONE = {
  answer: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  through: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  forward: "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200",
  neutral: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
} as const;

function describeBadges(p: ChainPlugin): Badge[] {
  const out: Badge[] = [];
  if (p.forwards) out.push({ label: "forwards", help: "Sends queries to other DNS servers.", tone: TONE.forward });
  else if (p.canAnswer) out.push({ label: "answers", help: "Can answer queries itself; later plugins then never see them.", tone: TONE.answer });
  if (p.hasFallthrough) {
    out.push({ label: "falls through", help: "Has `fallthrough`: queries it cannot answer go on to the next plugin.", tone: TONE.through });
  } else if (p.canFallthrough) {
    out.push({ label: "can fall through", help: "Supports `fallthrough`, but it is not set: it answers NXDOMAIN itself.", tone: TONE.neutral });
  }
  if (p.count > 1) out.push({ label: `×${p.count}`, help: `Written ${p.count} times in this block.`, tone: TONE.neutral });
  if (p.viaImport) out.push({ label: `from ${p.viaImport}`, help: `Brought in by \`import ${p.viaImport}\`.`, tone: TONE.neutral });
  return out;
}
