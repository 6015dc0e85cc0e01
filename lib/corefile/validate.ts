/**
 * `validateCorefile()`: everything CoreDNS would say about a Corefile before it starts, in one list —
 * the parser's decision (caddy grammar, server-block keys) and each plugin's set-up checks — plus the
 * lint's advice. This is what the editor shows, what the apply path enforces and what the CLI's
 * `check` prints.
 */
import type { DiagnosticCode, Severity } from "./diagnostics";
import { LINT_OVERLAPS, lintCorefile } from "./lint";
import { parse, type ParseOptions, type ParseResult } from "./parse";
import { validatePlugin, type PluginDiagnosticCode } from "./plugins";
import type { TextChange } from "./text-edit";

/** Where a diagnostic comes from: CoreDNS's parser, a plugin's set-up, or our lint. */
export type DiagnosticSource = "parser" | "plugin" | "lint";

/** One finding, whatever its source. Positions are 1-based; the end is exclusive. */
export type CorefileDiagnostic = {
  code: DiagnosticCode | PluginDiagnosticCode | (string & {});
  severity: Severity;
  source: DiagnosticSource;
  message: string;
  /** CoreDNS's own wording, where CoreDNS reports this problem. */
  corednsMessage?: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Quick fixes as minimal text edits of the root file. */
  fixes?: TextChange[];
};

export type ValidateOptions = ParseOptions & {
  /** The CoreDNS version the Corefile is meant for (default 1.14.7). */
  corednsVersion?: string;
};

export type ValidationResult = {
  /** True when CoreDNS would load the Corefile: no diagnostic has severity `error`. */
  ok: boolean;
  parse: ParseResult;
  /** Sorted by file (root first), then position. */
  diagnostics: CorefileDiagnostic[];
};

/** A later stage (the lint) can plug in here without a dependency cycle. */
export type ExtraCheck = (text: string, parsed: ParseResult, options: ValidateOptions) => CorefileDiagnostic[];

const extraChecks: ExtraCheck[] = [];

/** Registers a check that {@link validateCorefile} runs after the parser and the plugins (used by the lint). */
export function registerCheck(check: ExtraCheck): void {
  if (!extraChecks.includes(check)) extraChecks.push(check);
}

/**
 * Validates a Corefile as CoreDNS would at start-up: parse errors, invalid server-block keys, and
 * every plugin's argument and option checks for each server block. Never throws.
 */
