"use client";

/**
 * Per-pod live answers next to the trace: a "Query pods" button that asks each CoreDNS pod over UDP and TCP through
 * a Server Action, progress while it runs, then one row per pod and transport (rcode, flags, answers, latency, or
 * the error), each marked against explain's prediction when that is static.
 */
import { useState, useTransition } from "react";
import { buttonClass } from "@/components/ui/button-class";
import { matchesPrediction, type LiveQueryView } from "@/lib/troubleshoot/live-view";

export type LivePrediction = { rcode?: string; records: string[]; isStatic: boolean; summary: string };

export function LiveResults({
  name,
  type,
  outOfCluster,
  prediction,
  query,
}: {
  /** The absolute name the pods are asked (the candidate that decided). */
  name: string;
  type: string;
  /** Set when the app cannot reach pod IPs: the message says only explain is available. */
  outOfCluster?: string;
  prediction: LivePrediction;
  query: (input: { name: string; type: string }) => Promise<LiveQueryView>;
}) {
  const [result, setResult] = useState<LiveQueryView | null>(null);
  const [isPending, startTransition] = useTransition();

  if (outOfCluster) {
    return (
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="live-out-of-cluster">
        {outOfCluster}
      </p>
    );
  }

  function run() {
    startTransition(async () => {
      try {
        setResult(await query({ name, type }));
      } catch {
        setResult({ ok: false, code: "FAILED", message: "The live query could not be sent to the server. Check your connection and try again." });
      }
    });
  }

  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Asks <code className="break-all">{`${name} ${type}`}</code> straight to each CoreDNS pod (not through the Service), over UDP and TCP.
        Explain predicts: <span data-testid="live-prediction">{prediction.summary}</span>
      </p>
      <div className="flex items-center gap-3">
        <button type="button" className={buttonClass("primary")} onClick={run} disabled={isPending}>
          {isPending ? "Querying pods…" : result ? "Query pods again" : "Query pods"}
        </button>
        <span role="status" aria-live="polite" className="text-xs text-slate-600 dark:text-slate-400">
          {isPending ? "Sending the question to every pod…" : result?.ok ? `${result.pods.length} answers at ${new Date(result.queriedAt).toLocaleTimeString()}` : ""}
        </span>
      </div>
      {result && !result.ok ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100">
          {result.message}
        </p>
      ) : null}
      {result?.ok ? (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" aria-label="Answers of each CoreDNS pod">
            <thead className="text-xs text-slate-600 dark:text-slate-400">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">Pod</th>
                <th scope="col" className="py-1 pr-3 font-medium">Transport</th>
                <th scope="col" className="py-1 pr-3 font-medium">Rcode</th>
                <th scope="col" className="py-1 pr-3 font-medium">Flags</th>
                <th scope="col" className="py-1 pr-3 font-medium">Latency</th>
                <th scope="col" className="py-1 font-medium">As predicted</th>
              </tr>
            </thead>
            {/* One body per pod and transport: the summary row, then its answers across the whole width. */}
            {result.pods.map((p, i) => {
              const match = matchesPrediction(p, prediction);
              return (
                <tbody key={i} className="border-t border-slate-200 dark:border-slate-800" data-testid="live-row">
                  <tr className="align-top">
                    <td className="pt-1.5 pr-3 font-mono text-xs">
                      {p.pod}
                      {p.target ? <div className="text-slate-500">{p.target}</div> : null}
                    </td>
                    <td className="pt-1.5 pr-3">{p.transport.toUpperCase()}</td>
                    <td className="pt-1.5 pr-3">{p.error ? <span className="text-red-800 dark:text-red-300">{p.error.code}</span> : p.rcode}</td>
                    <td className="pt-1.5 pr-3 font-mono text-xs">{p.flags.join(" ")}</td>
                    <td className="pt-1.5 pr-3 whitespace-nowrap">{p.latencyMs !== undefined ? `${p.latencyMs} ms` : "—"}</td>
                    <td className="pt-1.5">{match === undefined ? "—" : match ? "yes" : <strong className="text-amber-800 dark:text-amber-300">differs</strong>}</td>
                  </tr>
                  <tr>
                    <td colSpan={6} className="pt-0.5 pb-2 font-mono text-xs">
                      {p.error ? (
                        <span className="font-sans text-red-800 dark:text-red-300">{p.error.message}</span>
                      ) : p.answers.length > 0 ? (
                        <ul aria-label={`Answers from ${p.pod} over ${p.transport.toUpperCase()}`}>
                          {p.answers.map((a, j) => (
                            <li key={j} className="break-all">
                              {a}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <span className="font-sans text-slate-500">No answer records{p.authority.length > 0 ? ` (authority: ${p.authority.join("; ")})` : ""}.</span>
                      )}
                    </td>
                  </tr>
                </tbody>
              );
            })}
          </table>
        </div>
      ) : null}
    </div>
  );
}
