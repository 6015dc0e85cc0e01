/**
 * The diagnostics the editor shows: CoreDNS's verdict (parser and plugin set-up, `validateCorefile`) plus the lint's
 * advice and quick fixes (`lintCorefile`), in one sorted list.
 */
import { lintCorefile } from "@/lib/corefile/lint";
import { validateCorefile, type CorefileDiagnostic, type ValidateOptions, type ValidationResult } from "@/lib/corefile/validate";

/**
 * Validates and lints `text`. When the lint is already registered with `validateCorefile` (`registerCheck`), its
 * findings are in the validation result and are not added twice.
 */
export function checkCorefile(text: string, options: ValidateOptions = {}): ValidationResult {
  const result = validateCorefile(text, options);
  if (result.diagnostics.some((d) => d.source === "lint")) return result;
  const lint: CorefileDiagnostic[] = lintCorefile(text, {
    parse: result.parse,
    corednsVersion: options.corednsVersion,
  }).map((d) => ({ ...d, source: "lint" as const }));
  if (lint.length === 0) return result;
  const root = result.parse.cst.file;
  const diagnostics = [...result.diagnostics, ...lint].sort(
    (a, b) =>
      Number(a.file !== root) - Number(b.file !== root) || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
  return { ...result, diagnostics };
}
