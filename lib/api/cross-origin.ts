import { errorResponse } from "./responses";

/**
 * Refuses a write sent by a web page of another origin: browsers put an `Origin` header on every cross-origin
 * POST/PUT (a form or a fetch from any site the user has open), while scripts such as curl send none. A request
 * whose `Origin` names another host than the one it was sent to gets 403; anything else passes (null).
 *
 * Like the check Next.js applies to Server Actions, the host is compared (from `X-Forwarded-Host`, else `Host`), not
 * the scheme, so a TLS-terminating proxy in front of the server does not break same-origin writes.
 */
export function refuseCrossOriginWrite(request: Request): Response | null {
  const origin = request.headers.get("origin");
  if (origin === null) return null;
  const ownHost = readOwnHost(request);
  if (ownHost !== null && hostOf(origin) === ownHost) return null;
  return errorResponse(
    403,
    "CROSS_ORIGIN",
    `Writes from a web page of another origin (${origin}) are refused: the REST API is for scripts and CI jobs, which send no Origin header. Call it from a script, or use the dashboard itself.`,
  );
}

function readOwnHost(request: Request): string | null {
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const host = forwarded || request.headers.get("host") || hostOf(request.url);
  return host ? host.toLowerCase() : null;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase() || null;
  } catch {
    return null;
  }
}
