/**
 * The Corefile linter: CoreDNS pitfalls that parse() and the plugin validators do not report — things CoreDNS accepts
 * but that hurt in a cluster (no reload, metrics nobody can scrape, a forward that never gets a query...), plus
 * version history and quick fixes for some of parse()'s own errors. Every code is documented in LINT.md.
 *
 * Cheap enough to run on every keystroke: pass the ParseResult the editor already has.
 */
import { parse, type ParseResult } from "../parse";
import { LintContext } from "./context";
import { buildModel } from "./model";
import { didYouMean, duplicateDirectives, executionOrder, versionHistory } from "./rules-directives";
import { forwardShadowed, healthAndReady, kubernetesReverse, prometheusRules, reloadMissing, resolvConfWithoutLoop } from "./rules-plugins";
import { emptyZoneFixes, portConflicts, serverKeyConflicts } from "./rules-server";
import type { LintDiagnostic } from "./types";

export { LINT_CODES, LINT_OVERLAPS, LINT_RULES } from "./types";
export type { LintCode, LintDiagnostic, LintSeverity } from "./types";
export { suggestDirective } from "./rules-directives";

/** The CoreDNS version lint targets unless told otherwise. */
export const DEFAULT_LINT_VERSION = "1.14.7";

/** Options for {@link lintCorefile}. */
export type LintOptions = {
  /** The result of `parse(text, ...)` for this very text, to avoid parsing twice. */
  parse?: ParseResult;
  /** The CoreDNS version to check against (default 1.14.7); decides deprecated/removed plugins and options. */
  corednsVersion?: string;
  /** Passed to parse() when `parse` is not given. */
  filename?: string;
  env?: Record<string, string | undefined>;
  files?: Record<string, string>;
};

const RULES: readonly ((ctx: LintContext) => void)[] = [
  serverKeyConflicts,
  portConflicts,
  emptyZoneFixes,
  didYouMean,
  duplicateDirectives,
  forwardShadowed,
  resolvConfWithoutLoop,
  reloadMissing,
  prometheusRules,
  healthAndReady,
  kubernetesReverse,
  versionHistory,
  executionOrder,
];

/**
 * Lints a Corefile. Never throws. Diagnostics come sorted by file (root file first) and position; quick fixes are
 * minimal edits of `text` (apply them with `applyEdits`).
 * @example
 *   const parsed = parse(text);
 *   for (const d of lintCorefile(text, { parse: parsed })) console.log(d.line, d.code, d.message);
 */
export function lintCorefile(text: string, options: LintOptions = {}): LintDiagnostic[] {
  const p = options.parse ?? parse(text, { filename: options.filename, env: options.env, files: options.files });
  const version = normalizeVersion(options.corednsVersion) ?? DEFAULT_LINT_VERSION;
  const root = p.cst.file;
  const ctx = new LintContext(buildModel(text, p.serverBlocks, p.cst, root), p, version);
  for (const rule of RULES) {
    try {
      rule(ctx);
    } catch {
      // A bug in one rule must not hide the others' findings (nor take the editor down).
    }
  }
  return finish(ctx.out, root);
}

/** `1.14.7`, `v1.9` → `1.14.7`, `1.9`; undefined for anything that is not a version number. */
function normalizeVersion(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const s = v.startsWith("v") ? v.slice(1) : v;
  const parts = s.split(".");
  if (parts.length < 2 || parts.length > 3) return undefined;
  for (const p of parts) {
    if (p.length === 0) return undefined;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
  }
  return s;
}

/** Drops repeats (a snippet imported into several blocks reports once) and sorts. */
function finish(diags: LintDiagnostic[], root: string): LintDiagnostic[] {
  const seen = new Set<string>();
  const out: LintDiagnostic[] = [];
  for (const d of diags) {
    const key = `${d.code}\u0000${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.endLine}\u0000${d.endColumn}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  out.sort((a, b) => {
    if (a.file !== b.file) {
      if (a.file === root) return -1;
      if (b.file === root) return 1;
      return a.file < b.file ? -1 : 1;
    }
    return a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  });
  return out;
}
