import "server-only";
import { recordAuditEvent, type AuditAction } from "@/lib/audit/audit";
import { checkRole } from "@/lib/auth/check-role";
import { resolvePrincipal, type Principal } from "@/lib/auth/principal";
import type { Role } from "@/lib/auth/roles";
import { SESSION_COOKIE } from "@/lib/auth/sessions";
import type { ApiDeps, Lookup } from "./lookups";
import { errorResponse, jsonResponse } from "./responses";

export type ApiAuth = { principal: Principal; address: string | null };

const TOKEN_MESSAGES = {
  TOKEN_UNKNOWN: "That API token is not known. Check it was copied whole (it starts with cdk_), or create a new one under Settings → API tokens.",
  TOKEN_EXPIRED: "That API token has expired. Create a new one under Settings → API tokens.",
  TOKEN_REVOKED: "That API token was revoked. Create a new one under Settings → API tokens.",
  TOKEN_USER_DISABLED: "The owner of that API token is disabled. Ask an admin.",
} as const;

/**
 * The guard of every REST handler: who the request is (an `Authorization: Bearer` token, else the dashboard's
 * session cookie, else trusted proxy headers) and whether they hold `role` on `cluster`. Answers 401 JSON when
 * nobody is signed in or the token is bad, 403 JSON when the role is missing. Token use is audited.
 */
export async function authorizeApiRequest(
  request: Request,
  /** `cluster: null`: any signed-in caller passes (the handler filters by their grants). */
  options: { cluster: string | null; role: Role; audit?: AuditAction; target?: string },
  deps: ApiDeps = {},
): Promise<Lookup<ApiAuth>> {
  const authorization = request.headers.get("authorization");
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? null;
  if (authorization !== null && bearer === null) {
    return { ok: false, response: unauthenticated("BAD_AUTHORIZATION", 'Send the token as "Authorization: Bearer cdk_…".') };
  }
  const resolution = await resolvePrincipal({ headers: request.headers, sessionSecret: readCookie(request, SESSION_COOKIE), bearer }, deps.db);
  const path = new URL(request.url).pathname;
  if (!resolution.ok) {
    if (resolution.reason === "NONE") {
      return {
        ok: false,
        response: unauthenticated(
          "UNAUTHENTICATED",
          'Sign in first: send an API token as "Authorization: Bearer cdk_…" (create one under Settings → API tokens).',
        ),
      };
    }
    await recordAuditEvent(
      {
        actor: resolution.userName ?? "unknown token",
        method: "token",
        action: "token.use",
        outcome: "failure",
        address: resolution.address,
        target: resolution.tokenId ?? null,
        detail: { reason: resolution.reason, request: `${request.method} ${path}` },
      },
      deps.db,
    );
    return { ok: false, response: unauthenticated(resolution.reason, TOKEN_MESSAGES[resolution.reason]) };
  }
  const { principal, address } = resolution;
  const checked =
    options.cluster === null && !principal.mustChangePassword
      ? ({ ok: true } as const)
      : await checkRole(principal, address, { ...options, cluster: options.cluster ?? "*" }, deps.db);
  if (principal.tokenId && shouldRecordTokenUse(request.method, checked.ok, principal.tokenLastUsedAt ?? null)) {
    await recordAuditEvent(
      {
        actor: principal.name,
        actorId: principal.id,
        method: "token",
        action: "token.use",
        outcome: checked.ok ? "success" : "denied",
        address,
        cluster: options.cluster === "*" ? null : options.cluster,
        target: principal.tokenId,
        detail: { request: `${request.method} ${path}` },
      },
      deps.db,
    );
  }
  if (!checked.ok) return { ok: false, response: errorResponse(checked.code === "FORBIDDEN" ? 403 : 401, checked.code, checked.message) };
  return { ok: true, value: { principal, address } };
}

/** A token's successful reads are recorded at most this often (a CI job polling every few seconds would flood the trail). */
export const TOKEN_READ_AUDIT_INTERVAL_MS = 60_000;

/**
 * Whether a token's use goes into the audit trail: always for writes and for refusals; for a successful read only when
 * the token was not used in the last {@link TOKEN_READ_AUDIT_INTERVAL_MS} (its first read of a burst).
 */
export function shouldRecordTokenUse(method: string, allowed: boolean, lastUsedAt: Date | null, now = Date.now()): boolean {
  if (!allowed || (method !== "GET" && method !== "HEAD")) return true;
  return lastUsedAt === null || now - lastUsedAt.getTime() >= TOKEN_READ_AUDIT_INTERVAL_MS;
}

function unauthenticated(code: string, message: string): Response {
  const response = jsonResponse({ error: { code, message } }, { status: 401 });
  response.headers.set("WWW-Authenticate", 'Bearer realm="coredeck"');
  return response;
}

function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}
