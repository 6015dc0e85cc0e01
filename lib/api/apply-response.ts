import type { CorefileDiagnostic } from "@/lib/corefile/validate";
import type { ApplyResult } from "@/lib/revisions/apply-corefile";
import type { RollbackResult } from "@/lib/revisions/rollback";
import { statusForKubernetesFailure } from "./kubernetes-failure";
import { errorResponse, jsonResponse } from "./responses";
import { toRevisionJson } from "./revision-json";

/** A diagnostic as the API sends it (the editor's quick fixes are left out). */
export type DiagnosticJson = Pick<
  CorefileDiagnostic,
  "code" | "severity" | "source" | "message" | "corednsMessage" | "file" | "line" | "column" | "endLine" | "endColumn"
>;

/**
 * The answer for an apply or a rollback, the same for both:
 * - applied: 200 `{ revision, resourceVersion }`;
 * - already live: 200 `{ unchanged: true, revision: null, resourceVersion, message }`;
 * - INVALID: 422 `{ error, diagnostics }` (empty when the API server, not CoreDNS, refused the ConfigMap);
 * - TOO_LARGE: 413 `{ error, size, limit }` (the ConfigMap would pass Kubernetes' 1 MiB);
 * - CONFLICT: 409 `{ error, live: { corefile, resourceVersion } | null }`;
 * - a Kubernetes failure: its mapped status, `{ error, outcomeUnknown }`.
 */
export function respondToApplyResult(result: ApplyResult | RollbackResult): Response {
  if (result.ok) {
    return jsonResponse({ revision: toRevisionJson(result.revision), resourceVersion: result.resourceVersion });
  }
  switch (result.code) {
    case "UNCHANGED":
      return jsonResponse({ unchanged: true, revision: null, resourceVersion: result.resourceVersion, message: result.message });
    case "INVALID":
      return errorResponse(422, result.code, result.message, { diagnostics: result.diagnostics.map(toDiagnosticJson) });
    case "TOO_LARGE":
      return errorResponse(413, result.code, result.message, { size: result.size, limit: result.limit });
    case "CONFLICT":
      return errorResponse(409, result.code, result.message, {
        live: result.live ? { corefile: result.live.text, resourceVersion: result.live.resourceVersion } : null,
      });
  }
  if (!("isOutcomeUnknown" in result)) {
    // The rollback's own NOT_FOUND: the revision is not in this cluster's history.
    return errorResponse(404, "REVISION_NOT_FOUND", result.message);
  }
  return errorResponse(statusForKubernetesFailure(result.code, result.status), result.code, result.message, {
    outcomeUnknown: result.isOutcomeUnknown,
  });
}

function toDiagnosticJson(diagnostic: CorefileDiagnostic): DiagnosticJson {
  return {
    code: diagnostic.code,
    severity: diagnostic.severity,
    source: diagnostic.source,
    message: diagnostic.message,
    ...(diagnostic.corednsMessage === undefined ? {} : { corednsMessage: diagnostic.corednsMessage }),
    file: diagnostic.file,
    line: diagnostic.line,
    column: diagnostic.column,
    endLine: diagnostic.endLine,
    endColumn: diagnostic.endColumn,
  };
}