export function validateCorefile(text: string, options: ValidateOptions = {}): ValidationResult {
  const parsed = parse(text, options);
  const diagnostics: CorefileDiagnostic[] = parsed.diagnostics.map((d) => ({ ...d, source: "parser" as const }));
  const seen = new Set<string>();
  for (const block of parsed.serverBlocks) {
    for (const name of Object.keys(block.tokens)) {
      const tokens = block.tokens[name];
      if (!tokens) continue;
      for (const d of validatePlugin(name, tokens, { serverBlockKeys: block.keys, corednsVersion: options.corednsVersion })) {
        // A snippet imported into several blocks would report the same problem once per block.
        const key = `${d.code}|${d.file}|${d.line}|${d.column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const { suggestion, ...diagnostic } = d;
        const fix = suggestion ? replacementFix(parsed, diagnostic, suggestion) : undefined;
        diagnostics.push({ ...diagnostic, source: "plugin", ...(fix ? { fixes: [fix] } : {}) });
      }
    }
  }
  mergeRemovedPluginErrors(diagnostics);
  mergeLint(diagnostics, text, parsed, options);
  for (const check of extraChecks) diagnostics.push(...check(text, parsed, options));
  const rootFile = parsed.cst.file;
  diagnostics.sort(
    (a, b) =>
      Number(a.file !== rootFile) - Number(b.file !== rootFile) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column,
  );
  return { ok: !diagnostics.some((d) => d.severity === "error"), parse: parsed, diagnostics };
}

/**
 * Adds the lint's advice. Where the lint explains a problem the parser or a plugin already reported
 * (a typo in a directive name, a removed plugin or option, `:53` without a zone), the finding stays
 * one: the stricter severity and CoreDNS's wording are kept, the lint's words and quick fix added.
 */
function mergeLint(diagnostics: CorefileDiagnostic[], text: string, parsed: ParseResult, options: ValidateOptions): void {
  const lint = lintCorefile(text, {
    parse: parsed,
    ...(options.corednsVersion ? { corednsVersion: options.corednsVersion } : {}),
    ...(options.filename ? { filename: options.filename } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.files ? { files: options.files } : {}),
  });
  // Indexed by position: a large Corefile has thousands of findings on each side.
  const byPosition = new Map<string, CorefileDiagnostic[]>();
  for (const d of diagnostics) {
    const key = `${d.file}\u0000${d.line}\u0000${d.column}`;
    const list = byPosition.get(key);
    if (list) list.push(d);
    else byPosition.set(key, [d]);
  }
  for (const finding of lint) {
    const overlapping = LINT_OVERLAPS[finding.code] ?? [];
    const twin =
      overlapping.length === 0
        ? undefined
        : byPosition.get(`${finding.file}\u0000${finding.line}\u0000${finding.column}`)?.find((d) => overlapping.includes(d.code));
    if (!twin) {
      diagnostics.push({ ...finding, source: "lint" });
      continue;
    }
    if (finding.fixes?.length) twin.fixes = [...(twin.fixes ?? []), ...finding.fixes];
    // The lint's explanation is the more helpful one; CoreDNS's wording stays in corednsMessage.
    if (finding.code === "DID_YOU_MEAN" || finding.code === "EMPTY_ZONE_FIX") twin.message = finding.message;
    if (rank(finding.severity) > rank(twin.severity)) twin.severity = finding.severity;
  }
}

/** A quick fix that replaces the diagnostic's range with `replacement`, for findings in the root file. */
function replacementFix(parsed: ParseResult, d: Omit<CorefileDiagnostic, "source">, replacement: string): TextChange | undefined {
  if (d.file !== parsed.cst.file) return undefined;
  const starts = parsed.cst.lineStarts;
  const startLine = starts[d.line - 1];
  const endLine = starts[d.endLine - 1];
  if (startLine === undefined || endLine === undefined) return undefined;
  return {
    title: `Change to '${replacement}'`,
    edits: [{ start: startLine + d.column - 1, end: endLine + d.endColumn - 1, newText: replacement }],
  };
}

function rank(severity: Severity): number {
  return severity === "error" ? 2 : severity === "warning" ? 1 : 0;
}

/**
 * A removed plugin (`proxy`) is an unknown directive to the parser and a removed plugin to the
 * catalog; keep one error, with the catalog's explanation and the parser's CoreDNS wording.
 */
function mergeRemovedPluginErrors(diagnostics: CorefileDiagnostic[]): void {
  for (let i = diagnostics.length - 1; i >= 0; i--) {
    const removed = diagnostics[i];
    if (!removed) continue;
    if (removed.code === "PLUGIN_UNKNOWN") {
      // The parser reports unknown directives itself, with CoreDNS's wording.
      const parserTwin = diagnostics.some(
        (d) => d.code === "UNKNOWN_DIRECTIVE" && d.file === removed.file && d.line === removed.line && d.column === removed.column,
      );
      if (parserTwin) diagnostics.splice(i, 1);
      continue;
    }
    if (removed.code !== "PLUGIN_REMOVED") continue;
    const unknown = diagnostics.findIndex(
      (d) => d.code === "UNKNOWN_DIRECTIVE" && d.file === removed.file && d.line === removed.line && d.column === removed.column,
    );
    if (unknown === -1) continue;
    const parserDiagnostic = diagnostics[unknown];
    if (parserDiagnostic?.corednsMessage) removed.corednsMessage = parserDiagnostic.corednsMessage;
    diagnostics.splice(unknown, 1);
  }
}
