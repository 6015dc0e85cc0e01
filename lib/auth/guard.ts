import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { AuditAction } from "@/lib/audit/audit";
import { checkRole } from "./check-role";
import { isOriginAllowed } from "./origin";
import { getAuthConfig, resolvePrincipal, type Principal, type Resolution } from "./principal";
import { hasRole, hasRoleAnywhere, type Role } from "./roles";
import { SESSION_COOKIE } from "./sessions";

/** The header proxy.ts sets to the requested path, so a page can send the person back there after sign-in. */
export const PATH_HEADER = "x-coredeck-path";

/** Who this request (page render or Server Action) is for; read once per request. */
export const getRequestAuth = cache(async (): Promise<Resolution> => {
  const [headerList, cookieStore] = await Promise.all([headers(), cookies()]);
  return resolvePrincipal({ headers: headerList, sessionSecret: cookieStore.get(SESSION_COOKIE)?.value ?? null, bearer: null });
});

/** The signed-in person, or null. */
export async function getPrincipal(): Promise<Principal | null> {
  const auth = await getRequestAuth();
  return auth.ok ? auth.principal : null;
}

/**
 * For page loads: the signed-in person with at least `role` on `cluster` (`*`: on every cluster; `any`: on some
 * cluster). Redirects to /signin when nobody is signed in, to the password page when a one-time password must be
 * replaced, and to /access-denied when the role is missing.
 */
export async function requirePageRole(cluster: string | "any", role: Role = "viewer"): Promise<Principal> {
  const auth = await getRequestAuth();
  if (!auth.ok) {
    const path = (await headers()).get(PATH_HEADER) ?? "/";
    redirect(`/signin?next=${encodeURIComponent(path)}`);
  }
  const principal = auth.principal;
  if (principal.mustChangePassword) redirect("/account/password");
  const allowed = cluster === "any" ? hasRoleAnywhere(principal.grants, role) : hasRole(principal.grants, cluster, role);
  if (!allowed) redirect(`/access-denied?need=${role}${cluster === "any" ? "" : `&cluster=${encodeURIComponent(cluster)}`}`);
  return principal;
}

export type { ActionAuth, GuardFailure } from "./check-role";
import type { ActionAuth, GuardFailure } from "./check-role";

/**
 * The guard every Server Action calls first: refuses a cross-origin call, an anonymous one, and one without `role` on
 * `cluster`. A refusal of a mutating action (`audit`) is recorded in the audit trail as `denied`.
 */
export async function authorizeAction(options: {
  cluster: string;
  role: Role;
  audit?: AuditAction;
  target?: string;
  /** The role on any one cluster is enough (the action itself checks per cluster, e.g. token scopes). */
  anyCluster?: boolean;
}): Promise<ActionAuth> {
  const headerList = await headers();
  if (!isOriginAllowed(headerList, getAuthConfig().allowedOrigins)) return crossOriginFailure(headerList.get("origin"));
  const auth = await getRequestAuth();
  if (!auth.ok) {
    return { ok: false, code: "UNAUTHENTICATED", message: "You are not signed in (or your session ended). Sign in again; nothing was changed." };
  }
  if (options.anyCluster && !auth.principal.mustChangePassword && hasRoleAnywhere(auth.principal.grants, options.role)) {
    return { ok: true, principal: auth.principal, address: auth.address };
  }
  return checkRole(auth.principal, auth.address, options);
}

/** The origin check alone, for the actions anyone may call (sign-in, first admin). */
export async function checkActionOrigin(): Promise<GuardFailure | null> {
  const headerList = await headers();
  return isOriginAllowed(headerList, getAuthConfig().allowedOrigins) ? null : crossOriginFailure(headerList.get("origin"));
}

function crossOriginFailure(origin: string | null): GuardFailure {
  return {
    ok: false,
    code: "CROSS_ORIGIN",
    message: `This request came from a page of another origin (${origin}) and was refused. Use Coredeck from its own address, or add that origin to COREDECK_ALLOWED_ORIGINS.`,
  };
}


/** The `cluster` field of a Server Action's input, before it is validated (the guard runs first). */
export function clusterNameIn(input: unknown): string {
  const value = typeof input === "object" && input !== null ? (input as { cluster?: unknown }).cluster : input;
  return typeof value === "string" ? value.trim() : "";
}
