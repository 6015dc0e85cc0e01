/**
 * How every REST answer is shaped: JSON, never cached, and errors as
 * `{ "error": { "code": "...", "message": "..." }, ...extra }` where the message says what happened and what to do.
 */

/** Headers of every answer: the API serves live cluster state, so nothing may be cached on the way. */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = { "Cache-Control": "no-store" };

/** Machine-readable error codes of the REST API (the Kubernetes and apply codes pass through as they are). */
export type ApiErrorCode =
  | "BAD_JSON"
  | "INVALID_REQUEST"
  | "BODY_TOO_LARGE"
  | "CROSS_ORIGIN"
  | "CLUSTER_NOT_FOUND"
  | "REVISION_NOT_FOUND"
  | "INTERNAL"
  | (string & {});

/** A JSON answer with the no-store header (plus `headers`). */
export function jsonResponse(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: { ...NO_STORE_HEADERS, ...init.headers } });
}

/** An error answer: `{ error: { code, message }, ...extra }`. */
export function errorResponse(status: number, code: ApiErrorCode, message: string, extra: Record<string, unknown> = {}): Response {
  return jsonResponse({ error: { code, message }, ...extra }, { status });
}

/** A plain-text or YAML answer whose body is exactly `text` (UTF-8). */
export function textResponse(text: string, headers: Record<string, string>): Response {
  return new Response(text, { status: 200, headers: { ...NO_STORE_HEADERS, ...headers } });
}
