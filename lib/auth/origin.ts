/**
 * Whether a request's `Origin` may send a write: no Origin (curl, CI scripts) passes; otherwise the origin's host must
 * be the host the request was sent to (`X-Forwarded-Host`, else `Host`), or the origin one of `allowedOrigins`
 * (COREDECK_PUBLIC_URL and COREDECK_ALLOWED_ORIGINS). A browser always sends Origin on a cross-origin POST, so a page
 * on another site cannot make a signed-in browser write.
 */
export function isOriginAllowed(headers: Headers, allowedOrigins: readonly string[]): boolean {
  const origin = headers.get("origin");
  if (origin === null) return true;
  if (origin === "null") return false;
  const originHost = hostOf(origin);
  if (originHost === null) return false;
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const ownHost = (forwarded || headers.get("host") || "").toLowerCase();
  if (ownHost && originHost === ownHost) return true;
  const normalised = safeOrigin(origin);
  return normalised !== null && allowedOrigins.some((allowed) => safeOrigin(allowed) === normalised);
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase() || null;
  } catch {
    return null;
  }
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return null;
  }
}
