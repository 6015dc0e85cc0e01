import { SESSION_COOKIE } from "./sessions";
import type { AuthConfig } from "./config";

/** The session cookie's attributes: HttpOnly, SameSite=Lax, Secure when served over https, expiring with the session. */
export function sessionCookie(secret: string, expiresAt: Date, config: Pick<AuthConfig, "isSecureCookie">) {
  return {
    name: SESSION_COOKIE,
    value: secret,
    httpOnly: true,
    sameSite: "lax" as const,
    secure: config.isSecureCookie,
    path: "/",
    expires: expiresAt,
  };
}

/** Where to go after sign-in: only a path on this site (never `//other.host` or a full URL). */
export function safeNextPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (value.startsWith("/signin") || value.startsWith("/auth/")) return "/";
  return value;
}
