/**
 * Diagnostic type and codes. Every code is documented in DIAGNOSTICS.md (when it is raised, and what CoreDNS does).
 */
import type { Token } from "./lexer";

/** How bad a diagnostic is: `error` means CoreDNS would refuse to load the Corefile. */
export type Severity = "error" | "warning" | "info";

/** Every diagnostic code this library emits. */
export const DIAGNOSTIC_CODES = [
  // caddy parser (CoreDNS refuses the Corefile)
  "UNKNOWN_DIRECTIVE",
  "UNEXPECTED_CLOSE_BRACE",
  "UNEXPECTED_EOF",
  "UNMATCHED_BRACE",
  "EXPECTED_OPEN_BRACE",
  "EXTRA_COMMA",
  "SNIPPET_REDECLARED",
  "IMPORT_MISSING_ARGUMENT",
  "IMPORT_EMPTY_PATH",
  "IMPORT_TOO_MANY_ARGUMENTS",
  "IMPORT_NOT_FOUND",
  "IMPORT_BAD_PATTERN",
  "IMPORT_GLOB_TOO_COMPLEX",
  "IMPORT_IS_DIRECTORY",
  "IMPORT_CYCLE",
  "IMPORT_LIMIT",
  "EXPANSION_TOO_LARGE",
  // CoreDNS server-block key checks (after parsing)
  "INVALID_SERVER_KEY",
  "DUPLICATE_SERVER_KEY",
  // warnings and information (CoreDNS accepts the Corefile)
  "IMPORT_GLOB_NO_MATCH",
  "UNTERMINATED_QUOTE",
  "COMMENT_IN_WORD",
  "EMPTY_COREFILE",
  // a bug in this library (parse/reloadHash never throw)
  "INTERNAL_ERROR",
] as const;

/** A diagnostic code (SCREAMING_SNAKE). */
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

/** A secondary location that explains a diagnostic (the unclosed brace, the import that pulled a file in...). */
export interface RelatedLocation {
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A problem found in a Corefile. Positions are 1-based; `endLine`/`endColumn` point just past the range (exclusive). */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** Our explanation. */
  message: string;
  /** What CoreDNS itself prints for this problem (its exact wording), when CoreDNS reports it. */
  corednsMessage?: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  related?: RelatedLocation[];
}

/** The range fields of a diagnostic covering `tok`. */
export function rangeOf(tok: Token): Pick<Diagnostic, "file" | "line" | "column" | "endLine" | "endColumn"> {
  return { file: tok.file, line: tok.line, column: tok.column, endLine: tok.endLine, endColumn: tok.endColumn };
}

/** A related location covering `tok`. */
export function relatedAt(tok: Token, message: string): RelatedLocation {
  return { message, ...rangeOf(tok) };
}
