import { NextResponse, type NextRequest } from "next/server";
import { CLUSTER_COOKIE } from "@/lib/clusters/select-cluster";

/** Set on the request so that a page that sends an anonymous visitor to /signin can bring them back afterwards. */
const PATH_HEADER = "x-coredeck-path";

/**
 * Runs before every page and Server Action (not the REST API or static files):
 * - passes the requested path on in `x-coredeck-path` (for "sign in, then come back here");
 * - `?cluster=<name>` on any page selects that cluster: the choice is copied into the request's cookie (so this render
 *   uses it) and remembered in the response's cookie (so later pages do). This keeps links to a cluster's page shareable.
 * Sign-in itself is checked where the data is: in every page, Server Action and route handler (lib/auth/guard.ts).
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const cluster = request.nextUrl.searchParams.get("cluster");
  if (!cluster) return NextResponse.next({ request: { headers } });
  request.cookies.set(CLUSTER_COOKIE, cluster);
  headers.set("cookie", request.cookies.toString());
  const response = NextResponse.next({ request: { headers } });
  response.cookies.set(CLUSTER_COOKIE, cluster, { path: "/", sameSite: "lax", httpOnly: true, maxAge: 60 * 60 * 24 * 365 });
  return response;
}

export const config = { matcher: ["/((?!_next/|favicon.ico|api/).*)"] };
