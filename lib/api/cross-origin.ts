import { isOriginAllowed } from "@/lib/auth/origin";
import { getAuthConfig } from "@/lib/auth/principal";
import { errorResponse } from "./responses";

/**
 * Refuses a write sent by a web page of another origin: browsers put an `Origin` header on every cross-origin
 * POST/PUT (a form or a fetch from any site the user has open), while scripts such as curl send none. A request
 * whose `Origin` names another host than the one it was sent to, and is not COREDECK_PUBLIC_URL or one of
 * COREDECK_ALLOWED_ORIGINS, gets 403; anything else passes (null).
 *
 * Like the check Next.js applies to Server Actions, the host is compared (from `X-Forwarded-Host`, else `Host`), not
 * the scheme, so a TLS-terminating proxy in front of the server does not break same-origin writes.
 */
export function refuseCrossOriginWrite(request: Request): Response | null {
  if (isOriginAllowed(request.headers, getAuthConfig().allowedOrigins)) return null;
  const origin = request.headers.get("origin");
  return errorResponse(
    403,
    "CROSS_ORIGIN",
    `Writes from a web page of another origin (${origin}) are refused: the REST API is for scripts and CI jobs, which send no Origin header. Call it from a script, use the dashboard itself, or add that origin to COREDECK_ALLOWED_ORIGINS.`,
  );
}
