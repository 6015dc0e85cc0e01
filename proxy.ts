import { NextResponse, type NextRequest } from "next/server";
import { CLUSTER_COOKIE } from "@/lib/clusters/select-cluster";

/**
 * `?cluster=<name>` on any page selects that cluster: the choice is copied into the request's
 * cookie (so this render uses it) and remembered in the response's cookie (so later pages do).
 * This keeps links to a cluster's page shareable.
 */
export function proxy(request: NextRequest) {
  const cluster = request.nextUrl.searchParams.get("cluster");
  if (!cluster) return NextResponse.next();
  request.cookies.set(CLUSTER_COOKIE, cluster);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set(CLUSTER_COOKIE, cluster, { path: "/", sameSite: "lax", httpOnly: true, maxAge: 60 * 60 * 24 * 365 });
  return response;
}

export const config = { matcher: ["/((?!_next/|favicon.ico|api/).*)"] };
