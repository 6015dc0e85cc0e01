import { recordAuditEvent } from "@/lib/audit/audit";
import { getAuthConfig } from "@/lib/auth/principal";
import { encodeTransaction, OIDC_TRANSACTION_COOKIE, readPublicBase, startOidcSignIn } from "@/lib/auth/oidc";
import { safeNextPath } from "@/lib/auth/session-cookie";

export const dynamic = "force-dynamic";

/** `GET /auth/oidc/login?next=/path`: sends the browser to the identity provider (authorization code + PKCE). Public. */
export async function GET(request: Request) {
  const config = getAuthConfig();
  const base = readPublicBase(config, request.headers, request.url);
  if (!config.oidc) {
    return seeOther(`${base}/signin?error=oidc`);
  }
  const next = safeNextPath(new URL(request.url).searchParams.get("next"));
  try {
    const { url, transaction } = await startOidcSignIn(config.oidc, `${base}/auth/oidc/callback`, next);
    const cookie = [
      `${OIDC_TRANSACTION_COOKIE}=${encodeTransaction(transaction)}`,
      "Path=/auth/oidc",
      "HttpOnly",
      "SameSite=Lax",
      "Max-Age=600",
      ...(config.isSecureCookie ? ["Secure"] : []),
    ].join("; ");
    return new Response(null, { status: 303, headers: { Location: url.href, "Set-Cookie": cookie, "Cache-Control": "no-store" } });
  } catch (error) {
    console.error(`coredeck: OIDC discovery at ${config.oidc.issuer} failed:`, error instanceof Error ? error.message : error);
    await recordAuditEvent({ actor: "oidc", method: "oidc", action: "signin", outcome: "failure", detail: { reason: "discovery failed" } });
    return seeOther(`${base}/signin?error=oidc`);
  }
}

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}
