import { cookies } from "next/headers";
import { recordAuditEvent } from "@/lib/audit/audit";
import { upsertExternalUser } from "@/lib/auth/accounts";
import { createAddressMatcher, readClientAddress } from "@/lib/auth/address";
import { getAuthConfig } from "@/lib/auth/principal";
import { decodeTransaction, finishOidcSignIn, OIDC_TRANSACTION_COOKIE, readPublicBase } from "@/lib/auth/oidc";
import { createSession } from "@/lib/auth/sessions";
import { safeNextPath, sessionCookie } from "@/lib/auth/session-cookie";

export const dynamic = "force-dynamic";

/** `GET /auth/oidc/callback`: the provider's answer. Opens a session for the identity, or goes back to /signin with why. */
export async function GET(request: Request) {
  const config = getAuthConfig();
  const base = readPublicBase(config, request.headers, request.url);
  const address = readClientAddress(request.headers, createAddressMatcher(config.proxy.trustedAddresses));
  const cookieStore = await cookies();
  const transaction = decodeTransaction(cookieStore.get(OIDC_TRANSACTION_COOKIE)?.value);
  cookieStore.delete({ name: OIDC_TRANSACTION_COOKIE, path: "/auth/oidc" });
  const params = new URL(request.url).searchParams;
  const fail = async (error: string, reason: string) => {
    await recordAuditEvent({ actor: "oidc", method: "oidc", action: "signin", outcome: "failure", address, detail: { reason } });
    return seeOther(`${base}/signin?error=${error}`);
  };
  if (!config.oidc) return fail("oidc", "oidc is not enabled");
  if (params.get("error")) return fail("oidc_denied", `provider: ${params.get("error")} ${params.get("error_description") ?? ""}`.trim());
  if (!transaction || params.get("state") !== transaction.state) return fail("oidc_state", "state mismatch or no sign-in in progress");

  const callbackUrl = new URL(`${base}/auth/oidc/callback`);
  callbackUrl.search = params.toString();
  let identity;
  try {
    identity = await finishOidcSignIn(config.oidc, callbackUrl, transaction);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error("coredeck: OIDC sign-in failed:", message);
    return fail("oidc", message);
  }
  const user = await upsertExternalUser({ ...identity, method: "oidc" });
  const session = await createSession({ userId: user.id, method: "oidc", groups: identity.groups, address, hours: config.sessionHours });
  cookieStore.set(sessionCookie(session.secret, session.expiresAt, config));
  await recordAuditEvent({
    actor: user.name,
    actorId: user.id,
    method: "oidc",
    action: "signin",
    outcome: "success",
    address,
    target: identity.subject,
    detail: { groups: identity.groups },
  });
  return seeOther(`${base}${safeNextPath(transaction.next)}`);
}

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}
