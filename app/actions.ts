"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { clusterNameSchema } from "@/lib/clusters/cluster-schema";
import { findCluster } from "@/lib/clusters/clusters";
import { CLUSTER_COOKIE } from "@/lib/clusters/select-cluster";
import { authorizeAction, clusterNameIn, type GuardFailure } from "@/lib/auth/guard";

export type SelectClusterResult = { ok: true } | { ok: false; code: "INVALID" | "NOT_FOUND"; message: string } | GuardFailure;

/** Remembers the cluster picked in the switcher. */
export async function selectClusterAction(name: unknown): Promise<SelectClusterResult> {
  const auth = await authorizeAction({ cluster: clusterNameIn(name), role: "viewer" });
  if (!auth.ok) return auth;
  const parsed = clusterNameSchema.safeParse(name);
  if (!parsed.success) return { ok: false, code: "INVALID", message: "That is not a valid cluster name." };
  const cluster = await findCluster(parsed.data);
  if (!cluster) return { ok: false, code: "NOT_FOUND", message: `No cluster named "${parsed.data}" is registered.` };
  (await cookies()).set(CLUSTER_COOKIE, cluster.name, { path: "/", sameSite: "lax", httpOnly: true, maxAge: 60 * 60 * 24 * 365 });
  revalidatePath("/", "layout");
  return { ok: true };
}
