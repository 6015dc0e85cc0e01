/**
 * Kubernetes `Status` bodies and the error type that carries them through the request handlers.
 * Messages copy the real API server's wording, because the product (and kubectl) show them to people
 * and some callers match on them.
 */

export type StatusCause = { reason?: string; message?: string; field?: string };

export type StatusDetails = {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
};

export type Status = {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
};

/** An error that becomes a `Status` response. Handlers throw it; the router turns it into JSON. */
export class ApiError extends Error {
  readonly status: Status;
  constructor(status: Status) {
    super(status.message ?? status.reason ?? "error");
    this.status = status;
  }
  get code(): number {
    return this.status.code;
  }
}

/** Builds a failure Status. `details` always carries at least `name` and `kind` (possibly empty). */
export function failure(code: number, reason: string, message: string, details: StatusDetails = {}): Status {
  const body: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
  if (Object.keys(details).length > 0) body.details = details;
  return body;
}

/** `configmaps "x" not found` (404 NotFound). */
export function notFound(resource: string, name: string): ApiError {
  return new ApiError(failure(404, "NotFound", `${resource} "${name}" not found`, { name, kind: resource }));
}

/** `configmaps "x" already exists` (409 AlreadyExists). */
export function alreadyExists(resource: string, name: string): ApiError {
  return new ApiError(failure(409, "AlreadyExists", `${resource} "${name}" already exists`, { name, kind: resource }));
}

/** The optimistic-concurrency conflict, word for word as the API server says it. */
export function conflict(resource: string, name: string): ApiError {
  return new ApiError(
    failure(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, kind: resource },
    ),
  );
}

/** A 409 with a custom message (precondition failures, server-side apply field conflicts). */
export function conflictWithMessage(resource: string, name: string, message: string, causes?: StatusCause[]): ApiError {
  const details: StatusDetails = { name, kind: resource };
  if (causes) details.causes = causes;
  return new ApiError(failure(409, "Conflict", message, details));
}

/** 400 BadRequest; the real server sends no `details` for these. */
export function badRequest(message: string): ApiError {
  return new ApiError(failure(400, "BadRequest", message));
}

/** 422 Invalid: `ConfigMap "x" is invalid: <field>: <detail>`. */
export function invalid(kind: string, name: string, causes: Required<Pick<StatusCause, "field" | "message">>[], group = ""): ApiError {
  const summary = causes.map((c) => `${c.field}: ${c.message}`).join(", ");
  const message = causes.length === 1 ? `${kind} "${name}" is invalid: ${summary}` : `${kind} "${name}" is invalid: [${summary}]`;
  return new ApiError(
    failure(422, "Invalid", message, {
      name,
      group,
      kind,
      causes: causes.map((c) => ({ reason: "FieldValueInvalid", message: c.message, field: c.field })),
    }),
  );
}

/** 422 for a patch that parses but cannot be applied (e.g. a JSON-patch `test` that fails). */
export function unprocessable(message: string): ApiError {
  return new ApiError(failure(422, "Invalid", message));
}

/** 405 for verbs a resource does not support here (e.g. writing pods). */
export function methodNotAllowed(resource: string): ApiError {
  return new ApiError(
    failure(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`, { kind: resource }),
  );
}

/** The generic 404 the API server gives for paths it does not serve. */
export function pathNotFound(): ApiError {
  return new ApiError(failure(404, "NotFound", "the server could not find the requested resource", {}));
}

/** `410 Gone` / `Expired`, sent as a watch ERROR event when a resourceVersion fell out of the event window. */
export function expired(requested: number, oldest: number): Status {
  return failure(410, "Expired", `too old resource version: ${requested} (${oldest})`);
}

/** 415 for a PATCH whose Content-Type is not one of the four patch types. */
export function unsupportedMediaType(): ApiError {
  return new ApiError(
    failure(
      415,
      "UnsupportedMediaType",
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json",
    ),
  );
}

/** The success Status that DELETE answers with. */
export function deleted(resource: string, name: string, uid: string): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name, kind: resource, uid }, code: 200 };
}
