import { cookies, headers } from "next/headers";
import { recordAuditEvent } from "@/lib/audit/audit";
import { getRequestAuth } from "@/lib/auth/guard";
import { isOriginAllowed } from "@/lib/auth/origin";
import { getAuthConfig } from "@/lib/auth/principal";
import { deleteSession, SESSION_COOKIE } from "@/lib/auth/sessions";

export const dynamic = "force-dynamic";

/** `POST /auth/signout`: ends the session (deleted on the server, cookie cleared) and goes to /signin. */
export async function POST() {
  const headerList = await headers();
  if (!isOriginAllowed(headerList, getAuthConfig().allowedOrigins)) {
    return Response.json({ error: { code: "CROSS_ORIGIN", message: "Sign-out from another site's page is refused." } }, { status: 403 });
  }
  const cookieStore = await cookies();
  const secret = cookieStore.get(SESSION_COOKIE)?.value;
  const auth = await getRequestAuth();
  if (secret) await deleteSession(secret);
  if (auth.ok) {
    await recordAuditEvent({ actor: auth.principal.name, actorId: auth.principal.id, method: auth.principal.method, action: "signout", outcome: "success", address: auth.address });
  }
  cookieStore.delete(SESSION_COOKIE);
  return new Response(null, { status: 303, headers: { Location: "/signin?signedOut=1" } });
}
