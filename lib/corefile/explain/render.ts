/**
 * Plain text for a trace (for the CLI, logs and test failures): one section per name the resolver sends, one line per
 * plugin step with its line number, then the reply the application gets and the caveats.
 */
import type { CandidateTrace, ExplainTrace } from "./types";
import { formatRecord } from "./util";

function renderCandidate(c: CandidateTrace, indent: string, out: string[]): void {
  const block = c.block ? `block ${c.block.keys.join(" ")}${c.block.view ? ` (view ${c.block.view})` : ""}` : "no block";
  out.push(`${indent}${c.name} ${c.type}${c.asked ? "" : " (not sent: an earlier name decided)"} → ${block}: ${c.outcome.kind}${c.outcome.rcode ? ` ${c.outcome.rcode}` : ""}`);
  if (c.block) out.push(`${indent}  ${c.block.reason}`);
  for (const s of c.skipped) out.push(`${indent}  skipped block ${s.keys.join(" ")}: ${s.reason}`);
  for (const s of c.steps) {
    const where = s.range ? `${s.range.imported ? `${s.range.file}:` : "line "}${s.range.line}` : "";
    out.push(`${indent}  ${s.unreached ? "·" : "-"} ${s.plugin} [${s.action}]${where ? ` (${where})` : ""} ${s.detail}`);
    for (const r of s.records ?? []) out.push(`${indent}      ${formatRecord(r)}`);
    for (const n of s.nested ?? []) renderCandidate(n, `${indent}      `, out);
  }
  if (c.outcome.ignoredByResolver) out.push(`${indent}  ! ${c.outcome.ignoredByResolver}`);
}

/** A trace as text. */
export function renderTrace(t: ExplainTrace): string {
  const out: string[] = [`${t.query.name} ${t.query.class} ${t.query.type}`, t.search, ""];
  if (t.corefileError) out.push(`! ${t.corefileError}`, "");
  for (const c of t.candidates) renderCandidate(c, "", out);
  out.push("", `Reply: ${t.final.kind}${t.final.rcode ? ` ${t.final.rcode}` : ""}${t.final.candidate ? ` for ${t.final.candidate}` : ""}. ${t.final.detail}`);
  for (const r of t.final.records ?? []) out.push(`  ${formatRecord(r)}`);
  for (const c of t.caveats) out.push(`Note: ${c}`);
  return `${out.join("\n")}\n`;
}
